"""The JSON Schema of spec format 1, generated from the loader's own tables, for
editors (`archlint schema`; the YAML language server reads it).

Everything comes from `types.py` (TYPES, COMMON, RECORD_FIELDS, SPEC_KEYS, FLOW_KEYS),
`flows.py` (what each type may flow to, in the type's description) and the patterns
of `reader.py` and `values.py`, so the schema cannot drift from what the loader
accepts. It is JSON Schema draft-07: the YAML language server (and VS Code's JSON
support under it) implements draft-07 fully and later drafts only in part.

The schema checks what a schema can: keys, types, enums, ranges, patterns. What needs
the whole file (a reference to a missing id, a subnet outside its VPC's CIDR, a flow
between types that cannot talk) is left to `archlint check`, which also says where.
Each resource is checked against its type's attributes through `if`/`then` on `type`,
so completion offers exactly that type's attributes and an unknown one is flagged.
"""

from __future__ import annotations

from . import types as T
from .flows import targets_of
from .reader import REGION, RESOURCE_ID, RULE_SELECTOR
from .values import S3_EVENT

DRAFT = "http://json-schema.org/draft-07/schema#"

# scalars the loader reads as text: a YAML number or boolean is accepted and read as
# its text (docs/spec.md: `label: 404` is text)
TEXTUAL = {"type": ["string", "number", "boolean"]}
RESOURCE_ID_SCHEMA = {"type": "string", "pattern": RESOURCE_ID.pattern}
CIDR_SCHEMA = {"type": "string", "pattern": r"^[0-9A-Fa-f.:]+/[0-9]{1,3}$",
               "description": "an IPv4 or IPv6 network such as 10.0.0.0/16"}
PORTS_SCHEMA = {"oneOf": [
    {"type": "integer", "minimum": 0, "maximum": 65535},
    {"type": "string", "pattern": r"^\s*\d+\s*(-\s*\d+\s*)?$"},
]}


def spec_schema() -> dict:
    """The whole schema, as a JSON-ready dict (deterministic: sorted where unordered)."""
    definitions = {"resource": _resource_schema(), "ignore": _ignore_schema(), "flow": _flow_schema()}
    for type_name, attributes in T.TYPES.items():
        definitions[_definition_name(type_name)] = _type_schema(type_name, attributes)
    return {
        "$schema": DRAFT,
        "title": "archlint spec, format 1",
        "description": "An AWS architecture for archlint (the format: `archlint schema --markdown`). Check it with `archlint check`.",
        "type": "object",
        "required": list(T.SPEC_REQUIRED),
        "additionalProperties": False,
        "properties": {
            "archlint": {"const": 1, "description": T.SPEC_KEYS["archlint"]},
            "name": {**RESOURCE_ID_SCHEMA, "description": T.SPEC_KEYS["name"]},
            "description": {**TEXTUAL, "description": T.SPEC_KEYS["description"]},
            "region": {"type": "string", "pattern": REGION.pattern, "default": "us-east-1",
                       "description": T.SPEC_KEYS["region"]},
            "resources": {
                "type": "object",
                "minProperties": 1,
                "propertyNames": RESOURCE_ID_SCHEMA,
                "additionalProperties": {"$ref": "#/definitions/resource"},
                "description": T.SPEC_KEYS["resources"],
            },
            "flows": {"type": "array", "items": {"$ref": "#/definitions/flow"}, "description": T.SPEC_KEYS["flows"]},
            "ignore": {"$ref": "#/definitions/ignore", "description": T.SPEC_KEYS["ignore"]},
        },
        "definitions": definitions,
    }


def _definition_name(type_name: str) -> str:
    return "type:" + type_name


def _resource_schema() -> dict:
    """Any resource: a `type` from the table, then the attributes of that type."""
    return {
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"enum": list(T.TYPES), "description": "the resource type (see `archlint schema --markdown`)"}},
        "allOf": [
            {"if": {"properties": {"type": {"const": type_name}}, "required": ["type"]},
             "then": {"$ref": f"#/definitions/{_definition_name(type_name)}"}}
            for type_name in T.TYPES
        ],
    }


def _type_schema(type_name: str, attributes: dict) -> dict:
    properties = {"type": {"const": type_name}}
    required = ["type"]
    for name, attribute in {**T.COMMON, **attributes}.items():
        if name == "type":
            continue
        properties[name] = _attribute_schema(name, attribute)
        if attribute.required:
            required.append(name)
    targets = targets_of(type_name)
    description = f"{type_name}: flows to {', '.join(targets)}" if targets else f"{type_name}: only receives flows"
    return {"type": "object", "description": description, "required": required,
            "properties": properties, "additionalProperties": False}


def _attribute_schema(name: str, attribute: T.Attribute) -> dict:
    schema = dict(_kind_schema(name, attribute))
    description = attribute.doc
    if attribute.refs:
        description = (description + "; " if description else "") + "the id of a " + " or ".join(attribute.refs)
    if attribute.default is not None and attribute.default is not T.DERIVED:
        schema["default"] = attribute.default
    if description:
        schema["description"] = description
    return _nullable(schema)


