"""The resource types of spec format 1 and their attributes, as data (docs/spec.md's tables).

Each type maps attribute names to an `Attribute`: what kind of value it takes, its
default, and whether it is required. The loader checks files against this table,
`archlint schema` turns it into a JSON Schema and `archlint schema --markdown` into
docs/spec.md, and nothing else restates it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# what a value may be
TEXT = "text"
BOOL = "bool"
INT = "int"
CHOICE = "choice"
REF = "ref"
REF_LIST = "ref_list"
CIDR = "cidr"
CIDR_LIST = "cidr_list"
TEXT_LIST = "text_list"
AZ = "az"
SCHEDULE = "schedule"
MAPPING = "mapping"
SG_RULES = "sg_rules"
NACL_RULES = "nacl_rules"
LIFECYCLE_HOOKS = "lifecycle_hooks"
WEIGHTS = "weights"  # resource id -> whole number from 0 to 999

# a default computed from the rest of the resource or the spec, filled by the loader
DERIVED = object()


@dataclass(frozen=True)
class Attribute:
    kind: str
    default: Any = None
    required: bool = False
    choices: tuple = ()
    minimum: int | None = None
    maximum: int | None = None
    refs: tuple = ()  # the types a reference may name
    doc: str = ""


def text(default=None, doc=""):
    return Attribute(TEXT, default, doc=doc)


def flag(default=False, doc=""):
    return Attribute(BOOL, default, doc=doc)


def number(minimum, maximum, default=None, doc=""):
    return Attribute(INT, default, minimum=minimum, maximum=maximum, doc=doc)


def choice(*choices, default=None, required=False, doc=""):
    return Attribute(CHOICE, default, required=required, choices=choices, doc=doc)


def ref(*types, required=False, doc=""):
    return Attribute(REF, None, required=required, refs=types, doc=doc)


def refs(*types, required=False, doc=""):
    return Attribute(REF_LIST, None, required=required, refs=types, doc=doc)


NETWORKING = choice("efa", "ena", "intel-82599", "standard", default="ena",
                    doc="network interface: efa (OS bypass), ena, intel-82599 (legacy VF) or standard")
OS = choice("linux", "windows", default="linux")
PLACEMENT = ref("placement_group")
SECURITY_GROUPS = refs("security_group")

# Every resource may carry these (docs/spec.md, "Attributes of every resource").
COMMON: dict[str, Attribute] = {
    "type": Attribute(TEXT, required=True),
    "label": text(doc="what diagrams show instead of the id"),
    "description": text(),
    "tags": Attribute(MAPPING, doc="string -> string"),
    "ignore": Attribute(MAPPING, doc="rule id or family prefix -> reason"),
}

TYPES: dict[str, dict[str, Attribute]] = {
    "external": {
        "kind": choice("users", "client", "service", "datacenter", default="service"),
    },
    "sqs.queue": {
        "fifo": flag(),
        "dead_letter": ref("sqs.queue", doc="the queue's redrive target"),
        "max_receive_count": number(1, 1000, DERIVED, doc="receives before a message is dead-lettered [5, only with dead_letter]"),
        "visibility_timeout": number(0, 43200, 30, doc="seconds"),
        "encrypted": flag(True, doc="server-side encryption with SQS-managed keys (SSE-SQS), which SNS, S3 and EventBridge can still deliver to"),
    },
    "sns.topic": {
        "fifo": flag(),
        "encrypted": flag(DERIVED, doc="encryption with the AWS managed key alias/aws/sns [true unless S3, EventBridge or CloudWatch publish to it]"),
    },
    "lambda.function": {
        "runtime": text("python3.12"),
        "memory": number(128, 10240, 128, doc="MB"),
        "timeout": number(1, 900, 3, doc="seconds"),
        "dead_letter": ref("sqs.queue", "sns.topic", doc="where failed asynchronous events go"),
        "on_failure": ref("sqs.queue", "sns.topic", "lambda.function", "s3.bucket", doc="on-failure destination of asynchronous invocations"),
        "max_retry_attempts": number(0, 2, 2),
        "max_event_age": number(60, 21600, 21600, doc="seconds"),
        "log_retention": number(1, 3653, 365, doc="days its log group keeps logs (one of CloudWatch Logs' values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)"),
    },
    "s3.bucket": {
        "block_public_access": flag(True, doc="the bucket's S3 Block Public Access settings, all four on"),
    },
    "events.rule": {
        "schedule": Attribute(SCHEDULE, doc="rate(...) or cron(...) expression"),
        "pattern": Attribute(MAPPING, doc="an EventBridge event pattern"),
    },
    # EventBridge Scheduler: invokes its target asynchronously, with a retry policy and
    # a dead-letter queue of its own for what it fails to deliver
    # (https://docs.aws.amazon.com/lambda/latest/dg/with-eventbridge-scheduler.html,
    # https://docs.aws.amazon.com/scheduler/latest/APIReference/API_RetryPolicy.html).
    "scheduler.schedule": {
        "schedule": text(doc="rate(...), cron(...) or at(...) expression"),
        "dead_letter": ref("sqs.queue", doc="where the schedule sends an invocation it could not deliver"),
        "max_retry_attempts": number(0, 185, 185, doc="delivery retries"),
        "max_event_age": number(60, 86400, 86400, doc="seconds a delivery is retried"),
    },
    "vpc": {
        "cidr": Attribute(CIDR, "10.0.0.0/16"),
    },
    "subnet": {
        "vpc": ref("vpc", required=True),
        "az": Attribute(AZ, required=True),
        "cidr": Attribute(CIDR, doc="IPv4, inside the VPC's, not overlapping a sibling's"),
        "public": flag(),
    },
    "security_group": {
        "vpc": ref("vpc"),
        "rules": Attribute(SG_RULES),
    },
    "network_acl": {
        "vpc": ref("vpc", required=True),
        "subnets": refs("subnet", doc="subnets in the ACL's VPC; a subnet is in at most one ACL"),
        "rules": Attribute(NACL_RULES),
    },
    "ec2.instance": {
        "instance_type": text("t3.micro"),
        "os": OS,
        "subnet": ref("subnet"),
        "az": Attribute(AZ, DERIVED, doc="only without subnet; filled from the subnet otherwise"),
        "security_groups": SECURITY_GROUPS,
        "placement_group": PLACEMENT,
        "networking": NETWORKING,
        "volumes": refs("ebs.volume"),
        "standby_for": ref("ec2.instance", doc="the primary this instance stands by for"),
        "imdsv2": flag(True, doc="require IMDSv2 session tokens for the instance metadata service"),
    },
    "ebs.volume": {
        "az": Attribute(AZ, DERIVED, doc="defaults to the AZ of the one instance that lists it"),
        "size": number(1, 65536, 8, doc="GiB"),
        "volume_type": choice("gp2", "gp3", "io1", "io2", "st1", "sc1", default="gp3"),
        "multi_attach": flag(),
        "encrypted": flag(True, doc="encryption at rest with the account's default EBS key"),
    },
    "ec2.eip": {
        "instance": ref("ec2.instance"),
    },
    "autoscaling.group": {
        "subnets": refs("subnet", required=True),
        "min": number(0, 100000, 1),
        "max": number(0, 100000, DERIVED, doc="[the larger of 1 and min]"),
        "desired": number(0, 100000, DERIVED, doc="[min]"),
        "instance_type": text("t3.micro"),
        "os": OS,
        "networking": NETWORKING,
        "placement_group": PLACEMENT,
        "security_groups": SECURITY_GROUPS,
        "volumes": refs("ebs.volume"),
        "lifecycle_hooks": Attribute(LIFECYCLE_HOOKS),
        "imdsv2": flag(True, doc="require IMDSv2 session tokens for the instance metadata service"),
    },
    "placement_group": {
        "strategy": choice("cluster", "spread", "partition", required=True),
    },
    "alb": {
        "subnets": refs("subnet", required=True, doc="in at least two AZs"),
        "security_groups": SECURITY_GROUPS,
        "internal": flag(),
        "listener_protocol": choice("HTTPS", "HTTP", default="HTTPS", doc="the listener's protocol; HTTPS takes a certificate"),
        "listener_port": number(1, 65535, DERIVED, doc="[443 for HTTPS, 80 for HTTP]"),
        "certificate": text(doc="ARN of the ACM certificate of an HTTPS listener [a template parameter]"),
        "target_port": number(1, 65535, DERIVED, doc="port the targets listen on [the one port their security groups open to the load balancer's]"),
        "target_protocol": choice("HTTP", "HTTPS", default="HTTP", doc="protocol from the load balancer to the targets"),
        "health_check_path": text("/", doc="path of the targets' health check, on the target port"),
        "weights": Attribute(WEIGHTS, minimum=0, maximum=999, doc="route target -> weight (0-999); required when the load balancer routes to two or more targets"),
    },
    "waf.web_acl": {
        "protects": ref("alb", required=True),
        "block": Attribute(CIDR_LIST, doc="addresses to block"),
    },
    "cloudwatch.alarm": {
        "watches": ref("ec2.instance", "autoscaling.group", "sqs.queue", "lambda.function", "alb", required=True),
        "metric": text(DERIVED, doc="[by the watched type]"),
    },
    "directconnect.connection": {
        "bandwidth": choice("1Gbps", "10Gbps", "100Gbps", "400Gbps", default="10Gbps"),
        "location": text(doc="a Direct Connect location code"),
    },
    "datasync.task": {},
    "snowball.job": {},
    "batch.compute_environment": {
        "instance_types": Attribute(TEXT_LIST),
        "networking": NETWORKING,
        "placement_group": PLACEMENT,
    },
    "parallelcluster.cluster": {
        "networking": NETWORKING,
        "placement_group": PLACEMENT,
    },
}

# cloudwatch.alarm `metric` default, by the watched resource's type
DEFAULT_METRIC = {
    "ec2.instance": "StatusCheckFailed",
    "autoscaling.group": "GroupInServiceInstances",
    "sqs.queue": "ApproximateAgeOfOldestMessage",
    "lambda.function": "Errors",
    "alb": "HTTPCode_Target_5XX_Count",
}

# the fields of the structured list attributes
SG_RULE_FIELDS = {
    "direction": choice("ingress", "egress", default="ingress"),
    "action": choice("allow", "deny", default="allow"),
    "protocol": choice("tcp", "udp", "icmp", "all", default="tcp"),
    "ports": Attribute("ports", doc='N or "N-M"; required for tcp and udp, absent otherwise'),
    "cidr": Attribute(CIDR),
    "group": ref("security_group"),
}
NACL_RULE_FIELDS = {
    "number": Attribute(INT, required=True, minimum=1, maximum=32766,
                        doc="evaluation order, lowest first; two rules of one direction with one number load and NACL004 reports them (AWS refuses them)"),
    "direction": choice("ingress", "egress", required=True),
    "action": choice("allow", "deny", required=True),
    "protocol": choice("tcp", "udp", "icmp", "all", default="all"),
    "ports": Attribute("ports", doc='N or "N-M"; tcp and udp only; absent means all ports'),
    "cidr": Attribute(CIDR, required=True),
}
LIFECYCLE_HOOK_FIELDS = {
    "transition": choice("launching", "terminating", required=True),
    "target": ref("lambda.function", "sqs.queue", "sns.topic"),
}

RECORD_FIELDS = {
    SG_RULES: SG_RULE_FIELDS,
    NACL_RULES: NACL_RULE_FIELDS,
    LIFECYCLE_HOOKS: LIFECYCLE_HOOK_FIELDS,
}

# Which references become which graph edges: relation name = attribute name.
REFERENCE_KINDS = (REF, REF_LIST)

SPEC_KEYS = {
    "archlint": "the format number, 1",
    "name": "the architecture's name",
    "description": "what it is",
    "region": "the AWS region [us-east-1]",
    "resources": "id -> resource",
    "flows": "who sends, publishes, triggers or routes to whom",
    "ignore": "rule id or prefix -> reason, for the whole file",
}
SPEC_REQUIRED = ("archlint", "name", "resources")
FLOW_KEYS = ("from", "to", "label", "events", "prefix", "suffix", "async")


def attributes_of(type_name: str) -> dict[str, Attribute]:
    """Every attribute a resource of this type may carry, common ones included."""
    return {**COMMON, **TYPES[type_name]}
