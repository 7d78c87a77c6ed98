"""Writes for the language checker: findings recorded with a saved record, and the administrators' lexicon."""

from __future__ import annotations

import logging

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404

from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record, diff
from harbour.core.caller import Caller

from .checker import Finding, Lexicon, LexiconError
from .models import LanguageFinding, LexiconEntry
from .selectors import can_edit_lexicon, current_lexicon

logger = logging.getLogger(__name__)

ENTRY_FIELDS = (
    "term_id",
    "term",
    "category",
    "patterns",
    "alternatives",
    "explanation",
    "about_child",
    "not_after",
    "is_active",
)


def record_findings(*, caller: Caller, obj: models.Model, text: str) -> list[Finding]:
    """Check the text of a record just saved and keep what was found, for the language report.

    Called inside the saving service's transaction. It never stops the save and never changes the text: a
    practitioner's words are kept as written. If checking fails (a bug, a broken lexicon entry) the failure
    is logged and the record is saved without findings; the savepoint keeps the outer transaction usable.
    """
    try:
        with transaction.atomic():
            findings = current_lexicon().check(text)
            if findings:
                content_type = ContentType.objects.get_for_model(obj)
                LanguageFinding.objects.bulk_create(
                    LanguageFinding(
                        content_type=content_type,
                        object_id=str(obj.pk),
                        term_id=f.term_id,
                        category=f.category,
                        start=f.start,
                        end=f.end,
                        team_id=caller.user.team_id,
                        agency_id=caller.user.agency_id,
                    )
                    for f in findings
                )
    except Exception:
        logger.exception("Language check failed for %s %s; saved without findings", obj._meta.label, obj.pk)
        return []
    return findings


def _validate(data: dict) -> None:
    """The entry, merged with the default one it changes (if any), must compile; errors name the field."""
    candidate = LexiconEntry(**{k: data[k] for k in ENTRY_FIELDS}).as_lexicon_data()
    has_patterns, has_alternatives = bool(candidate["rules"]), bool(data["alternatives"].strip())
    if has_alternatives and not has_patterns:
        raise ValidationError({"patterns": "Give the patterns these alternatives are for."})
    if has_patterns and not has_alternatives:
        raise ValidationError({"alternatives": "Give at least one alternative."})
    default = Lexicon.default()
    is_new = default.entry(data["term_id"]) is None
    if is_new and not has_patterns:
        raise ValidationError({"patterns": "Give at least one pattern."})
    try:
        default.with_entries([{**candidate, "active": True}])
    except LexiconError as error:
        field = {"id": "term_id"}.get(error.field, error.field) or "patterns"
        raise ValidationError({field: error.message}) from None


@transaction.atomic
def lexicon_entry_save(*, caller: Caller, entry: LexiconEntry | None = None, **data) -> LexiconEntry:
    """Add a term, or change one (a default term is changed by storing an entry with its id)."""
    if not can_edit_lexicon(caller.user):
        raise Http404("Not found")
    data = {k: data[k] for k in ENTRY_FIELDS if k in data}
    data["about_child"] = sorted(data.get("about_child") or [])
    _validate(data)
    if entry is None:
        if LexiconEntry.objects.filter(term_id=data["term_id"]).exists():
            raise ValidationError({"term_id": "An entry with this id has already been added: change that one."})
        entry = LexiconEntry(created_by=caller.user, updated_by=caller.user, **data)
        entry.full_clean()
        entry.save()
        audit_record(
            actor=caller.user,
            action=AuditAction.CREATE,
            target=entry,
            client_ip=caller.client_ip,
            details={"term_id": entry.term_id},
        )
        return entry
    data.pop("term_id", None)  # the id is what reports count by: it never changes
    before = {k: getattr(entry, k) for k in data}
    for key, value in data.items():
        setattr(entry, key, value)
    entry.updated_by = caller.user
    entry.full_clean()
    entry.save()
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=entry,
        client_ip=caller.client_ip,
        changes=diff(before, {k: getattr(entry, k) for k in data}),
        details={"term_id": entry.term_id},
    )
    return entry
