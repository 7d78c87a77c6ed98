"""Writes of the analysis app. Each is one transaction with its own audit rows.

Matching: `match_people_run` (a job) proposes pairs; a person decides with `match_confirm`,
`match_reject` and `match_undo`. Nothing merges silently: a confirmation joins two records with a
SameAs link, changes neither, and can be undone; a rejected pair is never proposed again.

Co-presence: `copresence_scan` (after an episode closes, and as a job) raises alerts for the
intelligence team and a screening-due task for each child involved.
"""

from __future__ import annotations

import logging
from datetime import date

import splink
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from harbour.access.policy import Action, can, scope
from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record
from harbour.core.caller import Caller
from harbour.people.models import Address, Identifier, Person, PersonKind

from .core import copresence, linkage
from .models import (
    AlertStatus,
    AnalysisTask,
    CoPresenceAlert,
    DecisionKind,
    MatchCandidate,
    MatchDecision,
    MatchStatus,
    SameAs,
)

log = logging.getLogger(__name__)

MATCH_ACTOR = "system: match-people"
COPRESENCE_ACTOR = "system: co-presence"
# Links that put an adult with a child. Family links do not count on their own (a parent with their
# children is not a pattern); links to places and phones are not between people.
COPRESENCE_LINK_TYPES = ("found_with", "with_while_missing", "associate", "contacted", "victim_of", "suspected_of")


def _require(caller: Caller, action: Action, record) -> None:
    if not can(caller.user, action, record):
        raise Http404("Not found")


def _reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason


# --- Matching -------------------------------------------------------------------------------------


def person_records(people=None) -> list[dict]:
    """Person records in the linkage model's schema (core.linkage.COLUMNS): primary name, date of
    birth, sex, latest address, and every identifier as "scheme:value"."""
    people = list(
        (people if people is not None else Person.objects.all()).only(
            "pk", "given_name", "family_name", "date_of_birth", "sex"
        )
    )
    ids = [p.pk for p in people]
    identifiers: dict[int, list[str]] = {}
    for person_id, scheme, value in Identifier.objects.filter(person_id__in=ids).values_list(
        "person_id", "scheme", "value"
    ):
        identifiers.setdefault(person_id, []).append(f"{scheme}:{value}")
    latest: dict[int, Address] = {}
    for address in Address.objects.filter(person_id__in=ids).order_by("person_id", "-from_date", "-id"):
        latest.setdefault(address.person_id, address)
    records = []
    for person in people:
        address = latest.get(person.pk)
        records.append(
            {
                "unique_id": str(person.pk),
                "given_name": person.given_name,
                "family_name": person.family_name,
                "date_of_birth": person.date_of_birth,
                "sex": person.sex,
                "postcode": address.postcode if address else None,
                "address": address.line_1 if address else None,
                "town": address.town if address else None,
                "identifiers": identifiers.get(person.pk),
            }
        )
    return records


def _clusters() -> dict[int, int]:
    """Each person in an active same-person cluster, mapped to the cluster's smallest record id."""
    from .selectors import clusters_of

    return clusters_of(SameAs.objects.active().values_list("person_a_id", "person_b_id"))


def match_people_run(
    *, actor: str = MATCH_ACTOR, threshold: float = linkage.DEFAULT_THRESHOLD, seed: int = linkage.DEFAULT_SEED
) -> dict:
    """Score every pair of person records the blocking rules bring together and propose the likely
    ones. A scheduled job: it reads all records (matching is across agencies), but a proposal is only
    ever shown to someone who may see both records. Pairs already decided are left as decided."""
    records = person_records()
    result = linkage.predict_pairs(records, threshold=threshold, seed=seed)
    version = f"splink {splink.__version__}{' em' if result.trained_with_em else ' prior'}"
    cluster_of = _clusters()
    created = updated = 0
    with transaction.atomic():
        for pair in result.pairs:
            a, b = sorted((int(pair.id_l), int(pair.id_r)))
            if a in cluster_of and cluster_of.get(a) == cluster_of.get(b):
                continue  # already confirmed as one person, through other records
            existing = MatchCandidate.objects.filter(person_a_id=a, person_b_id=b).first()
            if existing is None:
                candidate = MatchCandidate.objects.create(
                    person_a_id=a,
                    person_b_id=b,
                    match_probability=pair.match_probability,
                    match_weight=pair.match_weight,
                    explanation=pair.explanation,
                    model_version=version,
                )
                audit_record(
                    actor=actor,
                    action=AuditAction.CREATE,
                    target=candidate,
                    details={"person_b": b, "match_probability": round(pair.match_probability, 4)},
                )
                created += 1
            elif existing.status == MatchStatus.PROPOSED:
                existing.match_probability = pair.match_probability
                existing.match_weight = pair.match_weight
                existing.explanation = pair.explanation
                existing.model_version = version
                existing.save(update_fields=["match_probability", "match_weight", "explanation", "model_version"])
                updated += 1
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="analysis.matchcandidate",
            details={
                "run": "match-people",
                "records": len(records),
                "pairs_scored_above_threshold": len(result.pairs),
                "proposed": created,
                "updated": updated,
                "threshold": threshold,
                "model": version,
            },
        )
    return {"records": len(records), "pairs": len(result.pairs), "proposed": created, "updated": updated}


