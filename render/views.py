"""Views of part of an architecture: the graph a picture draws, chosen by the user.

`select(graph, focus=…, depth=…, only=…)` returns the subgraph to draw and notes
for the legend saying what was left out; `collapse(graph)` draws repeated identical
units once, marked "× N". Both return a new graph with the original's graph
attributes; the renderer then draws it like any other.

What stays beside the resources asked for: the VPCs, subnets and placement groups
they sit in (a picture of three resources still says where they run) and the
security groups they name (their badges). Nothing else.

Identical units (`collapse`): a *unit* is a weakly connected component of the graph
once the shared network (VPCs, subnets, security groups, network ACLs, placement
groups) is set aside. Two units are identical when, read in file order, their
resources have the same types and the same attributes apart from ids, labels and
positions; a reference inside the unit points to the same position in both, a
reference outside it to the same resource; and the same flows join the same
positions with the same relation, invocation and label. The first unit is drawn,
each of its resources titled "× N".
"""

from __future__ import annotations

from collections import defaultdict, deque

import networkx as nx

# Resources that several units share and that are drawn as structure or badges.
NETWORK_TYPES = ("vpc", "subnet", "security_group", "network_acl", "placement_group")
# Attributes that say where or how a resource is written, not what it is.
IGNORED_ATTRIBUTES = ("label", "positions", "line", "column", "file", "description")


class ViewError(ValueError):
    """A view names what the graph does not have; the message says what it has."""


def select(graph: nx.MultiDiGraph, focus: list[str] | None = None, depth: int = 1,
           only: list[str] | None = None) -> tuple[nx.MultiDiGraph, list[str]]:
    """The part of `graph` to draw, and a note per restriction for the legend."""
    keep = set(graph.nodes)
    notes = []
    if focus:
        unknown = [resource for resource in focus if resource not in graph]
        if unknown:
            raise ViewError(f"--focus names {', '.join(unknown)}, which the spec does not have")
        keep = _neighbourhood(graph, focus, depth)
        notes.append(f"view: {', '.join(focus)} and what is within {depth} "
                     f"{'step' if depth == 1 else 'steps'} of it")
    if only:
        kinds = {data.get("type") for _, data in graph.nodes(data=True)}
        families = {kind.split(".")[0] for kind in kinds if kind}
        unknown = [word for word in only if word not in kinds and word not in families]
        if unknown:
            raise ViewError(f"--only names {', '.join(unknown)}: the spec has the types "
                            f"{', '.join(sorted(k for k in kinds if k))}")
        keep = {resource for resource in keep if _matches(graph.nodes[resource].get("type") or "", only)}
        notes.append(f"view: only {', '.join(only)}")
    if keep == set(graph.nodes):
        return graph, []
    keep |= _context(graph, keep)
    notes.append(f"{len(keep)} of {len(graph)} resources shown")
    view = _subgraph(graph, keep)
    view.graph["view_notes"] = [*graph.graph.get("view_notes", ()), *notes]
    return view, notes


def _matches(kind: str, only: list[str]) -> bool:
    return kind in only or kind.split(".")[0] in only


def _neighbourhood(graph: nx.MultiDiGraph, focus: list[str], depth: int) -> set[str]:
    """Resources within `depth` edges of the focus, either way, not through the network
    (every instance of a VPC would otherwise be two steps from every other)."""
    seen = set(focus)
    queue = deque((resource, 0) for resource in focus)
    while queue:
        resource, distance = queue.popleft()
        if distance == depth:
            continue
        for neighbour in set(graph.successors(resource)) | set(graph.predecessors(resource)):
            if neighbour in seen or graph.nodes[neighbour].get("type") in NETWORK_TYPES:
                continue
            seen.add(neighbour)
            queue.append((neighbour, distance + 1))
    return seen


def _context(graph: nx.MultiDiGraph, keep: set[str]) -> set[str]:
    """The network the kept resources sit in: subnets, their VPCs, groups they name."""
    context: set[str] = set()
    for resource in keep:
        for _, target, data in graph.out_edges(resource, data=True):
            if graph.nodes[target].get("type") in NETWORK_TYPES:
                context.add(target)
    for subnet in [r for r in context if graph.nodes[r].get("type") == "subnet"]:
        vpc = graph.nodes[subnet].get("vpc")
        if vpc in graph:
            context.add(vpc)
    return context


def _subgraph(graph: nx.MultiDiGraph, keep: set[str]) -> nx.MultiDiGraph:
    view = nx.MultiDiGraph(**graph.graph)
    view.add_nodes_from((resource, graph.nodes[resource]) for resource in graph.nodes if resource in keep)
    view.add_edges_from((s, t, k, d) for s, t, k, d in graph.edges(keys=True, data=True) if s in keep and t in keep)
    return view


def collapse(graph: nx.MultiDiGraph) -> tuple[nx.MultiDiGraph, dict[str, int], list[str]]:
    """`graph` with each set of identical units drawn once: (graph, count by kept
    resource, notes). Units and identity as the module says."""
    units = _units(graph)
    by_signature: dict[tuple, list[list[str]]] = defaultdict(list)
    for unit in units:
        by_signature[_signature(graph, unit)].append(unit)
    drop: set[str] = set()
    counts: dict[str, int] = {}
    notes = []
    for same in by_signature.values():
        if len(same) < 2:
            continue
        for resource in same[0]:
            counts[resource] = len(same)
        for unit in same[1:]:
            drop.update(unit)
        notes.append(f"× {len(same)}: {', '.join(same[0])} stands for {len(same)} identical units")
    if not drop:
        return graph, {}, []
    view = _subgraph(graph, set(graph.nodes) - drop)
    view.graph["collapsed"] = counts
    view.graph["view_notes"] = [*graph.graph.get("view_notes", ()), *notes]
    return view, counts, notes


def _units(graph: nx.MultiDiGraph) -> list[list[str]]:
    """Weakly connected components without the shared network, each in file order."""
    order = {resource: index for index, resource in enumerate(graph.nodes)}
    rest = graph.subgraph([r for r, d in graph.nodes(data=True) if d.get("type") not in NETWORK_TYPES])
    units = [sorted(component, key=order.__getitem__) for component in nx.weakly_connected_components(rest)]
    return sorted(units, key=lambda unit: order[unit[0]])


def _signature(graph: nx.MultiDiGraph, unit: list[str]) -> tuple:
    position = {resource: index for index, resource in enumerate(unit)}

    def canonical(value):
        if isinstance(value, str) and value in position:
            return ("#", position[value])
        if isinstance(value, (list, tuple)):
            return tuple(canonical(item) for item in value)
        if isinstance(value, dict):
            return tuple(sorted((key, canonical(item)) for key, item in value.items() if key not in IGNORED_ATTRIBUTES))
        return repr(value)

    resources = tuple(canonical(graph.nodes[resource]) for resource in unit)
    edges = tuple(sorted(
        (canonical(source), canonical(target), data.get("kind"), data.get("relation"), data.get("invocation"),
         data.get("label"))
        for resource in unit for source, target, data in graph.out_edges(resource, data=True)))
    return resources, edges
