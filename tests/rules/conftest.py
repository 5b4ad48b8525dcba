"""Helpers for the rule tests: load a spec text with the real loader and run one rule on it.

    from .conftest import findings, line_of

    found = findings(QueueWithoutDeadLetter, SPEC)      # list of Finding
    assert found[0].line == line_of(SPEC, "billing-queue:")

Spec texts may be indented (they are dedented first), so they can sit inside a test.
"""

from __future__ import annotations

import textwrap

import networkx as nx

SPEC_FILE = "spec.yaml"


def load(spec_text: str) -> nx.MultiDiGraph:
    """The graph of a spec text, loaded by the real loader as file `spec.yaml`."""
    from archlint.specs import load_text  # imported here so a loader problem fails the test, not collection

    return load_text(textwrap.dedent(spec_text), SPEC_FILE)


def findings(rule_class, spec_text: str) -> list:
    """Every finding of one rule on a spec text, in the order the rule yields them."""
    return list(rule_class().check(load(spec_text)))


def line_of(spec_text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the `occurrence`-th line of the (dedented) spec containing `needle`."""
    seen = 0
    for number, line in enumerate(textwrap.dedent(spec_text).splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} does not occur {occurrence} time(s) in the spec")
