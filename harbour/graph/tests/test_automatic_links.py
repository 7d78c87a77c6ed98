"""Episodes and return interviews make their links themselves (through signals, so the missing
app does not need to know the graph exists): found with, found at, visited, with while missing.
Each is made once however often the record is saved, and withdrawn if the record stops saying it."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from harbour.access.policy import Action, can
from harbour.audit.models import AuditAction, AuditEvent
from harbour.demo import factories as f
from harbour.graph import selectors
from harbour.graph.models import Link, LinkType
from harbour.missing import services as missing
from harbour.missing.models import MissingEpisode, Place

pytestmark = pytest.mark.django_db


def _episode(w):
    reported = timezone.now() - timedelta(hours=6)
    return missing.episode_report(
        caller=w.caller(w.social_worker),
        child=w.child,
        reported_by_kind="parent",
        reported_at=reported,
        last_seen_at=reported - timedelta(hours=1),
        last_seen_place="Home",
        police_force=w.police,
    )


def _close(w, episode, **fields):
    values = {
        "found_at": timezone.now() - timedelta(hours=1),
        "found_where": {"name": "Harbour Lane bus station", "postcode": "HB2 3CD"},
        "found_with": [w.adult],
    }
    values.update(fields)
    return missing.episode_close(caller=w.caller(w.officer), episode=episode, **values)


def test_closing_an_episode_links_the_child_to_who_and_where(world):
    w = world
    episode = _close(w, _episode(w))
    links = Link.objects.from_record(episode)
    assert {(link.link_type, link.target) for link in links} == {
        (LinkType.FOUND_WITH, w.adult),
        (LinkType.FOUND_AT, episode.found_where),
    }
    for link in links:
        assert link.source == w.child
        assert link.automatic and link.provenance == episode
        assert link.start_date == link.end_date == timezone.localdate(episode.found_at)
        assert link.created_by == w.officer and link.owning_agency == w.police
    assert AuditEvent.objects.filter(object_type="graph.link", action=AuditAction.CREATE).count() == 2


def test_automatic_links_are_idempotent(world):
    w = world
    episode = _close(w, _episode(w))
    episode = MissingEpisode.objects.get(pk=episode.pk)
    episode.save()
    episode.found_with.set([w.adult])
    assert Link.objects.from_record(episode).count() == 2


def test_removing_a_person_from_found_with_withdraws_the_link(world):
    w = world
    episode = _close(w, _episode(w))
    episode.found_with.remove(w.adult)
    link = Link.objects.get(link_type=LinkType.FOUND_WITH)
    assert link.is_withdrawn and "No longer recorded" in link.withdrawn_reason
    assert Link.objects.current().from_record(episode).count() == 1


def test_episode_links_follow_the_episode_for_access(world):
    """The found-with link is seen by who may see the child, the adult and the episode."""
    w = world
    episode = _close(w, _episode(w))
    link = Link.objects.get(link_type=LinkType.FOUND_WITH)
    assert can(w.officer, Action.VIEW, link)
    # The council sees the child and the episode but not the police's adult of concern.
    assert can(w.social_worker, Action.VIEW, episode)
    assert not can(w.social_worker, Action.VIEW, link)
    # The found-at link touches only the child and a place: the council sees it.
    assert [r.link.link_type for r in selectors.link_rows(user=w.social_worker, record=w.child)] == [LinkType.FOUND_AT]
    # Another council sees neither.
    assert selectors.link_rows(user=w.other_social_worker, record=w.adult) == []


def test_held_return_interview_links_places_visited_and_people(world):
    w = world
    episode = _close(w, _episode(w), found_with=[], found_alone=True)
    rhi = episode.return_interview
    cafe = Place.objects.create(name="Seafront cafe")
    rhi.places.set([cafe])
    rhi.people.set([w.adult])
    assert not Link.objects.from_record(rhi).exists(), "nothing is linked until the interview is held"
    provider_worker = f.make_user(agency=w.council)
    missing.rhi_record_held(
        caller=w.caller(w.social_worker),
        rhi=rhi,
        held_at=timezone.now() - timedelta(minutes=10),
        independent_of_carers=True,
        held_by=provider_worker,
        why_went="Said they went to meet friends.",
    )
    links = Link.objects.from_record(rhi)
    assert {(link.link_type, link.target) for link in links} == {
        (LinkType.VISITED, cafe),
        (LinkType.WITH_WHILE_MISSING, w.adult),
    }
    assert all(link.provenance_type == ContentType.objects.get_for_model(rhi) for link in links)
