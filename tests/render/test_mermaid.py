"""The Mermaid flowchart: nesting, safe ids, edge styles, findings."""

from __future__ import annotations

import re

from archlint.linter.rule import Finding
from archlint.render import render_bytes
from archlint.render.mermaid import mermaid_id, text
from archlint.render.styles import EDGE_STYLES, FINDING_COLOR, SEVERITY_COLORS
from archlint.specs import load_text


def mermaid(graph, **options) -> str:
    return render_bytes(graph, "mmd", **options).data.decode()


def subgraph_path(source: str, node: str) -> list[str]:
    """The subgraphs open where `node` is declared, outermost first."""
    stack = []
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith("subgraph "):
            stack.append(stripped.split()[1].split("[")[0])
        elif stripped == "end":
            stack.pop()
        elif re.match(rf"{re.escape(node)}[\[\(]", stripped):
            return list(stack)
    raise AssertionError(f"{node} is not declared")


def test_clusters_nest_as_subgraphs(network_graph):
    source = mermaid(network_graph)
    assert source.splitlines()[1] == "flowchart LR"
    assert subgraph_path(source, "r_bastion") == [
        "REGION", "VPC_main", "AZ_eu_west_1a_OF_main", "SUBNET_web_a", "PG_tight_IN_SUBNET_web_a"]
    assert subgraph_path(source, "r_shoppers") == []


def test_edges_carry_labels_and_their_style(network_graph):
    source = mermaid(network_graph)
    lines = source.splitlines()
    edges = [line for line in lines if re.match(r"\s*\S+ (-->|-\.->|==>)", line) and "LEGEND" not in line]
    dlq = next(index for index, line in enumerate(edges) if line.strip().startswith("r_orders -.->|\"DLQ\"| r_orders_dlq"))
    assert f"linkStyle {dlq} stroke:{FINDING_COLOR}" in source
    assert any('r_fleet -->|"order placed"| r_orders' in line for line in edges)
    poll = next(index for index, line in enumerate(edges) if "r_orders -.-> r_worker" in line)
    assert f"linkStyle {poll} stroke:{EDGE_STYLES['poll'].color}" in source


def test_findings_get_their_severity_class_and_rule_ids(network_graph):
    finding = Finding("shop.yaml", 1, 1, "DLQ001", "orders", "error", "no DLQ", "add one")
    warning = Finding("shop.yaml", 2, 1, "SQS001", "worker", "warning", "short timeout", "raise it")
    source = mermaid(network_graph, findings=[finding, warning])
    assert "class r_orders error" in source and "class r_worker warning" in source
    assert f"classDef error stroke:{SEVERITY_COLORS['error']}" in source
    assert f"classDef warning stroke:{SEVERITY_COLORS['warning']}" in source
    assert "DLQ001" in next(line for line in source.splitlines() if line.strip().startswith("r_orders["))
    assert "class " not in mermaid(network_graph)


def test_ids_that_mermaid_would_misread_are_made_safe():
    graph = load_text("archlint: 1\nname: words\nresources:\n  end:\n    type: sqs.queue\n"
                      "    label: 'say \"hi\" #1 <now> | then'\n", "words.yaml")
    source = mermaid(graph)
    assert mermaid_id("end") == "r_end" and "r_end[" in source
    declared = next(line for line in source.splitlines() if line.strip().startswith("r_end["))
    assert '"hi"' not in declared and "#quot;hi#quot;" in declared
    assert "<now>" not in declared and "|" not in declared
    assert text("a#b") == "a#35;b"


def test_cluster_and_resource_ids_never_collide():
    # resource ids are lower case; cluster ids carry upper-case words
    assert mermaid_id("vpc-main") != mermaid_id("VPC_main")
    assert mermaid_id("a-b") == "r_a_b"
