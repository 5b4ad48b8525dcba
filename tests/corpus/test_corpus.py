"""The corpus table: which rules fire on which resource of each real template.

Each entry matches a problem SOURCES.md notes for the template, where archlint has a
rule for it; the few findings SOURCES.md does not note are marked "not in SOURCES.md"
with why they are true. Problems archlint has no rule for are listed under NOT_FOUND
so that the gap is visible (and a new rule that finds one updates this table).
"""

from __future__ import annotations

import glob
import os

import pytest

from archlint.linter.engine import lint_graph
from archlint.linter.registry import all_rules
from archlint.specs.cfn import load_template

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cfn")
TEMPLATES = sorted(glob.glob(os.path.join(HERE, "*.y*ml")) + glob.glob(os.path.join(HERE, "*.json")))

EXPECTED = {
    "alb-asg-multiaz-https-sns-notifications.yaml": {},
    # Pending:Wait instance left when the EventBridge -> Lambda event is lost: no DLQ
    "asg-launch-lifecycle-hook-eventbridge-lambda.yaml": {("DLQ002", "lifecycle-function")},
    "batch-p4d-efa-placement-group.yaml": {},
    "config-ebs-volume-custom-lambda-rule.yaml": {},
    "ec2-ebs-volume-attachment-conditional.yaml": {},
    # not in SOURCES.md: an instance behind an Elastic IP with no recover alarm or standby (true by HA001)
    "ec2-eip-association-ssh.yaml": {("HA001", "ec2-instance")},
    "ecs-alb-http-listener.yaml": {},
    # "async invoke with no DLQ"
    "ecs-asg-lifecycle-hook-sns-lambda-drain.yaml": {("DLQ002", "lifecycle-handler-function")},
    "ecs-security-groups-open-alb.yaml": {},
    "eni-multiple-eips.yaml": {},
    "hpc-efa-launch-template-placement-group.yaml": {},
    "hpc-placement-group-custom-resource.yaml": {},
    # "the OnFailure handler is itself invoked asynchronously and has no DLQ/destination"
    "lambda-destinations-lambda-to-lambda.yaml": {("DLQ002", "on-failure-function")},
    "lambda-destinations-onfailure-sqs.yaml": {},
    "lambda-scheduler-lambda-dlq.yaml": {},
    # not in SOURCES.md: ingress allow tcp 400-500 and no egress rule at all, so replies
    # are dropped (true by NACL003; the fixture is about deny rules)
    # two ingress deny rules numbered 300: CloudFormation refuses the second (NACL004)
    "nacl-deny-overlapping-ports.yml": {("NACL003", "my-network-acl"), ("NACL004", "my-network-acl")},
    "nlb-with-eips.json": {},
    "s3-lambda-onfailure-destination-apigw.yaml": {},
    # "retried twice and dropped (no DLQ)"
    "s3-lambda-polly-writes-same-bucket.yaml": {("DLQ002", "text-to-speech-function")},
    # "the S3 notification's prefix filter is a parameter; async invoke with no DLQ"
    "s3-lambda-async-parameter-prefix-filter.yaml": {("DLQ002", "asynchronous-function")},
    # "no DLQ/destination"
    "s3-lambda-resize-separate-buckets.yaml": {("DLQ002", "resizer-function")},
    # "no DLQ/destination"; the suffix filters keep the same-bucket write from looping
    "s3-lambda-transcribe-same-bucket-suffix-filter.yaml": {("DLQ002", "transcription-function")},
    # "EventBridge Scheduler invokes the function asynchronously; no DLQ / destination"
    "scheduler-lambda-no-dlq.yaml": {("DLQ002", "scheduled-lambda-function")},
    # "the schedule targets the function's AutoPublishAlias alias; async, no DLQ / destination"
    "scheduler-durable-lambda-alias-no-dlq.yaml": {("DLQ002", "durable-cron-function")},
    # "async invoke with no DLQ / OnFailure destination"
    "s3-lambda-trigger-notification.yaml": {("DLQ002", "s3-trigger-lambda-function")},
    # "async Lambda without DLQ/destination"
    "s3-sns-fanout-lambda-and-sqs.yml": {("DLQ002", "file-audit")},
    # "asynchronous invoke with no Lambda DLQ / OnFailure destination"
    "sns-lambda-subscription-no-dlq.yaml": {("DLQ002", "topic-consumer-function1")},
    "sns-sqs-fanout-filter-policies.yaml": {},
    # "no SQS RedrivePolicy"; "VisibilityTimeout defaults to 30 s = function Timeout 30 s"
    "sns-sqs-lambda-no-dlq.yml": {("DLQ001", "my-sqs-queue"), ("SQS002", "my-sqs-queue")},
    # "the source queue is FifoQueue: false ... redrives to a FIFO DLQ"
    "sqs-fifo-dlq-standard-source-mismatch.yaml": {("DLQ004", "source-queue")},
    "sqs-fifo-queue-optional-dlq.json": {},
    # "maxReceiveCount 1 (one failure sends the message to the DLQ)"
    "sqs-fifo-redrive-shared-dlq-lambda.yaml": {("DLQ006", "my-original-queue"), ("DLQ006", "my-re-process-queue")},
    # "FIFO queue with no RedrivePolicy"; SQS002 not in SOURCES.md: the default 30 s
    # visibility timeout is less than 6 x the function's 15 s timeout (AWS's advice)
    "sqs-fifo-websocket-esm-no-dlq.yaml": {("DLQ001", "apigw-websocket-queue"), ("SQS002", "apigw-websocket-queue")},
    # "no RedrivePolicy / DLQ"
    "sqs-lambda-basic-no-dlq.yaml": {("DLQ001", "my-sqs-queue")},
    # "none of the 6 queues has a RedrivePolicy"
    "sqs-lambda-esm-filters-no-dlq.yaml": {
        ("DLQ001", f"esm-sqs-filter-queue-{name}") for name in ("no-filter", "prefix", "anything-but", "ip", "and", "or")
    },
    # "a Lambda DLQ only covers asynchronous invokes, so it does nothing for the SQS event source"
    "sqs-lambda-redrive-dlq-python.yaml": {("DLQ003", "processor-function")},
    "vpc-nat-eips-public-nacl.yaml": {},
}

