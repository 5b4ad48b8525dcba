"""Configuration: [tool.archlint] in the nearest pyproject.toml, or .archlint.yaml,
or --config FILE; the command line wins; a bad file is exit 2 with file:line."""

from __future__ import annotations

import pytest

from .conftest import FAILING, INFO_ONLY, archlint, json_findings, write


def rules_found(report) -> set[tuple[str, str]]:
    return {(f["rule"], f["severity"]) for f in report["findings"]}


def test_pyproject_changes_what_check_reports_run_from_another_folder(project):
    write(project, "specs/orders.yaml", FAILING)
    write(project, "specs/legacy/old.yaml", FAILING.replace("name: orders", "name: old"))
    write(project, "pyproject.toml", """\
        [project]
        name = "my-architecture"

        [tool.archlint]
        ignore = ["SQS"]
        severity = {DLQ002 = "warning"}
        per-path-ignores = {"specs/legacy/*" = ["DLQ"]}
        """)
    workdir = project / "specs" / "legacy"  # a subfolder: the file is found upward
    status, report = json_findings("..", cwd=workdir)
    found = {(f["file"], f["rule"], f["severity"]) for f in report["findings"]}
    assert found == {
        ("../orders.yaml", "DLQ001", "error"),
        ("../orders.yaml", "DLQ002", "warning"),
        # legacy/old.yaml: DLQ skipped by path, SQS skipped everywhere
    }
    assert status == 1
    # without the configuration, the same run reports everything
    (project / "pyproject.toml").unlink()
    _, plain = json_findings("..", cwd=workdir)
    assert len(plain["findings"]) == 6


def test_fail_on_and_severity_from_the_file_decide_the_exit_status(project):
    write(project, "legacy.yaml", INFO_ONLY)
    assert archlint("check", "legacy.yaml", cwd=project).returncode == 0
    write(project, "pyproject.toml", '[tool.archlint]\nfail-on = "warning"\nseverity = {HPC004 = "warning"}\n')
    status, report = json_findings("legacy.yaml", cwd=project)
    assert rules_found(report) == {("HPC004", "warning")}
    assert status == 1
    # the command line wins over the file
    assert archlint("check", "--fail-on", "error", "legacy.yaml", cwd=project).returncode == 0


def test_command_line_select_replaces_the_files(project):
    write(project, "specs/orders.yaml", FAILING)
    write(project, "pyproject.toml", '[tool.archlint]\nselect = ["SQS"]\n')
    _, report = json_findings("specs", cwd=project)
    assert {f["rule"] for f in report["findings"]} == {"SQS001"}
    _, report = json_findings("--select", "DLQ", "specs", cwd=project)
    assert {f["rule"] for f in report["findings"]} == {"DLQ001", "DLQ002"}


def test_archlint_yaml_is_read_when_no_pyproject_has_the_table(project):
    write(project, "specs/orders.yaml", FAILING)
    write(project, "pyproject.toml", '[project]\nname = "x"\n')  # no [tool.archlint]: not a config
    write(project, ".archlint.yaml", "select: [DLQ001]\nseverity:\n  DLQ: info\n")
    status, report = json_findings("specs", cwd=project)
    assert rules_found(report) == {("DLQ001", "info")}
    assert status == 0


def test_pyproject_wins_over_archlint_yaml_in_the_same_folder(project):
    write(project, "specs/orders.yaml", FAILING)
    write(project, "pyproject.toml", '[tool.archlint]\nselect = ["SQS001"]\n')
    write(project, ".archlint.yaml", "select: [DLQ001]\n")
    _, report = json_findings("specs", cwd=project)
    assert {f["rule"] for f in report["findings"]} == {"SQS001"}


def test_nearest_configuration_wins(project):
    write(project, "pyproject.toml", '[tool.archlint]\nselect = ["SQS001"]\n')
    write(project, "team/.archlint.yaml", "select: [DLQ002]\n")
    write(project, "team/orders.yaml", FAILING)
    _, report = json_findings("orders.yaml", cwd=project / "team")
    assert {f["rule"] for f in report["findings"]} == {"DLQ002"}


