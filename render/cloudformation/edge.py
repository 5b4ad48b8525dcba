"""Application Load Balancers (listener, target groups, security) and WAF web ACLs.

- One listener per load balancer, `listener_protocol` on `listener_port` (HTTPS on
  443 by default). HTTPS takes the certificate ARN of `certificate`, or of a template
  parameter `<Alb>CertificateArn` when the spec names none, and AWS's recommended TLS
  policy. It forwards to the target groups of the `route` flows, or answers 404 when
  there are none. Two or more targets need `weights` (no silent even split).
- A target group per routed target, `target_protocol` on `target_port`, health
  checked on that port at `health_check_path`. `target_port` defaults to the one port
  the targets' security groups open to the load balancer's security group; when they
  open none or several, the spec must say (an error).
- The load balancer's security groups must let the listener port in, and the
  targets' groups must let the load balancer reach the target port (requests and
  health checks): otherwise no client connects or every target is unhealthy, and
  `emit` says so. A load balancer without security groups gets one that allows the
  listener port from anywhere (internet-facing) or from the VPC (internal).
- Instances are registered by id, an Auto Scaling group registers its instances
  itself (`TargetGroupARNs`), a function's target group waits for the function's
  permission (functions.py).
- WAF: a REGIONAL web ACL (the scope ALBs need) that allows by default and blocks
  the `block` addresses through an IP set per address family, associated with the
  load balancer.
"""

from __future__ import annotations

import ipaddress

from .intrinsics import get_att, ref
from .lookups import as_list, flows_out_in_spec_order, type_of
from .names import EmitError, logical_id
from .network import gateway_attachment, group_ids, port_range
from .tags import tags
from .template import Template, where

# ELB's recommended security policy for TLS 1.3 and 1.2 listeners
TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"


def _vpc_of(template: Template, alb_id: str) -> str | None:
    subnets = as_list(template.graph.nodes[alb_id].get("subnets"))
    return template.graph.nodes[subnets[0]].get("vpc") if subnets else None


def listener_port(node: dict) -> int:
    if node.get("listener_port"):
        return node["listener_port"]
    return 80 if node.get("listener_protocol") == "HTTP" else 443


def _allows(rule: dict, port: int) -> bool:
    if rule.get("action", "allow") != "allow" or rule.get("direction", "ingress") != "ingress":
        return False
    if (rule.get("protocol") or "tcp") == "all":
        return True
    if (rule.get("protocol") or "tcp") != "tcp":
        return False
    low, high = port_range(rule.get("ports")) or (0, 65535)
    return low <= port <= high


def _opens_to(rule: dict, alb_groups: list, vpc_cidr: str | None) -> bool:
    """Whether a rule's source covers the load balancer: its security group, or a CIDR
    holding the VPC's range (where the load balancer's addresses are)."""
    if rule.get("group"):
        return rule["group"] in alb_groups
    if rule.get("cidr") and vpc_cidr and ":" not in str(rule["cidr"]):
        return ipaddress.ip_network(vpc_cidr, strict=False).subnet_of(ipaddress.ip_network(str(rule["cidr"]), strict=False))
    return False


def _target_groups_of(graph, target: str) -> list[str]:
    return as_list(graph.nodes[target].get("security_groups"))


def _target_port(template: Template, alb_id: str, targets: list[str], alb_groups: list, vpc_cidr) -> int | None:
    """The spec's target_port, or the one port the targets' groups open to the load balancer."""
    graph = template.graph
    node = graph.nodes[alb_id]
    servers = [t for t in targets if type_of(graph, t) != "lambda.function"]
    if node.get("target_port") or not servers:
        return node.get("target_port")
    ports = set()
    for target in servers:
        for group in _target_groups_of(graph, target):
            for rule in as_list(graph.nodes[group].get("rules")):
                if rule.get("direction", "ingress") == "ingress" and _opens_to(rule, alb_groups, vpc_cidr) and rule.get("ports") is not None:
                    low, high = port_range(rule["ports"])
                    if low == high:
                        ports.add(low)
    if len(ports) == 1:
        return ports.pop()
    opened = f"they open {', '.join(map(str, sorted(ports)))}" if ports else "their security groups open no single port to it"
    raise EmitError(
        f"{where(graph, alb_id)}: which port do the targets of '{alb_id}' ({', '.join(servers)}) listen on? {opened}; "
        f"say `target_port:` on {alb_id}"
    )


