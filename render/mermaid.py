"""A scene as a Mermaid flowchart (`.mmd`), for Markdown that GitHub and GitLab draw.

Mermaid has no AWS icons without a registered icon pack, so each node says its type
in words under its title. Clusters become nested `subgraph`s, edge styles become
arrows plus a `linkStyle` per edge (colour and dash pattern from `styles.py`), and
marked resources get the class of their worst severity (`error`, `warning`, `info`:
outline in that colour) and their rule ids.

Ids: a resource `billing-fn` is `r_billing_fn` (Mermaid reads `-` as part of an
arrow, and a node called `end` would close a subgraph); clusters keep the scene's
upper-case ids, which no resource id can collide with.
"""

from __future__ import annotations

import re

from .scene import Cluster, Node, Scene
from .styles import EDGE_STYLES, SEVERITY_COLORS, SEVERITY_ORDER, Highlight
from .text import plain

CLUSTER_STYLES = {
    "region": "fill:#FFFFFF,stroke:#00A4A6,stroke-dasharray:6 4",
    "vpc": "fill:#FFFFFF,stroke:#8C4FFF",
    "az": "fill:#FFFFFF,stroke:#147EBA,stroke-dasharray:6 4",
    "subnet": "fill:#E6F6F7,stroke:#00A4A6",
    "public_subnet": "fill:#F2F6E8,stroke:#7AA116",
    "autoscaling": "fill:#FFFFFF,stroke:#ED7100,stroke-dasharray:6 4",
    "placement": "fill:#FDF3E7,stroke:#ED7100,stroke-dasharray:2 3",
    "legend": "fill:#FFFFFF,stroke:#AAB7B8",
    "tag": "fill:#F8F9FA,stroke:#545B64,stroke-dasharray:6 4",
}
# Node shapes that help where there are no icons: storage as a cylinder, people and
# systems outside AWS as a stadium.
SHAPES = {
    "s3.bucket": ('[("', '")]'),
    "ebs.volume": ('[("', '")]'),
    "external": ('(["', '"])'),
}
DEFAULT_SHAPE = ('["', '"]')


_SIMPLE_ID = re.compile(r"^[A-Za-z0-9_-]+$")


def mermaid_id(scene_id: str) -> str:
    """A Mermaid-safe id: resources (lower case) get an `r_` prefix, '-' becomes '_'.

    An id with any other character (an imported template's logical id can hold
    anything) is spelled by its bytes, so that nothing of it reaches Mermaid's syntax.
    """
    if not _SIMPLE_ID.match(scene_id):
        return "x_" + scene_id.encode("utf-8").hex()
    prefix = "" if scene_id[:1].isupper() else "r_"
    return prefix + scene_id.replace("-", "_")


def text(value: str) -> str:
    """Text safe inside a quoted Mermaid label: one line (a newline would start a
    statement: `click … call`, `%%{init}%%`), and entity codes, as Mermaid documents,
    for every character its syntax or HTML labels read (a leading backtick would make
    a Markdown string)."""
    return (plain(value).replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
            .replace("|", "#124;").replace("`", "#96;").replace("&", "#38;"))


def mermaid_source(scene: Scene) -> str:
    lines = [f"%% {scene.title}: drawn by archlint render from the spec; edit the spec, not this file",
             f"flowchart {scene.direction}"]
    styles: list[str] = []
    _cluster_body(scene.top, lines, styles, depth=1)
    links: list[str] = []
    for edge in scene.edges:
        label = edge.label or EDGE_STYLES[edge.style].label
        if edge.marks.rules:
            label = " ".join(part for part in (label, "⚠ " + " ".join(edge.marks.rules)) if part)
        _link(lines, links, mermaid_id(edge.source), mermaid_id(edge.target), edge.style, label,
              SEVERITY_COLORS.get(edge.marks.severity), edge.highlight)
    if scene.legend or scene.has_findings or scene.notes or scene.highlights:
        _legend(scene, lines, links, styles)
    styles += [f"  style {mermaid_id(node.id)} {_highlight_css(node.highlight, node.marks.severity if node.marks.rules else None)}"
               for node in scene.nodes() if node.highlight and node.highlight.color]
    lines += links + styles
    for severity in SEVERITY_ORDER:
        lines.append(f"  classDef {severity} stroke:{SEVERITY_COLORS[severity]},stroke-width:3px")
        marked = sorted(mermaid_id(node.id) for node in scene.nodes() if node.marks.severity == severity)
        if marked:
            lines.append(f"  class {','.join(marked)} {severity}")
    return "\n".join(lines) + "\n"


