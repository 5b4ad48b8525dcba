"""draw.io export: valid diagrams.net XML, draw.io's own AWS shapes, the Graphviz layout."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET

import pytest

from archlint.linter.engine import lint
from archlint.linter.registry import all_rules
from archlint.render import render_bytes
from archlint.render.drawio import SHAPES_FILE, known_shape_names
from archlint.specs import load_spec

from .test_formats import EXAMPLES, ROOT

AWS4_NAME = re.compile(r"(?:shape|resIcon|grIcon)=mxgraph\.aws4\.([A-Za-z0-9_]+)")


def drawio(graph, **options) -> ET.Element:
    return ET.fromstring(render_bytes(graph, "drawio", **options).data)


def cells(document: ET.Element) -> list[tuple[ET.Element, ET.Element]]:
    """(holder, mxCell) of every cell: the holder is a UserObject when there is one."""
    root = document.find("./diagram/mxGraphModel/root")
    found = []
    for child in root:
        if child.tag == "mxCell":
            found.append((child, child))
        elif child.tag == "UserObject":
            found.append((child, child.find("mxCell")))
    return found


def drawn_resources(graph) -> set[str]:
    """Resources drawn as shapes: everything but VPCs, subnets and placement groups with members."""
    members = {data.get("placement_group") for _, data in graph.nodes(data=True)}
    return {resource for resource, data in graph.nodes(data=True)
            if data["type"] not in ("vpc", "subnet")
            and not (data["type"] == "placement_group" and data.get("strategy") == "cluster" and resource in members)}


def test_the_shape_list_names_its_source():
    with open(SHAPES_FILE, encoding="utf-8") as stream:
        header = stream.read(600)
    assert "Sidebar-AWS4.js" in header and "jgraph/drawio" in header
    assert {"lambda", "sqs", "group_region", "group_vpc"} <= known_shape_names()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: os.path.relpath(path, ROOT))
def test_every_example_is_a_valid_drawio_file_with_one_aws_shape_per_resource(path):
    graph = load_spec(path)
    document = drawio(graph, findings=lint(graph, all_rules()))
    assert document.tag == "mxfile"
    assert document.find("./diagram/mxGraphModel/root") is not None
    all_cells = cells(document)
    ids = [holder.get("id") for holder, _ in all_cells]
    assert ids[:2] == ["0", "1"] and len(ids) == len(set(ids))
    known = set(ids)
    shapes_by_resource: dict[str, int] = {}
    for holder, cell in all_cells[2:]:
        assert cell.get("parent") in known  # every cell hangs in the tree
        style = cell.get("style") or ""
        for name in AWS4_NAME.findall(style):
            assert name in known_shape_names(), name  # a real draw.io shape, not a guess
        if cell.get("edge") == "1":
            assert cell.get("source") in known and cell.get("target") in known
        elif "resourceIcon" in style or re.search(r"shape=mxgraph\.aws4\.(?!group)", style):
            resource = holder.get("archlint_resource")
            shapes_by_resource[resource] = shapes_by_resource.get(resource, 0) + 1
    assert shapes_by_resource == {resource: 1 for resource in drawn_resources(graph)}


def test_network_groups_are_aws_group_shapes_nested_as_containers(network_graph):
    document = drawio(network_graph)
    by_id = {holder.get("id"): (holder, cell) for holder, cell in cells(document)}
    def value(holder, cell):
        return holder.get("label") if holder.tag == "UserObject" else cell.get("value")
    groups = {value(h, c).split(" · ")[0]: (h, c) for h, c in by_id.values() if "container=1" in (c.get("style") or "")}
    assert "grIcon=mxgraph.aws4.group_region" in groups["Region eu-west-1"][1].get("style")
    assert "grIcon=mxgraph.aws4.group_vpc" in groups["VPC main"][1].get("style")
    subnet = groups["subnet web-a"][1]
    assert "grIcon=mxgraph.aws4.group_security_group" in subnet.get("style")
    # nesting: subnet in its AZ, the AZ in the VPC, the VPC in the region
    az = by_id[subnet.get("parent")]
    assert value(*az) == "eu-west-1a"
    assert by_id[az[1].get("parent")][1] is groups["VPC main"][1]
    # positions relative to the container, inside it
    geometry = subnet.find("mxGeometry")
    assert float(geometry.get("x")) >= 0 and float(geometry.get("y")) >= 0


def test_findings_are_an_outline_in_their_colour_and_a_tooltip(network_graph):
    from archlint.linter.rule import Finding
    from archlint.render.styles import SEVERITY_COLORS

    finding = Finding("shop.yaml", 1, 1, "DLQ001", "worker", "warning", "worker has no DLQ", "add one")
    document = drawio(network_graph, findings=[finding])
    frames = [(h, c) for h, c in cells(document) if (h.get("id") or "").endswith("-finding")]
    assert len(frames) == 1
    holder, cell = frames[0]
    assert f"strokeColor={SEVERITY_COLORS['warning']}" in cell.get("style")
    assert "worker has no DLQ" in holder.get("tooltip")
    worker = next(h for h, c in cells(document) if h.get("archlint_resource") == "worker")
    assert "DLQ001" in worker.get("label") and "worker has no DLQ" in worker.get("tooltip")


def test_edges_keep_their_style(network_graph):
    document = drawio(network_graph)
    styles = [c.get("style") for _, c in cells(document) if c.get("edge") == "1"]
    assert any("dashed=1" in style and "#1A73E8" in style for style in styles)  # async
    assert any("dashPattern=1 3" in style for style in styles)  # polled, dotted
