"""How fast is `archlint check` on the specs that cost it most? Beside bench.py's
realistic generator, this one writes worst cases: a spec whose every unit trips every
rule (each rule's own bad example, copied with renamed ids), and shapes that stress
one rule family each. For each shape and size it prints whole-process times of
`archlint check` next to a bare libyaml parse of the same file, and the in-process
time of each rule family.

    python bench/worst.py                               # every shape at 10k and 100k resources
    python bench/worst.py --shapes dlq,rules --sizes 10000 --repeat 3
    python bench/worst.py --write out/worst             # keep the generated specs

`entries` counts security group and network ACL rules: the `rules` shape's size is
in them (10k entries in a few resources). The budget (issue 11): on every shape, at
10k and at 100k resources (entries), `archlint check` costs at most 1.5x parsing the
same file with libyaml alone, whole process against whole process. Times are the
best of `--repeat` runs: the machine may be shared.
"""

from __future__ import annotations

import argparse
import copy
import gc
import ipaddress
import os
import subprocess
import sys
import tempfile
import time
from typing import Callable

import yaml

# the baseline: what parsing the file with libyaml costs, process start included
LIBYAML_ALONE = "import sys, yaml; yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader)"
BUDGET = 1.5


def _head(name: str) -> list[str]:
    return ["archlint: 1", f"name: {name}", "resources:"]


def _cidr_block(index: int, prefix: int, base: str = "10.0.0.0/8") -> str:
    """The index-th network of length `prefix` inside `base`."""
    network = ipaddress.ip_network(base)
    size = 2 ** (network.max_prefixlen - prefix)
    return f"{ipaddress.ip_address(int(network.network_address) + index * size)}/{prefix}"


# ---------------------------------------------------------------------------------
# every rule at once: each rule's bad example, copied once per unit with renamed ids


def _bad_examples() -> list[dict]:
    from archlint.linter.registry import all_rules

    examples = []
    for rule in all_rules():
        if rule.bad_example:
            examples.append(yaml.safe_load(rule.bad_example))
    return examples


def _renamed_resource(body: dict, names: dict[str, str]) -> dict:
    """A copy of a resource with the ids its references name renamed (and nothing else:
    an attribute value may equal an id, as `kind: datacenter` on `datacenter`)."""
    from archlint.specs import types as T

    attributes = T.attributes_of(body["type"])
    renamed = copy.deepcopy(body)  # shared objects would be written as YAML anchors and aliases
    for name, value in body.items():
        kind = attributes[name].kind if name in attributes else None
        if kind == T.REF:
            renamed[name] = names.get(value, value)
        elif kind == T.REF_LIST:
            renamed[name] = [names.get(item, item) for item in value]
        elif kind in (T.SG_RULES, T.LIFECYCLE_HOOKS):
            field = "group" if kind == T.SG_RULES else "target"
            renamed[name] = [{**item, field: names[item[field]]} if field in item else dict(item) for item in value]
    return renamed


def _renamed_flow(flow, names: dict[str, str]):
    if isinstance(flow, str):
        return " -> ".join(names[part.strip()] for part in flow.split("->"))
    ends = {key: ([names[item] for item in value] if isinstance(value, list) else names[value])
            for key, value in flow.items() if key in ("from", "to")}
    return {**flow, **ends}