def _locked_candidate(caller: Caller, candidate: MatchCandidate) -> MatchCandidate:
    _require(caller, Action.CHANGE, candidate)
    return MatchCandidate.objects.select_for_update().select_related("person_a", "person_b").get(pk=candidate.pk)


def _audit_pair(caller: Caller, candidate: MatchCandidate, *, decision: str, reason: str, changes: dict) -> None:
    """One row under each person, so the decision shows in both records' audit history."""
    for person in (candidate.person_a, candidate.person_b):
        audit_record(
            actor=caller.user,
            action=AuditAction.UPDATE,
            target=candidate,
            person_id=person.pk,
            record_agency_id=person.owning_agency_id,
            client_ip=caller.client_ip,
            reason=reason,
            changes=changes,
            details={"decision": decision, "pair": [candidate.person_a_id, candidate.person_b_id]},
        )


def _decide(caller: Caller, candidate: MatchCandidate, status: str, decision: str, reason: str) -> None:
    before = candidate.status
    candidate.status = status
    candidate.decided_by, candidate.decided_at, candidate.reason = caller.user, timezone.now(), reason
    candidate.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    MatchDecision.objects.create(candidate=candidate, decision=decision, decided_by=caller.user, reason=reason)
    _audit_pair(caller, candidate, decision=decision, reason=reason, changes={"status": [before, status]})


@transaction.atomic
def match_confirm(*, caller: Caller, candidate: MatchCandidate, reason: str) -> SameAs:
    """The two records are the same person: join them (neither is changed). A rejected pair may be
    reconsidered and confirmed by a person; it is never proposed again by the model."""
    reason = _reason(reason, "Say why you are sure these records are the same person.")
    candidate = _locked_candidate(caller, candidate)
    if candidate.status == MatchStatus.CONFIRMED:
        raise ValidationError({"__all__": "These records are already confirmed as the same person."})
    same_as = SameAs.objects.create(
        person_a_id=candidate.person_a_id,
        person_b_id=candidate.person_b_id,
        candidate=candidate,
        created_by=caller.user,
    )
    _decide(caller, candidate, MatchStatus.CONFIRMED, DecisionKind.CONFIRMED, reason)
    return same_as


@transaction.atomic
def match_reject(*, caller: Caller, candidate: MatchCandidate, reason: str) -> MatchCandidate:
    """Different people: the pair is remembered and never proposed again."""
    reason = _reason(reason, "Say why these records are different people.")
    candidate = _locked_candidate(caller, candidate)
    if candidate.status == MatchStatus.CONFIRMED:
        raise ValidationError({"__all__": "Undo the confirmation first: these records are joined as one person."})
    if candidate.status == MatchStatus.REJECTED:
        raise ValidationError({"__all__": "This pair is already rejected."})
    _decide(caller, candidate, MatchStatus.REJECTED, DecisionKind.REJECTED, reason)
    return candidate


@transaction.atomic
def match_undo(*, caller: Caller, candidate: MatchCandidate, reason: str) -> MatchCandidate:
    """Undo a confirmation: the records are separate again and the pair goes back to "proposed" for
    a fresh decision. The same-person link is kept, marked undone, with who and why."""
    reason = _reason(reason, "Say why the confirmation was wrong.")
    candidate = _locked_candidate(caller, candidate)
    if candidate.status != MatchStatus.CONFIRMED:
        raise ValidationError({"__all__": "Only a confirmed match can be undone."})
    now = timezone.now()
    for same_as in SameAs.objects.active().select_for_update().filter(candidate=candidate):
        same_as.undone_at, same_as.undone_by, same_as.undo_reason = now, caller.user, reason
        same_as.save(update_fields=["undone_at", "undone_by", "undo_reason"])
    before = candidate.status
    candidate.status = MatchStatus.PROPOSED
    candidate.decided_by, candidate.decided_at, candidate.reason = caller.user, now, reason
    candidate.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    MatchDecision.objects.create(
        candidate=candidate, decision=DecisionKind.UNDONE, decided_by=caller.user, reason=reason
    )
    _audit_pair(
        caller, candidate, decision=DecisionKind.UNDONE, reason=reason, changes={"status": [before, candidate.status]}
    )
    return candidate


