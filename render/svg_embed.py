"""Make Graphviz's SVG portable: icons embedded, not linked.

Graphviz writes each icon as `<image xlink:href="aws/compute/lambda.png" …/>`, a path
that only resolves on the machine (and in the folder) that drew it; diagrams' own SVGs
carry absolute site-packages paths. We embed every icon once, as a data: URI inside a
`<symbol>` in `<defs>`, and replace each `<image>` by a `<use>` of it, so that an SVG
of 500 Lambda functions holds the Lambda icon once, and opens anywhere (browsers,
GitHub, Inkscape) without the files beside it.
"""

from __future__ import annotations

import base64
import re
import struct

from .icon_map import icon_path

_IMAGE = re.compile(r'<image xlink:href="([^"]+)" width="([^"]+)" height="([^"]+)" '
                    r'preserveAspectRatio="([^"]+)" x="([^"]+)" y="([^"]+)"/>')
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")


def embed_icons(svg: bytes) -> bytes:
    """The SVG with every linked icon embedded; raises ValueError on an unknown link."""
    text = svg.decode("utf-8")
    symbols: dict[str, str] = {}  # icon name -> symbol id, in order of first use

    def use(match: re.Match) -> str:
        name, width, height, _aspect, x, y = match.groups()
        symbol = symbols.setdefault(name, "icon-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"))
        return (f'<use xlink:href="#{symbol}" width="{width}" height="{height}" x="{x}" y="{y}"/>')

    text = _IMAGE.sub(use, text)
    if "<image " in text:
        raise ValueError("Graphviz wrote an <image> element this embedder does not understand")
    if symbols:
        defs = "".join(_symbol(symbol, name) for name, symbol in symbols.items())
        opening = _SVG_OPEN.search(text)
        text = f"{text[:opening.end()]}\n<defs>{defs}</defs>{text[opening.end():]}"
    return text.encode("utf-8")


def _symbol(symbol_id: str, name: str) -> str:
    with open(icon_path(name), "rb") as stream:
        data = stream.read()
    width, height = png_size(data)
    encoded = base64.b64encode(data).decode("ascii")
    return (f'\n<symbol id="{symbol_id}" viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet">'
            f'<image width="{width}" height="{height}" xlink:href="data:image/png;base64,{encoded}"/></symbol>')


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) in pixels from a PNG's header."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    return struct.unpack(">II", data[16:24])
