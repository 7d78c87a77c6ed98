"""Trigger plans and tasks, safe-and-well checks, places and people named on return, the child's
panel on the person page, the menu, and the per-care-home figures."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from harbour.access.policy import Action, can
from harbour.accounts.roles import Role
from harbour.audit.models import AuditAction, AuditEvent
from harbour.demo import factories as f
from harbour.missing import selectors, services
from harbour.missing.models import MissingEpisode, Place, ReturnHomeInterview, TriggerPlan, TriggerTask
from harbour.missing.templatetags.missing_tags import nav_entries
from harbour.people.models import Person, PersonKind

from .helpers import close, report

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


# --- Trigger plans ---


def test_home_council_and_police_write_the_trigger_plan_and_the_provider_only_reads_it(world):
    plan = services.trigger_plan_save(
        caller=world.caller(world.home_staff),
        child=world.resident,
        at_next_episode="Ring the liaison officer\nCheck the retail park\nText the child",
        contacts="PC Liaison 01632 960000",
    )
    assert plan.steps == ["Ring the liaison officer", "Check the retail park", "Text the child"]
    services.trigger_plan_save(caller=world.caller(world.north_sw), child=world.resident, agreed_with="The child")
    close(world, report(world))  # police and the provider now see the child
    services.trigger_plan_save(caller=world.caller(world.officer), child=world.resident, likely_locations="Town")
    for user in (world.rhi_worker, world.other_home_staff, world.south_sw):
        with pytest.raises(Http404):
            services.trigger_plan_save(caller=world.caller(user), child=world.resident, contacts="x")
    assert can(world.rhi_worker, Action.VIEW, TriggerPlan.objects.get())
    events = AuditEvent.objects.filter(object_type="missing.triggerplan").order_by("id")
    assert [e.action for e in events] == [AuditAction.CREATE, AuditAction.UPDATE, AuditAction.UPDATE]
    assert events[1].changes == {"agreed_with": ["", "The child"]}


def test_trigger_plan_needs_steps_and_a_future_review(world):
    caller = world.caller(world.home_staff)
    with pytest.raises(ValidationError) as error:
        services.trigger_plan_save(caller=caller, child=world.resident, at_next_episode=" ")
    assert "at_next_episode" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.trigger_plan_save(
            caller=caller, child=world.resident, at_next_episode="Call", review_by=date(2000, 1, 1)
        )
    assert "review_by" in error.value.message_dict


def test_the_plan_is_shown_on_the_episode_the_moment_it_opens(client, world):
    services.trigger_plan_save(
        caller=world.caller(world.home_staff), child=world.resident, at_next_episode="Search the skate park first"
    )
    episode = report(world)
    client.force_login(world.officer)
    body = client.get(reverse("missing:episode", args=[episode.pk])).content.decode()
    assert "Trigger plan: what to do now" in body and "Search the skate park first" in body
    assert AuditEvent.objects.filter(
        actor=world.officer, action=AuditAction.VIEW, object_type="missing.triggerplan"
    ).exists()


def test_trigger_plan_screens(client, world):
    client.force_login(world.home_staff)
    url = reverse("missing:trigger_plan_edit", args=[world.resident.pk])
    response = client.post(url, {"at_next_episode": "Call police\nCall the social worker", "agreed_with": "Ellery"})
    assert response.status_code == 302
    body = client.get(reverse("missing:trigger_plan", args=[world.resident.pk])).content.decode()
    assert "Call the social worker" in body
    client.force_login(world.rhi_worker)
    assert client.get(url).status_code == 404


# --- Trigger tasks ---


def _three_episodes(world):
    now = timezone.now()
    for days in (20, 10, 1):
        episode = report(world, reported_at=now - timedelta(days=days))
        close(world, episode, found_at=now - timedelta(days=days) + timedelta(hours=2))


def test_a_task_is_marked_done_with_what_was_done(client, world):
    _three_episodes(world)
    task = TriggerTask.objects.get(kind="strategy_meeting")
    done_url = reverse("missing:task_done", args=[task.pk])
    client.force_login(world.officer)  # police see the task on the child's page, but the council holds it
    body = client.get(reverse("people:detail", args=[world.resident.pk])).content.decode()
    assert "Strategy meeting" in body and done_url not in body
    client.force_login(world.north_sw)
    assert done_url in client.get(reverse("people:detail", args=[world.resident.pk])).content.decode()
    listing = client.get(reverse("missing:tasks")).content.decode()
    assert "Strategy meeting" in listing and reverse("missing:task_done", args=[task.pk]) in listing
    response = client.post(reverse("missing:task_done", args=[task.pk]), {"note": ""})
    assert response.status_code == 200 and "What was done" in response.content.decode()
    response = client.post(reverse("missing:task_done", args=[task.pk]), {"note": "Strategy meeting held 3 June"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.done_by == world.north_sw and task.done_note == "Strategy meeting held 3 June"
    assert client.get(reverse("missing:task_done", args=[task.pk])).status_code == 404  # done once
    with pytest.raises(ValidationError):
        services.trigger_task_done(caller=world.caller(world.north_sw), task=task, note="again")


def test_only_those_who_may_change_the_child_mark_tasks_done(world):
    _three_episodes(world)
    task = TriggerTask.objects.filter(done_at__isnull=True).first()
    for user in (world.home_staff, world.rhi_worker):
        with pytest.raises(Http404):
            services.trigger_task_done(caller=world.caller(user), task=task, note="done")


# --- Safe and well ---


def test_police_record_the_safe_and_well_check_after_the_return(client, world):
    episode = report(world)
    client.force_login(world.officer)
    assert client.get(reverse("missing:safe_and_well", args=[episode.pk])).status_code == 200
    response = client.post(reverse("missing:safe_and_well", args=[episode.pk]), {"held_at": _local(timezone.now())})
    assert "Record the child found or returned" in response.content.decode()
    close(world, episode)
    response = client.post(
        reverse("missing:safe_and_well", args=[episode.pk]),
        {"held_at": _local(timezone.now()), "location": "The home", "concerns_identified": "on", "notes": "Tired"},
    )
    assert response.status_code == 302
    assert episode.safe_and_well_checks.get().concerns_identified
    client.force_login(world.north_sw)  # the council may not record a police check
    assert client.get(reverse("missing:safe_and_well", args=[episode.pk])).status_code == 404


# --- Where and with whom: the same place and person records ---


def test_closing_with_a_place_on_record_and_a_new_person_named(world):
    first = report(world)
    close(world, first)
    first.refresh_from_db()
    known_place = first.found_where
    episode = report(world)
    services.episode_close(
        caller=world.caller(world.officer),
        episode=episode,
        found_at=timezone.now() - timedelta(minutes=30),
        found_where=known_place,
        new_people=[{"given_name": "Jax", "family_name": "", "kind": "adult_of_concern", "estimated_age_years": 24}],
    )
    episode.refresh_from_db()
    assert episode.found_where == known_place
    jax = episode.found_with.get()
    assert (jax.given_name, jax.family_name, jax.kind, jax.estimated_age_years) == (
        "Jax",
        "Not known",
        "adult_of_concern",
        24,
    )
    assert jax.owning_agency == world.police and jax.ethnicity == "not_known"
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="people.person", object_id=str(jax.pk))


def test_a_new_person_needs_a_name_kind_and_age(world):
    episode = report(world)
    with pytest.raises(ValidationError) as error:
        close(
            world, episode, found_alone=False, new_people=[{"given_name": "", "kind": "", "estimated_age_years": None}]
        )
    assert "New person 1" in error.value.message_dict["found_with"][0]
    assert not Person.objects.filter(kind=PersonKind.ADULT_OF_CONCERN).exists()


def test_a_place_the_officer_cannot_see_is_refused(world):
    hidden = Place.objects.create(name="Somewhere recorded elsewhere")
    episode = report(world)
    with pytest.raises(ValidationError) as error:
        close(world, episode, found_where=hidden)
    assert "found_where" in error.value.message_dict


def test_close_screen_creates_people_inline(client, world):
    episode = report(world)
    client.force_login(world.officer)
    assert client.get(reverse("missing:close", args=[episode.pk])).status_code == 200
    response = client.post(
        reverse("missing:close", args=[episode.pk]),
        {
            "found_at": _local(timezone.now() - timedelta(minutes=10)),
            "place_name": "Flat above the takeaway",
            "place_postcode": "hb1 2ab",
            "new_person_1_given_name": "Tiny",
            "new_person_1_kind": "adult_of_concern",
            "new_person_1_age": "30",
        },
    )
    assert response.status_code == 302, response.content.decode()
    episode.refresh_from_db()
    assert episode.found_where.postcode == "HB1 2AB"
    assert [p.given_name for p in episode.found_with.all()] == ["Tiny"]


def test_interview_places_and_people_feed_the_same_records(client, world):
    episode = report(world)
    close(world, episode)
    episode.refresh_from_db()
    rhi = ReturnHomeInterview.objects.get()
    client.force_login(world.rhi_worker)
    page = client.get(reverse("missing:rhi_held", args=[rhi.pk])).content.decode()
    assert "Bus station" in page  # the place on the episode can be picked
    response = client.post(
        reverse("missing:rhi_held", args=[rhi.pk]),
        {
            "held_at": _local(timezone.now()),
            "independent_of_carers": "on",
            "where_and_with_whom": "At the bus station, then a flat with an older lad called Kez",
            "places": [episode.found_where_id],
            "new_place_name": "Flat on Dock Street",
            "new_person_1_given_name": "Kez",
            "new_person_1_kind": "adult_of_concern",
            "new_person_1_age": "19",
        },
    )
    assert response.status_code == 302, response.content.decode()
    rhi.refresh_from_db()
    assert {p.name for p in rhi.places.all()} == {"Bus station", "Flat on Dock Street"}
    kez = rhi.people.get()
    assert kez.owning_agency == world.provider and kez.kind == PersonKind.ADULT_OF_CONCERN
    # The place joins the records the council sees too (through the interview on its child).
    assert selectors.places_known_to(user=world.north_sw).filter(name="Flat on Dock Street").exists()
    detail = client.get(reverse("missing:rhi", args=[rhi.pk])).content.decode()
    assert "Flat on Dock Street" in detail and "Kez" in detail


# --- The person page panel and the menu ---


def test_person_page_shows_the_clock_and_the_links_the_user_may_follow(client, world):
    client.force_login(world.home_staff)
    body = client.get(reverse("people:detail", args=[world.resident.pk])).content.decode()
    assert "Missing and police protection" in body
    assert reverse("missing:report", args=[world.resident.pk]) in body
    assert reverse("missing:protection_start", args=[world.resident.pk]) not in body  # police only
    assert reverse("missing:profile", args=[world.resident.pk]) in body
    episode = report(world)
    body = client.get(reverse("people:detail", args=[world.resident.pk])).content.decode()
    assert "Missing now" in body and reverse("missing:episode", args=[episode.pk]) in body
    assert reverse("missing:report", args=[world.resident.pk]) not in body  # one open episode at a time
    close(world, episode)
    body = client.get(reverse("people:detail", args=[world.resident.pk])).content.decode()
    assert "Return home interview" in body and "govuk-tag--green" in body and "hours" in body
    client.force_login(world.officer)
    body = client.get(reverse("people:detail", args=[world.resident.pk])).content.decode()
    assert reverse("missing:protection_start", args=[world.resident.pk]) in body


def test_no_panel_for_adults(client, world):
    adult = f.make_person(owning_agency=world.north, kind="adult_of_concern")
    client.force_login(world.north_sw)
    assert "Missing and police protection" not in client.get(reverse("people:detail", args=[adult.pk])).content.decode()


def test_menu_entries_follow_the_role(world):
    labels = lambda user: [e[0] for e in nav_entries(user)]  # noqa: E731
    assert labels(world.home_staff) == ["Missing children"]
    assert labels(world.rhi_worker) == ["Return interviews"]
    assert labels(world.officer) == ["Missing children", "Police protection"]
    assert labels(world.north_supervisor) == [
        "Missing children",
        "Return interviews",
        "Police protection",
        "Missing dashboard",
    ]
    assert labels(f.make_user(agency=world.north, role=Role.AUDITOR)) == []


def test_menu_is_drawn_and_marks_the_current_section(client, world):
    client.force_login(world.officer)
    body = client.get(reverse("missing:protection_board")).content.decode()
    assert 'href="/missing/police-protection/" aria-current="page"' in body
    assert ">Missing children<" in body


def test_missing_children_list(client, world):
    episode = report(world)
    client.force_login(world.officer)
    body = client.get(reverse("missing:episodes")).content.decode()
    assert reverse("missing:episode", args=[episode.pk]) in body and "Not yet graded" in body
    client.force_login(world.south_sw)
    assert world.resident.family_name not in client.get(reverse("missing:episodes")).content.decode()


# --- Per care home ---


def test_episodes_per_resident_by_month_for_the_home_and_its_liaison_officer(client, world, frozen_now):
    now = frozen_now(datetime(2025, 6, 15, 12, 0, tzinfo=LONDON))
    world.resident.placements.update(start_date=date(2025, 1, 1))
    for moment in (datetime(2025, 4, 3, 22, 0), datetime(2025, 4, 20, 9, 0), datetime(2025, 6, 1, 0, 30)):
        episode = report(world, reported_at=moment.replace(tzinfo=LONDON))
        close(world, episode, found_at=episode.reported_at + timedelta(hours=3))
    months, rows = selectors.care_home_episodes(
        caller=world.caller(world.home_staff), home=world.home, today=now.date()
    )
    assert len(months) == 12 and months[-1] == date(2025, 6, 1)
    (row,) = rows
    assert row.child == world.resident and row.total == 3
    assert row.counts[months.index(date(2025, 4, 1))] == 2 and row.counts[months.index(date(2025, 6, 1))] == 1
    liaison_months, liaison_rows = selectors.care_home_episodes(caller=world.caller(world.officer), home=world.home)
    assert liaison_rows[0].total == 3
    for user in (world.other_home_staff, world.north_sw, world.rhi_worker):
        with pytest.raises(Http404):
            selectors.care_home_episodes(caller=world.caller(user), home=world.home)
    assert AuditEvent.objects.filter(action=AuditAction.DENIED, object_type="people.carehome").count() == 3
    client.force_login(world.home_staff)
    response = client.get(reverse("missing:care_homes"))
    assert response.status_code == 302 and response.url == reverse("missing:care_home", args=[world.home.pk])
    body = client.get(response.url).content.decode()
    assert world.resident.family_name in body and "Apr 25" in body
    client.force_login(world.other_home_staff)
    assert client.get(reverse("missing:care_home", args=[world.home.pk])).status_code == 404
    assert MissingEpisode.objects.count() == 3
