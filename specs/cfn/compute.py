"""Instances, volumes, Elastic IPs, placement groups, Auto Scaling groups (launch
templates, lifecycle hooks), Batch compute environments, Direct Connect, DataSync."""

from __future__ import annotations

from .model import Draft, Importer, as_flag, as_instance_type, as_int, as_text, show, why
from .resolve import ResourceRef, Unknown


# -- compute ---------------------------------------------------------------------------


def instance(imp: Importer, draft: Draft, props: dict) -> None:
    imp.set_value(draft, "instance_type", imp.value(props.get("InstanceType")), ["InstanceType"], as_instance_type)
    draft.unknown["os"] = "the operating system is the image's, which the template does not show"
    interfaces = _instance_interfaces(imp, props)
    subnet_raw = props.get("SubnetId")
    groups_raw = props.get("SecurityGroupIds") or props.get("SecurityGroups")
    groups_path = ["SecurityGroupIds"] if props.get("SecurityGroupIds") else ["SecurityGroups"]
    if isinstance(interfaces, list) and interfaces and isinstance(interfaces[0], dict):
        subnet_raw = subnet_raw or interfaces[0].get("SubnetId")
        groups_raw = groups_raw or interfaces[0].get("GroupSet")
        groups_path = groups_path if props.get("SecurityGroupIds") else ["NetworkInterfaces", 0, "GroupSet"]
    imp.set_ref(draft, "subnet", subnet_raw, ["SubnetId"], "subnet")
    if subnet_raw is not None and "subnet" not in draft.values:
        draft.unknown.setdefault("subnet", "not a subnet of this template")
        draft.unknown.setdefault("az", "the subnet is not in this template")
    zone = imp.value(props.get("AvailabilityZone"))
    if "subnet" not in draft.values and "subnet" not in draft.unknown:
        imp.set_value(draft, "az", zone, ["AvailabilityZone"], as_text)
        if zone is None:
            draft.unknown["az"] = "AWS chooses the Availability Zone (no subnet, no AvailabilityZone)"
    if groups_raw is not None:
        imp.set_refs(draft, "security_groups", groups_raw, groups_path, "security_group")
    imp.set_ref(draft, "placement_group", props.get("PlacementGroupName"), ["PlacementGroupName"], "placement_group")
    _networking(imp, draft, interfaces, ["NetworkInterfaces"])
    template = imp.value(props.get("LaunchTemplate"))
    named = template.get("LaunchTemplateId") if isinstance(template, dict) else None
    data = imp.value(imp.properties(named.logical_id).get("LaunchTemplateData")) if isinstance(named, ResourceRef) and named.logical_id in imp.resources else None
    _imdsv2(imp, draft, data if isinstance(data, dict) else {}, ["LaunchTemplate"])


def _imdsv2(imp: Importer, draft: Draft, data: dict, at: list) -> None:
    """IMDSv2 only when the launch data requires session tokens."""
    options = data.get("MetadataOptions") if isinstance(data.get("MetadataOptions"), dict) else {}
    tokens = options.get("HttpTokens")
    if isinstance(tokens, Unknown):
        draft.unknown["imdsv2"] = tokens.reason
    else:
        imp.set_value(draft, "imdsv2", tokens == "required", at)


def _instance_interfaces(imp: Importer, props: dict):
    """An instance's network interfaces. `InterfaceType` (EFA) is no property of an
    instance's own interface list: it comes from an AWS::EC2::NetworkInterface the list
    names, or from the instance's launch template."""
    interfaces = imp.value(props.get("NetworkInterfaces"))
    if isinstance(interfaces, Unknown):
        return interfaces
    found = []
    for item in interfaces if isinstance(interfaces, list) else []:
        if not isinstance(item, dict):
            continue
        named = item.get("NetworkInterfaceId")
        if isinstance(named, ResourceRef) and imp.resources.get(named.logical_id, {}).get("Type") == "AWS::EC2::NetworkInterface":
            found.append({**item, **imp.value(imp.properties(named.logical_id))})
        else:
            found.append({key: value for key, value in item.items() if key != "InterfaceType"})
    template = imp.value(props.get("LaunchTemplate"))
    if isinstance(template, dict):
        named = template.get("LaunchTemplateId") or template.get("LaunchTemplateName")
        if isinstance(named, ResourceRef) and named.logical_id in imp.resources:
            data = imp.value(imp.properties(named.logical_id).get("LaunchTemplateData"))
            extra = data.get("NetworkInterfaces") if isinstance(data, dict) else data
            if isinstance(extra, Unknown):
                return extra
            found.extend(item for item in extra or [] if isinstance(item, dict))
        else:
            return Unknown("a launch template outside this template")
    return found


