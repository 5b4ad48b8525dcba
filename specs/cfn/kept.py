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
            continue
        attribute = T.attributes_of(draft.type)[name]
        if attribute.kind == T.REF and not (isinstance(value, str) and value in ids):
            continue
        if attribute.kind == T.REF_LIST and not (isinstance(value, list) and all(v in ids for v in value)):
            continue
        if attribute.kind == T.CHOICE and value not in attribute.choices:
            continue
        if attribute.kind == T.TEXT and not isinstance(value, str):
            continue
        draft.values[name] = list(value) if isinstance(value, list) else value
        draft.positions[name] = at
        draft.unknown.pop(name, None)


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
    found = []
    position = key_position(imp.template.source, "Metadata") or (1, 1)
    for entry in kept if isinstance(kept, list) else []:
        if not isinstance(entry, dict):
            continue
        node, kind = entry.get("Resource"), entry.get("Type")
        if not (isinstance(node, str) and _ID.match(node) and kind in T.TYPES and node not in taken):
            continue
        attributes = entry.get("Attributes") if isinstance(entry.get("Attributes"), dict) else {}
        values, positions = {}, {}
        for name, attribute in T.attributes_of(kind).items():
            if name == "type":
                continue
            if name in attributes:
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
