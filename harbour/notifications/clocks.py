"""Clocks about to run out: the 72-hour return home interview and the 72-hour police protection
(Children Act 1989 s46, never extended). Missing children are another app: this works only if it
is installed, and reads its records through their own models and policy."""

from datetime import timedelta

from django.apps import apps
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from .kinds import CLOCK
from .recipients import agency_members, agency_supervisors, record_owners
from .services import notify

WARNING = timedelta(hours=12)  # tell people this long before the deadline


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "H:i \\o\\n j M")


def _link(name: str, pk: int) -> str | None:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return None


def _users(*groups) -> list:
    users = {}
    for group in groups:
        for user in group:
            if user is not None:
                users[user.pk] = user
    return list(users.values())


def notify_clocks(*, now=None) -> int:
    """Notify the people responsible for each interview and protection within 12 hours of its
    deadline (or past it and still open). Once per record and recipient: safe to run every few minutes.
    Returns the number of notifications created."""
    if not apps.is_installed("harbour.missing"):
        return 0
    from harbour.missing.models import PoliceProtection, ReturnHomeInterview, RhiResponse

    now = now or timezone.now()
    horizon = now + WARNING
    created = 0
    interviews = (
        ReturnHomeInterview.objects.filter(held_at__isnull=True, due_at__lte=horizon)
        .exclude(response=RhiResponse.REFUSED)
        .select_related("child__owning_team", "child__owning_agency", "provider")
    )
    for interview in interviews:
        link = _link("missing:rhi", interview.pk)
        if link is None:
            break
        state = "is overdue" if interview.due_at <= now else f"is due by {_when(interview.due_at)}"
        recipients = _users(agency_members(interview.provider), record_owners(interview.child))
        created += len(
            notify(
                recipients=recipients,
                kind=CLOCK,
                title=f"Return home interview RHI-{interview.pk} {state}",
                link=link,
                record=interview,
                dedupe_key=f"missing.returnhomeinterview:{interview.pk}",
            )
        )
    protections = PoliceProtection.objects.filter(
        Q(outcome="") | Q(outcome__isnull=True), ends_at__lte=horizon
    ).select_related("child__owning_team", "child__owning_agency", "owning_agency", "taken_by", "designated_officer")
    for protection in protections:
        link = _link("missing:protection", protection.pk)
        if link is None:
            break
        state = "has passed its 72-hour limit" if protection.ends_at <= now else f"ends at {_when(protection.ends_at)}"
        recipients = _users(
            [protection.taken_by, protection.designated_officer],
            agency_supervisors(protection.owning_agency),
            record_owners(protection.child),
        )
        created += len(
            notify(
                recipients=recipients,
                kind=CLOCK,
                title=f"Police protection PP-{protection.pk} {state}",
                link=link,
                record=protection,
                dedupe_key=f"missing.policeprotection:{protection.pk}",
            )
        )
    return created
