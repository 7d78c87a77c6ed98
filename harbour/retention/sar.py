"""Subject access: what an agency holds about a person, for release to them after redaction.

The export gathers the person's record (fields, names, identifiers, addresses, placements, notes)
and whatever other apps register (registry.register_sar_source). It is for the agency that holds
the record: a supervisor of the owning agency runs it, and it is audited as an export.

Other people's details must not be released to the subject. Names of other people found in the
text (matched against the people Harbour knows, and any a source names as third parties) are
*marked* for redaction with their position, not removed: a person decides before release.
"""

import datetime
import re

from django.db import transaction
from django.utils import timezone

from harbour.access.reads import get_audited
from harbour.accounts.roles import Role
from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record
from harbour.core.caller import Caller

from .registry import SAR_SOURCES, SarSection

REDACTION_NOTE = (
    "Text marked for redaction names other people (third parties). Review each mark, and anything else "
    "that identifies someone other than the subject, before release."
)


def may_export(user, person) -> bool:
    return (
        user.is_active
        and user.role == Role.SUPERVISOR
        and bool(user.agency_id)
        and person.owning_agency_id == user.agency_id
    )


def _value(value):
    if isinstance(value, datetime.datetime):
        return (
            timezone.localtime(value).isoformat(timespec="minutes") if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def people_sections(person, agency) -> list[SarSection]:
    """The person's own record: everything on it is held by the agency that owns it."""
    names = [
        {"kind": n.get_kind_display(), "given_name": n.given_name, "family_name": n.family_name}
        for n in person.names.all()
    ]
    identifiers = [{"scheme": i.scheme_label, "value": i.value} for i in person.identifiers.all()]
    addresses = [{"address": str(a), "from": a.from_date, "to": a.to_date} for a in person.addresses.all()]
    placements = [
        {
            "placement": str(p),
            "placed_by": str(p.placing_authority),
            "from": p.start_date,
            "to": p.end_date,
        }
        for p in person.placements.select_related("care_home", "placing_authority")
    ]
    notes = [
        {"written": n.created_at, "by_agency": str(n.author_agency or ""), "text": n.text}
        for n in person.notes.select_related("author_agency").order_by("created_at")
    ]
    return [
        SarSection("Names", names),
        SarSection("Identifiers", identifiers),
        SarSection("Addresses", addresses),
        SarSection("Placements", placements),
        SarSection("Case notes", notes),
    ]


def _subject(person) -> dict:
    return {
        "record": person.pk,
        "kind": person.get_kind_display(),
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth": person.date_of_birth,
        "estimated_age_years": person.estimated_age_years,
        "sex": person.get_sex_display(),
        "gender": person.get_gender_display(),
        "gender_description": person.gender_description,
        "ethnicity": person.get_ethnicity_display(),
        "disability": person.get_disability_display(),
        "disability_details": person.disability_details,
        "learning_disability": person.get_learning_disability_display(),
        "special_educational_needs": person.get_special_educational_needs_display(),
        "first_language": person.first_language or person.get_first_language_status_display(),
        "looked_after_status": person.get_looked_after_status_display(),
        "responsible_authority": str(person.responsible_authority or ""),
        "host_authority": str(person.host_authority or ""),
        "held_by": str(person.owning_agency),
        "recorded": person.created_at,
    }


def _texts(sections: list[SarSection]):
    for section in sections:
        for item in section.items:
            for value in item.values():
                if isinstance(value, str) and value:
                    yield value


def _known_names_in(texts, person) -> set[str]:
    """Names of other people Harbour knows that appear in the text (given and family name together,
    or a nickname on its own)."""
    from harbour.people.models import NameKind, PersonName
    from harbour.people.names import tokens

    words = set()
    for text in texts:
        words.update(tokens(text))
    words = {w for w in words if len(w) >= 2}
    if not words:
        return set()
    found = set()
    candidates = PersonName.objects.exclude(person=person).filter(given_norm__in=words)
    for given, family, kind in candidates.values_list("given_name", "family_name", "kind").iterator():
        if family and tokens(family) and all(t in words for t in tokens(family)):
            found.add(f"{given} {family}".strip())
        elif kind == NameKind.NICKNAME and not family and len(given) >= 3:
            found.add(given.strip())
    return found


def _patterns(third_parties: set[str], person) -> list[re.Pattern]:
    """Full names first (longest first), then given names alone unless the subject shares them."""
    own = {p.casefold() for n in person.names.all() for p in (n.given_name, n.family_name) if p}
    names = sorted({n for n in third_parties if n.strip()}, key=len, reverse=True)
    given_only = sorted(
        {n.split()[0] for n in names if " " in n and len(n.split()[0]) >= 3 and n.split()[0].casefold() not in own},
        key=len,
        reverse=True,
    )
    return [re.compile(rf"(?<!\w){re.escape(n)}(?!\w)", re.IGNORECASE) for n in names + given_only]


def _marks(text: str, patterns: list[re.Pattern]) -> list[dict]:
    spans: list[tuple[int, int]] = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            start, end = match.span()
            if not any(start < e and end > s for s, e in spans):
                spans.append((start, end))
    return [{"start": s, "end": e, "text": text[s:e], "why": "third party"} for s, e in sorted(spans)]


def sar_build(*, caller: Caller, pk, fmt: str = "json") -> dict:
    """The export, as data. The read and the export are both audited."""
    from harbour.people.models import Person

    user = caller.user
    queryset = Person.objects.select_related("owning_agency", "responsible_authority", "host_authority")
    if user.role != Role.SUPERVISOR or not user.agency_id:
        queryset = queryset.none()
    else:
        queryset = queryset.filter(owning_agency_id=user.agency_id)
    person = get_audited(caller=caller, queryset=queryset, pk=pk, purpose="subject access")
    agency = person.owning_agency
    sections: list[SarSection] = []
    for source in SAR_SOURCES:
        produced = source(person, agency)
        if produced is None:
            continue
        sections.extend(produced if isinstance(produced, list) else [produced])
    own_names = {f"{n.given_name} {n.family_name}".strip().casefold() for n in person.names.all()}
    third_parties = {n for s in sections for n in s.third_parties} | _known_names_in(_texts(sections), person)
    third_parties = {n for n in third_parties if n.strip().casefold() not in own_names}
    patterns = _patterns(third_parties, person)
    out_sections = []
    marked = 0
    for section in sections:
        items, redactions = [], []
        for index, item in enumerate(section.items):
            items.append({key: _value(value) for key, value in item.items()})
            for key, value in item.items():
                if isinstance(value, str) and value:
                    for mark in _marks(value, patterns):
                        redactions.append({"item": index, "field": key, **mark})
        marked += len(redactions)
        out_sections.append({"title": section.title, "items": items, "redactions": redactions})
    data = {
        "subject": {key: _value(value) for key, value in _subject(person).items()},
        "held_by": agency.name,
        "generated_at": _value(timezone.now()),
        "sections": out_sections,
        "third_parties": sorted(third_parties),
        "note": REDACTION_NOTE,
    }
    with transaction.atomic():
        audit_record(
            actor=user,
            action=AuditAction.EXPORT,
            target=person,
            client_ip=caller.client_ip,
            details={
                "purpose": "subject access",
                "format": fmt,
                "sections": [s["title"] for s in out_sections],
                "marked_for_redaction": marked,
            },
        )
    return data


def segments(text: str, redactions: list[dict]) -> list[tuple[str, bool]]:
    """The text cut into (part, marked) pieces, for the printable page."""
    parts, position = [], 0
    for mark in redactions:
        if mark["start"] > position:
            parts.append((text[position : mark["start"]], False))
        parts.append((text[mark["start"] : mark["end"]], True))
        position = mark["end"]
    if position < len(text):
        parts.append((text[position:], False))
    return parts


def printable(data: dict) -> list[dict]:
    """Sections with each value as segments, for the HTML template."""
    out = []
    for section in data["sections"]:
        rows = []
        for index, item in enumerate(section["items"]):
            fields = []
            for key, value in item.items():
                marks = [r for r in section["redactions"] if r["item"] == index and r["field"] == key]
                text = "" if value is None else str(value)
                fields.append({"label": key.replace("_", " ").capitalize(), "segments": segments(text, marks)})
            rows.append(fields)
        out.append({"title": section["title"], "rows": rows, "marked": len(section["redactions"])})
    return out
