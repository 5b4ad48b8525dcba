"""SQS queues, SNS topics and EventBridge rules, with the policies and subscriptions
their flows need.

Traps handled here:
- A queue's `Ref` is its URL; wherever an ARN is needed (redrive policy,
  subscription endpoint, rule target) the ARN comes from `Fn::GetAtt Queue.Arn`.
- A queue or topic has one resource policy: every service that delivers to it (SNS,
  S3, EventBridge, CloudWatch) is a statement of the same policy resource, since two
  policy resources on one queue overwrite each other.
- An SNS subscription to a queue waits (`DependsOn`) for the queue's policy, or the
  first messages are refused.
- FIFO queues and topics need names ending in `.fifo` (names.fifo_name).
- A dead-letter queue keeps messages 14 days (the maximum): a message keeps its
  original enqueue time when it is moved, so with the 4-day default it could expire
  from the DLQ soon after arriving.

Secure defaults (docs/emit.md): queues are encrypted with SQS-managed keys
(`SqsManagedSseEnabled`; unlike a KMS key, SNS, S3 and EventBridge can deliver to
them with no key policy), topics with the AWS managed key `alias/aws/sns` unless an
AWS service publishes to them (S3, EventBridge and CloudWatch would need a customer
managed key whose policy lets them), and every queue and topic policy denies requests
that do not use TLS (`aws:SecureTransport`).
"""

from __future__ import annotations

import networkx as nx

from ...specs.query import referrers
from .intrinsics import get_att, ref
from .lookups import arn_of, flows_in_in_spec_order, flows_out_in_spec_order, type_of
from .names import bucket_arn, fifo_name, logical_id
from .policies import resource_policy, tls_only
from .tags import tags
from .template import Template

FOURTEEN_DAYS = 14 * 24 * 3600
FOUR_DAYS = 4 * 24 * 3600


def queue(template: Template, queue_id: str) -> None:
    graph = template.graph
    node = graph.nodes[queue_id]
    properties: dict = {}
    if node.get("fifo"):
        properties.update(QueueName=fifo_name(queue_id), FifoQueue=True, ContentBasedDeduplication=True)
    properties["SqsManagedSseEnabled"] = node.get("encrypted") is not False
    properties["VisibilityTimeout"] = node.get("visibility_timeout", 30)
    if node.get("dead_letter"):
        properties["RedrivePolicy"] = {
            "deadLetterTargetArn": get_att(logical_id(node["dead_letter"]), "Arn"),
            "maxReceiveCount": node.get("max_receive_count") or 5,
        }
    if referrers(graph, queue_id, "dead_letter") or referrers(graph, queue_id, "on_failure"):
        properties["MessageRetentionPeriod"] = FOURTEEN_DAYS
    else:
        properties["MessageRetentionPeriod"] = FOUR_DAYS  # SQS's default, said explicitly
    properties["Tags"] = tags(graph, queue_id, name=False) or None
    properties = {key: value for key, value in properties.items() if value is not None}
    # Messages are work in flight, not records: the queue goes with the stack.
    own = template.add(queue_id, "", "AWS::SQS::Queue", properties, keep="Delete")

    senders = _service_senders(graph, queue_id)
    document = resource_policy("sqs:SendMessage", get_att(own, "Arn"), senders)
    document["Statement"].append(tls_only("sqs:*", get_att(own, "Arn")))
    template.add(
        queue_id,
        "Policy",
        "AWS::SQS::QueuePolicy",
        {"Queues": [ref(own)], "PolicyDocument": document},
        what=f"the queue policy of '{queue_id}'",
    )
    template.output(queue_id, "url", ref(own), f"URL of the queue {queue_id}")
    template.output(queue_id, "arn", get_att(own, "Arn"), f"ARN of the queue {queue_id}")


