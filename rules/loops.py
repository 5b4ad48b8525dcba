"""Loops (LOOP): flows that come back to where they started, so every message starts another round.

The classic case is a bucket that notifies a function that writes back to the same
bucket. The check has to stay fast on very large graphs and has to be exact about the
one documented way out: a bucket whose incoming writes and outgoing notifications
cannot match the same object key. How it does both is explained in `LoopOfFlows`.
"""

from __future__ import annotations

import heapq
from collections import deque
from typing import Hashable, Iterator

import networkx as nx

from ..linter.rule import Finding, Rule, flow_edges, flow_position, known
from ..specs.query import KeyFilterIndex, NestedStrings, key_filters_overlap

LAMBDA_RECURSION_DOCS = "https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html"
S3_FILTER_DOCS = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html"

# Relations along which one message or event causes the next (docs/rules.md, LOOP001).
LOOP_RELATIONS = frozenset({
    "send", "publish", "event", "subscription", "event_source_mapping", "poll",
    "notification", "target", "invoke", "write", "alarm_action",
})

# A cyclic part of the graph is enumerated cycle by cycle only when it is this small
# and holds at most this many cycles; otherwise one representative cycle is reported
# (see LoopOfFlows.check).
SMALL_COMPONENT = 50
MAX_CYCLES_PER_COMPONENT = 50
# A bucket's writes are joined to its notifications pair by pair while the pairs are
# at most this many times the filters; through hub nodes beyond (see `_join_bucket`).
HUB_PAIRS = 16

# Longest path spelled out in a message.
MESSAGE_PATH_LIMIT = 12

# A pass through a bucket is modelled by the key filters of the flow in and the flow out.
Filter = tuple  # (prefix or None, suffix or None)


def _filter_of(flow: dict) -> Filter:
    return flow.get("prefix"), flow.get("suffix")


def _never_starts_a_round(graph: nx.MultiDiGraph, source: str, flow: dict) -> bool:
    """A bucket notification that holds no s3:ObjectCreated event: no write can trigger it."""
    if graph.nodes[source]["type"] != "s3.bucket" or flow["relation"] != "notification":
        return False
    events = flow.get("events")
    if events is None:  # the spec's default, s3:ObjectCreated:*
        return False
    return not any(str(event).startswith("s3:ObjectCreated") or str(event) == "s3:*" for event in events)


def filters_disjoint(written: Filter, notified: Filter) -> bool:
    """True when no key written through `written` can match `notified` (docs/rules.md, LOOP001).

    Both have a prefix and neither starts with the other, or both have a suffix and
    neither ends with the other.
    """
    return not key_filters_overlap(written, notified)


def _resource(key: Hashable) -> str:
    """The resource an expanded-graph node stands for (a bucket appears as several nodes)."""
    return key if isinstance(key, str) else key[1]


def _is_hub(key: Hashable) -> bool:
    """A node that only joins a bucket's writes to its notifications (see `_join_bucket`)."""
    return not isinstance(key, str) and key[0] == "hub"


def _loop_flows(graph: nx.MultiDiGraph) -> list[tuple[str, str, dict]]:
    """Flows that can carry a loop, in file order."""
    flows = [
        (source, target, data)
        for source, target, data in flow_edges(graph)
        if data["relation"] in LOOP_RELATIONS and not _never_starts_a_round(graph, source, data)
        and known(data, "events", "prefix", "suffix")  # a loop through an unknown filter is a guess
    ]
    flows.sort(key=lambda flow: flow_position(flow[2]))
    return flows


