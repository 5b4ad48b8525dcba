"""One typed query layer over the spec graph (docs/spec.md, "The graph"), for rules,
renderers and the emitter alike.

`query(graph)` indexes the graph in one pass over its nodes and one over its edges
and keeps the index beside the graph, so that every question below costs time in
proportion to its answer, and a rule that asks it once per resource stays linear in
the graph. (A rule that scanned every node or every edge per resource made DLQ001
take 68 s on 5,000 queues.) Rules and renderers read the graph and never change it,
so the index is built once; a graph that gains nodes afterwards (a test building
one by hand) is indexed again, one that only gains edges is not.

Each query has one name and one contract (the commonest are also functions of the
graph: `flows_out(graph, node, ...)` is `query(graph).flows_out(node, ...)`):

- `nodes_of_type(*types)`: (id, attributes) of the resources of those types, in file order.
- `flows_out(node, *relations)` / `flows_in(node, *relations)`: (other end, flow
  attributes) of every flow leaving / entering `node`, with those relations (all
  when none is named), in the order of the flows in the file. Two flows between the
  same resources are both listed (the emitter keeps two notifications with different
  filters).
- `first_flows_out(node, *relations)`: the same, only the first flow to each target.
- `flow_targets(node, *relations)`: the targets of those flows, once each, in the
  order of their first flow.
- `referrers(node, relation, *types)`: the resources (of those types, when named)
  whose reference `relation` (an attribute such as "volumes"; "group" for a
  security group rule's, "lifecycle_hook" for a hook's target) names `node`, once
  each, in file order.
- `references_in(node, *relations)`: (referrer, reference attributes) of every
  reference to `node` with those relations, in the order of the references in the file.
- `dead_letter_sources(queue)`: the other queues whose `dead_letter` names `queue`.
- `unknown_dead_letters()`: the queues whose `dead_letter` an imported template
  leaves unknown (any of them may name any queue).
- `position(node)`: a resource's place in the file (0 for the first).

Port ranges and CIDRs of security group and network ACL rules are numbers and
networks here (`port_range`, `network`, ...), compared with the standard library's
`ipaddress`, never as strings ("10.0.0.0/8" contains "10.1.0.0/16" although neither
string starts with the other). S3 key filters are compared by `key_filters_overlap`,
and many of them at once through a `KeyFilterIndex`.
"""

from __future__ import annotations

import bisect
import heapq
import ipaddress
import weakref
from typing import Iterator

import networkx as nx

ALL_PORTS = (0, 65535)
EPHEMERAL_PORTS = (1024, 65535)


class GraphQuery:
    """The index of one graph; get it with `query(graph)`."""

    def __init__(self, graph: nx.MultiDiGraph):
        self.graph = graph
        self._position: dict[str, int] = {}
        self._by_type: dict[str, list[tuple[int, str, dict]]] = {}
        for position, (node, data) in enumerate(graph.nodes(data=True)):
            self._position[node] = position
            self._by_type.setdefault(data["type"], []).append((position, node, data))
        self._out: dict[str, list[tuple[str, dict]]] = {}
        self._in: dict[str, list[tuple[str, dict]]] = {}
        self._refs_in: dict[str, list[tuple[str, dict]]] = {}
        self._referrers: dict[tuple[str, str], dict[str, None]] = {}
        for source, target, data in graph.edges(data=True):
            if data["kind"] == "flow":
                self._out.setdefault(source, []).append((target, data))
                self._in.setdefault(target, []).append((source, data))
            elif data["kind"] == "ref":
                self._refs_in.setdefault(target, []).append((source, data))
                self._referrers.setdefault((target, data["relation"]), {})[source] = None
        for flows in (*self._out.values(), *self._in.values(), *self._refs_in.values()):
            flows.sort(key=_edge_position)  # stable: edges at one position keep the graph's order
        position = self._position.__getitem__
        self._referrers_in_order = {key: sorted(found, key=position) for key, found in self._referrers.items()}
        self._unknown_dead_letters = [
            queue for _, queue, data in self._by_type.get("sqs.queue", ())
            if "dead_letter" in (data.get("unknown") or ())
        ]

    def position(self, node: str) -> int:
        return self._position[node]

    def nodes_of_type(self, *types: str) -> Iterator[tuple[str, dict]]:
        if len(types) == 1:
            for _, node, data in self._by_type.get(types[0], ()):
                yield node, data
            return
        for _, node, data in heapq.merge(*(self._by_type.get(kind, ()) for kind in types)):
            yield node, data

    def flows_out(self, node: str, *relations: str) -> list[tuple[str, dict]]:
        return _with_relations(self._out.get(node, ()), relations)

    def flows_in(self, node: str, *relations: str) -> list[tuple[str, dict]]:
        return _with_relations(self._in.get(node, ()), relations)

    def first_flows_out(self, node: str, *relations: str) -> list[tuple[str, dict]]:
        seen: set[str] = set()
        result = []
        for target, data in self.flows_out(node, *relations):
            if target not in seen:
                seen.add(target)
                result.append((target, data))
        return result

    def flow_targets(self, node: str, *relations: str) -> list[str]:
        return list(dict.fromkeys(target for target, _ in self.flows_out(node, *relations)))

    def referrers(self, node: str, relation: str, *types: str) -> list[str]:
        found = self._referrers_in_order.get((node, relation), [])
        if not types:
            return list(found)
        nodes = self.graph.nodes
        return [source for source in found if nodes[source]["type"] in types]

    def references_in(self, node: str, *relations: str) -> list[tuple[str, dict]]:
        return _with_relations(self._refs_in.get(node, ()), relations)

    def dead_letter_sources(self, queue: str) -> list[str]:
        return [source for source in self.referrers(queue, "dead_letter", "sqs.queue") if source != queue]

    def unknown_dead_letters(self) -> list[str]:
        return list(self._unknown_dead_letters)


