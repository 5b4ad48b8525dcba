"""VPCs, subnets, security groups, network ACLs and Direct Connect connections.

- A VPC gets an internet gateway (and its attachment) when something in it needs
  the internet: a public subnet, an internet-facing load balancer or an Elastic IP.
  Public subnets share one route table with a default route to the gateway, which
  waits (`DependsOn`) for the attachment.
- A subnet without `cidr` gets the first free block of the VPC (a /24 in a /16,
  smaller in smaller VPCs), in file order, avoiding the blocks other subnets name.
- Security group rules that name a group (the group itself included) are separate
  `SecurityGroupIngress`/`SecurityGroupEgress` resources, named after the rule's
  index in the spec (`rules[2]` -> `AppSgIngressRule2`): inline, a group naming
  itself would depend on itself, and two groups naming each other would be a cycle.
- A group whose egress rules all name groups still gets an inline egress
  placeholder that matches nothing: otherwise CloudFormation keeps AWS's default
  allow-all egress rule next to them, and the spec said egress is restricted.
"""

from __future__ import annotations

import ipaddress

import networkx as nx

from ...specs.query import nodes_of_type, port_range, referrers
from .intrinsics import get_att, ref
from .lookups import as_list, type_of
from .names import EmitError, logical_id
from .tags import tags
from .template import Template, where

SG_PROTOCOL = {"tcp": "tcp", "udp": "udp", "icmp": "icmp", "all": "-1"}
ACL_PROTOCOL = {"tcp": 6, "udp": 17, "icmp": 1, "all": -1}
# matches no traffic: ICMP type 252, code 86 do not exist (the same trick AWS CDK uses)
NO_EGRESS = {
    "CidrIp": "255.255.255.255/32",
    "Description": "matches nothing: replaces the default allow-all egress (archlint)",
    "IpProtocol": "icmp",
    "FromPort": 252,
    "ToPort": 86,
}


# ---- VPC and subnets -------------------------------------------------------------


def needs_internet_gateway(graph: nx.MultiDiGraph, vpc_id: str) -> bool:
    for subnet in _subnets_of(graph, vpc_id):
        node = graph.nodes[subnet]
        if node.get("public"):
            return True
        for user in referrers(graph, subnet, "subnets"):
            if type_of(graph, user) == "alb" and not graph.nodes[user].get("internal"):
                return True
        for instance in referrers(graph, subnet, "subnet"):
            if referrers(graph, instance, "instance"):  # an Elastic IP points to it
                return True
    return False


def gateway_attachment(graph: nx.MultiDiGraph, vpc_id: str) -> str | None:
    """Logical id of the VPC's gateway attachment, when it has one."""
    return logical_id(vpc_id, "GatewayAttachment") if needs_internet_gateway(graph, vpc_id) else None


def _subnets_of(graph: nx.MultiDiGraph, vpc_id: str) -> list[str]:
    return referrers(graph, vpc_id, "vpc", "subnet")


def vpc(template: Template, vpc_id: str) -> None:
    graph = template.graph
    node = graph.nodes[vpc_id]
    size = ipaddress.ip_network(str(node.get("cidr") or "10.0.0.0/16"), strict=False).prefixlen
    if not 16 <= size <= 28:  # https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
        raise EmitError(f"{where(graph, vpc_id)}: VPC '{vpc_id}' has a /{size} range; a VPC's IPv4 range is /16 to /28 "
                        "(EC2 refuses it): give it a cidr of that size")
    own = template.add(
        vpc_id,
        "",
        "AWS::EC2::VPC",
        {
            "CidrBlock": str(node.get("cidr") or "10.0.0.0/16"),
            "EnableDnsSupport": True,
            "EnableDnsHostnames": True,
            "Tags": tags(graph, vpc_id),
        },
    )
    if not needs_internet_gateway(graph, vpc_id):
        return
    gateway = template.add(vpc_id, "InternetGateway", "AWS::EC2::InternetGateway", {"Tags": tags(graph, vpc_id)}, what=f"the internet gateway of '{vpc_id}'")
    attachment = template.add(
        vpc_id,
        "GatewayAttachment",
        "AWS::EC2::VPCGatewayAttachment",
        {"VpcId": ref(own), "InternetGatewayId": ref(gateway)},
        what=f"the internet gateway attachment of '{vpc_id}'",
    )
    if any(graph.nodes[s].get("public") for s in _subnets_of(graph, vpc_id)):
        table = template.add(vpc_id, "PublicRouteTable", "AWS::EC2::RouteTable", {"VpcId": ref(own), "Tags": tags(graph, vpc_id)}, what=f"the public route table of '{vpc_id}'")
        template.add(
            vpc_id,
            "PublicDefaultRoute",
            "AWS::EC2::Route",
            {"RouteTableId": ref(table), "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": ref(gateway)},
            depends_on=[attachment],  # a route to a gateway that is not attached yet fails
            what=f"the default route of '{vpc_id}'",
        )