def every_rule(resources: int) -> str:
    """Units of every rule's bad example, renamed apart, until about `resources` resources."""
    examples = _bad_examples()
    per_unit = sum(len(example["resources"]) for example in examples)
    spec: dict = {"archlint": 1, "name": "worst-every-rule", "resources": {}, "flows": []}
    for unit in range(max(1, resources // per_unit)):
        for number, example in enumerate(examples):
            names = {name: f"{name}-{number}-{unit}" for name in example["resources"]}
            for name, body in example["resources"].items():
                spec["resources"][names[name]] = _renamed_resource(body, names)
            spec["flows"].extend(_renamed_flow(flow, names) for flow in example.get("flows") or [])
    return yaml.dump(spec, Dumper=yaml.CSafeDumper, sort_keys=False, width=1000)


# ---------------------------------------------------------------------------------
# one family each


def queues_without_dlq(resources: int) -> str:
    """DLQ, SQS: many queues with no dead-letter queue, each polled by a function that
    is also invoked asynchronously, and one unknown-free redrive cycle per ten."""
    lines = _head("worst-dlq")
    flows = []
    for i in range(resources // 3):
        lines += [f"  q{i}:", "    type: sqs.queue", "    visibility_timeout: 10",
                  f"  f{i}:", "    type: lambda.function", "    timeout: 30", f"    dead_letter: q{i}",
                  f"  t{i}:", "    type: sns.topic"]
        flows += [f"  - q{i} -> f{i}", f"  - t{i} -> f{i}"]
    return "\n".join(lines + ["flows:"] + flows) + "\n"


def flow_chains_and_cycles(resources: int) -> str:
    """LOOP: one long chain of functions invoking each other that closes into a cycle,
    many small cycles, and one bucket written and notified with thousands of filters
    (a prefix on every write, a suffix on every notification: every pair can match)."""
    lines = _head("worst-loops")
    flows = []
    chain = resources // 3
    for i in range(chain):
        lines += [f"  c{i}:", "    type: lambda.function", "    on_failure: failures"]
        flows.append(f"  - c{i} -> c{(i + 1) % chain}")
    small = resources // 3 // 2
    for i in range(small):
        lines += [f"  a{i}:", "    type: lambda.function", "    on_failure: failures",
                  f"  b{i}:", "    type: lambda.function", "    on_failure: failures"]
        flows += [f"  - a{i} -> b{i} -> a{i}"]
    lines += ["  failures:", "    type: sqs.queue", "  shared:", "    type: s3.bucket"]
    for i in range(resources - chain - 2 * small - 2):
        lines += [f"  w{i}:", "    type: lambda.function", "    on_failure: failures"]
        flows += [f"  - {{from: w{i}, to: shared, prefix: out{i}/}}",
                  f"  - {{from: shared, to: w{i}, suffix: .in{i}}}"]
    return "\n".join(lines + ["flows:"] + flows) + "\n"


def subnets_and_cidrs(resources: int) -> str:
    """Subnets, CIDRs, AZs, ACL membership: many subnets in one VPC, an instance in
    each, ACLs and ALBs over them (the loader's CIDR checks, NACL002)."""
    lines = _head("worst-subnets") + ["  vpc:", "    type: vpc", "    cidr: 10.0.0.0/8"]
    flows = []
    units = resources // 4
    for i in range(units):
        lines += [f"  s{i}:", "    type: subnet", "    vpc: vpc", f"    az: us-east-1{'abc'[i % 3]}",
                  f"    cidr: {_cidr_block(i, 28)}",
                  f"  i{i}:", "    type: ec2.instance", f"    subnet: s{i}",
                  f"  acl{i}:", "    type: network_acl", "    vpc: vpc", f"    subnets: [s{i}]", "    rules:",
                  "      - {number: 100, direction: ingress, action: deny, cidr: 198.51.100.0/24}"]
    albs = resources - 3 * units - 1
    for i in range(albs):
        # every ALB in the two first subnets, routing to instances elsewhere
        lines += [f"  lb{i}:", "    type: alb", "    subnets: [s0, s1]"]
        flows.append(f"  - lb{i} -> i{(i % (units - 2)) + 2}")
    return "\n".join(lines + ["flows:"] + flows) + "\n"


def acl_and_sg_rules(resources: int) -> str:
    """NACL, SG: `resources` rule entries, in ACLs and security groups of 2,500 rules each; allow
    rules with narrow ports before deny rules they never cover (the pair-by-pair
    worst case), denies in security groups."""
    lines = _head("worst-rules") + ["  vpc:", "    type: vpc", "    cidr: 10.0.0.0/8"]
    rules_per_list = 2500
    lists = max(1, resources // (2 * rules_per_list))
    for i in range(lists):
        lines += [f"  acl{i}:", "    type: network_acl", "    vpc: vpc", "    rules:"]
        for r in range(rules_per_list // 2):
            lines.append(f"      - {{number: {r + 1}, direction: ingress, action: allow, protocol: tcp, "
                         f"ports: {r}, cidr: 0.0.0.0/0}}")
            lines.append(f"      - {{number: {r + 2000}, direction: ingress, action: deny, protocol: tcp, "
                         f"ports: {r + 1}-{r + 2}, cidr: {_cidr_block(r, 32, '203.0.0.0/8')}}}")
        lines += [f"  sg{i}:", "    type: security_group", "    vpc: vpc", "    rules:"]
        for r in range(rules_per_list):
            action = "deny" if r % 2 else "allow"
            lines.append(f"      - {{action: {action}, protocol: tcp, ports: {r}, cidr: {_cidr_block(r, 32)}}}")
    return "\n".join(lines) + "\n"


def volumes_instances_eips(resources: int) -> str:
    """EBS, HA: volumes in the wrong AZ listed by many instances, standby pairs across
    AZs, Auto Scaling groups across AZs listing volumes, Elastic IPs without recovery."""
    lines = _head("worst-ebs") + ["  vpc:", "    type: vpc", "    cidr: 10.0.0.0/16",
                                  "  sa:", "    type: subnet", "    vpc: vpc", "    az: us-east-1a", "    cidr: 10.0.0.0/24",
                                  "  sb:", "    type: subnet", "    vpc: vpc", "    az: us-east-1b", "    cidr: 10.0.1.0/24",
                                  "  primary:", "    type: ec2.instance", "    subnet: sa"]
    units = (resources - 7) // 4
    volumes = [f"v{i}" for i in range(units)]
    for i in range(units):
        lines += [f"  v{i}:", "    type: ebs.volume", "    az: us-east-1b",
                  f"  h{i}:", "    type: ec2.instance", "    subnet: sa", f"    standby_for: primary", f"    volumes: [v{i}]",
                  f"  e{i}:", "    type: ec2.eip", f"    instance: h{i}",
                  f"  g{i}:", "    type: autoscaling.group", "    subnets: [sa, sb]", f"    volumes: [v{i}]"]
    # the primary lists every volume: each volume's pair check meets the same instance
    lines.insert(lines.index("  primary:") + 3, f"    volumes: [{', '.join(volumes)}]")
    return "\n".join(lines) + "\n"


def hpc_clusters(resources: int) -> str:
    """HPC: a cluster placement group with thousands of members across AZs and subnets,
    EFA on Windows, legacy networking, all sharing one security group with many rules."""
    lines = _head("worst-hpc") + ["  vpc:", "    type: vpc", "    cidr: 10.0.0.0/8",
                                  "  pg:", "    type: placement_group", "    strategy: cluster",
                                  "  sg:", "    type: security_group", "    vpc: vpc", "    rules:"]
    lines += [f"      - {{protocol: tcp, ports: {r}, cidr: 10.0.0.0/8}}" for r in range(1000)]
    subnets = 100
    for i in range(subnets):
        lines += [f"  s{i}:", "    type: subnet", "    vpc: vpc", f"    az: us-east-1{'abc'[i % 3]}",
                  f"    cidr: {_cidr_block(i, 24)}"]
    for i in range(resources - subnets - 3):
        networking = ("efa", "ena", "intel-82599")[i % 3]
        lines += [f"  n{i}:", "    type: ec2.instance", f"    subnet: s{i % subnets}", "    placement_group: pg",
                  f"    networking: {networking}", f"    os: {'windows' if i % 2 else 'linux'}",
                  "    security_groups: [sg]"]
    return "\n".join(lines) + "\n"


def bucket_notifications(resources: int) -> str:
    """FAN: buckets with a thousand notifications each, on disjoint prefixes (every pair
    must be told apart), and a sender that sends to each of the first bucket's queues."""
    lines = _head("worst-fanout")
    flows = []
    per_bucket = 1000
    for b in range(max(1, resources // (per_bucket + 1))):
        lines += [f"  bucket{b}:", "    type: s3.bucket"]
        for i in range(per_bucket):
            lines += [f"  q{b}-{i}:", "    type: sqs.queue"]
            flows.append(f"  - {{from: bucket{b}, to: q{b}-{i}, prefix: in/{i}/}}")
    lines += ["  sender:", "    type: external"]
    flows += [f"  - sender -> q0-{i}" for i in range(per_bucket)]
    return "\n".join(lines + ["flows:"] + flows) + "\n"


SHAPES: dict[str, Callable[[int], str]] = {
    "every-rule": every_rule,
    "dlq": queues_without_dlq,
    "loops": flow_chains_and_cycles,
    "subnets": subnets_and_cidrs,
    "rules": acl_and_sg_rules,
    "ebs": volumes_instances_eips,
    "hpc": hpc_clusters,
    "fanout": bucket_notifications,
}


# ---------------------------------------------------------------------------------
# measuring


def process_environment(scratch: str) -> dict[str, str]:
    """The environment both processes run in: with compiled bytecode cached (in
    `scratch`), as an installed package has it. Without it (PYTHONDONTWRITEBYTECODE)
    every run compiles archlint's modules again, about 0.3 s (measured)."""
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    environment["PYTHONPYCACHEPREFIX"] = os.path.join(scratch, "pycache")
    return environment


def best_process_seconds(command: list[str], repeat: int, environment: dict[str, str]) -> tuple[float, int]:
    """(best wall time, exit status) of a whole process, start-up and imports included."""
    best, status = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        status = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
                                env=environment).returncode
        best = min(best, time.perf_counter() - start)
    return best, status


def family_milliseconds(path: str) -> tuple[int, int, dict[str, float]]:
    """(resources, security group and ACL rule entries, family -> ms): each rule
    family's in-process time on the file."""
    from archlint.linter.registry import all_rules, known_selector
    from archlint.specs import load_text

    with open(path, "rb") as stream:
        graph = load_text(stream.read(), path, rule_known=known_selector)
    gc.disable()  # as the command line runs (linter/cli.py)
    families: dict[str, float] = {}
    for rule in all_rules():
        begin = time.perf_counter()
        list(rule.check(graph))
        families[rule.family] = families.get(rule.family, 0.0) + (time.perf_counter() - begin) * 1000
    gc.enable()
    entries = sum(len(data.get("rules") or ()) for _, data in graph.nodes(data=True))
    return graph.number_of_nodes(), entries, families


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shapes", type=lambda text: text.split(","), default=list(SHAPES))
    parser.add_argument("--sizes", type=lambda text: [int(part) for part in text.split(",")], default=[10000, 100000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write", metavar="FOLDER", help="keep the generated specs in FOLDER")
    args = parser.parse_args()
    unknown = [shape for shape in args.shapes if shape not in SHAPES]
    if unknown:
        parser.error(f"unknown shape {', '.join(unknown)}; the shapes: {', '.join(SHAPES)}")
    archlint = [sys.executable, "-m", "archlint.linter.cli", "check"]
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} on {os.cpu_count()} cores;"
          f" best of {args.repeat}")
    print(f"{'shape':<11} {'resources':>9} {'entries':>7} {'MB':>6} {'libyaml s':>9} {'check s':>8} {'ratio':>6}"
          "  per-family ms (in-process)")
    failed = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.write or scratch
        os.makedirs(folder, exist_ok=True)
        environment = process_environment(scratch)
        subprocess.run(archlint[:3] + ["rules"], stdout=subprocess.DEVNULL, env=environment, check=True)  # compile once
        tiny = os.path.join(scratch, "tiny.yaml")
        with open(tiny, "w") as stream:
            stream.write("archlint: 1\nname: tiny\nresources:\n  q: {type: sqs.queue}\n")
        start_up, _ = best_process_seconds(archlint + [tiny], args.repeat, environment)
        bare, _ = best_process_seconds([sys.executable, "-c", LIBYAML_ALONE, tiny], args.repeat, environment)
        print(f"start-up (a one-resource spec): archlint check {start_up:.2f} s, libyaml alone {bare:.2f} s")
        for size in args.sizes:
            for shape in args.shapes:
                path = os.path.join(folder, f"worst-{shape}-{size}.yaml")
                with open(path, "w") as stream:
                    stream.write(SHAPES[shape](size))
                baseline, _ = best_process_seconds([sys.executable, "-c", LIBYAML_ALONE, path], args.repeat, environment)
                check, status = best_process_seconds(archlint + [path], args.repeat, environment)
                if status not in (0, 1):  # 2: the spec did not load, and the time says nothing
                    raise SystemExit(f"archlint check {path} exited with {status}: the generated spec is broken")
                resources, entries, families = family_milliseconds(path)
                ratio = check / baseline
                if ratio > BUDGET:
                    failed.append(f"{shape} at {size}")
                slowest = sorted(families.items(), key=lambda item: -item[1])
                shown = " ".join(f"{family}={ms:.0f}" for family, ms in slowest)
                megabytes = os.path.getsize(path) / 1e6
                print(f"{shape:<11} {resources:>9} {entries:>7} {megabytes:>6.1f} {baseline:>9.2f} {check:>8.2f} {ratio:>6.2f}  {shown}",
                      flush=True)
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    print(f"over the {BUDGET}x budget: {', '.join(failed)}" if failed else f"every shape within {BUDGET}x")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
