"""S3 buckets and their event notifications.

The trap: S3 checks, when the notification configuration is set, that it may
deliver to each destination. So the bucket must be created after the function's
permission (and the queue's or topic's policy): the bucket `DependsOn` them. Those
in turn must name the bucket's ARN without a `Ref`/`GetAtt` of the bucket, or the
dependency is circular; they use the ARN built from the bucket's name, which the
bucket is given explicitly (names.bucket_name). Function roles that read or write
the bucket use the same name-built ARN, for the same reason.

S3 also refuses notification configurations that overlap; the lint rule FAN005
reports them, so `emit` refuses them with the other lint errors (unless --force).
"""

from __future__ import annotations

from ...specs.query import flows_out
from .lookups import arn_of, type_of
from .names import bucket_name, logical_id
from .tags import tags
from .template import Template

DEFAULT_EVENTS = ["s3:ObjectCreated:*"]
_CONFIGURATION = {"sqs.queue": ("QueueConfigurations", "Queue"), "sns.topic": ("TopicConfigurations", "Topic"), "lambda.function": ("LambdaConfigurations", "Function")}


def key_filter(data: dict) -> dict | None:
    rules = [{"Name": name, "Value": data[name]} for name in ("prefix", "suffix") if data.get(name)]
    return {"S3Key": {"Rules": rules}} if rules else None


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
