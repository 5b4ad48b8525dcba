"""Checks that need more than one resource: references, AZs, CIDRs, ACL membership,
and the defaults that come from other resources (an instance's AZ from its subnet,
a volume's AZ from its instance).

Every check skips values that are None: a missing or malformed value was already
reported, and a follow-on error would only be noise.
"""

from __future__ import annotations

import ipaddress
import re

from . import types as T
from .reader import Resource, SpecReader


def check_spec(reader: SpecReader, resources: list[Resource], region: str) -> None:
    # ids are unique: YAML duplicate keys were refused before this
    by_id = {resource.id: resource for resource in resources}
    _check_references(reader, resources, by_id)
    # subnets first: instances and load balancers read their subnets' checked AZs
    ordered = sorted(resources, key=lambda resource: resource.type != "subnet")
    for resource in ordered:
        check = TYPE_CHECKS.get(resource.type)
        if check:
            check(reader, resource, by_id, region)
    _check_subnet_cidrs(reader, resources, by_id)
    _check_acl_membership(reader, resources)
    _derive_volume_azs(reader, resources, by_id)


def reference_targets(resource: Resource):
    """(attribute, position key, target id, accepted types) of every reference."""
    if resource.type is None:
        return
    for name, attribute in T.TYPES[resource.type].items():
        value = resource.values.get(name)
        if value is None:
            continue
        if attribute.kind == T.REF:
            yield name, name, value, attribute.refs
        elif attribute.kind == T.REF_LIST:
            for index, target in enumerate(value):
                yield name, f"{name}[{index}]", target, attribute.refs
        elif attribute.kind in T.RECORD_FIELDS:
            for index, record in enumerate(value):
                if record is None:
                    continue
                for field_name, field_attribute in T.RECORD_FIELDS[attribute.kind].items():
                    if field_attribute.kind == T.REF and record.get(field_name) is not None:
                        yield name, f"{name}[{index}].{field_name}", record[field_name], field_attribute.refs


def _check_references(reader, resources, by_id) -> None:
    for resource in resources:
        bad = set()
        for name, position_key, target, accepted in reference_targets(resource):
            position = resource.positions.get(position_key) or resource.positions[name]
            if target not in by_id:
                reader.problem(position, f"'{name}' of {resource.id} names '{target}', which is not a resource of this spec{reader.suggest_id(target, by_id)}")
                bad.add(position_key)
                continue
            target_type = by_id[target].type
            if target_type is not None and target_type not in accepted:
                reader.problem(position, f"'{name}' of {resource.id} names {target}, a {target_type}; it takes {' or '.join(accepted)}")
                bad.add(position_key)
        _drop_bad_references(resource, bad)


def _drop_bad_references(resource: Resource, bad: set) -> None:
    """Forget references already reported, so later checks don't trip over them."""
    for key in bad:
        if "[" not in key:
            resource.values[key] = None


def _check_az(reader, resource, region: str, key: str = "az") -> None:
    az = resource.values.get(key)
    if az is None:
        return
    if not re.fullmatch(re.escape(region) + r"[a-z]", az):
        reader.problem(resource.positions[key], f"'{az}' is not an Availability Zone of {region}, the spec's region (such as {region}a)")
        resource.values[key] = None


def _check_queue(reader, resource, by_id, region) -> None:
    values = resource.values
    if values["dead_letter"] is None:
        if "max_receive_count" in resource.positions:
            reader.problem(resource.positions["max_receive_count"], f"'max_receive_count' of {resource.id} only means something with a 'dead_letter' queue")
        return
    if values["max_receive_count"] is None:
        values["max_receive_count"] = 5


def _check_rule(reader, resource, by_id, region) -> None:
    if resource.values["schedule"] is None and resource.values["pattern"] is None:
        if "schedule" not in resource.positions and "pattern" not in resource.positions:
            reader.problem((resource.line, resource.column), f"events.rule '{resource.id}' needs a 'schedule', a 'pattern', or both")


def _check_subnet(reader, resource, by_id, region) -> None:
    _check_az(reader, resource, region)
    cidr = resource.values["cidr"]
    if cidr is not None and ipaddress.ip_network(cidr).version != 4:
        reader.problem(resource.positions["cidr"], f"the subnet {resource.id} needs an IPv4 CIDR, got {cidr}")
        resource.values["cidr"] = None


