"""Notifications raised by missing episodes: the force leading an episode and the home's police liaison
officer hear of a report; the commissioned provider hears of a return interview. A reference and a link
only, and only people who may see the record are told."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from harbour.accounts.roles import Role
from harbour.demo import factories as f
from harbour.notifications.models import Notification

from .helpers import close, report

pytestmark = pytest.mark.django_db


def told(record) -> set[str]:
    about = Notification.objects.filter(content_type=ContentType.objects.get_for_model(record), object_id=record.pk)
    return set(about.values_list("recipient__username", flat=True))


def test_a_report_tells_the_leading_force_and_the_liaison_officer_and_no_one_else(world):
    colleague = f.make_user(agency=world.police, username="colleague")
    f.make_user(agency=world.police, role=Role.AUDITOR, username="police_auditor")  # not case work
    episode = report(world)
    assert episode.owning_agency == world.police
    assert told(episode) == {"officer", "colleague"}
    notification = Notification.objects.get(recipient=colleague)
    assert notification.kind == "assigned"
    assert notification.title == f"Missing episode ME-{episode.pk} reported"
    assert notification.link == f"/missing/episodes/{episode.pk}/"
    assert "Ellery" not in notification.title and "Vantongeren" not in notification.title
    # Nobody at another council, provider or home hears of it; nor does the reporter.
    for user in (world.south_sw, world.rhi_worker, world.other_rhi_worker, world.other_home_staff, world.home_staff):
        assert not Notification.objects.filter(recipient=user).exists()


def test_a_report_reaches_only_those_who_may_see_it(world):
    """A restricted child's episode: the force's users who may not see the child are not told of it."""
    from harbour.access.policy import Action, can

    f.make_user(agency=world.police, username="outsider")
    world.resident.is_restricted = True
    world.resident.save(update_fields=["is_restricted"])
    for user in (world.north_sw, world.officer):  # named on the restricted record
        f.grant(world.resident, kind="named", by=world.north_sw, user=user)
    episode = report(world, by=world.north_sw, police_force=world.police)
    outsider = type(world.officer).objects.get(username="outsider")
    assert not can(outsider, Action.VIEW, episode)
    assert "outsider" not in told(episode)
    assert "officer" in told(episode)
    for username in told(episode):
        assert can(type(world.officer).objects.get(username=username), Action.VIEW, episode)


def test_a_return_tells_the_commissioned_provider_only(world):
    episode = report(world)
    close(world, episode, found_at=timezone.now() - timedelta(hours=1))
    rhi = episode.return_interview
    assert told(rhi) == {"rhi_worker"}
    notification = Notification.objects.get(recipient=world.rhi_worker)
    assert notification.title == f"Return home interview RHI-{rhi.pk} to arrange"
    assert notification.link == f"/missing/return-interviews/{rhi.pk}/"


def test_nothing_is_raised_without_the_notifications_app(world, settings):
    from django.apps import apps

    original = apps.is_installed
    try:
        apps.is_installed = lambda name: name != "harbour.notifications" and original(name)
        episode = report(world)
        close(world, episode)
    finally:
        apps.is_installed = original
    assert not Notification.objects.exists()
