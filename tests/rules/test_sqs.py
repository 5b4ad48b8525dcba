"""SQS001–SQS002: visibility timeout against the timeout of the function a queue triggers."""

from __future__ import annotations

import pytest

from archlint.rules import sqs
from archlint.rules.sqs import VisibilityTimeoutBelowAdvice, VisibilityTimeoutBelowFunctionTimeout

from .conftest import findings, line_of


@pytest.mark.parametrize("rule", sqs.RULES, ids=lambda rule: rule.id)
def test_examples(rule):
    bad = findings(rule, rule.bad_example)
    assert bad and all(found.rule == rule.id for found in bad)
    assert findings(rule, rule.good_example) == []


def spec(visibility: int, *timeouts: int) -> str:
    """A queue with the given visibility timeout, read by one function per timeout."""
    functions = "".join(
        f"  fn-{index}:\n    type: lambda.function\n    timeout: {timeout}\n" for index, timeout in enumerate(timeouts)
    )
    flows = "".join(f"  - jobs -> fn-{index}\n" for index in range(len(timeouts)))
    return (
        "archlint: 1\nname: jobs\nresources:\n"
        f"  jobs:\n    type: sqs.queue\n    dead_letter: jobs-dlq\n    visibility_timeout: {visibility}\n"
        "  jobs-dlq:\n    type: sqs.queue\n"
        f"{functions}flows:\n{flows}"
    )


def test_sqs001_fires_once_per_function_whose_timeout_exceeds_visibility():
    text = spec(30, 60, 10, 45)
    found = findings(VisibilityTimeoutBelowFunctionTimeout, text)
    assert [(f.rule, f.resource) for f in found] == [("SQS001", "jobs"), ("SQS001", "jobs")]
    assert "fn-0" in found[0].message and "fn-2" in found[1].message
    # each finding points at the flow to its function
    assert found[0].line == line_of(text, "jobs -> fn-0")
    assert found[1].line == line_of(text, "jobs -> fn-2")
    assert "visibility_timeout: 360" in found[0].fix


def test_sqs001_uses_the_default_visibility_timeout_of_30_seconds():
    text = spec(30, 31).replace("    visibility_timeout: 30\n", "")
    [found] = findings(VisibilityTimeoutBelowFunctionTimeout, text)
    assert "30 s" in found.message and "31 s" in found.message


def test_sqs001_quiet_when_timeout_equals_visibility():
    assert findings(VisibilityTimeoutBelowFunctionTimeout, spec(60, 60)) == []


def test_sqs001_reports_a_function_once_even_with_two_flows():
    text = spec(30, 60) + "  - jobs -> fn-0\n"
    assert len(findings(VisibilityTimeoutBelowFunctionTimeout, text)) == 1


def test_sqs002_fires_between_timeout_and_six_times_timeout():
    text = spec(60, 10, 60, 11)
    found = findings(VisibilityTimeoutBelowAdvice, text)
    # 60 < 6 x 11 = 66 and 60 <= 60 < 360 fire; 60 == 6 x 10 does not
    assert len(found) == 2
    assert "fn-1" in found[0].message and "fn-2" in found[1].message
    assert all(f.rule == "SQS002" and f.resource == "jobs" and f.severity == "warning" for f in found)
    assert found[0].line == line_of(text, "jobs -> fn-1")


def test_sqs002_leaves_the_hard_error_to_sqs001():
    assert findings(VisibilityTimeoutBelowAdvice, spec(30, 60)) == []


def test_sqs_rules_ignore_functions_that_only_receive_other_flows():
    text = """\
    archlint: 1
    name: jobs
    resources:
      alerts:
        type: sns.topic
      fn:
        type: lambda.function
        timeout: 900
    flows:
      - alerts -> fn
    """
    assert findings(VisibilityTimeoutBelowFunctionTimeout, text) == []
    assert findings(VisibilityTimeoutBelowAdvice, text) == []
