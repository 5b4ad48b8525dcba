"""EC2 instances, Auto Scaling groups, EBS volumes, Elastic IPs, placement groups.

- The image comes from a parameter (parameters.image_id).
- `networking: efa` becomes a network interface with `InterfaceType: efa` (the
  subnet and groups then move onto the interface, as EC2 requires); ena, standard
  and intel-82599 need nothing in the template (they follow from the instance type
  and image).
- IMDSv2 only (`HttpTokens: required`): instances get it from a launch template of
  their own (an instance has no MetadataOptions property), groups from theirs;
  `imdsv2: false` leaves IMDSv1 on. EBS volumes are encrypted (`encrypted: false`
  to opt out).
- An instance without a subnet lands in the region's default VPC, which may not exist
  and is outside the spec's network: emit says so (a note on standard error and in
  the template's Metadata).
- Lifecycle hooks are declared on the group (`LifecycleHookSpecificationList`), so
  that the instances launched when the group is created get them too. A queue or topic
  target is the hook's notification target, reached through a role Auto Scaling
  assumes; a function is reached through an EventBridge rule matching the hook's
  event, as AWS requires. `DefaultResult: CONTINUE`, so that an instance is not
  abandoned when no handler completes the action (the placeholder code does not).
- An instance or group whose flows call AWS (send, publish, write, poll) gets a role
  and an instance profile with exactly those permissions (iam.py).
"""

from __future__ import annotations

from ...specs.query import referrers
from .iam import POLICY_VERSION, assume_role, instance_profile
from .intrinsics import get_att, ref
from .lookups import as_list, flows_in_in_spec_order, type_of
from .names import EmitError, logical_id
from .network import gateway_attachment, group_ids
from .parameters import image_id
from .tags import tags
from .template import Template, where

TRANSITIONS = {"launching": "autoscaling:EC2_INSTANCE_LAUNCHING", "terminating": "autoscaling:EC2_INSTANCE_TERMINATING"}
HOOK_EVENTS = {"launching": "EC2 Instance-launch Lifecycle Action", "terminating": "EC2 Instance-terminate Lifecycle Action"}


def _efa_interface(groups: list, subnet=None) -> dict:
    interface: dict = {"DeviceIndex": 0, "InterfaceType": "efa", "DeleteOnTermination": True}
    if subnet is not None:
        interface["SubnetId"] = subnet
    if groups:
        interface["Groups"] = groups
    return interface


def instance(template: Template, instance_id: str) -> None:
    graph = template.graph
    node = graph.nodes[instance_id]
    if not node.get("subnet"):  # said on standard error and in the template, never silently
        zone = f" in {node['az']}" if node.get("az") else ""
        template.notes.append(
            f"{instance_id}: no subnet, so EC2 launches it in the default VPC of the region{zone}, outside the spec's "
            f"network (and the stack fails where the account has no default VPC); give it a subnet to place it"
        )
    os_name = node.get("os") or "linux"
    properties: dict = {
        "ImageId": image_id(template, os_name, node.get("instance_type") or "t3.micro"),
        "InstanceType": node.get("instance_type") or "t3.micro",
    }
    groups = group_ids(graph, instance_id)
    subnet = ref(logical_id(node["subnet"])) if node.get("subnet") else None
    if node.get("networking") == "efa" and subnet is not None:
        # An instance's own NetworkInterfaces cannot say InterfaceType (only a launch
        # template's can): the EFA is a network interface resource attached as device 0.
        efa = {"SubnetId": subnet, "InterfaceType": "efa", "Description": f"EFA of {instance_id}"}
        if groups:
            efa["GroupSet"] = groups
        interface = template.add(instance_id, "Efa", "AWS::EC2::NetworkInterface", efa, what=f"the EFA of '{instance_id}'")
        properties["NetworkInterfaces"] = [{"DeviceIndex": "0", "NetworkInterfaceId": ref(interface)}]
    else:
        if node.get("networking") == "efa":
            template.notes.append(f"{instance_id}: networking efa needs a subnet; the instance is emitted without an EFA interface")
        if subnet is not None:
            properties["SubnetId"] = subnet
        elif node.get("az"):
            properties["AvailabilityZone"] = node["az"]
        if groups:
            properties["SecurityGroupIds"] = groups
    if node.get("placement_group"):
        properties["PlacementGroupName"] = ref(logical_id(node["placement_group"]))
    profile = instance_profile(template, instance_id)
    if profile:
        properties["IamInstanceProfile"] = ref(profile)
    if node.get("imdsv2") is not False:
        launch_template = template.add(
            instance_id, "LaunchTemplate", "AWS::EC2::LaunchTemplate",
            {"LaunchTemplateData": {"MetadataOptions": {"HttpTokens": "required", "HttpEndpoint": "enabled"}}},
            what=f"the launch template of '{instance_id}'",
        )
        template.mark(launch_template, part_of=instance_id)
        properties["LaunchTemplate"] = {"LaunchTemplateId": ref(launch_template), "Version": get_att(launch_template, "LatestVersionNumber")}
    properties["Tags"] = tags(graph, instance_id)
    own = template.add(instance_id, "", "AWS::EC2::Instance", properties)

    for position, volume_id in enumerate(as_list(node.get("volumes"))):
        letter = chr(ord("f") + position)
        template.add(
            instance_id,
            f"{logical_id(volume_id)}Attachment",
            "AWS::EC2::VolumeAttachment",
            {"InstanceId": ref(own), "VolumeId": ref(logical_id(volume_id)), "Device": f"xvd{letter}" if os_name == "windows" else f"/dev/sd{letter}"},
            what=f"the attachment of '{volume_id}' to '{instance_id}'",
        )


