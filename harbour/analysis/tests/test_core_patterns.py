"""Co-presence, the period figure and hotspots (no Django)."""

from datetime import date

from harbour.analysis.core import copresence, hotspots, period
from harbour.analysis.core.copresence import Contact


def test_an_adult_with_three_children_is_found():
    contacts = [Contact("adult:1", f"child:{i}", date(2026, 1, i + 1), link_id=i) for i in range(3)]
    (finding,) = copresence.findings(contacts)
    assert finding.kind == copresence.SEVERAL_CHILDREN
    assert finding.children == ["child:0", "child:1", "child:2"]
    assert finding.first_seen == date(2026, 1, 1) and finding.last_seen == date(2026, 1, 3)
    assert finding.link_ids == [0, 1, 2]


def test_two_children_are_not_enough():
    contacts = [Contact("adult:1", f"child:{i}", date(2026, 1, 1)) for i in range(2)]
    assert copresence.findings(contacts) == []


def test_the_same_child_on_three_occasions_is_found_but_one_occasion_counts_once():
    same_day = [Contact("adult:1", "child:1", date(2026, 1, 1), source=f"episode:{i}") for i in range(3)]
    assert copresence.findings(same_day) == []
    days = [Contact("adult:1", "child:1", date(2026, 1, d)) for d in (1, 9, 20)]
    (finding,) = copresence.findings(days)
    assert finding.kind == copresence.SAME_CHILD_REPEATEDLY and finding.child == "child:1"
    assert finding.occasions == 3


def test_undated_contacts_count_by_record():
    contacts = [Contact("adult:1", "child:1", None, source=f"intel:{i}") for i in range(3)]
    assert copresence.findings(contacts)[0].occasions == 3


def test_period_figure_counts_distinct_people_in_range():
    pairs = [
        period.Pair("child:1", "adult:1", date(2026, 2, 1), "victim_of"),
        period.Pair("child:2", "adult:1", date(2026, 2, 5), "found_with"),
        period.Pair("child:2", "adult:2", None, "suspected_of"),
        period.Pair("child:3", "adult:3", date(2025, 1, 1), "victim_of"),  # out of range
    ]
    fig = period.figure(pairs, start=date(2026, 1, 1), end=date(2026, 3, 31))
    assert fig.victims == ["child:1", "child:2"] and fig.perpetrators == ["adult:1", "adult:2"]
    assert (
        fig.sentence == "2 potential victims linked to 2 alleged perpetrators between 1 January 2026 and 31 March 2026"
    )
    one = period.figure(pairs[:1], start=date(2026, 1, 1), end=date(2026, 3, 31))
    assert one.sentence.startswith("1 potential victim linked to 1 alleged perpetrator between")


def _event(place, kind, child, lat=None, lon=None, day=date(2026, 3, 1), episode=None):
    return hotspots.PlaceEvent(place, kind, child, day, episode, place, lat, lon)


def test_rank_orders_by_distinct_children_then_events():
    events = [
        _event("place:1", hotspots.FOUND_AT, "c1"),
        _event("place:1", hotspots.FOUND_AT, "c1"),
        _event("place:2", hotspots.FOUND_AT, "c1"),
        _event("place:2", hotspots.LINKED, "c2"),
        _event("place:3", hotspots.MISSING_FROM, "c3", day=date(2020, 1, 1)),
    ]
    ranked = hotspots.rank(events, start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert [s.place for s in ranked] == ["place:2", "place:1"]
    assert ranked[0].counts == {hotspots.MISSING_FROM: 0, hotspots.FOUND_AT: 1, hotspots.LINKED: 1}


def test_dbscan_groups_nearby_places_into_areas():
    # Two places 150 m apart in the centre of town, one 5 km away, one with no coordinates.
    events = [
        _event("place:1", hotspots.FOUND_AT, "c1", 53.4000, -2.9800),
        _event("place:2", hotspots.FOUND_AT, "c2", 53.4010, -2.9815),
        _event("place:3", hotspots.FOUND_AT, "c3", 53.4450, -2.9800),
        _event("text:bus station", hotspots.MISSING_FROM, "c4"),
    ]
    spots = hotspots.rank(events)
    areas = hotspots.clusters(spots)
    assert list(areas) == [1]
    assert {s.place for s in areas[1]} == {"place:1", "place:2"}
    by_place = {s.place: s for s in spots}
    assert by_place["place:3"].cluster is None and by_place["text:bus station"].cluster is None
    assert 100 < hotspots.distance_m(53.4000, -2.9800, 53.4010, -2.9815) < 200


def test_projection_keeps_north_up_and_fits_the_box():
    project = hotspots.Projection.fit([(53.40, -3.00), (53.50, -2.90)], width=200, height=100, margin=10)
    x1, y1 = project(53.40, -3.00)
    x2, y2 = project(53.50, -2.90)
    assert x1 < x2 and y1 > y2  # east is right, north is up
    for x, y in ((x1, y1), (x2, y2)):
        assert 10 <= x <= 190 and 10 <= y <= 90
    single = hotspots.Projection.fit([(53.4, -3.0)], width=200, height=100)
    assert single(53.4, -3.0) == (100.0, 50.0)
