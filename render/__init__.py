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
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Iterable

from ..linter.output import write_atomically
from .run_dot import RenderError

# extension -> format name
FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf", ".dot": "dot", ".mmd": "mmd"}
TEXT_FORMATS = ("dot", "mmd", "svg")  # what `-o -` may write to standard output
DIRECTIONS = ("LR", "TB")

__all__ = ["DIRECTIONS", "FORMATS", "TEXT_FORMATS", "RenderError", "Rendered", "format_of_path",
           "render_bytes", "render_diagram"]


@dataclass
class Rendered:
    data: bytes
    warnings: list[str] = field(default_factory=list)


def format_of_path(path: str) -> str | None:
    """The format named by a path's extension, or None when it names none we write."""
    return FORMATS.get(os.path.splitext(path)[1].lower())


def render_bytes(graph, output_format: str, direction: str = "LR", findings: Iterable = ()) -> Rendered:
    """The diagram of `graph` in `output_format` (a value of FORMATS), and warnings for the user."""
    from .dot_source import dot_source
    from .mermaid import mermaid_source
    from .run_dot import run_dot
    from .scene import build_scene
    from .svg_embed import embed_icons

    if output_format not in FORMATS.values():
        raise ValueError(f"unknown format {output_format!r}; use one of {', '.join(FORMATS.values())}")
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown direction {direction!r}; use LR or TB")
    scene = build_scene(graph, direction, findings)
    if output_format == "mmd":
        return Rendered(mermaid_source(scene).encode("utf-8"))
    source = dot_source(scene)
    if output_format == "dot":
        return Rendered(source.encode("utf-8"))
    data, warnings = run_dot(source, output_format)
    if output_format == "svg":
        data = embed_icons(data)
    return Rendered(data, warnings)


def render_diagram(graph, out_path: str, direction: str = "LR", findings: Iterable = (),
                   output_format: str | None = None) -> list[str]:
    """Write the diagram of `graph` to `out_path` (whole or not at all); return warnings.

    The format comes from the extension unless `output_format` is given (needed for
    `-`, standard output).
    """
    output_format = output_format or format_of_path(out_path)
    if output_format is None:
        raise ValueError(f"cannot tell the format of {out_path!r}; use one of {', '.join(FORMATS)}")
    rendered = render_bytes(graph, output_format, direction, findings)
    write_atomically(out_path, rendered.data)
    return rendered.warnings
