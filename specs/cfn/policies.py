"""Flows a function's IAM role shows: what it may write, send, publish and manage."""

from __future__ import annotations

import re

from .model import Importer
from .resolve import ResourceRef


# What a function's role allows it to do to a resource of the template, as flows. Only
# statements naming the resource itself count ("Resource: '*'" names nothing), and not
# the grants that a dead-letter queue or a destination needs.
_POLICY_FLOWS = {  # action -> the type of resource it flows to
    "s3:putobject": "s3.bucket",
    "sqs:sendmessage": "sqs.queue",
    "sns:publish": "sns.topic",
    "ec2:startinstances": "ec2.instance",
    "ec2:associateaddress": "ec2.eip",
}


def policy_flows(imp: Importer) -> None:
    statements_of = _role_statements(imp)
    for logical_id, draft in imp.drafts.items():
        if draft.folded or draft.type not in ("lambda.function", "ec2.instance", "autoscaling.group"):
            continue
        role = _role_of(imp, logical_id, draft.type)
        if role is None:
            continue
        failure = {draft.values.get("dead_letter"), draft.values.get("on_failure")}
        at = imp.position(logical_id, ["Role"], ["IamInstanceProfile"], ["LaunchTemplate"])
        for actions, resources in statements_of.get(role, []):
            for action in actions:
                _grant(imp, logical_id, draft, action.lower(), resources, failure, at)


def _grant(imp: Importer, logical_id: str, draft, action: str, resources, failure: set, at) -> None:
    if action == "lambda:invokefunction":
        # a call, but synchronous or asynchronous? The policy does not say: an invoker
        # of unknown kind, so that no rule concludes from the invokers it can see.
        for target in _named_resources(imp, resources):
            if imp.drafts[target].type == "lambda.function" and imp.drafts[target].id not in failure:
                imp.flows_unknown(target, f"{logical_id} may invoke it (synchronously or not, its policy does not say)")
        return
    if action == "sqs:receivemessage" and draft.type != "lambda.function":
        for target in _named_resources(imp, resources):
            if imp.drafts[target].type == "sqs.queue":
                imp.add_flow(target, logical_id, at)  # an instance polling a queue
        return
    kind = _POLICY_FLOWS.get(action)
    if kind is None:
        return
    for target in _named_resources(imp, resources):
        other = imp.drafts[target]
        if other.type != kind or other.id in failure or target == logical_id:
            continue
        if kind == "s3.bucket":
            _write_flow(imp, logical_id, target, resources, at)
        else:
            imp.add_flow(logical_id, target, at)


def _role_of(imp: Importer, logical_id: str, kind: str) -> str | None:
    """The role of a function (`Role`), an instance (its instance profile) or a group
    (the instance profile of its launch template or configuration)."""
    props = imp.properties(logical_id)
    if kind == "lambda.function":
        role = imp.value(props.get("Role"))
        return role.logical_id if isinstance(role, ResourceRef) else None
    profile = props.get("IamInstanceProfile")
    if kind == "autoscaling.group":
        template = imp.value(props.get("LaunchTemplate"))
        named = template.get("LaunchTemplateId") or template.get("LaunchTemplateName") if isinstance(template, dict) else None
        if isinstance(named, ResourceRef) and named.logical_id in imp.resources:
            data = imp.properties(named.logical_id).get("LaunchTemplateData")
            profile = data.get("IamInstanceProfile") if isinstance(data, dict) else None
        configuration = imp.value(props.get("LaunchConfigurationName"))
        if isinstance(configuration, ResourceRef) and configuration.logical_id in imp.resources:
            profile = imp.properties(configuration.logical_id).get("IamInstanceProfile")
    if isinstance(profile, dict) and ("Arn" in profile or "Name" in profile) and len(profile) == 1:
        profile = next(iter(profile.values()))
    found = imp.value(profile)
    if not isinstance(found, ResourceRef) or imp.resources.get(found.logical_id, {}).get("Type") != "AWS::IAM::InstanceProfile":
        return None
    roles = imp.value(imp.properties(found.logical_id).get("Roles"))
    refs = [role.logical_id for role in roles if isinstance(role, ResourceRef)] if isinstance(roles, list) else []
    return refs[0] if len(refs) == 1 else None


