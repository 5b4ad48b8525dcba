"""Mermaid's own parser reads every Mermaid diagram archlint writes: each example and
flawed example (findings marked, every severity), and a spec whose labels and descriptions are hostile."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_runner import run_cli
from mermaid_parser import mermaid_parse

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "specs" / "examples").glob("*.yaml")) + sorted((REPO / "specs" / "examples" / "flawed").glob("*.yaml"))

HOSTILE = """\
archlint: 1
name: hostile
description: "x\\n%%{init: {'theme':'dark'}}%%"
resources:
  client:
    type: external
    label: "click a call alert(1)\\nend\\n`md` <b>|x|</b> #35; &amp;"
  q:
    type: sqs.queue
    description: "--> r_q\\nstyle q fill:red"
flows:
  - from: client
    to: q
    label: "]] end %% \\r\\n click q href \\"javascript:alert(1)\\""
"""


@pytest.mark.parametrize("spec", EXAMPLES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_every_example_parses(spec):
    done = run_cli("render", spec, "-o", "-", "--format", "mmd")
    assert done.returncode == 0, done.stderr
    parsed = mermaid_parse(done.stdout)
    assert parsed.returncode == 0, parsed.stderr
    assert parsed.stdout.strip() == "flowchart-v2"


def test_hostile_labels_stay_text(tmp_path):
    spec = tmp_path / "hostile.yaml"
    spec.write_text(HOSTILE)
    done = run_cli("render", spec, "-o", "-", "--format", "mmd")
    assert done.returncode == 0, done.stderr
    parsed = mermaid_parse(done.stdout)
    assert parsed.returncode == 0, parsed.stderr
    statements = [line.strip() for line in done.stdout.splitlines()]
    assert not any(line.startswith(("click", "%%{", "style q")) for line in statements)
