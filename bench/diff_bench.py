"""How fast is `archlint diff`? For specs of 1k and 10k resources (bench.py's
generator) and a one-resource change (a queue without a dead-letter queue added to
one topic), prints whole-process times of `archlint check NEW` next to `archlint diff
OLD NEW` in text, in Markdown (with its Mermaid diagram of the change) and with an
SVG picture of the change limited by --context 1.

    python bench/diff_bench.py
    python bench/diff_bench.py --sizes 1000 --repeat 5

diff loads and lints both versions, so about twice check is the expected cost; the
Markdown and the --context picture only draw the change, so they should stay near it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import generate_spec, process_seconds  # noqa: E402 - bench.py beside this file


def changed(spec: str) -> str:
    """The spec with one queue added, subscribed to topic-0 and consumed by worker-0."""
    head, flows = spec.split("flows:\n")
    head += "  audit-queue:\n    type: sqs.queue\n"
    flows += "  - topic-0 -> audit-queue -> worker-0\n"
    return head + "flows:\n" + flows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=lambda text: [int(part) for part in text.split(",")], default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    archlint = shutil.which("archlint") or os.path.join(os.path.dirname(sys.executable), "archlint")
    print(f"{'resources':>9}  {'check NEW':>9}  {'diff text':>9}  {'diff markdown':>13}  {'diff -o svg --context 1':>23}")
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            old, new = os.path.join(folder, "old.yaml"), os.path.join(folder, "new.yaml")
            spec = generate_spec(size)
            with open(old, "w", encoding="utf-8") as stream:
                stream.write(spec)
            with open(new, "w", encoding="utf-8") as stream:
                stream.write(changed(spec))
            svg = os.path.join(folder, "change.svg")
            times = [
                process_seconds([archlint, "check", new], args.repeat),
                process_seconds([archlint, "diff", old, new], args.repeat),
                process_seconds([archlint, "diff", "--format", "markdown", old, new], args.repeat),
                process_seconds([archlint, "diff", old, new, "-o", svg, "--context", "1"], args.repeat),
            ]
            print(f"{size:>9}  {times[0]:>8.2f}s  {times[1]:>8.2f}s  {times[2]:>12.2f}s  {times[3]:>22.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
