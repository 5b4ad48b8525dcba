"""What the importer builds before the graph: one `Draft` per resource and one
`FlowDraft` per flow, with positions in the template and the reasons values are
unknown. `Importer` holds the template, the resolver and the drafts, and offers the
small conversions every mapping function needs (a reference, a number, a flag)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import awsvalues
from .decode import Template, key_position, path_position
from .resolve import NO_VALUE, ResourceRef, Resolver, Unknown

OPAQUE = "cfn.resource"
# Names of a function's published code; read as the function itself (`through_qualifiers`).
LAMBDA_QUALIFIERS = ("AWS::Lambda::Alias", "AWS::Lambda::Version")


@dataclass
class Draft:
    logical_id: str
    id: str
    cfn_type: str
    type: str  # a spec type, or OPAQUE
    line: int
    column: int
    values: dict = field(default_factory=dict)
    positions: dict = field(default_factory=dict)
    unknown: dict = field(default_factory=dict)  # attribute -> why it is unknown
    folded: bool = False  # True: consumed by another resource, no node of its own


@dataclass
class FlowDraft:
    source: str  # logical ids
    target: str
    line: int
    column: int
    events: list | None = None
    prefix: str | None = None
    suffix: str | None = None
    label: str | None = None
    # attribute of the flow (events, prefix, suffix) -> why the template does not fix it:
    # the flow exists, only that attribute is unknown
    unknown: dict = field(default_factory=dict)


class Importer:
    def __init__(self, template: Template):
        self.template = template
        self.body = template.body
        self.resources: dict = self.body.get("Resources") or {}
        self.source_resources: dict = template.source.get("Resources") or {}
        self.resolver = Resolver(self.body)
        self.drafts: dict[str, Draft] = {}
        self.flows: list[FlowDraft] = []
        # load balancer listeners, read before the target groups' members are known
        self.routes: dict[str, list[str]] = {}  # balancer -> target groups
        self.route_positions: dict[tuple[str, str], tuple[int, int]] = {}
        self.group_targets: dict[str, list[str]] = {}  # target group -> Auto Scaling groups
        self.bridged_buckets: list[str] = []  # buckets sending their events to EventBridge
        self.weights: dict[str, dict[str, int]] = {}  # balancer -> target group -> weight

    # -- positions -----------------------------------------------------------------

    def origin(self, logical_id: str) -> tuple[str, list]:
        """The resource of the template as written that `logical_id` comes from, and the
        path inside it. SAM names what it generates after the resource and the event
        (`ProcessorFunctionMySQSEvent` from `Events: MySQSEvent` of `ProcessorFunction`)."""
        if logical_id in self.source_resources:
            return logical_id, []
        owners = [name for name in self.source_resources if logical_id.startswith(str(name))]
        if not owners:
            return "", []
        owner = max(owners, key=len)
        suffix = logical_id[len(owner):]
        properties = self.source_resources[owner].get("Properties") or {}
        events = properties.get("Events") if isinstance(properties, dict) else None
        if isinstance(events, dict) and suffix in events:
            return owner, ["Properties", "Events", suffix]
        if isinstance(properties, dict) and suffix in properties:
            return owner, ["Properties", suffix]
        return owner, []

    def resource_position(self, logical_id: str) -> tuple[int, int]:
        owner, path = self.origin(logical_id)
        if not owner:
            return 1, 1
        return path_position(self.source_resources[owner], path) or key_position(self.source_resources, owner) or (1, 1)

    def position(self, logical_id: str, *paths) -> tuple[int, int]:
        """The position of the first of `paths` (each a list of keys) that the template as
        written spells out for this resource; the resource's own position otherwise."""
        owner, base = self.origin(logical_id)
        if owner:
            resource = self.source_resources[owner]
            for path in paths if not base else ():
                full = ["Properties"] + list(path)
                if _has_path(resource, full):
                    found = path_position(resource, full)
                    if found:
                        return found
        return self.resource_position(logical_id)

    # -- values ----------------------------------------------------------------------

    def properties(self, logical_id: str) -> dict:
        properties = self.resources[logical_id].get("Properties")
        return properties if isinstance(properties, dict) else {}

    def value(self, node):
        return self.resolver.value(node)

    def target(self, raw, *types: str):
        """(logical id, None) when `raw` names a resource that maps to one of `types`;
        (None, None) when absent; (None, reason) when it names something else or
        something the template does not fix."""
        value = self.through_qualifiers(raw if isinstance(raw, (ResourceRef, Unknown)) else self.value(raw))
        if value is None or value is NO_VALUE:
            return None, None
        if isinstance(value, Unknown) and value.text:
            bucket = self.bucket_named(value.text)
            if bucket is not None and (not types or "s3.bucket" in types):
                return bucket, None
        if isinstance(value, str) and value.startswith("arn:"):
            bucket = self.bucket_named(value)
            if bucket is not None and (not types or "s3.bucket" in types):
                return bucket, None
        if isinstance(value, Unknown):
            return None, value.reason
        if isinstance(value, ResourceRef):
            draft = self.drafts.get(value.logical_id)
            if draft is not None and (not types or draft.type in types):
                return value.logical_id, None
            what = draft.cfn_type if draft else self.resources.get(value.logical_id, {}).get("Type", "a resource")
            return None, f"{value.logical_id} ({what})"
        return None, f"'{value}', which is not a resource of this template" if isinstance(value, str) else "a value that names no resource"

    def through_qualifiers(self, value):
        """A Lambda alias or version stands for its function: events, destinations and
        mappings that name `FnAliaslive` (SAM's `AutoPublishAlias`) or a version reach
        the function, and every rule sees them there."""
        for _ in range(3):  # an alias names a version, which names the function
            if not isinstance(value, ResourceRef):
                return value
            resource = self.resources.get(value.logical_id)
            if not isinstance(resource, dict) or resource.get("Type") not in LAMBDA_QUALIFIERS:
                return value
            value = self.value(self.properties(value.logical_id).get("FunctionName"))
        return value

    def bucket_named(self, arn: str) -> str | None:
        """The bucket of this template an S3 ARN names by the bucket's name (a bucket ARN
        is often spelled from the name, `arn:${AWS::Partition}:s3:::name-${Suffix}`)."""
        match = re.match(r"arn:(?:aws|\$\{AWS::Partition\}):s3:::([^/]+)", arn)
        if not match:
            return None
        for logical_id, draft in self.drafts.items():
            if draft.type != "s3.bucket":
                continue
            name = self.properties(logical_id).get("BucketName")
            spelled = name.get("Fn::Sub") if isinstance(name, dict) else name
            spelled = spelled[0] if isinstance(spelled, list) and spelled else spelled
            if isinstance(spelled, str) and spelled == match.group(1):
                return logical_id
        return None

    def set_value(self, draft: Draft, attribute: str, value, path: list, convert=None) -> None:
        """Set `attribute` from a resolved value (absent: leave the default; unknown: record why)."""
        if value is None or value is NO_VALUE:
            return
        draft.positions[attribute] = self.position(draft.logical_id, path)
        if isinstance(value, (Unknown, ResourceRef)):
            draft.unknown[attribute] = value.reason if isinstance(value, Unknown) else f"a reference to {value.logical_id}"
            return
        if convert is not None:
            converted = convert(value)
            if converted is None:
                draft.unknown[attribute] = f"{value!r} is not a value archlint reads here"
                return
            value = converted
        draft.values[attribute] = value

    def set_ref(self, draft: Draft, attribute: str, raw, path: list, *types: str) -> None:
        if raw is None:
            return
        logical_id, reason = self.target(raw, *types)
        if logical_id is None and reason is None:
            return
        draft.positions[attribute] = self.position(draft.logical_id, path)
        if reason:
            draft.unknown[attribute] = reason
        else:
            draft.values[attribute] = self.drafts[logical_id].id

    def set_refs(self, draft: Draft, attribute: str, raw, path: list, *types: str) -> None:
        value = self.value(raw)
        if value is None or value is NO_VALUE:
            return
        draft.positions[attribute] = self.position(draft.logical_id, path)
        if not isinstance(value, list):
            draft.unknown[attribute] = value.reason if isinstance(value, Unknown) else "not a list"
            return
        ids, reasons = [], []
        for index, item in enumerate(value):
            logical_id, reason = self.target(item, *types)
            if reason:
                reasons.append(reason)
            elif logical_id and self.drafts[logical_id].id not in ids:
                draft.positions[f"{attribute}[{len(ids)}]"] = self.position(draft.logical_id, path + [index])
                ids.append(self.drafts[logical_id].id)
        draft.values[attribute] = ids
        if reasons:
            draft.unknown[attribute] = "; ".join(dict.fromkeys(reasons))

    def add_flow(self, source, target, at: tuple[int, int], **options) -> None:
        self.flows.append(FlowDraft(source, target, at[0], at[1], **options))

    def flows_unknown(self, logical_id: str | None, reason: str) -> None:
        """A flow into or out of this resource exists whose other end the template does
        not fix: rules that conclude from the absence of a flow must not fire."""
        if logical_id in self.drafts:
            self.drafts[logical_id].unknown.setdefault("flows", reason)


