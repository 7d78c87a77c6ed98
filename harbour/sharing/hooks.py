"""What this app adds to others: the child's timeline, a panel on the person page, a subject-access
section and a deletion hook for retention (each only if that app is installed)."""

from django.apps import apps


def register() -> None:
    from harbour.people.panels import register_person_panel
    from harbour.people.selectors import register_timeline_source

    from . import selectors

    register_timeline_source(selectors.sharing_timeline)
    register_person_panel("sharing/_person_panel.html", selectors.person_panel)
    if apps.is_installed("harbour.retention"):
        from harbour.retention.registry import register_deletion_hook, register_sar_source

        register_sar_source(sar_section)
        register_deletion_hook(forget_record)


def sar_section(person, agency):
    """Referrals and sharing decisions about the person that the agency made or received."""
    from django.db.models import Q

    from harbour.retention.registry import SarSection

    from .models import InformationSharingDecision, Referral

    referrals = Referral.objects.filter(person=person).filter(Q(from_agency=agency) | Q(to_agency=agency))
    decisions = InformationSharingDecision.objects.filter(person=person, decided_agency=agency)
    return [
        SarSection(
            "Referrals and transfers",
            [
                {
                    "reference": r.reference,
                    "kind": r.get_kind_display(),
                    "from": str(r.from_agency),
                    "to": str(r.receiver),
                    "made": r.created_at,
                    "reason": r.reason,
                    "shared": r.summary,
                    "status": r.get_status_display(),
                    "decision_reason": r.decision_reason,
                }
                for r in referrals.select_related("from_agency", "to_agency", "to_team__agency")
            ],
        ),
        SarSection(
            "Information-sharing decisions",
            [
                {
                    "decision": d.get_decision_display(),
                    "basis": d.get_basis_display() if d.basis else "",
                    "basis_reason": d.basis_reason,
                    "reason": d.reason,
                    "shared_with": d.shared_with,
                    "decided": d.decided_at,
                }
                for d in decisions
            ],
        ),
    ]


def forget_record(record) -> dict:
    """Before a record is deleted under a retention rule: remove referrals and decisions about it
    (and notifications about those referrals), so nothing of its content outlives it."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    from .models import InformationSharingDecision, Referral

    content_type = ContentType.objects.get_for_model(record)
    about = Q(content_type=content_type, object_id=record.pk)
    from harbour.people.models import Person

    if isinstance(record, Person):
        about |= Q(person=record)
    referrals = Referral.objects.filter(about)
    if apps.is_installed("harbour.notifications"):
        from harbour.notifications.models import Notification

        Notification.objects.filter(
            content_type=ContentType.objects.get_for_model(Referral), object_id__in=referrals.values("pk")
        ).delete()
    counts = {}
    deleted, _ = referrals.delete()
    counts["sharing.referral"] = deleted
    deleted, _ = InformationSharingDecision.objects.filter(about).delete()
    counts["sharing.informationsharingdecision"] = deleted
    return counts