def subnet_cidrs(template: Template) -> dict[str, str]:
    """The CIDR of every subnet: the spec's, or the first free block of its VPC."""
    if "subnet_cidrs" in template.cache:
        return template.cache["subnet_cidrs"]
    graph = template.graph
    result: dict[str, str] = {}
    for vpc_id, data in nodes_of_type(graph, "vpc"):
        network = ipaddress.ip_network(str(data.get("cidr") or "10.0.0.0/16"), strict=False)
        subnets = _subnets_of(graph, vpc_id)
        taken = [ipaddress.ip_network(str(graph.nodes[s]["cidr"]), strict=False) for s in subnets if graph.nodes[s].get("cidr")]
        size = min(28, max(24, network.prefixlen + 2))
        free = (block for block in network.subnets(new_prefix=size) if not any(block.overlaps(t) for t in taken))
        for subnet in subnets:
            if graph.nodes[subnet].get("cidr"):
                result[subnet] = str(graph.nodes[subnet]["cidr"])
                continue
            block = next(free, None)
            if block is None:
                raise EmitError(f"{where(graph, subnet)}: no free /{size} block is left in {vpc_id} ({network}) for subnet '{subnet}'; give it a cidr")
            result[subnet] = str(block)
            taken.append(block)
    template.cache["subnet_cidrs"] = result
    return result


def subnet(template: Template, subnet_id: str) -> None:
    graph = template.graph
    node = graph.nodes[subnet_id]
    properties = {
        "VpcId": ref(logical_id(node["vpc"])),
        "AvailabilityZone": node["az"],
        "CidrBlock": subnet_cidrs(template)[subnet_id],
        "Tags": tags(graph, subnet_id),
    }
    if node.get("public"):
        properties["MapPublicIpOnLaunch"] = True
    own = template.add(subnet_id, "", "AWS::EC2::Subnet", properties)
    if node.get("public"):
        template.add(
            subnet_id,
            "RouteTableAssociation",
            "AWS::EC2::SubnetRouteTableAssociation",
            {"SubnetId": ref(own), "RouteTableId": ref(logical_id(node["vpc"], "PublicRouteTable"))},
            what=f"the route table association of '{subnet_id}'",
        )


# ---- security groups -------------------------------------------------------------


def deny_rules(graph: nx.MultiDiGraph) -> list[tuple[str, int, dict]]:
    """(group, index, rule) of every security-group rule with `action: deny`."""
    return [
        (group, index, rule)
        for group, data in nodes_of_type(graph, "security_group")
        for index, rule in enumerate(as_list(data.get("rules")))
        if rule.get("action") == "deny"
    ]


def _icmp_v6(rule: dict) -> bool:
    """ICMP toward an IPv6 network is ICMPv6, a different protocol (58) from ICMP (1)."""
    return (rule.get("protocol") == "icmp") and ":" in str(rule.get("cidr") or "")


def _rule_fields(rule: dict) -> dict:
    protocol = rule.get("protocol") or "tcp"
    fields: dict = {"IpProtocol": "icmpv6" if _icmp_v6(rule) else SG_PROTOCOL[protocol]}
    if protocol == "icmp" and not _icmp_v6(rule):  # ICMPv6 rules take no type/code range
        fields.update(FromPort=-1, ToPort=-1)
    elif protocol in ("tcp", "udp"):
        low, high = port_range(rule.get("ports")) or (0, 65535)
        fields.update(FromPort=low, ToPort=high)
    return fields


def _cidr_field(cidr: str) -> dict:
    return {"CidrIpv6": cidr} if ":" in cidr else {"CidrIp": cidr}


