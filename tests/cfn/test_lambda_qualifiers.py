"""Lambda aliases and versions stand for their function: every flow that names one
reaches the function, and no alias or version is a node of its own."""

from __future__ import annotations

from .helpers import findings, flows, load

SAM = """\
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Topic:
        Type: AWS::SNS::Topic
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          InlineCode: pass
          AutoPublishAlias: live
          DLQ
          Events:
            Sns:
              Type: SNS
              Properties: {Topic: !Ref Topic}
"""


def test_an_event_on_an_auto_published_alias_reaches_the_function():
    graph = load(SAM.replace("          DLQ\n", ""))
    assert ("topic", "fn", "subscription") in flows(graph)
    assert {data["cfn_type"] for _, data in graph.nodes(data=True)} == {"AWS::SNS::Topic", "AWS::Lambda::Function", "AWS::IAM::Role"}
    assert ("DLQ002", "fn") in findings(graph)


def test_the_function_behind_the_alias_with_a_dlq_is_fine():
    graph = load(SAM.replace("DLQ", "DeadLetterQueue: {Type: SQS, TargetArn: !GetAtt Dlq.Arn}")
                 + "      Dlq:\n        Type: AWS::SQS::Queue\n")
    assert ("DLQ002", "fn") not in findings(graph)


def test_plain_cloudformation_alias_and_version_resolve_to_the_function():
    graph = load("""\
        Resources:
          Jobs:
            Type: AWS::SQS::Queue
          Bus:
            Type: AWS::Events::Rule
            Properties:
              ScheduleExpression: rate(1 hour)
              Targets: [{Id: v, Arn: !Ref Version}]
          Fn:
            Type: AWS::Lambda::Function
            Properties: {Runtime: python3.12, Handler: i.h, Role: arn:aws:iam::1:role/r, Code: {ZipFile: x}}
          Version:
            Type: AWS::Lambda::Version
            Properties: {FunctionName: !Ref Fn}
          Alias:
            Type: AWS::Lambda::Alias
            Properties: {FunctionName: !Ref Fn, FunctionVersion: !GetAtt Version.Version, Name: live}
          Mapping:
            Type: AWS::Lambda::EventSourceMapping
            Properties: {FunctionName: !Ref Alias, EventSourceArn: !GetAtt Jobs.Arn}
    """)
    assert {("jobs", "fn", "event_source_mapping"), ("bus", "fn", "target")} <= flows(graph)
    assert "alias" not in graph and "version" not in graph
    assert {("DLQ001", "jobs"), ("DLQ002", "fn")} <= findings(graph)