def _has_path(node, path) -> bool:
    for step in path:
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            return False
    return True


# -- conversions of resolved values -------------------------------------------------


def as_int(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    return None


def as_flag(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def as_text(value):
    return value if isinstance(value, str) else (str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None)


def as_runtime(value):
    """A runtime Lambda still creates functions with; another is left unknown (a spec
    cannot hold it: awsvalues.py)."""
    text = as_text(value)
    return text if text is not None and awsvalues.runtime_problem(text) is None else None


def as_instance_type(value):
    text = as_text(value)
    return text if text is not None and awsvalues.instance_type_problem(text) is None else None


def spec_id(logical_id: str) -> str:
    """`BillingQueue` -> `billing-queue`, `VPCGatewayAttachment` -> `vpc-gateway-attachment`:
    the inverse of the emitter's names, and a valid spec id for any logical id."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", logical_id)
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1-\2", text)
    text = re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")
    text = re.sub(r"-{2,}", "-", text)
    if not text or not text[0].isalpha():
        text = "r-" + text
    return text[:63].rstrip("-")


# -- describing what cannot be read -----------------------------------------------------


def has_unknown(value) -> bool:
    if isinstance(value, (Unknown, ResourceRef)):
        return True
    if isinstance(value, dict):
        return any(has_unknown(item) for item in value.values())
    if isinstance(value, list):
        return any(has_unknown(item) for item in value)
    return False


def why(value) -> str:
    return value.reason if isinstance(value, Unknown) else "a value archlint does not read"


def show(value) -> str:
    return value.reason if isinstance(value, Unknown) else repr(value)
