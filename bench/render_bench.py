"""How much time `archlint render` adds to Graphviz: `python bench/render_bench.py [N]`.

Generates a spec of N resources (default 500): a VPC with subnets in three AZs holding
instances and Auto Scaling groups, and a serverless part of queues with DLQs, topics,
functions and buckets wired by flows. It then times, for SVG and PNG:

- ours:     the whole `archlint render` as a process (Python start, load, lint,
            scene, DOT through diagrams, dot, icon embedding, atomic write)
- dot:      Graphviz's `dot` alone on the DOT we produced, also as a process

and prints both, best of a few runs. The aim (issue 4) is little more than dot itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time

AZS = ("us-east-1a", "us-east-1b", "us-east-1c")


def generate_spec(count: int) -> str:
    """A valid spec of exactly `count` resources, deterministic for a given count."""
    lines = ["archlint: 1", "name: bench", "resources:", "  users:", "    type: external", "    kind: users",
             "  net:", "    type: vpc", "    cidr: 10.0.0.0/16", "  app-sg:", "    type: security_group",
             "    vpc: net"]
    flows = []
    made = 3
    subnets = []
    for index, az in enumerate(AZS):
        name = f"sub-{index}"
        subnets.append(name)
        lines += [f"  {name}:", "    type: subnet", "    vpc: net", f"    az: {az}", f"    cidr: 10.0.{index}.0/24"]
        made += 1
    group = 0
    while made < count:
        remaining = count - made
        if group % 4 == 0 and remaining >= 1:
            name = f"web-{group}"
            lines += [f"  {name}:", "    type: ec2.instance", f"    subnet: {subnets[group % 3]}",
                      "    security_groups: [app-sg]"]
            flows.append(f"users -> {name}")
            made += 1
        elif remaining >= 4:
            queue, dlq, function, topic = f"q-{group}", f"dlq-{group}", f"fn-{group}", f"topic-{group}"
            lines += [f"  {queue}:", "    type: sqs.queue", f"    dead_letter: {dlq}", "    visibility_timeout: 60",
                      f"  {dlq}:", "    type: sqs.queue",
                      f"  {function}:", "    type: lambda.function", "    timeout: 10",
                      f"  {topic}:", "    type: sns.topic"]
            flows += [f"{topic} -> {queue} -> {function}", f"users -> {topic}"]
            made += 4
        else:
            name = f"bucket-{group}"
            lines += [f"  {name}:", "    type: s3.bucket"]
            made += 1
        group += 1
    lines.append("flows:")
    lines += [f"  - {flow}" for flow in flows]
    return "\n".join(lines) + "\n"


def best_of(runs: int, command: list[str]) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, check=False)
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode()[-2000:]}")
        best = min(best, elapsed)
    return best


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    runs = 3
    archlint = shutil.which("archlint") or os.path.join(os.path.dirname(sys.executable), "archlint")
    from archlint.render.icon_map import icon_dirs

    imagepath = f"-Gimagepath={os.pathsep.join(icon_dirs())}"
    with tempfile.TemporaryDirectory() as folder:
        spec = os.path.join(folder, "bench.yaml")
        with open(spec, "w", encoding="utf-8") as stream:
            stream.write(generate_spec(count))
        dot_file = os.path.join(folder, "bench.dot")
        subprocess.run([archlint, "render", spec, "-o", dot_file], check=True)
        print(f"{count} resources; best of {runs} runs, seconds")
        print(f"{'format':8} {'archlint render':>16} {'dot alone':>10} {'overhead':>9}")
        for output_format, extra in (("svg", []), ("png", ["-Gdpi=110"])):
            ours = best_of(runs, [archlint, "render", spec, "-o", os.path.join(folder, f"out.{output_format}")])
            dot = best_of(runs, ["dot", f"-T{output_format}", imagepath, *extra, dot_file,
                                 "-o", os.path.join(folder, f"dot.{output_format}")])
            print(f"{output_format:8} {ours:16.2f} {dot:10.2f} {ours - dot:+9.2f}")
        for output_format in ("dot", "mmd"):
            ours = best_of(runs, [archlint, "render", spec, "-o", os.path.join(folder, f"text.{output_format}")])
            print(f"{output_format:8} {ours:16.2f} {'-':>10} {'':>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
