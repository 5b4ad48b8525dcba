"""A scene drawn with the `diagrams` library: the Graphviz DOT source.

We build the picture with diagrams' own `Diagram`, `Cluster`, `Node` and `Edge`, but
ask it for the DOT text instead of letting it render: diagrams would write files next
to the current folder, give nodes random uuids, silence Graphviz's warnings and link
icons by absolute paths. Here every node id is the resource id, every cluster id is
the scene's stable id, icons are named relative to `icon_map.icon_dirs()` and the
order follows the scene, so the same spec always gives the same DOT.

Nodes use HTML-like labels (icon, title, a grey detail line, badges) instead of
diagrams' `image=` attribute: a long name then widens the node instead of running
over its neighbours, and the icon keeps its size.
"""

from __future__ import annotations

from html import escape

import diagrams
from diagrams import Cluster as DiagramsCluster
from diagrams import Diagram, Edge as DiagramsEdge, Node as DiagramsNode

from .scene import Cluster, Marks, Node, Scene
from .styles import BADGE_COLOR, EDGE_STYLES, FINDING_COLOR, MUTED_COLOR, Highlight

FONT = "Sans-Serif"
ICON_SIZE = 48  # points
CLUSTER_ICON_SIZE = 24

GRAPH_ATTRS = {
    "splines": "spline",  # diagrams' default "ortho" cannot place edge labels
    "newrank": "true",
    "nodesep": "0.5",
    "ranksep": "0.9",
    "pad": "0.3",
    "labelloc": "t",
    "fontsize": "20",
    "fontname": FONT,
}
# diagrams' defaults size every node as a fixed 1.4-inch box around an image; our
# labels carry the icon, so nodes take the size of their label instead.
NODE_ATTRS = {"shape": "plain", "style": "solid", "fixedsize": "false", "width": "0", "height": "0",
              "labelloc": "c", "imagescale": "false", "fontname": FONT, "fontsize": "12", "fontcolor": "#232F3E"}
EDGE_ATTRS = {"fontname": FONT, "fontsize": "11"}

# AWS's group conventions: border colour, line style and fill by cluster kind.
CLUSTER_LOOKS = {
    "region": {"pencolor": "#00A4A6", "style": "dashed", "bgcolor": "#FFFFFF"},
    "vpc": {"pencolor": "#8C4FFF", "style": "solid", "bgcolor": "#FFFFFF"},
    "az": {"pencolor": "#147EBA", "style": "dashed", "bgcolor": "#FFFFFF"},
    "subnet": {"pencolor": "#00A4A6", "style": "solid", "bgcolor": "#E6F6F7"},
    "public_subnet": {"pencolor": "#7AA116", "style": "solid", "bgcolor": "#F2F6E8"},
    "autoscaling": {"pencolor": "#ED7100", "style": "dashed", "bgcolor": "#FFFFFF"},
    "placement": {"pencolor": "#ED7100", "style": "dotted", "penwidth": "2", "bgcolor": "#FDF3E7"},
    "legend": {"pencolor": "#AAB7B8", "style": "solid", "bgcolor": "#FFFFFF"},
}


# Icons are named relative to folders that depend on where Python is installed, so that
# the DOT is the same on every machine; this says how to draw it by hand.
DOT_COMMENT = ('drawn by archlint render; to run Graphviz on it by hand, say where the icons are: '
               'dot -Tpng -Gimagepath="$(python -m archlint.render.icon_map)" THIS.dot -o OUT.png')


class _SourceOnlyDiagram(Diagram):
    """A diagrams Diagram that collects the DOT and renders nothing on exit."""

    def __exit__(self, *exc):
        diagrams.setdiagram(None)


def dot_source(scene: Scene) -> str:
    """The DOT text of a scene, built with diagrams."""
    with _SourceOnlyDiagram(
        name=scene.title, filename="archlint", direction=scene.direction, outformat="dot", show=False,
        graph_attr=GRAPH_ATTRS, node_attr=NODE_ATTRS, edge_attr=EDGE_ATTRS,
    ) as diagram:
        diagram.dot.comment = DOT_COMMENT
        drawn: dict[str, DiagramsNode] = {}
        connected = {end for edge in scene.edges for end in (edge.source, edge.target)}
        _fill(scene.top, drawn, connected)
        for edge in scene.edges:
            _connect(drawn[edge.source], drawn[edge.target], edge.style, edge.label, edge.highlight)
        if scene.legend or scene.has_findings or scene.highlights:
            _legend(scene)
    return diagram.dot.source


