"""Screens: what a practitioner sees and does, and that another local authority sees nothing."""

from datetime import date

import pytest
from django.urls import reverse

from harbour.risk import constants as c
from harbour.risk import services
from harbour.risk.models import Assessment, AssessmentStatus, Screening

from .conftest import answer

pytestmark = pytest.mark.django_db


def _screening(world, **kwargs) -> Screening:
    return services.screening_create(
        caller=world.caller(world.north_sw),
        child=world.child,
        exploitation_types=["cse"],
        answers=[
            answer("missing_overnight", evidence_note="Missing overnight on 2 March"),
            answer("unexplained_money_gifts"),
        ],
        **kwargs,
    )


def _no_data(response, world):
    body = response.content.decode()
    assert world.child.given_name not in body and world.child.family_name not in body


def test_screening_through_the_form_shows_the_level_and_what_drove_it(client, world):
    client.force_login(world.north_sw)
    url = reverse("risk:screening_new", args=[world.child.pk])
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Relationship with an older person who has power over them" in body
    assert "Current (in the last 3 months)" in body
    response = client.post(
        url,
        {
            "exploitation_types": ["cse", "online"],
            "i_missing_overnight": "current",
            "e_missing_overnight": "Missing overnight on 2 March; found by police in another town.",
            "i_adults_contacting_online": "current",
            "c_adults_contacting_online": "Worried about messages from an adult on a game chat.",
            "i_care_history": "previous",
        },
    )
    screening = Screening.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("risk:screening", args=[screening.pk])
    assert screening.level == c.SIGNIFICANT and screening.score == 10.5
    detail = client.get(response["Location"]).content.decode()
    assert "Significant risk" in detail
    assert "Adults are contacting the child online, or asking them for images" in detail
    assert "Worried about messages from an adult on a game chat." in detail
    assert "found by police in another town" in detail
    assert 'id="contributions"' in detail