def _trimmed(flows: list[tuple[str, str, dict]]) -> list[tuple[str, str, dict]]:
    """The flows left after repeatedly dropping those from a resource no flow enters
    or to one no flow leaves: no cycle passes there. On a mostly acyclic graph this
    leaves little for the component search, in plain dictionary work."""
    entering: dict[str, int] = {}
    leaving: dict[str, int] = {}
    by_source: dict[str, list[int]] = {}
    by_target: dict[str, list[int]] = {}
    for position, (source, target, _) in enumerate(flows):
        entering[target] = entering.get(target, 0) + 1
        leaving[source] = leaving.get(source, 0) + 1
        by_source.setdefault(source, []).append(position)
        by_target.setdefault(target, []).append(position)
    dropped = [False] * len(flows)
    stack = [node for node in leaving if node not in entering] + [node for node in entering if node not in leaving]
    gone: set[str] = set()
    while stack:
        node = stack.pop()
        if node in gone:
            continue
        gone.add(node)  # on no cycle: drop every flow it touches
        for position in by_source.get(node, []) + by_target.get(node, []):
            if dropped[position]:
                continue
            dropped[position] = True
            source, target, _ = flows[position]
            entering[target] -= 1
            leaving[source] -= 1
            if entering[target] == 0:
                stack.append(target)
            if leaving[source] == 0:
                stack.append(source)
    return [flow for position, flow in enumerate(flows) if not dropped[position]]


def _cyclic_components(graph: nx.DiGraph) -> list[set]:
    return [
        component
        for component in nx.strongly_connected_components(graph)
        if len(component) > 1 or graph.has_edge(next(iter(component)), next(iter(component)))
    ]


def expanded_graph(graph: nx.MultiDiGraph) -> nx.DiGraph:
    """The loop flows, restricted to cyclic parts, with each bucket split by key filter.

    A bucket becomes one node ("in", bucket, filter) per distinct filter of the writes
    into it and one node ("out", bucket, filter) per distinct filter of the flows out
    of it, joined only where the two filters are not disjoint. Other resources stay
    one node each, keyed by id. A cycle of this graph is then a loop that no bucket
    breaks. Edges carry `at`, the position of the first flow they stand for.
    """
    flows = _trimmed(_loop_flows(graph))
    plain = nx.DiGraph()
    plain.add_edges_from((source, target) for source, target, _ in flows)
    component_of = {}
    for index, component in enumerate(_cyclic_components(plain)):
        for node in component:
            component_of[node] = index

    expanded = nx.DiGraph()
    bucket_sides: dict[str, tuple[dict, dict]] = {}  # bucket -> (in filters, out filters), ordered
    for source, target, data in flows:
        if source not in component_of or component_of.get(target) != component_of[source]:
            continue  # a flow between different strongly connected parts lies on no cycle
        tail, head = source, target
        if graph.nodes[source]["type"] == "s3.bucket":
            tail = ("out", source, _filter_of(data))
            bucket_sides.setdefault(source, ({}, {}))[1][tail] = None
        if graph.nodes[target]["type"] == "s3.bucket":
            head = ("in", target, _filter_of(data))
            bucket_sides.setdefault(target, ({}, {}))[0][head] = None
        if not expanded.has_edge(tail, head):
            expanded.add_edge(tail, head, at=flow_position(data))
    for bucket, (written_nodes, notified_nodes) in bucket_sides.items():
        _join_bucket(expanded, bucket, list(written_nodes), list(notified_nodes))
    return expanded


def _join_bucket(expanded: nx.DiGraph, bucket: str, written: list, notified: list) -> None:
    """Join each write into `bucket` to each notification out of it whose filter it can match.

    Directly, an edge per pair, while the pairs are few. A bucket written with a
    thousand prefixes and notified on a thousand suffixes has a million such pairs
    (4 GB and a minute, measured): then the pairs go through hub nodes ("hub", bucket,
    prefix, suffix), one per notification prefix and write suffix that meet. A write
    (p, s) reaches the hub of each notification prefix nested with p (one extends the
    other) and its own suffix s; the hub reaches the notifications of that prefix whose
    suffix is nested with s. A write thus reaches exactly the notifications it can
    match, through edges that grow with the distinct filters, not their pairs.
    """
    for sequence, key in enumerate(notified):
        expanded.nodes[key]["sequence"] = sequence  # the order of the notifications' first flows
    index = KeyFilterIndex([key[2] for key in notified])
    candidates = sum(index.candidates(key[2]) for key in written)
    if candidates <= HUB_PAIRS * (len(written) + len(notified)):
        for key in written:
            for item in index.overlapping(key[2]):
                expanded.add_edge(key, notified[item], at=None)
        return
    by_suffix: dict[str, NestedStrings] = {}  # notification prefix -> its notifications' suffixes
    reaches: dict[tuple, bool] = {}  # hub -> whether it reaches a notification
    for key in written:
        write_prefix, write_suffix = key[2][0] or "", key[2][1] or ""
        for prefix in index.prefixes.nested_values(write_prefix):
            hub = ("hub", bucket, prefix, write_suffix)
            if hub not in reaches:
                members = index.prefixes.members[prefix]
                if prefix not in by_suffix:
                    by_suffix[prefix] = NestedStrings([index.filters[item][1][::-1] for item in members])
                positions = sorted(by_suffix[prefix].nested_items(write_suffix[::-1]))
                for position in positions:
                    expanded.add_edge(hub, notified[members[position]], at=None)
                reaches[hub] = bool(positions)
            if reaches[hub]:
                expanded.add_edge(key, hub, at=None)


