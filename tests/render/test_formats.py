"""Every example spec in every format, through real Graphviz; portable, deterministic files."""

from __future__ import annotations

import glob
import os
import re

import pytest

from archlint.linter.engine import lint
from archlint.linter.registry import all_rules
from archlint.render import FORMATS, render_bytes, render_diagram
from archlint.render.svg_embed import png_size
from archlint.specs import load_spec

from .conftest import DotStructure

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = sorted(glob.glob(os.path.join(ROOT, "specs", "examples", "*.yaml"))
                  + glob.glob(os.path.join(ROOT, "specs", "examples", "flawed", "*.yaml")))
SIGNATURES = {"png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-", "svg": b"<?xml", "dot": b"// drawn by archlint",
              "mmd": b"%% ", "drawio": b"<mxfile", "html": b"<!DOCTYPE html>"}


def test_there_are_examples_to_draw():
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize("output_format", sorted(set(FORMATS.values())))
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: os.path.relpath(path, ROOT))
def test_every_example_renders_in_every_format(path, output_format, tmp_path):
    graph = load_spec(path)
    findings = lint(graph, all_rules())
    out = tmp_path / f"diagram.{output_format}"
    warnings = render_diagram(graph, str(out), findings=findings)
    data = out.read_bytes()
    assert data.startswith(SIGNATURES[output_format])
    assert warnings == []
    if output_format == "dot":
        dot = DotStructure(data.decode())
        drawn = set(dot.nodes) | {name.split("_", 2)[-1] for name in dot.clusters}
        for resource, node in graph.nodes(data=True):
            assert resource in drawn or any(name.startswith(f"cluster_PG_{resource}_IN_") for name in dot.clusters)
        for finding in findings:  # every finding is on the picture
            marked = dot.nodes.get(finding.resource, {}).get("label", "") + "".join(
                cluster["label"] for name, cluster in dot.clusters.items() if finding.resource in name) + "".join(
                attrs.get("label", "") for tail, head, attrs in dot.edges if finding.resource in (tail, head))
            assert finding.rule in marked, (finding.rule, finding.resource)
    if output_format == "pdf":
        assert b"/Subtype /Image" in data  # the icons made it into the PDF
    if output_format == "png":
        width, height = png_size(data)
        assert width > 200 and height > 200


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: os.path.relpath(path, ROOT))
def test_svg_embeds_its_icons_and_links_no_file(path):
    graph = load_spec(path)
    svg = render_bytes(graph, "svg", findings=lint(graph, all_rules())).data.decode()
    links = re.findall(r'(?:xlink:)?href="([^"]*)"', svg)
    assert links, "an SVG of a spec has icons"
    assert not any(link.startswith(("file:", "/")) or link.endswith(".png") for link in links)
    symbols = set(re.findall(r'<symbol id="([^"]+)"', svg))
    used = {link[1:] for link in links if link.startswith("#")}
    assert used and used <= symbols
    assert all(link.startswith(("#", "data:image/png;base64,")) for link in links)
    assert "<image " not in svg.split("</defs>", 1)[1]  # only inside the symbols


@pytest.mark.parametrize("output_format", ["dot", "mmd"])
@pytest.mark.parametrize("path", EXAMPLES[:3] + EXAMPLES[-3:], ids=lambda path: os.path.relpath(path, ROOT))
def test_text_formats_are_byte_identical_across_runs(path, output_format):
    first = render_bytes(load_spec(path), output_format, findings=lint(load_spec(path), all_rules())).data
    second = render_bytes(load_spec(path), output_format, findings=lint(load_spec(path), all_rules())).data
    assert first == second


def test_node_ids_are_resource_ids_not_random(network_graph):
    source = render_bytes(network_graph, "dot").data.decode()
    assert not re.search(r"[0-9a-f]{32}", source)  # diagrams' uuid4().hex ids
    assert '\t"orders-dlq" [label=' in source


def test_the_dot_does_not_depend_on_where_python_is_installed(network_graph):
    source = render_bytes(network_graph, "dot").data.decode()
    assert "site-packages" not in source and os.path.dirname(ROOT) not in source
