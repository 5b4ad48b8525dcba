"""A scene as an editable diagrams.net (draw.io) file, laid out by Graphviz.

`drawio_source(scene, layout)` writes draw.io's XML (mxfile / diagram / mxGraphModel /
root / mxCell): each resource one AWS shape from draw.io's own `mxgraph.aws4`
library, Region, VPC, subnet and Auto Scaling group as its AWS group shapes (an AZ as
AWS's dashed box, which has no icon), placement groups as dotted boxes, every cluster
a container holding what is drawn in it, so that moving a VPC moves its subnets.
Positions come from the same Graphviz layout as the PNG (`dot -Tjson`), edges carry
the same colours, dashes and labels, and a resource or flow with findings gets an
outline in its severity's colour and the messages as its tooltip.

The shape names are data (`data/drawio-aws4-shapes.txt`), each found in draw.io's
sidebar source; a type without a verified shape gets AWS4's generic resource icon.
XML is written with ElementTree, which escapes every attribute; text is made plain first
(control characters cannot appear in XML at all), and every cell says `html=0`, so that
draw.io shows labels and tooltips as text, never as HTML.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET

from .dot_source import dot_name
from .scene import Cluster, Edge, Node, Scene
from .styles import EDGE_STYLES, SEVERITY_COLORS
from .text import plain

SHAPES_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "drawio-aws4-shapes.txt")
POINTS_PER_INCH = 72
ICON = 48  # size of a resource shape, in draw.io units (pixels at 100%)

# spec type -> (kind, aws4 name, fill colour of its AWS category)
TYPE_SHAPES = {
    "lambda.function": ("resIcon", "lambda", "#ED7100"),
    "sqs.queue": ("resIcon", "sqs", "#E7157B"),
    "sns.topic": ("resIcon", "sns", "#E7157B"),
    "events.rule": ("resIcon", "eventbridge", "#E7157B"),
    "ec2.instance": ("resIcon", "ec2", "#ED7100"),
    "autoscaling.group": ("resIcon", "auto_scaling2", "#ED7100"),
    "batch.compute_environment": ("resIcon", "batch", "#ED7100"),
    "cloudwatch.alarm": ("resIcon", "cloudwatch_2", "#E7157B"),
    "ec2.eip": ("shape", "elastic_ip_address", "#ED7100"),
    "s3.bucket": ("resIcon", "s3", "#7AA116"),
    "ebs.volume": ("resIcon", "elastic_block_store", "#7AA116"),
    "snowball.job": ("resIcon", "snowball", "#7AA116"),
    "waf.web_acl": ("resIcon", "waf", "#DD344C"),
    "directconnect.connection": ("resIcon", "direct_connect", "#8C4FFF"),
    "datasync.task": ("resIcon", "datasync", "#01A88D"),
    "alb": ("shape", "application_load_balancer", "#8C4FFF"),
    "network_acl": ("shape", "network_access_control_list", "#8C4FFF"),
}
EXTERNAL_SHAPES = {
    "users": ("shape", "client", "#232F3E"),
    "client": ("shape", "client", "#232F3E"),
    "service": ("shape", "internet_alt1", "#232F3E"),
    "datacenter": ("shape", "corporate_data_center", "#232F3E"),
}
# an external's icon file (icon_map.EXTERNAL_ICONS) names its kind
EXTERNAL_ICON_WORDS = [("users", EXTERNAL_SHAPES["users"]), ("client", EXTERNAL_SHAPES["client"]),
                       ("traditional-server", EXTERNAL_SHAPES["datacenter"])]
GENERIC_SHAPE = ("resIcon", "general", "#232F3E")
CATEGORY_COLORS = {  # the generic icon in the colour of the type's AWS category (no aws4 shape of its own)
    "security_group": "#DD344C", "placement_group": "#ED7100", "parallelcluster.cluster": "#ED7100",
}

GROUP_STYLES = {
    "region": "shape=mxgraph.aws4.group;grIcon=mxgraph.aws4.group_region;strokeColor=#00A4A6;fillColor=none;"
              "verticalAlign=top;align=left;spacingLeft=30;fontColor=#147EBA;dashed=1;",
    "vpc": "shape=mxgraph.aws4.group;grIcon=mxgraph.aws4.group_vpc;strokeColor=#8C4FFF;fillColor=none;"
           "verticalAlign=top;align=left;spacingLeft=30;fontColor=#8C4FFF;dashed=0;",
    "az": "fillColor=none;strokeColor=#147EBA;dashed=1;verticalAlign=top;fontStyle=0;fontColor=#147EBA;",
    "subnet": "shape=mxgraph.aws4.group;grIcon=mxgraph.aws4.group_security_group;grStroke=0;strokeColor=#00A4A6;"
              "fillColor=#E6F6F7;verticalAlign=top;align=left;spacingLeft=30;fontColor=#147EBA;dashed=0;",
    "public_subnet": "shape=mxgraph.aws4.group;grIcon=mxgraph.aws4.group_security_group;grStroke=0;"
                     "strokeColor=#7AA116;fillColor=#F2F6E8;verticalAlign=top;align=left;spacingLeft=30;"
                     "fontColor=#248814;dashed=0;",
    "autoscaling": "shape=mxgraph.aws4.groupCenter;grIcon=mxgraph.aws4.group_auto_scaling_group;grStroke=1;"
                   "strokeColor=#ED7100;fillColor=none;verticalAlign=top;align=center;fontColor=#ED7100;dashed=1;"
                   "spacingTop=25;",
    "placement": "fillColor=#FDF3E7;strokeColor=#ED7100;dashed=1;dashPattern=1 3;strokeWidth=2;verticalAlign=top;"
                 "align=left;spacingLeft=8;fontColor=#ED7100;",
    "diagram": "fillColor=none;strokeColor=none;verticalAlign=top;fontSize=16;",
    "tag": "fillColor=#F8F9FA;strokeColor=#545B64;dashed=1;verticalAlign=top;align=left;spacingLeft=8;",
}
COMMON_GROUP = "html=0;container=1;collapsible=0;recursiveResize=0;pointerEvents=0;fontSize=12;"


def known_shape_names() -> set[str]:
    """The aws4 names found in draw.io's sidebar source (see SHAPES_FILE)."""
    with open(SHAPES_FILE, encoding="utf-8") as stream:
        return {line.split()[0] for line in stream if line.strip() and not line.startswith("#")}


