"""Intrinsic functions: what a template value is, as far as the template itself tells.

`Resolver.value(node)` turns a template value into plain data where it can: `Ref` and
`Fn::GetAtt` of a resource become `ResourceRef`, literal `Fn::Sub`, `Fn::Join`,
`Fn::Select` and `Fn::FindInMap` are computed, and everything that depends on the
stack's inputs (a parameter, a condition, a pseudo parameter such as the region, an
imported value, the Availability Zones of the region) becomes `Unknown`, carrying the
reason. `Ref: AWS::NoValue` becomes `NO_VALUE` (the property is absent).

Nothing here guesses: a parameter's default is not its value, since every deployment
may pass another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class ResourceRef:
    """`Ref: X` (attribute None) or `Fn::GetAtt: [X, attribute]` of a resource X."""

    logical_id: str
    attribute: str | None = None


@dataclass(frozen=True)
class Unknown:
    """A value the template does not fix. `text` keeps a `Fn::Sub` string for patterns."""

    reason: str
    text: str | None = None


class _NoValue:
    def __repr__(self) -> str:
        return "NO_VALUE"


NO_VALUE = _NoValue()

_SUB_VARIABLE = re.compile(r"\$\{([^}!][^}]*)\}")


class Resolver:
    def __init__(self, body: dict):
        self.resources = body.get("Resources") or {}
        self.parameters = body.get("Parameters") or {}
        self.mappings = body.get("Mappings") or {}

    def value(self, node):
        """The plain value of `node`: containers resolved item by item."""
        if isinstance(node, dict):
            if len(node) == 1:
                (key, argument), = node.items()
                if key == "Ref" or (isinstance(key, str) and key.startswith("Fn::")):
                    return self._function(str(key), argument)
            return {str(key): self.value(item) for key, item in node.items()}
        if isinstance(node, list):
            return [self.value(item) for item in node]
        if isinstance(node, str):
            return str(node)  # drop the decoder's node class
        return node

    def _function(self, name: str, argument):
        handler = _FUNCTIONS.get(name)
        if handler is None:
            return Unknown(f"{name} is not evaluated")
        try:
            return handler(self, argument)
        except (TypeError, ValueError, KeyError, IndexError, AttributeError):
            return Unknown(f"a malformed {name}")

    def _ref(self, argument):
        name = str(argument)
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in self.resources:
            return ResourceRef(name)
        if name in self.parameters:
            return Unknown(f"the parameter {name}")
        if name.startswith("AWS::"):
            return Unknown(f"the pseudo parameter {name}")
        return Unknown(f"Ref to {name}, which the template does not define")

    def _get_att(self, argument):
        if isinstance(argument, str):
            logical_id, _, attribute = argument.partition(".")
        else:
            logical_id, attribute = argument[0], self.value(argument[1])
        if logical_id in self.resources and isinstance(attribute, str):
            return ResourceRef(str(logical_id), attribute)
        return Unknown(f"Fn::GetAtt of {logical_id}")

    def _sub(self, argument):
        if isinstance(argument, list):
            text, variables = argument[0], {str(k): self.value(v) for k, v in (argument[1] or {}).items()}
        else:
            text, variables = argument, {}
        text = str(text)
        whole = _SUB_VARIABLE.fullmatch(text)
        if whole and whole.group(1) not in variables:
            # "${Queue.Arn}" or "${Queue}": a reference, like GetAtt or Ref
            logical_id, _, attribute = whole.group(1).partition(".")
            if logical_id in self.resources:
                return ResourceRef(logical_id, attribute or None)
        unknown = None

        def replace(match):
            nonlocal unknown
            name = match.group(1)
            if name in variables:
                value = variables[name]
            else:
                logical_id, _, attribute = name.partition(".")
                value = self._get_att([logical_id, attribute]) if attribute else self._ref(logical_id)
            if isinstance(value, (str, int)) and not isinstance(value, bool):
                return str(value)
            unknown = unknown or Unknown(f"Fn::Sub uses {name}", text)
            return match.group(0)

        result = _SUB_VARIABLE.sub(replace, text)
        return unknown if unknown else result.replace("${!", "${")

    def _join(self, argument):
        delimiter, items = self.value(argument[0]), self.value(argument[1])
        if not isinstance(delimiter, str) or not isinstance(items, list):
            return Unknown("Fn::Join of an unknown list")
        if all(isinstance(item, (str, int)) and not isinstance(item, bool) for item in items):
            return delimiter.join(str(item) for item in items)
        return Unknown("Fn::Join of unknown parts")

    def _select(self, argument):
        index, items = self.value(argument[0]), self.value(argument[1])
        if isinstance(index, str) and index.isdigit():
            index = int(index)
        if isinstance(index, int) and isinstance(items, list) and 0 <= index < len(items):
            return items[index]
        if isinstance(items, Unknown):
            return items
        return Unknown("Fn::Select from an unknown list")

    def _find_in_map(self, argument):
        keys = [self.value(part) for part in argument[:3]]
        if not all(isinstance(key, str) for key in keys):
            return Unknown(f"Fn::FindInMap with a key the template does not fix ({_reason(keys)})")
        name, top, second = keys
        return self.value(self.mappings[name][top][second])

    def _if(self, argument):
        condition, yes, no = argument[0], self.value(argument[1]), self.value(argument[2])
        if yes == no:
            return yes
        return Unknown(f"the condition {condition}")

    def _import_value(self, argument):
        return Unknown("a value imported from another stack (Fn::ImportValue)")

    def _get_azs(self, argument):
        return Unknown("the Availability Zones of the region (Fn::GetAZs)")


def _reason(values) -> str:
    return ", ".join(value.reason for value in values if isinstance(value, Unknown)) or "not text"


_FUNCTIONS = {
    "Ref": Resolver._ref,
    "Fn::GetAtt": Resolver._get_att,
    "Fn::Sub": Resolver._sub,
    "Fn::Join": Resolver._join,
    "Fn::Select": Resolver._select,
    "Fn::FindInMap": Resolver._find_in_map,
    "Fn::If": Resolver._if,
    "Fn::ImportValue": Resolver._import_value,
    "Fn::GetAZs": Resolver._get_azs,
}
