"""Services: the workflow, the rules as the services enforce them, the policy, tasks and audit."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from harbour.audit.models import AuditAction, AuditEvent
from harbour.demo import factories as f
from harbour.people.models import Note, PersonKind
from harbour.people.services import note_create
from harbour.risk import constants as c
from harbour.risk import selectors, services
from harbour.risk.models import Assessment, AssessmentStatus, Evidence, RiskTask, Screening, TaskKind

from .conftest import answer

pytestmark = pytest.mark.django_db

SIGNIFICANT_ANSWERS = [
    answer("missing_overnight"),
    answer("unexplained_money_gifts", evidence_note="New phone, seen by carer"),
]


def _screen(world, user=None, child=None, answers=SIGNIFICANT_ANSWERS, types=("cse",), **kwargs) -> Screening:
    return services.screening_create(
        caller=world.caller(user or world.north_sw),
        child=child or world.child,
        exploitation_types=list(types),
        answers=answers,
        **kwargs,
    )


def _submitted(world, answers=None, author=None) -> Assessment:
    author = author or world.north_sw
    assessment = services.assessment_create(caller=world.caller(author), child=world.child, exploitation_types=["cse"])
    services.assessment_update_answers(
        caller=world.caller(author),
        assessment=assessment,
        answers=answers
        or [
            answer("missing_overnight", evidence_note="Missing two nights in March"),
            answer("care_history", professional_concern="Placement moves"),
        ],
    )
    return services.assessment_submit(caller=world.caller(author), assessment=assessment)


# --- Screening -----------------------------------------------------------------------------------


def test_screening_scores_sets_a_review_date_and_is_audited(world):
    screening = _screen(world)
    assert screening.score == 10 and screening.level == c.SIGNIFICANT
    assert screening.indicator_set.version == "1"
    assert screening.owning_agency == world.north and screening.created_by == world.north_sw
    assert screening.review_due == screening.assessed_on + c.REVIEW_AFTER[c.SIGNIFICANT]
    assert screening.answers.count() == 2
    assert Evidence.objects.get(answer__indicator="unexplained_money_gifts").note == "New phone, seen by carer"
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="risk.screening")
    assert event.person_id == world.child.pk and event.record_agency_id == world.north.pk
    assert event.changes["level"] == c.SIGNIFICANT
    assert "New phone" not in str(event.details)  # free text stays out of the audit log


def test_a_case_worker_of_another_agency_who_can_see_the_child_may_screen_and_the_screening_is_theirs(world):
    f.grant(world.child, by=world.north_sw, agency=world.police)
    screening = _screen(world, user=world.officer, types=["cce", "county_lines"], cce_exchange="yes")
    assert screening.owning_agency == world.police
    assert screening.cce_exchange == "yes"
    # The council sees the police screening (it follows the child) but cannot change it.
    assert selectors.screenings_for(user=world.north_sw, child=world.child).count() == 1
    with pytest.raises(Http404):
        services.judgement_raise(caller=world.caller(world.north_sw), record=screening, level=c.SERIOUS, reason="x")


def test_an_analyst_may_screen(world):
    assert _screen(world, user=world.analyst).owning_agency == world.north


def test_another_local_authority_cannot_screen_or_assess_a_child_it_cannot_see(world):
    with pytest.raises(Http404):
        _screen(world, user=world.south_sw)
    with pytest.raises(Http404):
        services.assessment_create(caller=world.caller(world.south_sw), child=world.child, exploitation_types=["cse"])
    assert not Screening.objects.exists() and not Assessment.objects.exists()


def test_screening_needs_a_kind_of_exploitation_and_is_only_for_children(world):
    with pytest.raises(ValidationError) as error:
        _screen(world, types=())
    assert "exploitation_types" in error.value.message_dict
    adult = f.make_person(owning_agency=world.north, created_by=world.north_sw, kind=PersonKind.ADULT_OF_CONCERN)
    with pytest.raises(ValidationError) as error:
        _screen(world, child=adult)
    assert "child" in error.value.message_dict


def test_under_13_floor_and_disability_uplift_come_from_the_childs_record(world):
    young = world.make_child(age=12)
    screening = _screen(world, child=young, answers=[answer("unknown_callers")])
    assert screening.score_level == c.NOT_AT_RISK and screening.level == c.SIGNIFICANT
    assert "under 13 (age 12)" in screening.floor_reason and screening.child_age_years == 12
    disabled = world.make_child(age=15, disability="yes", learning_disability="yes")
    screening = _screen(world, child=disabled, answers=[answer("unknown_callers")])
    assert screening.child_disability and screening.child_learning_disability
    assert screening.level == c.SIGNIFICANT and screening.explanation["uplift"]["points"] == "1"


def test_evidence_may_link_a_record_about_the_child_the_user_can_see(world):
    note = note_create(
        caller=world.caller(world.north_sw), person=world.child, text="Seen with older males at the station."
    )
    screening = _screen(world, answers=[answer("adults_of_concern", evidence_records=(note,))])
    evidence = Evidence.objects.get(answer__screening=screening)
    assert evidence.content_type.model_class() is Note and evidence.object_id == str(note.pk)
    shown = selectors.answers_shown(user=world.north_sw, record=screening)[0]
    assert shown.evidence[0]["record"] == note
    # A record about another child cannot be linked.
    other = world.make_child()
    other_note = note_create(caller=world.caller(world.north_sw), person=other, text="Another child's note.")
    with pytest.raises(ValidationError) as error:
        _screen(world, answers=[answer("adults_of_concern", evidence_records=(other_note,))])
    assert "answers" in error.value.message_dict


# --- Assessment workflow -------------------------------------------------------------------------


def test_full_assessment_draft_submit_sign_off(world):
    assessment = _submitted(world)
    assert assessment.status == AssessmentStatus.SUBMITTED and assessment.review_due is None
    signed = services.assessment_sign_off(caller=world.caller(world.north_supervisor), assessment=assessment)
    assert signed.status == AssessmentStatus.SIGNED_OFF
    assert signed.signed_off_by == world.north_supervisor and signed.signed_off_at is not None
    assert signed.level == c.AT_RISK  # 5 + 1 = 6
    assert signed.review_due is not None
    steps = list(
        AuditEvent.objects.filter(object_type="risk.assessment", object_id=str(signed.pk))
        .order_by("id")
        .values_list("action", "details__step")
    )
    assert steps == [
        (AuditAction.CREATE, None),
        (AuditAction.UPDATE, "answers"),
        (AuditAction.UPDATE, "submit"),
        (AuditAction.UPDATE, "sign_off"),
    ]


def test_submit_needs_evidence_or_concern_for_each_answer(world):
    assessment = services.assessment_create(
        caller=world.caller(world.north_sw), child=world.child, exploitation_types=["cse"]
    )
    services.assessment_update_answers(
        caller=world.caller(world.north_sw), assessment=assessment, answers=[answer("missing_overnight")]
    )
    with pytest.raises(ValidationError) as error:
        services.assessment_submit(caller=world.caller(world.north_sw), assessment=assessment)
    assert "Missing overnight" in error.value.message_dict["answers"][0]


def test_submit_needs_the_cce_limbs_when_cce_is_in_view(world):
    assessment = services.assessment_create(
        caller=world.caller(world.north_sw), child=world.child, exploitation_types=["county_lines"]
    )
    with pytest.raises(ValidationError) as error:
        services.assessment_submit(caller=world.caller(world.north_sw), assessment=assessment)
    assert set(error.value.message_dict) == {"cce_exchange", "cce_advantage", "cce_violence_or_threat"}
    services.assessment_update_answers(
        caller=world.caller(world.north_sw),
        assessment=assessment,
        answers=[],
        cce_exchange="yes",
        cce_advantage="yes",
        cce_violence_or_threat="not_known",
        cce_detail="Given food and trainers; told to hold a package.",
    )
    assert services.assessment_submit(caller=world.caller(world.north_sw), assessment=assessment).status == "submitted"


def test_only_a_supervisor_of_the_owning_agency_who_is_not_the_author_signs_off(world):
    assessment = _submitted(world)
    for user in (world.north_sw, world.north_sw2, world.south_supervisor):
        with pytest.raises((ValidationError, Http404)):
            services.assessment_sign_off(caller=world.caller(user), assessment=assessment)
    f.grant(world.child, by=world.north_sw, agency=world.south)
    with pytest.raises(ValidationError) as error:
        services.assessment_sign_off(caller=world.caller(world.south_supervisor), assessment=assessment)
    assert "signed_off_by" in error.value.message_dict
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED


def test_a_supervisor_cannot_sign_off_their_own_assessment(world):
    assessment = _submitted(world, author=world.north_supervisor)
    with pytest.raises(ValidationError) as error:
        services.assessment_sign_off(caller=world.caller(world.north_supervisor), assessment=assessment)
    assert "another supervisor" in error.value.message_dict["signed_off_by"][0]
    signed = services.assessment_sign_off(caller=world.caller(world.north_supervisor2), assessment=assessment)
    assert signed.status == AssessmentStatus.SIGNED_OFF


def test_only_a_submitted_assessment_is_signed_off_and_only_a_draft_is_changed(world):
    assessment = services.assessment_create(
        caller=world.caller(world.north_sw), child=world.child, exploitation_types=["cse"]
    )
    with pytest.raises(ValidationError):
        services.assessment_sign_off(caller=world.caller(world.north_supervisor), assessment=assessment)
    assessment = _submitted(world)
    with pytest.raises(ValidationError) as error:
        services.assessment_update_answers(caller=world.caller(world.north_sw), assessment=assessment, answers=[])
    assert "status" in error.value.message_dict


def test_a_supervisor_may_return_a_submitted_assessment_with_a_reason(world):
    assessment = _submitted(world)
    with pytest.raises(ValidationError):
        services.assessment_return(caller=world.caller(world.north_supervisor), assessment=assessment, reason=" ")
    returned = services.assessment_return(
        caller=world.caller(world.north_supervisor), assessment=assessment, reason="Add what the school told us."
    )
    assert returned.status == AssessmentStatus.DRAFT and returned.returned_reason == "Add what the school told us."


def test_sign_off_makes_the_assessment_current_and_supersedes_earlier_records(world):
    screening = _screen(world)
    assessment = services.assessment_sign_off(caller=world.caller(world.north_supervisor), assessment=_submitted(world))
    screening.refresh_from_db()
    assert screening.superseded_at is not None
    assert selectors.current_records(user=world.north_sw, child=world.child) == [assessment]
    # A later quick screening does not replace the full assessment: both are current, the higher level leads.
    later = _screen(world, answers=[])
    current = selectors.current_records(user=world.north_sw, child=world.child)
    assert set(current) == {assessment, later} and current[0] == assessment
    assert selectors.current_level(user=world.north_sw, child=world.child) == c.AT_RISK


# --- Professional judgement ----------------------------------------------------------------------


def test_judgement_raises_with_a_reason_and_brings_the_review_forward(world):
    screening = _screen(world, answers=[answer("care_history")])
    assert screening.level == c.NOT_AT_RISK and screening.review_due is None
    raised = services.judgement_raise(
        caller=world.caller(world.north_sw2),
        record=screening,
        level=c.SERIOUS,
        reason="Found in a car with two adults at 2am.",
    )
    assert raised.level == c.SERIOUS and raised.rule_level == c.NOT_AT_RISK
    assert raised.judgement_by == world.north_sw2
    assert raised.review_due == timezone.localdate() + c.REVIEW_AFTER[c.SERIOUS]
    event = AuditEvent.objects.filter(object_type="risk.screening", details__step="judgement").get()
    assert event.reason == "Found in a car with two adults at 2am."
    assert event.changes["level"] == [c.NOT_AT_RISK, c.SERIOUS]


def test_judgement_cannot_lower_below_the_rule_or_go_without_a_reason(world):
    screening = _screen(world)  # significant by the score
    with pytest.raises(ValidationError) as error:
        services.judgement_raise(
            caller=world.caller(world.north_sw), record=screening, level=c.AT_RISK, reason="Settled now."
        )
    assert "judgement_level" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.judgement_raise(caller=world.caller(world.north_sw), record=screening, level=c.SERIOUS, reason="")
    assert "judgement_reason" in error.value.message_dict
    screening.refresh_from_db()
    assert screening.level == c.SIGNIFICANT and not screening.judgement_level


def test_judgement_on_an_under_13_cannot_go_below_the_floor(world):
    screening = _screen(world, child=world.make_child(age=11), answers=[answer("unknown_callers")])
    with pytest.raises(ValidationError) as error:
        services.judgement_raise(caller=world.caller(world.north_sw), record=screening, level=c.AT_RISK, reason="Low.")
    assert "Significant risk" in error.value.message_dict["judgement_level"][0]


def test_judgement_on_a_draft_assessment_carries_to_sign_off_and_the_review(world):
    assessment = _submitted(world)
    services.judgement_raise(
        caller=world.caller(world.north_supervisor),
        record=assessment,
        level=c.SERIOUS,
        reason="Intelligence of a deal line.",
    )
    signed = services.assessment_sign_off(caller=world.caller(world.north_supervisor2), assessment=assessment)
    assert signed.level == c.SERIOUS
    assert signed.review_due == timezone.localdate(signed.signed_off_at) + c.REVIEW_AFTER[c.SERIOUS]
    with pytest.raises(ValidationError):
        services.judgement_raise(
            caller=world.caller(world.north_supervisor), record=signed, level=c.SERIOUS, reason="x"
        )


# --- Review dates in Europe/London ---------------------------------------------------------------


@pytest.mark.parametrize(
    "utc_moment, expected",
    [
        # 23:30 UTC on 31 March is 00:30 on 1 April in London (BST): the review runs from 1 April.
        (datetime(2026, 3, 31, 23, 30, tzinfo=UTC), date(2026, 7, 1)),
        # In winter London is on GMT: 23:30 UTC on 31 January is still 31 January.
        (datetime(2026, 1, 31, 23, 30, tzinfo=UTC), date(2026, 4, 30)),
    ],
)
def test_review_dates_are_counted_from_the_london_date(world, monkeypatch, utc_moment, expected):
    assessment = _submitted(world)
    monkeypatch.setattr(timezone, "now", lambda: utc_moment)
    signed = services.assessment_sign_off(caller=world.caller(world.north_supervisor), assessment=assessment)
    assert signed.level == c.AT_RISK and signed.review_due == expected


def test_overdue_reviews_are_listed_for_those_who_can_see_the_child(world):
    screening = _screen(world)
    Screening.objects.filter(pk=screening.pk).update(review_due=date(2026, 1, 1))
    assert selectors.overdue_reviews(user=world.north_sw, today=date(2026, 1, 2)) == [
        Screening.objects.get(pk=screening.pk)
    ]
    assert selectors.overdue_reviews(user=world.north_sw, today=date(2026, 1, 1)) == []
    assert selectors.overdue_reviews(user=world.south_sw, today=date(2026, 1, 2)) == []
    raised = services.review_tasks_raise(today=date(2026, 1, 2))
    assert len(raised) == 1 and raised[0].kind == TaskKind.REVIEW_DUE
    assert services.review_tasks_raise(today=date(2026, 1, 3)) == []  # once while open
    # A new screening replaces the overdue one and closes its review task.
    _screen(world)
    assert RiskTask.objects.get(pk=raised[0].pk).done_at is not None


# --- Tasks ---------------------------------------------------------------------------------------


def test_screening_due_is_idempotent_per_child_and_reason_while_open(world):
    reason = "3 missing episodes in 90 days: exploitation screening is due."
    first = services.screening_due_create(
        caller=world.caller(world.north_sw), child=world.child, reason=reason, source="missing.TriggerTask:7"
    )
    again = services.screening_due_create(caller=world.caller(world.north_sw2), child=world.child, reason=reason)
    assert first.pk == again.pk and first.source == "missing.TriggerTask:7"
    other = services.screening_due_create(
        caller=world.caller(world.north_sw), child=world.child, reason="Found with an adult of concern."
    )
    assert other.pk != first.pk
    assert AuditEvent.objects.filter(object_type="risk.risktask", action=AuditAction.CREATE).count() == 2
    # Doing the screening closes the open screening-due tasks; the same reason may then be raised anew.
    _screen(world)
    assert not RiskTask.objects.filter(child=world.child, done_at__isnull=True).exists()
    assert (
        services.screening_due_create(caller=world.caller(world.north_sw), child=world.child, reason=reason).pk
        != first.pk
    )


def test_screening_due_needs_a_caller_who_can_see_the_child_and_a_reason(world):
    with pytest.raises(Http404):
        services.screening_due_create(caller=world.caller(world.south_sw), child=world.child, reason="Trigger")
    with pytest.raises(ValidationError):
        services.screening_due_create(caller=world.caller(world.north_sw), child=world.child, reason=" ")


def test_task_done_by_a_case_worker_who_can_see_the_child(world):
    task = services.screening_due_create(caller=world.caller(world.north_sw), child=world.child, reason="Trigger")
    with pytest.raises(Http404):
        services.task_done(caller=world.caller(world.south_sw), task=task)
    done = services.task_done(caller=world.caller(world.north_sw2), task=task, note="Screened by phone with school.")
    assert done.done_by == world.north_sw2 and done.done_note == "Screened by phone with school."
    assert selectors.open_tasks(user=world.north_sw).count() == 0


# --- Reads ---------------------------------------------------------------------------------------


def test_reading_an_assessment_is_audited_and_a_hidden_one_is_404_and_audited_as_denied(world):
    assessment = _submitted(world)
    selectors.assessment_get(caller=world.caller(world.north_sw2), pk=assessment.pk)
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_type="risk.assessment", actor=world.north_sw2
    ).exists()
    with pytest.raises(Http404):
        selectors.assessment_get(caller=world.caller(world.south_sw), pk=assessment.pk)
    denied = AuditEvent.objects.get(action=AuditAction.DENIED, actor=world.south_sw)
    assert denied.object_type == "risk.assessment" and denied.person_id is None


def test_level_history_shows_screenings_sign_offs_and_judgements_in_order(world):
    screening = _screen(world, answers=[answer("care_history")])
    services.judgement_raise(caller=world.caller(world.north_sw), record=screening, level=c.AT_RISK, reason="Worried.")
    services.assessment_sign_off(caller=world.caller(world.north_supervisor), assessment=_submitted(world))
    history = selectors.level_history(user=world.north_sw, child=world.child)
    assert [p.level for p in history] == [c.NOT_AT_RISK, c.AT_RISK, c.AT_RISK]
    assert history[1].title.startswith("Level raised by professional judgement")
    assert history[2].title.startswith("Exploitation risk assessment signed off")
    assert selectors.level_history(user=world.south_sw, child=world.child) == []


def test_the_daily_command_raises_review_tasks_once(world):
    from io import StringIO

    from django.core.management import call_command

    screening = _screen(world)
    Screening.objects.filter(pk=screening.pk).update(review_due=date(2026, 1, 1))
    out = StringIO()
    call_command("risk_review_tasks", stdout=out)
    call_command("risk_review_tasks", stdout=out)
    assert out.getvalue().splitlines() == ["1 review task(s) raised.", "0 review task(s) raised."]
    event = AuditEvent.objects.get(object_type="risk.risktask")
    assert event.actor is None and event.actor_username == "system: risk-review-tasks"