def _fill(cluster: Cluster, drawn: dict[str, DiagramsNode], connected: set[str]) -> None:
    """Draw the nodes of `cluster`, then its clusters, inside the current diagrams context."""
    for node in cluster.nodes:
        drawn[node.id] = DiagramsNode(_node_label(node), nodeid=node.id, **_node_attrs(node))
    _grid(cluster, drawn, connected)
    for child in cluster.clusters:
        attrs = {**CLUSTER_LOOKS[child.look or child.kind], "label": _cluster_label(child), "fontname": FONT, "fontsize": "12", "margin": "12"}
        if child.highlight:
            attrs.update(_cluster_highlight(child.highlight))
        if child.marks.rules:
            attrs.update(pencolor=FINDING_COLOR, penwidth="3", tooltip=_tooltip(child.marks))
        with DiagramsCluster(attrs["label"], graph_attr=attrs) as drawn_cluster:
            # diagrams names a cluster after its label; ours need stable, unique names.
            drawn_cluster.dot.name = f"cluster_{child.id}"
            _fill(child, drawn, connected)
            if not child.nodes and not child.clusters:
                # Graphviz leaves out an empty cluster; a subnet that only an ALB or an
                # Auto Scaling group spans must still show (with its NACL badge).
                DiagramsNode("", nodeid=f"{child.id}_EMPTY", shape="point", style="invis", width="0.6")


GRID_ROW = 4  # unconnected nodes of a cluster per row


def _grid(cluster: Cluster, drawn: dict[str, DiagramsNode], connected: set[str]) -> None:
    """Lay a cluster's unconnected nodes out in rows instead of one long column.

    Graphviz gives every node without edges the same rank, so twenty IAM roles of an
    imported template (or security groups) would make a column twenty icons tall.
    Invisible edges chain them in rows of GRID_ROW.
    """
    alone = [drawn[node.id] for node in cluster.nodes if node.id not in connected]
    if len(alone) <= GRID_ROW:
        return
    for start in range(0, len(alone), GRID_ROW):
        row = alone[start:start + GRID_ROW]
        for left, right in zip(row, row[1:]):
            left.connect(right, DiagramsEdge(left, forward=True, style="invis"))


def _node_attrs(node: Node) -> dict:
    attrs = {}
    if node.highlight and node.highlight.color:
        styles = ["rounded"] + ["filled"] * bool(node.highlight.fill) + ["dashed"] * node.highlight.dashed
        attrs = {"shape": "box", "style": ",".join(styles), "color": node.highlight.color, "penwidth": "2.5",
                 "margin": "0.08", "fillcolor": node.highlight.fill}
    if node.marks.rules:
        # a finding's red outline wins over a highlight's; the highlight's fill stays
        attrs = {"shape": "box", "style": "rounded", "margin": "0.08", **attrs,
                 "color": FINDING_COLOR, "penwidth": "3", "tooltip": _tooltip(node.marks)}
    return attrs


def _cluster_highlight(highlight: Highlight) -> dict:
    if not highlight.color:
        return {}
    attrs = {"pencolor": highlight.color, "penwidth": "2.5", "style": "dashed" if highlight.dashed else "solid"}
    if highlight.fill:
        attrs["bgcolor"] = highlight.fill
    return attrs


def _notes(highlight: Highlight | None) -> list[str]:
    return [_small(note, "#232F3E") for note in (highlight.notes if highlight else ())]


def _tooltip(marks: Marks) -> str:
    return "\n".join(marks.messages)


def _small(text: str, color: str) -> str:
    return f'<FONT POINT-SIZE="10" COLOR="{color}">{escape(text)}</FONT>'


def _node_label(node: Node) -> str:
    rows = [
        f'<TR><TD FIXEDSIZE="TRUE" WIDTH="{ICON_SIZE}" HEIGHT="{ICON_SIZE}"><IMG SRC="{escape(node.icon)}" SCALE="TRUE"/></TD></TR>',
        f"<TR><TD>{escape(node.title)}</TD></TR>",
    ]
    if node.detail:
        rows.append(f"<TR><TD>{_small(node.detail, MUTED_COLOR)}</TD></TR>")
    for badge in node.badges:
        rows.append(f"<TR><TD>{_small(badge, BADGE_COLOR)}</TD></TR>")
    if node.marks.rules:
        # inside the red outline, under the name: an xlabel would let Graphviz put the
        # ids wherever there is room, sometimes nearer another resource (seen in review)
        rows.append(f'<TR><TD><FONT POINT-SIZE="11" COLOR="{FINDING_COLOR}"><B>'
                    f'{escape(" ".join(node.marks.rules))}</B></FONT></TD></TR>')
    rows += [f"<TR><TD>{note}</TD></TR>" for note in _notes(node.highlight)]
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="1">{"".join(rows)}</TABLE>>'


