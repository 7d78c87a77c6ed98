"""Groups of connected people, places and phones, and who holds them together. Plain Python (igraph).

Input is an edge list between entity keys ("person:12", "place:3", "phone:7") with the kind of each
node; nothing here knows where the links came from or who may see them: callers pass only what the
user may see, so every figure is computed over the visible graph.

- Connected components: everything reachable from everything else.
- Leiden communities (modularity objective) split a large component into tighter groups that may be
  organised networks. Modularity has a resolution limit: two groups joined by a single link are
  merged when the product of their degrees is below 2 x links / resolution, so at resolution 1 the
  bigger the graph, the bigger the groups it swallows. Harbour's groups are small (a few adults
  around a few children), so the resolution grows with the graph (`resolution_for`): groups whose
  links add up to GROUP_DEGREE or more stay apart when one link joins them, at any graph size. See
  docs/decisions/0010-network-groups.md for the LFR benchmark behind the value.
- Key people: degree (how many links) and betweenness (how often they lie on the shortest path
  between two others: the broker whose removal splits a group).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import igraph as ig

# Total degree (link ends) of the smallest group kept apart from a neighbour joined to it by one link:
# five people all linked to each other (20 link ends). Chosen for the size of group Harbour looks for,
# and checked on the LFR benchmark (bench/networks_lfr.py, ADR 0010).
GROUP_DEGREE = 20
# Never below plain modularity's 1.0.
MIN_RESOLUTION = 1.0
LEIDEN_ITERATIONS = 4
DEFAULT_SEED = 7
# Exact betweenness is O(nodes x links); above this many links it is computed with a path-length
# cutoff (paths longer than BETWEENNESS_CUTOFF are ignored), which is honest for "who brokers nearby".
EXACT_BETWEENNESS_MAX_LINKS = 200_000
BETWEENNESS_CUTOFF = 4

PERSON_KINDS = frozenset({"child", "adult", "person", "adult_of_concern", "other"})


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    kind: str = "associate"
    weight: float = 1.0


@dataclass
class Group:
    """One community: its members by kind, and its people ranked by how central they are."""

    number: int
    component: int
    members: list[str]
    by_kind: dict[str, list[str]] = field(default_factory=dict)
    key_people: list[tuple[str, int, float]] = field(default_factory=list)  # (key, degree, betweenness)
    links: int = 0

    @property
    def size(self) -> int:
        return len(self.members)

    def of_kind(self, *kinds: str) -> list[str]:
        return [m for kind in kinds for m in self.by_kind.get(kind, [])]


@dataclass
class Network:
    graph: ig.Graph
    keys: list[str]
    components: list[list[int]]
    membership: list[int]  # community of each vertex
    component_of: list[int]
    groups: list[Group]
    degree: list[int]
    betweenness: list[float]
    betweenness_exact: bool


def build_graph(edges: Iterable[Edge | tuple], kinds: dict[str, str] | None = None) -> ig.Graph:
    """An undirected, simple graph: parallel links between two entities add their weights."""
    kinds = kinds or {}
    index: dict[str, int] = {}
    weights: dict[tuple[int, int], float] = defaultdict(float)
    link_kinds: dict[tuple[int, int], set[str]] = defaultdict(set)
    for raw in edges:
        if isinstance(raw, Edge):
            source, target, kind, weight = raw.source, raw.target, raw.kind, raw.weight
        else:  # plain tuples: (source, target[, kind[, weight]]); no object per link on big graphs
            source, target = raw[0], raw[1]
            kind = raw[2] if len(raw) > 2 else "associate"
            weight = raw[3] if len(raw) > 3 else 1.0
        if source == target:
            continue
        a = index.setdefault(source, len(index))
        b = index.setdefault(target, len(index))
        pair = (a, b) if a < b else (b, a)
        weights[pair] += weight
        link_kinds[pair].add(kind)
    for key in kinds:
        index.setdefault(key, len(index))
    graph = ig.Graph(n=len(index), edges=list(weights), directed=False)
    keys = [""] * len(index)
    for key, i in index.items():
        keys[i] = key
    graph.vs["key"] = keys
    graph.vs["kind"] = [kinds.get(k) or k.split(":", 1)[0] for k in keys]
    graph.es["weight"] = list(weights.values())
    graph.es["kinds"] = [sorted(k) for k in link_kinds.values()]
    return graph


def resolution_for(links: int) -> float:
    """The modularity resolution that keeps groups of GROUP_DEGREE apart in a graph of `links` links.

    Merging groups a and b raises modularity when links_ab > resolution * d_a * d_b / (2 * links).
    With resolution = 2 * links / GROUP_DEGREE**2, one link merges them only if d_a * d_b < GROUP_DEGREE**2.
    """
    return max(MIN_RESOLUTION, 2 * links / GROUP_DEGREE**2)


def communities(graph: ig.Graph, *, resolution: float | None = None, seed: int = DEFAULT_SEED) -> list[int]:
    """Leiden communities on the modularity objective, reproducibly seeded."""
    if graph.vcount() == 0:
        return []
    if resolution is None:
        resolution = resolution_for(graph.ecount())
    # igraph draws from a module-wide generator: seed it for this call, then hand back the default.
    ig.set_random_number_generator(random.Random(seed))
    try:
        partition = graph.community_leiden(
            objective_function="modularity",
            weights="weight" if graph.ecount() else None,
            resolution=resolution,
            n_iterations=LEIDEN_ITERATIONS,
        )
    finally:
        ig.set_random_number_generator(random)
    return list(partition.membership)


def betweenness(graph: ig.Graph, *, cutoff: int | None = None) -> tuple[list[float], bool]:
    """Betweenness (unweighted shortest paths). Exact unless the graph is large, then path-limited."""
    if graph.vcount() == 0:
        return [], True
    if cutoff is None and graph.ecount() > EXACT_BETWEENNESS_MAX_LINKS:
        cutoff = BETWEENNESS_CUTOFF
    values = graph.betweenness(directed=False, cutoff=cutoff)
    return [float(v) for v in values], cutoff is None


def analyse(
    edges: Iterable[Edge | tuple],
    kinds: dict[str, str] | None = None,
    *,
    resolution: float | None = None,
    seed: int = DEFAULT_SEED,
    betweenness_cutoff: int | None = None,
    key_people_per_group: int = 5,
    min_group_size: int = 2,
) -> Network:
    """Components, communities and key people of the graph the edges make."""
    graph = build_graph(edges, kinds)
    keys = graph.vs["key"] if graph.vcount() else []
    comps = graph.connected_components()
    component_of = list(comps.membership)
    membership = communities(graph, resolution=resolution, seed=seed)
    degree = graph.degree()
    between, exact = betweenness(graph, cutoff=betweenness_cutoff)
    vertex_kinds = graph.vs["kind"] if graph.vcount() else []

    members_by_community: dict[int, list[int]] = defaultdict(list)
    for vertex, community in enumerate(membership):
        members_by_community[community].append(vertex)
    internal_links: dict[int, int] = defaultdict(int)
    for edge in graph.es:
        a, b = edge.tuple
        if membership[a] == membership[b]:
            internal_links[membership[a]] += 1

    groups = []
    ordered = sorted(members_by_community.items(), key=lambda item: (-len(item[1]), keys[min(item[1])]))
    for number, (community, vertices) in enumerate(ordered, start=1):
        if len(vertices) < min_group_size:
            continue
        by_kind: dict[str, list[str]] = defaultdict(list)
        for v in sorted(vertices, key=lambda v: keys[v]):
            by_kind[vertex_kinds[v]].append(keys[v])
        people = [v for v in vertices if vertex_kinds[v] in PERSON_KINDS]
        ranked = sorted(people, key=lambda v: (-between[v], -degree[v], keys[v]))[:key_people_per_group]
        groups.append(
            Group(
                number=number,
                component=component_of[vertices[0]],
                members=[keys[v] for v in sorted(vertices, key=lambda v: keys[v])],
                by_kind=dict(by_kind),
                key_people=[(keys[v], degree[v], round(between[v], 2)) for v in ranked],
                links=internal_links[community],
            )
        )
    return Network(
        graph=graph,
        keys=list(keys),
        components=[list(c) for c in comps],
        membership=membership,
        component_of=component_of,
        groups=groups,
        degree=list(degree),
        betweenness=between,
        betweenness_exact=exact,
    )


def group_betweenness(network: Network, group: Group) -> dict[str, float]:
    """Exact betweenness inside one group's own subgraph: cheap at any overall graph size."""
    index = {k: i for i, k in enumerate(network.keys)}
    sub = network.graph.induced_subgraph([index[k] for k in group.members])
    values = sub.betweenness(directed=False)
    return {sub.vs[i]["key"]: float(v) for i, v in enumerate(values)}
