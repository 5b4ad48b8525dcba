"""Redraw our own icons: `python -m archlint.render.draw_icons`.

`diagrams` has no AWS icon for a security group, a placement group or ParallelCluster,
so we keep hand-written SVG sources in `render/icons/src/` (in AWS's icon style: a
category-coloured rounded square with a white glyph) and ship 256x256 PNGs made from
them beside it. PNG, not SVG, because diagrams' icons are PNGs and every Graphviz build
can load PNG, while SVG images need Graphviz's optional librsvg plugin.

Only this maintenance command needs a rasterizer: `rsvg-convert` (Debian package
`librsvg2-bin`). Graphviz's own SVG loader is an optional plugin missing on many
machines, and Pillow is not a dependency of diagrams (checked: diagrams 0.25 requires
graphviz, jinja2 and pre-commit) and cannot read SVG anyway.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

ICON_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "icons")
SOURCE_DIR = os.path.join(ICON_DIR, "src")
PIXELS = 256


def draw(source: str, target: str) -> None:
    rasterizer = shutil.which("rsvg-convert")
    if not rasterizer:
        raise SystemExit("draw_icons: needs rsvg-convert (apt-get install librsvg2-bin)")
    done = subprocess.run([rasterizer, "--width", str(PIXELS), "--height", str(PIXELS), "--format", "png",
                           "--output", target, source], capture_output=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"draw_icons: could not draw {source}: {done.stderr.decode().strip()}")


def main() -> int:
    for name in sorted(os.listdir(SOURCE_DIR)):
        if name.endswith(".svg"):
            target = os.path.join(ICON_DIR, name[:-4] + ".png")
            draw(os.path.join(SOURCE_DIR, name), target)
            print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
