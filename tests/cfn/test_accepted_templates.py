"""Every template CloudFormation accepts is read: no format version, only non-AWS
types, duplicate keys (the last wins, as CloudFormation deploys it), `Fn::ForEach`."""

from __future__ import annotations

import textwrap

import pytest

from archlint.specs import SpecError
from archlint.specs.cfn.decode import looks_like_template

from cli_runner import run_cli
from .helpers import findings, load


def test_a_template_of_only_non_aws_types_is_read(tmp_path):
    template = tmp_path / "skill.yaml"
    template.write_text(textwrap.dedent("""\
        Resources:
          Skill:
            Type: Alexa::ASK::Skill
            Properties:
              VendorId: M123
          Hook:
            Type: Custom::Seeder
            Properties:
              ServiceToken: arn:aws:lambda:us-east-1:123456789012:function:seed
    """))
    assert looks_like_template(template.read_bytes())
    result = run_cli("check", template)
    assert result.returncode == 0, result.stderr
    graph = load(template.read_text())
    assert {data["cfn_type"] for _, data in graph.nodes(data=True)} == {"Alexa::ASK::Skill", "Custom::Seeder"}


def test_an_empty_resources_section_is_still_refused():
    # CloudFormation: Resources "must declare at least one resource" (template-guide).
    with pytest.raises(SpecError, match="at least one resource"):
        load("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n")


@pytest.mark.parametrize("text", [
    """\
    Resources:
      Jobs:
        Type: AWS::SQS::Queue
        Properties:
          VisibilityTimeout: 10
          VisibilityTimeout: 60
    """,
    '{"Resources": {"Jobs": {"Type": "AWS::SQS::Queue",'
    ' "Properties": {"VisibilityTimeout": 10, "VisibilityTimeout": 60}}}}',
])
def test_a_duplicate_key_takes_the_last_value_as_cloudformation_does(text):
    graph = load(text)
    assert graph.nodes["jobs"]["visibility_timeout"] == 60


def test_a_duplicate_resource_keeps_the_last_definition():
    graph = load("""\
        Resources:
          Jobs:
            Type: AWS::SNS::Topic
          Jobs:
            Type: AWS::SQS::Queue
    """)
    assert graph.nodes["jobs"]["type"] == "sqs.queue"


def test_other_decoding_errors_still_refuse_with_a_position():
    with pytest.raises(SpecError) as caught:
        load("Resources:\n  Jobs:\n    Type: AWS::SQS::Queue\n    Properties: {a: 1\n")
    assert caught.value.problems[0].line > 1


LOOPS = """\
    Transform: AWS::LanguageExtensions
    Parameters:
      Names:
        Type: CommaDelimitedList
        Default: a,b
    Resources:
      Dlq:
        Type: AWS::SQS::Queue
      'Fn::ForEach::Queues':
        - Name
        - [Orders, Refunds]
        - 'Queue${Name}':
            Type: AWS::SQS::Queue
            Properties:
              QueueName: !Sub '${Name}-queue'
              RedrivePolicy:
                deadLetterTargetArn: !GetAtt Dlq.Arn
                maxReceiveCount: 3
          'Fn::ForEach::Subnets':
            - Cidr
            - ['10.0.1.0/24', '10.0.2.0/24']
            - 'Subnet${Name}&{Cidr}':
                Type: AWS::EC2::Subnet
                Properties:
                  CidrBlock: !Ref Cidr
                  VpcId: vpc-0123456789abcdef0
      'Fn::ForEach::Topics':
        - Name
        - !Ref Names
        - 'Topic${Name}':
            Type: AWS::SNS::Topic
"""


def test_for_each_makes_one_resource_per_item_with_the_item_substituted():
    graph = load(LOOPS)
    nodes = dict(graph.nodes(data=True))
    assert nodes["queue-orders"]["dead_letter"] == "dlq"
    assert nodes["queue-refunds"]["type"] == "sqs.queue"
    # nested loop; &{} drops the non-alphanumeric characters; Ref to the identifier
    assert nodes["subnet-orders1001024"]["cidr"] == "10.0.1.0/24"
    assert nodes["subnet-refunds1002024"]["cidr"] == "10.0.2.0/24"
    assert (nodes["queue-orders"]["line"], nodes["queue-orders"]["column"]) == (12, 7)  # the output key in the loop


def test_a_collection_known_only_at_deployment_is_not_guessed():
    graph = load(LOOPS)
    topics = graph.nodes["topics"]
    assert topics["type"] == "cfn.resource" and topics["cfn_type"] == "AWS::SNS::Topic"
    assert "deployed" in topics["unknown_reasons"]["count"]
    assert not [node for node in graph if node.startswith("topic-")]


def test_a_malformed_loop_is_refused_at_the_loop():
    with pytest.raises(SpecError) as caught:
        load("""\
            Transform: AWS::LanguageExtensions
            Resources:
              'Fn::ForEach::Broken':
                - Name
                - [a]
        """)
    problem = caught.value.problems[0]
    assert problem.line == 3 and "three items" in problem.message


def test_for_each_runs_before_the_sam_transform():
    graph = load("""\
        Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]
        Resources:
          Nightly:
            Type: AWS::SNS::Topic
          'Fn::ForEach::Workers':
            - Name
            - [Billing, Shipping]
            - '${Name}Function':
                Type: AWS::Serverless::Function
                Properties:
                  Runtime: python3.12
                  Handler: app.handler
                  InlineCode: pass
                  Events:
                    Nightly:
                      Type: SNS
                      Properties:
                        Topic: !Ref Nightly
    """)
    assert graph.nodes["billing-function"]["type"] == graph.nodes["shipping-function"]["type"] == "lambda.function"
    # SNS invokes asynchronously and neither function has a DLQ
    assert {("DLQ002", "billing-function"), ("DLQ002", "shipping-function")} <= findings(graph)


def test_a_sam_api_with_models_and_no_definition_body_is_read():
    # The SAM translator accepts it (it writes the definition from the events).
    graph = load("""\
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Api:
            Type: AWS::Serverless::Api
            Properties:
              StageName: prod
              Models:
                User: {type: object, properties: {name: {type: string}}}
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.12
              Handler: app.handler
              InlineCode: pass
              Events:
                Post:
                  Type: Api
                  Properties: {RestApiId: !Ref Api, Path: /users, Method: post, RequestModel: {Model: User}}
    """)
    assert graph.nodes["fn"]["type"] == "lambda.function"
    assert "AWS::ApiGateway::RestApi" in {data["cfn_type"] for _, data in graph.nodes(data=True)}
