"""Handling codes enforced by the access policy: police see originals by handling code; partners
never see an original, only approved sanitised versions disclosed to them; nothing is downgraded
silently; every disclosure is logged with its recipient and reason."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from harbour.access.models import GrantKind
from harbour.access.policy import Action, can, scope
from harbour.audit.models import AuditAction, AuditEvent
from harbour.demo import factories as f
from harbour.intel import selectors, services
from harbour.intel.models import IntelligenceReport, SanitisedVersion, SilentDowngradeError, SourceDetail

from .conftest import P_REPORT

pytestmark = pytest.mark.django_db


def visible(user):
    return set(scope(user, IntelligenceReport.objects.all()))


def test_p_report_reaches_the_owning_force_only(world, p_report):
    w = world
    for user in (w.officer, w.supervisor, w.analyst, w.other_officer):
        assert p_report in visible(user), user
    for user in (w.other_force_officer, w.social_worker, w.nurse):
        assert p_report not in visible(user), user
        assert not can(user, Action.VIEW, p_report)


def test_c_report_reaches_only_its_recorder_and_named_recipients(world, c_report):
    w = world
    assert visible(w.officer) == {c_report}
    for user in (w.supervisor, w.analyst, w.other_officer, w.other_force_officer):
        assert c_report not in visible(user), user
    services.report_share(
        caller=w.caller(w.officer), report=c_report, grantee_user=w.analyst, reason="Named in the conditions: CE team"
    )
    assert c_report in visible(w.analyst)
    assert c_report not in visible(w.supervisor)


def test_partners_never_see_the_original_even_with_a_grant(world, p_report, c_report):
    w = world
    with pytest.raises(ValidationError) as error:
        services.report_share(caller=w.caller(w.officer), report=p_report, grantee_agency=w.council, reason="MACE")
    assert "sanitised" in str(error.value)
    # Even a grant made behind the service's back does not open the original to a partner.
    for report in (p_report, c_report):
        f.grant(report, by=w.officer, agency=w.council)
        f.grant(report, by=w.officer, user=w.nurse)
    assert visible(w.social_worker) == set() and visible(w.nurse) == set()


def test_another_force_sees_a_shared_p_report_but_never_its_source(world, p_report):
    w = world
    services.report_share(
        caller=w.caller(w.officer), report=p_report, grantee_agency=w.other_police, reason="Cross-border"
    )
    assert can(w.other_force_officer, Action.VIEW, p_report)
    assert not scope(w.other_force_officer, SourceDetail.objects.all()).exists()
    assert scope(w.supervisor, SourceDetail.objects.all()).get().source_reference == "SRC-0042"
    assert selectors.source_detail_for(caller=w.caller(w.other_force_officer), report=p_report) is None


def test_sanitised_version_is_approved_by_another_officer_and_shared_with_a_logged_reason(world, p_report):
    w = world
    with pytest.raises(ValidationError, match="source details"):
        services.sanitised_draft(
            caller=w.caller(w.analyst), report=p_report, text="The neighbour at number 12 Quay Street says..."
        )
    version = services.sanitised_draft(
        caller=w.caller(w.analyst),
        report=p_report,
        text="A vehicle is reported collecting children near the seafront on Friday evenings.",
        sharing_conditions="For safeguarding planning only.",
    )
    # A draft cannot be shared, and partners cannot see it.
    with pytest.raises(Http404):
        services.sanitised_share(caller=w.caller(w.officer), version=version, grantee_agency=w.council, reason="MACE")
    assert not can(w.social_worker, Action.VIEW, version)
    # An analyst is not an officer; the drafter cannot approve their own work.
    with pytest.raises(ValidationError, match="officer"):
        services.sanitised_approve(caller=w.caller(w.analyst), version=version)
    version = services.sanitised_approve(caller=w.caller(w.supervisor), version=version, note="Checked")
    assert version.is_approved and version.approved_by == w.supervisor and version.grading == "2B P"
    grant = services.sanitised_share(
        caller=w.caller(w.officer), version=version, grantee_agency=w.council, reason="MACE meeting on the child"
    )
    assert grant.kind == GrantKind.SHARE
    event = AuditEvent.objects.get(action=AuditAction.SHARE, object_type="intel.sanitisedversion")
    assert event.reason == "MACE meeting on the child"
    assert event.details["grantee"] == str(w.council)
    # The council sees the sanitised version and nothing of the original; health sees nothing.
    assert list(selectors.shared_with_me(user=w.social_worker)) == [version]
    assert not can(w.social_worker, Action.VIEW, p_report)
    assert not scope(w.nurse, SanitisedVersion.objects.all()).exists()
    # The disclosure is listed on the report for those who may share it.
    assert [g.reason for g in selectors.disclosures(user=w.officer, report=p_report)] == ["MACE meeting on the child"]


def test_sanitised_version_needs_a_police_officer_of_the_owning_force(world, p_report):
    w = world
    version = services.sanitised_draft(caller=w.caller(w.officer), report=p_report, text="A vehicle is seen.")
    with pytest.raises(Http404):
        services.sanitised_approve(caller=w.caller(w.other_force_officer), version=version)
    with pytest.raises(Http404):
        services.sanitised_approve(caller=w.caller(w.social_worker), version=version)


def test_handling_cannot_be_downgraded_without_a_reason(world, c_report):
    w = world
    caller = w.caller(w.officer)
    with pytest.raises(ValidationError) as error:
        services.report_change_handling(caller=caller, report=c_report, handling_code="P")
    assert "reason" in error.value.message_dict
    # Not through an update, nor by saving the model directly.
    with pytest.raises(ValidationError):
        services.report_update(caller=caller, report=c_report, handling_code="P")
    direct = IntelligenceReport.objects.get(pk=c_report.pk)
    direct.handling_code, direct.handling_conditions = "P", ""
    with pytest.raises(SilentDowngradeError):
        direct.save()
    c_report.refresh_from_db()
    assert c_report.handling_code == "C" and c_report.conditions_apply
    assert c_report not in visible(w.supervisor)

    services.report_change_handling(
        caller=caller, report=c_report, handling_code="P", reason="Operation concluded; conditions no longer needed"
    )
    c_report.refresh_from_db()
    assert c_report.handling_code == "P" and not c_report.conditions_apply
    assert c_report in visible(w.supervisor)
    event = AuditEvent.objects.filter(object_type="intel.intelligencereport", action=AuditAction.UPDATE).get()
    assert event.is_alert
    assert event.changes["handling_code"] == ["C", "P"]
    assert event.reason.startswith("Operation concluded")


def test_changing_the_conditions_of_a_c_report_needs_a_reason_and_tightening_does_not(world, p_report, c_report):
    w = world
    caller = w.caller(w.officer)
    with pytest.raises(ValidationError):
        services.report_change_handling(
            caller=caller, report=c_report, handling_code="C", handling_conditions="Any police team."
        )
    with pytest.raises(ValidationError, match="conditions"):
        services.report_change_handling(caller=caller, report=p_report, handling_code="C")
    services.report_change_handling(
        caller=caller, report=p_report, handling_code="C", handling_conditions="Only the CE team."
    )
    p_report.refresh_from_db()
    assert p_report.conditions_apply and p_report not in visible(w.supervisor)
    event = AuditEvent.objects.filter(object_type="intel.intelligencereport", action=AuditAction.UPDATE).get()
    assert not event.is_alert and event.details["handling_change"] == "tightened"


def test_grading_is_validated_and_c_needs_conditions(world):
    w = world
    caller = w.caller(w.officer)
    with pytest.raises(ValidationError) as error:
        services.report_create(caller=caller, **dict(P_REPORT, handling_code="C"))
    assert "handling_conditions" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.report_create(caller=caller, **dict(P_REPORT, source_evaluation="4"))
    assert "source_evaluation" in error.value.message_dict
    with pytest.raises(Http404):
        services.report_create(caller=w.caller(w.social_worker), **P_REPORT)


def test_legacy_5x5x5_report_is_stored_and_shown_as_graded(world):
    w = world
    report = services.report_create(
        caller=w.caller(w.officer),
        title="Legacy item",
        text="Imported from the previous system.",
        grading_system="5x5x5",
        legacy_source_evaluation="B",
        legacy_intelligence_evaluation="2",
        legacy_handling_code="5",
    )
    assert report.is_legacy and report.grading == "B2 5"
    assert report.get_legacy_handling_code_display().startswith("5: No further dissemination")
    # Handling 5 ("refer to the originator") restricts as C does.
    assert report.conditions_apply and report not in visible(w.supervisor)
    with pytest.raises(ValidationError):
        services.report_change_handling(caller=w.caller(w.officer), report=report, handling_code="3")


def test_links_from_a_report_carry_its_grading_and_follow_its_handling(world, c_report):
    from harbour.graph import selectors as graph_selectors

    w = world
    link = services.report_add_link(
        caller=w.caller(w.officer), report=c_report, source=w.adult, target=w.child, link_type="suspected_of"
    )
    named = services.report_add_link(caller=w.caller(w.officer), report=c_report, source=w.adult, link_type="")
    assert link.grading == "2B C" and link.grading_system == "3x5x2" and link.provenance == c_report
    assert named.link_type == "named_in" and named.target == c_report
    # The supervisor sees both people, but not the C-coded report: so not its links either.
    assert can(w.supervisor, Action.VIEW, w.adult) and can(w.supervisor, Action.VIEW, w.child)
    assert graph_selectors.link_rows(user=w.supervisor, record=w.adult) == []
    assert len(graph_selectors.link_rows(user=w.officer, record=w.adult)) == 2
    # Regrading the report regrades its links.
    services.report_update(caller=w.caller(w.officer), report=c_report, intelligence_assessment="A")
    link.refresh_from_db()
    assert link.grading == "2A C"
