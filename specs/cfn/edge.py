"""Load balancers (their listeners' routes), web ACLs, and CloudWatch alarms with their
actions."""

from __future__ import annotations

from .model import Draft, Importer, as_int, as_text
from .network import as_cidr
from .resolve import ResourceRef, Unknown


# -- edge ------------------------------------------------------------------------------


def load_balancer(imp: Importer, draft: Draft, props: dict) -> None:
    subnets = props.get("Subnets")
    if subnets is None and props.get("SubnetMappings") is not None:
        mappings = imp.value(props.get("SubnetMappings"))
        subnets = [item.get("SubnetId") for item in mappings if isinstance(item, dict)] if isinstance(mappings, list) else mappings
        imp.set_refs(draft, "subnets", subnets, ["SubnetMappings"], "subnet")
    elif subnets is not None:
        imp.set_refs(draft, "subnets", subnets, ["Subnets"], "subnet")
    else:
        draft.unknown["subnets"] = "no Subnets given"
    if props.get("SecurityGroups") is not None:
        imp.set_refs(draft, "security_groups", props.get("SecurityGroups"), ["SecurityGroups"], "security_group")
    scheme = imp.value(props.get("Scheme"))
    imp.set_value(draft, "internal", scheme, ["Scheme"], lambda text: text == "internal" if isinstance(text, str) else None)


def listener(imp: Importer, logical_id: str, props: dict) -> None:
    """A listener (or listener rule) forwards to target groups: `route` flows to their targets."""
    balancer, _ = imp.target(props.get("LoadBalancerArn"), "alb")
    if balancer is None and props.get("ListenerArn") is not None:
        owner, _ = imp.target(props.get("ListenerArn"))
        if owner is not None:
            balancer, _ = imp.target(imp.properties(owner).get("LoadBalancerArn"), "alb")
    if balancer is None:
        return
    if props.get("LoadBalancerArn") is not None:  # the listener itself, not a rule
        _listener_attributes(imp, imp.drafts[balancer], logical_id, props)
    actions = imp.value(props.get("DefaultActions") or props.get("Actions"))
    for action in actions if isinstance(actions, list) else []:
        if not isinstance(action, dict):
            continue
        groups = [action.get("TargetGroupArn")]
        forward = action.get("ForwardConfig")
        if isinstance(forward, dict) and isinstance(forward.get("TargetGroups"), list):
            groups += [item.get("TargetGroupArn") for item in forward["TargetGroups"] if isinstance(item, dict)]
        weights = {}
        if isinstance(forward, dict) and isinstance(forward.get("TargetGroups"), list):
            for item in forward["TargetGroups"]:
                if isinstance(item, dict) and isinstance(item.get("Weight"), int):
                    found, _ = imp.target(item.get("TargetGroupArn"))
                    if found:
                        weights[found] = item["Weight"]
        imp.weights.setdefault(balancer, {}).update(weights)
        for group in groups:
            found, _ = imp.target(group) if group is not None else (None, None)
            if found and found not in imp.routes.setdefault(balancer, []):
                imp.routes[balancer].append(found)
                imp.route_positions[(balancer, found)] = imp.resource_position(logical_id)


def _listener_attributes(imp: Importer, draft: Draft, logical_id: str, props: dict) -> None:
    protocol = imp.value(props.get("Protocol"))
    imp.set_value(draft, "listener_protocol", protocol, ["Protocol"], lambda text: text if text in ("HTTP", "HTTPS") else None)
    imp.set_value(draft, "listener_port", imp.value(props.get("Port")), ["Port"], as_int)
    certificates = imp.value(props.get("Certificates"))
    if isinstance(certificates, list) and certificates and isinstance(certificates[0], dict):
        arn = imp.value(certificates[0].get("CertificateArn"))
        if isinstance(arn, str):  # a parameter is no certificate the spec can name
            draft.values["certificate"] = arn
            draft.positions["certificate"] = imp.resource_position(logical_id)


