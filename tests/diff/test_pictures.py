"""The picture of a change (render/diffview.py) in every render format, through real
Graphviz and Mermaid's own parser: added green, changed amber, removed dashed red,
introduced findings outlined, resolved ones noted, and --context."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from archlint.render.diffview import ADDED, CHANGED, REMOVED
from archlint.render.styles import FINDING_COLOR
from archlint.render.svg_embed import png_size

from .conftest import ORDERS, REPO, archlint, dot_objects, edit, mermaid_parse, write

OLD = edit(ORDERS, "visibility_timeout: 180", "visibility_timeout: 20")  # SQS001: below billing-fn's 30 s
NEW = edit(ORDERS, "  checkout:\n    type: external\n", "")  # checkout removed, with its flow
NEW = edit(NEW, "  - checkout -> orders-topic\n", "")
NEW = edit(NEW, "    timeout: 30\n", "    timeout: 25\n")  # changed; SQS001 resolved (180 s)
NEW = edit(NEW, "flows:\n", "  audit-queue:\n    type: sqs.queue\n  audit-fn:\n    type: lambda.function\nflows:\n")
NEW += "  - orders-topic -> audit-queue -> audit-fn\n"  # audit-queue has no DLQ: DLQ001 introduced
NEW = edit(NEW, "label: order placed", "label: order paid")  # a changed flow

SIGNATURES = {"png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-", "svg": b"<?xml", "dot": b"// drawn by archlint", "mmd": b"%% "}


@pytest.fixture
def change(project):
    return write(project, "old.yaml", OLD), write(project, "new.yaml", NEW)


@pytest.mark.parametrize("output_format", sorted(SIGNATURES))
def test_every_render_format(change, project, output_format):
    old, new = change
    out = project / f"change.{output_format}"
    done = archlint("diff", old, new, "-o", out)
    assert done.returncode == 1, done.stderr  # DLQ001 introduced
    data = out.read_bytes()
    assert data.startswith(SIGNATURES[output_format])
    if output_format == "png":
        width, height = png_size(data)
        assert width > 300 and height > 200
    if output_format == "svg":
        texts = " ".join(element.text or "" for element in ET.fromstring(data).iter() if element.tag.endswith("text"))
        assert "audit-queue" in texts and "checkout" in texts and "✓ SQS001 resolved" in texts
    if output_format == "mmd":
        parsed = mermaid_parse(data.decode())
        assert parsed.returncode == 0, parsed.stderr




def test_colours_in_the_dot(change, project):
    old, new = change
    archlint("diff", old, new, "-o", project / "change.dot")
    nodes, edges = dot_objects((project / "change.dot").read_text())
    assert (nodes["audit-fn"]["color"], nodes["audit-fn"]["fillcolor"]) == (ADDED.color, ADDED.fill)
    # an introduced finding's red outline over the added green fill
    assert (nodes["audit-queue"]["color"], nodes["audit-queue"]["fillcolor"]) == (FINDING_COLOR, ADDED.fill)
    assert "DLQ001" in nodes["audit-queue"]["label"]
    assert nodes["billing-fn"]["color"] == CHANGED.color and "timeout: 30 → 25" in nodes["billing-fn"]["label"]
    assert "✓ SQS001 resolved" in nodes["billing-queue"]["label"]
    assert nodes["checkout"]["color"] == REMOVED.color and "dashed" in nodes["checkout"]["style"]
    assert "color" not in nodes["billing-dlq"] or nodes["billing-dlq"]["color"] not in (ADDED.color, CHANGED.color, REMOVED.color)
    by_ends = {(tail, head): attrs for tail, head, attrs in edges}
    assert by_ends[("checkout", "orders-topic")]["color"] == REMOVED.color
    assert by_ends[("checkout", "orders-topic")]["style"] == "dashed"
    assert by_ends[("orders-topic", "audit-queue")]["color"] == ADDED.color
    assert by_ends[("audit-queue", "audit-fn")]["color"] == ADDED.color
    assert by_ends[("billing-queue", "billing-fn")]["color"] not in (ADDED.color, REMOVED.color, CHANGED.color)
    assert by_ends[("orders-topic", "billing-queue")]["color"] == CHANGED.color
    legend = nodes["LEGEND"]["label"]
    assert all(words in legend for words in ("added", "changed", "removed"))


FANOUT = (REPO / "specs" / "examples" / "sns-fanout.yaml").read_text(encoding="utf-8")
FANOUT_AUDIT = edit(edit(FANOUT, "to: [billing-queue, shipping-queue, analytics-queue]",
                         "to: [billing-queue, shipping-queue, analytics-queue, audit-queue]"),
                    "flows:\n", "  audit-queue:\n    type: sqs.queue\n  audit-fn:\n    type: lambda.function\nflows:\n") \
    + "  - audit-queue -> audit-fn\n"


@pytest.mark.parametrize("context, expected", [
    (None, {"checkout", "orders-topic", "billing-queue", "billing-dlq", "billing-fn", "shipping-queue", "shipping-dlq",
            "shipping-fn", "analytics-queue", "analytics-dlq", "analytics-fn", "audit-queue", "audit-fn"}),
    (0, {"orders-topic", "audit-queue", "audit-fn"}),
    (1, {"checkout", "orders-topic", "billing-queue", "shipping-queue", "analytics-queue", "audit-queue", "audit-fn"}),
])
def test_context_keeps_the_change_and_its_neighbours(project, context, expected):
    old, new = write(project, "old.yaml", FANOUT), write(project, "new.yaml", FANOUT_AUDIT)
    out = project / "change.dot"
    options = [] if context is None else ["--context", context]
    archlint("diff", old, new, "-o", out, *options)
    nodes, _ = dot_objects(out.read_text())
    # Graphviz's anonymous nodes ("%27") hold the layout in place; they are no resources
    assert {name for name in nodes if name != "LEGEND" and not name.startswith("%")} == expected


def test_context_keeps_the_subnets_and_vpcs_of_what_it_keeps(project):
    network = """\
