"""S3 buckets and their event notifications.

The trap: S3 checks, when the notification configuration is set, that it may
deliver to each destination. So the bucket must be created after the function's
permission (and the queue's or topic's policy): the bucket `DependsOn` them. Those
in turn must name the bucket's ARN without a `Ref`/`GetAtt` of the bucket, or the
dependency is circular; they use the ARN built from the bucket's name, which the
bucket is given explicitly (names.bucket_name). Function roles that read or write
the bucket use the same name-built ARN, for the same reason.

S3 also refuses two notification configurations that overlap: event types that
overlap (`s3:ObjectCreated:*` and `s3:ObjectCreated:Put`) on key filters that
overlap (one prefix starts with the other, one suffix ends with the other, a missing
filter matching every key): "Configuration is ambiguously defined. Cannot have
overlapping suffixes in two rules if the prefixes are overlapping for the same event
type." `overlapping_notifications` finds them before deploying; `emit` treats them
like lint errors (refused unless --force).
"""

from __future__ import annotations

from .lookups import arn_of, flows_out, type_of
from .names import bucket_name, logical_id
from .tags import tags
from .template import Template

DEFAULT_EVENTS = ["s3:ObjectCreated:*"]
_CONFIGURATION = {"sqs.queue": ("QueueConfigurations", "Queue"), "sns.topic": ("TopicConfigurations", "Topic"), "lambda.function": ("LambdaConfigurations", "Function")}


def key_filter(data: dict) -> dict | None:
    rules = [{"Name": name, "Value": data[name]} for name in ("prefix", "suffix") if data.get(name)]
    return {"S3Key": {"Rules": rules}} if rules else None


def _events_overlap(first: str, second: str) -> bool:
    def covers(pattern: str, event: str) -> bool:
        return pattern == event or (pattern.endswith("*") and event.startswith(pattern[:-1]))

    return covers(first, second) or covers(second, first)


def _keys_overlap(first: dict, second: dict) -> bool:
    prefix_a, prefix_b = first.get("prefix") or "", second.get("prefix") or ""
    suffix_a, suffix_b = first.get("suffix") or "", second.get("suffix") or ""
    prefixes = prefix_a.startswith(prefix_b) or prefix_b.startswith(prefix_a)
    suffixes = suffix_a.endswith(suffix_b) or suffix_b.endswith(suffix_a)
    return prefixes and suffixes


def overlapping_notifications(graph, bucket_id: str) -> list[str]:
    """file:line:col: message for each pair of the bucket's notifications S3 would refuse."""
    problems = []
    flows = flows_out(graph, bucket_id, "notification")
    for index, (first, data_a) in enumerate(flows):
        for second, data_b in flows[index + 1 :]:
            events = [
                (a, b)
                for a in data_a.get("events") or DEFAULT_EVENTS
                for b in data_b.get("events") or DEFAULT_EVENTS
                if _events_overlap(a, b)
            ]
            if events and _keys_overlap(data_a, data_b):
                problems.append(
                    f"{graph.graph.get('file', '<spec>')}:{data_b.get('line', 0)}:{data_b.get('column', 0)}: "
                    f"the notifications of bucket '{bucket_id}' to '{first}' and to '{second}' overlap "
                    f"({events[0][0]} / {events[0][1]} on the same keys): S3 refuses overlapping notification "
                    f"configurations. Notify one SNS topic that both subscribe to, or give them disjoint "
                    f"prefixes, suffixes or events"
                )
    return problems


def bucket(template: Template, bucket_id: str) -> None:
    graph = template.graph
    notifications: dict = {}
    waits_for: list[str] = []
    for target, data in flows_out(graph, bucket_id, "notification"):
        kind = type_of(graph, target)
        section, key = _CONFIGURATION[kind]
        for event in data.get("events") or DEFAULT_EVENTS:
            entry = {"Event": event, key: arn_of(graph, target)}
            if key_filter(data):
                entry["Filter"] = key_filter(data)
            notifications.setdefault(section, []).append(entry)
        if kind == "lambda.function":
            waits_for.append(logical_id(bucket_id, f"To{logical_id(target)}Permission"))
        else:
            waits_for.append(logical_id(target, "Policy"))
    if flows_out(graph, bucket_id, "event"):
        notifications["EventBridgeConfiguration"] = {"EventBridgeEnabled": True}
    properties: dict = {"BucketName": bucket_name(bucket_id)}
    if notifications:
        properties["NotificationConfiguration"] = notifications
    if tags(graph, bucket_id, name=False):
        properties["Tags"] = tags(graph, bucket_id, name=False)
    # Objects outlive the stack: deleting the stack keeps the bucket (and its data).
    template.add(bucket_id, "", "AWS::S3::Bucket", properties, depends_on=waits_for, keep="Retain")