def _write_flow(imp: Importer, function_id: str, bucket_id: str, resources, at) -> None:
    """A write into a bucket, with the key prefix the policy allows. Which keys the
    function writes matters only against a bucket's filtered notifications (a loop is
    broken by disjoint filters): there, "any key" is no fact about what it writes."""
    prefix = _key_prefix(resources)
    filtered = any(flow.source == bucket_id and (flow.prefix or flow.suffix) for flow in imp.flows)
    if prefix is None and filtered:
        imp.flows_unknown(function_id, f"it may write into {bucket_id}: which keys, the template does not say")
        return
    imp.add_flow(function_id, bucket_id, at, prefix=prefix or None)


def _key_prefix(resources) -> str | None:
    """'uploads/' from an object ARN ending in '/uploads/*'; None for '/*' or unreadable."""
    texts = []

    def walk(node):
        if isinstance(node, str):
            texts.append(node)
        elif isinstance(node, dict):
            for key, item in node.items():
                walk(item[0] if key == "Fn::Sub" and isinstance(item, list) else item)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(resources)
    # object ARNs: "arn:...:s3:::bucket/KEYS" or "${Bucket.Arn}/KEYS"
    keys = {text.split("/", 1)[1] for text in texts if (":s3:::" in text or text.startswith("${")) and "/" in text}
    prefixes = {key.rstrip("*") for key in keys if key.endswith("*")}
    return prefixes.pop() if len(prefixes) == 1 and len(keys) == 1 and "" not in prefixes else None


def _role_statements(imp: Importer) -> dict:
    """role logical id -> [(actions, raw resource)] of its Allow statements."""
    found: dict[str, list] = {}

    def add(role_id, document):
        statements = document.get("Statement") if isinstance(document, dict) else None
        for statement in statements if isinstance(statements, list) else [statements] if isinstance(statements, dict) else []:
            if not isinstance(statement, dict) or imp.value(statement.get("Effect")) != "Allow":
                continue
            actions = imp.value(statement.get("Action"))
            actions = [actions] if isinstance(actions, str) else [a for a in actions if isinstance(a, str)] if isinstance(actions, list) else []
            found.setdefault(role_id, []).append((actions, statement.get("Resource")))

    for logical_id, resource in imp.resources.items():
        props = imp.properties(logical_id)
        if resource.get("Type") == "AWS::IAM::Role":
            for policy in props.get("Policies") or []:
                if isinstance(policy, dict):
                    add(logical_id, policy.get("PolicyDocument"))
        elif resource.get("Type") in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            roles = imp.value(props.get("Roles"))
            for role in roles if isinstance(roles, list) else []:
                if isinstance(role, ResourceRef):
                    add(role.logical_id, props.get("PolicyDocument"))
    return found


def _named_resources(imp: Importer, raw) -> list[str]:
    """Resources of the template a policy's `Resource` names: through Ref, GetAtt and
    Sub variables anywhere in it, or a bucket ARN spelled from the bucket's name."""
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if len(node) == 1:
                (key, argument), = node.items()
                value = imp.value(node) if key in ("Ref", "Fn::GetAtt") else None
                if isinstance(value, ResourceRef):
                    found.append(value.logical_id)
                    return
                if key == "Fn::Sub":
                    text = argument[0] if isinstance(argument, list) else argument
                    for name in re.findall(r"\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}", str(text)):
                        if name in imp.resources:
                            found.append(name)
                    _bucket_by_name(str(text))
            for item in node.values():
                walk(item)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, str):
            _bucket_by_name(str(node))

    def _bucket_by_name(text):
        bucket = imp.bucket_named(text)
        if bucket is not None:
            found.append(bucket)

    walk(raw)
    return [name for name in dict.fromkeys(found) if name in imp.drafts]
