"""Records an answer's evidence may link to: a case note, a missing episode, intelligence...

Each source names a model and the field that ties its records to the child. Linking and showing go
through the access policy: a user links only records they can see, and a linked record someone
else cannot see is shown as "a linked record you cannot see", never by its content.
Other apps add their own sources with `register_evidence_source` (e.g. intelligence items).
"""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from harbour.access.policy import Action, rule_for, scope

CANDIDATE_LIMIT = 50


@dataclass(frozen=True)
class EvidenceSource:
    model_label: str  # "people.Note"
    child_field: str  # the field naming the child: "person", "child"
    title: str  # "Case note"

    @property
    def model(self):
        return apps.get_model(self.model_label)


SOURCES: dict[str, EvidenceSource] = {}


def register_evidence_source(source: EvidenceSource) -> None:
    SOURCES[source.model_label.lower()] = source


def register_defaults() -> None:
    register_evidence_source(EvidenceSource("people.Note", "person", "Case note"))
    if apps.is_installed("harbour.missing"):
        try:
            apps.get_model("missing", "MissingEpisode")
        except LookupError:
            return
        register_evidence_source(EvidenceSource("missing.MissingEpisode", "child", "Missing episode"))


def key_for(record) -> str:
    return f"{record._meta.label_lower}:{record.pk}"


def candidates(*, user, child) -> list[tuple[str, str]]:
    """(key, label) of the records about the child this user may link, newest first per source."""
    choices = []
    for source in SOURCES.values():
        model = source.model
        records = scope(user, model.objects.filter(**{source.child_field: child}), Action.VIEW)
        ordering = "-created_at" if any(f.name == "created_at" for f in model._meta.fields) else "-pk"
        for record in records.order_by(ordering)[:CANDIDATE_LIMIT]:
            choices.append((key_for(record), f"{source.title}: {_short(str(record))}"))
    return choices


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def resolve(*, user, child, key: str):
    """The record a key names, if it is a registered source about this child the user can see; else None."""
    label, _, pk = (key or "").partition(":")
    source = SOURCES.get(label)
    if source is None or not pk:
        return None
    model = source.model
    try:
        return scope(user, model.objects.filter(**{source.child_field: child}), Action.VIEW).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        return None


def describe(*, user, evidence) -> dict:
    """How one evidence item is shown to this user: the note, and the linked record if they may see it."""
    shown = {"note": evidence.note, "record": None, "record_label": "", "url": ""}
    if not evidence.content_type_id:
        return shown
    model = ContentType.objects.get_for_id(evidence.content_type_id).model_class()
    source = SOURCES.get(model._meta.label_lower) if model is not None else None
    title = source.title if source else "Record"
    record = None
    if model is not None:
        try:
            rule_for(model)
            record = scope(user, model.objects.filter(pk=evidence.object_id), Action.VIEW).first()
        except (LookupError, ValueError):
            record = None
    if record is None:
        shown["record_label"] = "A linked record you cannot see"
    else:
        shown["record"] = record
        shown["record_label"] = f"{title}: {_short(str(record), 120)}"
        shown["url"] = record.get_absolute_url() if hasattr(record, "get_absolute_url") else ""
    return shown
