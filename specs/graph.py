"""Building the networkx graph of docs/spec.md ("The graph") from checked resources and
flows. Nothing is checked here: everything that reaches this module is valid."""

from __future__ import annotations

import networkx as nx

from . import types as T
from .crosscheck import reference_targets
from .flowreader import Flow
from .reader import Resource


def build_graph(file: str, top: dict, file_ignore: dict, spec_positions: dict,
                resources: list[Resource], flows: list[Flow]) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(
        file=file,
        name=top["name"],
        description=top["description"],
        region=top["region"],
        ignore=file_ignore,
        positions=spec_positions,
    )
    for resource in resources:
        # `unknown`: attributes a CloudFormation template does not fix (specs leave none)
        graph.add_node(resource.id, type=resource.type, **{"unknown": [], **resource.values},
                       line=resource.line, column=resource.column, positions=resource.positions)
    for resource in resources:
        _add_reference_edges(graph, resource)
    for flow in flows:
        graph.add_edge(
            flow.source, flow.target, kind="flow", relation=flow.relation,
            invocation=flow.invocation, label=flow.label, events=flow.events,
            prefix=flow.prefix, suffix=flow.suffix, line=flow.line, column=flow.column,
            entry=flow.entry, unknown=[],  # a flow's attributes a template does not fix (specs leave none)
        )
    return graph


def _add_reference_edges(graph: nx.MultiDiGraph, resource: Resource) -> None:
    for name, position_key, target, _accepted in reference_targets(resource):
        attribute = T.TYPES[resource.type][name]
        if attribute.kind == T.LIFECYCLE_HOOKS:
            index = int(position_key.split("[")[1].split("]")[0])
            line, column = resource.positions[f"{name}[{index}]"]
            transition = resource.values[name][index]["transition"]
            graph.add_edge(resource.id, target, kind="ref", relation="lifecycle_hook",
                           transition=transition, line=line, column=column)
        elif attribute.kind == T.SG_RULES:
            index = int(position_key.split("[")[1].split("]")[0])
            line, column = resource.positions[f"{name}[{index}]"]
            graph.add_edge(resource.id, target, kind="ref", relation="group",
                           rule=index, line=line, column=column)
        else:
            line, column = resource.positions[name]
            graph.add_edge(resource.id, target, kind="ref", relation=name, line=line, column=column)