def security_group(template: Template, group_id: str) -> None:
    graph = template.graph
    node = graph.nodes[group_id]
    rules = as_list(node.get("rules"))
    properties: dict = {"GroupDescription": node.get("description") or f"{group_id} (archlint)"}
    if node.get("vpc"):
        properties["VpcId"] = ref(logical_id(node["vpc"]))
    described = [(r, {"Description": f"rules[{i}] of {group_id}"}) for i, r in enumerate(rules)]
    ingress = [{**_rule_fields(r), **_cidr_field(str(r["cidr"])), **d} for r, d in described if r.get("direction", "ingress") == "ingress" and r.get("cidr")]
    egress = [{**_rule_fields(r), **_cidr_field(str(r["cidr"])), **d} for r, d in described if r.get("direction") == "egress" and r.get("cidr")]
    if any(r.get("direction") == "egress" for r in rules) and not egress:
        egress = [dict(NO_EGRESS)]
    if ingress:
        properties["SecurityGroupIngress"] = ingress
    if egress:
        properties["SecurityGroupEgress"] = egress
    properties["Tags"] = tags(graph, group_id)
    own = template.add(group_id, "", "AWS::EC2::SecurityGroup", properties)

    for index, rule in enumerate(rules):
        if not rule.get("group"):
            continue
        other = get_att(logical_id(rule["group"]), "GroupId")
        if rule.get("direction", "ingress") == "ingress":
            kind, peer = "Ingress", {"SourceSecurityGroupId": other}
        else:
            kind, peer = "Egress", {"DestinationSecurityGroupId": other}
        separate = template.add(
            group_id,
            f"{kind}Rule{index}",  # rules[index] in the spec
            f"AWS::EC2::SecurityGroup{kind}",
            {"GroupId": get_att(own, "GroupId"), **_rule_fields(rule), **peer, "Description": f"rules[{index}] of {group_id}"},
            what=f"rule {index} of security group '{group_id}'",
        )
        template.mark(separate, rule=index)  # its place among the group's rules, for `import`


def group_ids(graph: nx.MultiDiGraph, node: str) -> list:
    return [get_att(logical_id(group), "GroupId") for group in as_list(graph.nodes[node].get("security_groups"))]


# ---- network ACLs ----------------------------------------------------------------


def network_acl(template: Template, acl_id: str) -> None:
    graph = template.graph
    node = graph.nodes[acl_id]
    own = template.add(acl_id, "", "AWS::EC2::NetworkAcl", {"VpcId": ref(logical_id(node["vpc"])), "Tags": tags(graph, acl_id)})
    for rule in as_list(node.get("rules")):
        protocol = rule.get("protocol") or "all"
        cidr = str(rule["cidr"])
        entry: dict = {
            "NetworkAclId": ref(own),
            "RuleNumber": rule["number"],
            "Egress": rule["direction"] == "egress",
            "RuleAction": rule["action"],
            "Protocol": 58 if _icmp_v6(rule) else ACL_PROTOCOL[protocol],
            **({"Ipv6CidrBlock": cidr} if ":" in cidr else {"CidrBlock": cidr}),
        }
        if protocol in ("tcp", "udp"):
            low, high = port_range(rule.get("ports")) or (0, 65535)
            entry["PortRange"] = {"From": low, "To": high}
        elif protocol == "icmp":
            entry["Icmp"] = {"Code": -1, "Type": -1}  # every ICMP type and code
        template.add(
            acl_id,
            f"{rule['direction'].capitalize()}{rule['number']}",
            "AWS::EC2::NetworkAclEntry",
            entry,
            what=f"{rule['direction']} rule {rule['number']} of network ACL '{acl_id}'",
        )
    for subnet_id in as_list(node.get("subnets")):
        template.add(
            acl_id,
            f"{logical_id(subnet_id)}Association",
            "AWS::EC2::SubnetNetworkAclAssociation",
            {"SubnetId": ref(logical_id(subnet_id)), "NetworkAclId": ref(own)},
            what=f"the association of '{subnet_id}' with network ACL '{acl_id}'",
        )


# ---- Direct Connect --------------------------------------------------------------


def directconnect(template: Template, connection_id: str) -> None:
    node = template.graph.nodes[connection_id]
    template.add(
        connection_id,
        "",
        "AWS::DirectConnect::Connection",
        {"ConnectionName": connection_id, "Bandwidth": node.get("bandwidth") or "10Gbps", "Location": node["location"]},
    )
