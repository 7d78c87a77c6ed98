"""Notifications reach only those who may see the record, carry no child's details, arrive without
a refresh (the polled badge), and are emailed as each user chooses, links only."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from harbour.access.models import AccessGrant
from harbour.accounts.models import AgencyKind
from harbour.accounts.roles import Role
from harbour.demo import factories as f
from harbour.notifications import services
from harbour.notifications.kinds import ASSIGNED, CLOCK, REFERRAL_RECEIVED, Frequency
from harbour.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    police = f.make_agency(kind=AgencyKind.POLICE, short_name="HPOL")
    council = f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, short_name="HTC")
    officer = f.make_user(agency=police, username="officer")
    colleague = f.make_user(agency=police, username="colleague")
    social_worker = f.make_user(agency=council, username="social.worker")
    auditor = f.make_user(agency=police, role=Role.AUDITOR, username="auditor")
    child = f.make_person(owning_agency=police, created_by=officer, given_name="Jordan", family_name="Reyes")
    return {
        "police": police,
        "council": council,
        "officer": officer,
        "colleague": colleague,
        "social_worker": social_worker,
        "auditor": auditor,
        "child": child,
    }


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def tell(world, recipients, **kwargs):
    fields = {
        "kind": ASSIGNED,
        "title": "Episode ME-1 assigned to you",
        "link": f"/people/{world['child'].pk}/",
        "record": world["child"],
    } | kwargs
    return services.notify(recipients=recipients, **fields)


def test_only_recipients_who_may_see_the_record_are_told(world):
    created = tell(world, [world["officer"], world["colleague"], world["social_worker"], world["auditor"]])
    assert {n.recipient.username for n in created} == {"officer", "colleague"}
    f.grant(world["child"], by=world["officer"], agency=world["council"], reason="Joint work")
    assert [n.recipient.username for n in tell(world, [world["social_worker"]])] == ["social.worker"]
    # Without a record, everyone given (active) is told.
    world["colleague"].is_active = False
    world["colleague"].save()
    plain = services.notify(recipients=[world["auditor"], world["colleague"]], kind=ASSIGNED, title="Hi", link="/")
    assert [n.recipient.username for n in plain] == ["auditor"]


def test_titles_never_name_the_child_and_links_stay_inside_harbour(world):
    for title in ("Jordan Reyes went missing", "Episode for Reyes assigned", "jordan reyes: new episode"):
        with pytest.raises(ValueError):
            tell(world, [world["officer"]], title=title)
    for link in ("https://elsewhere.example/", "//elsewhere.example/x", "javascript:alert(1)", "people/1/"):
        with pytest.raises(ValueError):
            tell(world, [world["officer"]], link=link)
    with pytest.raises(ValueError):
        tell(world, [world["officer"]], kind="made_up")
    assert not Notification.objects.exists()


def test_dedupe_key_makes_raising_twice_a_no_op(world):
    assert len(tell(world, [world["officer"]], dedupe_key="episode:1")) == 1
    assert (
        tell(world, [world["officer"], world["colleague"]], dedupe_key="episode:1")[0].recipient == world["colleague"]
    )
    assert Notification.objects.count() == 2


def test_badge_counts_unread_and_polling_does_not_keep_the_session_alive(world):
    client = login(world["officer"])
    assert "moj-notification-badge" not in client.get("/notifications/badge/").content.decode()
    tell(world, [world["officer"]])
    tell(world, [world["officer"]], title="Episode ME-2 assigned to you")
    tell(world, [world["colleague"]])
    badge = client.get("/notifications/badge/").content.decode()
    assert "(2 unread)" in badge
    home = client.get("/").content.decode()
    assert 'hx-get="/notifications/badge/"' in home and 'hx-trigger="every 10s"' in home and "(2 unread)" in home

    session = Session.objects.get()
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + timedelta(minutes=5))
    client.get("/notifications/badge/")
    assert Session.objects.get().expire_date < timezone.now() + timedelta(minutes=6)  # not extended
    client.get("/notifications/")
    assert Session.objects.get().expire_date > timezone.now() + timedelta(minutes=25)  # a page view is activity


def test_opening_checks_the_policy_again_and_marks_read(world):
    [note] = tell(world, [world["officer"]])
    client = login(world["officer"])
    response = client.get(f"/notifications/{note.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/people/{world['child'].pk}/"
    note.refresh_from_db()
    assert note.is_read
    assert login(world["colleague"]).get(f"/notifications/{note.pk}/").status_code == 404

    # Access ends after the notification was raised: opening it no longer leads to the record.
    f.grant(world["child"], by=world["officer"], user=world["social_worker"], reason="Until today")
    [theirs] = tell(world, [world["social_worker"]])
    AccessGrant.objects.filter(grantee_user=world["social_worker"]).update(revoked_at=timezone.now())
    response = login(world["social_worker"]).get(f"/notifications/{theirs.pk}/")
    assert response.status_code == 302 and response["Location"] == "/notifications/"


def test_list_mark_read_and_mark_all(world):
    first, second = tell(world, [world["officer"]]), tell(world, [world["officer"]], title="Episode ME-9 assigned")
    client = login(world["officer"])
    page = client.get("/notifications/").content.decode()
    assert "Episode ME-1 assigned to you" in page and "Jordan" not in page
    client.post(f"/notifications/{first[0].pk}/read/")
    assert Notification.objects.unread().count() == 1
    assert login(world["colleague"]).post(f"/notifications/{second[0].pk}/read/").status_code == 404
    client.post("/notifications/read-all/")
    assert Notification.objects.unread().count() == 0


def test_immediate_email_has_a_link_and_nothing_about_the_child(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [note] = tell(world, [world["officer"]], kind=CLOCK, title="Police protection PP-4 ends at 14:00 on 4 May")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert f"/notifications/{note.pk}/" in body
    assert "PP-4" not in body and "Jordan" not in body and "Reyes" not in body
    note.refresh_from_db()
    assert note.emailed_at is not None
    call_command("send_digests")
    assert len(mail.outbox) == 1  # already emailed


def test_daily_digest_by_preference_and_idempotent(world):
    services.preferences_set(user=world["colleague"], frequencies={ASSIGNED: Frequency.NEVER})
    tell(world, [world["officer"], world["colleague"]])
    tell(world, [world["officer"]], kind=REFERRAL_RECEIVED, title="Referral REF-3 from HTC")
    call_command("send_digests")
    assert [m.to for m in mail.outbox] == [[world["officer"].email]]
    body = mail.outbox[0].body
    assert "2 unread notification(s)" in body and "Jordan" not in body and "REF-3" not in body
    call_command("send_digests")
    assert len(mail.outbox) == 1


def test_preferences_screen(world):
    client = login(world["officer"])
    page = client.get("/notifications/preferences/").content.decode()
    assert "A referral or transfer sent to me or my team" in page
    data = {code: "never" for code in services.frequencies_for(world["officer"])} | {CLOCK: "immediately"}
    assert client.post("/notifications/preferences/", data).status_code == 302
    assert services.frequencies_for(world["officer"])[CLOCK] == "immediately"
    assert services.frequencies_for(world["officer"])[ASSIGNED] == "never"


def test_notify_clocks_tells_those_responsible_once(world):
    from harbour.missing.models import MissingEpisode, PoliceProtection, ReturnHomeInterview

    police, child = world["police"], world["child"]
    provider = f.make_agency(kind=AgencyKind.RETURN_INTERVIEW_PROVIDER, short_name="RIP")
    interviewer = f.make_user(agency=provider, username="interviewer")
    f.grant(child, by=world["officer"], agency=provider, reason="Return interview")
    f.make_user(agency=police, role=Role.SUPERVISOR, username="sergeant")
    now = timezone.now()
    episode = MissingEpisode.objects.create(
        child=child,
        owning_agency=police,
        reported_by_kind="parent",
        reported_at=now - timedelta(hours=70),
        recorded_by=world["officer"],
        last_seen_at=now - timedelta(hours=71),
        last_seen_place="Town centre",
    )
    soon = ReturnHomeInterview.objects.create(
        episode=episode,
        child=child,
        provider=provider,
        returned_at=now - timedelta(hours=62),
        due_at=now + timedelta(hours=10),
    )
    later_episode = MissingEpisode.objects.create(
        child=child,
        owning_agency=police,
        reported_by_kind="parent",
        reported_at=now,
        recorded_by=world["officer"],
        last_seen_at=now,
        last_seen_place="Town centre",
    )
    ReturnHomeInterview.objects.create(
        episode=later_episode, child=child, provider=provider, returned_at=now, due_at=now + timedelta(hours=72)
    )
    protection = PoliceProtection.objects.create(
        child=child,
        owning_agency=police,
        taken_at=now - timedelta(hours=65),
        taken_by=world["officer"],
        grounds="Found with adults of concern.",
        place_of_safety="Foster placement",
    )
    call_command("notify_clocks")
    clocks = Notification.objects.filter(kind=CLOCK)
    rhi = clocks.filter(object_id=soon.pk, content_type__model="returnhomeinterview")
    assert set(rhi.values_list("recipient__username", flat=True)) == {"interviewer", "sergeant"}
    pp = clocks.filter(object_id=protection.pk, content_type__model="policeprotection")
    assert set(pp.values_list("recipient__username", flat=True)) == {"officer", "sergeant"}
    assert all("Jordan" not in n.title and "Reyes" not in n.title for n in clocks)
    assert pp.first().title.startswith(f"Police protection PP-{protection.pk} ends at")
    count = clocks.count()
    call_command("notify_clocks")
    assert Notification.objects.filter(kind=CLOCK).count() == count
    assert interviewer.notifications.count() == 1
    assert not Notification.objects.filter(recipient=world["social_worker"]).exists()  # cannot see the child
