"""Fan-out (FAN): delivering one message to several consumers, and which pairs AWS allows.

A FIFO topic or queue keeps order and deduplicates; AWS restricts what may feed or
follow one. These rules catch the combinations AWS refuses, and the sender that
delivers one message to several queues itself instead of publishing it once.
"""

from __future__ import annotations

from typing import Iterator

import networkx as nx

from ..linter.rule import Finding, Rule, flow_edges, flow_position, known, nodes_of_type, prose_list
from ..specs.query import KeyFilterIndex, query

SNS_FANOUT_DOCS = "https://docs.aws.amazon.com/sns/latest/dg/sns-sqs-as-subscriber.html"
SNS_FIFO_DOCS = "https://docs.aws.amazon.com/sns/latest/dg/fifo-message-delivery.html"
S3_NOTIFICATION_DOCS = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventNotifications.html"
S3_QUEUE_CONFIGURATION_DOCS = (
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/"
    "aws-properties-s3-bucket-queueconfiguration.html"
)


class SenderFansOutItself(Rule):
    id = "FAN001"
    severity = "error"
    summary = "A sender delivers the same message to several queues itself instead of publishing it to a topic"
    docs = f"""
## What it does
Finds a resource with `send` flows to two or more SQS queues.

## Why is this bad?
Sending the same message to each queue in turn is not atomic: if the sender fails or
is throttled after the first queue, the later queues never receive the message, and a
retry delivers it twice to the earlier ones. Publishing once to an SNS topic that the
queues subscribe to hands the delivery to SNS, which retries each subscription on its
own (fan-out).
See [AWS: Fanout Amazon SNS notifications to Amazon SQS queues]({SNS_FANOUT_DOCS}).

## Example
`checkout` sends each order to the billing queue, then the shipping queue.

## Fix
Publish to an `sns.topic` and subscribe the queues to it. A sender that routes
*different* messages to different queues is legitimate: silence the finding on the
sender with `ignore: {{FAN001: <the reason>}}`.
"""
    bad_example = """\
archlint: 1
name: shop
resources:
  checkout:
    type: external
  q-billing:
    type: sqs.queue
  q-shipping:
    type: sqs.queue
flows:
  - from: checkout
    to: [q-billing, q-shipping]
"""
    good_example = """\
archlint: 1
name: shop
resources:
  checkout:
    type: external
  orders-topic:
    type: sns.topic
  q-billing:
    type: sqs.queue
  q-shipping:
    type: sqs.queue
flows:
  - checkout -> orders-topic
  - from: orders-topic
    to: [q-billing, q-shipping]
"""

    def check(self, graph: nx.MultiDiGraph) -> Iterator[Finding]:
        # the types that may `send` to a queue (docs/spec.md's flow table)
        lookup = query(graph)
        for sender, _ in nodes_of_type(graph, "external", "ec2.instance", "autoscaling.group", "lambda.function"):
            sends = [(target, data) for target, data in lookup.first_flows_out(sender, "send")
                     if graph.nodes[target]["type"] == "sqs.queue"]
            if len(sends) < 2:
                continue
            queues = [target for target, _ in sends]
            yield self.finding(
                graph,
                sender,
                message=(
                    f"{sender} sends to {queues[0]}, then " + ", then ".join(queues[1:])
                    + ": if a later send fails, those queues never receive the message"
                ),
                fix=(
                    f"publish once from {sender} to an sns.topic that {prose_list(queues)} subscribe to "
                    "(or ignore FAN001 on it, with the reason, if it routes different messages)"
                ),
                at=flow_position(sends[0][1]),
            )


class FifoTopicToFunction(Rule):
    id = "FAN002"
    severity = "error"
    summary = "A FIFO SNS topic has a Lambda subscription: FIFO topics deliver only to SQS queues"
    docs = f"""
## What it does
Finds a FIFO `sns.topic` with a `subscription` to a `lambda.function`. One finding per
function.

## Why is this bad?
An SNS FIFO topic delivers only to SQS queues; the other protocols (Lambda, HTTP,
email, SMS) are not offered, so the subscription cannot be created.
See [AWS: Message delivery for FIFO topics]({SNS_FIFO_DOCS}).

## Example
`orders-topic` is FIFO and subscribes `orders-fn` directly.

## Fix
Subscribe a FIFO `sqs.queue` to the topic and let the function read that queue
(an event source mapping keeps the order per message group).
"""
    bad_example = """\
archlint: 1
name: orders
resources:
  orders-topic:
    type: sns.topic
    fifo: true
  orders-fn:
    type: lambda.function
flows:
  - orders-topic -> orders-fn
"""
    good_example = """\
archlint: 1
name: orders
resources:
  orders-topic:
    type: sns.topic
    fifo: true
  orders-queue:
    type: sqs.queue
    fifo: true
    dead_letter: orders-dlq
  orders-dlq:
    type: sqs.queue
    fifo: true
  orders-fn:
    type: lambda.function
flows:
  - orders-topic -> orders-queue -> orders-fn
"""

    def check(self, graph: nx.MultiDiGraph) -> Iterator[Finding]:
        for topic, data in nodes_of_type(graph, "sns.topic"):
            if data.get("fifo") is not True or not known(data, "fifo"):
                continue
            for function, flow in query(graph).first_flows_out(topic, "subscription"):
                if graph.nodes[function]["type"] != "lambda.function":
                    continue
                yield self.finding(
                    graph,
                    topic,
                    message=(
                        f"FIFO SNS topic {topic} has a subscription to Lambda function {function}: "
                        "FIFO topics deliver only to SQS queues"
                    ),
                    fix=f"subscribe a FIFO sqs.queue to {topic} and let {function} read that queue",
                    at=flow_position(flow),
                )


