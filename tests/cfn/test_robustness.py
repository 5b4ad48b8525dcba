"""Never a crash: templates whose properties hold any mix of values and intrinsic
functions import (or fail with a SpecError), and the rules run on what comes back."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archlint.specs import SpecError
from archlint.specs.cfn import BUG, load_template_text
from archlint.specs.cfn.mapping import READS

from .helpers import findings

LOGICAL_IDS = ["A", "B", "C", "D"]
TYPES = sorted(READS)

scalars = st.one_of(
    st.integers(-2, 70000), st.booleans(), st.none(),
    st.sampled_from(["", "*", "tcp", "-1", "6", "efa", "cluster", "true", "10.0.0.0/16", "us-east-1a",
                     "autoscaling:EC2_INSTANCE_TERMINATING", "s3:ObjectCreated:*", "application", "internal",
                     "arn:aws:sqs:us-east-1:1:q", "rate(1 day)", "prefix", "suffix", "lambda", "sqs"]),
)


def intrinsics(children):
    names = st.sampled_from(LOGICAL_IDS + ["Param", "AWS::Region", "AWS::NoValue", "Nowhere"])
    return st.one_of(
        st.builds(lambda n: {"Ref": n}, names),
        st.builds(lambda n, a: {"Fn::GetAtt": [n, a]}, names, st.sampled_from(["Arn", "GroupId", "AvailabilityZone", "AllocationId"])),
        st.builds(lambda n: {"Fn::Sub": "${" + n + "}"}, names),
        st.builds(lambda n: {"Fn::Sub": "arn:aws:s3:::${" + n + "}/x/*"}, names),
        st.builds(lambda a, b: {"Fn::If": ["Cond", a, b]}, children, children),
        st.builds(lambda a: {"Fn::Select": [0, a]}, children),
        st.builds(lambda a: {"Fn::Join": ["", a]}, st.lists(children, max_size=3)),
        st.builds(lambda a: {"Fn::ImportValue": a}, children),
        st.just({"Fn::GetAZs": ""}),
        st.builds(lambda a: {"Fn::FindInMap": ["M", a, "k"]}, children),
    )


values = st.recursive(
    scalars,
    lambda children: st.one_of(intrinsics(children), st.lists(children, max_size=3),
                               st.dictionaries(st.sampled_from(["Name", "Value", "Id", "Arn", "Key"]), children, max_size=3)),
    max_leaves=8,
)


def _nest(path: str, value):
    """`A/B/C` and a value into {A: [{B: {C: value}}]}-ish nesting (lists or maps at random spots)."""
    for name in reversed(path.split("/")[1:]):
        value = [{name: value}]
    return path.split("/")[0], value


@st.composite
def templates(draw):
    resources = {}
    for logical_id in LOGICAL_IDS[: draw(st.integers(1, 4))]:
        kind = draw(st.sampled_from(TYPES))
        properties = {}
        for path in draw(st.lists(st.sampled_from(READS[kind] or ["Nothing"]), max_size=5, unique=True)):
            key, value = _nest(path, draw(values))
            properties[key] = value
        resources[logical_id] = {"Type": kind, "Properties": properties}
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": {"Param": {"Type": "String"}},
        "Conditions": {"Cond": {"Fn::Equals": [{"Ref": "Param"}, "x"]}},
        "Mappings": {"M": {"a": {"k": 1}}},
        "Resources": resources,
    }


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(templates())
def test_any_template_imports_or_says_why(template):
    try:
        graph = load_template_text(json.dumps(template, indent=1), "fuzzed.json")
    except SpecError as error:
        assert not any(BUG in problem.message for problem in error.problems), error.problems
        return
    findings(graph)  # the rules run on whatever came back
    for _, data in graph.nodes(data=True):
        assert isinstance(data["unknown"], list)
