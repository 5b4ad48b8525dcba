"""FAN001–FAN005: fan-out, the FIFO pairs AWS refuses, overlapping bucket notifications."""

from __future__ import annotations

import pytest

from archlint.rules import fanout
from archlint.rules.fanout import (
    BucketNotifiesFifo,
    FifoTopicToFunction,
    OverlappingBucketNotifications,
    SenderFansOutItself,
    StandardTopicToFifoQueue,
)

from .conftest import findings, line_of


@pytest.mark.parametrize("rule", fanout.RULES, ids=lambda rule: rule.id)
def test_examples(rule):
    bad = findings(rule, rule.bad_example)
    assert bad and all(found.rule == rule.id for found in bad)
    assert findings(rule, rule.good_example) == []


SENDER = """\
archlint: 1
name: shop
resources:
  app:
    type: lambda.function
  q-billing:
    type: sqs.queue
  q-shipping:
    type: sqs.queue
  q-audit:
    type: sqs.queue
  events-topic:
    type: sns.topic
flows:
  - app -> events-topic
  - app -> q-billing
  - from: app
    to: [q-shipping, q-audit]
"""


def test_fan001_lists_the_queues_in_flow_order_and_points_at_the_first_send():
    [found] = findings(SenderFansOutItself, SENDER)
    assert (found.rule, found.resource) == ("FAN001", "app")
    assert found.message.startswith("app sends to q-billing, then q-shipping, then q-audit")
    assert found.line == line_of(SENDER, "app -> q-billing")


def test_fan001_quiet_with_one_queue_sent_twice_and_a_topic():
    text = SENDER.replace("    to: [q-shipping, q-audit]\n", "    to: [q-billing]\n")
    assert findings(SenderFansOutItself, text) == []


def test_fan001_quiet_when_a_topic_fans_out():
    text = """\
    archlint: 1
    name: shop
    resources:
      app:
        type: external
      orders:
        type: sns.topic
      q-billing:
        type: sqs.queue
      q-shipping:
        type: sqs.queue
    flows:
      - app -> orders
      - from: orders
        to: [q-billing, q-shipping]
    """
    assert findings(SenderFansOutItself, text) == []


FIFO_TOPIC = """\
archlint: 1
name: orders
resources:
  orders-topic:
    type: sns.topic
    fifo: true
  fn-a:
    type: lambda.function
  fn-b:
    type: lambda.function
  orders-queue:
    type: sqs.queue
    fifo: true
flows:
  - from: orders-topic
    to: [orders-queue, fn-a]
  - orders-topic -> fn-b
"""


def test_fan002_fires_once_per_function_on_a_fifo_topic():
    found = findings(FifoTopicToFunction, FIFO_TOPIC)
    assert [(f.rule, f.resource) for f in found] == [("FAN002", "orders-topic")] * 2
    assert "fn-a" in found[0].message and "fn-b" in found[1].message
    assert found[0].line == line_of(FIFO_TOPIC, "from: orders-topic")
    assert found[1].line == line_of(FIFO_TOPIC, "orders-topic -> fn-b")


def test_fan002_quiet_on_a_standard_topic():
    text = FIFO_TOPIC.replace("    type: sns.topic\n    fifo: true\n", "    type: sns.topic\n")
    assert findings(FifoTopicToFunction, text) == []


BUCKET = """\
archlint: 1
name: uploads
resources:
  uploads:
    type: s3.bucket
  fifo-queue:
    type: sqs.queue
    fifo: true
  fifo-topic:
    type: sns.topic
    fifo: true
  std-queue:
    type: sqs.queue
flows:
  - uploads -> std-queue
  - uploads -> fifo-queue
  - uploads -> fifo-topic
"""


def test_fan003_fires_once_per_fifo_target():
    found = findings(BucketNotifiesFifo, BUCKET)
    assert [(f.rule, f.resource) for f in found] == [("FAN003", "uploads")] * 2
    assert "FIFO SQS queue fifo-queue" in found[0].message
    assert "FIFO SNS topic fifo-topic" in found[1].message
    assert found[0].line == line_of(BUCKET, "uploads -> fifo-queue")