def volume(template: Template, volume_id: str) -> None:
    graph = template.graph
    node = graph.nodes[volume_id]
    if not node.get("az"):
        raise EmitError(f"{where(graph, volume_id)}: volume '{volume_id}' has no Availability Zone; give it an az")
    volume_type = node.get("volume_type") or "gp3"
    properties: dict = {"AvailabilityZone": node["az"], "Size": node.get("size") or 8, "VolumeType": volume_type}
    if volume_type in ("io1", "io2"):
        properties["Iops"] = 3000  # required for provisioned-IOPS volumes; gp3's baseline
    if node.get("multi_attach"):
        properties["MultiAttachEnabled"] = True
    properties["Encrypted"] = node.get("encrypted") is not False
    properties["Tags"] = tags(graph, volume_id)
    # Deleting or replacing the volume leaves a snapshot of its data behind.
    template.add(volume_id, "", "AWS::EC2::Volume", properties, keep="Snapshot")
    for group in referrers(graph, volume_id, "volumes"):
        if type_of(graph, group) == "autoscaling.group":
            template.notes.append(
                f"{volume_id}: listed by the Auto Scaling group {group}; CloudFormation cannot attach an existing "
                f"volume to a group's instances (attach it from the instance, e.g. in a launching lifecycle hook)"
            )


def elastic_ip(template: Template, eip_id: str) -> None:
    graph = template.graph
    node = graph.nodes[eip_id]
    properties: dict = {"Domain": "vpc"}
    waits_for = []
    target = node.get("instance")
    if target:
        properties["InstanceId"] = ref(logical_id(target))
        subnet = graph.nodes[target].get("subnet")
        if subnet:
            attachment = gateway_attachment(graph, graph.nodes[subnet]["vpc"])
            if attachment:  # an address is associated only in a VPC with an internet gateway
                waits_for.append(attachment)
    properties["Tags"] = tags(graph, eip_id)
    template.add(eip_id, "", "AWS::EC2::EIP", properties, depends_on=waits_for)


def placement_group(template: Template, group_id: str) -> None:
    node = template.graph.nodes[group_id]
    template.add(group_id, "", "AWS::EC2::PlacementGroup", {"Strategy": node["strategy"], "Tags": tags(template.graph, group_id)})


def auto_scaling_group(template: Template, group_id: str) -> None:
    graph = template.graph
    node = graph.nodes[group_id]
    instance_type = node.get("instance_type") or "t3.micro"
    data: dict = {
        "ImageId": image_id(template, node.get("os") or "linux", instance_type),
        "InstanceType": instance_type,
    }
    if node.get("imdsv2") is not False:
        data["MetadataOptions"] = {"HttpTokens": "required", "HttpEndpoint": "enabled"}  # IMDSv2 only
    groups = group_ids(graph, group_id)
    if node.get("networking") == "efa":
        data["NetworkInterfaces"] = [_efa_interface(groups)]  # the group picks the subnet
    elif groups:
        data["SecurityGroupIds"] = groups
    if node.get("placement_group"):
        data["Placement"] = {"GroupName": ref(logical_id(node["placement_group"]))}
    profile = instance_profile(template, group_id)
    if profile:
        data["IamInstanceProfile"] = {"Arn": get_att(profile, "Arn")}
    launch_template = template.add(
        group_id, "LaunchTemplate", "AWS::EC2::LaunchTemplate", {"LaunchTemplateData": data}, what=f"the launch template of '{group_id}'"
    )

    minimum = node.get("min") if node.get("min") is not None else 1
    maximum = node.get("max") if node.get("max") is not None else max(1, minimum)
    desired = node.get("desired") if node.get("desired") is not None else minimum
    properties: dict = {
        "MinSize": str(minimum),
        "MaxSize": str(maximum),
        "DesiredCapacity": str(desired),
        "VPCZoneIdentifier": [ref(logical_id(s)) for s in as_list(node.get("subnets"))],
        "LaunchTemplate": {"LaunchTemplateId": ref(launch_template), "Version": get_att(launch_template, "LatestVersionNumber")},
    }
    routers = [alb for alb, _ in flows_in_in_spec_order(graph, group_id, "route")]
    if routers:
        properties["TargetGroupARNs"] = [ref(logical_id(alb, f"To{logical_id(group_id)}TargetGroup")) for alb in routers]
    if any(str(graph.nodes[a].get("metric") or "").startswith("Group") for a in referrers(graph, group_id, "watches")):
        properties["MetricsCollection"] = [{"Granularity": "1Minute"}]  # Group* metrics exist only when collected
    properties["Tags"] = tags(graph, group_id, propagate=True)
    # A group registers with a target group only once a listener ties it to its load balancer.
    listeners = [logical_id(alb, "Listener") for alb in routers]
    hooks, _ = _lifecycle_hooks(template, group_id)
    if hooks:
        properties["LifecycleHookSpecificationList"] = hooks
    properties["Tags"] = properties.pop("Tags")  # tags last, after the hooks
    own = template.add(group_id, "", "AWS::AutoScaling::AutoScalingGroup", properties, depends_on=listeners)
    _hook_rules(template, group_id, own)


