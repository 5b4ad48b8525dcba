"""`--format junit`: XML that CI test tabs read: a suite per spec, a case per rule,
one failure per finding, an error per input problem."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from archlint.linter.registry import rules_by_id

from .conftest import BROKEN, CLEAN, FAILING, archlint, json_findings, write


def junit(*args, cwd) -> tuple[int, ET.Element]:
    done = archlint("check", "--format", "junit", *args, cwd=cwd)
    assert done.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return done.returncode, ET.fromstring(done.stdout)


def test_one_failure_per_finding(project):
    write(project, "specs/orders.yaml", FAILING)
    write(project, "specs/reports.yaml", CLEAN)
    status, root = junit("specs", cwd=project)
    _, report = json_findings("specs", cwd=project)
    assert status == 1
    failures = root.findall(".//testcase/failure")
    assert len(failures) == len(report["findings"]) == 3
    assert sorted(failure.get("message") for failure in failures) == sorted(f["message"] for f in report["findings"])
    assert root.get("failures") == "3" and root.get("errors") == "0"
    for case in root.iter("testcase"):
        assert len(case.findall("failure")) <= 1  # Jenkins keeps one failure per case


def test_a_suite_per_spec_and_a_case_per_rule(project):
    write(project, "specs/orders.yaml", FAILING)
    write(project, "specs/reports.yaml", CLEAN)
    _, root = junit("specs", cwd=project)
    suites = {suite.get("name"): suite for suite in root.findall("testsuite")}
    assert set(suites) == {"specs/orders.yaml", "specs/reports.yaml"}
    every_rule = set(rules_by_id())
    clean_cases = suites["specs/reports.yaml"].findall("testcase")
    assert {case.get("name") for case in clean_cases} == every_rule
    assert suites["specs/reports.yaml"].get("tests") == str(len(every_rule))
    orders = suites["specs/orders.yaml"]
    failing = {case.get("name") for case in orders.findall("testcase") if case.find("failure") is not None}
    assert failing == {"DLQ001 orders-queue 5:3", "DLQ002 notify-fn 10:3", "SQS001 orders-queue 15:5"}
    passing = {case.get("name") for case in orders.findall("testcase") if case.find("failure") is None}
    assert passing == every_rule - {"DLQ001", "DLQ002", "SQS001"}
    assert all(case.get("classname") == "specs/orders.yaml" for case in orders.findall("testcase"))
    assert orders.get("tests") == str(len(orders.findall("testcase")))


def test_spec_errors_are_error_elements(project):
    write(project, "specs/broken.yaml", BROKEN)
    status, root = junit("specs", cwd=project)
    assert status == 2
    [suite] = root.findall("testsuite")
    assert suite.get("name") == "specs/broken.yaml"
    [error] = suite.findall(".//error")
    assert "expected true or false" in error.get("message")
    assert "specs/broken.yaml:6:11:" in error.text
    assert suite.get("errors") == "1"


def test_deselected_rules_are_no_cases(project):
    write(project, "specs/orders.yaml", FAILING)
    _, root = junit("--select", "SQS", "specs", cwd=project)
    names = {case.get("name") for case in root.iter("testcase")}
    assert names == {"SQS001 orders-queue 15:5", "SQS002"}


def test_show_ignored_gives_skipped_cases(project):
    spec = FAILING.replace(
        "  notify-fn:\n    type: lambda.function\n",
        "  notify-fn:\n    type: lambda.function\n    ignore:\n      DLQ002: alerts are re-sent every minute\n",
    )
    write(project, "specs/orders.yaml", spec)
    _, root = junit("--show-ignored", "specs", cwd=project)
    [skipped] = root.findall(".//testcase/skipped")
    assert "alerts are re-sent every minute" in skipped.get("message")
    assert root.get("skipped") == "1"
