"""The template being built, and its serialisation as YAML or JSON.

`Template` holds parameters, resources and metadata as plain data. Every resource
is registered with the spec resource it belongs to (its *owner*), which gives two
things: a clear error when two resources would get the same logical id, and a
readable order in the output (each spec resource followed by what was emitted for
it, in the spec's file order).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import networkx as nx
import yaml

from .intrinsics import Inline, InlineMap
from .names import EmitError, logical_id

FORMAT_VERSION = "2010-09-09"


@dataclass
class _Entry:
    logical_id: str
    owner: str
    what: str
    body: dict


@dataclass
class Template:
    graph: nx.MultiDiGraph
    description: str = ""
    parameters: dict = field(default_factory=dict)
    conditions: dict = field(default_factory=dict)
    not_emitted: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    outputs: dict = field(default_factory=dict)  # logical id -> (owner, body)
    metadata: dict = field(default_factory=dict)  # template-level Metadata.archlint entries besides the defaults
    _entries: dict = field(default_factory=dict)  # logical id -> _Entry
    _taken: dict = field(default_factory=dict)  # lower-cased logical id -> _Entry
    cache: dict = field(default_factory=dict)  # values computed once per template (subnet CIDRs)

    def add(
        self,
        owner: str,
        suffix: str,
        type_: str,
        properties: dict | None = None,
        depends_on=(),
        what: str = "",
        keep: str | None = None,
        condition: str | None = None,
    ) -> str:
        """Add a resource named after `owner` (+ `suffix`); return its logical id.

        `what` describes a derived resource for the collision message ("the IAM
        role of 'billing-fn'"). `keep` is the DeletionPolicy and UpdateReplacePolicy
        of a resource that holds data ("Retain", "Snapshot", "Delete"), said explicitly.
        """
        new_id = logical_id(owner, suffix)
        entry = _Entry(new_id, owner, what or f"resource '{owner}'", {"Type": type_})
        clash = self._taken.get(new_id.lower())
        if clash is not None:
            first = self.graph.nodes.get(clash.owner, {}).get("line")
            raise EmitError(
                f"{self._where(owner)}: {entry.what} and {clash.what}{f' (line {first})' if first else ''} would both get the "
                f"logical id '{new_id}'{' (ignoring case)' if clash.logical_id != new_id else ''}; "
                f"rename one of them (logical ids are the resource ids in PascalCase)"
            )
        if condition:
            entry.body["Condition"] = condition
        if keep:
            entry.body["DeletionPolicy"] = keep
            entry.body["UpdateReplacePolicy"] = keep
        if depends_on:
            entry.body["DependsOn"] = sorted(set(depends_on))
        if properties:
            entry.body["Properties"] = properties
        self._entries[new_id] = entry
        self._taken[new_id.lower()] = entry
        return new_id

    def output(self, owner: str, what: str, value, description: str) -> None:
        """An output exported as `<stack name>-<spec id>-<what>`, the stable name other
        stacks import (`Fn::ImportValue`)."""
        name = logical_id(owner, what[:1].upper() + what[1:].replace("-", ""))
        self.outputs[name] = (
            owner,
            {"Description": description, "Value": value, "Export": {"Name": {"Fn::Sub": f"${{AWS::StackName}}-{owner}-{what}"}}},
        )

    def mark(self, logical: str, **values) -> None:
        """Add to a resource's `Metadata.archlint` (what CloudFormation cannot hold)."""
        self._entries[logical].body.setdefault("Metadata", {}).setdefault("archlint", {}).update(values)

    def properties(self, logical: str) -> dict:
        return self._entries[logical].body.setdefault("Properties", {})

    def parameter(self, name: str, body: dict) -> str:
        """Add a template parameter once; its name shares the logical-id namespace."""
        if name not in self.parameters:
            clash = self._taken.get(name.lower())
            if clash is not None:
                raise EmitError(
                    f"{self._where(clash.owner)}: {clash.what} would get the logical id '{clash.logical_id}', "
                    f"which the template needs for its parameter '{name}'; rename the resource"
                )
            self._taken[name.lower()] = _Entry(name, "", f"the parameter '{name}'", {})
            self.parameters[name] = body
        return name

    def _where(self, owner: str) -> str:
        return where(self.graph, owner)

    # ---- output -------------------------------------------------------------

    def as_data(self) -> dict:
        """The whole template as plain data, resources grouped under their owner."""
        order = {node: index for index, node in enumerate(self.graph.nodes)}
        entries = sorted(
            enumerate(self._entries.values()),
            # the spec resource itself first, then what was emitted for it, in the order made
            key=lambda pair: (order.get(pair[1].owner, len(order)), pair[1].logical_id != logical_id(pair[1].owner), pair[0]),
        )
        data: dict = {"AWSTemplateFormatVersion": FORMAT_VERSION}
        if self.description:
            data["Description"] = self.description
        metadata = {"Generator": "archlint emit", "Spec": self.graph.graph.get("name", "")}
        metadata.update(self.metadata)
        if self.not_emitted:
            metadata["NotEmitted"] = self.not_emitted
        if self.notes:
            metadata["Notes"] = self.notes
        data["Metadata"] = {"archlint": metadata}
        if self.parameters:
            data["Parameters"] = dict(sorted(self.parameters.items()))
        if self.conditions:
            data["Conditions"] = dict(sorted(self.conditions.items()))
        data["Resources"] = {entry.logical_id: ordered(entry.body) for _, entry in entries}
        if self.outputs:
            ranked = sorted(self.outputs.items(), key=lambda item: order.get(item[1][0], len(order)))
            data["Outputs"] = {name: body for name, (_, body) in ranked[:OUTPUT_LIMIT]}
        return data

    def to_json(self) -> str:
        return dump(self.as_data(), "json")

    def to_yaml(self) -> str:
        return dump(self.as_data(), "yaml")


def dump(data: dict, output_format: str) -> str:
    """A template's data as JSON or as YAML that CloudFormation reads."""
    if output_format == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return yaml.dump(
        data,
        Dumper=_PlainDumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=100000,  # never fold long strings (ARNs, policies) across lines
    )


# CloudFormation takes at most 200 outputs (refusals.MAX_OUTPUTS); the first ones in
# spec order are written, and emit says how many were left out (a note).
OUTPUT_LIMIT = 200
_KEY_ORDER = ("Type", "Condition", "DeletionPolicy", "UpdateReplacePolicy", "DependsOn", "Metadata", "Properties")


def ordered(body: dict) -> dict:
    """A resource's keys in one fixed order, whenever each was added."""
    return {key: body[key] for key in _KEY_ORDER if key in body}


def where(graph: nx.MultiDiGraph, resource: str) -> str:
    """`file:line:column` of a resource, for messages."""
    node = graph.nodes.get(resource, {})
    return f"{graph.graph.get('file', '<spec>')}:{node.get('line', 0)}:{node.get('column', 0)}"


class _PlainDumper(yaml.SafeDumper):
    """YAML that CloudFormation reads: no tags, no anchors, code as literal blocks."""

    def ignore_aliases(self, data):  # a dict used twice is written twice, not as &id001
        return True


def _represent_text(dumper: yaml.SafeDumper, text: str):
    if "\n" in text:  # inline Lambda code reads as code
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", text)


_PlainDumper.add_representer(str, _represent_text)
_PlainDumper.add_representer(
    Inline, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)
)
_PlainDumper.add_representer(
    InlineMap, lambda dumper, data: dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True)
)