def _check_acl(reader, resource, by_id, region) -> None:
    vpc = resource.values["vpc"]
    for index, subnet in enumerate(resource.values["subnets"] or ()):
        subnet_vpc = by_id[subnet].values.get("vpc") if subnet in by_id else None
        if vpc is not None and subnet_vpc is not None and subnet_vpc != vpc:
            reader.problem(resource.positions[f"subnets[{index}]"], f"the subnet {subnet} is in {subnet_vpc}, not in {vpc}, the VPC of the ACL {resource.id}")
    # Two rules with one number and direction load (both are kept, as an imported
    # template has them): NACL004 reports them, the loader does not.
    for index, rule in enumerate(resource.values["rules"] or ()):
        if rule is None:
            continue
        position = resource.positions[f"rules[{index}]"]
        if rule["ports"] is not None and rule["protocol"] not in ("tcp", "udp"):
            reader.problem(resource.positions.get(f"rules[{index}].ports", position), f"rule {rule['number']} of {resource.id}: ports belong to tcp and udp rules, not to protocol {rule['protocol']}")


def _check_security_group(reader, resource, by_id, region) -> None:
    for index, rule in enumerate(resource.values["rules"] or ()):
        if rule is None:
            continue
        position = resource.positions[f"rules[{index}]"]
        label = f"rule {index + 1} of {resource.id}"
        if (rule["cidr"] is None) == (rule["group"] is None):
            if f"rules[{index}].cidr" not in resource.positions and f"rules[{index}].group" not in resource.positions:
                reader.problem(position, f"{label} needs exactly one of 'cidr' (an address range) and 'group' (a security group)")
            elif rule["cidr"] is not None:
                reader.problem(position, f"{label} has both 'cidr' and 'group'; a rule takes exactly one")
        if rule["protocol"] in ("tcp", "udp") and rule["ports"] is None and f"rules[{index}].ports" not in resource.positions:
            reader.problem(position, f"{label} allows {rule['protocol']} and needs 'ports' (443, or a range such as \"1024-65535\")")
        if rule["protocol"] in ("icmp", "all") and rule["ports"] is not None:
            reader.problem(resource.positions[f"rules[{index}].ports"], f"{label}: ports belong to tcp and udp rules, not to protocol {rule['protocol']}")


def _check_instance(reader, resource, by_id, region) -> None:
    values = resource.values
    if values["subnet"] is not None and "az" in resource.positions and values["az"] is not None:
        reader.problem(resource.positions["az"], f"{resource.id} gives both 'subnet' and 'az'; the subnet decides the AZ, so give one of them")
        return
    _check_az(reader, resource, region)
    if values["subnet"] is not None and values["subnet"] in by_id:
        values["az"] = by_id[values["subnet"]].values.get("az")


def _check_volume(reader, resource, by_id, region) -> None:
    _check_az(reader, resource, region)


def _check_group(reader, resource, by_id, region) -> None:
    values = resource.values
    low = values["min"]
    if values["max"] is None:
        values["max"] = max(1, low) if low is not None else None
    if values["desired"] is None:
        values["desired"] = low
    if None in (low, values["max"], values["desired"]):
        return
    if not low <= values["desired"] <= values["max"]:
        where = resource.positions.get("desired") or resource.positions.get("max") or resource.positions.get("min") or (resource.line, resource.column)
        reader.problem(where, f"{resource.id} needs min ≤ desired ≤ max; it has min {low}, desired {values['desired']}, max {values['max']}")


def _check_alb(reader, resource, by_id, region) -> None:
    subnets = resource.values["subnets"]
    if subnets is None:  # unknown (an imported template's subnets outside it): nothing to check
        return
    zones = {by_id[s].values.get("az") for s in subnets if s in by_id}
    if None not in zones and len(zones) < 2:  # `subnets: []` too: no zone at all
        reader.problem(resource.positions["subnets"], f"the load balancer {resource.id} needs subnets in at least two Availability Zones; it has {', '.join(sorted(zones)) or 'none'}")


