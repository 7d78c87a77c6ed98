"""Repeated co-presence: alerts for the intelligence team and screening-due tasks for the children."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from harbour.graph.models import LinkType
from harbour.graph.services import link_ensure
from harbour.missing import services as missing
from harbour.risk.models import RiskTask

from .. import selectors, services
from ..models import AlertStatus, AnalysisTask, CoPresenceAlert

pytestmark = pytest.mark.django_db


def _found_with(w, child, adults, *, days_ago: int = 1):
    reported = timezone.now() - timedelta(days=days_ago, hours=6)
    episode = missing.episode_report(
        caller=w.caller(w.social_worker) if child.owning_agency_id == w.council.pk else w.caller(w.other_social_worker),
        child=child,
        reported_by_kind="parent",
        reported_at=reported,
        last_seen_at=reported - timedelta(hours=1),
        last_seen_place="Home",
        police_force=w.police,
    )
    return missing.episode_close(
        caller=w.caller(w.officer),
        episode=episode,
        found_at=reported + timedelta(hours=3),
        found_where={"name": "Harbour Lane bus station", "postcode": "HB2 3CD"},
        found_with=adults,
    )


def test_adult_found_with_three_children_raises_an_alert_after_closure(world, django_capture_on_commit_callbacks):
    w = world
    children = [w.child, w.child_of_council(given_name="Rowan"), w.child_of_council(given_name="Sasha")]
    with django_capture_on_commit_callbacks(execute=True):
        _found_with(w, children[0], [w.adult], days_ago=20)
        _found_with(w, children[1], [w.adult], days_ago=10)
    assert not CoPresenceAlert.objects.exists()  # two children: not yet
    with django_capture_on_commit_callbacks(execute=True):
        _found_with(w, children[2], [w.adult], days_ago=2)
    alert = CoPresenceAlert.objects.get()
    assert alert.adult == w.adult and alert.kind == "several_children"
    assert alert.distinct_children == 3 and set(alert.children.all()) == set(children)
    # Each child gets a screening-due task through the risk app (the closing officer can see them).
    tasks = RiskTask.objects.filter(kind="screening_due")
    assert {t.child for t in tasks} == set(children)
    assert all(t.source == f"analysis.CoPresenceAlert:{alert.pk}" for t in tasks)


def _link(w, child, adult, day, link_type=LinkType.ASSOCIATE):
    link, _ = link_ensure(
        actor=w.officer,
        owning_agency_id=w.police.pk,
        source=child,
        target=adult,
        link_type=link_type,
        start_date=day,
        end_date=day,
    )
    return link


def test_same_child_again_and_again(world):
    w = world
    for day in (date(2026, 1, 3), date(2026, 1, 3), date(2026, 2, 1)):
        _link(w, w.child, w.adult, day, LinkType.FOUND_WITH if day.month == 1 else LinkType.ASSOCIATE)
    assert services.copresence_scan() == []  # two occasions (the same day counts once)
    _link(w, w.child, w.adult, date(2026, 3, 9), LinkType.CONTACTED)
    (alert,) = services.copresence_scan()
    assert alert.kind == "same_child_repeatedly" and alert.child == w.child and alert.occasions == 3
    assert alert.first_seen == date(2026, 1, 3) and alert.last_seen == date(2026, 3, 9)
    # A scheduled scan has no user: the task is kept here, following the child.
    (task,) = AnalysisTask.objects.all()
    assert task.child == w.child and task.alert == alert
    assert task in selectors.tasks_visible(user=w.social_worker)
    assert task not in selectors.tasks_visible(user=w.other_social_worker)
    # Running again changes nothing.
    assert services.copresence_scan() == []
    assert AnalysisTask.objects.count() == 1


def test_family_links_do_not_count(world):
    w = world
    children = [w.child_of_council() for _ in range(3)]
    for child in children:
        _link(w, child, w.adult, date(2026, 1, 1), LinkType.FAMILY)
    assert services.copresence_scan() == []


def test_alerts_are_for_police_analysts_and_hide_children_they_cannot_see(world, client):
    w = world
    _link(w, w.child, w.adult, date(2026, 1, 1))
    _link(w, w.child_of_council(), w.adult, date(2026, 1, 2))
    # A child held by another council, linked by that council's own record-by-hand link.
    link_ensure(
        actor=w.other_social_worker,
        owning_agency_id=w.other_council.pk,
        source=w.hidden_child,
        target=w.adult,
        link_type=LinkType.ASSOCIATE,
        start_date=date(2026, 1, 3),
        end_date=date(2026, 1, 3),
    )
    (alert,) = services.copresence_scan()
    assert alert.distinct_children == 3
    assert alert in selectors.alerts_visible(user=w.analyst)
    for user in (w.officer, w.supervisor, w.social_worker, w.council_analyst):
        assert alert not in selectors.alerts_visible(user=user)
    visible, hidden = selectors.alert_children(user=w.analyst, alert=alert)
    assert w.hidden_child not in visible and hidden >= 1

    client.force_login(w.analyst)
    page = client.get(f"/analysis/alerts/{alert.pk}/").content.decode()
    assert "3 different children" in page and "Quilla" not in page and "cannot see" in page
    assert f"/analysis/alerts/{alert.pk}/" in client.get("/analysis/alerts/").content.decode()
    response = client.post(f"/analysis/alerts/{alert.pk}/", {"note": "Intelligence report submitted."})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.status == AlertStatus.REVIEWED and alert.reviewed_by == w.analyst
    client.force_login(w.officer)
    assert client.get(f"/analysis/alerts/{alert.pk}/").status_code == 404
    assert client.get("/analysis/alerts/").status_code == 404


def test_a_reviewed_alert_reopens_when_a_new_child_appears(world):
    w = world
    for i in range(3):
        _link(w, w.child_of_council(), w.adult, date(2026, 1, i + 1))
    (alert,) = services.copresence_scan()
    services.alert_review(caller=w.caller(w.analyst), alert=alert, note="Known; operation under way.")
    _link(w, w.child_of_council(), w.adult, date(2026, 2, 1))
    (again,) = services.copresence_scan()
    assert again.pk == alert.pk and again.status == AlertStatus.OPEN and again.distinct_children == 4


def test_copresence_scan_command(world, capsys):
    from django.core.management import call_command

    call_command("copresence_scan")
    assert "0 co-presence alerts" in capsys.readouterr().out


def test_a_new_alert_notifies_the_police_analysts_who_may_see_it_without_names(
    world, django_capture_on_commit_callbacks
):
    from harbour.notifications.models import Notification

    w = world
    children = [w.child, w.child_of_council(given_name="Rowan"), w.child_of_council(given_name="Sasha")]
    with django_capture_on_commit_callbacks(execute=True):
        for days_ago, child in zip((20, 10, 2), children, strict=True):
            _found_with(w, child, [w.adult], days_ago=days_ago)
    alert = CoPresenceAlert.objects.get()
    told = Notification.objects.filter(kind="co_presence", object_id=alert.pk)
    assert {n.recipient for n in told} == {w.analyst}
    assert all(w.adult.family_name not in n.title for n in told)