def test_explicit_config_file(project, tmp_path):
    write(project, "specs/orders.yaml", FAILING)
    write(project, "pyproject.toml", '[tool.archlint]\nselect = ["SQS001"]\n')
    config = write(tmp_path, "ci/strict.toml", 'select = ["DLQ001"]\n')
    _, report = json_findings("--config", config, "specs", cwd=project)
    assert {f["rule"] for f in report["findings"]} == {"DLQ001"}
    done = archlint("check", "--config", tmp_path / "missing.toml", "specs", cwd=project)
    assert done.returncode == 2
    assert "missing.toml: no such configuration file" in done.stderr


def bad_config(project, name, text):
    write(project, "specs/orders.yaml", FAILING)
    write(project, name, text)
    done = archlint("check", "specs", cwd=project)
    assert done.returncode == 2
    assert done.stdout == ""  # nothing is checked with a wrong configuration
    return done.stderr.strip()


def test_unknown_key_is_named_with_its_line_and_a_suggestion(project):
    message = bad_config(project, "pyproject.toml", '[project]\nname = "x"\n\n[tool.archlint]\nselect = ["DLQ"]\nfail_on = "warning"\n')
    assert message.startswith("archlint: ")
    assert "pyproject.toml:6: unknown key 'fail_on' (did you mean \"fail-on\"?)" in message


def test_unknown_rule_id_is_named(project):
    message = bad_config(project, "pyproject.toml", '[tool.archlint]\nignore = ["DLQ001", "DLQ999"]\n')
    assert "pyproject.toml:2: unknown rule id 'DLQ999'" in message


def test_unknown_rule_in_severity_and_per_path_ignores(project):
    message = bad_config(project, "pyproject.toml", '[tool.archlint]\n\n[tool.archlint.severity]\nHPC04 = "warning"\n')
    assert "pyproject.toml:4: unknown rule id 'HPC04'" in message
    (project / "pyproject.toml").unlink()
    message = bad_config(project, ".archlint.yaml", "per-path-ignores:\n  legacy/*:\n    - DLQ\n    - NOPE1\n")
    assert ".archlint.yaml:4: unknown rule id 'NOPE1'" in message


def test_bad_severity_is_named(project):
    message = bad_config(project, ".archlint.yaml", "severity:\n  HPC004: warn\n")
    assert ".archlint.yaml:2: bad severity 'warn' (did you mean \"warning\"?)" in message
    message = bad_config(project, ".archlint.yaml", "fail-on: fatal\n")
    assert ".archlint.yaml:1: bad severity 'fatal'" in message


def test_invalid_toml_is_an_error_with_its_line(project):
    message = bad_config(project, "pyproject.toml", '[tool.archlint]\nselect = ["DLQ"\n')
    assert "pyproject.toml:" in message and "not valid TOML" in message


@pytest.mark.parametrize("name, text, line", [
    ("pyproject.toml", '[tool.archlint]\nignore = [""]\n', 2),
    ("pyproject.toml", '[tool.archlint]\nselect = ["DLQ", " "]\n', 2),
    (".archlint.yaml", "ignore: ['']\n", 1),
    (".archlint.yaml", "per-path-ignores:\n  legacy/*: ['']\n", 2),
    (".archlint.yaml", "severity:\n  '': info\n", 2),
])
def test_an_empty_selector_is_refused_not_read_as_every_rule(project, name, text, line):
    # "" is a prefix of every id: `ignore = [""]` silently disabled every rule
    write(project, "specs/orders.yaml", FAILING)
    message = bad_config(project, name, text)
    assert f"{name}:{line}: " in message and "empty" in message, message


def test_an_empty_selector_on_the_command_line_is_refused(project):
    write(project, "specs/orders.yaml", FAILING)
    for option in ("--ignore", "--select"):
        done = archlint("check", option, ",", "specs", cwd=project)
        assert done.returncode == 2 and "empty" in done.stderr, (option, done.stderr)