def _kind_schema(name: str, attribute: T.Attribute) -> dict:
    kind = attribute.kind
    if kind in (T.TEXT, T.AZ):
        return dict(TEXTUAL)
    if kind == T.BOOL:
        return {"type": "boolean"}
    if kind == T.INT:
        return {"type": "integer", "minimum": attribute.minimum, "maximum": attribute.maximum}
    if kind == T.CHOICE:
        return {"enum": list(attribute.choices)}
    if kind == T.REF:
        return dict(RESOURCE_ID_SCHEMA)
    if kind == T.REF_LIST:
        return _one_or_list(RESOURCE_ID_SCHEMA, unique=True)
    if kind == T.CIDR:
        return dict(CIDR_SCHEMA)
    if kind == T.CIDR_LIST:
        return _one_or_list(CIDR_SCHEMA)
    if kind == T.TEXT_LIST:
        return _one_or_list(TEXTUAL)
    if kind == T.SCHEDULE:
        return {"type": "string", "pattern": r"^\s*(rate|cron)\(.*\)\s*$"}
    if kind == "ports":
        return dict(PORTS_SCHEMA)
    if kind == T.MAPPING:
        if name == "ignore":
            return {"$ref": "#/definitions/ignore"}
        if name == "tags":
            return {"type": "object", "additionalProperties": TEXTUAL}
        return {"type": "object"}  # an event pattern is free-form
    if kind == T.WEIGHTS:
        return {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0, "maximum": 999}}
    if kind in T.RECORD_FIELDS:
        return {"type": "array", "items": _record_schema(T.RECORD_FIELDS[kind])}
    raise AssertionError(f"no JSON Schema for attribute kind {kind}")


def _record_schema(fields: dict) -> dict:
    return {
        "type": "object",
        "properties": {name: _attribute_schema(name, attribute) for name, attribute in fields.items()},
        "required": [name for name, attribute in fields.items() if attribute.required],
        "additionalProperties": False,
    }


def _one_or_list(item: dict, unique: bool = False) -> dict:
    """docs/spec.md: where a list is expected, a single value is read as a one-item list."""
    listed = {"type": "array", "items": item}
    if unique:
        listed["uniqueItems"] = True
    return {"anyOf": [listed, item]}


def _nullable(schema: dict) -> dict:
    """The loader reads `key:` with no value (null) as the key left out."""
    if isinstance(schema.get("type"), str):
        return {**schema, "type": [schema["type"], "null"]}
    if isinstance(schema.get("type"), list):
        return {**schema, "type": [*schema["type"], "null"]}
    if "enum" in schema:
        return {**schema, "enum": [*schema["enum"], None]}
    if "anyOf" in schema:
        return {**schema, "anyOf": [*schema["anyOf"], {"type": "null"}]}
    if "oneOf" in schema:
        return {**schema, "oneOf": [*schema["oneOf"], {"type": "null"}]}
    return schema  # a $ref: null is not offered


def _ignore_schema() -> dict:
    return {
        "type": "object",
        "description": "rule id (DLQ001) or family prefix (DLQ) -> the reason for ignoring it",
        "propertyNames": {"pattern": RULE_SELECTOR.pattern},
        "additionalProperties": {"type": "string", "pattern": r"\S"},
    }


def _flow_schema() -> dict:
    names = {"anyOf": [{"type": "array", "items": RESOURCE_ID_SCHEMA, "uniqueItems": True}, RESOURCE_ID_SCHEMA]}
    events = {"anyOf": [{"type": "array", "items": {"type": "string", "pattern": f"^{S3_EVENT.pattern}$"}},
                        {"type": "string", "pattern": f"^{S3_EVENT.pattern}$"}],
              "default": ["s3:ObjectCreated:*"],
              "description": "S3 event names, on a flow from an s3.bucket"}
    mapping = {
        "type": "object",
        "required": ["from", "to"],
        "additionalProperties": False,
        "properties": {
            "from": {**RESOURCE_ID_SCHEMA, "description": "the sender's id"},
            "to": {**names, "description": "the receiver's id, or a list of them (one flow each)"},
            "label": {**TEXTUAL, "description": "what the diagram writes on the arrow"},
            "events": events,
            "prefix": {**TEXTUAL, "description": "S3 key prefix, on a flow from or into an s3.bucket"},
            "suffix": {**TEXTUAL, "description": "S3 key suffix, on a flow from or into an s3.bucket"},
            "async": {"type": "boolean", "default": False, "description": "between two functions: an asynchronous invoke"},
        },
    }
    assert set(mapping["properties"]) == set(T.FLOW_KEYS), "FLOW_KEYS changed: describe the new key here"
    chain = {"type": "string", "pattern": r"^[^>]*\S\s*->\s*\S.*$", "description": "a -> b, or a chain a -> b -> c"}
    return {"anyOf": [chain, mapping], "description": "who sends, publishes, triggers or routes to whom"}
