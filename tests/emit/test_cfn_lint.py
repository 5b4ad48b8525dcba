"""Every example spec and the specs of tests/emit/specs, emitted and checked by the
real cfn-lint: no error, and no warning other than the ones explained here.

Explained warnings:
- W3010 "Avoid hardcoding availability zones": a spec names its subnets' and
  volumes' Availability Zones on purpose (the AZ rules reason about them), so the
  template says exactly those zones instead of `Fn::GetAZs`.
- I2530 "consider using SnapStart" (Java functions): SnapStart works on published
  versions, and the emitted functions are invoked as $LATEST (no versions), so
  turning it on would change nothing.

cfn-lint runs with its informational checks; the emitter satisfies the others
(explicit DeletionPolicy/UpdateReplacePolicy on queues, buckets and volumes,
explicit MessageRetentionPeriod on queues).
"""

from __future__ import annotations

import glob
import json
import os

import pytest

from archlint.linter.engine import lint
from archlint.linter.registry import all_rules
from archlint.render.cloudformation import EmitError, build
from archlint.specs import load_spec

from .conftest import SPECS, cfn_lint

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "specs", "examples")
EXPLAINED_WARNINGS = {"W3010", "I2530"}

# The flawed examples that the emitter refuses outright (a security-group deny rule).
REFUSED = {"nacl-block-ip.yaml"}
# Flawed examples with a problem AWS would refuse at deploy time that no lint rule
# reports yet; `emit` refuses them like lint errors (file -> text of the problem).
# Flawed examples whose template S3 would refuse at deploy time for a flaw only the
# linter sees (cfn-lint does not): file -> rule id
DEPLOY_TIME_FLAWS = {"s3-upload-lambda.yaml": "FAN005"}
# Flawed examples whose template cfn-lint rejects for the very flaw the linter reports
# (why `emit` refuses them unless --force): file -> cfn-lint rule ids expected.
FLAWS_CFN_LINT_ALSO_SEES = {
    "sqs-fifo-lambda.yaml": {"E3502"},  # FIFO queue with a standard DLQ (DLQ004)
    "sqs-lambda.yaml": {"E3004", "E3505"},  # redrive cycle (DLQ005), timeout > visibility (SQS001)
}


def _specs():
    good = sorted(glob.glob(os.path.join(EXAMPLES, "*.yaml")))
    mine = sorted(glob.glob(os.path.join(SPECS, "*.yaml")))
    return good + mine


def _lint_template(path: str, as_json: bool = False):
    graph = load_spec(path)
    template = build(graph)
    text = template.to_json() if as_json else template.to_yaml()
    return cfn_lint(text, graph.graph.get("region") or "us-east-1")


def _report(matches) -> str:
    return "\n".join(f"{m.rule.id} line {m.linenumber}: {m.message}" for m in matches)


def test_there_are_example_specs_to_check():
    assert len(_specs()) >= 3


@pytest.mark.parametrize("path", _specs(), ids=os.path.basename)
def test_template_passes_cfn_lint(path):
    matches = _lint_template(path)
    unexplained = [m for m in matches if m.rule.id not in EXPLAINED_WARNINGS]
    assert not unexplained, _report(unexplained)


@pytest.mark.parametrize("path", _specs(), ids=os.path.basename)
def test_json_template_passes_cfn_lint_too(path):
    matches = _lint_template(path, as_json=True)
    assert not [m for m in matches if m.rule.id not in EXPLAINED_WARNINGS], _report(matches)


@pytest.mark.parametrize("path", sorted(glob.glob(os.path.join(EXAMPLES, "flawed", "*.yaml"))), ids=os.path.basename)
def test_flawed_examples_fail_only_where_the_linter_says(path):
    name = os.path.basename(path)
    if name in REFUSED:
        with pytest.raises(EmitError) as refused:
            build(load_spec(path))
        assert refused.value.status == 1 and "deny rule" in str(refused.value)
        return
    if name in DEPLOY_TIME_FLAWS:
        assert DEPLOY_TIME_FLAWS[name] in {finding.rule for finding in lint(load_spec(path), all_rules())}
    found = {m.rule.id for m in _lint_template(path) if m.rule.id not in EXPLAINED_WARNINGS}
    assert found == FLAWS_CFN_LINT_ALSO_SEES.get(name, set())


def test_everything_spec_uses_every_emitted_type_and_flow_pair():
    """The big spec really covers docs/spec.md's tables (so the lint test above means it)."""
    from archlint.specs.types import TYPES

    graph = load_spec(os.path.join(SPECS, "everything.yaml"))
    types = {data["type"] for _, data in graph.nodes(data=True)}
    assert types == set(TYPES)
    pairs = {
        (graph.nodes[a]["type"], graph.nodes[b]["type"])
        for a, b, data in graph.edges(data=True)
        if data["kind"] == "flow"
    }
    expected = set()
    for sources, targets in FLOW_TABLE:
        expected |= {(s, t) for s in sources for t in targets}
    assert expected <= pairs, sorted(expected - pairs)


# docs/spec.md's flow table, row by row (sources, targets).
_SENDERS = ("external", "ec2.instance", "autoscaling.group", "lambda.function")
_MOVERS = ("directconnect.connection", "datasync.task", "snowball.job")
FLOW_TABLE = [
    (_SENDERS, ("sqs.queue", "sns.topic")),
    (_SENDERS + ("s3.bucket",), ("events.rule",)),
    (("sns.topic",), ("sqs.queue", "external", "lambda.function")),
    (("sqs.queue",), ("lambda.function", "ec2.instance", "autoscaling.group")),
    (("s3.bucket",), ("sqs.queue", "sns.topic", "lambda.function")),
    (("events.rule",), ("sqs.queue", "sns.topic", "lambda.function")),
    (("scheduler.schedule",), ("sqs.queue", "sns.topic", "lambda.function")),
    (("lambda.function",), ("lambda.function",)),
    (("lambda.function", "ec2.instance", "autoscaling.group", "external"), ("s3.bucket",)),
    (("external",), ("alb", "ec2.instance", "autoscaling.group")),
    (("alb",), ("ec2.instance", "autoscaling.group", "lambda.function")),
    (("cloudwatch.alarm",), ("sns.topic", "lambda.function", "ec2.instance", "autoscaling.group")),
    (("lambda.function",), ("ec2.instance", "ec2.eip")),
    (("external",) + _MOVERS, _MOVERS),
    (_MOVERS, ("s3.bucket", "ec2.instance", "autoscaling.group", "parallelcluster.cluster", "batch.compute_environment")),
]


def test_yaml_and_json_hold_the_same_template():
    import yaml

    template = build(load_spec(os.path.join(SPECS, "everything.yaml")))
    assert yaml.safe_load(template.to_yaml()) == json.loads(template.to_json())