def shape_style(node: Node) -> str:
    """The draw.io style of a resource node: an aws4 shape in its category colour."""
    if node.type == "external":
        kind, name, color = next((shape for word, shape in EXTERNAL_ICON_WORDS if word in node.icon),
                                 EXTERNAL_SHAPES["service"])
    elif node.type in TYPE_SHAPES:
        kind, name, color = TYPE_SHAPES[node.type]
    else:
        kind, name, color = GENERIC_SHAPE[0], GENERIC_SHAPE[1], CATEGORY_COLORS.get(node.type, GENERIC_SHAPE[2])
    common = ("outlineConnect=0;dashed=0;verticalLabelPosition=bottom;verticalAlign=top;align=center;html=0;"
              "fontSize=12;fontStyle=0;aspect=fixed;fontColor=#232F3E;")
    if kind == "resIcon":
        return (f"sketch=0;{common}gradientColor=none;fillColor={color};strokeColor=#ffffff;"
                f"shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.{name};")
    return f"sketch=0;{common}gradientColor=none;fillColor={color};strokeColor=none;shape=mxgraph.aws4.{name};"


def drawio_source(scene: Scene, layout: dict) -> str:
    """draw.io XML of `scene`, placed as Graphviz's `dot -Tjson` `layout` says."""
    writer = _Writer(scene, layout)
    return writer.xml()