def route_flows(imp: Importer) -> None:
    """After every resource is read: ALB -> target group -> its targets; the target
    groups' port, protocol and health check path, and the weights of several."""
    for balancer, groups in imp.routes.items():
        draft = imp.drafts[balancer]
        weights = {}
        for group in groups:
            at = imp.route_positions[(balancer, group)]
            props = imp.properties(group)
            if imp.value(props.get("TargetType")) != "lambda" and "target_port" not in draft.values:
                imp.set_value(draft, "target_port", imp.value(props.get("Port")), ["Port"], as_int)
                imp.set_value(draft, "target_protocol", imp.value(props.get("Protocol")), ["Protocol"],
                              lambda text: text if text in ("HTTP", "HTTPS") else None)
                imp.set_value(draft, "health_check_path", imp.value(props.get("HealthCheckPath")), ["HealthCheckPath"], as_text)
            members = []
            targets = imp.value(props.get("Targets"))
            for item in targets if isinstance(targets, list) else []:
                found, _ = imp.target(item.get("Id") if isinstance(item, dict) else None, "ec2.instance", "lambda.function")
                if found:
                    members.append(found)
            members += imp.group_targets.get(group, [])
            for member in members:
                imp.add_flow(balancer, member, at)
                if group in imp.weights.get(balancer, {}):
                    weights[imp.drafts[member].id] = imp.weights[balancer][group]
        if len(weights) > 1:
            draft.values["weights"] = weights
            draft.positions["weights"] = draft.positions.get("listener_port") or imp.resource_position(balancer)


def web_acl(imp: Importer, draft: Draft, props: dict) -> None:
    blocked = []
    rules = imp.value(props.get("Rules"))
    for item in rules if isinstance(rules, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("Action"), dict) or "Block" not in item["Action"]:
            continue
        statement = item.get("Statement") if isinstance(item.get("Statement"), dict) else {}
        reference = statement.get("IPSetReferenceStatement")
        if isinstance(reference, dict) and isinstance(reference.get("Arn"), ResourceRef):
            addresses = imp.value(imp.properties(reference["Arn"].logical_id).get("Addresses"))
            if isinstance(addresses, list) and all(as_cidr(a) for a in addresses):
                blocked.extend(as_cidr(a) for a in addresses if as_cidr(a) not in blocked)
                continue
            draft.unknown["block"] = "an IP set the template does not fix"
    if blocked:
        draft.values["block"] = blocked
        draft.positions["block"] = imp.position(draft.logical_id, ["Rules"])


def web_acl_association(imp: Importer, logical_id: str, props: dict) -> None:
    acl, _ = imp.target(props.get("WebACLArn"), "waf.web_acl")
    if acl is not None:
        imp.set_ref(imp.drafts[acl], "protects", props.get("ResourceArn"), [], "alb")
        imp.drafts[acl].positions["protects"] = imp.resource_position(logical_id)


# -- monitoring ------------------------------------------------------------------------

_DIMENSIONS = {
    "InstanceId": "ec2.instance",
    "AutoScalingGroupName": "autoscaling.group",
    "QueueName": "sqs.queue",
    "FunctionName": "lambda.function",
    "LoadBalancer": "alb",
}


def alarm(imp: Importer, draft: Draft, props: dict) -> None:
    dimensions = imp.value(props.get("Dimensions"))
    for item in dimensions if isinstance(dimensions, list) else []:
        if isinstance(item, dict) and isinstance(item.get("Name"), str) and item["Name"] in _DIMENSIONS:
            found, reason = imp.target(item.get("Value"), _DIMENSIONS[item["Name"]])
            draft.positions["watches"] = imp.position(draft.logical_id, ["Dimensions"])
            if found:
                draft.values["watches"] = imp.drafts[found].id
                draft.unknown.pop("watches", None)
                break
            draft.unknown["watches"] = reason
    imp.set_value(draft, "metric", imp.value(props.get("MetricName")), ["MetricName"], as_text)
    actions = imp.value(props.get("AlarmActions"))
    for index, action in enumerate(actions if isinstance(actions, list) else []):
        _alarm_action(imp, draft, action, imp.position(draft.logical_id, ["AlarmActions", index]))


def _alarm_action(imp: Importer, draft: Draft, action, at) -> None:
    text = action.text if isinstance(action, Unknown) and action.text else action
    if isinstance(text, str) and ":automate:" in text and ":ec2:" in text:
        watched = draft.values.get("watches")
        owner = next((d.logical_id for d in imp.drafts.values() if d.id == watched), None)
        if owner and imp.drafts[owner].type == "ec2.instance":
            imp.add_flow(draft.logical_id, owner, at)  # EC2 recover, reboot, stop: on the watched instance
        return
    found, reason = imp.target(action)
    if found is None and reason is None:
        return  # AWS::NoValue
    if found and imp.resources[found].get("Type") == "AWS::AutoScaling::ScalingPolicy":
        found, reason = imp.target(imp.properties(found).get("AutoScalingGroupName"), "autoscaling.group")
    if found and imp.drafts[found].type in ("sns.topic", "lambda.function", "ec2.instance", "autoscaling.group"):
        imp.add_flow(draft.logical_id, found, at)
    else:
        imp.flows_unknown(draft.logical_id, f"an alarm action on {reason or found}")