class BucketNotifiesFifo(Rule):
    id = "FAN003"
    severity = "error"
    summary = "An S3 bucket notifies a FIFO queue or topic: S3 delivers only to standard ones"
    docs = f"""
## What it does
Finds an `s3.bucket` with a `notification` to a FIFO `sqs.queue` or `sns.topic`. One
finding per target.

## Why is this bad?
S3 event notifications go to standard SQS queues and standard SNS topics only: "FIFO
queues are not allowed when enabling an SQS queue as the event notification
destination", and SNS FIFO topics are refused the same way. The bucket's notification
configuration cannot be saved.
See [AWS: Amazon S3 Event Notifications]({S3_NOTIFICATION_DOCS}) and
[AWS: S3 QueueConfiguration]({S3_QUEUE_CONFIGURATION_DOCS}).

## Example
`uploads` notifies the FIFO queue `uploads-queue`.

## Fix
Notify a standard queue or topic, or send the events through EventBridge (a rule
can target a FIFO queue).
"""
    bad_example = """\
archlint: 1
name: uploads
resources:
  uploads:
    type: s3.bucket
  uploads-queue:
    type: sqs.queue
    fifo: true
flows:
  - uploads -> uploads-queue
"""
    good_example = """\
archlint: 1
name: uploads
resources:
  uploads:
    type: s3.bucket
  uploads-queue:
    type: sqs.queue
flows:
  - uploads -> uploads-queue
"""

    def check(self, graph: nx.MultiDiGraph) -> Iterator[Finding]:
        for bucket, _ in nodes_of_type(graph, "s3.bucket"):
            for target, flow in query(graph).first_flows_out(bucket, "notification"):
                node = graph.nodes[target]
                if node["type"] not in ("sqs.queue", "sns.topic") or node.get("fifo") is not True or not known(node, "fifo"):
                    continue
                kind = "SQS queue" if node["type"] == "sqs.queue" else "SNS topic"
                yield self.finding(
                    graph,
                    bucket,
                    message=(
                        f"S3 bucket {bucket} notifies the FIFO {kind} {target}: S3 event notifications "
                        "go only to standard queues and topics"
                    ),
                    fix=f"notify a standard {kind} instead of {target}, or route the events through an events.rule",
                    at=flow_position(flow),
                )


class StandardTopicToFifoQueue(Rule):
    id = "FAN004"
    severity = "error"
    summary = "A standard SNS topic subscribes a FIFO SQS queue: only a FIFO topic can"
    docs = f"""
## What it does
Finds a standard (non-FIFO) `sns.topic` with a `subscription` to a FIFO `sqs.queue`.
One finding per queue.

## Why is this bad?
A FIFO queue can subscribe only to a FIFO topic: a standard topic neither orders nor
deduplicates, and SNS refuses the subscription.
See [AWS: Message delivery for FIFO topics]({SNS_FIFO_DOCS}).

## Example
The standard `orders-topic` subscribes the FIFO `orders-queue`.

## Fix
Make the topic FIFO (`fifo: true`) or the queue standard.
"""
    bad_example = """\
archlint: 1
name: orders
resources:
  orders-topic:
    type: sns.topic
  orders-queue:
    type: sqs.queue
    fifo: true
flows:
  - orders-topic -> orders-queue
"""
    good_example = """\
archlint: 1
name: orders
resources:
  orders-topic:
    type: sns.topic
    fifo: true
  orders-queue:
    type: sqs.queue
    fifo: true
flows:
  - orders-topic -> orders-queue
"""

    def check(self, graph: nx.MultiDiGraph) -> Iterator[Finding]:
        for topic, data in nodes_of_type(graph, "sns.topic"):
            if data.get("fifo") is not False or not known(data, "fifo"):
                continue
            for queue, flow in query(graph).first_flows_out(topic, "subscription"):
                node = graph.nodes[queue]
                if node["type"] != "sqs.queue" or node.get("fifo") is not True or not known(node, "fifo"):
                    continue
                yield self.finding(
                    graph,
                    topic,
                    message=(
                        f"standard SNS topic {topic} has a subscription to the FIFO SQS queue {queue}: "
                        "a FIFO queue subscribes only to a FIFO topic"
                    ),
                    fix=f"set `fifo: true` on {topic}, or make {queue} a standard queue",
                    at=flow_position(flow),
                )