def _edge_position(edge: tuple[str, dict]) -> tuple[int, int]:
    return edge[1]["line"], edge[1]["column"]


def _with_relations(flows, relations: tuple[str, ...]) -> list[tuple[str, dict]]:
    if not relations:
        return list(flows)
    return [(end, data) for end, data in flows if data["relation"] in relations]


# Kept beside the graph, not in `graph.graph` (whose keys docs/spec.md lists and the
# import writes back): a weak reference, so the index goes when the graph goes.
_QUERIES: "weakref.WeakKeyDictionary[nx.MultiDiGraph, GraphQuery]" = weakref.WeakKeyDictionary()


def query(graph: nx.MultiDiGraph) -> GraphQuery:
    """The graph's index, built on first use (again when nodes were added since)."""
    cached = _QUERIES.get(graph)
    if cached is None or len(cached._position) != graph.number_of_nodes():
        cached = GraphQuery(graph)
        _QUERIES[graph] = cached
    return cached


def nodes_of_type(graph: nx.MultiDiGraph, *types: str) -> Iterator[tuple[str, dict]]:
    """`GraphQuery.nodes_of_type` of the graph's index."""
    return query(graph).nodes_of_type(*types)


def flows_out(graph: nx.MultiDiGraph, node: str, *relations: str) -> list[tuple[str, dict]]:
    """`GraphQuery.flows_out` of the graph's index."""
    return query(graph).flows_out(node, *relations)


def flows_in(graph: nx.MultiDiGraph, node: str, *relations: str) -> list[tuple[str, dict]]:
    """`GraphQuery.flows_in` of the graph's index."""
    return query(graph).flows_in(node, *relations)


def referrers(graph: nx.MultiDiGraph, node: str, relation: str, *types: str) -> list[str]:
    """`GraphQuery.referrers` of the graph's index."""
    return query(graph).referrers(node, relation, *types)


# ---------------------------------------------------------------------------------
# Port ranges and CIDRs of security group and network ACL rules


def port_range(ports) -> tuple[int, int] | None:
    """The (low, high) range of a rule's `ports`: N, "N" or "N-M"; absent means all ports.

    None for a value that is not a port range, so callers can skip it (the loader
    rejects such values; a rule or the emitter must still not crash or guess on one).
    """
    if ports is None:
        return ALL_PORTS
    if isinstance(ports, bool):  # bool is an int subclass; True is no port
        return None
    if isinstance(ports, int):
        return (ports, ports) if 0 <= ports <= 65535 else None
    if not isinstance(ports, str):
        return None
    low, sep, high = ports.strip().partition("-")
    try:
        low_port = int(low)
        high_port = int(high) if sep else low_port
    except ValueError:
        return None
    if not 0 <= low_port <= high_port <= 65535:
        return None
    return low_port, high_port


