"""Groups, communities and key people on small graphs (no Django)."""

from harbour.analysis.core import networks


def two_triangles_joined():
    # Two tight groups joined by one broker link (c - d), and a separate pair.
    return [
        ("person:a", "person:b"),
        ("person:b", "person:c"),
        ("person:a", "person:c"),
        ("person:d", "person:e"),
        ("person:e", "person:f"),
        ("person:d", "person:f"),
        ("person:c", "person:d"),
        ("person:x", "phone:1"),
    ]


def test_components_and_communities():
    net = networks.analyse(two_triangles_joined())
    assert len(net.components) == 2
    groups = {frozenset(g.members) for g in net.groups}
    assert frozenset({"person:a", "person:b", "person:c"}) in groups
    assert frozenset({"person:d", "person:e", "person:f"}) in groups
    assert frozenset({"person:x", "phone:1"}) in groups


def test_brokers_rank_first_by_betweenness():
    net = networks.analyse(two_triangles_joined())
    group = next(g for g in net.groups if "person:c" in g.members)
    assert group.key_people[0][0] == "person:c"
    assert net.betweenness_exact is True


def test_group_members_by_kind():
    edges = [
        networks.Edge("person:1", "person:2", "found_with"),
        networks.Edge("person:1", "place:9", "found_at"),
        networks.Edge("person:2", "place:9", "visited"),
        networks.Edge("person:2", "phone:4", "uses_phone"),
        networks.Edge("person:1", "phone:4", "contacted"),
    ]
    kinds = {"person:1": "child", "person:2": "adult"}
    net = networks.analyse(edges, kinds)
    (group,) = net.groups
    assert group.by_kind == {"child": ["person:1"], "adult": ["person:2"], "place": ["place:9"], "phone": ["phone:4"]}
    assert group.of_kind("child", "adult") == ["person:1", "person:2"]


def test_parallel_links_add_weight_and_self_links_are_dropped():
    graph = networks.build_graph([("a", "b", "found_with"), ("b", "a", "associate"), ("a", "a")])
    assert graph.ecount() == 1
    assert graph.es[0]["weight"] == 2.0
    assert graph.es[0]["kinds"] == ["associate", "found_with"]


def test_resolution_grows_with_the_graph_so_small_groups_stay_apart():
    assert networks.resolution_for(100) == networks.MIN_RESOLUTION
    assert networks.resolution_for(1_000_000) == 2 * 1_000_000 / networks.GROUP_DEGREE**2
    # Many small cliques in a ring, each joined to the next by one link: at resolution 1 modularity
    # merges neighbours once the ring is big enough; Harbour's resolution keeps every clique apart.
    edges = []
    cliques = 300
    for c in range(cliques):
        members = [f"p:{c}:{i}" for i in range(5)]
        edges += [(members[i], members[j]) for i in range(5) for j in range(i + 1, 5)]
        edges.append((members[0], f"p:{(c + 1) % cliques}:1"))
    graph = networks.build_graph(edges)
    assert len(set(networks.communities(graph))) == cliques
    assert len(set(networks.communities(graph, resolution=1.0))) < cliques


def test_communities_are_reproducible():
    graph = networks.build_graph(two_triangles_joined())
    assert networks.communities(graph, seed=3) == networks.communities(graph, seed=3)


def test_large_graphs_use_a_path_cutoff_for_betweenness(monkeypatch):
    monkeypatch.setattr(networks, "EXACT_BETWEENNESS_MAX_LINKS", 3)
    values, exact = networks.betweenness(networks.build_graph(two_triangles_joined()))
    assert exact is False and len(values) == 8


def test_group_betweenness_is_exact_inside_the_group():
    net = networks.analyse(two_triangles_joined())
    group = next(g for g in net.groups if "person:c" in g.members)
    values = networks.group_betweenness(net, group)
    assert values == {"person:a": 0.0, "person:b": 0.0, "person:c": 0.0}


def test_empty():
    net = networks.analyse([])
    assert net.groups == [] and net.components == []