def _check_alarm(reader, resource, by_id, region) -> None:
    watched = resource.values["watches"]
    if resource.values["metric"] is None and watched in by_id:
        resource.values["metric"] = T.DEFAULT_METRIC.get(by_id[watched].type)


def _check_subnet_cidrs(reader, resources, by_id) -> None:
    """Each subnet's CIDR inside its VPC's, and no two subnets of a VPC overlapping.
    Sorting by network address makes the overlap check linear after the sort."""
    by_vpc: dict[str, list] = {}
    for resource in resources:
        if resource.type != "subnet" or resource.values["cidr"] is None:
            continue
        network = ipaddress.ip_network(resource.values["cidr"])
        vpc = by_id.get(resource.values["vpc"]) if resource.values["vpc"] else None
        if vpc is not None and vpc.values.get("cidr"):
            vpc_network = ipaddress.ip_network(vpc.values["cidr"])
            if vpc_network.version == 4 and not network.subnet_of(vpc_network):
                reader.problem(resource.positions["cidr"], f"the subnet {resource.id} ({network}) is not inside its VPC {vpc.id} ({vpc_network})")
                continue
        by_vpc.setdefault(resource.values["vpc"], []).append((network, resource))
    for members in by_vpc.values():
        members.sort(key=lambda pair: (int(pair[0].network_address), -pair[0].prefixlen, pair[1].line))
        widest = None
        for network, resource in members:
            if widest is not None and int(network.network_address) <= int(widest[0].broadcast_address):
                reader.problem(resource.positions["cidr"], f"the subnet {resource.id} ({network}) overlaps {widest[1].id} ({widest[0]}) in the same VPC")
                continue
            if widest is None or int(network.broadcast_address) > int(widest[0].broadcast_address):
                widest = (network, resource)


def _check_acl_membership(reader, resources) -> None:
    owner: dict[str, str] = {}
    for resource in resources:
        if resource.type != "network_acl":
            continue
        for index, subnet in enumerate(resource.values["subnets"] or ()):
            if subnet in owner and owner[subnet] != resource.id:
                reader.problem(resource.positions[f"subnets[{index}]"], f"the subnet {subnet} is already in the network ACL {owner[subnet]}; a subnet has exactly one ACL")
            else:
                owner[subnet] = resource.id


def _derive_volume_azs(reader, resources, by_id) -> None:
    """A volume's AZ defaults to that of the instances listing it (docs/spec.md): required
    when nothing lists it, when instances in different AZs do, or a group does."""
    listed_by: dict[str, list[Resource]] = {}
    for resource in resources:
        if resource.type in ("ec2.instance", "autoscaling.group"):
            for volume in resource.values["volumes"] or ():
                listed_by.setdefault(volume, []).append(resource)
    for resource in resources:
        if resource.type != "ebs.volume" or resource.values["az"] is not None or "az" in resource.positions:
            continue
        owners = listed_by.get(resource.id, [])
        where = (resource.line, resource.column)
        if not owners:
            reader.problem(where, f"the volume {resource.id} needs an 'az': no instance lists it to take the AZ from")
        elif any(owner.type == "autoscaling.group" for owner in owners):
            group = next(owner.id for owner in owners if owner.type == "autoscaling.group")
            reader.problem(where, f"the volume {resource.id} needs an 'az': the Auto Scaling group {group} lists it, and a group has no single AZ")
        else:
            zones = {owner.values["az"] for owner in owners}
            if len(zones - {None}) > 1:
                reader.problem(where, f"the volume {resource.id} needs an 'az': the instances listing it are in {', '.join(sorted(zones - {None}))}")
            elif len(zones) == 1:
                resource.values["az"] = zones.pop()  # None when the instance's AZ is unknown


TYPE_CHECKS = {
    "sqs.queue": _check_queue,
    "events.rule": _check_rule,
    "subnet": _check_subnet,
    "network_acl": _check_acl,
    "security_group": _check_security_group,
    "ec2.instance": _check_instance,
    "ebs.volume": _check_volume,
    "autoscaling.group": _check_group,
    "alb": _check_alb,
    "cloudwatch.alarm": _check_alarm,
}
