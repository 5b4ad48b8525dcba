"""Diagrams of a spec: PNG, SVG, PDF and DOT through diagrams + Graphviz, and Mermaid.

Public API:

    render_diagram(graph, "orders.svg", direction="LR", findings=lint(graph, rules))
    data, warnings = render_bytes(graph, "svg")

`graph` is the loader's graph (docs/spec.md, "The graph"); `findings` are the linter's
`Finding`s to mark on the picture (pass none for a clean drawing). The pieces:

- `scene.py`     where each resource goes (clusters) and how each edge looks
- `icon_map.py`  spec type -> icon, as plain data
- `styles.py`    edge styles, legend wording, colours
- `dot_source.py` the scene drawn with diagrams, as DOT text
- `run_dot.py`   Graphviz's dot, and its bitmap-size warning
- `svg_embed.py` icons embedded in SVGs so that they open anywhere
- `mermaid.py`   the scene as a Mermaid flowchart
- `drawio.py`    the scene as an editable diagrams.net file, placed by Graphviz
- `html.py`      one self-contained interactive page: the SVG, pan and zoom, details
- `views.py`     part of an architecture (--focus, --only) and identical units collapsed
- `fold.py`      a long picture folded into columns (at most 3:1)
- `text.py`      input strings made plain text for each output
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Iterable

from ..linter.output import write_atomically
from .run_dot import RenderError

# extension -> format name
FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf", ".dot": "dot", ".mmd": "mmd", ".drawio": "drawio",
           ".html": "html"}
TEXT_FORMATS = ("dot", "mmd", "svg", "drawio", "html")  # what `-o -` may write to standard output
GROUP_BY = ("vpc", "az")  # and "tag:KEY"
DIRECTIONS = ("LR", "TB")

__all__ = ["DIRECTIONS", "FORMATS", "GROUP_BY", "TEXT_FORMATS", "RenderError", "Rendered", "format_of_path",
           "render_bytes", "render_diagram"]


@dataclass
class Rendered:
    data: bytes
    warnings: list[str] = field(default_factory=list)


def format_of_path(path: str) -> str | None:
    """The format named by a path's extension, or None when it names none we write."""
    return FORMATS.get(os.path.splitext(path)[1].lower())


def render_bytes(graph, output_format: str, direction: str = "LR", findings: Iterable = (),
                 group_by: str = "vpc") -> Rendered:
    """The diagram of `graph` in `output_format` (a value of FORMATS), and warnings for the user.

    `group_by` nests resources by "vpc" (Region, VPC, AZ, subnet), "az" (Region, AZ,
    subnet) or "tag:KEY" (a box per value of the tag). Views of part of a graph are
    made before, with `views.select` and `views.collapse`.
    """
    from .dot_source import dot_source
    from .fold import fold
    from .order import keep_order
    from .mermaid import mermaid_source
    from .run_dot import run_dot
    from .scene import build_scene
    from .svg_embed import embed_icons

    if output_format not in FORMATS.values():
        raise ValueError(f"unknown format {output_format!r}; use one of {', '.join(FORMATS.values())}")
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown direction {direction!r}; use LR or TB")
    findings = list(findings)
    scene = build_scene(graph, direction, findings, group_by=group_by)
    if output_format == "mmd":
        return Rendered(mermaid_source(scene).encode("utf-8"))
    keep_order(scene, lambda ordered: _positions(dot_source(ordered)))
    warnings = fold(scene, lambda folded: _measure(dot_source(folded)))
    source = dot_source(scene)
    if output_format == "dot":
        return Rendered(source.encode("utf-8"), warnings)
    if output_format == "drawio":
        import json

        from .drawio import drawio_source

        layout, _ = run_dot(source, "json")
        return Rendered(drawio_source(scene, json.loads(layout)).encode("utf-8"), warnings)
    data, dot_warnings = run_dot(source, "svg" if output_format == "html" else output_format)
    warnings += dot_warnings
    if output_format in ("svg", "html"):
        data = embed_icons(data)
    if output_format == "html":
        from .html import html_page

        data = html_page(scene, data.decode("utf-8"), graph).encode("utf-8")
    return Rendered(data, warnings)


def _positions(source: str) -> dict[str, tuple[float, float]]:
    """Where Graphviz puts each node of a DOT source (DOT name -> x, y), without drawing."""
    from .run_dot import run_dot

    plain_layout, _ = run_dot(source, "plain")
    placed = {}
    for line in plain_layout.decode("utf-8").splitlines():
        parts = line.split(" ", 4)
        if parts[0] == "node":
            placed[parts[1].strip('"')] = (float(parts[2]), float(parts[3]))
    return placed


def _measure(source: str) -> tuple[float, float]:
    """(width, height) of the layout of a DOT source, in points, without drawing it."""
    from .run_dot import run_dot

    plain_layout, _ = run_dot(source, "plain")
    _, _, width, height = plain_layout.split(b"\n", 1)[0].split()[:4]
    return float(width), float(height)


def render_diagram(graph, out_path: str, direction: str = "LR", findings: Iterable = (),
                   output_format: str | None = None, group_by: str = "vpc") -> list[str]:
    """Write the diagram of `graph` to `out_path` (whole or not at all); return warnings.

    The format comes from the extension unless `output_format` is given (needed for
    `-`, standard output).
    """
    output_format = output_format or format_of_path(out_path)
    if output_format is None:
        raise ValueError(f"cannot tell the format of {out_path!r}; use one of {', '.join(FORMATS)}")
    rendered = render_bytes(graph, output_format, direction, findings, group_by=group_by)
    write_atomically(out_path, rendered.data)
    return rendered.warnings
