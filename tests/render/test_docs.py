"""The committed docs diagram is current, and a .dot can be drawn by hand as documented."""

from __future__ import annotations

import os
import subprocess
import sys

from archlint.linter.engine import lint
from archlint.linter.registry import all_rules
from archlint.render import render_bytes
from archlint.specs import load_spec

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOCS_SPEC = os.path.join(ROOT, "specs", "examples", "flawed", "ha-eip-failover.yaml")


def test_docs_example_mmd_is_what_the_example_renders_to():
    """The CI check docs/rendering.md recommends, applied to our own docs."""
    graph = load_spec(DOCS_SPEC)
    expected = render_bytes(graph, "mmd", findings=lint(graph, all_rules())).data
    with open(os.path.join(ROOT, "docs", "example.mmd"), "rb") as stream:
        committed = stream.read()
    assert committed == expected, "docs/example.* are stale: run scripts/render-docs.sh"


def test_render_docs_script_names_the_spec_the_test_checks():
    with open(os.path.join(ROOT, "scripts", "render-docs.sh"), encoding="utf-8") as stream:
        assert os.path.relpath(DOCS_SPEC, ROOT) in stream.read()


def test_a_dot_file_draws_by_hand_with_the_documented_imagepath(network_graph, tmp_path):
    dot_file = tmp_path / "shop.dot"
    dot_file.write_bytes(render_bytes(network_graph, "dot").data)
    imagepath = subprocess.run([sys.executable, "-m", "archlint.render.icon_map"], capture_output=True,
                               text=True, check=True)
    assert imagepath.stderr == ""
    done = subprocess.run(["dot", "-Tpng", f"-Gimagepath={imagepath.stdout.strip()}", str(dot_file),
                           "-o", str(tmp_path / "shop.png")], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "Error" not in done.stderr and "Warning" not in done.stderr, done.stderr
    assert (tmp_path / "shop.png").stat().st_size > 10_000  # icons and all
