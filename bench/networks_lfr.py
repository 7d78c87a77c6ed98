"""Network benchmark: community recovery on LFR graphs, and a 1M-link graph grouped and ranked.

1. LFR benchmark graphs (networkx.generators.community.LFR_benchmark_graph) with planted communities:
   Harbour's grouping (harbour.analysis.core.networks: Leiden, modularity, resolution scaled with
   the graph's size by `resolution_for`) is scored by normalised mutual information (sklearn)
   against the planted truth, beside plain modularity (resolution 1.0). Graphs with small planted
   groups show why: at 1.0 modularity merges small groups, the more so the bigger the graph.
2. A synthetic graph of 1,000,000 links (people in small planted groups, sparse links between them):
   components, Leiden groups, degree and betweenness, each timed. Exact betweenness is
   O(nodes x links) there, so the whole-graph figure uses a path cutoff; exact betweenness inside
   each group (what the group screen shows) is timed as well.

    .venv/bin/python bench/networks_lfr.py [--links 1000000] [--skip-large]
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
from networkx.generators.community import LFR_benchmark_graph  # noqa: E402
from sklearn.metrics import normalized_mutual_info_score  # noqa: E402

from harbour.analysis.core import networks  # noqa: E402

# (label, n, tau1, tau2, mu, average_degree, max_degree, min_community, max_community, seed)
# max_degree keeps every node's links inside its group possible, so the generator converges quickly.
LFR_CASES = [
    ("n=1000  mu=0.1 groups 20-100", 1000, 3, 1.5, 0.1, 10, 40, 20, 100, 1),
    ("n=1000  mu=0.3 groups 20-100", 1000, 3, 1.5, 0.3, 10, 40, 20, 100, 1),
    ("n=1000  mu=0.5 groups 20-100", 1000, 3, 1.5, 0.5, 10, 40, 20, 100, 1),
    ("n=5000  mu=0.1 groups 5-20 (small)", 5000, 3, 1.5, 0.1, 6, 15, 5, 20, 1),
    ("n=5000  mu=0.2 groups 5-20 (small)", 5000, 3, 1.5, 0.2, 6, 15, 5, 20, 1),
    ("n=5000  mu=0.3 groups 5-20 (small)", 5000, 3, 1.5, 0.3, 6, 15, 5, 20, 1),
    ("n=10000 mu=0.2 groups 10-50", 10000, 3, 1.5, 0.2, 8, 20, 10, 50, 1),
]
# (column label, resolution for a graph of m links)
METHODS = [("res 1.0", lambda m: 1.0), ("Harbour", networks.resolution_for)]
SWEEP = [("res 1.0", lambda m: 1.0), ("res 3.0", lambda m: 3.0)] + [
    (f"D={d}", lambda m, d=d: max(networks.MIN_RESOLUTION, 2 * m / d**2)) for d in (20, 30, 40, 50, 60, 100)
]


def lfr(n, tau1, tau2, mu, average_degree, max_degree, min_community, max_community, seed):
    graph = LFR_benchmark_graph(
        n,
        tau1,
        tau2,
        mu,
        average_degree=average_degree,
        max_degree=max_degree,
        min_community=min_community,
        max_community=max_community,
        seed=seed,
        max_iters=500,
    )
    graph.remove_edges_from(nx.selfloop_edges(graph))
    truth = {}
    for number, community in enumerate({frozenset(graph.nodes[v]["community"]) for v in graph}):
        for v in community:
            truth[v] = number
    return graph, truth


def nmi(graph, truth, resolution) -> tuple[float, int, float]:
    edges = [(f"n:{u}", f"n:{v}") for u, v in graph.edges()]
    kinds = {f"n:{v}": "person" for v in graph.nodes()}
    started = time.perf_counter()
    built = networks.build_graph(edges, kinds)
    membership = networks.communities(built, resolution=resolution)
    seconds = time.perf_counter() - started
    found = {int(k.split(":")[1]): c for k, c in zip(built.vs["key"], membership, strict=True)}
    nodes = sorted(graph.nodes())
    score = normalized_mutual_info_score([truth[v] for v in nodes], [found[v] for v in nodes])
    return score, len(set(membership)), seconds


def run_lfr(methods) -> None:
    print("LFR community recovery: NMI against the planted groups (1.0 = recovered exactly), groups found")
    print(f"{'graph':<36} {'planted':>7}  " + "".join(f"{label:>18}" for label, _ in methods))
    for label, *params in LFR_CASES:
        try:
            graph, truth = lfr(*params)
        except nx.ExceededMaxIterations:
            print(f"{label:<36} (generator did not converge; skipped)")
            continue
        cells = []
        for _, resolution_of in methods:
            score, found, _ = nmi(graph, truth, resolution_of(graph.number_of_edges()))
            cells.append(f"{score:.4f} {found:>5}")
        print(f"{label:<36} {len(set(truth.values())):>7}  " + "".join(f"{c:>18}" for c in cells))


def synthetic(links: int, seed: int = 1):
    """Exactly `links` distinct links: people in planted groups of 3-12, 90% of links inside a group
    (each possible pair inside a group linked with the same chance), 10% between random people."""
    rng = np.random.default_rng(seed)
    nodes = int(links / 3.2)
    sizes = rng.integers(3, 13, size=nodes // 3)
    sizes = sizes[np.cumsum(sizes) <= nodes]
    nodes = int(sizes.sum())
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    group_of = np.repeat(np.arange(len(sizes)), sizes)
    pairs = []
    for size in range(3, 13):
        group_starts = starts[sizes == size]
        i, j = np.triu_indices(size, k=1)
        pairs.append(((group_starts[:, None] + i) * nodes + group_starts[:, None] + j).ravel())
    possible = np.concatenate(pairs)
    inside = rng.choice(possible, size=min(int(links * 0.9), len(possible)), replace=False)
    chosen = set(inside.tolist())
    while len(chosen) < links:
        a = rng.integers(0, nodes, size=links - len(chosen))
        b = rng.integers(0, nodes, size=links - len(chosen))
        keep = a != b
        lo, hi = np.minimum(a, b)[keep], np.maximum(a, b)[keep]
        chosen.update((lo * nodes + hi).tolist())
    codes = np.fromiter(chosen, dtype=np.int64, count=len(chosen))[:links]
    return codes // nodes, codes % nodes, group_of


def run_large(links: int) -> None:
    print(f"\nSynthetic graph with {links:,} links")
    src, dst, group_of = synthetic(links)
    started = time.perf_counter()
    edges = [(f"p:{a}", f"p:{b}") for a, b in zip(src.tolist(), dst.tolist(), strict=True)]
    graph = networks.build_graph(edges)
    t_build = time.perf_counter() - started
    print(
        f"  build: {graph.vcount():,} people, {graph.ecount():,} distinct links ({len(edges):,} links)  {t_build:.1f}s"
    )

    started = time.perf_counter()
    comps = graph.connected_components()
    print(f"  connected components: {len(comps):,}  {time.perf_counter() - started:.1f}s")

    started = time.perf_counter()
    membership = networks.communities(graph)
    t_leiden = time.perf_counter() - started
    keys = graph.vs["key"]
    truth = [group_of[int(k.split(":")[1])] for k in keys]
    score = normalized_mutual_info_score(truth, membership)
    resolution = networks.resolution_for(graph.ecount())
    print(
        f"  Leiden groups (resolution {resolution:.1f}): {len(set(membership)):,} (planted {len(set(truth)):,})  "
        f"NMI vs planted {score:.4f}  {t_leiden:.1f}s"
    )

    started = time.perf_counter()
    degree = graph.degree()
    top = sorted(range(len(degree)), key=lambda v: -degree[v])[:5]
    print(f"  degree ranking: top {[keys[v] for v in top]}  {time.perf_counter() - started:.1f}s")

    started = time.perf_counter()
    between, exact = networks.betweenness(graph)
    t_between = time.perf_counter() - started
    print(
        f"  betweenness over the whole graph ({'exact' if exact else f'cutoff {networks.BETWEENNESS_CUTOFF}'}): "
        f"{t_between:.1f}s"
    )

    started = time.perf_counter()
    by_group: dict[int, list[int]] = {}
    for v, c in enumerate(membership):
        by_group.setdefault(c, []).append(v)
    for vertices in by_group.values():
        if len(vertices) > 2:
            graph.induced_subgraph(vertices).betweenness(directed=False)
    t_groups = time.perf_counter() - started
    print(f"  exact betweenness inside each of {len(by_group):,} groups: {t_groups:.1f}s")
    total = t_build + t_leiden + t_between
    print(f"  total (build + group + rank): {total:.1f}s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--links", type=int, default=1_000_000)
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--sweep", action="store_true", help="NMI for other group degrees (how the value was chosen)")
    args = parser.parse_args()
    run_lfr(SWEEP if args.sweep else METHODS)
    if not args.skip_large:
        run_large(args.links)


if __name__ == "__main__":
    main()
