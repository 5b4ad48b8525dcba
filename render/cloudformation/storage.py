"""S3 buckets and their event notifications.

The trap: S3 checks, when the notification configuration is set, that it may
deliver to each destination. So the bucket must be created after the function's
permission (and the queue's or topic's policy): the bucket `DependsOn` them. Those
in turn must name the bucket's ARN without a `Ref`/`GetAtt` of the bucket, or the
dependency is circular; they use the ARN built from the bucket's name, which the
bucket is given explicitly (names.bucket_name). Function roles that read or write
the bucket use the same name-built ARN, for the same reason.

S3 also refuses notification configurations that overlap; the lint rule FAN005
reports them, and `emit` refuses them even with --force (refusals.py).

Secure defaults (docs/emit.md): all four Block Public Access settings on (unless
`block_public_access: false`), SSE-S3 encryption said explicitly, and a bucket policy
that denies requests without TLS (cdk-nag AwsSolutions-S10).
"""

from __future__ import annotations

from .intrinsics import ref
from .lookups import arn_of, flows_out_in_spec_order, type_of
from .names import bucket_arn, bucket_name, logical_id
from .policies import POLICY_VERSION, tls_only
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
    for target, data in flows_out_in_spec_order(graph, bucket_id, "notification"):
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
    if flows_out_in_spec_order(graph, bucket_id, "event"):
        notifications["EventBridgeConfiguration"] = {"EventBridgeEnabled": True}
    properties: dict = {"BucketName": bucket_name(bucket_id)}
    properties["BucketEncryption"] = {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}
    blocked = graph.nodes[bucket_id].get("block_public_access") is not False
    properties["PublicAccessBlockConfiguration"] = {
        "BlockPublicAcls": blocked, "BlockPublicPolicy": blocked, "IgnorePublicAcls": blocked, "RestrictPublicBuckets": blocked,
    }
    if notifications:
        properties["NotificationConfiguration"] = notifications
    if tags(graph, bucket_id, name=False):
        properties["Tags"] = tags(graph, bucket_id, name=False)
    # Objects outlive the stack: deleting the stack keeps the bucket (and its data).
    own = template.add(bucket_id, "", "AWS::S3::Bucket", properties, depends_on=waits_for, keep="Retain")
    template.add(
        bucket_id,
        "Policy",
        "AWS::S3::BucketPolicy",
        {"Bucket": ref(own), "PolicyDocument": {"Version": POLICY_VERSION, "Statement": [
            tls_only("s3:*", [bucket_arn(bucket_id), bucket_arn(bucket_id, "*")])]}},
        what=f"the bucket policy of '{bucket_id}'",
    )
    template.output(bucket_id, "name", ref(own), f"name of the bucket {bucket_id}")
