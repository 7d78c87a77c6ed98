"""Referral and transfer states, and what each does to who may see the record: through the screens,
the API and the services."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from rest_framework.test import APIClient

from harbour.access.models import AccessGrant, GrantKind
from harbour.access.policy import Action, can
from harbour.audit.models import AuditAction, AuditEvent
from harbour.core.caller import Caller
from harbour.demo import factories as f
from harbour.notifications.models import Notification
from harbour.people.models import Note, Person
from harbour.people.selectors import person_timeline
from harbour.sharing import services
from harbour.sharing.models import InformationSharingDecision, Referral, ReferralKind, ReferralStatus

from .conftest import client_for

pytestmark = pytest.mark.django_db

REFER_FORM = {
    "kind": "referral",
    "to_agency": "",
    "to_team": "",
    "urgency": "urgent",
    "reason": "Seen with older males at the bus station; needs a MASH strategy discussion.",
    "summary": "The child's record: details, addresses and case notes.",
    "to_protect_child": "on",
    "basis": "consent_not_sought",
    "basis_reason": "Seeking consent could alert those exploiting her.",
}


def refer(area, **overrides) -> Referral:
    fields = {
        "kind": ReferralKind.REFERRAL,
        "to_agency": area.council,
        "to_team": area.mash,
        "reason": "Needs a strategy discussion.",
        "summary": "Her record.",
        "urgency": "urgent",
        "basis": "consent_not_sought",
        "basis_reason": "Seeking consent could put her at risk.",
    } | overrides
    return services.referral_create(caller=Caller(area.officer), record=area.child, **fields)


def person_page(user, person):
    return client_for(user).get(f"/people/{person.pk}/")


def test_referral_through_the_screens_shares_with_the_receiving_team_only_once_accepted(area):
    child = area.child
    officer = client_for(area.officer)
    form = REFER_FORM | {"to_agency": area.council.pk, "to_team": area.mash.pk}
    response = officer.post(f"/sharing/refer/people.person/{child.pk}/", form)
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/sharing/{referral.pk}/"
    assert referral.status == ReferralStatus.PENDING and referral.person == child
    assert referral.sharing_decision.basis == "consent_not_sought"

    # Pending: the receiver sees the referral (who it is about, why) but not the record itself.
    assert person_page(area.receiver, child).status_code == 404
    detail = client_for(area.receiver).get(f"/sharing/{referral.pk}/")
    assert detail.status_code == 200 and "Katie Smith" in detail.content.decode()
    assert client_for(area.outsider).get(f"/sharing/{referral.pk}/").status_code == 404
    assert client_for(area.council_colleague).get(f"/sharing/{referral.pk}/").status_code == 404
    inbox = client_for(area.receiver).get("/sharing/").content.decode()
    assert referral.reference in inbox

    # The receiving team heard of it, by reference only.
    note = Notification.objects.get(recipient=area.receiver)
    assert note.title == f"Urgent referral {referral.reference} from HPOL"
    assert "Katie" not in note.title and "Smith" not in note.title

    response = client_for(area.receiver).post(f"/sharing/{referral.pk}/decide/", {"decision": "accept"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.decided_by == area.receiver
    assert referral.grant.kind == GrantKind.SHARE and referral.grant.grantee_team == area.mash
    assert referral.grant.reason == f"{referral.reference}: {REFER_FORM['reason']}"

    assert person_page(area.receiver, child).status_code == 200
    assert person_page(area.council_colleague, child).status_code == 404  # another team: still hidden
    assert person_page(area.outsider, child).status_code == 404
    assert not can(area.receiver, Action.CHANGE, child)  # a share reads, it does not write
    # The referrer hears the decision.
    assert Notification.objects.filter(recipient=area.officer, kind="referral_decided").count() == 1


def test_every_step_is_audited_and_on_the_childs_timeline(area):
    referral = refer(area)
    services.referral_accept(caller=Caller(area.receiver), referral=referral, reason="Strategy meeting booked.")
    events = AuditEvent.objects.filter(person_id=area.child.pk)
    assert events.filter(action=AuditAction.SHARE, object_type="sharing.referral").exists()
    assert events.filter(action=AuditAction.SHARE, object_type="people.person").exists()  # the grant
    assert events.filter(action=AuditAction.UPDATE, object_type="sharing.referral", changes__status__1="accepted")
    assert events.filter(action=AuditAction.CREATE, object_type="sharing.informationsharingdecision").exists()
    titles = [e.title for e in person_timeline(user=area.officer, person=area.child)]
    assert f"Referral {referral.reference} to MASH (HTC)" in titles
    assert f"Referral {referral.reference} accepted" in titles


def test_decline_needs_a_reason_and_shares_nothing(area):
    referral = refer(area)
    receiver = client_for(area.receiver)
    response = receiver.post(f"/sharing/{referral.pk}/decide/", {"decision": "decline", "reason": ""})
    assert response.status_code == 400 and "Give the reason for declining" in response.content.decode()
    receiver.post(f"/sharing/{referral.pk}/decide/", {"decision": "decline", "reason": "Not our area."})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED and referral.decision_reason == "Not our area."
    assert not AccessGrant.objects.for_record(area.child).exists()
    assert person_page(area.receiver, area.child).status_code == 404
    with pytest.raises(ValidationError):
        services.referral_accept(caller=Caller(area.receiver), referral=referral)


def test_only_the_receiver_decides(area):
    referral = refer(area)
    for user in (area.officer, area.council_colleague, area.outsider):
        response = client_for(user).post(f"/sharing/{referral.pk}/decide/", {"decision": "accept"})
        assert response.status_code == 404
        with pytest.raises(Http404):
            services.referral_accept(caller=Caller(user), referral=referral)
    # A supervisor of the receiving agency may decide for any of its teams.
    services.referral_accept(caller=Caller(area.council_supervisor), referral=referral)


def test_referral_to_a_whole_agency_reaches_all_its_case_workers(area):
    referral = refer(area, to_team=None)
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "sw.receiver",
        "sw.boss",
        "sw.colleague",
    }
    services.referral_accept(caller=Caller(area.council_colleague), referral=referral)
    assert person_page(area.receiver, area.child).status_code == 200
    assert person_page(area.outsider, area.child).status_code == 404


def test_transfer_changes_the_owner_and_keeps_the_previous_owner_reading_if_asked(area):
    f.grant(area.child, kind=GrantKind.ALLOCATION, by=area.police_supervisor, user=area.officer, reason="Allocated")
    referral = refer(area, kind=ReferralKind.TRANSFER, keep_previous_access=True)
    services.referral_accept(caller=Caller(area.receiver), referral=referral)
    child = Person.objects.get(pk=area.child.pk)
    assert child.owning_agency == area.council and child.owning_team == area.mash
    assert can(area.receiver, Action.CHANGE, child)
    assert can(area.council_colleague, Action.VIEW, child)  # the whole council owns it now
    # The police keep read access through a share, and lose their allocation (no more writing).
    assert can(area.officer, Action.VIEW, child) and not can(area.officer, Action.CHANGE, child)
    assert can(area.police_supervisor, Action.VIEW, child)
    referral.refresh_from_db()
    assert referral.previous_owner_grant.grantee_agency == area.police
    assert not AccessGrant.objects.live().for_record(child).filter(kind=GrantKind.ALLOCATION).exists()
    update = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="people.person")
    assert update.changes["owning_agency"] == ["Harbour Police", "Harbourtown Council"]
    assert update.details["referral"] == referral.pk


def test_transfer_without_keeping_access_hides_it_from_the_previous_owner(area):
    referral = refer(area, kind=ReferralKind.TRANSFER, keep_previous_access=False)
    services.referral_accept(caller=Caller(area.receiver), referral=referral)
    assert person_page(area.officer, area.child).status_code == 404
    assert person_page(area.receiver, area.child).status_code == 200
    # The referral itself stays visible to the referrer, to see what became of it.
    assert client_for(area.officer).get(f"/sharing/{referral.pk}/").status_code == 200


def test_only_the_agency_holding_the_record_transfers_it(area):
    f.grant(area.child, by=area.officer, agency=area.other_council, reason="Joint work")
    with pytest.raises(ValidationError) as error:
        services.referral_create(
            caller=Caller(area.outsider),
            record=area.child,
            kind=ReferralKind.TRANSFER,
            to_agency=area.council,
            reason="Moving",
            summary="All",
            basis="consent_obtained",
        )
    assert "Only the agency that holds the record can transfer it." in error.value.message_dict["kind"]
    # ...but a partner who may see it may refer it on.
    referral = services.referral_create(
        caller=Caller(area.outsider),
        record=area.child,
        kind=ReferralKind.REFERRAL,
        to_agency=area.council,
        reason="Moved into your area",
        summary="Her record",
        basis="consent_obtained",
    )
    assert referral.from_agency == area.other_council


def test_hidden_restricted_and_derived_records_cannot_be_referred(area):
    with pytest.raises(Http404):
        services.referral_create(
            caller=Caller(area.outsider),
            record=area.child,
            kind=ReferralKind.REFERRAL,
            to_agency=area.council,
            reason="x",
            summary="y",
            basis="consent_obtained",
        )
    assert client_for(area.outsider).get(f"/sharing/refer/people.person/{area.child.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.DENIED, object_type="people.person").exists()
    secret = f.make_person(owning_agency=area.police, created_by=area.officer, is_restricted=True)
    f.grant(secret, kind=GrantKind.NAMED, by=area.police_supervisor, user=area.officer, reason="Named")
    with pytest.raises(ValidationError) as error:
        services.referral_create(
            caller=Caller(area.officer),
            record=secret,
            kind=ReferralKind.REFERRAL,
            to_agency=area.council,
            reason="x",
            summary="y",
            basis="consent_obtained",
        )
    assert "restricted" in error.value.message_dict["kind"][0]
    note = Note.objects.create(person=area.child, text="Seen at the park.", author=area.officer)
    with pytest.raises(ValidationError) as error:
        services.referral_create(
            caller=Caller(area.officer),
            record=note,
            kind=ReferralKind.REFERRAL,
            to_agency=area.council,
            reason="x",
            summary="y",
            basis="consent_obtained",
        )
    assert "follow the child's record" in error.value.message_dict["kind"][0]
    # Types without an access rule are not found at all.
    assert client_for(area.officer).get("/sharing/refer/accounts.user/1/").status_code == 404


def test_the_basis_for_sharing_is_required_and_explained(area):
    with pytest.raises(ValidationError) as error:
        refer(area, basis="consent_overridden", basis_reason="")
    assert error.value.message_dict["basis_reason"] == ["Say why consent was overridden."]
    with pytest.raises(ValidationError) as error:
        refer(area, basis="")
    assert "basis" in error.value.message_dict
    response = client_for(area.officer).post(
        f"/sharing/refer/people.person/{area.child.pk}/", REFER_FORM | {"to_agency": area.council.pk, "reason": ""}
    )
    assert response.status_code == 200 and "Enter reason for the referral" in response.content.decode()
    assert not Referral.objects.exists()


def test_one_pending_referral_per_receiver_and_withdrawal(area):
    referral = refer(area)
    with pytest.raises(ValidationError):
        refer(area)
    assert client_for(area.receiver).post(f"/sharing/{referral.pk}/withdraw/").status_code == 404
    client_for(area.officer).post(f"/sharing/{referral.pk}/withdraw/", {"reason": "Sent in error"})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN
    refer(area)  # may be sent again


def test_sharing_decision_not_to_share_is_recorded_and_follows_the_record(area):
    response = client_for(area.officer).post(
        f"/sharing/decisions/new/people.person/{area.child.pk}/",
        {"decision": "not_share", "to_protect_child": "on", "shared_with": "School", "reason": "Not relevant to them."},
    )
    assert response.status_code == 302
    decision = InformationSharingDecision.objects.get()
    assert decision.decision == "not_share" and decision.decided_by == area.officer and decision.person == area.child
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="sharing.informationsharingdecision")
    assert "Decided not to share" in [e.title for e in person_timeline(user=area.officer, person=area.child)]
    from harbour.access.policy import scope

    assert scope(area.officer, InformationSharingDecision.objects.all()).count() == 1
    assert scope(area.outsider, InformationSharingDecision.objects.all()).count() == 0
    response = client_for(area.officer).post(
        f"/sharing/decisions/new/people.person/{area.child.pk}/",
        {"decision": "share", "basis": "consent_overridden", "shared_with": "GP", "reason": "Risk of harm."},
    )
    assert response.status_code == 200 and "Say why consent was overridden." in response.content.decode()


def test_person_page_offers_referral_to_case_workers_who_see_it(area):
    page = person_page(area.officer, area.child).content.decode()
    assert "Refer or transfer" in page and f"/sharing/refer/people.person/{area.child.pk}/" in page
    refer(area)
    page = person_page(area.officer, area.child).content.decode()
    assert "Waiting for a decision" in page


# --- API -------------------------------------------------------------------------------------------


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_create_list_accept_and_the_effect_on_the_people_api(area):
    officer, receiver = api_for(area.officer), api_for(area.receiver)
    payload = {
        "record_type": "people.person",
        "record_id": area.child.pk,
        "to_agency": area.council.pk,
        "to_team": area.mash.pk,
        "reason": "Needs a strategy discussion.",
        "summary": "Her record.",
        "basis": "consent_obtained",
    }
    response = officer.post("/api/v1/referrals/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "pending" and body["record"] == {"type": "people.person", "id": area.child.pk}
    pk = body["id"]
    assert response["Location"] == f"/api/v1/referrals/{pk}/"

    assert [r["id"] for r in receiver.get("/api/v1/referrals/", {"box": "incoming"}).json()["results"]] == [pk]
    assert receiver.get("/api/v1/referrals/", {"box": "outgoing"}).json()["results"] == []
    assert api_for(area.outsider).get(f"/api/v1/referrals/{pk}/").status_code == 404
    assert api_for(area.outsider).get("/api/v1/referrals/").json()["results"] == []
    assert receiver.get(f"/api/v1/people/{area.child.pk}/").status_code == 404

    assert officer.post(f"/api/v1/referrals/{pk}/accept/", {}, format="json").status_code == 404
    response = receiver.post(f"/api/v1/referrals/{pk}/accept/", {"reason": "Booked"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    assert receiver.get(f"/api/v1/people/{area.child.pk}/").status_code == 200
    assert api_for(area.council_colleague).get(f"/api/v1/people/{area.child.pk}/").status_code == 404
    again = receiver.post(f"/api/v1/referrals/{pk}/decline/", {"reason": "No"}, format="json")
    assert again.status_code == 400 and "status" in again.json()["errors"]


def test_api_refuses_bad_input_naming_fields(area):
    response = api_for(area.officer).post(
        "/api/v1/referrals/",
        {"record_type": "people.person", "record_id": area.child.pk, "to_agency": area.council.pk, "basis": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert {"reason", "summary", "basis"} <= set(response.json()["errors"])
    response = api_for(area.outsider).post(
        "/api/v1/referrals/",
        {
            "record_type": "people.person",
            "record_id": area.child.pk,
            "to_agency": area.council.pk,
            "reason": "r",
            "summary": "s",
            "basis": "consent_obtained",
        },
        format="json",
    )
    assert response.status_code == 404
    decline = api_for(area.receiver).post(f"/api/v1/referrals/{refer(area).pk}/decline/", {}, format="json")
    assert decline.status_code == 400 and "reason" in decline.json()["errors"]
