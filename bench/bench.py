"""How fast is `archlint check`? Generates specs of 1k, 10k and 100k resources and
prints, for each, whole-process times of `archlint check` next to a bare libyaml parse
of the same file, then in-process times of the load, graph and lint steps and of each
rule family.

    python bench/bench.py              # 1k, 10k, 100k
    python bench/bench.py --sizes 1000 --repeat 5

The budget (issue 2): checking 10k resources costs at most 3x parsing the same file
with libyaml alone (whole process against whole process); 100k at most 12x 10k.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time

# the baseline: what parsing the file with libyaml costs, process start included
LIBYAML_ALONE = "import sys, yaml; yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader)"


def generate_spec(resources: int) -> str:
    """A spec of about `resources` resources, mixing every rule family's types in
    realistic proportions: messaging chains, a VPC with subnets, instances, volumes."""
    lines = ["archlint: 1", f"name: bench-{resources}", "resources:"]
    flows = []
    groups = max(1, resources // 10)
    lines += ["  vpc:", "    type: vpc", "    cidr: 10.0.0.0/8",
              "  web-sg:", "    type: security_group", "    vpc: vpc", "    rules:",
              "      - {protocol: tcp, ports: 443, cidr: 0.0.0.0/0}"]
    for i in range(groups):
        third, fourth = divmod(i * 16, 256)
        second, third = divmod(third, 256)
        lines += [
            f"  topic-{i}:", "    type: sns.topic",
            f"  queue-{i}:", "    type: sqs.queue", f"    dead_letter: dlq-{i}", "    visibility_timeout: 60",
            f"  dlq-{i}:", "    type: sqs.queue",
            f"  worker-{i}:", "    type: lambda.function", "    timeout: 10",
            f"  notify-{i}:", "    type: lambda.function", f"    dead_letter: dlq-{i}",
            f"  subnet-{i}:", "    type: subnet", "    vpc: vpc", f"    az: us-east-1{'abc'[i % 3]}",
            f"    cidr: 10.{second}.{third}.{fourth}/28",
            f"  host-{i}:", "    type: ec2.instance", f"    subnet: subnet-{i}",
            "    security_groups: [web-sg]", f"    volumes: [data-{i}]",
            f"  data-{i}:", "    type: ebs.volume", "    size: 100",
            f"  bucket-{i}:", "    type: s3.bucket",
            f"  alarm-{i}:", "    type: cloudwatch.alarm", f"    watches: queue-{i}",
        ]
        flows += [
            f"  - host-{i} -> topic-{i} -> queue-{i} -> worker-{i}",
            f"  - topic-{i} -> notify-{i}",
            f"  - {{from: worker-{i}, to: bucket-{i}, prefix: out/}}",
        ]
    return "\n".join(lines + ["flows:"] + flows) + "\n"


def process_seconds(command: list[str], repeat: int) -> float:
    """Median wall time of a whole process (start-up and imports included)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def in_process_breakdown(path: str) -> dict[str, float]:
    from archlint.linter.engine import lint_graph
    from archlint.linter.registry import all_rules, known_selector
    from archlint.specs import load_text
    from archlint.specs.yamlsource import read_yaml

    with open(path, "rb") as stream:
        data = stream.read()
    rules = all_rules()
    gc.disable()  # as the command line runs (linter/cli.py)
    start = time.perf_counter()
    read_yaml(data, path)
    parsed = time.perf_counter()
    graph = load_text(data, path, rule_known=known_selector)  # parses again, then checks and builds
    loaded = time.perf_counter()
    lint_graph(graph, rules)
    linted = time.perf_counter()
    yaml_seconds = parsed - start
    times = {"yaml": yaml_seconds, "check+graph": (loaded - parsed) - yaml_seconds, "lint": linted - loaded}
    families: dict[str, float] = {}
    for rule in rules:
        begin = time.perf_counter()
        list(rule.check(graph))
        families[rule.family] = families.get(rule.family, 0.0) + time.perf_counter() - begin
    times.update({f"  {family}": seconds for family, seconds in sorted(families.items())})
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=lambda text: [int(part) for part in text.split(",")], default=[1000, 10000, 100000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    archlint = [sys.executable, "-m", "archlint.linter.cli", "check"]
    totals = {}
    with tempfile.TemporaryDirectory() as folder:
        print(f"{'resources':>10} {'file MB':>8} {'libyaml alone':>14} {'archlint check':>15} {'ratio':>6}")
        for size in args.sizes:
            path = os.path.join(folder, f"bench-{size}.yaml")
            with open(path, "w") as stream:
                stream.write(generate_spec(size))
            baseline = process_seconds([sys.executable, "-c", LIBYAML_ALONE, path], args.repeat)
            check = process_seconds(archlint + [path], args.repeat)
            totals[size] = check
            megabytes = os.path.getsize(path) / 1e6
            print(f"{size:>10} {megabytes:>8.1f} {baseline:>13.3f}s {check:>14.3f}s {check / baseline:>6.2f}")
        if 10000 in totals and 100000 in totals:
            print(f"100k / 10k: {totals[100000] / totals[10000]:.2f} (budget 12)")
        for size in args.sizes:
            path = os.path.join(folder, f"bench-{size}.yaml")
            print(f"\nin-process, {size} resources:")
            for step, seconds in in_process_breakdown(path).items():
                print(f"  {step:<12} {seconds * 1000:9.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