def _cluster_body(cluster: Cluster, lines: list[str], styles: list[str], depth: int) -> None:
    pad = "  " * depth
    for node in cluster.nodes:
        lines.append(pad + _node(node))
    for child in cluster.clusters:
        label = [text(child.title)] + [_small(child.detail)] * bool(child.detail)
        label += [_small(badge) for badge in child.badges]
        if child.marks.rules:
            label.append(_finding_text(child.marks.rules))
        label += _notes(child.highlight)
        lines.append(f'{pad}subgraph {mermaid_id(child.id)}["{"<br/>".join(label)}"]')
        _cluster_body(child, lines, styles, depth + 1)
        lines.append(f"{pad}end")
        style = CLUSTER_STYLES[child.look or child.kind]
        if child.highlight and child.highlight.color:
            style += "," + _highlight_css(child.highlight, None)
        if child.marks.rules:
            style += f",stroke:{SEVERITY_COLORS[child.marks.severity]},stroke-width:3px"
        styles.append(f"  style {mermaid_id(child.id)} {style}")


def _highlight_css(highlight: Highlight, finding_severity: str | None) -> str:
    """A `style` statement's CSS for a highlighted node or cluster; a finding's outline
    wins over the highlight's (an inline style overrides the severity class)."""
    css = f"fill:{highlight.fill}," if highlight.fill else ""
    outline = SEVERITY_COLORS[finding_severity] if finding_severity else highlight.color
    css += f"stroke:{outline},stroke-width:3px"
    if highlight.dashed:
        css += ",stroke-dasharray:6 4"
    return css


def _notes(highlight: Highlight | None) -> list[str]:
    return [_small(note) for note in (highlight.notes if highlight else ())]


def _small(value: str) -> str:
    return f"<small>{text(value)}</small>"


def _finding_text(rules: tuple[str, ...]) -> str:
    return f"<b>⚠ {text(' '.join(rules))}</b>"


def _node(node: Node) -> str:
    parts = [text(node.title) + (f" <b>× {node.count}</b>" if node.count > 1 else ""), _small(node.type)]
    if node.detail and node.detail != node.type:
        parts.append(_small(node.detail))
    parts += [_small(badge) for badge in node.badges]
    if node.marks.rules:
        parts.append(_finding_text(node.marks.rules))
    parts += _notes(node.highlight)
    opening, closing = SHAPES.get(node.type, DEFAULT_SHAPE)
    return f"{mermaid_id(node.id)}{opening}{'<br/>'.join(parts)}{closing}"


def _link(lines: list[str], links: list[str], source: str, target: str, style_key: str, label: str,
          finding_color: str | None = None, highlight: Highlight | None = None) -> None:
    style = EDGE_STYLES[style_key]
    arrow = style.mermaid_arrow
    lines.append(f'  {source} {arrow}|"{text(label)}"| {target}' if label else f"  {source} {arrow} {target}")
    color, width, dash = style.color, f"{style.penwidth}px", style.mermaid_dash
    if highlight and highlight.color:
        color, width, dash = highlight.color, "3px", "6 4" if highlight.dashed else style.mermaid_dash
    if finding_color:
        color, width = finding_color, "3px"
    css = f"stroke:{color},stroke-width:{width}"
    if dash:
        css += f",stroke-dasharray:{dash}"
    links.append(f"  linkStyle {len(links)} {css}")


def _legend(scene: Scene, lines: list[str], links: list[str], styles: list[str]) -> None:
    lines.append('  subgraph LEGEND["Legend"]')
    for key in scene.legend:
        lines.append(f'    LEGEND_{key}_from((" "))')
        lines.append(f'    LEGEND_{key}_to((" "))')
    for severity in scene.severities:
        lines.append(f'    LEGEND_{severity}["{severity}: a rule found something<br/>{_finding_text(("RULE001",))}"]')
    for number, highlight in enumerate(scene.highlights):
        lines.append(f'    LEGEND_highlight_{number}["{text(highlight.legend)}"]')
        styles.append(f"  style LEGEND_highlight_{number} {_highlight_css(highlight, None)}")
    for number, note in enumerate(scene.notes):
        lines.append(f'    LEGEND_note{number}["{text(note)}"]')
    lines.append("  end")
    styles.append(f"  style LEGEND {CLUSTER_STYLES['legend']}")
    for severity in scene.severities:
        styles.append(f"  style LEGEND_{severity} stroke:{SEVERITY_COLORS[severity]},stroke-width:3px")
    for key in scene.legend:
        wording = EDGE_STYLES[key].legend
        _link(lines, links, f"LEGEND_{key}_from", f"LEGEND_{key}_to", key, wording)
