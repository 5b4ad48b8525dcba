"""`Fn::ForEach` of the `AWS::LanguageExtensions` transform, expanded in `Resources` as
CloudFormation does before anything else reads the template.

    'Fn::ForEach::Topics':
      - Name                      # the identifier
      - [Orders, Refunds]         # the collection
      - 'Topic${Name}':           # the output key: one resource per item
          Type: AWS::SNS::Topic
          Properties: {TopicName: !Sub '${Name}-topic'}

Every `${Identifier}` and `&{Identifier}` in the output key and in the fragment becomes
the item (`&{}` with the item's non-alphanumeric characters removed, so that an item
such as `10.0.1.0/24` can make a logical id), and `Ref: Identifier` becomes the item.
A loop may hold loops. Source: "Fn::ForEach", AWS CloudFormation Template Reference,
https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-foreach.html

A collection CloudFormation fixes only at deployment (a `Ref` to a `CommaDelimitedList`
parameter, whose default a deployment may override, or any other function) is not
guessed: the loop's resources are unknown, kept as one opaque resource per output key
named after the loop (`UNEXPANDED`), so they stay drawn and no rule reads them.

Generated keys and values keep the marks of what they were copied from, so positions
point into the loop.
"""

from __future__ import annotations

import re

from cfnlint.decode.node import dict_node, list_node, str_node

LANGUAGE_EXTENSIONS = "AWS::LanguageExtensions"
PREFIX = "Fn::ForEach::"


class ForEachError(Exception):
    """A loop CloudFormation would refuse; `key` is the loop's key, for its position."""

    def __init__(self, key, message: str):
        super().__init__(message)
        self.key = key


def uses_language_extensions(template: dict) -> bool:
    transform = template.get("Transform")
    transforms = transform if isinstance(transform, list) else [transform]
    return LANGUAGE_EXTENSIONS in transforms


def expand_resources(template: dict) -> dict[str, str]:
    """Expand every loop of `Resources` in place. Returns {logical id: why unknown} for
    the placeholders of loops whose collection the template does not fix."""
    resources = template.get("Resources")
    unexpanded: dict[str, str] = {}
    if isinstance(resources, dict):
        template["Resources"] = _expand_mapping(resources, {}, unexpanded)
    return unexpanded


def _expand_mapping(mapping: dict, bindings: dict, unexpanded: dict) -> dict:
    expanded = {}
    for key, value in mapping.items():
        if isinstance(key, str) and key.startswith(PREFIX):
            expanded.update(_expand_loop(key, value, bindings, unexpanded))
        else:
            expanded[_substitute_key(key, bindings)] = _substitute(value, bindings, unexpanded)
    return _like(mapping, expanded)


def _expand_loop(key: str, loop, bindings: dict, unexpanded: dict) -> dict:
    if not (isinstance(loop, list) and len(loop) == 3 and isinstance(loop[0], str) and isinstance(loop[2], dict)):
        raise ForEachError(key, f"'{key}' needs three items: an identifier, a collection and a mapping of output keys")
    identifier, collection, fragment = loop
    collection = _substitute(collection, bindings, unexpanded)
    name = key[len(PREFIX):]
    if not isinstance(collection, list) or not all(isinstance(item, (str, int, float)) for item in collection):
        return _placeholders(key, name, fragment, unexpanded)
    expanded: dict = {}
    for item in collection:
        inner = {**bindings, identifier: str(item)}
        for output_key, value in _expand_mapping(fragment, inner, unexpanded).items():
            if output_key in expanded:
                raise ForEachError(key, f"'{key}' makes the logical id '{output_key}' twice")
            expanded[output_key] = value
    return expanded


def _placeholders(key: str, name: str, fragment: dict, unexpanded: dict) -> dict:
    """One opaque resource per output key, named after the loop, for a collection known
    only at deployment."""
    placeholders = {}
    for number, (output_key, value) in enumerate(fragment.items(), start=1):
        if isinstance(output_key, str) and output_key.startswith(PREFIX):
            continue  # a loop in a loop of unknown length: the outer placeholder stands for it
        if not (isinstance(value, dict) and isinstance(value.get("Type"), str)):
            continue
        logical_id = name if len(fragment) == 1 else f"{name}{number}"
        placeholder_key = str_node(logical_id, *_marks(key))
        placeholders[placeholder_key] = dict_node({"Type": value["Type"]}, *_marks(value))
        unexpanded[logical_id] = (f"the resources of the loop '{key}' ('{output_key}'): its collection is known "
                                  f"only when the stack is deployed")
    return placeholders


def _substitute(value, bindings: dict, unexpanded: dict):
    if isinstance(value, dict):
        if len(value) == 1 and "Ref" in value and value["Ref"] in bindings:
            return str_node(bindings[value["Ref"]], *_marks(value))
        return _expand_mapping(value, bindings, unexpanded)
    if isinstance(value, list):
        return list_node([_substitute(item, bindings, unexpanded) for item in value], *_marks(value))
    if isinstance(value, str) and bindings:
        return _like(value, _replace(value, bindings))
    return value


def _substitute_key(key, bindings: dict):
    return _like(key, _replace(key, bindings)) if isinstance(key, str) and bindings else key


def _replace(text: str, bindings: dict) -> str:
    for identifier, item in bindings.items():
        text = text.replace("${" + identifier + "}", item)
        text = text.replace("&{" + identifier + "}", re.sub(r"[^A-Za-z0-9]", "", item))
    return text


def _marks(node) -> tuple:
    return getattr(node, "start_mark", None), getattr(node, "end_mark", None)


def _like(original, new):
    """`new` with `original`'s marks, so positions still point into the template."""
    start, end = _marks(original)
    if start is None:
        return new
    if isinstance(new, dict):
        return dict_node(new, start, end)
    if isinstance(new, str):
        return str_node(new, start, end)
    return new
