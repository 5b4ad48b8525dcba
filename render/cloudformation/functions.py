"""Lambda functions: the function, its execution role, the permissions that let
services invoke it, its event source mappings and its asynchronous-invocation
configuration.

- Permissions are named after the flow (`<Source>To<Function>Permission`) and scoped
  to the source's ARN, so only that topic, bucket, rule or alarm may invoke.
- A load balancer's permission has no SourceArn: the target group must be created
  after the permission (AWS checks it when registering the function), and a
  SourceArn naming the target group would make that circular. It is limited to this
  account instead.
- Each function logs to its own log group, created by the stack with a retention
  (`log_retention`, 365 days by default) and named in the function's `LoggingConfig`,
  so the group exists before the first invocation and no log is kept forever.
- An SQS event source mapping reports partial batch failures
  (`FunctionResponseTypes: [ReportBatchItemFailures]`): a function that returns
  `batchItemFailures` has only those messages retried, not the whole batch.
- `DeadLetterConfig` and the `EventInvokeConfig` (retries, event age, on-failure
  destination) only serve asynchronous invocations; the linter says when they can
  never receive anything (DLQ003). They are emitted as the spec says.
"""

from __future__ import annotations

from .iam import lambda_role
from .intrinsics import get_att, ref
from .lookups import arn_of, flows_in_in_spec_order, type_of
from .names import EmitError, bucket_arn, logical_id
from .parameters import function_code
from .tags import tags
from .template import Template, where

DEFAULT_RETRIES = 2
DEFAULT_EVENT_AGE = 21600

# the values CloudWatch Logs accepts for a log group's retention, in days
RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)

# the service principal that invokes a function, by the type of the flow's source
_INVOKERS = {
    "sns.topic": "sns.amazonaws.com",
    "s3.bucket": "s3.amazonaws.com",
    "events.rule": "events.amazonaws.com",
    "cloudwatch.alarm": "lambda.alarms.cloudwatch.amazonaws.com",
    "alb": "elasticloadbalancing.amazonaws.com",
}


def function(template: Template, function_id: str) -> None:
    graph = template.graph
    node = graph.nodes[function_id]
    role = lambda_role(template, function_id)
    runtime = node.get("runtime") or "python3.12"
    code, handler = function_code(template, function_id, runtime)
    retention = node.get("log_retention") or 365
    if retention not in RETENTION_DAYS:
        raise EmitError(
            f"{where(graph, function_id)}: log_retention {retention} of '{function_id}' is not a retention CloudWatch Logs "
            f"offers; use one of {', '.join(map(str, RETENTION_DAYS))}"
        )
    log_group = template.add(
        function_id, "LogGroup", "AWS::Logs::LogGroup", {"RetentionInDays": retention},
        what=f"the log group of '{function_id}'", keep="Delete",
    )
    template.mark(log_group, part_of=function_id)
    properties: dict = {
        "Runtime": runtime,
        "Handler": handler,
        "Code": code,
        "Role": get_att(role, "Arn"),
        "MemorySize": node.get("memory") or 128,
        "Timeout": node.get("timeout") or 3,
        "LoggingConfig": {"LogGroup": ref(log_group)},
    }
    if node.get("dead_letter"):
        properties["DeadLetterConfig"] = {"TargetArn": arn_of(graph, node["dead_letter"])}
    if tags(graph, function_id, name=False):
        properties["Tags"] = tags(graph, function_id, name=False)
    own = template.add(function_id, "", "AWS::Lambda::Function", properties)

    for source, data in flows_in_in_spec_order(graph, function_id):
        kind = type_of(graph, source)
        if data["relation"] == "event_source_mapping":
            template.add(
                source,
                f"To{own}Mapping",
                "AWS::Lambda::EventSourceMapping",
                {"EventSourceArn": get_att(logical_id(source), "Arn"), "FunctionName": ref(own), "Enabled": True,
                 "FunctionResponseTypes": ["ReportBatchItemFailures"]},
                what=f"the event source mapping from '{source}' to '{function_id}'",
            )
        elif kind in _INVOKERS:
            _permission(template, source, function_id)

    _event_invoke_config(template, function_id)
    template.output(function_id, "name", ref(own), f"name of the function {function_id}")


def _permission(template: Template, source: str, function_id: str) -> str:
    graph = template.graph
    kind = type_of(graph, source)
    properties: dict = {
        "Action": "lambda:InvokeFunction",
        "FunctionName": get_att(logical_id(function_id), "Arn"),
        "Principal": _INVOKERS[kind],
    }
    if kind == "s3.bucket":
        properties["SourceArn"] = bucket_arn(source)  # from the name: no cycle with the bucket
        properties["SourceAccount"] = ref("AWS::AccountId")
    elif kind == "alb":
        properties["SourceAccount"] = ref("AWS::AccountId")
    elif kind == "cloudwatch.alarm":
        properties["SourceArn"] = get_att(logical_id(source), "Arn")
        properties["SourceAccount"] = ref("AWS::AccountId")
    else:
        properties["SourceArn"] = arn_of(graph, source)
    return template.add(
        source,
        f"To{logical_id(function_id)}Permission",
        "AWS::Lambda::Permission",
        properties,
        what=f"the permission of '{source}' to invoke '{function_id}'",
    )


def has_async_invokers(template: Template, function_id: str) -> bool:
    graph = template.graph
    if any(data.get("invocation") == "async" for _, data in flows_in_in_spec_order(graph, function_id)):
        return True
    if any(
        data.get("kind") == "ref" and data.get("relation") in ("on_failure", "lifecycle_hook")
        for _, _, data in graph.in_edges(function_id, data=True)
    ):
        return True
    return False


def _event_invoke_config(template: Template, function_id: str) -> None:
    node = template.graph.nodes[function_id]
    retries = node.get("max_retry_attempts")
    age = node.get("max_event_age")
    retries = DEFAULT_RETRIES if retries is None else retries
    age = DEFAULT_EVENT_AGE if age is None else age
    wanted = (
        node.get("on_failure")
        or has_async_invokers(template, function_id)
        or retries != DEFAULT_RETRIES
        or age != DEFAULT_EVENT_AGE
    )
    if not wanted:
        return
    properties: dict = {
        "FunctionName": ref(logical_id(function_id)),
        "Qualifier": "$LATEST",
        "MaximumRetryAttempts": retries,
        "MaximumEventAgeInSeconds": age,
    }
    if node.get("on_failure"):
        properties["DestinationConfig"] = {"OnFailure": {"Destination": arn_of(template.graph, node["on_failure"])}}
    template.add(
        function_id,
        "InvokeConfig",
        "AWS::Lambda::EventInvokeConfig",
        properties,
        what=f"the asynchronous invocation configuration of '{function_id}'",
    )
