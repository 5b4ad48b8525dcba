"""What a flow between two types means: docs/spec.md's flow table, as data."""

from __future__ import annotations

# (sources, targets, relation, invocation); invocation "async|sync" marks the one
# pair whose invocation the flow's `async:` key decides.
FLOW_TABLE = [
    (("external", "ec2.instance", "autoscaling.group", "lambda.function"), ("sqs.queue",), "send", None),
    (("external", "ec2.instance", "autoscaling.group", "lambda.function"), ("sns.topic",), "publish", None),
    (("external", "ec2.instance", "autoscaling.group", "lambda.function", "s3.bucket"), ("events.rule",), "event", None),
    (("sns.topic",), ("sqs.queue", "external"), "subscription", None),
    (("sns.topic",), ("lambda.function",), "subscription", "async"),
    (("sqs.queue",), ("lambda.function",), "event_source_mapping", "poll"),
    (("sqs.queue",), ("ec2.instance", "autoscaling.group"), "poll", "poll"),
    (("s3.bucket",), ("sqs.queue", "sns.topic"), "notification", None),
    (("s3.bucket",), ("lambda.function",), "notification", "async"),
    (("events.rule",), ("sqs.queue", "sns.topic"), "target", None),
    (("events.rule",), ("lambda.function",), "target", "async"),
    (("scheduler.schedule",), ("sqs.queue", "sns.topic"), "target", None),
    (("scheduler.schedule",), ("lambda.function",), "target", "async"),
    (("lambda.function",), ("lambda.function",), "invoke", "async|sync"),
    (("lambda.function", "ec2.instance", "autoscaling.group", "external"), ("s3.bucket",), "write", None),
    (("external",), ("alb", "ec2.instance", "autoscaling.group"), "request", "sync"),
    (("alb",), ("ec2.instance", "autoscaling.group", "lambda.function"), "route", "sync"),
    (("cloudwatch.alarm",), ("sns.topic",), "alarm_action", None),
    (("cloudwatch.alarm",), ("lambda.function",), "alarm_action", "async"),
    (("cloudwatch.alarm",), ("ec2.instance", "autoscaling.group"), "alarm_action", None),
    (("lambda.function",), ("ec2.instance", "ec2.eip"), "manage", None),
    (("external", "directconnect.connection", "datasync.task", "snowball.job"),
     ("directconnect.connection", "datasync.task", "snowball.job"), "transfer", None),
    (("directconnect.connection", "datasync.task", "snowball.job"),
     ("s3.bucket", "ec2.instance", "autoscaling.group", "parallelcluster.cluster", "batch.compute_environment"),
     "transfer", None),
]

# (source type, target type) -> (relation, invocation)
FLOW_PAIRS: dict[tuple[str, str], tuple[str, str | None]] = {
    (source, target): (relation, invocation)
    for sources, targets, relation, invocation in FLOW_TABLE
    for source in sources
    for target in targets
}

DEFAULT_S3_EVENTS = ["s3:ObjectCreated:*"]


def targets_of(source_type: str) -> list[str]:
    """The types a resource of `source_type` may flow to, for error messages."""
    return sorted({target for source, target in FLOW_PAIRS if source == source_type})


def split_chain(text: str) -> list[str]:
    """`a -> b -> c` into ['a', 'b', 'c'] (empty parts kept, so errors can name them)."""
    return [part.strip() for part in text.split("->")]