def _steps(graph: nx.DiGraph, cycle: list) -> list[tuple[str, tuple[int, int]]]:
    """(resource, position of the flow leaving it) along an expanded-graph cycle.

    A bucket's "in" node is skipped: its "out" node, which the cycle visits next,
    stands for the bucket and carries the flow out of it.
    """
    steps = []
    for index, key in enumerate(cycle):
        if not isinstance(key, str) and key[0] == "in":
            continue
        following = cycle[(index + 1) % len(cycle)]
        steps.append((_resource(key), graph.edges[key, following]["at"]))
    return steps


def _canonical(steps: list, order: dict) -> tuple[tuple[int, ...], list]:
    """The cycle rotated to start at its first resource in file order (the smallest rotation)."""
    indices = [order[resource] for resource, _ in steps]
    first = min(indices)
    best = None
    for start, index in enumerate(indices):
        if index != first:
            continue
        rotated = tuple(indices[start:] + indices[:start])
        if best is None or rotated < best[0]:
            best = (rotated, steps[start:] + steps[:start])
    return best


def _shortest_cycle_through(graph: nx.DiGraph, start, component: set) -> list:
    """A shortest cycle through `start` within its component.

    Breadth-first over successors in insertion order (the flows' file order), so the
    result is deterministic. A write into a bucket steps over hubs to the
    notifications in the order of their first flows, as it would with an edge per
    pair; a hub is stepped over once (whatever it reaches is found the first time).
    """
    parent = {start: None}
    crossed: set = set()
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for successor in _successors_over_hubs(graph, node, crossed):
            if successor == start:
                path = [node]
                while parent[path[-1]] is not None:
                    path.append(parent[path[-1]])
                return list(reversed(path))
            if successor in component and successor not in parent:
                parent[successor] = node
                queue.append(successor)
    raise AssertionError("every node of a strongly connected component lies on a cycle")


def _successors_over_hubs(expanded: nx.DiGraph, node, crossed: set) -> list:
    """The successors of `node`, each hub among them replaced by what it reaches
    unless it is in `crossed` (to which it is added)."""
    if _resource(node) == node or node[0] != "in":
        return list(expanded.adj[node])
    reached = {}
    for head in expanded.adj[node]:
        if not _is_hub(head):
            reached[head] = None
        elif head not in crossed:
            crossed.add(head)
            reached.update(dict.fromkeys(expanded.adj[head]))
    return sorted(reached, key=lambda key: expanded.nodes[key]["sequence"])


def _steps_past_hubs(expanded: nx.DiGraph, tail) -> list[tuple]:
    """(head, edge data) of the edges leaving `tail`, a hub replaced by what it reaches.

    A write into a bucket reaches the bucket's notifications in the order of their
    first flows, directly or through hubs alike, so that both find cycles in one order.
    """
    if _resource(tail) == tail or tail[0] != "in":
        return list(expanded.adj[tail].items())
    reached = {}
    for head, data in expanded.adj[tail].items():
        reached.update(expanded.adj[head].items() if _is_hub(head) else [(head, data)])
    return sorted(reached.items(), key=lambda step: expanded.nodes[step[0]]["sequence"])