def _networking(imp: Importer, draft: Draft, interfaces, path) -> None:
    """EFA when an interface says so; otherwise ENA (the spec default: what the type
    and image decide, which the template does not show beyond 'not EFA')."""
    if isinstance(interfaces, Unknown):
        draft.unknown["networking"] = interfaces.reason
        return
    kinds = [item.get("InterfaceType") for item in interfaces if isinstance(item, dict)] if isinstance(interfaces, list) else []
    if any(isinstance(kind, Unknown) for kind in kinds):
        draft.unknown["networking"] = "an interface type the template does not fix"
    elif any(isinstance(kind, str) and kind.lower() == "efa" for kind in kinds):
        draft.values["networking"] = "efa"
        draft.positions["networking"] = imp.position(draft.logical_id, path)


def volume(imp: Importer, draft: Draft, props: dict) -> None:
    zone = props.get("AvailabilityZone")
    value = imp.value(zone)
    if isinstance(value, ResourceRef) and value.attribute == "AvailabilityZone" and value.logical_id in imp.drafts:
        draft.values["az_of"] = value.logical_id  # resolved once the instance's AZ is known (see build.py)
        draft.positions["az"] = imp.position(draft.logical_id, ["AvailabilityZone"])
    else:
        imp.set_value(draft, "az", value, ["AvailabilityZone"], as_text)
    size = imp.value(props.get("Size"))
    if size is None and props.get("SnapshotId") is not None:
        draft.unknown["size"] = "the size of the snapshot it is restored from"
    imp.set_value(draft, "size", size, ["Size"], as_int)
    kind = imp.value(props.get("VolumeType"))
    imp.set_value(draft, "volume_type", kind if kind is not None else "gp2", ["VolumeType"],
                  lambda text: text if text in ("gp2", "gp3", "io1", "io2", "st1", "sc1") else None)
    imp.set_value(draft, "multi_attach", imp.value(props.get("MultiAttachEnabled")), ["MultiAttachEnabled"], as_flag)
    encrypted = imp.value(props.get("Encrypted"))
    imp.set_value(draft, "encrypted", False if encrypted is None else encrypted, ["Encrypted"], as_flag)  # EBS's default: no


def volume_attachment(imp: Importer, logical_id: str, props: dict) -> None:
    owner, _ = imp.target(props.get("InstanceId"), "ec2.instance")
    disk, reason = imp.target(props.get("VolumeId"), "ebs.volume")
    if owner is None:
        return
    draft = imp.drafts[owner]
    if disk is None:
        draft.unknown.setdefault("volumes", f"an attachment of {reason}")
        return
    volumes = draft.values.setdefault("volumes", [])
    if imp.drafts[disk].id not in volumes:
        at = imp.resource_position(logical_id)
        draft.positions.setdefault("volumes", at)
        draft.positions[f"volumes[{len(volumes)}]"] = at
        volumes.append(imp.drafts[disk].id)


def elastic_ip(imp: Importer, draft: Draft, props: dict) -> None:
    imp.set_ref(draft, "instance", props.get("InstanceId"), ["InstanceId"], "ec2.instance")