def _cluster_label(cluster: Cluster) -> str:
    lines = [f"<B>{escape(cluster.title)}</B>"]
    if cluster.detail:
        lines.append(_small(cluster.detail, MUTED_COLOR))
    lines += [_small(badge, BADGE_COLOR) for badge in cluster.badges]
    if cluster.marks.rules:
        lines.append(f'<FONT COLOR="{FINDING_COLOR}"><B>{escape(" ".join(cluster.marks.rules))}</B></FONT>')
    lines += _notes(cluster.highlight)
    text = '<BR ALIGN="LEFT"/>'.join(lines) + '<BR ALIGN="LEFT"/>'
    icon = ""
    if cluster.icon:
        icon = (f'<TD FIXEDSIZE="TRUE" WIDTH="{CLUSTER_ICON_SIZE}" HEIGHT="{CLUSTER_ICON_SIZE}" VALIGN="TOP">'
                f'<IMG SRC="{escape(cluster.icon)}" SCALE="TRUE"/></TD>')
    return (f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="0"><TR>{icon}'
            f'<TD ALIGN="LEFT" BALIGN="LEFT">{text}</TD></TR></TABLE>>')


def _edge_attrs(style_key: str, label: str, highlight: Highlight | None = None) -> dict:
    style = EDGE_STYLES[style_key]
    attrs = {"color": style.color, "style": style.style, "penwidth": style.penwidth, "arrowhead": style.arrowhead}
    if highlight and highlight.color:
        attrs.update(color=highlight.color, penwidth="2.6", style="dashed" if highlight.dashed else style.style)
    text = label or style.label
    if text:
        attrs["label"] = text
        # flow labels in dark text to be read; DLQ links keep their red; references stay quiet
        attrs["fontcolor"] = {"dead_letter": style.color, "on_failure": style.color,
                              "reference": MUTED_COLOR}.get(style_key, "#232F3E")
        attrs["fontsize"] = "11"
    return attrs


def _connect(source: DiagramsNode, target: DiagramsNode, style_key: str, label: str,
             highlight: Highlight | None = None) -> None:
    source.connect(target, DiagramsEdge(source, forward=True, **_edge_attrs(style_key, label, highlight)))


# Line samples for the legend, drawn with box-drawing characters in the edge's colour:
# a table node stays compact, where sample edges would stretch across the diagram's ranks.
LEGEND_SAMPLES = {"solid": "\u2500" * 6, "dashed": "\u254c" * 6, "dotted": "\u2508" * 6}


def _legend(scene: Scene) -> None:
    """One table node: a line sample and its meaning per edge style used, and the finding mark."""
    rows = ['<TR><TD COLSPAN="2" ALIGN="LEFT"><B>Legend</B></TD></TR>']
    for key in scene.legend:
        style = EDGE_STYLES[key]
        sample = LEGEND_SAMPLES.get(style.style, LEGEND_SAMPLES["solid"]) + "\u25b8"
        wording = style.legend + (f' ("{style.label}")' if style.label else "")
        rows.append(f'<TR><TD ALIGN="LEFT"><FONT COLOR="{style.color}"><B>{sample}</B></FONT></TD>'
                    f'<TD ALIGN="LEFT">{_small(wording, "#232F3E")}</TD></TR>')
    if scene.has_findings:
        rows.append(f'<TR><TD BORDER="3" COLOR="{FINDING_COLOR}" STYLE="rounded">{_small("resource", "#232F3E")}'
                    f'<BR/><FONT POINT-SIZE="10" COLOR="{FINDING_COLOR}"><B>RULE001</B></FONT></TD>'
                    f'<TD ALIGN="LEFT">{_small("a rule found something: its id in red", "#232F3E")}<BR ALIGN="LEFT"/>'
                    f'{_small("(the SVG shows the message on hover)", "#232F3E")}<BR ALIGN="LEFT"/></TD></TR>')
    for highlight in scene.highlights:
        sample_style = "rounded" + (" dashed" if highlight.dashed else "")
        rows.append(f'<TR><TD BORDER="2" COLOR="{highlight.color or MUTED_COLOR}" BGCOLOR="{highlight.fill or "#FFFFFF"}" '
                    f'STYLE="{sample_style}">{_small("resource", "#232F3E")}</TD>'
                    f'<TD ALIGN="LEFT">{_small(highlight.legend, "#232F3E")}</TD></TR>')
    label = (f'<<TABLE BORDER="1" COLOR="#AAB7B8" CELLBORDER="0" CELLSPACING="2" CELLPADDING="3">'
             f'{"".join(rows)}</TABLE>>')
    DiagramsNode(label, nodeid="LEGEND", shape="plain")
