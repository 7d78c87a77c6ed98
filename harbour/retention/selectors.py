"""The retention review queue: records past their period, held by the reviewer's agency.

Only supervisors and administrators review, and only what their own agency holds. The queue names
records by type and number ("Person record 12"), never by who they are about: a reviewer opens the
record (through the policy, audited) to see it.
"""

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from harbour.access.policy import RecordRule, rule_for

from .access_rules import is_reviewer
from .models import RetentionReview, RetentionRule
from .periods import months_after, months_before

QUEUE_LIMIT = 500


@dataclass
class DueRecord:
    rule: RetentionRule
    content_type: ContentType
    record_id: int
    basis: datetime.date | datetime.datetime
    retained_until: datetime.date | None = None

    @property
    def reference(self) -> str:
        return neutral_reference(self.content_type, self.record_id)

    @property
    def basis_date(self) -> datetime.date:
        if isinstance(self.basis, datetime.datetime):
            return timezone.localtime(self.basis).date()
        return self.basis

    @property
    def due_on(self) -> datetime.date:
        return months_after(self.basis_date, self.rule.period_months)


def neutral_reference(content_type: ContentType, record_id) -> str:
    """ "Person record 12": how a record is named once it may be gone. Never its content."""
    model = content_type.model_class()
    name = model._meta.verbose_name if model else content_type.model
    return f"{name[:1].upper()}{name[1:]} record {record_id}"


def rules_for(agency) -> list[RetentionRule]:
    """For each record type, the rule that applies to the agency: its own, else its kind's, else the
    general one; the shortest period among equals (the earliest review wins)."""
    if agency is None:
        return []
    candidates = RetentionRule.objects.filter(is_active=True).filter(
        Q(agency=agency) | Q(agency__isnull=True, agency_kind=agency.kind) | Q(agency__isnull=True, agency_kind="")
    )
    chosen: dict[int, RetentionRule] = {}
    for rule in candidates.select_related("content_type"):
        current = chosen.get(rule.content_type_id)
        if current is None or (rule.specificity, -rule.period_months) > (current.specificity, -current.period_months):
            chosen[rule.content_type_id] = rule
    return sorted(chosen.values(), key=lambda r: (r.content_type.app_label, r.content_type.model))


def _owner_field(model) -> str:
    try:
        rule = rule_for(model)
    except LookupError:
        return "owning_agency"
    return rule.owner_field if isinstance(rule, RecordRule) else "owning_agency"


def _due_queryset(rule: RetentionRule, agency, today: datetime.date):
    model = rule.content_type.model_class()
    if model is None:
        return None
    field = model._meta.get_field(rule.date_field)
    cutoff = months_before(today, rule.period_months)
    if isinstance(field, models.DateTimeField):
        end_of_day = timezone.make_aware(
            datetime.datetime.combine(cutoff + datetime.timedelta(days=1), datetime.time())
        )
        due = Q(**{f"{rule.date_field}__lt": end_of_day})
    else:
        due = Q(**{f"{rule.date_field}__lte": cutoff})
    retained = RetentionReview.objects.filter(
        content_type=rule.content_type, object_id=OuterRef("pk"), next_review_on__gt=today
    )
    return (
        model._default_manager.filter(**{f"{_owner_field(model)}_id": agency.pk})
        .filter(due)
        .exclude(Exists(retained))
        .order_by(rule.date_field, "pk")
    )


def due_records(*, user, today: datetime.date | None = None, limit: int = QUEUE_LIMIT) -> list[DueRecord]:
    """Records held by the user's agency that are past their retention period and not retained."""
    if not is_reviewer(user):
        return []
    today = today or timezone.localdate()
    due = []
    for rule in rules_for(user.agency):
        queryset = _due_queryset(rule, user.agency, today)
        if queryset is None:
            continue
        for pk, basis in queryset.values_list("pk", rule.date_field)[: limit - len(due)]:
            due.append(DueRecord(rule, rule.content_type, pk, basis))
        if len(due) >= limit:
            break
    return due


def due_record(*, user, rule_pk, object_id, today: datetime.date | None = None) -> DueRecord:
    """One record in the user's queue, or 404 (not due, retained, not their agency's, not a reviewer)."""
    if not is_reviewer(user):
        raise Http404("Not found")
    today = today or timezone.localdate()
    rule = next((r for r in rules_for(user.agency) if str(r.pk) == str(rule_pk)), None)
    if rule is None:
        raise Http404("Not found")
    queryset = _due_queryset(rule, user.agency, today)
    try:
        pk, basis = queryset.values_list("pk", rule.date_field).get(pk=object_id)
    except (queryset.model.DoesNotExist, ValueError, TypeError, AttributeError):
        raise Http404("Not found") from None
    return DueRecord(rule, rule.content_type, pk, basis)


def reviews_of(*, content_type, object_id):
    return RetentionReview.objects.filter(content_type=content_type, object_id=object_id).select_related("decided_by")
