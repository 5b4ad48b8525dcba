"""Running Graphviz's `dot` on our DOT source, and reading what it complains about.

We run `dot` ourselves rather than through diagrams (which writes next to the
current folder and hides Graphviz's warnings) so that the output comes back as bytes
to be written whole, and so that we can see when Graphviz shrinks a large PNG.

The bitmap limit: Graphviz's cairo renderer makes no bitmap wider or taller than
32767 pixels, and when a graph is larger it prints "graph is too large for
cairo-renderer bitmaps. Scaling by F to fit" and shrinks the whole PNG. The limit is
compiled in, so no option raises it; a lower dpi only does the same shrinking by
hand. We therefore keep the PNG Graphviz made and tell the user, with the factor, that
.svg or .pdf keep full detail.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

PNG_DPI = 110  # a little sharper than Graphviz's 96; icons are 256 px, so there is detail to show
BITMAP_LIMIT = 32767
_SCALING = re.compile(r"too large for cairo-renderer bitmaps\. Scaling by ([0-9.eE+-]+)")


class RenderError(Exception):
    """Graphviz is missing or failed; the message says what to do."""


def dot_executable() -> str:
    found = shutil.which("dot")
    if not found:
        raise RenderError("Graphviz's 'dot' was not found on PATH; install Graphviz (e.g. 'apt-get install graphviz')")
    return found


def run_dot(source: str, output_format: str) -> tuple[bytes, list[str]]:
    """`dot -T<format>` of `source`: (output bytes, warnings meant for the user)."""
    from .icon_map import icon_dirs  # not at import: `python -m archlint.render.icon_map` runs it

    command = [dot_executable(), f"-T{output_format}", f"-Gimagepath={os.pathsep.join(icon_dirs())}"]
    if output_format == "png":
        command.append(f"-Gdpi={PNG_DPI}")
    try:
        done = subprocess.run(command, input=source.encode("utf-8"), capture_output=True, check=False)
    except OSError as error:
        raise RenderError(f"could not run Graphviz's dot: {error}") from error
    stderr = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0 or not done.stdout:
        raise RenderError(f"Graphviz's dot failed (exit {done.returncode}): {stderr.strip()}")
    return done.stdout, _user_warnings(stderr, output_format)


def _user_warnings(stderr: str, output_format: str) -> list[str]:
    """The warnings worth passing on; Graphviz's layout chatter is not."""
    found = _SCALING.search(stderr)
    if not found:
        return []
    factor = float(found.group(1))
    return [
        f"the diagram is larger than Graphviz's bitmap limit ({BITMAP_LIMIT} pixels a side), so Graphviz "
        f"shrank the whole {output_format.upper()} to {factor:.0%} of its size; text and icons may be hard "
        f"to read. Render to .svg or .pdf for full detail, or draw less of it with --focus ID --depth N, "
        f"--only TYPES or --collapse."
    ]
