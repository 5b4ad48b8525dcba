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

import re

import diagrams
from diagrams import Cluster as DiagramsCluster
from diagrams import Diagram, Edge as DiagramsEdge, Node as DiagramsNode

from .scene import Cluster, Marks, Node, Scene
from .styles import BADGE_COLOR, EDGE_STYLES, MUTED_COLOR, SEVERITY_COLORS, Highlight
from .text import dot_string, graphviz_html as escape

PRESENCE_ICON_SIZE = 28  # a presence marker is smaller and fainter than the resource

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
    "tag": {"pencolor": "#545B64", "style": "dashed", "bgcolor": "#F8F9FA"},
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
        if scene.concentrate:
            diagram.dot.graph_attr["concentrate"] = "true"
        drawn: dict[str, DiagramsNode] = {}
        connected = {end for edge in scene.edges for end in (edge.source, edge.target)}
        connected |= {end for edge in scene.layout_edges for end in edge}
        _fill(scene.top, drawn, connected)
        # layout constraints first: where a flow runs against one (a standby drawn in
        # the AZ after its primary), Graphviz keeps the first it reads
        for source, target in scene.layout_edges:
            if source in drawn and target in drawn:
                drawn[source].connect(drawn[target], DiagramsEdge(drawn[source], forward=True, style="invis"))
        for edge in scene.edges:
            _connect(drawn[edge.source], drawn[edge.target], edge)
        for group in scene.same_ranks:
            names = "; ".join(f'"{dot_name(member)}"' for member in group if member in drawn)
            diagram.dot.body.append(f"\t{{rank=same; {names}}}\n")
        for group in scene.ordered_groups:
            members = [member for member in group if member in drawn]
            names = "; ".join(f'"{dot_name(member)}"' for member in members)
            diagram.dot.body.append(f"\t{{rank=same; {names}}}\n")
            chain = members[::-1] if scene.flip_order else members
            for left, right in zip(chain, chain[1:]):
                diagram.dot.body.append(f'\t"{dot_name(left)}" -> "{dot_name(right)}" [style=invis]\n')
        if scene.legend or scene.has_findings or scene.notes or scene.highlights or any(node.of for node in scene.nodes()):
            _legend(scene)
    return diagram.dot.source


_SIMPLE_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")


def dot_name(scene_id: str) -> str:
    """The DOT node name (and SVG element id) of a scene id.

    Resource ids of specs are simple, and stay as they are; an imported template's
    logical id could hold anything, and a DOT name cannot carry every character
    (a backslash is kept, not escaped), so those get a name made from their bytes.
    """
    if _SIMPLE_NAME.match(scene_id):
        return scene_id
    return "x" + scene_id.encode("utf-8").hex()


def _fill(cluster: Cluster, drawn: dict[str, DiagramsNode], connected: set[str]) -> None:
    """Draw the nodes of `cluster`, then its clusters, inside the current diagrams context."""
    for node in cluster.nodes:
        drawn[node.id] = DiagramsNode(_node_label(node), nodeid=dot_name(node.id), id=dot_name(node.id),
                                      **_node_attrs(node))
    _grid(cluster, drawn, connected)
    for child in cluster.clusters:
        attrs = {**CLUSTER_LOOKS[child.look or child.kind], "label": _cluster_label(child), "fontname": FONT, "fontsize": "12", "margin": "12"}
        if child.highlight:
            attrs.update(_cluster_highlight(child.highlight))
        if child.marks.rules:
            attrs.update(pencolor=SEVERITY_COLORS[child.marks.severity], penwidth="3", tooltip=_tooltip(child.marks))
        with DiagramsCluster(attrs["label"], graph_attr=attrs) as drawn_cluster:
            # diagrams names a cluster after its label; ours need stable, unique names.
            drawn_cluster.dot.name = f"cluster_{dot_name(child.id)}"
            _fill(child, drawn, connected)
            if not child.nodes and not child.clusters:
                # Graphviz leaves out an empty cluster; a subnet that only an ALB or an
                # Auto Scaling group spans must still show (with its NACL badge).
                DiagramsNode("", nodeid=dot_name(f"{child.id}_EMPTY"), shape="point", style="invis", width="0.6")


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
        # a finding's outline wins over a highlight's colour; the highlight's fill stays
        attrs = {"shape": "box", "style": "rounded", "margin": "0.08", **attrs,
                 "color": SEVERITY_COLORS[node.marks.severity], "penwidth": "3", "tooltip": _tooltip(node.marks)}
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
    # messages are plain text; "\n" is Graphviz's own line break in an escString
    return "\\n".join(dot_string(message) for message in marks.messages)