def _bounded_cycles(expanded: nx.DiGraph, component: set, rank) -> list[list] | None:
    """Every simple cycle of a small component, or None when it is large or holds too many.

    The component is copied into a fresh graph with its nodes in file order, so that
    the enumeration never depends on set iteration order (string hashing).
    """
    if len(component) > SMALL_COMPONENT:
        return None
    ordered = sorted(component, key=rank)
    steps = {tail: [(head, data) for head, data in _steps_past_hubs(expanded, tail) if head in component]
             for tail in ordered}
    if all(len(leaving) == 1 for leaving in steps.values()):
        # one step out of each: the component is a single ring, its only cycle (the
        # common case, thousands of times over in a large spec, and the enumeration
        # below costs a millisecond each)
        ring = [ordered[0]]
        while steps[ring[-1]][0][0] != ordered[0]:
            ring.append(steps[ring[-1]][0][0])
        return [ring]
    sub = nx.DiGraph()
    sub.add_nodes_from(ordered)
    sub.add_edges_from((tail, head, data) for tail in ordered for head, data in steps[tail])
    cycles = []
    for cycle in nx.simple_cycles(sub):
        cycles.append(cycle)
        if len(cycles) > MAX_CYCLES_PER_COMPONENT:
            return None
    return cycles


def _describe(path: list[str]) -> str:
    shown = path if len(path) <= MESSAGE_PATH_LIMIT else path[:MESSAGE_PATH_LIMIT] + ["…"]
    return " -> ".join(shown + [path[0]])