def _lifecycle_hooks(template: Template, group_id: str) -> tuple[list, str | None]:
    """The group's hook specifications, and the role that lets Auto Scaling notify a
    queue or topic (None when no hook notifies one)."""
    graph = template.graph
    hooks = as_list(graph.nodes[group_id].get("lifecycle_hooks"))
    notified = [h["target"] for h in hooks if h.get("target") and type_of(graph, h["target"]) in ("sqs.queue", "sns.topic")]
    hook_role = None
    if notified:
        statements = []
        for target in dict.fromkeys(notified):
            if type_of(graph, target) == "sqs.queue":
                statements.append({"Effect": "Allow", "Action": ["sqs:GetQueueUrl", "sqs:SendMessage"], "Resource": get_att(logical_id(target), "Arn")})
            else:
                statements.append({"Effect": "Allow", "Action": "sns:Publish", "Resource": ref(logical_id(target))})
        hook_role = template.add(
            group_id,
            "HookRole",
            "AWS::IAM::Role",
            {
                "AssumeRolePolicyDocument": assume_role("autoscaling.amazonaws.com"),
                "Policies": [{"PolicyName": "lifecycle-notifications", "PolicyDocument": {"Version": POLICY_VERSION, "Statement": statements}}],
            },
            what=f"the lifecycle hook role of '{group_id}'",
        )
    specifications = []
    for index, hook in enumerate(hooks):
        transition = hook["transition"]
        specification: dict = {
            "LifecycleHookName": _hook_name(hooks, index),
            "LifecycleTransition": TRANSITIONS[transition],
            "DefaultResult": "CONTINUE",
            "HeartbeatTimeout": 300,
        }
        target = hook.get("target")
        if target and type_of(graph, target) in ("sqs.queue", "sns.topic"):
            kind = type_of(graph, target)
            specification["NotificationTargetARN"] = get_att(logical_id(target), "Arn") if kind == "sqs.queue" else ref(logical_id(target))
            specification["RoleARN"] = get_att(hook_role, "Arn")
        specifications.append(specification)
    return specifications, hook_role


def _hook_name(hooks: list, index: int) -> str:
    """`LaunchingHook`, or `LaunchingHook2` for lifecycle_hooks[2] when a group has several."""
    transition = hooks[index]["transition"]
    same = [h for h in hooks if h["transition"] == transition]
    return f"{transition.capitalize()}Hook" + (str(index) if len(same) > 1 else "")


def _hook_rules(template: Template, group_id: str, own: str) -> None:
    """A hook reaches a function through an EventBridge rule matching its event."""
    graph = template.graph
    hooks = as_list(graph.nodes[group_id].get("lifecycle_hooks"))
    for index, hook in enumerate(hooks):
        transition = hook["transition"]
        name = _hook_name(hooks, index)
        target = hook.get("target")
        if target and type_of(graph, target) == "lambda.function":
            rule = template.add(
                group_id,
                f"{name}Rule",
                "AWS::Events::Rule",
                {
                    "EventPattern": {
                        "source": ["aws.autoscaling"],
                        "detail-type": [HOOK_EVENTS[transition]],
                        "detail": {"AutoScalingGroupName": [ref(own)]},
                    },
                    "State": "ENABLED",
                    "Targets": [{"Id": logical_id(target), "Arn": get_att(logical_id(target), "Arn")}],
                },
                what=f"the EventBridge rule of lifecycle hook {index} of '{group_id}'",
            )
            template.add(
                group_id,
                f"{name}Permission",
                "AWS::Lambda::Permission",
                {
                    "Action": "lambda:InvokeFunction",
                    "FunctionName": get_att(logical_id(target), "Arn"),
                    "Principal": "events.amazonaws.com",
                    "SourceArn": get_att(rule, "Arn"),
                },
                what=f"the permission of lifecycle hook {index} of '{group_id}'",
            )