def _small(text: str, color: str) -> str:
    return f'<FONT POINT-SIZE="10" COLOR="{color}">{escape(text)}</FONT>'


def _node_label(node: Node) -> str:
    size = PRESENCE_ICON_SIZE if node.of else ICON_SIZE
    title = escape(node.title) + (f" <B>× {node.count}</B>" if node.count > 1 else "")
    if node.of:
        title = f'<FONT POINT-SIZE="10" COLOR="{MUTED_COLOR}">{title}</FONT>'
    rows = [
        f'<TR><TD FIXEDSIZE="TRUE" WIDTH="{size}" HEIGHT="{size}"><IMG SRC="{escape(node.icon)}" SCALE="TRUE"/></TD></TR>',
        f"<TR><TD>{title}</TD></TR>",
    ]
    if node.detail:
        rows.append(f"<TR><TD>{_small(node.detail, MUTED_COLOR)}</TD></TR>")
    for badge in node.badges:
        rows.append(f"<TR><TD>{_small(badge, BADGE_COLOR)}</TD></TR>")
    if node.marks.rules:
        # inside the red outline, under the name: an xlabel would let Graphviz put the
        # ids wherever there is room, sometimes nearer another resource (seen in review)
        rows.append(f'<TR><TD><FONT POINT-SIZE="11" COLOR="{SEVERITY_COLORS[node.marks.severity]}"><B>'
                    f'{escape(" ".join(node.marks.rules))}</B></FONT></TD></TR>')
    rows += [f"<TR><TD>{note}</TD></TR>" for note in _notes(node.highlight)]
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="1">{"".join(rows)}</TABLE>>'


def _cluster_label(cluster: Cluster) -> str:
    lines = [f"<B>{escape(cluster.title)}</B>"]
    if cluster.detail:
        lines.append(_small(cluster.detail, MUTED_COLOR))
    lines += [_small(badge, BADGE_COLOR) for badge in cluster.badges]
    if cluster.marks.rules:
        lines.append(f'<FONT COLOR="{SEVERITY_COLORS[cluster.marks.severity]}"><B>'
                     f'{escape(" ".join(cluster.marks.rules))}</B></FONT>')
    lines += _notes(cluster.highlight)
    text = '<BR ALIGN="LEFT"/>'.join(lines) + '<BR ALIGN="LEFT"/>'
    icon = ""
    if cluster.icon:
        icon = (f'<TD FIXEDSIZE="TRUE" WIDTH="{CLUSTER_ICON_SIZE}" HEIGHT="{CLUSTER_ICON_SIZE}" VALIGN="TOP">'
                f'<IMG SRC="{escape(cluster.icon)}" SCALE="TRUE"/></TD>')
    return (f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="0"><TR>{icon}'
            f'<TD ALIGN="LEFT" BALIGN="LEFT">{text}</TD></TR></TABLE>>')


def _edge_attrs(edge) -> dict:
    style = EDGE_STYLES[edge.style]
    attrs = {"color": style.color, "style": style.style, "penwidth": style.penwidth, "arrowhead": style.arrowhead}
    if style.arrowtail:
        attrs.update(dir="both", arrowtail=style.arrowtail, arrowsize="0.7")
    if not edge.constrains:
        attrs["constraint"] = "false"  # a standby drawn before its primary's AZ, otherwise
    if edge.highlight and edge.highlight.color:
        attrs.update(color=edge.highlight.color, penwidth="2.6", style="dashed" if edge.highlight.dashed else style.style)
    text = edge.label or style.label
    # flow labels in dark text to be read; DLQ links keep their red; references stay quiet
    fontcolor = {"dead_letter": style.color, "on_failure": style.color, "reference": MUTED_COLOR}.get(edge.style, "#232F3E")
    parts = [escape(text)] if text else []
    if edge.marks.rules:
        # a finding about this flow: the edge in its severity's colour, the rule ids on it
        color = SEVERITY_COLORS[edge.marks.severity]
        attrs.update(color=color, penwidth="3", tooltip=_tooltip(edge.marks), labeltooltip=_tooltip(edge.marks))
        parts.append(f'<FONT COLOR="{color}"><B>{escape(" ".join(edge.marks.rules))}</B></FONT>')
    if parts:
        # an HTML-like label of escaped text: a label is words, never markup or escapes
        attrs["label"] = f'<<FONT COLOR="{fontcolor}">{"<BR/>".join(parts)}</FONT>>'
        attrs["fontsize"] = "11"
    return attrs