def _check_reachable(template: Template, alb_id: str, targets: list[str], port: int | None, alb_groups: list, vpc_cidr) -> None:
    """The listener and the health checks must get through the security groups."""
    graph = template.graph
    node = graph.nodes[alb_id]
    problems = []
    listening = listener_port(node)
    if alb_groups and not any(_allows(r, listening) and (r.get("cidr") or r.get("group"))
                              for g in alb_groups for r in as_list(graph.nodes[g].get("rules"))):
        problems.append(f"its security groups ({', '.join(alb_groups)}) let no client in on the listener port {listening}; "
                        f"allow tcp {listening} in one of them, or set listener_port")
    for target in targets:
        if type_of(graph, target) == "lambda.function" or port is None:
            continue
        groups = _target_groups_of(graph, target)
        if not any(_allows(r, port) and _opens_to(r, alb_groups, vpc_cidr) for g in groups for r in as_list(graph.nodes[g].get("rules"))):
            source = f"the group {alb_groups[0]}" if alb_groups else "the VPC's range"
            problems.append(f"{target}'s security groups ({', '.join(groups) or 'none'}) do not let it reach port {port} "
                            f"(requests and health checks would fail): allow tcp {port} from {source}")
    if problems:
        raise EmitError(f"{where(graph, alb_id)}: load balancer '{alb_id}': " + "; ".join(problems))


def _own_security_group(template: Template, alb_id: str, vpc_id: str, port: int) -> dict:
    """A group for a load balancer the spec gives none: the listener port from anywhere
    (internet-facing) or from the VPC (internal)."""
    graph = template.graph
    node = graph.nodes[alb_id]
    cidr = str(graph.nodes[vpc_id].get("cidr") or "10.0.0.0/16") if node.get("internal") else "0.0.0.0/0"
    group = template.add(
        alb_id, "SecurityGroup", "AWS::EC2::SecurityGroup",
        {"GroupDescription": f"listener of {alb_id} (archlint)", "VpcId": ref(logical_id(vpc_id)),
         "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "CidrIp": cidr,
                                   "Description": "clients to the listener"}],
         "Tags": tags(graph, alb_id)},
        what=f"the security group of '{alb_id}'",
    )
    template.mark(group, part_of=alb_id)
    return get_att(group, "GroupId")


def _certificate(template: Template, alb_id: str):
    node = template.graph.nodes[alb_id]
    if node.get("certificate"):
        return node["certificate"]
    return ref(template.parameter(
        f"{logical_id(alb_id)}CertificateArn",
        {"Type": "String", "AllowedPattern": "^arn:aws[a-z-]*:(acm|iam):.+$",
         "Description": f"ARN of the ACM (or IAM) certificate of the HTTPS listener of {alb_id}"},
    ))


