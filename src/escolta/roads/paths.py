"""Routes within a detour bound, and the cheapest one under segment prices.

A route from s to t is a simple directed path whose travel time is at most ``detour`` times
the fastest. :func:`cheapest_route` is the exact pricing oracle of the route game: among the
routes within the bound, the one whose segments' prices sum least. It is a resource-
constrained shortest path solved by label setting: a label (price, time) at a node is kept
unless another label there is no dearer and no slower, and dropped when even the fastest way
on to t would break the bound or the cheapest way on could not beat the best route found.
With prices and times non-negative, an optimal walk can be taken simple (removing a cycle
loses neither price nor time), so the labels need not remember the nodes they visited.
:func:`all_routes` enumerates every simple route within the bound, for brute-force checks on
small graphs.
"""

from __future__ import annotations

import heapq
import weakref
from collections.abc import Iterator, Mapping

import networkx as nx

from escolta.errors import InputError

Segment = frozenset[int]
#: Most labels one pricing call may create before it gives up (a stated limit, not a hang).
MAX_LABELS = 2_000_000


def segment(u: int, v: int) -> Segment:
    """The road between two nodes, whichever way it is driven."""
    return frozenset((u, v))


def route_seconds(graph: nx.DiGraph, nodes: tuple[int, ...]) -> float:
    return sum(graph[u][v]["seconds"] for u, v in zip(nodes, nodes[1:], strict=False))


def fastest_route(graph: nx.DiGraph, source: int, target: int) -> tuple[tuple[int, ...], float]:
    """The fastest route and its seconds (an InputError when no road joins the two)."""
    try:
        seconds, path = nx.single_source_dijkstra(graph, source, target, weight="seconds")
    except nx.NetworkXNoPath:
        raise InputError("roads", f"{source} -> {target}", "no road joins these sites") from None
    return tuple(int(n) for n in path), float(seconds)


def all_routes(graph: nx.DiGraph, source: int, target: int, limit_seconds: float
               ) -> Iterator[tuple[int, ...]]:
    """Every simple route from source to target within ``limit_seconds`` (brute force)."""
    to_target = nx.single_source_dijkstra_path_length(graph.reverse(copy=False), target,
                                                      weight="seconds")
    stack = [(source, (source,), 0.0)]
    while stack:
        node, path, elapsed = stack.pop()
        if node == target:
            yield path
            continue
        for nxt, data in graph[node].items():
            if nxt in path or nxt not in to_target:
                continue
            time = elapsed + data["seconds"]
            if time + to_target[nxt] <= limit_seconds * (1 + 1e-12):
                stack.append((nxt, (*path, nxt), time))


def without_cycles(nodes: tuple[int, ...]) -> tuple[int, ...]:
    """A walk with its cycles cut out (never slower, never dearer when weights are >= 0).

    Examples
    --------
    >>> without_cycles((1, 2, 3, 2, 4))
    (1, 2, 4)
    """
    out: list[int] = []
    seen: dict[int, int] = {}
    for node in nodes:
        if node in seen:
            del out[seen[node] + 1:]
            seen = {n: i for i, n in enumerate(out)}
            continue
        seen[node] = len(out)
        out.append(node)
    return tuple(out)


def directed_prices(price: Mapping[Segment, float]) -> dict[tuple[int, int], float]:
    """Segment prices by directed road ``(u, v)``, both ways (tuples hash faster than
    frozensets)."""
    directed: dict[tuple[int, int], float] = {}
    for seg, value in price.items():
        ends = tuple(seg)
        u, v = ends if len(ends) == 2 else (ends[0], ends[0])
        directed[(u, v)] = directed[(v, u)] = value
    return directed


def prices_on_to(graph: nx.DiGraph, target: int,
                 directed: Mapping[tuple[int, int], float]) -> Mapping[int, float]:
    """The cheapest price from every node on to ``target``, detours unbounded (Dijkstra on
    the reversed roads): the estimate that :func:`cheapest_route` expands labels by."""
    return nx.single_source_dijkstra_path_length(
        graph.reverse(copy=False), target, weight=lambda u, v, _d: directed.get((u, v), 0.0))


def cheapest_route(graph: nx.DiGraph, source: int, target: int, limit_seconds: float,
                   price: Mapping[Segment, float],
                   to_target: Mapping[int, float] | None = None,
                   estimate: tuple[Mapping[tuple[int, int], float], Mapping[int, float]]
                   | None = None) -> tuple[tuple[int, ...], float]:
    """The route within ``limit_seconds`` whose segments' prices (>= 0, missing = 0) sum
    least, and that sum.

    Labels are expanded cheapest first by price so far plus the cheapest price on to t
    (a consistent estimate), so the first label to reach t is optimal. ``estimate`` —
    :func:`directed_prices` of ``price`` and :func:`prices_on_to` of them for ``target`` —
    may be passed in by a caller pricing several sources to one target at the same prices.
    """
    if to_target is None:
        to_target = nx.single_source_dijkstra_path_length(graph.reverse(copy=False), target,
                                                          weight="seconds")
    if estimate is None:
        directed = directed_prices(price)
        cheapest_on = prices_on_to(graph, target, directed)
    else:
        directed, cheapest_on = estimate
    if source not in to_target or to_target[source] > limit_seconds * (1 + 1e-12):
        raise InputError("roads", f"{source} -> {target}", "no route within the detour bound")
    fronts: dict[int, list[tuple[float, float]]] = {}
    # a label is (estimate, price, time, node, its index); its node and parent label are
    # kept in ``nodes``/``parents``, so a push copies no path
    nodes, parents = [source], [-1]
    heap = [(cheapest_on.get(source, 0.0), 0.0, 0.0, source, 0)]
    slack = limit_seconds * (1 + 1e-12)
    successors = _successors(graph)
    while heap:
        _, cost, time, node, label = heapq.heappop(heap)
        if node == target:
            path = []
            while label >= 0:
                path.append(nodes[label])
                label = parents[label]
            return without_cycles(tuple(reversed(path))), cost
        front = fronts.setdefault(node, [])
        if any(c <= cost + 1e-15 and t <= time + 1e-12 for c, t in front):
            continue
        front[:] = [(c, t) for c, t in front if not (cost <= c and time <= t)]
        front.append((cost, time))
        for nxt, seconds in successors[node]:
            rest = to_target.get(nxt)
            if rest is None:
                continue
            arrive = time + seconds
            if arrive + rest > slack:
                continue
            if len(nodes) > MAX_LABELS:
                raise InputError("roads.max_detour", limit_seconds,
                                 f"the detour bound admits too many routes to price "
                                 f"(more than {MAX_LABELS:,} labels): lower max_detour")
            spent = cost + directed.get((node, nxt), 0.0)
            heapq.heappush(heap, (spent + cheapest_on.get(nxt, 0.0), spent, arrive, nxt,
                                  len(nodes)))
            nodes.append(nxt)
            parents.append(label)
    raise InputError("roads", f"{source} -> {target}", "no route within the detour bound")


_SUCCESSORS: weakref.WeakKeyDictionary[nx.DiGraph, dict[int, tuple[tuple[int, float], ...]]] = (
    weakref.WeakKeyDictionary())


def _successors(graph: nx.DiGraph) -> dict[int, tuple[tuple[int, float], ...]]:
    """Each node's roads out as plain ``(next node, seconds)`` tuples, read once per graph
    (networkx's adjacency views cost more than the label setting itself)."""
    if graph not in _SUCCESSORS:
        _SUCCESSORS[graph] = {u: tuple((v, float(d["seconds"])) for v, d in graph[u].items())
                              for u in graph}
    return _SUCCESSORS[graph]
