"""What the emitter refuses, and why.

- A security-group deny rule: security groups hold allow rules only, so there is no
  CloudFormation for it; refused even with --force, with the network ACL rule to
  write instead (`refuse_deny_rules`).
- A finding whose condition CloudFormation or the service refuses at deploy time
  (`DEPLOY_REFUSES`): the stack would roll back, so --force cannot help and an
  `ignore:` entry cannot either (AWS does not read it). Each finding's own fix says
  what to change.
- A template over CloudFormation's limits (`check_limits`).

Other lint errors are refused unless --force.
"""

from __future__ import annotations

import networkx as nx

from ...specs.query import nodes_of_type, port_range
from . import network
from .lookups import as_list
from .names import EmitError
from .template import where

# Rules whose condition AWS refuses when the stack is created: rule id -> who refuses,
# and the AWS page that says so (each rule's own documentation has the details).
DEPLOY_REFUSES = {
    "SQS001": ("Lambda refuses the event source mapping (function timeout above the queue's visibility timeout; cfn-lint E3505)",
               "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html"),
    "DLQ004": ("SQS refuses the redrive policy (a FIFO queue's dead-letter queue must be FIFO, a standard queue's standard; cfn-lint E3502)",
               "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html"),
    "DLQ005": ("CloudFormation refuses the template (queues naming each other as dead-letter queue are a circular dependency; cfn-lint E3004)",
               "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/troubleshooting.html"),
    "DLQ007": ("Lambda refuses a FIFO queue or topic as dead-letter queue or on-failure destination",
               "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-lambda-eventinvokeconfig-destinationconfig.html"),
    "FAN002": ("SNS refuses a Lambda subscription to a FIFO topic",
               "https://docs.aws.amazon.com/sns/latest/dg/fifo-message-delivery.html"),
    "FAN003": ("S3 refuses a FIFO queue or topic as notification destination",
               "https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventNotifications.html"),
    "FAN004": ("SNS refuses a FIFO queue's subscription to a standard topic",
               "https://docs.aws.amazon.com/sns/latest/dg/fifo-message-delivery.html"),
    "FAN005": ("S3 refuses overlapping notification configurations ('Configurations overlap')",
               "https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html"),
}


def undeployable(findings) -> list:
    """The findings (ignored ones too) whose condition AWS refuses at deploy time."""
    return [finding for finding in findings if finding.rule in DEPLOY_REFUSES]


def refusal_lines(findings) -> list[str]:
    """One message per undeployable finding: where, what, who refuses, the fix."""
    lines = []
    for finding in undeployable(findings):
        who, source = DEPLOY_REFUSES[finding.rule]
        lines.append(
            f"{finding.file}:{finding.line}:{finding.column}: {finding.rule} {finding.resource}: {finding.message}. "
            f"Not deployable: {who} ({source}); refused even with --force. Fix: {finding.fix}"
        )
    return lines


# CloudFormation quotas (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html;
# the same numbers as cfn-lint's LIMITS): a template body passed inline is at most
# 51,200 bytes, one read from S3 at most 1 MB.
MAX_RESOURCES = 500
MAX_OUTPUTS = 200
MAX_PARAMETERS = 200
MAX_INLINE_BYTES = 51_200
MAX_S3_BYTES = 1_000_000


def check_limits(parameters: int, size: int, output: str) -> list[str]:
    """Notes on a template within the limits; EmitError (status 1) when over a hard one.
    (Over MAX_RESOURCES, emit writes nested stacks instead: split.py.)"""
    problems = []
    if parameters > MAX_PARAMETERS:
        problems.append(f"the template would take {parameters} parameters; CloudFormation accepts at most {MAX_PARAMETERS}")
    if size > MAX_S3_BYTES:
        problems.append(f"the template would be {size} bytes; CloudFormation reads at most {MAX_S3_BYTES} bytes, even from S3")
    if problems:
        raise EmitError("archlint: not deployable: " + "; ".join(problems), status=1)
    if size > MAX_INLINE_BYTES:
        return [
            f"{output} is {size} bytes, over the {MAX_INLINE_BYTES} bytes CloudFormation accepts inline "
            "(--template-body): deploy it from S3, e.g. `aws cloudformation deploy --template-file "
            f"{output} --stack-name NAME --s3-bucket BUCKET --capabilities CAPABILITY_IAM`, which uploads it first"
        ]
    return []


def refuse_deny_rules(graph: nx.MultiDiGraph) -> None:
    """Security groups have allow rules only: a deny rule cannot be emitted at all."""
    problems = []
    for group, index, rule in network.deny_rules(graph):
        position = graph.nodes[group].get("positions", {}).get(f"rules[{index}]")
        at = f"{graph.graph.get('file', '<spec>')}:{position[0]}:{position[1]}" if position else where(graph, group)
        problems.append(f"{at}: security group '{group}' rules[{index}] is a deny rule. {deny_advice(graph, group, rule)}")
    if problems:
        raise EmitError("\n".join(problems), status=1)


def _free_rule_number(acl: dict, direction: str) -> int:
    """A rule number below the ACL's allow rules in that direction, so the deny is met first."""
    rules = [r for r in as_list(acl.get("rules")) if r.get("direction") == direction]
    used = {r.get("number") for r in rules}
    lowest = min((r["number"] for r in rules if r.get("action") == "allow"), default=100)
    for number in [lowest - 10] + list(range(lowest - 1, 0, -1)):
        if number > 0 and number not in used:
            return number
    return 1


def deny_advice(graph: nx.MultiDiGraph, group: str, rule: dict) -> str:
    """Why a deny rule cannot be emitted, and the network ACL rule to write instead."""
    subnets = []
    for user, data in graph.nodes(data=True):
        if group in as_list(data.get("security_groups")):
            subnets.extend(as_list(data.get("subnet")) + as_list(data.get("subnets")))
    subnets = list(dict.fromkeys(subnets))
    acls = [acl for acl, data in nodes_of_type(graph, "network_acl") if set(as_list(data.get("subnets"))) & set(subnets)]
    protocol = rule.get("protocol") or "tcp"
    direction = rule.get("direction") or "ingress"
    number = _free_rule_number(graph.nodes[acls[0]] if acls else {}, direction)
    fields = [f"number: {number}", f"direction: {direction}", "action: deny", f"protocol: {protocol}"]
    ports = port_range(rule["ports"]) if rule.get("ports") is not None else None
    if ports:
        fields.append(f"ports: {ports[0]}" if ports[0] == ports[1] else f'ports: "{ports[0]}-{ports[1]}"')
    fields.append(f"cidr: {rule.get('cidr') or '<the address to block>'}")
    snippet = "{" + ", ".join(fields) + "}"
    if acls:
        where_to = f"add {snippet} to network ACL '{acls[0]}' (on {', '.join(s for s in subnets if s in as_list(graph.nodes[acls[0]].get('subnets')))})"
    elif subnets:
        where_to = f"add a network_acl on subnet(s) {', '.join(subnets)} with the rule {snippet}"
    else:
        where_to = f"add a network_acl on the subnets of the resources in '{group}' with the rule {snippet}"
    return (
        "Security groups hold allow rules only (everything not allowed is denied), so "
        f"CloudFormation cannot express it, even with --force. Remove it and {where_to}: "
        "numbered below the ACL's allow rules, it is evaluated before them. "
        "In front of a load balancer, a waf.web_acl with `block` does the same by client address."
    )
