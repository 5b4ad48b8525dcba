"""Comparing a spec's graph with the graph imported from the template emitted for it:
the same resources, types, attributes and flows, as far as CloudFormation carries them."""

from __future__ import annotations

from archlint.render.cloudformation import build, not_emitted_reason
from archlint.specs import types as T
from archlint.specs.cfn import load_template_text

# What no CloudFormation property carries (the operating system, a standby relation,
# ena / intel-82599 networking, an Auto Scaling group's volumes) comes back from the
# Metadata archlint emit keeps: nothing is left out of the comparison.
NOT_CARRIED: set = set()
NOT_CARRIED_BY_TYPE: set = set()
# Flows a template does not carry: whether a function calls another synchronously or
# asynchronously (the policy only allows lambda:InvokeFunction), which rule a sender's
# events:PutEvents reaches (the rule's pattern decides), and Direct Connect transfers.
# A bucket's events to EventBridge are carried (EventBridgeConfiguration).
NOT_CARRIED_RELATIONS = {"invoke", "transfer"}
COMMON = {"label", "description", "tags", "ignore"}


def round_trip(graph):
    """(the imported graph, spec id -> imported id) for a spec's graph."""
    text = build(graph).to_yaml()
    imported = load_template_text(text, "emitted.yaml")
    return imported, {node: node for node in graph.nodes}  # the emitter keeps each spec id in Metadata


def differences(graph, imported=None) -> list[str]:
    """What the import of the emitted template lost or changed (`imported`: that graph,
    when the caller already has it)."""
    twin_graph, ids = round_trip(graph)
    imported = twin_graph if imported is None else imported
    found = []
    emitted = [node for node, data in graph.nodes(data=True) if not_emitted_reason(data) is None]
    for node in emitted:
        data, twin = graph.nodes[node], ids[node]
        if twin not in imported:
            found.append(f"{node}: not imported (expected {twin})")
            continue
        other = imported.nodes[twin]
        if other["type"] != data["type"]:
            found.append(f"{node}: type {data['type']} came back as {other['type']}")
            continue
        for name, attribute in T.TYPES[data["type"]].items():
            if name in NOT_CARRIED or (data["type"], name) in NOT_CARRIED_BY_TYPE:
                continue
            if name in other.get("unknown", []):
                found.append(f"{node}.{name}: unknown after the round trip ({other['unknown_reasons'][name]})")
                continue
            if data.get(name) is None or (attribute.default is T.DERIVED and name not in data.get("positions", {})):
                continue  # absent, or the loader's default: the emitter may choose (a subnet's range, the recover metric)
            mine, theirs = _comparable(name, attribute, data.get(name), ids), _comparable(name, attribute, other.get(name), None)
            if mine != theirs:
                found.append(f"{node}.{name}: {mine!r} came back as {theirs!r}")
        if (data.get("tags") or {}) != (other.get("tags") or {}):  # the common attribute CloudFormation carries
            found.append(f"{node}.tags: {data.get('tags')!r} came back as {other.get('tags')!r}")
    kept = {ids[node] for node in emitted}
    mine = sorted(_flows(graph, ids, kept), key=repr)
    theirs = sorted(_flows(imported, None, kept), key=repr)
    if mine != theirs:
        lost, gained = sorted(set(mine) - set(theirs), key=repr), sorted(set(theirs) - set(mine), key=repr)
        found.append(f"flows differ: lost {lost}, gained {gained}")
    return found


def _comparable(name, attribute, value, ids):
    rename = (lambda x: ids.get(x, x)) if ids else (lambda x: x)
    if name == "networking":
        return value == "efa"
    if value is None:
        return None
    if attribute.kind == T.REF:
        return rename(value)
    if attribute.kind == T.REF_LIST:
        return sorted(rename(item) for item in value)
    if attribute.kind in T.RECORD_FIELDS:
        records = []
        for record in value:
            record = dict(record)
            for key in ("target", "group"):
                if record.get(key) is not None:
                    record[key] = rename(record[key])
            if "ports" in record and record["ports"] is not None:
                record["ports"] = str(record["ports"])
            records.append(tuple(sorted(record.items())))
        return sorted(records, key=repr)
    return value


def _flows(graph, ids, kept):
    rename = (lambda x: ids[x]) if ids else (lambda x: x)
    for source, target, data in graph.edges(data=True):
        if data["kind"] != "flow" or rename(source) not in kept or rename(target) not in kept:
            continue
        if data["relation"] in NOT_CARRIED_RELATIONS:
            continue
        if data["relation"] == "event" and graph.nodes[source]["type"] != "s3.bucket":
            continue
        yield (rename(source), rename(target), data["relation"], data["invocation"],
               tuple(data.get("events") or ()), data.get("prefix"), data.get("suffix"))
