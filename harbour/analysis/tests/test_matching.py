"""Matching people across agencies: proposals, human decisions, reversible joins, search before create."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from harbour.audit.models import AuditEvent
from harbour.demo import factories as f
from harbour.people.models import Person

from .. import selectors, services
from ..models import MatchCandidate, MatchDecision, MatchStatus, SameAs

pytestmark = pytest.mark.django_db


def _duplicates(w):
    """The same girl recorded by the council and (spelt differently) by the police."""
    council_record = w.child_of_council(
        given_name="Katie", family_name="Smith", date_of_birth=date(2011, 5, 3), sex="female"
    )
    police_record = f.make_person(
        owning_agency=w.police,
        created_by=w.officer,
        given_name="Caty",
        family_name="Smyth",
        date_of_birth=date(2011, 5, 3),
        sex="female",
    )
    f.add_identifier(council_record, "nhs_number", "999 123 4560")
    f.add_identifier(police_record, "nhs_number", "9991234560")
    return council_record, police_record


def _candidate(a, b):
    low, high = sorted((a.pk, b.pk))
    return MatchCandidate.objects.get(person_a_id=low, person_b_id=high)


def test_run_proposes_likely_duplicates_and_audits(world):
    a, b = _duplicates(world)
    summary = services.match_people_run()
    assert summary["proposed"] >= 1
    candidate = _candidate(a, b)
    assert candidate.status == MatchStatus.PROPOSED
    assert candidate.match_probability > 0.99
    levels = {e["comparison"]: e["level"] for e in candidate.explanation}
    assert levels["identifiers"] == "Identifiers: one in common"
    assert AuditEvent.objects.filter(object_type="analysis.matchcandidate", action="create").exists()
    # Strangers are not proposed.
    assert not MatchCandidate.objects.filter(person_a=world.adult).exists()
    assert not MatchCandidate.objects.filter(person_b=world.adult).exists()


def test_proposals_are_shown_only_to_users_who_may_see_both_records(world):
    a, b = _duplicates(world)
    services.match_people_run()
    candidate = _candidate(a, b)
    assert candidate in selectors.candidates_visible(user=world.officer)  # police see both (one shared)
    assert candidate not in selectors.candidates_visible(user=world.social_worker)  # the police record is hidden
    assert candidate not in selectors.candidates_visible(user=world.other_social_worker)
    with pytest.raises(Http404):
        selectors.candidate_get(caller=world.caller(world.social_worker), pk=candidate.pk)


def test_confirm_joins_without_changing_either_record_and_undo_restores(world):
    a, b = _duplicates(world)
    services.match_people_run()
    candidate = _candidate(a, b)
    before = list(Person.objects.filter(pk__in=[a.pk, b.pk]).values())
    caller = world.caller(world.officer)

    with pytest.raises(ValidationError):
        services.match_confirm(caller=caller, candidate=candidate, reason="  ")
    same_as = services.match_confirm(caller=caller, candidate=candidate, reason="Same NHS number and date of birth.")
    candidate.refresh_from_db()
    assert candidate.status == MatchStatus.CONFIRMED and candidate.decided_by == world.officer
    assert list(Person.objects.filter(pk__in=[a.pk, b.pk]).values()) == before  # nothing merged into anything
    assert [p.pk for p in selectors.same_person_records(user=world.officer, person=a)] == [b.pk]
    assert selectors.same_person_records(user=world.social_worker, person=a) == []  # cannot see the other record
    # Audited under both people.
    assert set(
        AuditEvent.objects.filter(object_type="analysis.matchcandidate", details__decision="confirmed").values_list(
            "person_id", flat=True
        )
    ) == {a.pk, b.pk}

    services.match_undo(caller=caller, candidate=candidate, reason="Twins: a second NHS record was found.")
    candidate.refresh_from_db()
    same_as.refresh_from_db()
    assert candidate.status == MatchStatus.PROPOSED
    assert same_as.undone_at is not None and same_as.undone_by == world.officer
    assert selectors.same_person_records(user=world.officer, person=a) == []
    assert [d.decision for d in MatchDecision.objects.filter(candidate=candidate)] == ["confirmed", "undone"]


def test_a_rejected_pair_is_never_proposed_again(world):
    a, b = _duplicates(world)
    services.match_people_run()
    candidate = _candidate(a, b)
    services.match_reject(caller=world.caller(world.officer), candidate=candidate, reason="Different mothers named.")
    services.match_people_run()
    candidate.refresh_from_db()
    assert candidate.status == MatchStatus.REJECTED
    assert (
        MatchCandidate.objects.filter(person_a_id=candidate.person_a_id, person_b_id=candidate.person_b_id).count() == 1
    )
    assert candidate not in selectors.candidates_visible(user=world.officer)
    with pytest.raises(ValidationError):
        services.match_reject(caller=world.caller(world.officer), candidate=candidate, reason="again")


def test_only_writers_who_may_change_a_record_decide(world):
    a, b = _duplicates(world)
    services.match_people_run()
    candidate = _candidate(a, b)
    # A police analyst sees the adult-of-concern records only; the officer's child records are shared to
    # the police agency, so the analyst sees both but may not decide (analysts do not change records).
    with pytest.raises(Http404):
        services.match_confirm(caller=world.caller(world.analyst), candidate=candidate, reason="Looks the same")
    assert not SameAs.objects.exists()


def test_clusters_of_joins_transitively():
    assert selectors.clusters_of([(3, 5), (5, 9), (12, 11)]) == {3: 3, 5: 3, 9: 3, 11: 11, 12: 11}


def test_similar_people_finds_visible_near_matches_only(world):
    council_record, police_record = _duplicates(world)
    hidden = f.make_person(
        owning_agency=world.other_council,
        created_by=world.other_social_worker,
        given_name="Katy",
        family_name="Smith",
        date_of_birth=date(2011, 5, 3),
    )
    results = selectors.similar_people(
        caller=world.caller(world.social_worker), given_name="Katy", family_name="Smith", date_of_birth=date(2011, 5, 3)
    )
    found = [r.person for r in results]
    assert council_record in found
    assert police_record not in found and hidden not in found
    assert "same date of birth" in results[0].reasons
    # One digit out in the date of birth still finds her.
    near = selectors.similar_people(
        caller=world.caller(world.social_worker),
        given_name="Katie",
        family_name="Smith",
        date_of_birth=date(2011, 5, 8),
    )
    assert council_record in [r.person for r in near]
    assert selectors.similar_people(caller=world.caller(world.social_worker), given_name="K") == []


def test_new_person_form_asks_for_similar_people(client, world):
    client.force_login(world.social_worker)
    page = client.get("/people/new/").content.decode()
    assert 'id="similar-people-slot"' in page and "/analysis/similar-people/" in page
    edit = client.get(f"/people/{world.child.pk}/change/").content.decode()
    assert "similar-people-slot" not in edit


def test_similar_people_fragment(client, world):
    council_record, _ = _duplicates(world)
    client.force_login(world.social_worker)
    response = client.get(
        "/analysis/similar-people/", {"given_name": "Katy", "family_name": "Smith", "date_of_birth": "2011-05-03"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert f"/people/{council_record.pk}/" in body and "may already have a record" in body
    assert "Smyth" not in body
    empty = client.get("/analysis/similar-people/", {"given_name": "Zebedee", "family_name": "Quantock"})
    assert "may already have a record" not in empty.content.decode()


def test_review_screens_confirm_reject_and_undo(client, world):
    a, b = _duplicates(world)
    services.match_people_run()
    candidate = _candidate(a, b)
    client.force_login(world.officer)
    listing = client.get("/analysis/matches/").content.decode()
    assert f"/analysis/matches/{candidate.pk}/" in listing
    detail = client.get(f"/analysis/matches/{candidate.pk}/").content.decode()
    assert "Identifiers: one in common" in detail
    response = client.post(f"/analysis/matches/{candidate.pk}/", {"decision": "confirm", "reason": ""})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    response = client.post(f"/analysis/matches/{candidate.pk}/", {"decision": "confirm", "reason": "Same NHS number"})
    assert response.status_code == 302
    assert SameAs.objects.active().count() == 1
    response = client.post(f"/analysis/matches/{candidate.pk}/undo/", {"reason": "Wrong"})
    assert response.status_code == 302 and SameAs.objects.active().count() == 0
    client.post(f"/analysis/matches/{candidate.pk}/", {"decision": "reject", "reason": "Different people"})
    candidate.refresh_from_db()
    assert candidate.status == MatchStatus.REJECTED
    # The council cannot see the police record: the pair answers 404 to them.
    client.force_login(world.social_worker)
    assert client.get(f"/analysis/matches/{candidate.pk}/").status_code == 404
    assert f"/analysis/matches/{candidate.pk}/" not in client.get("/analysis/matches/?status=rejected").content.decode()


def test_match_people_command(world, capsys):
    from django.core.management import call_command

    _duplicates(world)
    call_command("match_people")
    assert "newly proposed" in capsys.readouterr().out


def test_person_page_shows_other_records_of_the_person(client, world):
    a, b = _duplicates(world)
    services.match_people_run()
    candidate = _candidate(a, b)
    client.force_login(world.officer)
    page = client.get(f"/people/{a.pk}/").content.decode()
    assert "Possible matches waiting for a decision" in page and f"/analysis/matches/{candidate.pk}/" in page
    services.match_confirm(caller=world.caller(world.officer), candidate=candidate, reason="Same NHS number.")
    page = client.get(f"/people/{a.pk}/").content.decode()
    assert "Confirmed as the same person" in page and f"/people/{b.pk}/" in page
    # The council cannot see the police record, so their page of the child shows no card at all.
    client.force_login(world.social_worker)
    assert "Other records of this person" not in client.get(f"/people/{a.pk}/").content.decode()