def load_balancer(template: Template, alb_id: str) -> None:
    graph = template.graph
    node = graph.nodes[alb_id]
    vpc_id = _vpc_of(template, alb_id)
    if vpc_id is None:
        raise EmitError(f"{where(graph, alb_id)}: load balancer '{alb_id}' has no subnets; give it subnets in two Availability Zones")
    vpc_cidr = str(graph.nodes[vpc_id].get("cidr") or "10.0.0.0/16")
    targets = [target for target, _ in flows_out_in_spec_order(graph, alb_id, "route")]
    alb_groups = as_list(node.get("security_groups"))
    port = _target_port(template, alb_id, targets, alb_groups, vpc_cidr)
    _check_reachable(template, alb_id, targets, port, alb_groups, vpc_cidr)
    weights = _weights(template, alb_id, targets)

    properties: dict = {
        "Type": "application",
        "Scheme": "internal" if node.get("internal") else "internet-facing",
        "Subnets": [ref(logical_id(s)) for s in as_list(node.get("subnets"))],
        "SecurityGroups": group_ids(graph, alb_id) or [_own_security_group(template, alb_id, vpc_id, listener_port(node))],
        "LoadBalancerAttributes": [{"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"}],
    }
    properties["Tags"] = tags(graph, alb_id)
    waits_for = []
    if not node.get("internal") and gateway_attachment(graph, vpc_id):
        waits_for.append(gateway_attachment(graph, vpc_id))  # internet-facing needs the gateway attached
    own = template.add(alb_id, "", "AWS::ElasticLoadBalancingV2::LoadBalancer", properties, depends_on=waits_for)

    target_groups = []
    for target in targets:
        kind = type_of(graph, target)
        if kind == "lambda.function":
            group = {"TargetType": "lambda", "Targets": [{"Id": get_att(logical_id(target), "Arn")}]}
            waits_for = [logical_id(alb_id, f"To{logical_id(target)}Permission")]
        else:
            protocol = node.get("target_protocol") or "HTTP"
            group = {
                "TargetType": "instance", "Protocol": protocol, "Port": port, "VpcId": ref(logical_id(vpc_id)),
                "HealthCheckProtocol": protocol, "HealthCheckPort": "traffic-port",
                "HealthCheckPath": node.get("health_check_path") or "/",
            }
            if kind == "ec2.instance":
                group["Targets"] = [{"Id": ref(logical_id(target)), "Port": port}]
            waits_for = []
        target_groups.append(
            template.add(
                alb_id,
                f"To{logical_id(target)}TargetGroup",
                "AWS::ElasticLoadBalancingV2::TargetGroup",
                group,
                depends_on=waits_for,
                what=f"the target group of '{target}' behind '{alb_id}'",
            )
        )
    if len(target_groups) == 1:
        actions = [{"Type": "forward", "TargetGroupArn": ref(target_groups[0])}]
    elif target_groups:
        actions = [{"Type": "forward", "ForwardConfig": {"TargetGroups": [
            {"TargetGroupArn": ref(g), "Weight": weights[t]} for g, t in zip(target_groups, targets)]}}]
    else:
        actions = [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404", "ContentType": "text/plain", "MessageBody": "no route"}}]
    listener: dict = {"LoadBalancerArn": ref(own), "Port": listener_port(node), "Protocol": node.get("listener_protocol") or "HTTPS"}
    if listener["Protocol"] == "HTTPS":
        listener["Certificates"] = [{"CertificateArn": _certificate(template, alb_id)}]
        listener["SslPolicy"] = TLS_POLICY
    listener["DefaultActions"] = actions
    template.add(alb_id, "Listener", "AWS::ElasticLoadBalancingV2::Listener", listener, what=f"the listener of '{alb_id}'")
    template.output(alb_id, "dns-name", get_att(own, "DNSName"), f"DNS name of the load balancer {alb_id}")


def _weights(template: Template, alb_id: str, targets: list[str]) -> dict:
    """Each route target's weight: `weights` must name every target when there are several."""
    graph = template.graph
    weights = graph.nodes[alb_id].get("weights") or {}
    strangers = [name for name in weights if name not in targets]
    missing = [t for t in targets if t not in weights] if len(targets) > 1 else []
    if strangers or missing:
        said = []
        if strangers:
            said.append(f"`weights` names {', '.join(strangers)}, which it does not route to")
        if missing:
            example = ", ".join(f"{t}: 1" for t in targets)
            said.append(f"it routes to {', '.join(targets)}: say how to split the requests, e.g. `weights: {{{example}}}` "
                        "(a weight of 0 sends nothing)")
        raise EmitError(f"{where(graph, alb_id)}: load balancer '{alb_id}': " + "; ".join(said))
    return weights


def _visibility(metric: str) -> dict:
    return {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": metric}


def web_acl(template: Template, acl_id: str) -> None:
    graph = template.graph
    node = graph.nodes[acl_id]
    own_name = logical_id(acl_id)
    blocked = [str(c) for c in as_list(node.get("block"))]
    rules = []
    for version, addresses in (("IPV4", [c for c in blocked if ":" not in c]), ("IPV6", [c for c in blocked if ":" in c])):
        if not addresses:
            continue
        suffix = "Ipv4Set" if version == "IPV4" else "Ipv6Set"
        ip_set = template.add(
            acl_id,
            suffix,
            "AWS::WAFv2::IPSet",
            {"Scope": "REGIONAL", "IPAddressVersion": version, "Addresses": addresses},
            what=f"the {version} address set of '{acl_id}'",
        )
        rules.append(
            {
                "Name": f"block-{version.lower()}",
                "Priority": len(rules),
                "Action": {"Block": {}},
                "Statement": {"IPSetReferenceStatement": {"Arn": get_att(ip_set, "Arn")}},
                "VisibilityConfig": _visibility(f"{own_name}Block{version.capitalize()}"),
            }
        )
    properties: dict = {"Scope": "REGIONAL", "DefaultAction": {"Allow": {}}, "VisibilityConfig": _visibility(own_name)}
    if rules:
        properties["Rules"] = rules
    own = template.add(acl_id, "", "AWS::WAFv2::WebACL", properties)
    template.add(
        acl_id,
        "Association",
        "AWS::WAFv2::WebACLAssociation",
        {"ResourceArn": ref(logical_id(node["protects"])), "WebACLArn": get_att(own, "Arn")},
        what=f"the association of '{acl_id}' with '{node['protects']}'",
    )