class _Writer:
    def __init__(self, scene: Scene, layout: dict):
        self.scene = scene
        objects = layout.get("objects", [])
        top = [float(v) for v in layout["bb"].split(",")]
        self.height = top[3]
        self.boxes: dict[str, tuple[float, float, float, float]] = {}  # dot name -> x, y, w, h (draw.io units)
        for obj in objects:
            if "bb" in obj:
                x1, y1, x2, y2 = (float(v) for v in obj["bb"].split(","))
                self.boxes[obj["name"]] = (x1, self.height - y2, x2 - x1, y2 - y1)
            elif "pos" in obj:
                x, y = (float(v) for v in obj["pos"].split(","))
                self.boxes[obj["name"]] = (x - ICON / 2, self.height - y - ICON / 2 - 8, ICON, ICON)
        self.cells: list[ET.Element] = []
        self.origin: dict[str, tuple[float, float]] = {"1": (0.0, 0.0)}
        self.ids: dict[str, str] = {}  # scene id -> cell id

    def xml(self) -> str:
        mxfile = ET.Element("mxfile", host="archlint", type="device")
        diagram = ET.SubElement(mxfile, "diagram", id="archlint", name=plain(self.scene.title or "architecture"))
        model = ET.SubElement(diagram, "mxGraphModel", dx="0", dy="0", grid="1", gridSize="10", guides="1",
                              tooltips="1", connect="1", arrows="1", fold="1", page="0", pageScale="1",
                              math="0", shadow="0")
        root = ET.SubElement(model, "root")
        ET.SubElement(root, "mxCell", id="0")
        ET.SubElement(root, "mxCell", id="1", parent="0")
        self._cluster(self.scene.top, "1", root)
        for number, edge in enumerate(self.scene.edges):
            self._edge(edge, number, root)
        ET.indent(mxfile)
        return ET.tostring(mxfile, encoding="unicode") + "\n"

    def _cell(self, root: ET.Element, cell_id: str, parent: str, value: str, style: str,
              box: tuple[float, float, float, float], tooltip: str = "", resource: str = "") -> None:
        holder = root
        if tooltip or resource:
            # draw.io keeps a tooltip (and our resource id) on a UserObject around the cell
            attrs = {"id": cell_id, "label": plain(value)}
            if tooltip:
                attrs["tooltip"] = tooltip  # lines of plain text; ElementTree escapes the newlines
            if resource:
                attrs["archlint_resource"] = plain(resource)
            holder = ET.SubElement(root, "UserObject", attrs)
            cell = ET.SubElement(holder, "mxCell", style=style, vertex="1", parent=parent)
        else:
            cell = ET.SubElement(holder, "mxCell", id=cell_id, value=plain(value), style=style, vertex="1",
                                 parent=parent)
        px, py = self.origin[parent]
        x, y, w, h = box
        ET.SubElement(cell, "mxGeometry", {"x": f"{x - px:.1f}", "y": f"{y - py:.1f}", "width": f"{w:.1f}",
                                           "height": f"{h:.1f}", "as": "geometry"})
        self.origin[cell_id] = (x, y)

    def _cluster(self, cluster: Cluster, parent: str, root: ET.Element) -> None:
        for node in cluster.nodes:
            self._node(node, parent, root)
        for child in cluster.clusters:
            name = f"cluster_{dot_name(child.id)}"
            if name not in self.boxes:
                continue
            cell_id = f"c-{len(self.ids)}"
            self.ids[child.id] = cell_id
            style = COMMON_GROUP + GROUP_STYLES[child.look or child.kind]
            if child.marks.rules:
                style += f"strokeColor={SEVERITY_COLORS[child.marks.severity]};strokeWidth=3;"
            lines = [child.title, child.detail, *child.badges]
            if child.marks.rules:
                lines.append(" ".join(child.marks.rules))
            self._cell(root, cell_id, parent, " · ".join(line for line in lines if line), style, self.boxes[name],
                       tooltip=_lines(child.marks.messages))
            self._cluster(child, cell_id, root)

    def _node(self, node: Node, parent: str, root: ET.Element) -> None:
        name = dot_name(node.id)
        if name not in self.boxes:
            return
        cell_id = f"n-{len(self.ids)}"
        self.ids[node.id] = cell_id
        title = node.title + (f" × {node.count}" if node.count > 1 else "")
        lines = [title, node.detail, *node.badges]
        if node.of:
            # a presence marker is not a resource: a dashed box naming it, no AWS shape
            x, y, w, h = self.boxes[name]
            style = ("rounded=1;dashed=1;fillColor=none;strokeColor=#7B8894;fontColor=#7B8894;fontSize=10;"
                     "html=0;")
            self._cell(root, cell_id, parent, " · ".join(line for line in lines if line), style,
                       (x - 20, y, w + 40, h), resource=node.of)
            return
        if node.marks.rules:
            lines.append(" ".join(node.marks.rules))
        value = "\n".join(line for line in lines if line)
        self._cell(root, cell_id, parent, value, shape_style(node), self.boxes[name],
                   tooltip=_lines(node.marks.messages), resource=node.id)
        if node.marks.rules:
            # the finding outline: a rounded frame in the severity's colour around the shape
            x, y, w, h = self.boxes[name]
            frame = (f"rounded=1;fillColor=none;strokeColor={SEVERITY_COLORS[node.marks.severity]};strokeWidth=3;"
                     "html=0;")
            self._cell(root, f"{cell_id}-finding", parent, "", frame, (x - 6, y - 6, w + 12, h + 12),
                       tooltip=_lines(node.marks.messages))

    def _edge(self, edge: Edge, number: int, root: ET.Element) -> None:
        source, target = self.ids.get(edge.source), self.ids.get(edge.target)
        if not source or not target:
            return
        style = EDGE_STYLES[edge.style]
        css = [f"strokeColor={style.color}", f"strokeWidth={style.penwidth}", "html=0", "rounded=1",
               "endArrow=" + {"normal": "block", "vee": "open", "empty": "block", "none": "none"}[style.arrowhead],
               f"endFill={0 if style.arrowhead == 'empty' else 1}", "fontSize=11"]
        if style.style == "dashed":
            css.append("dashed=1")
        elif style.style == "dotted":
            css += ["dashed=1", "dashPattern=1 3"]
        if style.arrowtail:
            css += ["startArrow=oval", "startFill=0"]
        label = edge.label or style.label
        tooltip = ""
        if edge.marks.rules:
            css += [f"strokeColor={SEVERITY_COLORS[edge.marks.severity]}", "strokeWidth=3",
                    f"fontColor={SEVERITY_COLORS[edge.marks.severity]}"]
            label = " ".join(part for part in (label, " ".join(edge.marks.rules)) if part)
            tooltip = _lines(edge.marks.messages)
        attrs = {"style": ";".join(css) + ";", "edge": "1", "parent": "1", "source": source, "target": target}
        if tooltip:
            holder = ET.SubElement(root, "UserObject", {"id": f"e-{number}", "label": plain(label),
                                                         "tooltip": tooltip})
            cell = ET.SubElement(holder, "mxCell", attrs)
        else:
            cell = ET.SubElement(root, "mxCell", {"id": f"e-{number}", "value": plain(label), **attrs})
        ET.SubElement(cell, "mxGeometry", {"relative": "1", "as": "geometry"})


def _lines(messages) -> str:
    return "\n".join(plain(message) for message in messages)
