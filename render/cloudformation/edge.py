"""Application Load Balancers (listener, target groups) and WAF web ACLs.

- One HTTP listener on port 80 per load balancer (the spec names no certificate, so
  HTTPS cannot be emitted): it forwards to the target groups of the `route` flows,
  or answers 404 when there are none.
- A target group per routed target: instances are registered by id, an Auto Scaling
  group registers its instances itself (`TargetGroupARNs`), a function's target
  group waits for the function's permission (functions.py).
- WAF: a REGIONAL web ACL (the scope ALBs need) that allows by default and blocks
  the `block` addresses through an IP set per address family, associated with the
  load balancer.
"""

from __future__ import annotations

from .intrinsics import get_att, ref
from ...specs.query import flows_out
from .lookups import as_list, type_of
from .names import logical_id
from .network import gateway_attachment, group_ids
from .tags import tags
from .template import Template


def _vpc_of(template: Template, alb_id: str) -> str | None:
    subnets = as_list(template.graph.nodes[alb_id].get("subnets"))
    return template.graph.nodes[subnets[0]].get("vpc") if subnets else None


def load_balancer(template: Template, alb_id: str) -> None:
    graph = template.graph
    node = graph.nodes[alb_id]
    vpc_id = _vpc_of(template, alb_id)
    properties: dict = {
        "Type": "application",
        "Scheme": "internal" if node.get("internal") else "internet-facing",
        "Subnets": [ref(logical_id(s)) for s in as_list(node.get("subnets"))],
    }
    groups = group_ids(graph, alb_id)
    if groups:
        properties["SecurityGroups"] = groups
    properties["Tags"] = tags(graph, alb_id)
    waits_for = []
    if not node.get("internal") and vpc_id and gateway_attachment(graph, vpc_id):
        waits_for.append(gateway_attachment(graph, vpc_id))  # internet-facing needs the gateway attached
    own = template.add(alb_id, "", "AWS::ElasticLoadBalancingV2::LoadBalancer", properties, depends_on=waits_for)

    target_groups = []
    for target, _ in flows_out(graph, alb_id, "route"):
        kind = type_of(graph, target)
        if kind == "lambda.function":
            group = {"TargetType": "lambda", "Targets": [{"Id": get_att(logical_id(target), "Arn")}]}
            waits_for = [logical_id(alb_id, f"To{logical_id(target)}Permission")]
        else:
            group = {"TargetType": "instance", "Protocol": "HTTP", "Port": 80, "VpcId": ref(logical_id(vpc_id))}
            if kind == "ec2.instance":
                group["Targets"] = [{"Id": ref(logical_id(target)), "Port": 80}]
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
        actions = [{"Type": "forward", "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": ref(g), "Weight": 1} for g in target_groups]}}]
    else:
        actions = [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404", "ContentType": "text/plain", "MessageBody": "no route"}}]
    template.add(
        alb_id,
        "Listener",
        "AWS::ElasticLoadBalancingV2::Listener",
        {"LoadBalancerArn": ref(own), "Port": 80, "Protocol": "HTTP", "DefaultActions": actions},
        what=f"the listener of '{alb_id}'",
    )


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
