"""Networks, the period figure and hotspots: computed over what the user may see, and nothing else."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from harbour.audit.models import AuditEvent
from harbour.demo import factories as f
from harbour.graph.models import LinkType, Phone
from harbour.graph.services import link_ensure
from harbour.missing import services as missing
from harbour.missing.models import Place
from harbour.people.models import PersonKind

from .. import selectors, services

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 1)
PERIOD = {"start": date(2026, 1, 1), "end": date(2026, 12, 31)}


def _link(w, source, target, link_type=LinkType.ASSOCIATE, *, by=None, day=DAY):
    by = by or w.officer
    link, _ = link_ensure(
        actor=by,
        owning_agency_id=by.agency_id,
        source=source,
        target=target,
        link_type=link_type,
        start_date=day,
        end_date=day,
    )
    return link


def _cell(w):
    """Two adults of concern around three children, a phone and a place; a hidden child on the edge."""
    second_adult = f.make_person(
        owning_agency=w.police,
        created_by=w.officer,
        kind=PersonKind.ADULT_OF_CONCERN,
        given_name="Corvin",
        family_name="Ashdown",
        date_of_birth=date(1988, 4, 4),
    )
    kids = [w.child, w.child_of_council(given_name="Rowan"), w.child_of_council(given_name="Sasha")]
    phone = Phone.objects.create(number="+447700900123", owning_agency=w.police, created_by=w.officer)
    flat = Place.objects.create(
        name="Flat 3, Dock Street", latitude=Decimal("53.400000"), longitude=Decimal("-2.980000")
    )
    for kid in kids:
        _link(w, kid, w.adult, LinkType.FOUND_WITH)
        _link(w, kid, flat, LinkType.VISITED)
    _link(w, second_adult, w.adult, LinkType.ASSOCIATE)
    _link(w, second_adult, phone, LinkType.USES_PHONE)
    _link(w, kids[0], second_adult, LinkType.VICTIM_OF)
    hidden = link_ensure(
        actor=w.other_social_worker,
        owning_agency_id=w.other_council.pk,
        source=w.hidden_child,
        target=w.adult,
        link_type=LinkType.FOUND_WITH,
        start_date=DAY,
        end_date=DAY,
    )
    return kids, second_adult, phone, flat, hidden


def test_network_groups_key_people_and_members(world):
    w = world
    kids, second_adult, phone, flat, _ = _cell(w)
    view = selectors.network(caller=w.caller(w.officer), min_size=2, **PERIOD)
    assert view.components == 1 and view.people == 5
    # The adult's group: children he was found with and the flat they visited. The second adult, his
    # phone and the child recorded as his potential victim are a tight group of their own in the
    # same network.
    group = next(g for g in view.groups if w.adult in g.adults)
    assert {kids[1], kids[2]} <= set(group.children) and group.places == [flat]
    assert group.key_people[0][0] == w.adult  # the hub: most links, on most paths
    everyone = {p for g in view.groups for p in g.children + g.adults}
    assert everyone == set(kids) | {w.adult, second_adult}
    assert phone in [p for g in view.groups for p in g.phones]
    assert w.hidden_child.pk not in view.person_ids
    assert AuditEvent.objects.filter(object_type="analysis.network", action="search").exists()


def test_network_draws_people_confirmed_as_one_as_one(world):
    w = world
    _cell(w)
    alias = f.make_person(
        owning_agency=w.police,
        created_by=w.officer,
        kind=PersonKind.ADULT_OF_CONCERN,
        given_name="Dorian",
        family_name="Blackmoor",
        date_of_birth=date(1990, 1, 2),
    )
    extra = w.child_of_council(given_name="Toby")
    _link(w, extra, alias, LinkType.FOUND_WITH)
    before = selectors.network(caller=w.caller(w.officer), min_size=2, **PERIOD)
    assert before.components == 2
    from ..models import MatchCandidate

    low, high = sorted((w.adult.pk, alias.pk))
    candidate = MatchCandidate.objects.create(person_a_id=low, person_b_id=high, match_probability=0.99)
    services.match_confirm(caller=w.caller(w.supervisor), candidate=candidate, reason="Same person, two spellings.")
    after = selectors.network(caller=w.caller(w.officer), min_size=2, **PERIOD)
    assert after.components == 1  # the alias's child now joins the adult's network
    group = next(g for g in after.groups if extra in g.children)
    assert group.adults == [w.adult]  # drawn once, as the first record
    assert alias not in {p for g in after.groups for p in g.adults}


def test_network_of_a_council_user_leaves_out_what_they_cannot_see(world):
    w = world
    _cell(w)
    view = selectors.network(caller=w.caller(w.other_social_worker), **PERIOD)
    assert view.groups == []  # only their own child-adult pair: below three members


def test_period_figure_counts_only_visible_links(world):
    w = world
    kids, second_adult, *_ = _cell(w)
    fig, rows = selectors.period_figure(caller=w.caller(w.officer), **PERIOD)
    assert len(fig.victims) == 3 and len(fig.perpetrators) == 2
    assert fig.sentence.startswith("3 potential victims linked to 2 alleged perpetrators between 1 January 2026")
    assert {(r.victim, r.perpetrator, r.basis_label) for r in rows} >= {(kids[0], second_adult, "Potential victim of")}
    assert w.hidden_child not in {r.victim for r in rows}
    # The other council cannot see the police's adult, so not even their own link to him counts.
    other, _ = selectors.period_figure(caller=w.caller(w.other_social_worker), **PERIOD)
    assert (len(other.victims), len(other.perpetrators)) == (0, 0)
    # Out of the period: nothing.
    empty, _ = selectors.period_figure(caller=w.caller(w.officer), start=date(2025, 1, 1), end=date(2025, 12, 31))
    assert empty.victims == []


def _episode(w, child, *, where_name, lat=None, lon=None, last_seen="Harbour Lane bus station"):
    reported = timezone.now() - timedelta(days=3)
    episode = missing.episode_report(
        caller=w.caller(w.social_worker),
        child=child,
        reported_by_kind="parent",
        reported_at=reported,
        last_seen_at=reported - timedelta(hours=1),
        last_seen_place=last_seen,
        police_force=w.police,
    )
    return missing.episode_close(
        caller=w.caller(w.officer),
        episode=episode,
        found_at=reported + timedelta(hours=2),
        found_where={"name": where_name, "latitude": lat, "longitude": lon},
        found_alone=True,
    )


def test_hotspots_rank_cluster_and_draw(world, client):
    w = world
    today = timezone.localdate()
    rowan = w.child_of_council(given_name="Rowan")
    e1 = _episode(w, w.child, where_name="Kebab shop, Dock Street", lat=Decimal("53.400000"), lon=Decimal("-2.980000"))
    e2 = _episode(w, rowan, where_name="Dock Street flats", lat=Decimal("53.401000"), lon=Decimal("-2.981500"))
    _episode(w, rowan, where_name="Moor Park", lat=Decimal("53.450000"), lon=Decimal("-2.900000"))
    spots, areas, projection = selectors.hotspots(
        caller=w.caller(w.officer), start=today - timedelta(days=30), end=today
    )
    labels = [s.spot.label for s in spots]
    assert labels[0] == "Harbour Lane bus station"  # both children went missing from there (text only)
    assert spots[0].spot.counts["missing_from"] == 3 and not spots[0].spot.has_coordinates
    assert set(spots[0].children) == {w.child, rowan}
    (area,) = areas.values()
    assert {v.spot.label for v in area} == {"Kebab shop, Dock Street", "Dock Street flats"}
    assert projection is not None
    kebab = next(v for v in spots if v.spot.label.startswith("Kebab"))
    assert kebab.x is not None and kebab.episodes == [e1]

    client.force_login(w.officer)
    page = client.get(
        "/analysis/hotspots/", {"start": (today - timedelta(days=30)).isoformat(), "end": today.isoformat()}
    )
    body = page.content.decode()
    assert page.status_code == 200 and "<svg" in body and "Area 1" in body and "Rowan" in body
    assert f"/missing/episodes/{e2.pk}/" in body or f"{e2.pk}" in body
    # Another council sees none of it.
    other_spots, _, _ = selectors.hotspots(
        caller=w.caller(w.other_social_worker), start=today - timedelta(days=30), end=today
    )
    assert other_spots == []


def test_screens_render(world, client):
    w = world
    _cell(w)
    client.force_login(w.officer)
    for url in (
        "/analysis/",
        "/analysis/networks/",
        "/analysis/period/?start=2026-01-01&end=2026-12-31",
        "/analysis/matches/",
        "/analysis/hotspots/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    body = client.get("/analysis/period/?start=2026-01-01&end=2026-12-31").content.decode()
    assert "3 potential victims linked to 2 alleged perpetrators" in body
    assert 'href="/analysis/"' in client.get("/").content.decode()  # the nav entry
    bad = client.get("/analysis/period/?start=2026-12-31&end=2026-01-01")
    assert "must be on or after" in bad.content.decode()


def test_screens_are_for_case_workers_only(world, client):
    from harbour.accounts.roles import Role

    auditor = f.make_user(agency=w_agency(world), role=Role.AUDITOR)
    client.force_login(auditor)
    for url in ("/analysis/", "/analysis/networks/", "/analysis/matches/", "/analysis/similar-people/"):
        assert client.get(url).status_code == 404, url


def w_agency(w):
    return w.police


def test_places_recorded_twice_under_one_name_are_one_hotspot(world):
    w = world
    today = timezone.localdate()
    rowan = w.child_of_council(given_name="Rowan")
    _episode(w, w.child, where_name="Seafront park")
    _episode(w, rowan, where_name="Seafront park", lat=Decimal("53.400000"), lon=Decimal("-2.980000"))
    spots, _, _ = selectors.hotspots(caller=w.caller(w.officer), start=today - timedelta(days=30), end=today)
    (park,) = [v for v in spots if v.spot.label.startswith("Seafront park")]
    first = Place.objects.filter(name="Seafront park").order_by("pk").first()
    assert park.spot.place == f"place:{first.pk}"  # keyed by a place record (other apps read the id)
    assert park.spot.counts["found_at"] == 2 and set(park.children) == {w.child, rowan}
    assert park.spot.has_coordinates  # from the record that had them