# --- Co-presence ----------------------------------------------------------------------------------


def _is_adult(person: Person, today: date) -> bool:
    if person.kind == PersonKind.ADULT_OF_CONCERN:
        return True
    if person.kind == PersonKind.OTHER:
        age = person.age_on(today)
        return age is not None and age >= 18
    return False


def copresence_contacts(*, adult_ids=None) -> tuple[list[copresence.Contact], dict[int, Person]]:
    """Every current link putting an adult with a child, from any record (a system read: alerts are
    scoped when they are read). Records confirmed as one person count as one person."""
    from harbour.graph.models import Link

    person_ct = ContentType.objects.get_for_model(Person)
    links = Link.objects.current().filter(
        source_type=person_ct, target_type=person_ct, link_type__in=COPRESENCE_LINK_TYPES
    )
    cluster_of = _clusters()
    if adult_ids is not None:
        wanted = set(adult_ids)
        # The adult's other records count too.
        roots = {cluster_of.get(a, a) for a in wanted}
        wanted |= {pid for pid, root in cluster_of.items() if root in roots}
        from django.db.models import Q

        links = links.filter(Q(source_id__in=wanted) | Q(target_id__in=wanted))
    rows = list(links.values_list("id", "source_id", "target_id", "start_date", "provenance_type_id", "provenance_id"))
    ids = {r[1] for r in rows} | {r[2] for r in rows}
    people = {p.pk: p for p in Person.objects.filter(pk__in=ids)}
    today = timezone.localdate()
    contacts = []
    for link_id, source_id, target_id, day, prov_type, prov_id in rows:
        source, target = people.get(source_id), people.get(target_id)
        if source is None or target is None:
            continue
        if _is_adult(source, today) and target.kind == PersonKind.CHILD:
            adult, child = source, target
        elif _is_adult(target, today) and source.kind == PersonKind.CHILD:
            adult, child = target, source
        else:
            continue
        contacts.append(
            copresence.Contact(
                adult=str(cluster_of.get(adult.pk, adult.pk)),
                child=str(cluster_of.get(child.pk, child.pk)),
                day=day,
                source=f"{prov_type}:{prov_id}" if prov_type else f"link:{link_id}",
                link_id=link_id,
            )
        )
    return contacts, people


def _screening_reason(alert: CoPresenceAlert) -> str:
    if alert.kind == copresence.SEVERAL_CHILDREN:
        return (
            f"Linked with an adult who is linked to {alert.distinct_children} children "
            f"(co-presence alert {alert.pk}): exploitation screening is due."
        )[:300]
    return (
        f"Linked with the same adult on {alert.occasions} occasions (co-presence alert {alert.pk}): "
        "exploitation screening is due."
    )[:300]


def _screening_due(*, caller: Caller | None, alert: CoPresenceAlert, child: Person) -> str:
    """Raise the child's screening-due task through the risk app when the caller may see the child;
    otherwise keep an analysis task (a scheduled job has no user to act as)."""
    reason = _screening_reason(alert)
    try:
        from harbour.risk.services import screening_due_create
    except ImportError:  # pragma: no cover - the risk app is part of Harbour
        screening_due_create = None
    if screening_due_create is not None and caller is not None and can(caller.user, Action.VIEW, child):
        screening_due_create(caller=caller, child=child, reason=reason, source=f"analysis.CoPresenceAlert:{alert.pk}")
        return "risk"
    task, created = AnalysisTask.objects.get_or_create(
        child=child, alert=alert, done_at__isnull=True, defaults={"reason": reason}
    )
    if created:
        audit_record(
            actor=caller.user if caller else COPRESENCE_ACTOR,
            action=AuditAction.CREATE,
            target=task,
            client_ip=caller.client_ip if caller else None,
            details={"alert": alert.pk, "kind": "screening_due"},
        )
    return "analysis"


