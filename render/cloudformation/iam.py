"""Least-privilege IAM, derived from the flows.

A function (or an instance, or an Auto Scaling group's instances) gets exactly the
actions its flows need, on exactly the resources they name:

| flow or attribute | actions | on |
|---|---|---|
| `send` to a queue | sqs:SendMessage, sqs:GetQueueUrl | the queue |
| `publish` to a topic | sns:Publish | the topic |
| `event` to a rule | events:PutEvents | the default event bus |
| `invoke` of a function | lambda:InvokeFunction | the function |
| `write` to a bucket | s3:PutObject | the bucket's objects the flow names (prefix*suffix) |
| `manage` of an instance / Elastic IP | ec2:Start/Stop/RebootInstances; ec2:Associate/DisassociateAddress | the instance / address |
| `event_source_mapping`, `poll` from a queue | sqs:ReceiveMessage, DeleteMessage, GetQueueAttributes, ChangeMessageVisibility | the queue |
| `notification` from a bucket | s3:GetObject | the objects it notifies about (prefix*suffix) |
| `dead_letter`, `on_failure` | send/publish/invoke/put as above | the target |
| lifecycle hook targeting a function | autoscaling:CompleteLifecycleAction | the group |

Logging comes from the AWS managed policy AWSLambdaBasicExecutionRole (CloudWatch
Logs only).
"""

from __future__ import annotations

import json

import networkx as nx

from ...specs.query import referrers
from .intrinsics import arn, ref, sub
from .lookups import arn_of, flows_in_in_spec_order, flows_out_in_spec_order, type_of
from .names import bucket_arn, logical_id
from .template import Template

POLICY_VERSION = "2012-10-17"
QUEUE_CONSUMER = ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"]


def _objects(data: dict) -> str:
    """The object keys a flow reads or writes: `in/*.jpg` for prefix in/, suffix .jpg."""
    return f"{data.get('prefix') or ''}*{data.get('suffix') or ''}"


def _deliver(graph: nx.MultiDiGraph, target: str) -> list[tuple[list[str], object]]:
    """The (actions, resource) that let a function hand a record to `target`."""
    kind = type_of(graph, target)
    if kind == "sqs.queue":
        return [(["sqs:SendMessage"], arn_of(graph, target))]
    if kind == "sns.topic":
        return [(["sns:Publish"], arn_of(graph, target))]
    if kind == "lambda.function":
        return [(["lambda:InvokeFunction"], arn_of(graph, target))]
    if kind == "s3.bucket":  # Lambda's S3 on-failure destination needs both
        return [(["s3:PutObject"], bucket_arn(target, "*")), (["s3:ListBucket"], bucket_arn(target))]
    return []


def grants(graph: nx.MultiDiGraph, actor: str) -> list[tuple[list[str], object]]:
    """Every (actions, resource) pair `actor`'s flows and attributes need, in order."""
    found: list[tuple[list[str], object]] = []
    for target, data in flows_out_in_spec_order(graph, actor):
        relation = data["relation"]
        if relation == "send":
            found.append((["sqs:GetQueueUrl", "sqs:SendMessage"], arn_of(graph, target)))
        elif relation == "publish":
            found.append((["sns:Publish"], arn_of(graph, target)))
        elif relation == "event":
            found.append((["events:PutEvents"], arn("events", "event-bus/default")))
        elif relation == "invoke":
            found.append((["lambda:InvokeFunction"], arn_of(graph, target)))
        elif relation == "write":
            found.append((["s3:PutObject"], bucket_arn(target, _objects(data))))
        elif relation == "manage" and type_of(graph, target) == "ec2.instance":
            found.append((["ec2:RebootInstances", "ec2:StartInstances", "ec2:StopInstances"], arn_of(graph, target)))
        elif relation == "manage":  # an Elastic IP: move it to another instance
            found.append((["ec2:AssociateAddress", "ec2:DisassociateAddress"], arn_of(graph, target)))
            found.append((["ec2:AssociateAddress"], arn("ec2", "instance/*")))
            found.append((["ec2:AssociateAddress"], arn("ec2", "network-interface/*")))
            # Describe actions support no resource-level permissions.
            found.append((["ec2:DescribeAddresses", "ec2:DescribeInstances"], "*"))
    for source, data in flows_in_in_spec_order(graph, actor, "event_source_mapping", "poll"):
        found.append((QUEUE_CONSUMER, arn_of(graph, source)))
    for source, data in flows_in_in_spec_order(graph, actor, "notification"):
        found.append((["s3:GetObject"], bucket_arn(source, _objects(data))))
    node = graph.nodes[actor]
    if node["type"] == "lambda.function":
        for attribute in ("dead_letter", "on_failure"):
            if node.get(attribute):
                found.extend(_deliver(graph, node[attribute]))
        for group in _hooked_groups(graph, actor):
            found.append(
                (
                    ["autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat"],
                    arn("autoscaling", f"autoScalingGroup:*:autoScalingGroupName/${{{logical_id(group)}}}"),
                )
            )
    return found


def _hooked_groups(graph: nx.MultiDiGraph, function: str) -> list[str]:
    return [
        group
        for group in referrers(graph, function, "lifecycle_hook")
        if type_of(graph, group) == "autoscaling.group"
    ]


def policy_document(pairs: list[tuple[list[str], object]]) -> dict:
    """Merge pairs into statements: one per action set, resources deduplicated."""
    statements: dict[tuple, list] = {}
    for actions, resource in pairs:
        bucket = statements.setdefault(tuple(sorted(actions)), [])
        if all(json.dumps(resource, sort_keys=True) != json.dumps(seen, sort_keys=True) for seen in bucket):
            bucket.append(resource)
    return {
        "Version": POLICY_VERSION,
        "Statement": [
            {
                "Effect": "Allow",
                "Action": list(actions) if len(actions) > 1 else actions[0],
                "Resource": resources if len(resources) > 1 else resources[0],
            }
            for actions, resources in statements.items()
        ],
    }


def assume_role(service: str) -> dict:
    return {
        "Version": POLICY_VERSION,
        "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
    }


def lambda_role(template: Template, function: str) -> str:
    """The function's execution role; returns its logical id."""
    properties = {
        "AssumeRolePolicyDocument": assume_role("lambda.amazonaws.com"),
        "ManagedPolicyArns": [sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")],
    }
    pairs = grants(template.graph, function)
    if pairs:
        properties["Policies"] = [{"PolicyName": "flows", "PolicyDocument": policy_document(pairs)}]
    return template.add(function, "Role", "AWS::IAM::Role", properties, what=f"the execution role of '{function}'")


def instance_profile(template: Template, actor: str) -> str | None:
    """A role and instance profile for an instance or group whose flows need AWS APIs.

    Returns the profile's logical id, or None when the flows need no permission.
    """
    pairs = grants(template.graph, actor)
    if not pairs:
        return None
    role = template.add(
        actor,
        "Role",
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": assume_role("ec2.amazonaws.com"),
            "Policies": [{"PolicyName": "flows", "PolicyDocument": policy_document(pairs)}],
        },
        what=f"the instance role of '{actor}'",
    )
    return template.add(
        actor,
        "InstanceProfile",
        "AWS::IAM::InstanceProfile",
        {"Roles": [ref(role)]},
        what=f"the instance profile of '{actor}'",
    )