def range_contains(outer: tuple[int, int], inner: tuple[int, int]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def network(cidr) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """The network of a CIDR string, or None when it is absent or not a CIDR."""
    if not isinstance(cidr, str):
        return None
    try:
        # strict=False: the loader already rejects host bits; do not crash if one slips by
        return ipaddress.ip_network(cidr.strip(), strict=False)
    except ValueError:
        return None


def network_contains(outer, inner) -> bool:
    """True when network `outer` contains network `inner` (same address family only)."""
    return outer.version == inner.version and inner.subnet_of(outer)


def networks_overlap(first, second) -> bool:
    """True when two networks share an address (networks of different families never do)."""
    return first.version == second.version and first.overlaps(second)


# ---------------------------------------------------------------------------------
# S3 object key filters: a (prefix, suffix) pair of a flow into or out of a bucket,
# None for an absent part (which matches every key, as "" does)


def key_filters_overlap(first: tuple, second: tuple) -> bool:
    """Whether some object key matches both (prefix, suffix) filters: one prefix
    extends the other and one suffix extends the other (S3 refuses overlapping
    notification filters on these terms; a write and a notification that do not
    overlap cannot start a loop)."""
    first_prefix, first_suffix = first[0] or "", first[1] or ""
    second_prefix, second_suffix = second[0] or "", second[1] or ""
    return (
        (first_prefix.startswith(second_prefix) or second_prefix.startswith(first_prefix))
        and (first_suffix.endswith(second_suffix) or second_suffix.endswith(first_suffix))
    )


class NestedStrings:
    """Strings, each standing for one item (its position in the list given), and for a
    string the items whose string is a prefix of it or extends it ("nested" with it).

    Found by looking up the string's own prefixes and a range of the sorted strings,
    so the cost follows the answer, not the number of strings.
    """

    def __init__(self, strings: list[str]):
        self.members: dict[str, list[int]] = {}
        for position, value in enumerate(strings):
            self.members.setdefault(value, []).append(position)
        self._values = sorted(self.members)
        self._below: list[int] = [0]  # items of the values sorted before each value
        for value in self._values:
            self._below.append(self._below[-1] + len(self.members[value]))

    def nested_values(self, value: str) -> list[str]:
        """The distinct strings nested with `value`: its prefixes, itself, its extensions."""
        found = [value[:end] for end in range(len(value) + 1) if value[:end] in self.members]
        values = self._values
        position = bisect.bisect_left(values, value)
        while position < len(values) and values[position].startswith(value):
            if values[position] != value:
                found.append(values[position])
            position += 1
        return found

    def nested_items(self, value: str) -> list[int]:
        return [item for nested in self.nested_values(value) for item in self.members[nested]]

    def count(self, value: str) -> int:
        """How many items `nested_items(value)` finds, without listing them: the
        string's own prefixes are looked up, its extensions counted by bisection."""
        start = bisect.bisect_left(self._values, value)
        end = bisect.bisect_left(self._values, value + "\U0010ffff")  # past every extension
        proper_prefixes = sum(len(self.members.get(value[:length], ())) for length in range(len(value)))
        return self._below[end] - self._below[start] + proper_prefixes


class KeyFilterIndex:
    """Key filters (prefix, suffix), each standing for one item (its position in the
    list given), and for a filter the items whose filters overlap it
    (`key_filters_overlap`): the candidates along prefixes or along suffixes, whichever
    are fewer, checked against the other part. The cost follows the answer unless many
    filters share a prefix with the one asked about and many others share its suffix."""

    def __init__(self, filters: list[tuple]):
        self.filters = [(prefix or "", suffix or "") for prefix, suffix in filters]
        self.prefixes = NestedStrings([prefix for prefix, _ in self.filters])
        self.suffixes = NestedStrings([suffix[::-1] for _, suffix in self.filters])

    def candidates(self, key_filter: tuple) -> int:
        prefix, suffix = key_filter[0] or "", key_filter[1] or ""
        return min(self.prefixes.count(prefix), self.suffixes.count(suffix[::-1]))

    def overlapping(self, key_filter: tuple) -> list[int]:
        """The items whose filters overlap `key_filter`, in the order given."""
        prefix, suffix = key_filter[0] or "", key_filter[1] or ""
        if self.prefixes.count(prefix) <= self.suffixes.count(suffix[::-1]):
            candidates = self.prefixes.nested_items(prefix)
        else:
            candidates = self.suffixes.nested_items(suffix[::-1])
        return sorted(item for item in candidates if key_filters_overlap((prefix, suffix), self.filters[item]))
