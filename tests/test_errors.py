"""One error model: exit 1 means findings and nothing else. An error nobody planned
for ends with exit 2 and one plain line (what failed, the version, `--debug` for the
traceback), in every command."""

from __future__ import annotations

import os
import textwrap

import pytest
from cli_runner import run_cli, run_process

from archlint.linter import commands
from archlint.linter.version import VERSION

SPEC = textwrap.dedent("""\
    archlint: 1
    name: shop
    resources:
      jobs: {type: sqs.queue}
""")

TEMPLATE = textwrap.dedent("""\
    AWSTemplateFormatVersion: "2010-09-09"
    Resources:
      Jobs:
        Type: AWS::SQS::Queue
""")


def _break(monkeypatch, command: str) -> None:
    module = __import__(f"archlint.linter.commands.{commands.COMMANDS[command][0]}", fromlist=["run"])

    def run(args):
        raise RuntimeError("the disk caught fire")

    monkeypatch.setattr(module, "run", run)


def _arguments(command: str, folder) -> list[str]:
    """A command line each command accepts."""
    spec = folder / "shop.yaml"
    spec.write_text(SPEC)
    return {
        "check": [str(spec)],
        "render": [str(spec), "-o", str(folder / "shop.svg")],
        "emit": [str(spec), "-o", str(folder / "shop.cfn.yaml")],
        "import": [str(spec), "-o", str(folder / "imported.yaml")],
        "explain": ["DLQ001"],
        "diff": [str(spec), str(spec)],
    }.get(command, [])


@pytest.mark.parametrize("command", sorted(commands.COMMANDS))
def test_an_unexpected_error_is_exit_2_and_one_line(monkeypatch, tmp_path, command):
    _break(monkeypatch, command)
    done = run_cli(command, *_arguments(command, tmp_path))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "internal error: RuntimeError: the disk caught fire" in lines[0]
    assert f"archlint {VERSION}" in lines[0] and "--debug" in lines[0]
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_shows_the_traceback(monkeypatch, tmp_path, where):
    _break(monkeypatch, "check")
    spec = tmp_path / "shop.yaml"
    spec.write_text(SPEC)
    argv = ["--debug", "check", str(spec)] if where == "before" else ["check", str(spec), "--debug"]
    done = run_cli(*argv)
    assert done.returncode == 2
    assert "Traceback (most recent call last)" in done.stderr
    assert "RuntimeError: the disk caught fire" in done.stderr


def test_a_dependency_that_fails_to_import_is_exit_2_not_findings(tmp_path):
    """The case a fresh install met: a template read without a working cfn-lint gave a
    ModuleNotFoundError traceback and exit 1, which CI reads as findings."""
    broken = tmp_path / "broken-site"
    (broken / "cfnlint").mkdir(parents=True)
    (broken / "cfnlint" / "__init__.py").write_text("raise ImportError('cfnlint is broken here')\n")
    template = tmp_path / "template.yaml"
    template.write_text(TEMPLATE)
    env = dict(os.environ, PYTHONPATH=str(broken))
    done = run_process("check", str(template), env=env)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert "ImportError: cfnlint is broken here" in done.stderr
