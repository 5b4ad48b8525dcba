"""Reading a parsed spec document: top-level keys, resources and their attributes.

`SpecReader` walks the document once and records every problem it meets instead of
stopping at the first, so the user sees all of them together. What it produces is
plain data (`Resource` objects with their values and positions); the cross-resource
checks and the flow table come after it (`crosscheck.py`, `flowreader.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import awsvalues
from . import types as T
from .errors import Problem
from .values import (
    BadValue,
    Suggester,
    as_bool,
    as_choice,
    as_cidr,
    as_int,
    as_ports,
    as_schedule,
    as_text,
    describe,
    suggestion,
)
from .yamlsource import INVALID, Mapping, Sequence

RESOURCE_ID = re.compile(r"^[a-z][a-z0-9-]{0,62}$")
RULE_SELECTOR = re.compile(r"^[A-Z]+[0-9]{0,3}$")
REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$")


@dataclass
class Resource:
    id: str
    type: str | None  # None when the type is missing or unknown (already reported)
    line: int
    column: int
    values: dict = field(default_factory=dict)  # attribute -> checked value
    positions: dict = field(default_factory=dict)  # "attr", "attr[i]", "ignore.ID" -> (line, column)


class SpecReader:
    """Collects problems of one file while reading it."""

    def __init__(self, file: str, rule_known=None):
        self.file = file
        self.rule_known = rule_known
        self.problems: list[Problem] = []
        self._id_suggester = None

    def suggest_id(self, word, ids) -> str:
        """A did-you-mean among the spec's resource ids (`Suggester`, one per file)."""
        if self._id_suggester is None:
            self._id_suggester = Suggester(ids)
        return self._id_suggester(word)

    def problem(self, position, message: str) -> None:
        line, column = position
        self.problems.append(Problem(self.file, line, column, message))

    # -- the top level ---------------------------------------------------------

    def read_top(self, document) -> dict | None:
        """The top-level keys, checked; None when the document is no spec at all."""
        if not isinstance(document, Mapping):
            position = getattr(document, "position", (1, 1))
            self.problem(position, "a spec is a YAML mapping that starts with 'archlint: 1'")
            return None
        top = {}
        for key in document:
            position = document.key_positions[key]
            if key not in T.SPEC_KEYS:
                self.problem(position, f"unknown top-level key '{key}'{suggestion(key, T.SPEC_KEYS)}; a spec has {', '.join(T.SPEC_KEYS)}")
        self._read_format(document)
        top["name"] = self._read_name(document)
        top["description"] = self._optional_text(document, "description")
        top["region"] = self._read_region(document)
        return top

    def _read_format(self, document: Mapping) -> None:
        if "archlint" not in document:
            self.problem(document.position, "missing 'archlint: 1' (it marks the file as a spec and names its format)")
            return
        value = document["archlint"]
        if value is INVALID:
            return
        if type(value) is not int or value != 1:  # 1.0 and true equal 1 in Python
            self.problem(document.value_positions["archlint"],
                         f"this archlint reads spec format 1; the file says archlint: {document.raw.get('archlint', describe(value))}")

    def _read_name(self, document: Mapping) -> str:
        if "name" not in document:
            self.problem(document.position, "missing 'name' (a name such as 'orders': lowercase letters, digits and dashes)")
            return ""
        value = document["name"]
        if value is INVALID:
            return ""
        if not isinstance(value, str) or not RESOURCE_ID.match(value):
            self.problem(document.value_positions["name"],
                         f"the name {describe(value)} must start with a lowercase letter and hold only lowercase letters, digits and dashes (at most 63)")
            return str(value)
        return value

    def _read_region(self, document: Mapping) -> str:
        if "region" not in document:
            return "us-east-1"
        value = document["region"]
        if value is INVALID:
            return "us-east-1"
        if not isinstance(value, str) or not REGION.match(value):
            self.problem(document.value_positions["region"], f"{describe(value)} is not an AWS region name such as us-east-1 or eu-west-2")
            return "us-east-1"
        return value

    def _optional_text(self, mapping: Mapping, key: str):
        if key not in mapping or mapping[key] is None or mapping[key] is INVALID:
            return None
        try:
            return as_text(mapping[key], mapping.raw.get(key))
        except BadValue as error:
            self.problem(mapping.value_positions[key], f"'{key}': {error}")
            return None

    # -- ignore ----------------------------------------------------------------

    def read_ignore(self, mapping: Mapping, key_prefix: str = "ignore") -> tuple[dict, dict]:
        """An `ignore:` mapping: rule id or prefix -> non-empty reason.
        Returns (ignores, positions keyed "ignore.ID")."""
        value = mapping.get("ignore")
        if value is None or value is INVALID:
            return {}, {}
        if not isinstance(value, Mapping):
            self.problem(mapping.value_positions["ignore"], "'ignore' maps rule ids (or prefixes such as DLQ) to the reason for ignoring them")
            return {}, {}
        ignores, positions = {}, {}
        for selector, reason in value.items():
            position = value.key_positions[selector]
            selector_text = str(selector)
            if not RULE_SELECTOR.match(selector_text):
                self.problem(position, f"'{selector_text}' is not a rule id (such as DLQ001) or family prefix (such as DLQ)")
                continue
            if self.rule_known is not None and not self.rule_known(selector_text):
                self.problem(position, f"'{selector_text}' names no known rule; `archlint rules` lists them")
                continue
            if reason is INVALID:
                continue
            if not isinstance(reason, str) or not reason.strip():
                self.problem(value.value_positions[selector], f"ignoring {selector_text} needs a reason, e.g. '{selector_text}: the audit function is idempotent'")
                continue
            ignores[selector_text] = reason.strip()
            positions[f"{key_prefix}.{selector_text}"] = position
        return ignores, positions

    # -- resources ---------------------------------------------------------------

    def read_resources(self, document: Mapping) -> list[Resource]:
        if "resources" not in document:
            self.problem(document.position, "missing 'resources' (id -> resource, at least one)")
            return []
        section = document["resources"]
        if section is INVALID:
            return []
        if not isinstance(section, Mapping) or not section:
            self.problem(document.value_positions["resources"], "'resources' maps ids to resources and needs at least one")
            return []
        resources = []
        for resource_id, body in section.items():
            position = section.key_positions[resource_id]
            if not isinstance(resource_id, str) or not RESOURCE_ID.match(resource_id):
                self.problem(position, f"the resource id {describe(resource_id)} must start with a lowercase letter and hold only lowercase letters, digits and dashes (at most 63)")
                continue
            resources.append(self._read_resource(resource_id, body, position, section.value_positions[resource_id]))
        return resources

    def _read_resource(self, resource_id: str, body, position, body_position) -> Resource:
        resource = Resource(resource_id, None, *position)
        if body is INVALID:
            return resource
        if not isinstance(body, Mapping):
            self.problem(body_position, f"resource '{resource_id}' must be a mapping with at least a 'type'")
            return resource
        type_name = body.get("type")
        if "type" not in body:
            self.problem(position, f"resource '{resource_id}' has no 'type'; one of: {', '.join(T.TYPES)}")
            return resource
        if type_name is INVALID:
            return resource
        if not isinstance(type_name, str):
            self.problem(body.value_positions["type"], f"the type of '{resource_id}' is one word such as sqs.queue, not {describe(type_name)}; types are {', '.join(T.TYPES)}")
            return resource
        if type_name not in T.TYPES:
            self.problem(body.value_positions["type"], f"unknown type {describe(type_name)}{suggestion(type_name, T.TYPES)}; types are {', '.join(T.TYPES)}")
            return resource
        resource.type = type_name
        attributes = T.attributes_of(type_name)
        for key in body:
            resource.positions[key] = body.key_positions[key]
            if key not in attributes:
                known = sorted(set(attributes) - {"type"})
                self.problem(body.key_positions[key], f"'{key}' is not an attribute of {type_name}{suggestion(key, known)}; it takes {', '.join(known)}")
        for name, attribute in attributes.items():
            if name == "type":
                continue
            if name == "ignore":
                resource.values["ignore"], positions = self.read_ignore(body)
                resource.positions.update(positions)
                continue
            if name not in body or body[name] is None:
                if attribute.required:
                    self.problem(position, f"{type_name} '{resource_id}' needs '{name}'")
                resource.values[name] = None if attribute.default is T.DERIVED else attribute.default
                continue
            if body[name] is INVALID:
                resource.values[name] = None
                continue
            resource.values[name] = self._read_value(resource, name, attribute, body)
            if resource.values[name] is not None:
                wrong = _aws_problem(type_name, name, resource.values[name])
                if wrong:
                    self.problem(body.value_positions[name], f"'{name}' of {resource_id}: {wrong}")
        return resource

    def _read_value(self, resource: Resource, name: str, attribute: T.Attribute, body: Mapping):
        value, raw = body[name], body.raw.get(name)
        where = body.value_positions[name]
        kind = attribute.kind
        try:
            if kind in T.RECORD_FIELDS:
                return self._read_records(resource, name, T.RECORD_FIELDS[kind], value, where)
            if kind in (T.MAPPING, T.WEIGHTS):
                return self._read_mapping(name, value, where)
            if kind in (T.REF_LIST, T.CIDR_LIST, T.TEXT_LIST):
                return self._read_list(resource, name, kind, value, where)
            return self._scalar(attribute, value, raw)
        except BadValue as error:
            self.problem(where, f"'{name}' of {resource.id}: {error}")
            return None

    def _scalar(self, attribute: T.Attribute, value, raw):
        kind = attribute.kind
        if kind in (T.TEXT, T.AZ):
            return as_text(value, raw)
        if kind == T.REF:
            if not isinstance(value, str):
                raise BadValue(f"expected a resource id, got {describe(value)}{_quote_hint(value, raw)}")
            return value
        if kind == T.BOOL:
            return as_bool(value)
        if kind == T.INT:
            return as_int(value, attribute.minimum, attribute.maximum)
        if kind == T.CHOICE:
            return as_choice(value, attribute.choices, raw)
        if kind == T.CIDR:
            return as_cidr(value)
        if kind == T.SCHEDULE:
            return as_schedule(value, raw)
        if kind == "ports":
            return as_ports(value)
        raise AssertionError(f"no parser for attribute kind {kind}")

    def _read_mapping(self, name: str, value, where):
        if not isinstance(value, Mapping):
            raise BadValue(f"expected a mapping, got {describe(value)}")
        if name == "tags":
            if len(value) > awsvalues.MAX_TAGS:
                raise BadValue(f"AWS takes at most {awsvalues.MAX_TAGS} tags a resource (this has {len(value)})")
            tags = {}
            for key, item in value.items():
                if item is INVALID:
                    continue
                try:
                    tags[as_text(key)] = as_text(item, value.raw.get(key))
                except BadValue as error:
                    self.problem(value.value_positions[key], f"tag '{key}': {error}")
                    continue
                wrong = awsvalues.tag_problem(as_text(key), tags[as_text(key)])
                if wrong:
                    self.problem(value.key_positions[key], f"tag {as_text(key)!r}: {wrong}")
            return tags
        if name == "weights":  # an ALB's route target -> weight, as ListenerForwardConfig takes it
            weights = {}
            for key, item in value.items():
                try:
                    weights[as_text(key)] = as_int(item, 0, 999, value.raw.get(key))  # T.WEIGHTS
                except BadValue as error:
                    self.problem(value.value_positions[key], f"weight of '{key}': {error}")
            return weights
        return _plain(value)

    def _read_list(self, resource: Resource, name: str, kind: str, value, where):
        """A list attribute; a single value is read as a one-item list."""
        if isinstance(value, Sequence):
            items = list(zip(value, value.item_positions, (value.raw.get(i) for i in range(len(value)))))
        elif isinstance(value, Mapping):
            raise BadValue("expected a list, got a mapping")
        else:
            items = [(value, where, None)]
        result, seen = [], {}
        for index, (item, position, raw) in enumerate(items):
            resource.positions[f"{name}[{index}]"] = position
            if item is INVALID:
                continue
            try:
                if kind == T.REF_LIST:
                    if not isinstance(item, str):
                        raise BadValue(f"expected a resource id, got {describe(item)}{_quote_hint(item, raw)}")
                    checked = item
                elif kind == T.CIDR_LIST:
                    checked = as_cidr(item)
                else:
                    checked = as_text(item, raw)
            except BadValue as error:
                self.problem(position, f"'{name}' of {resource.id}: {error}")
                continue
            if kind == T.REF_LIST and checked in seen:
                line, column = seen[checked]
                self.problem(position, f"'{name}' of {resource.id} lists {checked} twice (first at line {line}, column {column})")
                continue
            seen[checked] = position
            result.append(checked)
        return result

    def _read_records(self, resource: Resource, name: str, fields: dict, value, where):
        """A list of small mappings: security group rules, ACL rules, lifecycle hooks."""
        if not isinstance(value, Sequence):
            raise BadValue("expected a list of mappings")
        records = []
        for index, item in enumerate(value):
            position = value.item_positions[index]
            resource.positions[f"{name}[{index}]"] = position
            if item is INVALID:
                records.append(None)
                continue
            if not isinstance(item, Mapping):
                self.problem(position, f"each entry of '{name}' is a mapping with {', '.join(fields)}")
                records.append(None)
                continue
            records.append(self._read_record(resource, f"{name}[{index}]", fields, item))
        return records

    def _read_record(self, resource: Resource, label: str, fields: dict, item: Mapping) -> dict:
        record = {}
        for key in item:
            if key not in fields:
                self.problem(item.key_positions[key], f"'{key}' is not a field of {label} in {resource.id}{suggestion(key, fields)}; fields are {', '.join(fields)}")
        for field_name, attribute in fields.items():
            if field_name not in item or item[field_name] is None:
                if attribute.required:
                    self.problem(item.position, f"{label} of {resource.id} needs '{field_name}'")
                record[field_name] = attribute.default
                continue
            if item[field_name] is INVALID:
                record[field_name] = None
                continue
            resource.positions[f"{label}.{field_name}"] = item.key_positions[field_name]
            try:
                record[field_name] = self._scalar(attribute, item[field_name], item.raw.get(field_name))
            except BadValue as error:
                self.problem(item.value_positions[field_name], f"'{field_name}' of {label} in {resource.id}: {error}")
                record[field_name] = None
        return record


def _plain(value):
    """Positioned containers to plain dicts and lists (event patterns are free-form)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items() if item is not INVALID}
    if isinstance(value, list):
        return [_plain(item) for item in value if item is not INVALID]
    return value


def _quote_hint(value, raw) -> str:
    """YAML 1.1 reads a plain yes/no/on/off as a boolean: an id so written needs quotes."""
    if isinstance(value, bool) and raw:
        return f" (YAML reads a plain {raw} as a boolean: write '{raw}' in quotes if it is a resource id)"
    return ""


def _aws_problem(type_name: str, name: str, value) -> str | None:
    """What AWS would refuse in an attribute's checked value (awsvalues.py), or None."""
    if name == "description":
        return awsvalues.description_problem(type_name, value)
    if name == "runtime":
        return awsvalues.runtime_problem(value)
    if name == "instance_type":
        return awsvalues.instance_type_problem(value)
    if name == "instance_types":
        return next(filter(None, (awsvalues.instance_type_problem(item, batch=True) for item in value)), None)
    return None