# Problems SOURCES.md notes that archlint has a rule family for but cannot find yet.
NOT_FOUND = {
    "s3-lambda-polly-writes-same-bucket.yaml": "LOOP001: the write back into the bucket is in the function's code; "
    "its policy allows s3:PutObject on '*', which names no bucket",
    "ecs-asg-lifecycle-hook-sns-lambda-drain.yaml": "LOOP001: the function re-publishes to its own topic in code; "
    "its role allows sns:Publish on '*'",
    "nacl-deny-overlapping-ports.yml": "NACL001 needs one allow rule covering the whole deny rule; allow 400-500 "
    "covers deny 450-475 only for 10.0.0.0/16, not 0.0.0.0/0 (partial shadowing)",
    "sqs-fifo-queue-optional-dlq.json": "DLQ001: the DLQ depends on a condition and the queue has no consumer here",
}


def test_the_table_covers_the_corpus():
    assert sorted(EXPECTED) == sorted(os.path.basename(path) for path in TEMPLATES)
    assert set(NOT_FOUND) <= set(EXPECTED)


@pytest.fixture(scope="module")
def rules():
    return all_rules()


@pytest.mark.parametrize("path", TEMPLATES, ids=os.path.basename)
def test_rules_fire_as_the_table_says(path, rules):
    graph = load_template(path)
    findings = lint_graph(graph, rules).findings
    assert {(finding.rule, finding.resource) for finding in findings} == set(EXPECTED[os.path.basename(path)])
    with open(path, encoding="utf-8") as stream:
        lines = stream.read().splitlines()
    for finding in findings:
        # a finding points into the template: at the resource's logical id, or inside it
        assert finding.file == path
        assert 1 <= finding.line <= len(lines) and finding.column >= 1
        logical_id = graph.nodes[finding.resource]["logical_id"]
        if (finding.line, finding.column) == (graph.nodes[finding.resource]["line"], graph.nodes[finding.resource]["column"]):
            assert lines[finding.line - 1][finding.column - 1:].lstrip('"').startswith(logical_id)


@pytest.mark.parametrize("path", TEMPLATES, ids=os.path.basename)
def test_every_node_points_at_its_logical_id(path):
    graph = load_template(path)
    with open(path, encoding="utf-8") as stream:
        lines = stream.read().splitlines()
    for node, data in graph.nodes(data=True):
        text = lines[data["line"] - 1][data["column"] - 1:]
        # a resource SAM generated points at the SAM resource or event it comes from
        assert text.lstrip('"').split(":")[0].strip('"') in data["logical_id"], (node, text)
