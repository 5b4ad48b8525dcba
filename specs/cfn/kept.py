"""What `archlint emit` keeps in `Metadata` (render/cloudformation/metadata.py), read
back: a resource's spec id and the attributes no property holds, the resources that
were not emitted, the flows the template cannot carry, and the spec's description and
region. Only values of the right shape are read; anything else is ignored, as an
unknown Metadata key would be."""

from __future__ import annotations

import re

from .. import types as T
from ..flowreader import Flow
from ..flows import FLOW_PAIRS
from ..reader import Resource
from .decode import key_position
from .model import Draft, Importer

_ID = re.compile(r"^[a-z][a-z0-9-]{0,62}$")
_KEPT = {
    "ec2.instance": ("os", "standby_for", "networking"),
    "autoscaling.group": ("os", "networking", "volumes"),
}
_KEPT_EVERYWHERE = ("label", "description")


def archlint_metadata(resource) -> dict:
    metadata = resource.get("Metadata") if isinstance(resource, dict) else None
    found = metadata.get("archlint") if isinstance(metadata, dict) else None
    return found if isinstance(found, dict) else {}


def kept_id(resource) -> str | None:
    """The spec id an emitted resource names, when it is a valid one."""
    found = archlint_metadata(resource).get("id")
    return found if isinstance(found, str) and _ID.match(found) else None


def part_of(resource) -> bool:
    """Emitted *for* a spec resource (a function's log group): no node of its own."""
    found = archlint_metadata(resource).get("part_of")
    return isinstance(found, str) and bool(_ID.match(found))


def read_kept(imp: Importer, draft: Draft) -> None:
    """The attributes no CloudFormation property holds, as the emitter kept them; and
    no reference to what the emitter made for a resource (a load balancer's own
    security group is no spec resource)."""
    made = {other.id for other in imp.drafts.values() if part_of(imp.resources.get(other.logical_id))}
    for name, value in list(draft.values.items()):
        if isinstance(value, list) and made & set(v for v in value if isinstance(v, str)):
            draft.values[name] = [v for v in value if v not in made]
            if not draft.values[name]:
                del draft.values[name]
                draft.positions.pop(name, None)
    kept = archlint_metadata(imp.resources.get(draft.logical_id))
    ids = {other.id for other in imp.drafts.values()}
    at = imp.resource_position(draft.logical_id)
    for name in _KEPT_EVERYWHERE + _KEPT.get(draft.type, ()):
        value = kept.get(name)
        if value is None:
            if kept_id(imp.resources.get(draft.logical_id)):  # archlint keeps what the spec sets: not set, the default
                draft.unknown.pop(name, None)
            continue
        if not valid(T.attributes_of(draft.type)[name], value, ids):
            continue
        draft.values[name] = list(value) if isinstance(value, list) else value
        draft.positions[name] = at
        draft.unknown.pop(name, None)


def valid(attribute: T.Attribute, value, ids: set) -> bool:
    """Whether a kept value has the shape the type table gives the attribute (a template
    is input like any other: a value of the wrong shape is left out)."""
    kind = attribute.kind
    if kind == T.REF:
        return isinstance(value, str) and value in ids
    if kind == T.REF_LIST:
        return isinstance(value, list) and all(isinstance(v, str) and v in ids for v in value)
    if kind == T.CHOICE:
        return isinstance(value, str) and value in attribute.choices
    if kind in (T.TEXT, T.AZ, T.SCHEDULE):
        return isinstance(value, str)
    if kind == T.BOOL:
        return isinstance(value, bool)
    if kind == T.INT:
        return isinstance(value, int) and not isinstance(value, bool) and attribute.minimum <= value <= attribute.maximum
    if kind == T.TEXT_LIST:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == T.MAPPING:
        return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    return False  # CIDRs, rules, hooks, weights: no emitter keeps them in Metadata


def template_metadata(imp: Importer) -> dict:
    metadata = imp.template.body.get("Metadata")
    found = metadata.get("archlint") if isinstance(metadata, dict) else None
    return found if isinstance(found, dict) and found.get("Generator") == "archlint emit" else {}


def top_level(imp: Importer, top: dict) -> dict:
    """The spec's name, description and region, where the emitter kept them."""
    kept = template_metadata(imp)
    if isinstance(kept.get("Spec"), str) and _ID.match(kept["Spec"]):
        top["name"] = kept["Spec"]
    if "Description" in kept and isinstance(kept["Description"], str):
        top["description"] = kept["Description"]
    elif kept and isinstance(top.get("description"), str) and top["description"].endswith(" (emitted by archlint)"):
        top["description"] = None  # the emitter's own: the spec had none
    if isinstance(kept.get("Region"), str):
        top["region"] = kept["Region"]
    return top


def not_emitted(imp: Importer, taken: set) -> list[tuple[int, Resource]]:
    """(place among the spec's resources, resource) of each resource the emitter listed
    as not emitted, with its attributes."""
    kept = template_metadata(imp).get("NotEmitted")
    entries = [entry for entry in kept if isinstance(entry, dict)] if isinstance(kept, list) else []
    ids = taken | {entry.get("Resource") for entry in entries if isinstance(entry.get("Resource"), str)}
    found = []
    position = key_position(imp.template.source, "Metadata") or (1, 1)
    for entry in entries:
        node, kind = entry.get("Resource"), entry.get("Type")
        if not (isinstance(node, str) and _ID.match(node) and kind in T.TYPES and node not in taken):
            continue
        attributes = entry.get("Attributes") if isinstance(entry.get("Attributes"), dict) else {}
        values, positions = {}, {}
        for name, attribute in T.attributes_of(kind).items():
            if name == "type":
                continue
            if name in attributes and valid(attribute, attributes[name], ids):
                values[name] = attributes[name]
                positions[name] = position
            elif name == "ignore":
                values[name] = {}
            else:
                values[name] = None if attribute.default is T.DERIVED else attribute.default
        taken.add(node)
        place = entry.get("At") if isinstance(entry.get("At"), int) else 1 << 30
        found.append((place, Resource(node, kind, position[0], position[1], values, positions)))
    return found


def kept_flows(imp: Importer, types_by_id: dict) -> list[Flow]:
    """The flows the template cannot carry, as the emitter kept them."""
    kept = template_metadata(imp).get("Flows")
    position = key_position(imp.template.source, "Metadata") or (1, 1)
    found = []
    for entry in kept if isinstance(kept, list) else []:
        if not isinstance(entry, dict):
            continue
        source, target = entry.get("from"), entry.get("to")
        pair = FLOW_PAIRS.get((types_by_id.get(source), types_by_id.get(target)))
        if pair is None:
            continue
        relation, invocation = pair
        if invocation == "async|sync":
            invocation = "async" if entry.get("async") is True else "sync"
        events = entry.get("events") if isinstance(entry.get("events"), list) else None
        texts = {key: entry[key] if isinstance(entry.get(key), str) else None for key in ("label", "prefix", "suffix")}
        found.append(Flow(source, target, relation, invocation, texts["label"], events,
                          texts["prefix"], texts["suffix"], position[0], position[1], len(found)))
    return found