def _notify_alert(alert: CoPresenceAlert, *, is_new: bool) -> None:
    """Tell the intelligence team at once; notify() drops anyone the policy does not let see the
    alert. The title is a reference, never a name."""
    from django.apps import apps
    from django.urls import reverse

    if not apps.is_installed("harbour.notifications"):
        return
    from harbour.accounts.models import AgencyKind, User
    from harbour.accounts.roles import Role
    from harbour.notifications import kinds
    from harbour.notifications.services import notify

    analysts = User.objects.filter(is_active=True, role=Role.ANALYST, agency__kind=AgencyKind.POLICE)
    notify(
        recipients=analysts,
        kind=kinds.CO_PRESENCE,
        title=f"Co-presence alert CPA-{alert.pk} {'raised' if is_new else 'has new links'}",
        link=reverse("analysis:alert", args=[alert.pk]),
        record=alert,
    )


def copresence_scan(*, caller: Caller | None = None, adult_ids=None) -> list[CoPresenceAlert]:
    """Raise or update co-presence alerts (for the adults given, or everyone). Returns the alerts
    raised or changed. Each child newly behind an alert gets a screening-due task."""
    contacts, people = copresence_contacts(adult_ids=adult_ids)
    findings = copresence.findings(contacts)
    changed = []
    actor = caller.user if caller else COPRESENCE_ACTOR
    for finding in findings:
        with transaction.atomic():
            adult = Person.objects.get(pk=int(finding.adult))
            child = Person.objects.get(pk=int(finding.child)) if finding.child else None
            children = list(Person.objects.filter(pk__in=[int(c) for c in finding.children]))
            alert = (
                CoPresenceAlert.objects.select_for_update().filter(adult=adult, kind=finding.kind, child=child).first()
            )
            created = alert is None
            if created:
                alert = CoPresenceAlert(adult=adult, kind=finding.kind, child=child)
            before = {c.pk for c in alert.children.all()} if not created else set()
            values = {
                "distinct_children": len(finding.children),
                "occasions": finding.occasions,
                "first_seen": finding.first_seen,
                "last_seen": finding.last_seen,
                "link_ids": list(finding.link_ids),
            }
            if (
                not created
                and all(getattr(alert, k) == v for k, v in values.items())
                and before == {c.pk for c in children}
            ):
                continue
            for key, value in values.items():
                setattr(alert, key, value)
            alert.updated_at = timezone.now()
            if not created and alert.status == AlertStatus.REVIEWED:
                alert.status = AlertStatus.OPEN  # something new: back to the team
            try:
                with transaction.atomic():
                    alert.save()
            except IntegrityError:  # raised concurrently by another run: take theirs next time
                continue
            alert.children.set(children)
            audit_record(
                actor=actor,
                action=AuditAction.CREATE if created else AuditAction.UPDATE,
                target=alert,
                client_ip=caller.client_ip if caller else None,
                details={
                    "kind": alert.kind,
                    "distinct_children": alert.distinct_children,
                    "occasions": alert.occasions,
                    "child_ids": sorted(c.pk for c in children),
                },
            )
            _notify_alert(alert, is_new=created)
            for new_child in children:
                if new_child.pk not in before:
                    _screening_due(caller=caller, alert=alert, child=new_child)
            changed.append(alert)
    return changed


@transaction.atomic
def alert_review(*, caller: Caller, alert: CoPresenceAlert, note: str) -> CoPresenceAlert:
    """The intelligence team has looked at the alert and says what it did."""
    note = _reason(note, "Say what was done about the alert.")
    _require(caller, Action.CHANGE, alert)
    alert = CoPresenceAlert.objects.select_for_update().get(pk=alert.pk)
    before = alert.status
    alert.status, alert.reviewed_by, alert.reviewed_at, alert.review_note = (
        AlertStatus.REVIEWED,
        caller.user,
        timezone.now(),
        note,
    )
    alert.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=alert,
        client_ip=caller.client_ip,
        reason=note,
        changes={"status": [before, alert.status]},
    )
    return alert


@transaction.atomic
def analysis_task_done(*, caller: Caller, task: AnalysisTask) -> AnalysisTask:
    if not scope(caller.user, AnalysisTask.objects.filter(pk=task.pk), Action.VIEW).exists():
        raise Http404("Not found")
    task = AnalysisTask.objects.select_for_update().get(pk=task.pk)
    if task.done_at is None:
        task.done_at, task.done_by = timezone.now(), caller.user
        task.save(update_fields=["done_at", "done_by"])
        audit_record(
            actor=caller.user,
            action=AuditAction.UPDATE,
            target=task,
            client_ip=caller.client_ip,
            changes={"done_at": [None, task.done_at]},
        )
    return task
