"""SAM templates are expanded first (the SAM translator's public API, offline); what
SAM generates points back at the SAM resource or event it comes from."""

from __future__ import annotations

import pytest

from archlint.specs import SpecError

from .helpers import flows, load

HEADER = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n"


def sam(body: str):
    return load(HEADER + body)


FUNCTION = """\
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Timeout: 30
"""


def test_sqs_event_is_an_event_source_mapping_pointing_at_the_event():
    graph = sam("  Jobs:\n    Type: AWS::SQS::Queue\n" + FUNCTION + """\
      Events:
        FromJobs:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
""")
    assert flows(graph) == {("jobs", "worker", "event_source_mapping")}
    edge = next(d for _, _, d in graph.edges(data=True) if d["kind"] == "flow")
    assert (edge["line"], edge["column"]) == (14, 9)  # `FromJobs:` in the SAM function
    assert graph.nodes["worker"]["timeout"] == 30
    assert graph.nodes["worker"]["positions"]["timeout"] == (12, 7)


def test_sns_s3_and_schedule_events():
    graph = sam("""\
  Topic:
    Type: AWS::SNS::Topic
  Uploads:
    Type: AWS::S3::Bucket
""" + FUNCTION + """\
      Events:
        FromTopic:
          Type: SNS
          Properties:
            Topic: !Ref Topic
        FromUploads:
          Type: S3
          Properties:
            Bucket: !Ref Uploads
            Events: s3:ObjectCreated:Put
            Filter:
              S3Key:
                Rules:
                  - {Name: suffix, Value: .jpg}
        Nightly:
          Type: Schedule
          Properties:
            Schedule: rate(1 day)
""")
    assert flows(graph) == {
        ("topic", "worker", "subscription"),
        ("uploads", "worker", "notification"),
        ("worker-nightly", "worker", "target"),
    }
    notification = next(d for s, _, d in graph.edges(data=True) if s == "uploads")
    assert (notification["events"], notification["suffix"], notification["prefix"]) == (["s3:ObjectCreated:Put"], ".jpg", None)
    assert notification["line"] == 20  # `FromUploads:`: SAM wrote the bucket's configuration from it
    assert graph.nodes["worker-nightly"]["schedule"] == "rate(1 day)"


def test_dead_letter_queue_and_event_invoke_config():
    graph = sam("""\
  Failures:
    Type: AWS::SQS::Queue
  Dlq:
    Type: AWS::SNS::Topic
""" + FUNCTION + """\
      DeadLetterQueue:
        Type: SNS
        TargetArn: !Ref Dlq
      EventInvokeConfig:
        MaximumRetryAttempts: 1
        MaximumEventAgeInSeconds: 600
        DestinationConfig:
          OnFailure:
            Type: SQS
            Destination: !GetAtt Failures.Arn
""")
    worker = graph.nodes["worker"]
    assert (worker["dead_letter"], worker["on_failure"]) == ("dlq", "failures")
    assert (worker["max_retry_attempts"], worker["max_event_age"]) == (1, 600)
    assert worker["positions"]["dead_letter"] == (15, 7)  # `DeadLetterQueue:`
    assert worker["positions"]["on_failure"][0] == 22  # `OnFailure:`


def test_simple_table_and_generated_roles_are_opaque():
    graph = sam("  Table:\n    Type: AWS::Serverless::SimpleTable\n" + FUNCTION)
    assert graph.nodes["table"]["type"] == "cfn.resource"
    assert graph.nodes["table"]["cfn_type"] == "AWS::DynamoDB::Table"
    role = graph.nodes["worker-role"]
    assert role["cfn_type"] == "AWS::IAM::Role" and role["line"] == 6  # points at Worker


# -- what `sam build`/`sam package` would have done, done offline ----------------------


def test_code_named_in_globals_is_read():
    graph = load(HEADER.replace("Resources:\n", "Globals:\n  Function:\n    CodeUri: ./src\n    Timeout: 15\nResources:\n")
                 + "  Jobs:\n    Type: AWS::SQS::Queue\n" + """\
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Events:
        FromJobs: {Type: SQS, Properties: {Queue: !GetAtt Jobs.Arn}}
""")
    assert flows(graph) == {("jobs", "worker", "event_source_mapping")}
    assert graph.nodes["worker"]["timeout"] == 15


@pytest.mark.parametrize("package", ["Zip", "Image"])
def test_a_function_that_names_no_code_is_read(package):
    """`sam build` packages the template's folder (or builds the image from Metadata)."""
    graph = sam(f"""\
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      PackageType: {package}
      {"Runtime: python3.12" if package == "Zip" else "Architectures: [x86_64]"}
      {"Handler: app.handler" if package == "Zip" else "Timeout: 20"}
""")
    assert graph.nodes["worker"]["type"] == "lambda.function"


def test_an_api_whose_definition_is_an_include_keeps_its_auth():
    """CloudFormation inlines `AWS::Include` before SAM runs; we cannot, so SAM gets an
    empty definition to add its authorizer to, and the function is still read."""
    graph = sam(FUNCTION + """\
  RestApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        Fn::Transform: {Name: AWS::Include, Parameters: {Location: api.yaml}}
      Auth:
        DefaultAuthorizer: Authorizer
        Authorizers:
          Authorizer: {FunctionArn: !GetAtt Worker.Arn}
""")
    assert "worker" in graph.nodes


def test_an_unknown_managed_policy_name_is_kept_not_looked_up():
    """The translator would ask IAM for a policy name it does not bundle; offline, the
    name is kept as written."""
    graph = sam(FUNCTION + "      Policies: [NoSuchManagedPolicyAnywhere, AWSLambdaBasicExecutionRole]\n")
    assert "worker" in graph.nodes


def test_what_the_translator_refuses_is_reported_at_the_transform():
    with pytest.raises(SpecError) as raised:
        sam(FUNCTION + "      Events:\n        FromNowhere: {Type: SQS, Properties: {BatchSize: 5}}\n")
    [problem] = raised.value.problems
    assert (problem.line, problem.column) == (2, 1)
    assert "the SAM transform failed" in problem.message and "Worker" in problem.message
