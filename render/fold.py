"""Folding a long picture: at most MAX_RATIO times longer than it is wide.

Graphviz ranks flows left to right and stacks everything that shares a rank: a spec
of many similar chains (300 resources: 30 chains of ten) becomes a strip 4,000 pixels
wide and 24,000 tall. We measure the layout (`dot -Tplain`, no drawing) and, when it is
too long, cut the picture's independent parts (the weakly connected components of the
drawn edges) into columns that follow each other along the ranks: an invisible edge
from the last node of each part in one column to the first nodes of the part at the
same place in the next. Graphviz then lays out a grid of columns instead of one column.
A node with many edges (a hub: users calling everything) does not join its neighbours
into one part, and its edges are bundled (Graphviz's `concentrate`), else each takes a
lane of its own and the lanes alone make the picture long. A picture whose parts are all one component cannot be folded: `fold` says so, and the
renderer passes it on with the options that draw less (--focus, --only, --collapse).
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Callable

from .scene import Scene

MAX_RATIO = 3.0  # longer side / shorter side: more gets a warning
FOLD_MIN_NODES = 30  # smaller pictures are never folded (nor measured)
MAX_DEPTH = 100
HUB_DEGREE = 12  # a node with this many edges or more does not join its neighbours into one part


def fold(scene: Scene, measure: Callable[[Scene], tuple[float, float]]) -> list[str]:
    """Add folding edges to `scene` until its layout is within MAX_RATIO; return
    warnings. `measure` lays the scene out and returns (width, height)."""
    if len(scene.nodes()) < FOLD_MIN_NODES:
        return []
    width, height = measure(scene)
    if _ratio(width, height) <= MAX_RATIO:
        return []
    if _hubs(scene):
        # a hub's edges each take a lane of their own across the ranks they span
        # (300 resources behind one `users`: 119 inches tall instead of 53);
        # Graphviz's concentrate bundles them
        scene.concentrate = True
        width, height = measure(scene)
        if _ratio(width, height) <= MAX_RATIO:
            return []
    parts = _components(scene)
    if len(parts) < 2:
        return [_too_long(width, height)]
    base = list(scene.layout_edges)
    tall = height > width if scene.direction == "LR" else width > height
    if not tall:  # long along the ranks: folding along the ranks would only lengthen it
        return [_too_long(width, height)]
    columns = max(2, math.ceil(math.sqrt(_ratio(width, height))))
    for _ in range(3):
        columns = min(columns, len(parts))
        scene.layout_edges = base + _fold_edges(scene, parts, columns)
        width, height = measure(scene)
        if _ratio(width, height) <= MAX_RATIO or columns == len(parts):
            break
        # more columns in proportion to how far off the aim it still is (each try is a layout)
        columns = max(columns + 1, math.ceil(columns * math.sqrt(_ratio(width, height) / MAX_RATIO)))
    return [] if _ratio(width, height) <= MAX_RATIO else [_too_long(width, height)]


def _ratio(width: float, height: float) -> float:
    return max(width, height) / max(min(width, height), 1e-9)


def _too_long(width: float, height: float) -> str:
    return (f"the picture is {_ratio(width, height):.1f} times longer than it is wide and could not be "
            f"folded further; draw part of it with --focus ID --depth N, --only TYPES or --collapse")


def _components(scene: Scene) -> list[list[str]]:
    """The drawn nodes joined by edges (presence markers with their resource), in
    picture order; a node alone, or a hub, is a part of its own."""
    order = [node.id for node in scene.nodes()]
    parent = {node: node for node in order}

    def root(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    # A hub (users calling every service, one topic every queue subscribes to) would
    # join everything into one part; its edges are left out, so that what hangs off it
    # folds into columns and the hub reaches into each.
    hubs = _hubs(scene)
    links = [(edge.source, edge.target) for edge in scene.edges if edge.source not in hubs and edge.target not in hubs]
    links += [(member, group[0]) for group in scene.same_ranks for member in group[1:]]
    for source, target in links:
        if source in parent and target in parent:
            parent[root(source)] = root(target)
    parts: dict[str, list[str]] = defaultdict(list)
    for node in order:
        parts[root(node)].append(node)
    return list(parts.values())


def _hubs(scene: Scene) -> set[str]:
    """Nodes with HUB_DEGREE edges or more."""
    degree: dict[str, int] = defaultdict(int)
    for edge in scene.edges:
        degree[edge.source] += 1
        degree[edge.target] += 1
    return {node for node, count in degree.items() if count >= HUB_DEGREE}


def _fold_edges(scene: Scene, parts: list[list[str]], columns: int) -> list[tuple[str, str]]:
    """Invisible edges that put parts[k] after parts[k - per_column] along the ranks."""
    sizes = [len(part) for part in parts]
    per_column = sum(sizes) / columns
    column_of, filled, column = [], 0.0, 0
    for size in sizes:  # sequential columns of about equal node counts
        if filled >= per_column * (column + 1) and column < columns - 1:
            column += 1
        column_of.append(column)
        filled += size
    depth = _depths(scene)
    part_of = {node: index for index, part in enumerate(parts) for node in part}
    # a part's sources: its nodes no edge from inside the part points at
    targets = {edge.target for edge in scene.edges
               if edge.constrains and part_of.get(edge.source) == part_of.get(edge.target)}
    by_column: dict[int, list[int]] = defaultdict(list)
    for index, column in enumerate(column_of):
        by_column[column].append(index)
    edges = []
    for column in range(1, columns):
        previous, current = by_column.get(column - 1, []), by_column.get(column, [])
        for place, index in enumerate(current):
            if not previous:
                continue
            before = parts[previous[min(place, len(previous) - 1)]]
            deepest = max(before, key=lambda node: depth.get(node, 0))
            sources = [node for node in parts[index] if node not in targets] or parts[index][:1]
            edges += [(deepest, source) for source in sources]
    return edges


def _depths(scene: Scene) -> dict[str, int]:
    """The rank of each node along the edges that constrain the layout (longest path
    from a node nothing points at)."""
    successors: dict[str, list[str]] = defaultdict(list)
    for edge in scene.edges:
        if edge.constrains and edge.source != edge.target:
            successors[edge.source].append(edge.target)
    depth: dict[str, int] = {}
    frontier = [node.id for node in scene.nodes()]
    for node in frontier:
        depth.setdefault(node, 0)
    # relax a bounded number of times: a cycle cannot make it loop forever, and
    # ranks beyond MAX_DEPTH do not change where a column should start
    for _ in range(min(len(frontier), MAX_DEPTH)):
        changed = False
        for source, targets in successors.items():
            for target in targets:
                if depth.get(target, 0) < depth.get(source, 0) + 1 <= MAX_DEPTH:
                    depth[target] = depth[source] + 1
                    changed = True
        if not changed:
            break
    return depth
