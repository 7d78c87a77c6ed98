"""Who sees which episodes: the one policy answers lists and single records alike."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from harbour.access.policy import Action, can, scope
from harbour.audit.models import AuditAction, AuditEvent
from harbour.demo import factories as f
from harbour.missing import selectors
from harbour.missing.models import MissingEpisode, ReturnHomeInterview

from .helpers import close, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def episodes(world):
    """The resident's episode (closed, so an interview exists) and another child's, reported by the council."""
    resident_episode = report(world)
    close(world, resident_episode)
    other_episode = report(world, by=world.north_sw, child=world.other_child, reported_by_kind="parent")
    return resident_episode, other_episode


def _visible(user):
    return set(scope(user, MissingEpisode.objects.all()).values_list("pk", flat=True))


def test_rhi_provider_sees_episodes_of_commissioned_children_only(world, episodes):
    resident_episode, other_episode = episodes
    assert _visible(world.rhi_worker) == {resident_episode.pk}
    assert can(world.rhi_worker, Action.VIEW, resident_episode)
    assert not can(world.rhi_worker, Action.VIEW, other_episode)
    # A provider commissioned by another council sees nothing.
    assert _visible(world.other_rhi_worker) == set()


def test_rhi_provider_sees_nothing_before_an_interview_is_due(world):
    report(world)
    assert _visible(world.rhi_worker) == set()


def test_care_home_staff_see_only_their_residents_episodes(world, episodes):
    resident_episode, other_episode = episodes
    assert _visible(world.home_staff) == {resident_episode.pk}
    assert _visible(world.other_home_staff) == set()


def test_care_home_staff_lose_sight_when_the_placement_ends(world, episodes):
    placement = world.resident.placements.get()
    placement.end_date = timezone.localdate() - timedelta(days=1)
    placement.save()
    assert _visible(world.home_staff) == set()


def test_other_local_authority_sees_nothing(world, episodes):
    assert _visible(world.south_sw) == set()
    assert scope(world.south_sw, ReturnHomeInterview.objects.all()).count() == 0


def test_owning_council_and_police_lead_see_both(world, episodes):
    assert _visible(world.north_sw) == {e.pk for e in episodes}
    assert episodes[0].pk in _visible(world.officer)


def test_restricted_child_hides_episodes_from_the_provider(world, episodes):
    world.resident.is_restricted = True
    world.resident.save()
    assert _visible(world.rhi_worker) == set()
    assert _visible(world.home_staff) == set()


def test_other_authority_gets_404_on_every_episode_url_and_it_is_audited(client, world, episodes):
    resident_episode, _ = episodes
    rhi = ReturnHomeInterview.objects.get()
    client.force_login(world.south_sw)
    urls = [
        reverse(name, args=[resident_episode.pk])
        for name in ("missing:episode", "missing:grade", "missing:action", "missing:close", "missing:risk_information")
    ] + [reverse(name, args=[rhi.pk]) for name in ("missing:rhi", "missing:rhi_offer", "missing:rhi_held")]
    urls.append(reverse("missing:report", args=[world.resident.pk]))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        assert world.resident.family_name not in response.content.decode()
    assert AuditEvent.objects.filter(actor=world.south_sw, action=AuditAction.DENIED).count() == len(urls)


def test_provider_may_not_open_the_close_or_grade_screens(client, world, episodes):
    client.force_login(world.rhi_worker)
    assert client.get(reverse("missing:episode", args=[episodes[0].pk])).status_code == 200
    assert client.get(reverse("missing:close", args=[episodes[0].pk])).status_code == 404
    assert client.get(reverse("missing:grade", args=[episodes[0].pk])).status_code == 404


def test_every_read_is_audited(world, episodes):
    resident_episode, _ = episodes
    caller = world.caller(world.rhi_worker)
    rhi = ReturnHomeInterview.objects.get()
    before = AuditEvent.objects.count()
    selectors.episode_get(caller=caller, pk=resident_episode.pk)
    selectors.rhi_get(caller=caller, pk=rhi.pk)
    selectors.rhi_queue(caller=caller)
    selectors.rhi_overdue(caller=caller)
    selectors.desk_only_episodes(caller=caller)
    selectors.police_protection_board(caller=caller)
    selectors.rhi_figures(caller=caller, start=timezone.localdate(), end=timezone.localdate())
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert len(events) == 7
    assert all(e.actor == world.rhi_worker for e in events)
    single = [e for e in events if e.object_id]
    assert {e.person_id for e in single} == {world.resident.pk}


def test_timeline_shows_episodes_and_interviews_to_those_who_may_see_them(world, episodes):
    from harbour.people.selectors import person_timeline

    kinds = {e.kind for e in person_timeline(user=world.home_staff, person=world.resident)}
    assert {"missing", "return_interview"} <= kinds
    other = f.make_user(agency=world.north)
    titles = [e.title for e in person_timeline(user=other, person=world.other_child)]
    assert "Reported missing" in titles
