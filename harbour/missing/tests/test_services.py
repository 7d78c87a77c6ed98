"""Episodes, closure, return interviews, triggers and police protection: the rules that matter."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from harbour.access.models import AccessGrant
from harbour.audit.models import AuditAction, AuditEvent
from harbour.demo import factories as f
from harbour.missing import rules, services
from harbour.missing.models import (
    EpisodeStatus,
    MissingEpisode,
    PoliceProtection,
    ReturnHomeInterview,
    RiskGrading,
    TriggerTask,
)

from .helpers import close, report

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


# --- Reporting and grading ---


def test_care_home_reports_resident_and_police_lead_gets_sight_of_the_child(world):
    episode = report(world)
    assert episode.status == EpisodeStatus.OPEN
    assert episode.owning_agency == world.police  # the home's police liaison officer's force
    assert AccessGrant.objects.live().for_record(world.resident).filter(grantee_agency=world.police).exists()
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="missing.missingepisode").count() == 1


def test_care_home_cannot_report_a_child_who_is_not_its_resident(world):
    with pytest.raises(Http404):
        report(world, child=world.other_child)
    with pytest.raises(Http404):
        report(world, by=world.other_home_staff)


def test_a_child_has_one_open_episode_at_a_time(world):
    report(world)
    with pytest.raises(ValidationError) as error:
        report(world)
    assert "already has an open missing episode" in str(error.value)


def test_last_seen_must_precede_the_report(world):
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        report(world, reported_at=now - timedelta(hours=2), last_seen_at=now - timedelta(hours=1))
    assert "last_seen_at" in error.value.message_dict


def test_every_regrade_is_kept_with_reason_and_officer(world):
    episode = report(world)
    services.episode_grade(
        caller=world.caller(world.officer), episode=episode, grade="medium", reason="Known associates"
    )
    services.episode_grade(caller=world.caller(world.officer), episode=episode, grade="high", reason="Seen with adult")
    grades = list(RiskGrading.objects.filter(episode=episode).order_by("graded_at", "id"))
    assert [g.grade for g in grades] == ["medium", "high"]
    assert all(g.graded_by == world.officer and g.reason for g in grades)
    assert episode.current_grade.grade == "high"


def test_only_police_grade(world):
    episode = report(world)
    with pytest.raises(Http404):
        services.episode_grade(caller=world.caller(world.home_staff), episode=episode, grade="low", reason="x")


def test_grade_needs_a_reason(world):
    episode = report(world)
    with pytest.raises(ValidationError) as error:
        services.episode_grade(caller=world.caller(world.officer), episode=episode, grade="low", reason=" ")
    assert "reason" in error.value.message_dict


def test_risk_information_records_who_supplied_it(world):
    episode = report(world)
    item = services.episode_add_risk_information(
        caller=world.caller(world.officer), episode=episode, information="Has a new phone", supplied_by="Key worker"
    )
    assert item.supplied_by == "Key worker" and item.recorded_by == world.officer


# --- Closure ---


def test_closure_refuses_without_where_and_with_whom(world):
    episode = report(world)
    with pytest.raises(ValidationError) as error:
        close(world, episode, found_where=None, found_alone=False)
    fields = error.value.message_dict
    assert "found_where" in fields and "found_with" in fields
    assert "would not say" in fields["found_where"][0]
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.OPEN
    assert not ReturnHomeInterview.objects.exists()


def test_closure_refuses_without_with_whom_only(world):
    episode = report(world)
    with pytest.raises(ValidationError) as error:
        close(world, episode, found_alone=False)
    assert set(error.value.message_dict) == {"found_with"}


def test_closure_accepts_would_not_say_and_records_it(world):
    episode = report(world)
    close(world, episode, found_where=None, where_not_said=True, found_alone=False, found_with_not_said=True)
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.CLOSED
    assert episode.where_not_said and episode.found_with_not_said
    assert episode.found_where is None


def test_closure_records_place_and_people(world):
    episode = report(world)
    companion = f.make_person(owning_agency=world.police, created_by=world.officer, kind="adult_of_concern")
    close(world, episode, found_alone=False, found_with=[companion])
    episode.refresh_from_db()
    assert episode.found_where.name == "Bus station"
    assert list(episode.found_with.all()) == [companion]


def test_closure_refuses_people_the_officer_cannot_see(world):
    episode = report(world)
    hidden = f.make_person(owning_agency=world.south)
    with pytest.raises(ValidationError) as error:
        close(world, episode, found_alone=False, found_with=[hidden])
    assert "found_with" in error.value.message_dict


def test_closure_creates_the_interview_due_72_hours_after_return_and_shares_with_provider(world):
    episode = report(world)
    found_at = timezone.now() - timedelta(hours=2)
    close(world, episode, found_at=found_at)
    rhi = ReturnHomeInterview.objects.get(episode=episode)
    assert rhi.due_at - found_at == timedelta(hours=72)
    assert rhi.provider == world.provider
    grant = AccessGrant.objects.live().for_record(world.resident).get(grantee_agency=world.provider)
    assert grant.reason == services.COMMISSIONED_PROVIDER_REASON


def test_return_across_the_clock_change_is_due_after_72_elapsed_hours(world, frozen_now):
    frozen_now(datetime(2026, 10, 24, 13, 0, tzinfo=LONDON))
    episode = report(world, reported_at=datetime(2026, 10, 24, 9, 0, tzinfo=LONDON))
    close(world, episode, found_at=datetime(2026, 10, 24, 12, 0, tzinfo=LONDON))
    rhi = ReturnHomeInterview.objects.get(episode=episode)
    assert rhi.due_at.astimezone(LONDON) == datetime(2026, 10, 27, 11, 0, tzinfo=LONDON)


# --- Return home interviews ---


@pytest.fixture
def rhi(world):
    episode = report(world)
    close(world, episode)
    return ReturnHomeInterview.objects.get(episode=episode)


def test_provider_records_offer_and_interview_in_time(world, rhi):
    caller = world.caller(world.rhi_worker)
    services.rhi_record_offer(caller=caller, rhi=rhi, offered_at=timezone.now(), offered_how="phone")
    services.rhi_record_held(
        caller=caller, rhi=rhi, held_at=timezone.now(), independent_of_carers=True, why_went="Wanted to see friends"
    )
    rhi.refresh_from_db()
    assert rhi.held_in_time and rhi.held_by == world.rhi_worker and rhi.response == "accepted"


def test_interview_by_a_carer_only_if_the_child_prefers(world, rhi):
    caller = world.caller(world.rhi_worker)
    with pytest.raises(ValidationError) as error:
        services.rhi_record_held(
            caller=caller, rhi=rhi, held_at=timezone.now(), independent_of_carers=False, why_went="x"
        )
    assert "independent_of_carers" in error.value.message_dict
    services.rhi_record_held(
        caller=caller,
        rhi=rhi,
        held_at=timezone.now(),
        independent_of_carers=False,
        child_preferred_carer=True,
        why_went="x",
    )


def test_refusal_needs_offer_and_reason_and_keeps_carers_account(world, rhi):
    caller = world.caller(world.rhi_worker)
    with pytest.raises(ValidationError):
        services.rhi_record_refusal(caller=caller, rhi=rhi, refusal_reason="Did not want to talk")
    services.rhi_record_offer(caller=caller, rhi=rhi, offered_at=timezone.now(), offered_how="in_person")
    with pytest.raises(ValidationError) as error:
        services.rhi_record_refusal(caller=caller, rhi=rhi, refusal_reason="")
    assert "refusal_reason" in error.value.message_dict
    services.rhi_record_refusal(
        caller=caller, rhi=rhi, refusal_reason="Did not want to talk", carers_account="Came back tired, ate, slept"
    )
    rhi.refresh_from_db()
    assert rhi.is_refused and rhi.carers_account


def test_other_provider_cannot_record_the_interview(world, rhi):
    with pytest.raises(Http404):
        services.rhi_record_offer(
            caller=world.caller(world.other_rhi_worker), rhi=rhi, offered_at=timezone.now(), offered_how="phone"
        )


def test_provider_cannot_change_the_child_or_the_episode(world, rhi):
    from harbour.access.policy import Action, can

    assert can(world.rhi_worker, Action.VIEW, world.resident)
    assert not can(world.rhi_worker, Action.CHANGE, world.resident)
    assert not can(world.rhi_worker, Action.CHANGE, rhi.episode)
    assert can(world.rhi_worker, Action.CHANGE, rhi)


# --- Triggers ---


def _episodes(world, days_ago: list[int]):
    now = timezone.now()
    for days in sorted(days_ago, reverse=True):
        episode = report(world, reported_at=now - timedelta(days=days))
        close(world, episode, found_at=now - timedelta(days=days) + timedelta(hours=2))


def test_three_episodes_in_30_days_raise_a_strategy_meeting_task(world):
    _episodes(world, [20, 10])
    assert not TriggerTask.objects.exists()
    _episodes(world, [1])
    kinds = set(TriggerTask.objects.values_list("kind", flat=True))
    assert kinds == {rules.STRATEGY_MEETING, rules.SCREENING_DUE}
    task = TriggerTask.objects.get(kind=rules.STRATEGY_MEETING)
    assert task.episodes.count() == 3 and task.child == world.resident


def test_three_in_90_days_but_not_30_raise_screening_only(world):
    _episodes(world, [80, 50, 5])
    assert list(TriggerTask.objects.values_list("kind", flat=True)) == [rules.SCREENING_DUE]


def test_triggers_are_raised_once_per_window(world):
    _episodes(world, [20, 10, 5, 2])
    assert TriggerTask.objects.filter(kind=rules.STRATEGY_MEETING).count() == 1
    assert TriggerTask.objects.filter(kind=rules.SCREENING_DUE).count() == 1


def test_a_new_window_raises_a_new_task(world):
    _episodes(world, [100, 99, 98, 5, 3, 1])
    assert TriggerTask.objects.filter(kind=rules.STRATEGY_MEETING).count() == 2


def test_triggers_are_configurable(world, settings):
    settings.HARBOUR_MISSING_TRIGGERS = (rules.Trigger(rules.STRATEGY_MEETING, 2, 7, "Local: 2 in 7 days"),)
    _episodes(world, [3, 1])
    assert TriggerTask.objects.get().reason == "Local: 2 in 7 days"


# --- Police protection (s46) ---


def _protection(world, taken_at):
    f.grant(world.resident, by=world.north_sw, agency=world.police)
    return services.police_protection_start(
        caller=world.caller(world.officer),
        child=world.resident,
        taken_at=taken_at,
        grounds="Found with adults of concern at night",
        place_of_safety="Harbour police station",
        place_is_police_station=True,
    )


def test_police_protection_lasts_72_hours(world):
    taken = timezone.now() - timedelta(hours=1)
    protection = _protection(world, taken)
    assert protection.ends_at - taken == timedelta(hours=72)
    assert protection.place_is_police_station
    assert "Local authority not informed" in protection.missing_notifications


def test_actions_within_72_hours_are_recorded(world):
    protection = _protection(world, timezone.now() - timedelta(hours=2))
    services.police_protection_record(
        caller=world.caller(world.officer),
        protection=protection,
        la_informed_at=timezone.now() - timedelta(hours=1),
        designated_officer=world.officer,
    )
    protection.refresh_from_db()
    assert protection.la_informed_at and protection.designated_officer == world.officer


def test_any_action_after_72_hours_is_refused(world, frozen_now):
    start = timezone.now()
    protection = _protection(world, start - timedelta(hours=1))
    frozen_now(start + timedelta(hours=72))
    with pytest.raises(ValidationError) as error:
        services.police_protection_record(
            caller=world.caller(world.officer), protection=protection, inquiry="Spoke to the child"
        )
    assert "Police protection ends after 72 hours and cannot be extended" in str(error.value)


def test_protection_cannot_be_extended_or_backdated_beyond_72_hours(world):
    protection = _protection(world, timezone.now() - timedelta(hours=1))
    with pytest.raises(ValidationError, match="cannot be extended"):
        services.police_protection_record(
            caller=world.caller(world.officer), protection=protection, ends_at=timezone.now() + timedelta(days=5)
        )
    with pytest.raises(ValidationError, match="cannot be extended"):
        services.police_protection_record(
            caller=world.caller(world.officer),
            protection=protection,
            outcome="released",
            handed_over_at=protection.ends_at + timedelta(minutes=1),
        )
    PoliceProtection.objects.all().delete()
    with pytest.raises(ValidationError, match="cannot be extended"):
        services.police_protection_start(
            caller=world.caller(world.officer),
            child=world.resident,
            taken_at=timezone.now() - timedelta(hours=73),
            grounds="Late record",
            place_of_safety="Foster home",
        )


def test_outcome_ends_protection(world):
    protection = _protection(world, timezone.now() - timedelta(hours=3))
    services.police_protection_record(
        caller=world.caller(world.officer),
        protection=protection,
        outcome="la_accommodation",
        handed_over_at=timezone.now() - timedelta(minutes=5),
    )
    protection.refresh_from_db()
    assert not protection.is_active
    with pytest.raises(ValidationError):
        services.police_protection_record(caller=world.caller(world.officer), protection=protection, inquiry="late")


def test_only_police_take_children_into_protection(world):
    with pytest.raises(Http404):
        services.police_protection_start(
            caller=world.caller(world.north_sw),
            child=world.resident,
            taken_at=timezone.now(),
            grounds="x",
            place_of_safety="y",
        )


def test_episode_count_sanity(world):
    report(world)
    assert MissingEpisode.objects.count() == 1


def test_a_screening_trigger_raises_the_risk_screening_due_task(world):
    from harbour.risk.models import RiskTask

    _episodes(world, [80, 50, 5])
    task = RiskTask.objects.get(child=world.resident)
    trigger = TriggerTask.objects.get(kind=rules.SCREENING_DUE)
    assert task.source == f"missing.TriggerTask:{trigger.pk}"
    assert task.done_at is None
