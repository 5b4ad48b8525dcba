"""`check`, `render` (the findings it marks) and `emit` (the errors that stop it)
read the same configuration and the same --select/--ignore: a team that decided a
finding does not apply must not see `check` pass and `emit` refuse."""

from __future__ import annotations

import pytest

from .conftest import archlint, write

# DLQ001 (error) on `jobs` and nothing else
NO_DLQ = """\
    archlint: 1
    name: orders
    resources:
      jobs: {type: sqs.queue, visibility_timeout: 60}
      worker: {type: lambda.function, timeout: 10}
    flows:
      - jobs -> worker
    """

CONFIGURATIONS = {
    "pyproject ignore": ("pyproject.toml", '[tool.archlint]\nignore = ["DLQ001"]\n'),
    "yaml ignore": (".archlint.yaml", "ignore: [DLQ]\n"),
    "pyproject select": ("pyproject.toml", '[tool.archlint]\nselect = ["SQS", "FAN"]\n'),
    "severity": ("pyproject.toml", '[tool.archlint]\nseverity = {DLQ001 = "warning"}\n'),
    "per-path": ("pyproject.toml", '[tool.archlint]\nper-path-ignores = {"specs/*" = ["DLQ001"]}\n'),
}


def _project(tmp_path, configuration: str | None):
    write(tmp_path, "specs/orders.yaml", NO_DLQ)
    if configuration:
        name, text = CONFIGURATIONS[configuration]
        write(tmp_path, name, text)
    return tmp_path


def _marked(project) -> bool:
    """Whether the rendered diagram marks DLQ001."""
    done = archlint("render", "specs/orders.yaml", "-o", "orders.dot", cwd=project)
    assert done.returncode == 0, done.stderr
    return "DLQ001" in (project / "orders.dot").read_text()


def _emitted(project, *options) -> bool:
    done = archlint("emit", "specs/orders.yaml", "-o", "orders.cfn.yaml", *options, cwd=project)
    assert done.returncode in (0, 1), done.stderr
    assert (done.returncode == 0) == (project / "orders.cfn.yaml").exists()
    return done.returncode == 0


def test_without_configuration_every_command_acts_on_the_finding(tmp_path):
    project = _project(tmp_path, None)
    assert archlint("check", "specs", cwd=project).returncode == 1
    assert _marked(project)
    assert not _emitted(project)


@pytest.mark.parametrize("configuration", ["pyproject ignore", "yaml ignore", "pyproject select", "per-path"])
def test_a_rule_the_configuration_turns_off_is_off_for_every_command(tmp_path, configuration):
    project = _project(tmp_path, configuration)
    assert archlint("check", "specs", cwd=project).returncode == 0
    assert not _marked(project)
    assert _emitted(project)


def test_a_severity_lowered_in_the_configuration_no_longer_stops_emit(tmp_path):
    project = _project(tmp_path, "severity")
    done = archlint("check", "--format", "json", "specs", cwd=project)
    assert done.returncode == 0 and '"severity": "warning"' in done.stdout
    assert _marked(project)  # still drawn: a warning is still a finding
    assert _emitted(project)


@pytest.mark.parametrize("option", [("--ignore", "DLQ001"), ("--select", "SQS")])
def test_the_command_line_selection_works_for_render_and_emit(tmp_path, option):
    project = _project(tmp_path, None)
    done = archlint("render", "specs/orders.yaml", "-o", "orders.dot", *option, cwd=project)
    assert done.returncode == 0 and "DLQ001" not in (project / "orders.dot").read_text()
    assert _emitted(project, *option)


def test_the_command_line_wins_over_the_file_for_emit(tmp_path):
    project = _project(tmp_path, "pyproject ignore")
    assert not _emitted(project, "--ignore", "SQS")


@pytest.mark.parametrize("command", ["render", "emit"])
def test_a_bad_configuration_is_exit_2_for_render_and_emit(tmp_path, command):
    project = _project(tmp_path, None)
    write(project, "pyproject.toml", '[tool.archlint]\nignore = ["NOPE9"]\n')
    done = archlint(command, "specs/orders.yaml", "-o", "out.dot" if command == "render" else "out.yaml", cwd=project)
    assert done.returncode == 2
    assert "pyproject.toml" in done.stderr and "NOPE9" in done.stderr
