"""`archlint render` as a user runs it: a process, real files, exit codes."""

from __future__ import annotations

import os
import subprocess

import pytest
from archlint.linter.commands import COMMANDS
from cli_runner import run_cli

from .conftest import NETWORK_SPEC

pytestmark = pytest.mark.skipif(
    "render" not in COMMANDS,
    reason="waiting for the lead to add 'render' to linter/commands/__init__.py COMMANDS",
)

FLAWED = """\
archlint: 1
name: flawed
resources:
  jobs:
    type: sqs.queue
  worker:
    type: lambda.function
flows:
  - jobs -> worker
"""


def archlint(*args, cwd=None) -> subprocess.CompletedProcess:
    return run_cli(*args, cwd=cwd)


@pytest.fixture
def spec(tmp_path):
    path = tmp_path / "shop.yaml"
    path.write_text(NETWORK_SPEC)
    return path


@pytest.mark.parametrize("extension", [".png", ".svg", ".pdf", ".dot", ".mmd"])
def test_writes_the_format_its_extension_names(spec, tmp_path, extension):
    out = tmp_path / f"shop{extension}"
    done = archlint("render", str(spec), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 100
    assert done.stderr == ""
    assert not [name for name in os.listdir(tmp_path) if name.startswith(".archlint-")]


def test_findings_are_marked_by_default_and_not_with_no_findings(tmp_path):
    spec = tmp_path / "flawed.yaml"
    spec.write_text(FLAWED)
    marked = archlint("render", str(spec), "-o", "-", "--format", "dot")
    plain = archlint("render", str(spec), "-o", "-", "--format", "dot", "--no-findings")
    assert marked.returncode == plain.returncode == 0  # findings do not fail a render
    assert "DLQ001" in marked.stdout and "tooltip" in marked.stdout
    assert "DLQ001" not in plain.stdout and "tooltip" not in plain.stdout


def test_same_spec_same_bytes_across_processes(spec, tmp_path):
    for extension in (".dot", ".mmd"):
        first, second = tmp_path / f"1{extension}", tmp_path / f"2{extension}"
        assert archlint("render", str(spec), "-o", str(first)).returncode == 0
        assert archlint("render", str(spec), "-o", str(second)).returncode == 0
        assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("output_format", ["dot", "mmd", "svg"])
def test_dash_writes_text_formats_to_stdout(spec, output_format):
    done = archlint("render", str(spec), "-o", "-", "--format", output_format)
    assert done.returncode == 0, done.stderr
    assert {"dot": "digraph", "mmd": "flowchart LR", "svg": "<svg"}[output_format] in done.stdout


@pytest.mark.parametrize("options", [[], ["--format", "png"], ["--format", "pdf"]])
def test_dash_without_a_text_format_is_refused(spec, options):
    done = archlint("render", str(spec), "-o", "-", *options)
    assert done.returncode == 2
    assert "--format" in done.stderr and done.stdout == ""
    assert "Traceback" not in done.stderr


def test_format_option_wins_over_the_extension(spec, tmp_path):
    out = tmp_path / "diagram.txt"
    assert archlint("render", str(spec), "-o", str(out), "--format", "mmd").returncode == 0
    assert out.read_text().splitlines()[1] == "flowchart LR"


def test_unknown_extension_is_refused(spec, tmp_path):
    done = archlint("render", str(spec), "-o", str(tmp_path / "diagram.gif"))
    assert done.returncode == 2 and "cannot tell the format" in done.stderr
    assert not (tmp_path / "diagram.gif").exists()


def test_direction_tb(spec):
    done = archlint("render", str(spec), "-o", "-", "--format", "mmd", "--direction", "TB")
    assert done.returncode == 0 and "flowchart TB" in done.stdout


def test_bad_spec_exits_2_with_position_and_keeps_the_old_file(tmp_path):
    spec = tmp_path / "bad.yaml"
    spec.write_text("archlint: 1\nname: bad\nresources:\n  q:\n    type: sqs.queue\n    fifoo: true\n")
    out = tmp_path / "bad.png"
    out.write_bytes(b"the user's old picture")
    done = archlint("render", str(spec), "-o", str(out))
    assert done.returncode == 2
    assert f"{spec}:6:5:" in done.stderr and "Traceback" not in done.stderr
    assert out.read_bytes() == b"the user's old picture"


def test_missing_spec_and_unwritable_output_exit_2(spec, tmp_path):
    missing = archlint("render", str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "x.png"))
    assert missing.returncode == 2 and "nope.yaml" in missing.stderr
    unwritable = archlint("render", str(spec), "-o", str(tmp_path / "no-such-folder" / "x.png"))
    assert unwritable.returncode == 2 and "cannot write" in unwritable.stderr
    assert "Traceback" not in missing.stderr + unwritable.stderr