archlint: 1
name: net
resources:
  main: {type: vpc, cidr: 10.0.0.0/16}
  web-a: {type: subnet, vpc: main, az: us-east-1a, cidr: 10.0.1.0/24}
  app: {type: ec2.instance, subnet: web-a}
  far: {type: lambda.function}
"""
    old = write(project, "old.yaml", network)
    new = write(project, "new.yaml", network.replace("type: ec2.instance,", "type: ec2.instance, instance_type: c5.large,"))
    out = project / "change.dot"
    done = archlint("diff", old, new, "-o", out, "--context", "0")
    assert done.returncode == 0, done.stderr
    source = out.read_text()
    nodes, _ = dot_objects(source)
    assert "app" in nodes and "far" not in nodes
    assert "cluster_SUBNET_web-a" in source and "cluster_VPC_main" in source


def test_a_picture_never_overwrites_an_input(project):
    # a spec named explicitly may have any extension, even a picture's
    old, new = write(project, "old.svg", OLD), write(project, "new.dot", NEW)
    for target in (old, new):
        done = archlint("diff", old, new, "-o", target)
        assert done.returncode == 2 and "not overwriting" in done.stderr
    assert old.read_text() == OLD and new.read_text() == NEW


def test_unknown_picture_format_exits_2(change, project):
    old, new = change
    assert archlint("diff", old, new, "-o", project / "change.gif").returncode == 2
    assert archlint("diff", old, new, "--context", "-1").returncode == 2


def test_several_changed_specs_give_one_picture_each(project):
    write(project, "a/orders.yaml", OLD)
    write(project, "a/more/billing.yaml", OLD.replace("name: orders", "name: billing"))
    write(project, "b/orders.yaml", NEW)
    write(project, "b/more/billing.yaml", NEW.replace("name: orders", "name: billing"))
    done = archlint("diff", "a", "b", "-o", "change.svg", cwd=project)
    assert done.returncode == 1, done.stderr
    assert sorted(path.name for path in project.glob("change*.svg")) == ["change-b-more-billing.svg", "change-b-orders.svg"]
    assert "wrote change-b-orders.svg" in done.stderr