S3_FILTER_DOCS = "https://docs.aws.amazon.com/AmazonS3/latest/API/API_FilterRule.html"
S3_OVERLAP_DOCS = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html"


def _events_overlap(first: str, second: str) -> bool:
    """s3:ObjectCreated:* covers s3:ObjectCreated:Put; equal names overlap."""
    def covers(pattern: str, event: str) -> bool:
        return pattern == event or (pattern.endswith("*") and event.startswith(pattern[:-1]))

    return covers(first, second) or covers(second, first)


class OverlappingBucketNotifications(Rule):
    id = "FAN005"
    severity = "error"
    summary = "Two notifications of an S3 bucket share an event and key filters: S3 refuses the configuration"
    docs = f"""
## What it does
Finds an `s3.bucket` with two `notification` flows whose `events` share an event type
(`s3:ObjectCreated:*` shares every `s3:ObjectCreated:...`) and whose key filters can
match the same key: neither both `prefix`es nor both `suffix`es tell them apart (an
absent filter matches every key). One finding per such pair.

## Why is this bad?
S3 keeps one notification configuration per bucket and refuses one in which two
entries could fire for the same event on the same key ("Overlapping prefixes and
suffixes are not supported"; the deployment fails with "Configurations overlap.
Configurations on the same bucket cannot share a common event type"). One event
cannot be delivered to two destinations by the bucket itself.
See [AWS: S3 FilterRule]({S3_FILTER_DOCS}) and
[AWS: Configuring event notifications using object key name filtering]({S3_OVERLAP_DOCS}).

## Example
`uploads` notifies both `thumbnail-fn` and `index-fn` of every new object.

## Fix
Notify one SNS topic that both consumers subscribe to (fan-out), or give the two
notifications disjoint `prefix` or `suffix` filters, or different `events`.
"""
    bad_example = """\
archlint: 1
name: uploads
resources:
  uploads:
    type: s3.bucket
  thumbnail-fn:
    type: lambda.function
    on_failure: failures
  index-fn:
    type: lambda.function
    on_failure: failures
  failures:
    type: sqs.queue
flows:
  - uploads -> thumbnail-fn
  - uploads -> index-fn
"""
    good_example = """\
archlint: 1
name: uploads
resources:
  uploads:
    type: s3.bucket
  uploads-topic:
    type: sns.topic
  thumbnail-fn:
    type: lambda.function
    on_failure: failures
  index-fn:
    type: lambda.function
    on_failure: failures
  failures:
    type: sqs.queue
flows:
  - uploads -> uploads-topic -> thumbnail-fn
  - uploads-topic -> index-fn
"""

    def check(self, graph: nx.MultiDiGraph) -> Iterator[Finding]:
        for bucket, _ in nodes_of_type(graph, "s3.bucket"):
            # a notification whose events an imported template does not fix is left out
            notifications = sorted(
                ((target, flow) for _, target, flow in flow_edges(graph, bucket)
                 if flow["relation"] == "notification" and flow.get("events") is not None
                 and known(flow, "events", "prefix", "suffix")),
                key=lambda item: flow_position(item[1]),
            )
            # pairs whose key filters overlap, found through an index (comparing every pair
            # took 25 s for a bucket with 9,000 notifications), in the order of the pairs
            filters = KeyFilterIndex([(flow.get("prefix"), flow.get("suffix")) for _, flow in notifications])
            for index, (first, flow_a) in enumerate(notifications):
                for later in filters.overlapping(filters.filters[index]):
                    if later <= index:
                        continue
                    second, flow_b = notifications[later]
                    shared = next(
                        ((a, b) for a in flow_a["events"] for b in flow_b["events"] if _events_overlap(a, b)), None
                    )
                    if shared is None:
                        continue
                    yield self.finding(
                        graph,
                        bucket,
                        message=(
                            f"S3 bucket {bucket} notifies {first} and {second} of the same event "
                            f"({shared[0]} / {shared[1]}) on keys both filters match: S3 refuses overlapping "
                            "notification configurations"
                        ),
                        fix=(
                            f"notify one SNS topic that {first} and {second} subscribe to, or give the two flows "
                            "disjoint `prefix` or `suffix` filters"
                        ),
                        at=flow_position(flow_b),
                    )


RULES = [SenderFansOutItself, FifoTopicToFunction, BucketNotifiesFifo, StandardTopicToFifoQueue,
         OverlappingBucketNotifications]
