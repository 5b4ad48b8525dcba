"""VPCs, subnets (public when routed to an internet gateway), security groups and
network ACLs with their rules."""

from __future__ import annotations

import ipaddress

from .kept import archlint_metadata
from .model import Draft, Importer, as_flag, as_int, as_text, show, why
from .resolve import NO_VALUE, ResourceRef, Unknown


# -- network ---------------------------------------------------------------------------


def vpc(imp: Importer, draft: Draft, props: dict) -> None:
    cidr = imp.value(props.get("CidrBlock"))
    if cidr is None:
        draft.unknown["cidr"] = "the VPC's range comes from an IPAM pool"
        return
    imp.set_value(draft, "cidr", cidr, ["CidrBlock"], as_cidr)


def subnet(imp: Importer, draft: Draft, props: dict) -> None:
    imp.set_ref(draft, "vpc", props.get("VpcId"), ["VpcId"], "vpc")
    if props.get("VpcId") is not None and "vpc" not in draft.values and "vpc" not in draft.unknown:
        draft.unknown["vpc"] = "not a VPC of this template"
    zone = imp.value(props.get("AvailabilityZone"))
    if zone is None:
        draft.unknown["az"] = "the Availability Zone is chosen by AWS or given as an AZ id"
    imp.set_value(draft, "az", zone, ["AvailabilityZone"], as_text)
    imp.set_value(draft, "cidr", imp.value(props.get("CidrBlock")), ["CidrBlock"], as_cidr)
    if props.get("CidrBlock") is None:
        draft.unknown["cidr"] = "the subnet's range comes from an IPAM pool or IPv6 only"


def public_subnets(imp: Importer) -> None:
    """A subnet is public when a route table associated with it routes to an internet
    gateway; without an association it uses the VPC's main route table, which a
    template cannot give such a route. Read after every resource."""
    gateways = {}  # route table -> routes to an internet gateway (True), or unknown (None)
    for logical_id, resource in imp.resources.items():
        if resource.get("Type") != "AWS::EC2::Route":
            continue
        props = imp.properties(logical_id)
        table, _ = imp.target(props.get("RouteTableId"))
        if table is None:
            continue
        gateway = imp.value(props.get("GatewayId"))
        if isinstance(gateway, ResourceRef):
            is_internet = imp.resources.get(gateway.logical_id, {}).get("Type") == "AWS::EC2::InternetGateway"
            gateways[table] = gateways.get(table) or is_internet
        elif isinstance(gateway, Unknown):
            gateways.setdefault(table, None)
    associated: dict[str, list] = {}
    for logical_id, resource in imp.resources.items():
        if resource.get("Type") != "AWS::EC2::SubnetRouteTableAssociation":
            continue
        props = imp.properties(logical_id)
        subnet_id, _ = imp.target(props.get("SubnetId"), "subnet")
        if subnet_id is not None:
            table, _ = imp.target(props.get("RouteTableId"))
            associated.setdefault(subnet_id, []).append(gateways.get(table, False) if table else None)
    for logical_id, draft in imp.drafts.items():
        if draft.type != "subnet":
            continue
        tables = associated.get(logical_id, [False])
        if any(tables):
            draft.values["public"] = True
        elif None in tables:
            draft.unknown["public"] = "a route table the template does not fix"


def security_group(imp: Importer, draft: Draft, props: dict) -> None:
    imp.set_ref(draft, "vpc", props.get("VpcId"), ["VpcId"], "vpc")
    draft.values["rules"] = []
    for key, direction in (("SecurityGroupIngress", "ingress"), ("SecurityGroupEgress", "egress")):
        entries = imp.value(props.get(key))
        if isinstance(entries, Unknown):
            draft.unknown["rules"] = entries.reason
            continue
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            _add_group_rule(imp, draft, entry, direction, imp.position(draft.logical_id, [key, index]))


def security_group_rule(direction: str):
    def fold(imp: Importer, logical_id: str, props: dict) -> None:
        group, _ = imp.target(props.get("GroupId"), "security_group")
        if group is None:
            group, _ = imp.target(props.get("GroupName"), "security_group")
        if group is not None:
            place = archlint_metadata(imp.resources.get(logical_id)).get("rule")
            _add_group_rule(imp, imp.drafts[group], imp.value(props), direction, imp.resource_position(logical_id),
                            place if isinstance(place, int) and not isinstance(place, bool) else None)
    return fold


# IP protocols by name or number; ICMPv6 is the spec's icmp for an IPv6 range.
_PROTOCOLS = {"-1": "all", "all": "all", "tcp": "tcp", "6": "tcp", "udp": "udp", "17": "udp", "icmp": "icmp", "1": "icmp",
              "icmpv6": "icmp", "58": "icmp"}


def _removes_default_egress(entry) -> bool:
    """The usual no-op egress rule (ICMP type 252 code 86 to 255.255.255.255/32) that a
    template writes only to drop a group's default allow-all egress."""
    return (isinstance(entry, dict) and entry.get("CidrIp") == "255.255.255.255/32"
            and str(entry.get("IpProtocol")).lower() in ("icmp", "1"))


