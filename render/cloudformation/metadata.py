"""What CloudFormation cannot hold, kept in `Metadata` so that `archlint import` reads
it back and `emit` -> `import` -> `emit` gives the same bytes.

- Each spec resource's own CloudFormation resource carries
  `Metadata: {archlint: {id: <spec id>, ...}}`: its id (logical ids lose hyphens, so
  `q-0-b` and `q0-b` would both come back as `q0-b`), and the attributes no property
  holds (`KEPT`), when the spec sets them. Resources emitted *for* a spec resource
  that `import` would otherwise read as resources of their own (a function's log group,
  an instance's launch template) carry `part_of: <spec id>`.
- The template's `Metadata.archlint` carries the spec's description and region, each
  resource that is not emitted (`NotEmitted`, with its attributes: a Snowball job, an
  external client, each with its place among the spec's resources), and the flows the
  template cannot carry (`Flows`: those from or to a resource that is not emitted, a
  function's `invoke` of another, `transfer`s, and events put on the default bus).
  The order of the spec's `flows:` list is not kept: nothing emitted depends on it
  (lookups.flows_out).
"""

from __future__ import annotations

import networkx as nx

from ...specs import types as T
from .lookups import flows_out_in_spec_order

# attributes no CloudFormation property holds, by type (all types: label, description)
KEPT = {
    "ec2.instance": ("os", "standby_for", "networking"),
    "autoscaling.group": ("os", "networking", "volumes"),
}
KEPT_EVERYWHERE = ("label", "description")
# flows a template carries as a property of some resource (subscriptions, mappings, ...)
UNCARRIED_RELATIONS = ("invoke", "transfer")


def spelled(data: dict, name: str) -> bool:
    """Whether the spec says `name` (rather than the loader filling its default)."""
    value = data.get(name)
    if value is None:
        return False
    attribute = T.attributes_of(data["type"]).get(name)
    return name in (data.get("positions") or {}) or (attribute is not None and attribute.default is not T.DERIVED and value != attribute.default)


def resource_metadata(graph: nx.MultiDiGraph, node: str) -> dict:
    data = graph.nodes[node]
    found: dict = {"id": node}
    for name in KEPT_EVERYWHERE + KEPT.get(data["type"], ()):
        if spelled(data, name):
            found[name] = _plain(data[name])
    return found


def not_emitted_attributes(graph: nx.MultiDiGraph, node: str) -> dict:
    data = graph.nodes[node]
    return {
        name: _plain(data[name])
        for name in list(T.TYPES.get(data["type"], {})) + list(KEPT_EVERYWHERE) + ["tags"]
        if spelled(data, name)
    }


def uncarried_flows(graph: nx.MultiDiGraph, emitted: set) -> list[dict]:
    """The flows no resource of the template carries, by source and target in spec order."""
    flows = []
    for source in graph.nodes:
        for target, data in flows_out_in_spec_order(graph, source):
            carried = (
                source in emitted and target in emitted and data["relation"] not in UNCARRIED_RELATIONS
                and not (data["relation"] == "event" and graph.nodes[source]["type"] != "s3.bucket")
            )
            if carried:
                continue
            entry: dict = {"from": source, "to": target}
            for key in ("label", "events", "prefix", "suffix"):
                if data.get(key) is not None:
                    entry[key] = _plain(data[key])
            if data["relation"] == "invoke" and data.get("invocation") == "async":
                entry["async"] = True
            flows.append(entry)
    return flows


def _plain(value):
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value
