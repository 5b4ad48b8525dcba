"""Hostile text in every output: ids, labels, descriptions, tags and finding messages
are plain text, escaped for each output's own rules (issue 11)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from archlint.linter.rule import Finding
from archlint.render import render_bytes
from archlint.specs import load_text

from .conftest import DotStructure

LOCAL_IMAGE = "<IMG SRC=\"/usr/share/pixmaps/debian-logo.png\"/>"
ESCAPES = "x\\G\\E\\l\\N\\"  # Graphviz escString sequences, and a trailing backslash
HOSTILE_LABEL = (f"{LOCAL_IMAGE}<A HREF=\"javascript:alert(1)\">go</A><B>x</B> {ESCAPES}")
MERMAID_INJECTION = "ok\nclick r_q call alert(1)\n%%{init: {\"securityLevel\": \"loose\"}}%%\nend"


def hostile_spec() -> nx.MultiDiGraph:
    # YAML double-quoted: \\ is one backslash, \n a newline, \a a bell
    label = HOSTILE_LABEL.replace("\\", "\\\\").replace('"', '\\"')
    injection = MERMAID_INJECTION.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    graph = load_text(f"""\
archlint: 1
name: hostile
description: "{label}"
resources:
  app:
    type: external
    label: "{label}\\a\\x1b[31m"
  q:
    type: sqs.queue
    label: "{injection}"
    tags: {{owner: team-a}}
  fn: {{type: lambda.function}}
flows:
  - {{from: app, to: q, label: "{label}"}}
  - {{from: q, to: fn, label: "{injection}"}}
""", "hostile.yaml")
    # the loader refuses tag values AWS refuses; an imported template may still carry them
    graph.nodes["q"]["tags"] = {"owner": HOSTILE_LABEL}
    return graph


def imported_graph() -> nx.MultiDiGraph:
    """A graph as a template importer could make it: ids with any characters."""
    graph = nx.MultiDiGraph(name="imported", file="template.yaml", region="us-east-1")
    odd = 'Evil"Id\\'
    graph.add_node(odd, type="AWS::DynamoDB::Table", line=3, column=3, label=HOSTILE_LABEL)
    graph.add_node("fn\nclick", type="lambda.function", line=9, column=3)
    graph.add_edge("fn\nclick", odd, kind="flow", relation="write", invocation=None, label=HOSTILE_LABEL,
                   line=20, column=5)
    return graph


def findings_for(graph) -> list[Finding]:
    return [Finding("hostile.yaml", 1, 1, "DLQ001", resource, "error", HOSTILE_LABEL, HOSTILE_LABEL)
            for resource in graph.nodes]


GRAPHS = {"spec": hostile_spec, "imported": imported_graph}


@pytest.mark.parametrize("make", GRAPHS.values(), ids=GRAPHS.keys())
def test_dot_is_read_by_graphviz_and_labels_stay_text(make):
    graph = make()
    source = render_bytes(graph, "dot", findings=findings_for(graph)).data.decode()
    DotStructure(source)  # real dot parses it without an error
    labels = " ".join(re.findall(r"label=<(.*?)>[ \]]", source))
    assert "<IMG SRC=\"/usr" not in labels and "HREF=" not in labels.replace("&lt;A HREF", "")
    assert "<B>x</B>" not in labels and "&lt;IMG SRC=&quot;/usr/share/pixmaps" in labels
    assert "\x07" not in source and "\x1b" not in source


@pytest.mark.parametrize("make", GRAPHS.values(), ids=GRAPHS.keys())
def test_svg_has_no_foreign_image_no_link_and_shows_the_characters(make):
    graph = make()
    svg = render_bytes(graph, "svg", findings=findings_for(graph)).data.decode()
    ET.fromstring(svg)  # well-formed XML, control characters and all
    assert "debian-logo" not in re.sub(r"&lt;IMG SRC=&quot;[^&]*&quot;", "", svg)  # only as text
    assert "javascript:" not in re.sub(r"&lt;A HREF=&quot;javascript:alert\(1\)&quot;&gt;", "", svg)
    assert not re.search(r"<a\b[^>]*href", svg)  # no link element at all
    assert "x\\G\\E\\l\\N\\" in svg  # escString sequences drawn as written


@pytest.mark.parametrize("make", GRAPHS.values(), ids=GRAPHS.keys())
def test_png_does_not_embed_a_local_file(make):
    graph = make()
    rendered = render_bytes(graph, "png", findings=findings_for(graph))
    assert rendered.data.startswith(b"\x89PNG")


@pytest.mark.parametrize("make", GRAPHS.values(), ids=GRAPHS.keys())
def test_mermaid_labels_cannot_start_statements(make):
    graph = make()
    source = render_bytes(graph, "mmd", findings=findings_for(graph)).data.decode()
    for line in source.splitlines():
        stripped = line.strip()
        assert not stripped.startswith(("click", "%%{", "call")), line
        assert stripped != "end" or line.startswith("  ")  # only our own subgraph ends
    assert not re.search(r"[\x00-\x08\x0b-\x1f]", source)
    assert "<IMG" not in source and "<B>" not in source  # entity codes instead


@pytest.mark.parametrize("make", GRAPHS.values(), ids=GRAPHS.keys())
def test_drawio_is_well_formed_and_never_html(make):
    graph = make()
    data = render_bytes(graph, "drawio", findings=findings_for(graph)).data
    document = ET.fromstring(data)
    styles = [cell.get("style") or "" for cell in document.iter("mxCell")]
    assert not any("html=1" in style for style in styles)
    labels = [obj.get("label") for obj in document.iter("UserObject")]
    assert any(label and "<IMG SRC=" in label for label in labels)  # the characters, as text


def test_mermaid_ids_of_any_characters_are_spelled_safely():
    source = render_bytes(imported_graph(), "mmd").data.decode()
    assert 'Evil"Id' not in source and "fn\nclick" not in source
    assert re.search(r"\bx_[0-9a-f]+\[", source)
