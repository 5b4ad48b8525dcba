"""How edges, findings and clusters look: plain data shared by the DOT and Mermaid writers.

An edge of the graph is drawn in one *style* (a key of EDGE_STYLES), chosen by
`edge_style`. The legend lists the styles a diagram uses, in the order below.
"""

from __future__ import annotations

from dataclasses import dataclass

# One colour per finding severity, the same in PNG, SVG, Mermaid, draw.io, HTML and the
# legend: the outline of a marked resource or edge and its rule ids take the colour of
# its worst finding. Red and amber as AWS's console shows errors and warnings; info in
# a blue-grey that no edge style uses.
SEVERITY_COLORS = {"error": "#D13212", "warning": "#B86E00", "info": "#3F6E9E"}
SEVERITY_ORDER = ("error", "warning", "info")  # worst first
FINDING_COLOR = SEVERITY_COLORS["error"]
BADGE_COLOR = "#545B64"
MUTED_COLOR = "#7B8894"


@dataclass(frozen=True)
class Highlight:
    """An overlay on how one resource, cluster or edge is usually drawn, given by the
    graph itself (node or edge attribute `highlight`): `archlint diff` colours what a
    change added, changed or removed this way. The legend lists each `legend` once."""

    legend: str  # what the legend says ("added"); "" for no legend row
    color: str = ""  # outline or line colour; "" keeps the usual one
    fill: str = ""  # background of a resource or cluster
    dashed: bool = False
    notes: tuple[str, ...] = ()  # short lines under the title ("timeout 30 → 60")


@dataclass(frozen=True)
class EdgeStyle:
    legend: str  # what the legend says
    color: str
    style: str  # Graphviz: solid, dashed, dotted, bold
    penwidth: str = "1.4"
    label: str = ""  # a fixed label (the DLQ link), shown when the edge has none
    arrowhead: str = "normal"
    arrowtail: str = ""  # a marker at the source end too (Graphviz dir=both)
    mermaid_arrow: str = "-->"  # -->, -.->, ==>
    mermaid_dash: str = ""  # stroke-dasharray for Mermaid's linkStyle


EDGE_STYLES: dict[str, EdgeStyle] = {
    "sync": EdgeStyle("synchronous call (the caller waits)", "#232F3E", "solid", "1.8"),
    "async": EdgeStyle("asynchronous invocation (queued by AWS, retried)", "#1A73E8", "dashed", "1.6",
                       mermaid_arrow="-.->", mermaid_dash="6 4"),
    "poll": EdgeStyle("polled (the consumer pulls)", "#1E8E3E", "dotted", "2.2", arrowhead="vee",
                      mermaid_arrow="-.->", mermaid_dash="2 3"),
    "message": EdgeStyle("message, event or write (no invocation)", MUTED_COLOR, "solid", "1.2"),
    "dead_letter": EdgeStyle("dead-letter queue (failed messages)", FINDING_COLOR, "dashed", "1.8", label="DLQ",
                             arrowhead="empty", mermaid_arrow="-.->", mermaid_dash="6 4"),
    "on_failure": EdgeStyle("on-failure destination", FINDING_COLOR, "dashed", "1.8", label="on failure",
                            arrowhead="empty", mermaid_arrow="-.->", mermaid_dash="6 4"),
    # A circle at the referring end, no head: where several edges meet a resource a
    # head marker would sit on a flow's arrowhead (seen in docs/example.png).
    "reference": EdgeStyle("reference (protects, volume, EIP, standby for, …)", "#AAB7B8", "dotted", "1.2",
                           arrowhead="none", arrowtail="odot", mermaid_arrow="-.-", mermaid_dash="1 3"),
}

# Reference edges drawn as arrows, with the words shown on them. The other references
# (vpc, subnet, subnets, security_groups, placement_group, group) are drawn by
# structure or badges instead, so that the picture has no web of arrows.
REFERENCE_LABELS: dict[str, str] = {
    "dead_letter": "",  # the style's own label, "DLQ"
    "on_failure": "",
    "volumes": "volume",
    "instance": "EIP",
    "watches": "",  # said on the alarm ("watches web-primary"): a label on a long edge lands on borders
    "protects": "protects",
    "standby_for": "standby for",
    "lifecycle_hook": "lifecycle hook",
}


# Reference edges that are asynchronous invocations when they end at a function, as
# rules/dlq.py (DLQ002) treats them: a lifecycle hook's notification invokes its target
# function asynchronously.
ASYNC_REFERENCES = ("lifecycle_hook",)


def edge_style(data: dict, target_type: str | None = None) -> str | None:
    """The style key of a graph edge, or None when the edge is not drawn as an arrow.

    `target_type` is the spec type of the edge's target: an asynchronous invocation is
    drawn as one whatever its source (a flow, or a lifecycle hook on a function).
    """
    if data.get("kind") == "flow":
        return {"sync": "sync", "async": "async", "poll": "poll"}.get(data.get("invocation"), "message")
    relation = data.get("relation")
    if relation in ("dead_letter", "on_failure"):
        return relation
    if relation in ASYNC_REFERENCES:
        return "async" if target_type == "lambda.function" else "message"
    if relation in REFERENCE_LABELS:
        return "reference"
    return None


def edge_label(data: dict) -> str:
    """The words on a graph edge: the flow's label, or the reference's name."""
    if data.get("kind") == "flow":
        return data.get("label") or ""
    relation = data.get("relation")
    if relation == "lifecycle_hook" and data.get("transition"):
        return f"hook: {data['transition']}"
    return REFERENCE_LABELS.get(relation, "") or EDGE_STYLES.get(relation, EDGE_STYLES["reference"]).label