def eip_association(imp: Importer, logical_id: str, props: dict) -> None:
    address = None
    for key in ("AllocationId", "EIP"):
        address = address or imp.target(props.get(key), "ec2.eip")[0]
    if address is None:
        return
    draft = imp.drafts[address]
    if props.get("InstanceId") is not None:
        imp.set_ref(draft, "instance", props.get("InstanceId"), [], "ec2.instance")
        draft.positions["instance"] = imp.resource_position(logical_id)
    elif props.get("NetworkInterfaceId") is not None:
        draft.unknown["instance"] = "associated with a network interface, whose instance the template does not fix"
        draft.positions["instance"] = imp.resource_position(logical_id)


def placement_group(imp: Importer, draft: Draft, props: dict) -> None:
    strategy = imp.value(props.get("Strategy"))
    if strategy is None:
        draft.unknown["strategy"] = "no Strategy given"
    imp.set_value(draft, "strategy", strategy, ["Strategy"],
                  lambda text: text if text in ("cluster", "spread", "partition") else None)


def auto_scaling_group(imp: Importer, draft: Draft, props: dict) -> None:
    zones = props.get("VPCZoneIdentifier")
    if zones is None:
        draft.unknown["subnets"] = "the group names Availability Zones, not subnets"
    else:
        imp.set_refs(draft, "subnets", zones, ["VPCZoneIdentifier"], "subnet")
    for attribute, key in (("min", "MinSize"), ("max", "MaxSize"), ("desired", "DesiredCapacity")):
        imp.set_value(draft, attribute, imp.value(props.get(key)), [key], as_int)
    draft.unknown["os"] = "the operating system is the image's, which the template does not show"
    imp.set_ref(draft, "placement_group", props.get("PlacementGroup"), ["PlacementGroup"], "placement_group")
    launch = _launch_data(imp, props)
    if isinstance(launch, Unknown):
        for attribute in ("instance_type", "security_groups", "networking"):
            draft.unknown[attribute] = launch.reason
    elif launch is not None:
        data, where = launch
        at = ["LaunchTemplate"] if where == "template" else ["LaunchConfigurationName"]
        imp.set_value(draft, "instance_type", data.get("InstanceType"), at, as_instance_type)
        interfaces = data.get("NetworkInterfaces")
        groups = data.get("SecurityGroupIds") or data.get("SecurityGroups")
        if groups is None and isinstance(interfaces, list) and interfaces and isinstance(interfaces[0], dict):
            groups = interfaces[0].get("Groups")
        if groups is not None:
            imp.set_refs(draft, "security_groups", groups, at, "security_group")
        _networking(imp, draft, interfaces, at)
        if where == "template":
            _imdsv2(imp, draft, data, at)
        placement = data.get("Placement")
        if "placement_group" not in draft.values and isinstance(placement, dict) and placement.get("GroupName") is not None:
            imp.set_ref(draft, "placement_group", placement.get("GroupName"), at, "placement_group")
    hooks = imp.value(props.get("LifecycleHookSpecificationList"))
    for index, hook in enumerate(hooks if isinstance(hooks, list) else []):
        _add_hook(imp, draft, hook, imp.position(draft.logical_id, ["LifecycleHookSpecificationList", index]))
    targets = imp.value(props.get("TargetGroupARNs"))
    for index, target_group in enumerate(targets if isinstance(targets, list) else []):
        found, _ = imp.target(target_group)
        if found and imp.resources[found].get("Type") == "AWS::ElasticLoadBalancingV2::TargetGroup":
            imp.group_targets.setdefault(found, []).append(draft.logical_id)


def _launch_data(imp: Importer, props: dict):
    """(LaunchTemplateData or launch configuration properties, "template"|"configuration"), or Unknown."""
    template = imp.value(props.get("LaunchTemplate") or props.get("MixedInstancesPolicy"))
    if isinstance(template, dict) and "LaunchTemplate" in template:  # MixedInstancesPolicy
        template = (template.get("LaunchTemplate") or {}).get("LaunchTemplateSpecification")
    if isinstance(template, dict):
        found = template.get("LaunchTemplateId") or template.get("LaunchTemplateName")
        if isinstance(found, ResourceRef) and imp.resources.get(found.logical_id, {}).get("Type") == "AWS::EC2::LaunchTemplate":
            data = imp.value(imp.properties(found.logical_id).get("LaunchTemplateData"))
            return (data, "template") if isinstance(data, dict) else Unknown("launch template data the template does not fix")
        return Unknown("a launch template outside this template")
    if isinstance(template, Unknown):
        return template
    configuration = imp.value(props.get("LaunchConfigurationName"))
    if isinstance(configuration, ResourceRef) and configuration.logical_id in imp.resources:
        return imp.value(imp.properties(configuration.logical_id)), "configuration"
    if configuration is not None or props.get("InstanceId") is not None:
        return Unknown("a launch configuration outside this template")
    return None


