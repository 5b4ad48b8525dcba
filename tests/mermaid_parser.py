"""Mermaid's own parser (tests/mermaid: mermaid and jsdom from npm, installed by
scripts/setup.sh), for every test that checks the Mermaid archlint writes: the diagram
GitHub would render is the one Mermaid's parser accepts."""

from __future__ import annotations

import subprocess
from pathlib import Path

MERMAID_PARSER = Path(__file__).resolve().parent / "mermaid" / "parse.mjs"


def mermaid_parse(source: str) -> subprocess.CompletedProcess:
    """Exit 0 and the diagram type on stdout, or exit 1 and Mermaid's error."""
    assert (MERMAID_PARSER.parent / "node_modules" / "mermaid").is_dir(), \
        "Mermaid's parser is not installed: run scripts/setup.sh (npm ci in tests/mermaid)"
    return subprocess.run(["node", str(MERMAID_PARSER)], input=source, capture_output=True, text=True,
                          timeout=120, check=False)