def test_fan003_quiet_on_standard_targets_and_eventbridge():
    text = """\
    archlint: 1
    name: uploads
    resources:
      uploads:
        type: s3.bucket
      std-queue:
        type: sqs.queue
      router:
        type: events.rule
        pattern: {source: [aws.s3]}
      fifo-queue:
        type: sqs.queue
        fifo: true
    flows:
      - uploads -> std-queue
      - uploads -> router -> fifo-queue
    """
    assert findings(BucketNotifiesFifo, text) == []


STANDARD_TOPIC = """\
archlint: 1
name: orders
resources:
  orders-topic:
    type: sns.topic
  fifo-queue:
    type: sqs.queue
    fifo: true
  std-queue:
    type: sqs.queue
flows:
  - orders-topic -> std-queue
  - orders-topic -> fifo-queue
"""


def test_fan004_fires_on_a_standard_topic_subscribing_a_fifo_queue():
    [found] = findings(StandardTopicToFifoQueue, STANDARD_TOPIC)
    assert (found.rule, found.resource) == ("FAN004", "orders-topic")
    assert "fifo-queue" in found.message and "std-queue" not in found.message
    assert found.line == line_of(STANDARD_TOPIC, "orders-topic -> fifo-queue")


def test_fan004_quiet_on_a_fifo_topic():
    text = STANDARD_TOPIC.replace("    type: sns.topic\n", "    type: sns.topic\n    fifo: true\n")
    assert findings(StandardTopicToFifoQueue, text) == []


def test_fan001_ignore_with_a_reason_on_the_sender_silences_it():
    from archlint.linter.engine import lint_graph

    from .conftest import load

    text = SENDER.replace(
        "  app:\n    type: lambda.function\n",
        "  app:\n    type: lambda.function\n    ignore:\n      FAN001: billing and shipping get different messages\n",
    )
    result = lint_graph(load(text), [SenderFansOutItself()])
    assert result.findings == []
    [suppressed] = result.suppressed
    assert suppressed.finding.rule == "FAN001" and suppressed.where == "app"


OVERLAP = """\
archlint: 1
name: overlap
resources:
  uploads:
    type: s3.bucket
  a:
    type: sqs.queue
  b:
    type: sqs.queue
flows:
  - from: uploads
    to: a
    prefix: in/
  - from: uploads
    to: b
    events: ["s3:ObjectCreated:Put"]
    prefix: in/images/
"""


def test_fan005_overlapping_events_and_keys_fire_at_the_second_flow():
    (found,) = findings(OverlappingBucketNotifications, OVERLAP)
    assert (found.rule, found.resource) == ("FAN005", "uploads")
    assert (found.line, found.column) == (line_of(OVERLAP, "- from: uploads", 2), 5)
    assert "notifies a and b" in found.message and "s3:ObjectCreated:* / s3:ObjectCreated:Put" in found.message
    assert "SNS topic" in found.fix


@pytest.mark.parametrize("change", [
    ("prefix: in/images/", "prefix: out/"),  # disjoint prefixes
    ('["s3:ObjectCreated:Put"]', '["s3:ObjectRemoved:*"]'),  # different events
    ("prefix: in/images/", "prefix: in/images/\n    suffix: .png"),  # one suffix only: still overlaps
], ids=["disjoint-prefixes", "other-events", "one-suffix"])
def test_fan005_near_variants(change):
    text = OVERLAP.replace(*change)
    expected = 1 if change[1].endswith(".png") else 0
    assert len(findings(OverlappingBucketNotifications, text)) == expected


def test_fan005_disjoint_suffixes_on_overlapping_prefixes_are_fine():
    text = OVERLAP.replace("prefix: in/images/", "prefix: in/images/\n    suffix: .png").replace(
        "prefix: in/\n", "prefix: in/\n    suffix: .jpg\n")
    assert findings(OverlappingBucketNotifications, text) == []


def test_fan005_one_finding_per_pair():
    text = OVERLAP.replace("  b:\n    type: sqs.queue\n", "  b:\n    type: sqs.queue\n  c:\n    type: sqs.queue\n")
    text += "  - uploads -> c\n"
    pairs = {found.message.split("notifies ")[1].split(" of")[0] for found in findings(OverlappingBucketNotifications, text)}
    assert pairs == {"a and b", "a and c", "b and c"}
