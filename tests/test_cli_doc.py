"""docs/cli.md keeps up with the command line: every subcommand and every option the
argparse parser defines, every choice an option offers, every key the configuration
reader accepts and every key of the JSON report appears on the page. The lists come
from the parser, the configuration module and a real report, never from this file."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from archlint.linter import cli
from archlint.linter.config import KEYS

REPO = Path(__file__).resolve().parents[1]
PAGE = REPO / "docs" / "cli.md"
HELP_OPTIONS = {"-h", "--help"}


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The subcommands an argparse parser defines: name -> its parser."""
    found = {}
    for action in parser._actions:  # argparse offers no public way to list them
        if isinstance(action.choices, dict):
            found.update({name: sub for name, sub in action.choices.items()
                          if isinstance(sub, argparse.ArgumentParser)})
    return found


def _commands() -> dict[tuple[str, ...], argparse.ArgumentParser]:
    """Every command path (("check",), or ("baseline", "create") for a nested one) and
    its parser, fully built. `cli.build_parser(name)` adds only that command's
    arguments, so each top-level command is built on its own."""
    commands = {}

    def walk(path: tuple[str, ...], parser: argparse.ArgumentParser) -> None:
        commands[path] = parser
        for name, sub in _subparsers(parser).items():
            walk(path + (name,), sub)

    for name in _subparsers(cli.build_parser()):
        walk((name,), _subparsers(cli.build_parser(name))[name])
    return commands


COMMANDS = _commands()


@pytest.fixture(scope="module")
def page() -> str:
    return PAGE.read_text(encoding="utf-8")


def _section(page: str, command: str) -> str:
    """The `## archlint COMMAND` section (nested commands live in their parent's)."""
    match = re.search(rf"^## archlint {re.escape(command)}\n(.*?)(?=^## |\Z)", page, re.M | re.S)
    assert match, f"docs/cli.md has no '## archlint {command}' section"
    return match.group(1)


def test_the_parser_walk_finds_the_known_commands():
    # guards the walk: an empty result would make every test below pass vacuously
    assert {("check",), ("render",), ("emit",), ("import",), ("rules",), ("explain",), ("schema",)} <= set(COMMANDS)
    assert any(action.option_strings == ["--format"] for action in COMMANDS[("check",)]._actions)


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=" ".join)
def test_every_command_is_documented(page, path):
    assert f"archlint {' '.join(path)}" in page, f"`archlint {' '.join(path)}` is not in docs/cli.md"
    _section(page, path[0])


# options every command takes (`--debug`), documented once at the top of the page
GLOBAL_OPTIONS = {name for action in cli.build_parser()._actions for name in action.option_strings}


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=" ".join)
def test_every_option_and_choice_is_documented(page, path):
    section = _section(page, path[0])
    missing = []
    for action in COMMANDS[path]._actions:
        if set(action.option_strings) & GLOBAL_OPTIONS:
            continue
        if isinstance(action.choices, dict):
            continue  # nested subcommands: their own case
        names = [name for name in action.option_strings if name not in HELP_OPTIONS]
        if not action.option_strings:
            names = [action.metavar or action.dest.upper()]
        elif not names:
            continue
        missing += [name for name in names if f"`{name}" not in section]
        missing += [f"{names[0]} {choice}" for choice in action.choices or ()
                    if f"`{choice}`" not in section]
    assert not missing, f"docs/cli.md's `archlint {' '.join(path)}` section lacks {missing}"


def test_top_level_options_are_documented(page):
    for action in cli.build_parser()._actions:
        for name in action.option_strings:
            if name not in HELP_OPTIONS:
                assert f"archlint {name}" in page


def test_every_configuration_key_is_documented(page):
    table = _section(page, "check").split("### Configuration", 1)[1]
    for key in KEYS:
        assert f"| `{key}` |" in table, f"configuration key {key} is not in docs/cli.md's table"


def test_every_key_of_the_json_report_is_documented(page, tmp_path):
    """Keys read off a real report, with --show-ignored and an input problem, so the
    optional parts are there too."""
    (tmp_path / "spec.yaml").write_text(
        "archlint: 1\nname: orders\nresources:\n"
        "  orders-queue:\n    type: sqs.queue\n    ignore: {DLQ001: replayed from the source}\n"
        "  orders-fn: {type: lambda.function}\n  alerts: {type: sns.topic}\n"
        "  notify-fn: {type: lambda.function}\n"
        "flows:\n  - orders-queue -> orders-fn\n  - alerts -> notify-fn\n"
    )
    (tmp_path / "broken.yaml").write_text("archlint: 1\nname: broken\nresources: {}\n")
    result = subprocess.run(
        [sys.executable, "-m", "archlint.linter.cli", "check", "--format", "json", "--show-ignored", "."],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )
    assert result.returncode == 2, result.stderr
    report = json.loads(result.stdout)
    assert report["findings"] and report["errors"] and report["ignored"]
    keys = set(report) | set(report["summary"]) | set(report["errors"][0])
    keys |= set(report["findings"][0]) | set(report["ignored"][0])
    json_section = _section(page, "check").split("**json**", 1)[1].split("**sarif**", 1)[0]
    assert not {key for key in keys if f"`{key}`" not in json_section}
