"""Views of part of an architecture, and large pictures kept readable (issue 16)."""

from __future__ import annotations

import importlib.util
import os
import re
import struct
import xml.etree.ElementTree as ET

import pytest

from archlint.render import render_bytes
from archlint.render.fold import MAX_RATIO
from archlint.render.run_dot import BITMAP_LIMIT
from archlint.render.views import ViewError, collapse, select
from archlint.specs import load_text

from .conftest import DotStructure, label_text
from .test_cli import archlint

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def bench_spec(resources: int) -> str:
    """The benchmark's realistic generator (bench/bench.py), so the picture is the one users measure."""
    spec = importlib.util.spec_from_file_location("bench_generator", os.path.join(ROOT, "bench", "bench.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate_spec(resources)


@pytest.fixture(scope="module")
def big_graph():
    return load_text(bench_spec(300), "bench-300.yaml")


def ratio(width: float, height: float) -> float:
    return max(width, height) / min(width, height)


def svg_size(svg: str) -> tuple[float, float]:
    match = re.search(r'<svg[^>]*\bwidth="([0-9.]+)pt"[^>]*\bheight="([0-9.]+)pt"', svg)
    return float(match.group(1)), float(match.group(2))


def test_300_resources_png_is_within_the_proportions_and_not_shrunk(big_graph):
    assert len(big_graph) >= 300
    rendered = render_bytes(big_graph, "png")
    assert rendered.warnings == []
    width, height = struct.unpack(">II", rendered.data[16:24])
    assert ratio(width, height) <= MAX_RATIO, (width, height)
    assert max(width, height) < BITMAP_LIMIT  # Graphviz did not shrink it


def test_300_resources_svg_and_html_are_within_the_proportions_with_legible_text(big_graph):
    svg = render_bytes(big_graph, "svg").data.decode()
    assert ratio(*svg_size(svg)) <= MAX_RATIO
    # at 100% an SVG point is a CSS point: every text at least 10 pt
    sizes = [float(size) for size in re.findall(r'font-size="([0-9.]+)"', svg)]
    assert sizes and min(sizes) >= 10
    html = render_bytes(big_graph, "html").data.decode()
    assert ratio(*svg_size(html)) <= MAX_RATIO


def test_300_resources_drawio_is_within_the_proportions(big_graph):
    document = ET.fromstring(render_bytes(big_graph, "drawio").data)
    right = bottom = 0.0
    for cell in document.iter("mxCell"):
        geometry = cell.find("mxGeometry")
        if cell.get("parent") == "1" and geometry is not None and cell.get("vertex") == "1":
            right = max(right, float(geometry.get("x")) + float(geometry.get("width")))
            bottom = max(bottom, float(geometry.get("y")) + float(geometry.get("height")))
    assert ratio(right, bottom) <= MAX_RATIO, (right, bottom)


def test_focus_on_a_queue_draws_only_its_neighbourhood(big_graph):
    view, notes = select(big_graph, focus=["queue-7"], depth=1)
    dot = DotStructure(render_bytes(view, "dot").data.decode())
    drawn = {name for name in dot.nodes if name != "LEGEND"}
    assert drawn == {"queue-7", "topic-7", "worker-7", "dlq-7", "alarm-7"}
    assert "queue-7" in label_text(dot.nodes["LEGEND"]["label"])  # the legend says what the view is
    assert any("5 of" in note for note in notes)


def test_depth_widens_the_neighbourhood_and_keeps_where_things_run(big_graph):
    view, _ = select(big_graph, focus=["queue-7"], depth=2)
    assert {"host-7", "notify-7", "bucket-7"} <= set(view)  # two steps away
    assert "subnet-7" in view and "vpc" in view  # the host's network, drawn around it
    assert "queue-8" not in view


def test_only_types_or_families(big_graph):
    view, _ = select(big_graph, only=["lambda"])
    assert {data["type"] for _, data in view.nodes(data=True)} == {"lambda.function"}
    view, _ = select(big_graph, only=["sqs.queue", "sns"])
    assert {data["type"] for _, data in view.nodes(data=True)} == {"sqs.queue", "sns.topic"}
    with pytest.raises(ViewError, match="dynamodb"):
        select(big_graph, only=["dynamodb"])
    with pytest.raises(ViewError, match="nope"):
        select(big_graph, focus=["nope"])


UNITS = """\
archlint: 1
name: units
resources:
{resources}
flows:
{flows}
"""


def units_spec(count: int, odd_timeout: bool = False) -> str:
    resources, flows = [], []
    for index in range(count):
        timeout = 30 if odd_timeout and index == count - 1 else 10
        resources += [f"  topic-{index}: {{type: sns.topic}}",
                      f"  queue-{index}: {{type: sqs.queue, dead_letter: dlq-{index}, visibility_timeout: 60}}",
                      f"  dlq-{index}: {{type: sqs.queue}}",
                      f"  fn-{index}: {{type: lambda.function, timeout: {timeout}}}"]
        flows.append(f"  - topic-{index} -> queue-{index} -> fn-{index}")
    return UNITS.format(resources="\n".join(resources), flows="\n".join(flows))


def test_identical_units_collapse_into_one_marked_times_n():
    graph = load_text(units_spec(6, odd_timeout=True), "units.yaml")
    view, counts, notes = collapse(graph)
    # five units are identical; the sixth's function has another timeout
    assert set(view) == {"topic-0", "queue-0", "dlq-0", "fn-0", "topic-5", "queue-5", "dlq-5", "fn-5"}
    assert counts == {"topic-0": 5, "queue-0": 5, "dlq-0": 5, "fn-0": 5}
    dot = DotStructure(render_bytes(view, "dot").data.decode())
    assert "× 5" in label_text(dot.nodes["queue-0"]["label"])
    assert "× " not in label_text(dot.nodes["queue-5"]["label"])
    assert "× 5" in render_bytes(view, "mmd").data.decode()


def test_group_by_az_and_by_tag(network_graph):
    dot = DotStructure(render_bytes(network_graph, "dot", group_by="az").data.decode())
    assert not any(name.startswith("cluster_VPC_") for name in dot.clusters)
    assert dot.chain("bastion")[-2:] == ["cluster_AZ_eu-west-1a", "cluster_REGION"]
    tagged = load_text("""\
archlint: 1
name: teams
resources:
  a: {type: sqs.queue, tags: {team: billing}}
  b: {type: lambda.function, tags: {team: billing}}
  c: {type: sqs.queue, tags: {team: search}}
  d: {type: sqs.queue}
""", "teams.yaml")
    dot = DotStructure(render_bytes(tagged, "dot", group_by="tag:team").data.decode())
    assert dot.chain("a")[0] == dot.chain("b")[0] != dot.chain("c")[0]
    assert "team: billing" in label_text(dot.clusters[dot.chain("a")[0]]["label"])
    assert dot.chain("d") == ["cluster_REGION"]


def test_cli_views_and_their_refusals(tmp_path):
    spec = tmp_path / "units.yaml"
    spec.write_text(units_spec(3))
    out = tmp_path / "view.dot"
    done = archlint("render", str(spec), "-o", str(out), "--focus", "queue-1", "--depth", "1")
    assert done.returncode == 0, done.stderr
    assert "queue-1" in out.read_text() and "queue-2" not in out.read_text()
    done = archlint("render", str(spec), "-o", str(out), "--collapse")
    assert done.returncode == 0 and "× 3" in label_text(out.read_text())
    done = archlint("render", str(spec), "-o", str(out), "--group-by", "stack")
    assert done.returncode == 2 and "nested stacks" in done.stderr
    done = archlint("render", str(spec), "-o", str(out), "--focus", "queue-9")
    assert done.returncode == 2 and "queue-9" in done.stderr and "Traceback" not in done.stderr


def test_a_hub_with_300_resources_behind_it_is_bundled_within_the_proportions():
    # bench/render_bench.py: one `users` calls every instance and topic; its 130 edges
    # each took a lane of their own (a 13:1 strip) before they were bundled
    spec = importlib.util.spec_from_file_location("render_bench", os.path.join(ROOT, "bench", "render_bench.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    graph = load_text(module.generate_spec(300), "hub.yaml")
    rendered = render_bytes(graph, "svg")
    assert rendered.warnings == []
    assert ratio(*svg_size(rendered.data.decode())) <= MAX_RATIO
    assert "concentrate=true" in render_bytes(graph, "dot").data.decode()