def _add_group_rule(imp: Importer, draft: Draft, entry, direction: str, at, place: int | None = None) -> None:
    """Add a rule at the end, or at `place` (where `archlint emit` said the spec had it)."""
    if direction == "egress" and _removes_default_egress(entry):
        return
    rule, reason = _group_rule(imp, entry, direction)
    if rule is None:
        draft.unknown.setdefault("rules", reason)
        return
    rules = draft.values.setdefault("rules", [])
    index = len(rules) if place is None else max(0, min(place, len(rules)))
    for later in range(len(rules), index, -1):  # positions follow their rules
        if f"rules[{later - 1}]" in draft.positions:
            draft.positions[f"rules[{later}]"] = draft.positions[f"rules[{later - 1}]"]
    rules.insert(index, rule)
    draft.positions.setdefault("rules", at)
    draft.positions[f"rules[{index}]"] = at


def _group_rule(imp: Importer, entry, direction: str):
    if not isinstance(entry, dict):
        return None, why(entry)
    protocol = _PROTOCOLS.get(str(entry.get("IpProtocol")).lower())
    if protocol is None:
        return None, f"a rule for protocol {show(entry.get('IpProtocol'))}"
    rule = {"direction": direction, "action": "allow", "protocol": protocol, "ports": None, "cidr": None, "group": None}
    if protocol in ("tcp", "udp"):
        low, high = as_int(entry.get("FromPort")), as_int(entry.get("ToPort"))
        if low is None or high is None:
            return None, "a rule whose ports the template does not fix"
        rule["ports"] = _ports(low, high)
    peer_keys = ("CidrIp", "CidrIpv6") if direction == "ingress" else ("CidrIp", "CidrIpv6")
    group_keys = ("SourceSecurityGroupId", "SourceSecurityGroupName") if direction == "ingress" else ("DestinationSecurityGroupId",)
    for key in peer_keys:
        if entry.get(key) is not None and entry.get(key) is not NO_VALUE:
            cidr = as_cidr(entry[key])
            if cidr is None:
                return None, f"a rule whose {key} is {show(entry[key])}"
            rule["cidr"] = cidr
    for key in group_keys:
        if entry.get(key) is not None and entry.get(key) is not NO_VALUE:
            group, reason = imp.target(entry[key], "security_group")
            if group is None:
                return None, f"a rule naming {reason}"
            rule["group"] = imp.drafts[group].id
    if (rule["cidr"] is None) == (rule["group"] is None):
        return None, "a rule with a peer archlint does not read (a prefix list, or none)"
    return rule, None


def _ports(low: int, high: int):
    if low == -1 or (low <= 0 and high >= 65535):
        return "0-65535"
    return low if low == high else f"{low}-{high}"


def network_acl(imp: Importer, draft: Draft, props: dict) -> None:
    imp.set_ref(draft, "vpc", props.get("VpcId"), ["VpcId"], "vpc")
    if props.get("VpcId") is not None and "vpc" not in draft.values and "vpc" not in draft.unknown:
        draft.unknown["vpc"] = "not a VPC of this template"
    draft.values["rules"] = []
    draft.values["subnets"] = []


def network_acl_entry(imp: Importer, logical_id: str, props: dict) -> None:
    acl, _ = imp.target(props.get("NetworkAclId"), "network_acl")
    if acl is None:
        return
    draft = imp.drafts[acl]
    at = imp.resource_position(logical_id)
    values = imp.value(props)
    rule = {
        "number": as_int(values.get("RuleNumber")),
        "direction": "egress" if as_flag(values.get("Egress")) else "ingress",
        "action": values.get("RuleAction") if values.get("RuleAction") in ("allow", "deny") else None,
        "protocol": _PROTOCOLS.get(str(values.get("Protocol")).lower()),
        "ports": None,
        "cidr": as_cidr(values.get("CidrBlock") if values.get("CidrBlock") is not None else values.get("Ipv6CidrBlock")),
    }
    if isinstance(values.get("Egress"), Unknown):
        rule["direction"] = None
    if rule["protocol"] in ("tcp", "udp"):
        ports = values.get("PortRange")
        low = as_int(ports.get("From")) if isinstance(ports, dict) else None
        high = as_int(ports.get("To")) if isinstance(ports, dict) else None
        rule["ports"] = _ports(low, high) if None not in (low, high) else None
        if rule["ports"] is None:
            rule["protocol"] = None
    if None in (rule["number"], rule["direction"], rule["action"], rule["protocol"], rule["cidr"]):
        draft.unknown.setdefault("rules", f"the entry {logical_id} has values the template does not fix")
        return
    index = len(draft.values["rules"])
    draft.values["rules"].append(rule)
    draft.positions.setdefault("rules", at)
    draft.positions[f"rules[{index}]"] = at


def acl_association(imp: Importer, logical_id: str, props: dict) -> None:
    acl, _ = imp.target(props.get("NetworkAclId"), "network_acl")
    subnet_id, reason = imp.target(props.get("SubnetId"), "subnet")
    if acl is None:
        return
    draft = imp.drafts[acl]
    if subnet_id is None:
        draft.unknown.setdefault("subnets", f"an association with {reason}")
        return
    index = len(draft.values["subnets"])
    draft.values["subnets"].append(imp.drafts[subnet_id].id)
    at = imp.resource_position(logical_id)
    draft.positions.setdefault("subnets", at)
    draft.positions[f"subnets[{index}]"] = at


def as_cidr(value):
    if not isinstance(value, str):
        return None
    try:
        return str(ipaddress.ip_network(value.strip(), strict=False))
    except ValueError:
        return None