class LoopOfFlows(Rule):
    """LOOP001. How it finds cycles, and why it stays fast.

    1. Keep the flows whose relation is in LOOP_RELATIONS, minus bucket notifications
       without an s3:ObjectCreated event (no write triggers them, so they break every
       cycle through them).
    2. Strongly connected components (networkx, linear time) of that graph: a flow
       between two components lies on no cycle, so everything outside the cyclic
       components is dropped at once. On a large, mostly acyclic graph this is the
       only work done.
    3. Inside cyclic components, split each bucket by key filter (see
       `expanded_graph`), so that a pass through a bucket whose write and
       notification are disjoint is simply not an edge. Splitting by distinct filter
       rather than by flow keeps this linear in the flows in practice (a bucket has a
       handful of prefixes, not thousands). The components are computed again on this
       graph: a node-level cycle that only passes through broken buckets disappears
       here.
    4. Enumerate cycles only where that is cheap and useful: a component of at most
       SMALL_COMPONENT nodes holding at most MAX_CYCLES_PER_COMPONENT simple cycles
       (Johnson's algorithm, stopped as soon as the bound is passed) is reported one
       finding per cycle. The number of simple cycles can grow exponentially with the
       component, and fifty findings on one tangle say nothing fifty-one would not;
       so a larger or denser component is reported once, with a shortest cycle
       through its first resource in file order and a count of the resources
       involved. Both outcomes depend only on the graph, never on hashing, so the
       output is stable.

    A cycle may pass through a bucket twice with different filters (a writes x/ to the
    bucket, whose x/ notification reaches b, which writes y/, whose notification
    reaches a): that is a real loop although no simple node cycle shows it, and it is
    reported with the bucket named twice.
    """

    id = "LOOP001"
    severity = "error"
    summary = "Flows form a loop: every message or event starts another round"
    docs = f"""
## What it does
Finds a cycle of flows whose relations are all among `send`, `publish`, `event`,
`subscription`, `event_source_mapping`, `poll`, `notification`, `target`, `invoke`,
`write` and `alarm_action`, such as an `s3.bucket` that notifies a function that
writes back to the same bucket. One finding per cycle, on its first resource in file
order.

A cycle through a bucket is broken, and not reported, when the write into the bucket
and the flow out of it along the cycle cannot match the same key: both have a
`prefix` and neither starts with the other, or both have a `suffix` and neither ends
with the other, or the flow out is a notification whose `events` hold no
`s3:ObjectCreated` event.

A large or densely tangled part of the graph (more than 50 nodes, or more than 50
loops) is reported once, with its shortest loop through its first resource and the
resources that lie on its loops, rather than one finding per loop.

## Why is this bad?
Every write starts another invocation, which writes again: the loop runs until
something fails, scaling the function to the account's concurrency and billing every
round. Lambda's recursive loop detection stops certain loops (a function with SQS,
SNS or S3) after about 16 invocations, which limits the bill, but the events of the
stopped loop are lost, and loops through services it does not track are not
stopped at all.
See [AWS: Use Lambda recursive loop detection to prevent infinite loops]({LAMBDA_RECURSION_DOCS})
and [AWS: Filtering event notifications by object key name]({S3_FILTER_DOCS}).

## Example
`thumbnails-fn` is notified of every new object in `images` and writes its thumbnail
back into `images`.

## Fix
Write to another bucket, or give the write and the notification disjoint filters
(`prefix: thumbnails/` on the write, `prefix: uploads/` on the notification).
"""
    bad_example = """\
archlint: 1
name: images
resources:
  images:
    type: s3.bucket
  thumbnails-fn:
    type: lambda.function
    on_failure: failures
  failures:
    type: sqs.queue
flows:
  - images -> thumbnails-fn -> images
"""
    good_example = """\
archlint: 1
name: images
resources:
  images:
    type: s3.bucket
  thumbnails-fn:
    type: lambda.function
    on_failure: failures
  failures:
    type: sqs.queue
flows:
  - from: images
    to: thumbnails-fn
    prefix: uploads/
  - from: thumbnails-fn
    to: images
    prefix: thumbnails/
"""

    def check(self, graph: nx.MultiDiGraph) -> Iterator[Finding]:
        order = {node: index for index, node in enumerate(graph.nodes)}

        def rank(key) -> tuple:
            return order[_resource(key)], str(key)

        expanded = expanded_graph(graph)
        reports = []  # (cycle in file-order indices, finding): sorted at the end
        for with_hubs in _cyclic_components(expanded):
            component = {key for key in with_hubs if not _is_hub(key)}
            cycles = _bounded_cycles(expanded, component, rank)
            if cycles is not None:
                seen = set()
                for cycle in cycles:
                    key, steps = _canonical(_steps(expanded, cycle), order)
                    if key not in seen:
                        seen.add(key)
                        reports.append((key, self._report(graph, steps, None)))
            else:
                cycle = _shortest_cycle_through(expanded, min(component, key=rank), component)
                key, steps = _canonical(_steps(expanded, cycle), order)
                resources = {_resource(node) for node in component}
                named = heapq.nsmallest(MESSAGE_PATH_LIMIT + 1, resources, key=order.__getitem__)
                reports.append((key, self._report(graph, steps, (len(resources), named))))
        reports.sort(key=lambda report: report[0])
        for _, finding in reports:
            yield finding

    def _report(self, graph: nx.MultiDiGraph, steps: list, tangle: tuple[int, list[str]] | None) -> Finding:
        """The finding for one cycle; `tangle` (count, first names) when it stands for a whole part."""
        path = [resource for resource, _ in steps]
        first, at = steps[0]
        message = (
            f"flows form a loop {_describe(path)}: every message or event around it starts another round, "
            "without end"
        )
        if tangle is not None:
            count, named = tangle
            shown = named if count <= MESSAGE_PATH_LIMIT else named[:MESSAGE_PATH_LIMIT] + ["…"]
            message += (
                f" (all {count} resources of this part lie on loops, too many to list one by one: "
                f"{', '.join(shown)})"
            )
        buckets = [index for index, resource in enumerate(path) if graph.nodes[resource]["type"] == "s3.bucket"]
        if buckets:
            index = buckets[0]
            bucket, writer, reader = path[index], path[index - 1], path[(index + 1) % len(path)]
            fix = (f"let {writer} write to another bucket than {bucket}, or give the flows {writer} -> {bucket} "
                   f"and {bucket} -> {reader} disjoint `prefix` or `suffix` filters")
        else:
            fix = f"remove one flow of the loop, e.g. the one leaving {first}, or send to a different resource"
        return self.finding(graph, first, message=message, fix=fix, at=at)


RULES = [LoopOfFlows]