_TRANSITIONS = {"autoscaling:EC2_INSTANCE_LAUNCHING": "launching", "autoscaling:EC2_INSTANCE_TERMINATING": "terminating"}


def lifecycle_hook(imp: Importer, logical_id: str, props: dict) -> None:
    group, _ = imp.target(props.get("AutoScalingGroupName"), "autoscaling.group")
    if group is not None:
        _add_hook(imp, imp.drafts[group], imp.value(props), imp.resource_position(logical_id))


def _add_hook(imp: Importer, draft: Draft, hook, at) -> None:
    if not isinstance(hook, dict):
        draft.unknown.setdefault("lifecycle_hooks", why(hook))
        return
    transition = _TRANSITIONS.get(hook.get("LifecycleTransition")) if isinstance(hook.get("LifecycleTransition"), str) else None
    if transition is None:
        draft.unknown.setdefault("lifecycle_hooks", f"a hook for {show(hook.get('LifecycleTransition'))}")
        return
    record = {"transition": transition, "target": None}
    if hook.get("NotificationTargetARN") is not None:
        target, reason = imp.target(hook.get("NotificationTargetARN"), "sqs.queue", "sns.topic")
        if target is None:
            draft.unknown.setdefault("lifecycle_hooks", f"a hook notifying {reason}")
        else:
            record["target"] = imp.drafts[target].id
    hooks = draft.values.setdefault("lifecycle_hooks", [])
    draft.positions.setdefault("lifecycle_hooks", at)
    draft.positions[f"lifecycle_hooks[{len(hooks)}]"] = at
    hooks.append(record)


# -- transfer and HPC ------------------------------------------------------------------


def direct_connect(imp: Importer, draft: Draft, props: dict) -> None:
    imp.set_value(draft, "bandwidth", imp.value(props.get("Bandwidth")), ["Bandwidth"],
                  lambda text: text if text in ("1Gbps", "10Gbps", "100Gbps", "400Gbps") else None)
    imp.set_value(draft, "location", imp.value(props.get("Location")), ["Location"], as_text)


def nothing(imp: Importer, draft: Draft, props: dict) -> None:
    """A type whose spec form has no attribute to read (datasync.task)."""


def compute_environment(imp: Importer, draft: Draft, props: dict) -> None:
    resources = imp.value(props.get("ComputeResources"))
    if not isinstance(resources, dict):
        return
    types = resources.get("InstanceTypes")
    if isinstance(types, list) and all(isinstance(item, str) for item in types):
        draft.values["instance_types"] = types
        draft.positions["instance_types"] = imp.position(draft.logical_id, ["ComputeResources", "InstanceTypes"])
    elif types is not None:
        draft.unknown["instance_types"] = why(types)
    if resources.get("PlacementGroup") is not None:
        imp.set_ref(draft, "placement_group", resources.get("PlacementGroup"), ["ComputeResources", "PlacementGroup"], "placement_group")
    template = resources.get("LaunchTemplate")
    if isinstance(template, dict):
        found = template.get("LaunchTemplateId") or template.get("LaunchTemplateName")
        if isinstance(found, ResourceRef) and found.logical_id in imp.resources:
            data = imp.value(imp.properties(found.logical_id).get("LaunchTemplateData"))
            _networking(imp, draft, data.get("NetworkInterfaces") if isinstance(data, dict) else data,
                        ["ComputeResources", "LaunchTemplate"])
