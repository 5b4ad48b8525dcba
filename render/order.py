"""Keeping file order where Graphviz would not: AZs by name, a flow's targets as listed.

Nodes that should appear in a given order (scene.ordered_groups) are put in one rank
and chained by invisible edges. Graphviz honours such a chain, but which end it puts
first depends on the graph: with `rankdir=LR` and clusters it sometimes draws the
chain bottom to top (seen with sns-fanout and its flawed twin: the same three queues
in opposite orders). So we lay the scene out once (`dot -Tplain`, no drawing), and if
fewer groups come out in order than reversed, write the chains the other way round and
keep whichever layout has more groups in order.

Limit: a chain between nodes of different clusters only orders the clusters when
Graphviz's crossing minimisation agrees; AZ boxes crossed by many flows may still
come out of order (flawed ha-eip-failover draws us-east-1b above us-east-1a). Large
pictures (FOLD_MIN_NODES and more) are not checked: the extra layout costs seconds.
"""

from __future__ import annotations

from typing import Callable

from .dot_source import dot_name
from .fold import FOLD_MIN_NODES
from .scene import Scene

Positions = dict[str, tuple[float, float]]


def keep_order(scene: Scene, positions: Callable[[Scene], Positions]) -> None:
    if not scene.ordered_groups or len(scene.nodes()) >= FOLD_MIN_NODES:
        return
    first = _in_order(scene, positions(scene))
    if first == len(scene.ordered_groups):
        return
    scene.flip_order = True
    if _in_order(scene, positions(scene)) <= first:
        scene.flip_order = False


def _in_order(scene: Scene, placed: Positions) -> int:
    """How many groups are drawn in order: top to bottom (LR; Graphviz's y grows
    upwards) or left to right (TB)."""
    count = 0
    for group in scene.ordered_groups:
        points = [placed[dot_name(node)] for node in group if dot_name(node) in placed]
        if scene.direction == "LR":
            count += all(a[1] > b[1] for a, b in zip(points, points[1:]))
        else:
            count += all(a[0] < b[0] for a, b in zip(points, points[1:]))
    return count
