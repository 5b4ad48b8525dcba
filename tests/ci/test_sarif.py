"""`--format sarif`: valid SARIF 2.1.0 (checked against the official schema) whose
results carry rule ids, messages and positions, and whose rules carry their docs."""

from __future__ import annotations

import json

import jsonschema
import pytest

from archlint.linter.docs import rule_markdown
from archlint.linter.registry import rules_by_id

from .conftest import BROKEN, CLEAN, FAILING, SARIF_SCHEMA, archlint, json_findings, write


@pytest.fixture(scope="module")
def sarif_validator():
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def sarif(*args, cwd) -> tuple[int, dict]:
    done = archlint("check", "--format", "sarif", *args, cwd=cwd)
    return done.returncode, json.loads(done.stdout)


def test_failing_spec_gives_valid_sarif_with_ids_messages_and_positions(project, sarif_validator):
    write(project, "specs/orders.yaml", FAILING)
    status, document = sarif("specs", cwd=project)
    sarif_validator.validate(document)
    assert status == 1
    assert document["version"] == "2.1.0"
    results = document["runs"][0]["results"]
    found = {(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"],
              r["locations"][0]["physicalLocation"]["region"]["startColumn"]) for r in results}
    assert found == {("DLQ001", 5, 3), ("DLQ002", 10, 3), ("SQS001", 15, 5)}
    for result in results:
        assert result["level"] == "error"
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "specs/orders.yaml"
        assert result["message"]["text"]


def test_results_match_the_json_report(project):
    write(project, "specs/orders.yaml", FAILING)
    _, document = sarif("specs", cwd=project)
    _, report = json_findings("specs", cwd=project)
    results = document["runs"][0]["results"]
    assert [(r["ruleId"], r["properties"]["resource"]) for r in results] == [
        (f["rule"], f["resource"]) for f in report["findings"]
    ]
    for result, finding in zip(results, report["findings"]):
        assert result["message"]["text"].startswith(finding["message"])
        assert finding["fix"] in result["message"]["text"]


def test_rules_carry_metadata_and_their_documentation_as_help(project):
    write(project, "specs/orders.yaml", FAILING)
    _, document = sarif("specs", cwd=project)
    driver = document["runs"][0]["tool"]["driver"]
    assert driver["name"] == "archlint"
    rules = driver["rules"]
    known = rules_by_id()
    assert [rule["id"] for rule in rules] == sorted(known)  # every rule that ran
    for rule in rules:
        assert rule["shortDescription"]["text"] == known[rule["id"]].summary
        assert rule["help"]["markdown"] == rule_markdown(known[rule["id"]])
        assert "## Why is this bad?" in rule["help"]["text"]
    for result in document["runs"][0]["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_select_limits_the_rules_listed(project):
    write(project, "specs/orders.yaml", FAILING)
    _, document = sarif("--select", "DLQ", "specs", cwd=project)
    assert {rule["id"] for rule in document["runs"][0]["tool"]["driver"]["rules"]} == {
        rule_id for rule_id in rules_by_id() if rule_id.startswith("DLQ")
    }
    assert {r["ruleId"] for r in document["runs"][0]["results"]} == {"DLQ001", "DLQ002"}


def test_clean_spec_gives_valid_sarif_without_results(project, sarif_validator):
    write(project, "specs/reports.yaml", CLEAN)
    status, document = sarif("specs", cwd=project)
    sarif_validator.validate(document)
    assert status == 0
    assert document["runs"][0]["results"] == []
    assert document["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_spec_errors_are_tool_execution_notifications(project, sarif_validator):
    write(project, "specs/broken.yaml", BROKEN)
    write(project, "specs/orders.yaml", FAILING)
    status, document = sarif("specs", cwd=project)
    sarif_validator.validate(document)
    assert status == 2
    invocation = document["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert "expected true or false" in note["message"]["text"]
    region = note["locations"][0]["physicalLocation"]
    assert region["artifactLocation"]["uri"] == "specs/broken.yaml"
    assert (region["region"]["startLine"], region["region"]["startColumn"]) == (6, 11)
    assert len(document["runs"][0]["results"]) == 3  # the readable spec is still linted


def test_show_ignored_adds_suppressed_results_with_the_reason(project, sarif_validator):
    spec = FAILING.replace("    type: sns.topic\n", "    type: sns.topic\n", 1).replace(
        "  notify-fn:\n    type: lambda.function\n",
        "  notify-fn:\n    type: lambda.function\n    ignore:\n      DLQ002: alerts are re-sent every minute\n",
    )
    write(project, "specs/orders.yaml", spec)
    _, plain = sarif("specs", cwd=project)
    assert all("suppressions" not in r for r in plain["runs"][0]["results"])
    assert "DLQ002" not in {r["ruleId"] for r in plain["runs"][0]["results"]}
    _, document = sarif("--show-ignored", "specs", cwd=project)
    sarif_validator.validate(document)
    [suppressed] = [r for r in document["runs"][0]["results"] if "suppressions" in r]
    assert suppressed["ruleId"] == "DLQ002"
    assert suppressed["suppressions"] == [{"kind": "inSource", "justification": "alerts are re-sent every minute"}]


def test_absolute_paths_outside_the_folder_become_file_uris(project, tmp_path, sarif_validator):
    spec = write(tmp_path / "elsewhere", "orders.yaml", FAILING)
    _, document = sarif(spec, cwd=project)
    sarif_validator.validate(document)
    uri = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == spec.as_uri()