def _connect(source: DiagramsNode, target: DiagramsNode, edge) -> None:
    source.connect(target, DiagramsEdge(source, forward=True, **_edge_attrs(edge)))


# Line samples for the legend, drawn with box-drawing characters in the edge's colour:
# a table node stays compact, where sample edges would stretch across the diagram's ranks.
LEGEND_SAMPLES = {"solid": "\u2500" * 6, "dashed": "\u254c" * 6, "dotted": "\u2508" * 6}


def _legend(scene: Scene) -> None:
    """One table node: a line sample and its meaning per edge style used, one row per
    severity found, and what a view left out."""
    rows = ['<TR><TD COLSPAN="2" ALIGN="LEFT"><B>Legend</B></TD></TR>']
    for key in scene.legend:
        style = EDGE_STYLES[key]
        sample = LEGEND_SAMPLES.get(style.style, LEGEND_SAMPLES["solid"])
        sample = ("\u25cb" + sample) if style.arrowtail else (sample + "\u25b8" if style.arrowhead != "none" else sample)
        wording = style.legend + (f' ("{style.label}")' if style.label else "")
        rows.append(f'<TR><TD ALIGN="LEFT"><FONT COLOR="{style.color}"><B>{sample}</B></FONT></TD>'
                    f'<TD ALIGN="LEFT">{_small(wording, "#232F3E")}</TD></TR>')
    for severity in scene.severities:
        color = SEVERITY_COLORS[severity]
        rows.append(f'<TR><TD BORDER="3" COLOR="{color}" STYLE="rounded">'
                    f'<FONT POINT-SIZE="10" COLOR="{color}"><B>RULE001</B></FONT></TD>'
                    f'<TD ALIGN="LEFT">{_small(f"{severity}: a rule found something (outline and id in this colour)", "#232F3E")}'
                    f'</TD></TR>')
    if scene.severities:
        rows.append(f'<TR><TD></TD><TD ALIGN="LEFT">{_small("the SVG shows the messages on hover", "#232F3E")}</TD></TR>')
    if any(node.of for node in scene.nodes()):
        rows.append(f'<TR><TD><FONT POINT-SIZE="10" COLOR="{MUTED_COLOR}">name<BR/>instances</FONT></TD>'
                    f'<TD ALIGN="LEFT">{_small("small faded icon in a subnet: a resource drawn once elsewhere that spans it", "#232F3E")}'
                    f'</TD></TR>')
    for highlight in scene.highlights:
        sample_style = "rounded" + (" dashed" if highlight.dashed else "")
        rows.append(f'<TR><TD BORDER="2" COLOR="{highlight.color or MUTED_COLOR}" BGCOLOR="{highlight.fill or "#FFFFFF"}" '
                    f'STYLE="{sample_style}">{_small("resource", "#232F3E")}</TD>'
                    f'<TD ALIGN="LEFT">{_small(highlight.legend, "#232F3E")}</TD></TR>')
    for note in scene.notes:
        rows.append(f'<TR><TD COLSPAN="2" ALIGN="LEFT">{_small(note, MUTED_COLOR)}</TD></TR>')
    label = (f'<<TABLE BORDER="1" COLOR="#AAB7B8" CELLBORDER="0" CELLSPACING="2" CELLPADDING="3">'
             f'{"".join(rows)}</TABLE>>')
    DiagramsNode(label, nodeid="LEGEND", shape="plain")