def topic(template: Template, topic_id: str) -> None:
    graph = template.graph
    node = graph.nodes[topic_id]
    properties: dict = {}
    if node.get("fifo"):
        properties.update(TopicName=fifo_name(topic_id), FifoTopic=True, ContentBasedDeduplication=True)
    senders = _service_senders(graph, topic_id)
    if topic_encrypted(graph, topic_id):
        properties["KmsMasterKeyId"] = "alias/aws/sns"
    if tags(graph, topic_id, name=False):
        properties["Tags"] = tags(graph, topic_id, name=False)
    own = template.add(topic_id, "", "AWS::SNS::Topic", properties)

    # A topic policy replaces the default one, which is what lets CloudWatch alarms
    # publish; so alarms get their statement in it too.
    document = resource_policy("sns:Publish", ref(own), senders)
    document["Statement"].append(tls_only("sns:Publish", ref(own)))
    template.add(
        topic_id,
        "Policy",
        "AWS::SNS::TopicPolicy",
        {"Topics": [ref(own)], "PolicyDocument": document},
        what=f"the topic policy of '{topic_id}'",
    )
    template.output(topic_id, "arn", ref(own), f"ARN of the topic {topic_id}")

    for target, _ in flows_out_in_spec_order(graph, topic_id, "subscription"):
        kind = type_of(graph, target)
        if kind == "external":
            _external_subscription(template, topic_id, target)
            continue
        subscription = {"TopicArn": ref(own), "Protocol": "sqs" if kind == "sqs.queue" else "lambda", "Endpoint": arn_of(graph, target)}
        if kind == "sqs.queue":
            waits_for = [logical_id(target, "Policy")]
        else:  # the function's permission for this topic, made by the function's builder
            waits_for = [logical_id(topic_id, f"To{logical_id(target)}Permission")]
        template.add(
            topic_id,
            f"To{logical_id(target)}Subscription",
            "AWS::SNS::Subscription",
            subscription,
            depends_on=waits_for,
            what=f"the subscription of '{target}' to '{topic_id}'",
        )


def topic_encrypted(graph: nx.MultiDiGraph, topic_id: str) -> bool:
    """`encrypted` as said, or by default: yes unless an AWS service publishes to the
    topic (the AWS managed key's policy lets only IAM principals of the account use it
    through SNS; S3, EventBridge and CloudWatch alarms would be refused)."""
    said = graph.nodes[topic_id].get("encrypted")
    if said is not None:
        return said
    return not _service_senders(graph, topic_id)


def _external_subscription(template: Template, topic_id: str, target: str) -> None:
    """A subscription of an address the spec does not know: created when the stack is
    given one (an e-mail address by default), and skipped when the parameter is empty."""
    name = f"{logical_id(topic_id)}To{logical_id(target)}"
    endpoint = template.parameter(
        f"{name}Endpoint",
        {"Type": "String", "Default": "", "Description": f"address of {target} to subscribe to {topic_id} (empty: no subscription)"},
    )
    protocol = template.parameter(
        f"{name}Protocol",
        {"Type": "String", "Default": "email", "AllowedValues": ["email", "email-json", "http", "https", "sms"],
         "Description": f"how {topic_id} delivers to {target}"},
    )
    condition = f"{name}Subscribed"
    template.conditions[condition] = {"Fn::Not": [{"Fn::Equals": [ref(endpoint), ""]}]}
    template.add(
        topic_id,
        f"To{logical_id(target)}Subscription",
        "AWS::SNS::Subscription",
        {"TopicArn": ref(logical_id(topic_id)), "Protocol": ref(protocol), "Endpoint": ref(endpoint)},
        condition=condition,
        what=f"the subscription of '{target}' to '{topic_id}'",
    )


def _service_senders(graph: nx.MultiDiGraph, node: str) -> list[tuple[str, object]]:
    """(service principal, source ARN) of every AWS service that delivers to `node`."""
    senders = []
    for source, data in flows_in_in_spec_order(graph, node):
        relation = data["relation"]
        if relation == "subscription":
            senders.append(("sns.amazonaws.com", arn_of(graph, source)))
        elif relation == "notification":
            senders.append(("s3.amazonaws.com", bucket_arn(source)))
        elif relation == "target" and type_of(graph, source) == "events.rule":
            # (a scheduler.schedule delivers with its own execution role: no resource policy)
            senders.append(("events.amazonaws.com", arn_of(graph, source)))
        elif relation == "alarm_action" and type_of(graph, node) == "sns.topic":
            senders.append(("cloudwatch.amazonaws.com", get_att(logical_id(source), "Arn")))
    return senders


def _sorted_keys(value):
    """An event pattern with its keys sorted: the same pattern always gives the same bytes."""
    if isinstance(value, dict):
        return {key: _sorted_keys(value[key]) for key in sorted(value, key=str)}
    if isinstance(value, list):
        return [_sorted_keys(item) for item in value]
    return value


def rule(template: Template, rule_id: str) -> None:
    graph = template.graph
    node = graph.nodes[rule_id]
    properties: dict = {"State": "ENABLED"}
    if node.get("schedule"):
        properties["ScheduleExpression"] = node["schedule"]
    if node.get("pattern"):
        properties["EventPattern"] = _sorted_keys(node["pattern"])
    targets = []
    for target, _ in flows_out_in_spec_order(graph, rule_id, "target"):
        entry = {"Id": logical_id(target), "Arn": arn_of(graph, target)}
        if type_of(graph, target) == "sqs.queue" and graph.nodes[target].get("fifo"):
            entry["SqsParameters"] = {"MessageGroupId": rule_id}  # required by FIFO queues
        targets.append(entry)
    if targets:
        properties["Targets"] = targets
    template.add(rule_id, "", "AWS::Events::Rule", properties)
