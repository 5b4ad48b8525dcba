"""Reading templates: YAML short-form tags, JSON, positions, errors with positions."""

from __future__ import annotations

import json

import pytest

from archlint.specs import SpecError
from archlint.specs.cfn.decode import looks_like_template

from .helpers import load, refs


def test_short_form_tags_resolve_to_references():
    graph = load("""\
        AWSTemplateFormatVersion: '2010-09-09'
        Resources:
          Dlq:
            Type: AWS::SQS::Queue
          Jobs:
            Type: AWS::SQS::Queue
            Properties:
              RedrivePolicy:
                deadLetterTargetArn: !GetAtt Dlq.Arn
                maxReceiveCount: 4
          Fn:
            Type: AWS::Lambda::Function
            Properties:
              Runtime: !Join ['', [python, '3.12']]
              Timeout: !Select [1, [10, 20]]
              MemorySize: !FindInMap [Sizes, Small, Memory]
              DeadLetterConfig:
                TargetArn: !Sub '${Dlq.Arn}'
        Mappings:
          Sizes:
            Small: {Memory: 256}
    """)
    jobs, fn = graph.nodes["jobs"], graph.nodes["fn"]
    assert (jobs["dead_letter"], jobs["max_receive_count"]) == ("dlq", 4)
    assert (fn["runtime"], fn["timeout"], fn["memory"], fn["dead_letter"]) == ("python3.12", 20, 256, "dlq")
    assert ("jobs", "dlq", "dead_letter") in refs(graph)
    assert jobs["unknown"] == [] and fn["unknown"] == []


def test_json_templates_and_their_positions():
    text = json.dumps({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {"Jobs": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 120, "FifoQueue": True}}},
    }, indent=2)
    graph = load(text, "template.json")
    node = graph.nodes["jobs"]
    assert (node["fifo"], node["visibility_timeout"]) == (True, 120)
    lines = text.splitlines()
    assert lines[node["line"] - 1][node["column"] - 1:].startswith('"Jobs"')
    line, column = node["positions"]["visibility_timeout"]
    assert lines[line - 1][column - 1:].startswith('"VisibilityTimeout"')


def test_positions_point_at_logical_ids_and_properties():
    text = """\
        Resources:
          Jobs:
            Type: AWS::SQS::Queue
            Properties:
              VisibilityTimeout: 60
    """
    graph = load(text)
    node = graph.nodes["jobs"]
    assert (node["line"], node["column"]) == (2, 3)
    assert node["positions"]["visibility_timeout"] == (5, 7)
    assert graph.graph["file"] == "template.yaml" and graph.graph["cfn"] is True


def test_logical_ids_become_spec_ids_and_stay_known():
    graph = load("""\
        Resources:
          VPCGatewayThing:
            Type: AWS::EC2::InternetGateway
          MyQueue2:
            Type: AWS::SQS::Queue
    """)
    assert list(graph.nodes) == ["vpc-gateway-thing", "my-queue2"]
    assert graph.nodes["vpc-gateway-thing"]["logical_id"] == "VPCGatewayThing"
    assert graph.nodes["vpc-gateway-thing"]["type"] == "cfn.resource"
    assert graph.nodes["vpc-gateway-thing"]["cfn_type"] == "AWS::EC2::InternetGateway"


@pytest.mark.parametrize("text, where, words", [
    ("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  - x\n", (4, 3), "did not find expected key"),
    ("Resources:\n  Q:\n    Properties: {}\n", (2, 3), "needs a 'Type'"),
    ("AWSTemplateFormatVersion: '2010-09-09'\n", (1, 1), "needs a 'Resources' mapping"),
])
def test_unreadable_templates_say_where(text, where, words):
    with pytest.raises(SpecError) as caught:
        load(text)
    problem = caught.value.problems[0]
    assert (problem.line, problem.column) == where and words in problem.message


def test_what_looks_like_a_template():
    assert looks_like_template(b"AWSTemplateFormatVersion: '2010-09-09'\n")
    assert looks_like_template(b'{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}')
    assert looks_like_template(b"Transform: AWS::Serverless-2016-10-31\n")
    assert not looks_like_template(b"services:\n  web:\n    image: nginx\n")
