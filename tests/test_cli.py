"""`archlint` as a user runs it: a process, its output and its exit status (docs/cli.md)."""

import json
import os
import shlex
import subprocess
import sys

import pytest
from cli_runner import archlint_command, run_process

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "specs", "examples")

CLEAN = """\
archlint: 1
name: clean
resources:
  q:
    type: sqs.queue
    dead_letter: dlq
    visibility_timeout: 60
  dlq:
    type: sqs.queue
  fn:
    type: lambda.function
flows:
  - q -> fn
"""
# no dead-letter queue on a polled queue: DLQ001 (error); 30 s < 6 x 10 s: SQS002 (warning)
FLAWED = """\
archlint: 1
name: flawed
resources:
  q:
    type: sqs.queue
  fn:
    type: lambda.function
    timeout: 10
flows:
  - q -> fn
"""
BROKEN = "archlint: 1\nname: broken\nresources:\n  q:\n    type: sqs.queu\n"


def archlint(*args, cwd=None):
    return run_process(*args, cwd=cwd, timeout=120)


@pytest.fixture
def specs(tmp_path):
    def write(name, text):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return str(path)
    return write


def assert_no_traceback(result):
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


def test_version():
    result = archlint("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("archlint ")


def test_clean_spec_exits_0(specs):
    result = archlint("check", specs("clean.yaml", CLEAN))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "1 file checked: 0 errors" in result.stderr


def test_findings_exit_1_with_one_sorted_line_each(specs):
    path = specs("flawed.yaml", FLAWED)
    result = archlint("check", path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines == [
        f"{path}:4:3: DLQ001 error q: " + lines[0].split("DLQ001 error q: ")[1],
        f"{path}:10:5: SQS002 warning q: " + lines[1].split("SQS002 warning q: ")[1],
    ]
    assert "fn" in lines[0]  # the message names the consumer too


def test_json_report_shape(specs):
    path = specs("flawed.yaml", FLAWED)
    result = archlint("check", "--format", "json", path)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert set(report) == {"version", "findings", "errors", "summary"}
    first = report["findings"][0]
    assert set(first) == {"rule", "severity", "file", "line", "column", "resource", "message", "fix"}
    assert (first["rule"], first["severity"], first["resource"], first["line"]) == ("DLQ001", "error", "q", 4)
    assert first["fix"]
    assert report["summary"] == {"files": 1, "error": 1, "warning": 1, "info": 0}
    assert report["errors"] == []


def test_unreadable_input_exits_2_and_wins_over_findings(specs):
    result = archlint("check", "--format", "json", specs("a.yaml", FLAWED), specs("b.yaml", BROKEN))
    assert result.returncode == 2
    report = json.loads(result.stdout)
    assert report["findings"]  # the readable file is still linted
    [error] = report["errors"]
    assert (error["line"], error["column"]) == (5, 11)
    assert '"sqs.queue"' in error["message"]
    assert_no_traceback(result)


def test_text_format_puts_input_problems_on_stderr(specs):
    path = specs("b.yaml", BROKEN)
    result = archlint("check", path)
    assert result.returncode == 2
    assert f"{path}:5:11: unknown type 'sqs.queu'" in result.stderr
    assert result.stdout == ""


def test_fail_on_warning_and_info(specs):
    warning_only = FLAWED.replace("  q:\n    type: sqs.queue\n", "  q:\n    type: sqs.queue\n    dead_letter: dlq\n  dlq:\n    type: sqs.queue\n")
    path = specs("w.yaml", warning_only)
    assert archlint("check", path).returncode == 0
    assert archlint("check", "--fail-on", "warning", path).returncode == 1
    assert archlint("check", "--fail-on", "info", path).returncode == 1


def test_select_and_ignore_by_id_and_prefix(specs):
    path = specs("flawed.yaml", FLAWED)
    only_sqs = archlint("check", "--select", "SQS", path)
    assert [line.split()[1] for line in only_sqs.stdout.splitlines()] == ["SQS002"]
    assert only_sqs.returncode == 0  # a warning does not fail by default
    without_dlq001 = archlint("check", "--ignore", "DLQ001,SQS", path)
    assert without_dlq001.stdout == "" and without_dlq001.returncode == 0


def test_unknown_selector_is_a_command_line_error(specs):
    result = archlint("check", "--select", "NOPE001", specs("clean.yaml", CLEAN))
    assert result.returncode == 2
    assert "NOPE001" in result.stderr
    assert_no_traceback(result)


def test_ignore_in_the_spec_silences_with_its_reason(specs):
    silenced = FLAWED.replace("  q:\n    type: sqs.queue\n", "  q:\n    type: sqs.queue\n    ignore:\n      DLQ001: messages are replayed from the source system\n")
    silenced += "ignore:\n  SQS: the function finishes in a second\n"
    result = archlint("check", specs("s.yaml", silenced))
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""
    assert "2 ignored" in result.stderr


def test_ignore_naming_no_rule_is_an_input_error(specs):
    result = archlint("check", specs("s.yaml", CLEAN + "ignore:\n  NOPE001: because\n"))
    assert result.returncode == 2
    assert "'NOPE001' names no known rule" in result.stderr


def test_folders_yield_only_specs(specs, tmp_path):
    specs("team/clean.yaml", CLEAN)
    specs("team/nested/flawed.yml", FLAWED)
    specs("team/compose.yaml", "services:\n  web:\n    image: nginx\n")  # not a spec: skipped
    specs("team/broken-other.yaml", "key: [unclosed\n")  # broken, not a spec: skipped
    specs("team/notes.txt", "archlint: 1\n")  # not YAML by name: skipped
    result = archlint("check", "--format", "json", str(tmp_path / "team"))
    report = json.loads(result.stdout)
    assert report["summary"]["files"] == 2
    assert {finding["file"].split("team/")[1] for finding in report["findings"]} == {"nested/flawed.yml"}
    assert result.returncode == 1


def test_broken_file_that_looks_like_a_spec_is_reported_from_a_folder(specs, tmp_path):
    specs("team/half.yaml", "archlint: 1\nname: [half\n")
    result = archlint("check", str(tmp_path / "team"))
    assert result.returncode == 2
    assert "half.yaml:3:1: YAML syntax error" in result.stderr


def test_explicit_file_that_is_no_spec_is_an_error(specs):
    result = archlint("check", specs("compose.yaml", "services:\n  web:\n    image: nginx\n"))
    assert result.returncode == 2
    assert "not an archlint spec" in result.stderr


def test_missing_path_and_bad_usage_exit_2(tmp_path):
    result = archlint("check", str(tmp_path / "nope.yaml"))
    assert result.returncode == 2 and "no such file or folder" in result.stderr
    assert archlint("check").returncode == 2
    assert archlint("check", "--format", "xml", str(tmp_path)).returncode == 2
    assert archlint().returncode == 2


def test_output_is_deterministic_and_sorted_across_files(specs, tmp_path):
    specs("z.yaml", FLAWED)
    specs("a.yaml", FLAWED)
    first = archlint("check", "--format", "json", str(tmp_path))
    second = archlint("check", "--format", "json", str(tmp_path))
    assert first.stdout == second.stdout
    files = [finding["file"] for finding in json.loads(first.stdout)["findings"]]
    assert files == sorted(files)


def test_bundled_correct_examples_lint_clean():
    examples = sorted(os.path.join(EXAMPLES, name) for name in os.listdir(EXAMPLES) if name.endswith(".yaml"))
    result = archlint("check", *examples)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_check_from_another_folder_with_relative_paths(specs, tmp_path):
    specs("work/flawed.yaml", FLAWED)
    result = archlint("check", "flawed.yaml", cwd=str(tmp_path / "work"))
    assert result.stdout.startswith("flawed.yaml:4:3: DLQ001")


def test_rules_and_explain():
    listing = archlint("rules")
    assert listing.returncode == 0
    rows = {line.split()[0]: line.split()[1] for line in listing.stdout.splitlines()}
    assert rows["DLQ001"] == "error" and rows["HPC004"] == "info"
    assert list(rows) == sorted(rows)
    explained = archlint("explain", "dlq001")
    assert explained.returncode == 0 and "## What it does" in explained.stdout
    unknown = archlint("explain", "DLQ010")
    assert unknown.returncode == 2 and "did you mean \"DLQ00" in unknown.stderr


def test_piping_into_a_closed_pipe_is_quiet(specs, tmp_path):
    path = specs("flawed.yaml", FLAWED)
    command = f"{shlex.join(archlint_command())} check {path} {path} {path} | head -c 1"
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=60)
    assert_no_traceback(result)


def test_module_entry_point_matches_the_script(specs):
    path = specs("flawed.yaml", FLAWED)
    via_module = subprocess.run([sys.executable, "-m", "archlint.linter.cli", "check", path], capture_output=True, text=True)
    assert via_module.stdout == archlint("check", path).stdout