def test_evidence_without_a_timing_is_an_error_that_keeps_what_was_written(client, world):
    client.force_login(world.north_sw)
    response = client.post(
        reverse("risk:screening_new", args=[world.child.pk]),
        {"exploitation_types": ["cse"], "e_dating_apps": "Profile on an adult app, seen by school."},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Choose current or previous for ‘Use of dating or adult apps or websites’" in body
    assert "Profile on an adult app, seen by school." in body
    assert not Screening.objects.exists()


def test_full_assessment_through_the_screens(client, world):
    client.force_login(world.north_sw)
    response = client.post(
        reverse("risk:assessment_new", args=[world.child.pk]),
        {"exploitation_types": ["county_lines"], "summary": "Referral from school."},
    )
    assessment = Assessment.objects.get()
    assert response["Location"] == reverse("risk:assessment_answers", args=[assessment.pk])
    response = client.post(
        reverse("risk:assessment_answers", args=[assessment.pk]),
        {
            "exploitation_types": ["county_lines"],
            "i_found_in_another_area": "current",
            "e_found_in_another_area": "Found 80 miles away by transport police.",
            "i_carrying_drugs_cash": "current",
            "c_carrying_drugs_cash": "Had two phones and cash he could not explain.",
            "cce_exchange": "yes",
            "cce_advantage": "yes",
            "cce_violence_or_threat": "not_known",
            "summary": "Referral from school.",
        },
    )
    assert response.status_code == 302
    client.post(reverse("risk:assessment_submit", args=[assessment.pk]))
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED and assessment.level == c.SIGNIFICANT
    # The author cannot sign off; the supervisor sees the button and signs off.
    assert "Sign off" not in client.get(reverse("risk:assessment", args=[assessment.pk])).content.decode()
    client.force_login(world.north_supervisor)
    page = client.get(reverse("risk:assessment", args=[assessment.pk])).content.decode()
    assert "Sign off" in page and "In exchange for something the child needs or wants" in page
    assert world.child.full_name in client.get(reverse("risk:work")).content.decode()  # awaiting sign-off
    client.post(reverse("risk:assessment_sign_off", args=[assessment.pk]))
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SIGNED_OFF
    child_page = client.get(reverse("risk:child", args=[world.child.pk])).content.decode()
    assert "Significant risk" in child_page and "Found in another town or area" in child_page
    assert f"{assessment.review_due.day} {assessment.review_due:%B %Y}" in child_page


def test_sign_off_refusal_is_shown_not_swallowed(client, world):
    assessment = services.assessment_create(
        caller=world.caller(world.north_sw), child=world.child, exploitation_types=["cse"]
    )
    client.force_login(world.north_supervisor)
    response = client.post(reverse("risk:assessment_sign_off", args=[assessment.pk]), follow=True)
    assert "Only a submitted assessment can be signed off." in response.content.decode()


def test_judgement_screen_offers_only_higher_levels_and_needs_a_reason(client, world):
    screening = _screening(world)
    client.force_login(world.north_sw)
    url = reverse("risk:judgement", args=["screening", screening.pk])
    body = client.get(url).content.decode()
    assert 'value="serious"' in body and 'value="at_risk"' not in body
    response = client.post(url, {"judgement_level": "serious", "judgement_reason": ""})
    assert (
        response.status_code == 200
        and "Why does your professional judgement raise the level?" in response.content.decode()
    )
    response = client.post(url, {"judgement_level": "at_risk", "judgement_reason": "Lower"})
    assert response.status_code == 200  # not a choice offered
    client.post(
        url, {"judgement_level": "serious", "judgement_reason": "Seen with an adult wanted for supply offences."}
    )
    screening.refresh_from_db()
    assert screening.level == c.SERIOUS


def test_person_page_shows_the_risk_card_and_the_level_on_the_timeline(client, world):
    _screening(world)
    client.force_login(world.north_sw)
    body = client.get(reverse("people:detail", args=[world.child.pk])).content.decode()
    assert 'id="exploitation-risk"' in body
    assert reverse("risk:child", args=[world.child.pk]) in body
    assert "Exploitation screening: Significant risk" in body  # the timeline entry


def test_work_page_lists_overdue_reviews_and_screening_due_tasks(client, world):
    screening = _screening(world)
    Screening.objects.filter(pk=screening.pk).update(review_due=date(2026, 1, 1))
    services.screening_due_create(
        caller=world.caller(world.north_sw),
        child=world.child,
        reason="3 missing episodes in 90 days: screening is due.",
    )
    client.force_login(world.north_sw2)
    body = client.get(reverse("risk:work")).content.decode()
    assert 'id="overdue-reviews"' in body and "1 January 2026" in body
    assert "3 missing episodes in 90 days: screening is due." in body
    client.force_login(world.south_sw)
    body = client.get(reverse("risk:work")).content.decode()
    assert "No reviews are overdue." in body and "No open tasks." in body
    _no_data(client.get(reverse("risk:work")), world)


def test_another_local_authority_gets_404_on_every_risk_route(client, world):
    screening = _screening(world)
    assessment = services.assessment_create(
        caller=world.caller(world.north_sw), child=world.child, exploitation_types=["cse"]
    )
    task = services.screening_due_create(caller=world.caller(world.north_sw), child=world.child, reason="Trigger")
    client.force_login(world.south_sw)
    gets = [
        reverse("risk:child", args=[world.child.pk]),
        reverse("risk:screening_new", args=[world.child.pk]),
        reverse("risk:assessment_new", args=[world.child.pk]),
        reverse("risk:screening", args=[screening.pk]),
        reverse("risk:assessment", args=[assessment.pk]),
        reverse("risk:assessment_answers", args=[assessment.pk]),
        reverse("risk:assessment_return", args=[assessment.pk]),
        reverse("risk:judgement", args=["screening", screening.pk]),
        reverse("risk:judgement", args=["assessment", assessment.pk]),
        reverse("risk:task_done", args=[task.pk]),
    ]
    for url in gets:
        response = client.get(url)
        assert response.status_code == 404, url
        _no_data(response, world)
    for name in ("assessment_submit", "assessment_sign_off", "assessment_rescore"):
        assert client.post(reverse(f"risk:{name}", args=[assessment.pk])).status_code == 404, name
    post = client.post(reverse("risk:screening_new", args=[world.child.pk]), {"exploitation_types": ["cse"]})
    assert post.status_code == 404
    assert Screening.objects.count() == 1 and Assessment.objects.get().status == AssessmentStatus.DRAFT


def test_a_colleague_who_can_see_but_not_change_gets_404_on_changes(client, world):
    assessment = services.assessment_create(
        caller=world.caller(world.north_sw), child=world.child, exploitation_types=["cse"]
    )
    client.force_login(world.analyst)  # sees the child, may screen, may not write an assessment
    assert client.get(reverse("risk:assessment", args=[assessment.pk])).status_code == 200
    assert client.get(reverse("risk:assessment_answers", args=[assessment.pk])).status_code == 404
    assert client.get(reverse("risk:assessment_new", args=[world.child.pk])).status_code == 404
    assert client.get(reverse("risk:screening_new", args=[world.child.pk])).status_code == 200
