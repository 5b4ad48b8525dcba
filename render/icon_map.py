"""Which icon each spec type is drawn with: plain data, and where the files live.

Most icons are the AWS Architecture Icons that the `diagrams` library ships; they are
named here by their `diagrams` class (module, class name) so that a newcomer can find
them in diagrams' documentation. Where `diagrams` has no icon for a type (security
group, placement group, ParallelCluster), we ship our own PNG in `render/icons/`
(drawn from the SVG sources beside them by `python -m archlint.render.draw_icons`).

An icon is referred to by a *name* relative to one of the folders of `icon_dirs()`:
"aws/compute/lambda.png" (diagrams) or "icons/security-group.png" (ours). The DOT
we write uses these names and Graphviz finds the files through its `imagepath`, so
the DOT does not depend on where Python is installed.
"""

from __future__ import annotations

import functools
import importlib
import os

# A `diagrams` icon: (module under diagrams., class name).
# Our own icon: "icons/<file>.png" (in render/icons/).
TYPE_ICONS: dict[str, tuple[str, str] | str] = {
    "sqs.queue": ("aws.integration", "SimpleQueueServiceSqs"),
    "sns.topic": ("aws.integration", "SimpleNotificationServiceSns"),
    "lambda.function": ("aws.compute", "Lambda"),
    "s3.bucket": ("aws.storage", "SimpleStorageServiceS3"),
    "events.rule": ("aws.integration", "Eventbridge"),
    "scheduler.schedule": ("aws.integration", "EventbridgeScheduler"),
    "vpc": ("aws.network", "VPC"),
    "subnet": ("aws.network", "PrivateSubnet"),
    "security_group": "icons/security-group.png",
    "network_acl": ("aws.network", "Nacl"),
    "ec2.instance": ("aws.compute", "EC2"),
    "ebs.volume": ("aws.storage", "ElasticBlockStoreEBS"),
    "ec2.eip": ("aws.compute", "EC2ElasticIpAddress"),
    "autoscaling.group": ("aws.compute", "EC2AutoScaling"),
    "placement_group": "icons/placement-group.png",
    "alb": ("aws.network", "ElbApplicationLoadBalancer"),
    "waf.web_acl": ("aws.security", "WAF"),
    "cloudwatch.alarm": ("aws.management", "CloudwatchAlarm"),
    "directconnect.connection": ("aws.network", "DirectConnect"),
    "datasync.task": ("aws.migration", "Datasync"),
    "snowball.job": ("aws.storage", "Snowball"),
    "batch.compute_environment": ("aws.compute", "Batch"),
    "parallelcluster.cluster": "icons/parallelcluster.png",
}

# An `external` is drawn by its `kind`.
EXTERNAL_ICONS: dict[str, tuple[str, str]] = {
    "users": ("aws.general", "Users"),
    "client": ("aws.general", "Client"),
    "service": ("aws.general", "InternetAlt1"),
    "datacenter": ("aws.general", "TraditionalServer"),
}

# A public subnet gets AWS's public-subnet icon (the private one is the default above).
PUBLIC_SUBNET_ICON = ("aws.network", "PublicSubnet")

# Resources of other types, kept as opaque `cfn.resource` nodes when a CloudFormation
# template is imported, are drawn by their CloudFormation type (`cfn_type`), else by
# its service, else with AWS's generic resource icon; their type is written under it.
CFN_TYPE_ICONS: dict[str, tuple[str, str]] = {
    "AWS::EC2::InternetGateway": ("aws.network", "InternetGateway"),
    "AWS::EC2::VPCGatewayAttachment": ("aws.network", "InternetGateway"),
    "AWS::EC2::NatGateway": ("aws.network", "NATGateway"),
    "AWS::EC2::RouteTable": ("aws.network", "RouteTable"),
    "AWS::EC2::Route": ("aws.network", "RouteTable"),
    "AWS::EC2::SubnetRouteTableAssociation": ("aws.network", "RouteTable"),
    "AWS::EC2::NetworkInterface": ("aws.network", "VPCElasticNetworkInterface"),
    "AWS::EC2::LaunchTemplate": ("aws.compute", "EC2Ami"),
    "AWS::IAM::Policy": ("aws.security", "IAMPermissions"),
    "AWS::AutoScaling::ScalingPolicy": ("aws.management", "AutoScaling"),
    "AWS::ElasticLoadBalancingV2::LoadBalancer": ("aws.network", "ElasticLoadBalancing"),
    "AWS::ECS::Service": ("aws.compute", "ElasticContainerServiceService"),
}
CFN_SERVICE_ICONS: dict[str, tuple[str, str]] = {
    "ApiGateway": ("aws.network", "APIGateway"),
    "ApiGatewayV2": ("aws.network", "APIGateway"),
    "Batch": ("aws.compute", "Batch"),
    "Config": ("aws.management", "Config"),
    "DynamoDB": ("aws.database", "Dynamodb"),
    "ECR": ("aws.compute", "EC2ContainerRegistry"),
    "ECS": ("aws.compute", "ElasticContainerService"),
    "EFS": ("aws.storage", "ElasticFileSystemEFS"),
    "IAM": ("aws.security", "IAMRole"),
    "KMS": ("aws.security", "KMS"),
    "Logs": ("aws.management", "CloudwatchLogs"),
    "RDS": ("aws.database", "RDS"),
    "Scheduler": ("aws.integration", "EventbridgeScheduler"),
    "StepFunctions": ("aws.integration", "StepFunctions"),
}
OPAQUE_ICON = ("aws.general", "General")

OUR_ICON_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "icons")


def icon_for(data: dict) -> str:
    """The icon name for a resource (a node's attribute dict of the graph)."""
    kind = data.get("type")
    if kind == "external":
        entry = EXTERNAL_ICONS.get(data.get("kind") or "service", EXTERNAL_ICONS["service"])
    elif kind == "subnet" and data.get("public"):
        entry = PUBLIC_SUBNET_ICON
    elif kind in TYPE_ICONS:
        entry = TYPE_ICONS[kind]
    else:
        cfn_type = str(data.get("cfn_type") or "")
        service = cfn_type.split("::")[1] if cfn_type.count("::") == 2 else ""
        entry = CFN_TYPE_ICONS.get(cfn_type) or CFN_SERVICE_ICONS.get(service) or OPAQUE_ICON
    return _name_of(entry)


@functools.lru_cache(maxsize=None)
def _name_of(entry: tuple[str, str] | str) -> str:
    if isinstance(entry, str):
        return entry
    module_name, class_name = entry
    node_class = getattr(importlib.import_module(f"diagrams.{module_name}"), class_name)
    # diagrams keeps "resources/aws/compute" + "lambda.png"; its resources folder is
    # one of our icon folders, so the name is the part below "resources/".
    folder = node_class._icon_dir.split("/", 1)[1]
    return f"{folder}/{node_class._icon}"


@functools.lru_cache(maxsize=1)
def icon_dirs() -> tuple[str, ...]:
    """The folders icon names are relative to: diagrams' resources, then the folder holding our icons/."""
    import diagrams

    diagrams_resources = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(diagrams.__file__))), "resources")
    return (diagrams_resources, os.path.dirname(OUR_ICON_DIR))


def icon_path(name: str) -> str:
    """The file of an icon name; raises FileNotFoundError when no folder has it."""
    for folder in icon_dirs():
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate):
            return candidate
    raise FileNotFoundError(f"icon {name!r} is in none of {', '.join(icon_dirs())}")


if __name__ == "__main__":
    # `python -m archlint.render.icon_map` prints Graphviz's imagepath for our DOT files.
    print(os.pathsep.join(icon_dirs()))
