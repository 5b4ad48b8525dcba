"""Reading `flows:`: strings (`a -> b -> c`) and mappings (`{from, to, ...}`), each
pair checked against the flow table."""

from __future__ import annotations

from dataclasses import dataclass

from . import types as T
from .flows import DEFAULT_S3_EVENTS, FLOW_PAIRS, split_chain, targets_of
from .reader import SpecReader
from .values import BadValue, as_bool, as_s3_event, as_text, describe, suggestion
from .yamlsource import INVALID, Mapping, Sequence


@dataclass
class Flow:
    source: str
    target: str
    relation: str
    invocation: str | None
    label: str | None
    events: list | None
    prefix: str | None
    suffix: str | None
    line: int
    column: int
    entry: int  # index of the `flows:` entry it came from


def read_flows(reader: SpecReader, document: Mapping, types_by_id: dict) -> tuple[list[Flow], dict]:
    """Every flow of the spec in file order, and positions keyed "flows[i]".

    `types_by_id` maps each resource id to its type (None when the type was already
    reported as wrong: flows touching such a resource are not checked further).
    """
    section = document.get("flows")
    if section is None or section is INVALID:
        return [], {}
    if not isinstance(section, Sequence):
        reader.problem(document.value_positions["flows"], "'flows' is a list of 'a -> b' strings or {from, to} mappings")
        return [], {}
    flows, positions = [], {}
    for index, entry in enumerate(section):
        position = section.item_positions[index]
        positions[f"flows[{index}]"] = position
        if entry is INVALID:
            continue
        if isinstance(entry, str):
            flows.extend(_read_chain(reader, entry, position, index, types_by_id))
        elif isinstance(entry, Mapping):
            flows.extend(_read_mapping(reader, entry, position, index, types_by_id))
        else:
            reader.problem(position, f"a flow is 'a -> b' or a mapping with 'from' and 'to', got {describe(entry)}")
    return flows, positions


def _read_chain(reader, text: str, position, index: int, types_by_id) -> list[Flow]:
    parts = split_chain(text)
    if len(parts) < 2:
        reader.problem(position, f"the flow '{text}' needs an arrow: 'source -> target'")
        return []
    if not all(parts):
        reader.problem(position, f"the flow '{text}' has an empty end; write 'a -> b' or 'a -> b -> c'")
        return []
    flows = []
    for source, target in zip(parts, parts[1:]):
        flow = _pair(reader, source, target, {}, position, index, types_by_id)
        if flow:
            flows.append(flow)
    return flows


def _read_mapping(reader, entry: Mapping, position, index: int, types_by_id) -> list[Flow]:
    for key in entry:
        if key not in T.FLOW_KEYS:
            reader.problem(entry.key_positions[key], f"'{key}' is not a key of a flow{suggestion(key, T.FLOW_KEYS)}; a flow has {', '.join(T.FLOW_KEYS)}")
    missing = [key for key in ("from", "to") if entry.get(key) is None]
    if missing:
        reader.problem(position, f"a flow mapping needs {' and '.join(repr(key) for key in missing)}")
        return []
    source = entry["from"]
    if not isinstance(source, str):
        reader.problem(entry.value_positions["from"], f"'from' names one resource id, got {describe(source)}")
        return []
    targets = _targets(reader, entry)
    options = _options(reader, entry)
    if options is None:
        return []
    flows = []
    for target, target_position in targets:
        flow = _pair(reader, source, target, options, position, index, types_by_id, entry, target_position)
        if flow:
            flows.append(flow)
    return flows


def _targets(reader, entry: Mapping) -> list:
    value, where = entry["to"], entry.value_positions["to"]
    if isinstance(value, Sequence):
        pairs = list(zip(value, value.item_positions))
    else:
        pairs = [(value, where)]
    targets, seen = [], set()
    for target, position in pairs:
        if not isinstance(target, str):
            if target is not INVALID:
                reader.problem(position, f"'to' names resource ids, got {describe(target)}")
            continue
        if target in seen:
            reader.problem(position, f"'to' lists {target} twice")
            continue
        seen.add(target)
        targets.append((target, position))
    return targets


def _options(reader, entry: Mapping) -> dict | None:
    """label, events, prefix, suffix, async: checked for their own shape here; whether
    they belong to this pair of types is checked in `_pair`."""
    options = {}
    try:
        for key in ("label", "prefix", "suffix"):
            if entry.get(key) is not None and entry[key] is not INVALID:
                options[key] = as_text(entry[key], entry.raw.get(key))
        if entry.get("async") is not None and entry["async"] is not INVALID:
            options["async"] = as_bool(entry["async"])
        events = entry.get("events")
        if events is not None and events is not INVALID:
            listed = events if isinstance(events, Sequence) else [events]
            options["events"] = [as_s3_event(event) for event in listed if event is not INVALID]
    except BadValue as error:
        reader.problem(entry.position, f"flow from {entry.get('from')}: {error}")
        return None
    return options


def _pair(reader, source, target, options, position, index, types_by_id, entry=None, target_position=None):
    for end, where in ((source, entry.value_positions["from"] if entry else position), (target, target_position or position)):
        if end not in types_by_id:
            reader.problem(where, f"the flow names '{end}', which is not a resource of this spec{reader.suggest_id(end, types_by_id)}")
            return None
    source_type, target_type = types_by_id[source], types_by_id[target]
    if source_type is None or target_type is None:
        return None  # the type was already reported
    if (source_type, target_type) not in FLOW_PAIRS:
        allowed = targets_of(source_type)
        reader.problem(target_position or position,
                       f"a {source_type} cannot flow to a {target_type} ({source} -> {target}); a {source_type} flows to "
                       + (", ".join(allowed) if allowed else "nothing (it only receives)"))
        return None
    relation, invocation = FLOW_PAIRS[(source_type, target_type)]
    if not _options_fit(reader, options, source_type, target_type, relation, source, target, entry or {}, position):
        return None
    if invocation == "async|sync":
        invocation = "async" if options.get("async") else "sync"
    events = options.get("events")
    if relation == "notification" and events is None:
        events = list(DEFAULT_S3_EVENTS)
    line, column = position
    return Flow(source, target, relation, invocation, options.get("label"), events,
                options.get("prefix"), options.get("suffix"), line, column, index)


def _options_fit(reader, options, source_type, target_type, relation, source, target, entry, position) -> bool:
    fits = True

    def refuse(key, why):
        nonlocal fits
        reader.problem(entry.key_positions.get(key, position) if entry else position, f"'{key}' on the flow {source} -> {target}: {why}")
        fits = False

    from_bucket = source_type == "s3.bucket"
    into_bucket = target_type == "s3.bucket"
    if "events" in options and not from_bucket:
        refuse("events", "events filter the notifications of a flow from an s3.bucket")
    for key in ("prefix", "suffix"):
        if key in options and not (from_bucket or into_bucket):
            refuse(key, "prefix and suffix belong to flows from or into an s3.bucket")
    if "async" in options and relation != "invoke":
        refuse("async", "async belongs to flows between two functions")
    return fits
