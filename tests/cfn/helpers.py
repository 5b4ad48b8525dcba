"""Small helpers for the importer's tests: a template from text, flows as tuples."""

from __future__ import annotations

import textwrap

from archlint.linter.engine import lint_graph
from archlint.linter.registry import all_rules
from archlint.specs.cfn import load_template_text


def load(text: str, file: str = "template.yaml"):
    return load_template_text(textwrap.dedent(text), file)


def flows(graph) -> set[tuple[str, str, str]]:
    return {(s, t, d["relation"]) for s, t, d in graph.edges(data=True) if d["kind"] == "flow"}


def refs(graph) -> set[tuple[str, str, str]]:
    return {(s, t, d["relation"]) for s, t, d in graph.edges(data=True) if d["kind"] == "ref"}


def findings(graph) -> set[tuple[str, str]]:
    return {(f.rule, f.resource) for f in lint_graph(graph, all_rules()).findings}
