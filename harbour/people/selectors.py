"""Reads about people, always scoped by the user who asks; reads of a record are audited."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from rapidfuzz import fuzz

from harbour.access.models import AccessGrant, GrantKind
from harbour.access.policy import Action, can, scope
from harbour.access.reads import get_audited
from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record
from harbour.core.caller import Caller

from .identifiers import SCHEMES, normalise_identifier
from .models import Identifier, Person, PersonName
from .names import phonetic, tokens

SEARCH_LIMIT = 50


def person_visible(*, user, action: Action = Action.VIEW) -> QuerySet:
    return scope(user, Person.objects.all(), action)


def person_get(*, caller: Caller, pk, reason: str = "", purpose: str = "view") -> Person:
    """The person, if the caller may see them; the read is audited. Hidden or absent: 404, and
    the refused attempt is audited too (without saying whose record it was)."""
    queryset = Person.objects.select_related("owning_agency", "owning_team", "responsible_authority", "host_authority")
    return get_audited(caller=caller, queryset=queryset, pk=pk, purpose=purpose, reason=reason)


@dataclass
class SearchResult:
    person: Person
    score: float
    matched_name: str = ""
    matched_on: list[str] = field(default_factory=list)


def _name_candidates(query_tokens: list[str]) -> QuerySet:
    """Name rows where every query token matches some part of the name: prefix or same sound."""
    names = PersonName.objects.all()
    for token in query_tokens:
        key = phonetic(token)
        upper = token + "{"  # '{' sorts after 'z': a range scan is a prefix match that uses the index
        names = names.filter(
            Q(given_norm__gte=token, given_norm__lt=upper)
            | Q(family_norm__gte=token, family_norm__lt=upper)
            | Q(given_key=key)
            | Q(family_key=key)
        )
    return names


def person_search(
    *,
    caller: Caller,
    name: str = "",
    date_of_birth: date | None = None,
    identifier: str = "",
    kind: str = "",
    limit: int = SEARCH_LIMIT,
    export: bool = False,
) -> list[SearchResult]:
    """People the caller may see matching the name (with aliases and near spellings), date of
    birth and/or identifier, best first. The search and its terms are audited."""
    query_tokens = tokens(name)
    identifier_value = identifier.strip()
    if not (query_tokens or date_of_birth or identifier_value):
        return []
    people = person_visible(user=caller.user)
    matched_names: QuerySet | None = None
    if query_tokens:
        matched_names = _name_candidates(query_tokens)
        # IN (subquery) lets the planner start from the name index rather than test every visible person.
        people = people.filter(pk__in=matched_names.values("person_id"))
    if date_of_birth:
        people = people.filter(date_of_birth=date_of_birth)
    if identifier_value:
        values = {normalise_identifier(code, identifier_value) for code in SCHEMES}
        people = people.filter(pk__in=Identifier.objects.filter(value__in=values).values("person_id"))
    if kind:
        people = people.filter(kind=kind)

    candidates = list(people.select_related("owning_agency").prefetch_related("names")[: limit * 4])
    query_text = " ".join(query_tokens)
    results = []
    for person in candidates:
        best_score, best_name = 0.0, str(person)
        for person_name in person.names.all():
            text = f"{person_name.given_norm} {person_name.family_norm}".strip()
            score = fuzz.token_set_ratio(query_text, text) if query_text else 100.0
            if score > best_score:
                best_score, best_name = score, str(person_name)
        matched_on = []
        if query_tokens:
            matched_on.append("name")
        if date_of_birth:
            matched_on.append("date of birth")
        if identifier_value:
            matched_on.append("identifier")
        results.append(SearchResult(person, best_score, best_name, matched_on))
    results.sort(key=lambda r: (-r.score, r.person.family_name, r.person.given_name, r.person.pk))
    results = results[:limit]
    with transaction.atomic():
        audit_record(
            actor=caller.user,
            action=AuditAction.EXPORT if export else AuditAction.SEARCH,
            object_type="people.person",
            client_ip=caller.client_ip,
            details={
                "name": name,
                "date_of_birth": date_of_birth,
                "identifier": identifier_value,
                "kind": kind,
                "result_count": len(results),
                "result_ids": [r.person.pk for r in results],
            },
        )
    return results


@dataclass
class TimelineEntry:
    at: datetime | date
    kind: str
    title: str
    detail: str = ""
    by: str = ""

    @property
    def sort_key(self) -> datetime:
        if isinstance(self.at, datetime):
            return self.at
        return timezone.make_aware(datetime(self.at.year, self.at.month, self.at.day))


# Other apps add what they hold about a person: functions (person, user) -> [TimelineEntry].
TIMELINE_SOURCES: list = []


def register_timeline_source(source) -> None:
    if source not in TIMELINE_SOURCES:
        TIMELINE_SOURCES.append(source)


def _people_timeline(person: Person, user) -> list[TimelineEntry]:
    entries = [
        TimelineEntry(
            person.created_at, "record", "Record created", f"By {person.owning_agency}", str(person.created_by)
        )
    ]
    for note in scope(user, person.notes.select_related("author", "author_agency")):
        entries.append(
            TimelineEntry(note.created_at, "note", "Case note", note.text, f"{note.author}, {note.author_agency}")
        )
    for address in scope(user, person.addresses.all()):
        entries.append(TimelineEntry(address.from_date, "address", "Moved to address", str(address)))
    for placement in scope(user, person.placements.select_related("care_home", "placing_authority")):
        entries.append(
            TimelineEntry(
                placement.start_date,
                "placement",
                "Placement started",
                f"{placement}, placed by {placement.placing_authority}",
            )
        )
        if placement.end_date:
            entries.append(TimelineEntry(placement.end_date, "placement", "Placement ended", str(placement)))
    return entries


register_timeline_source(_people_timeline)


def person_timeline(*, user, person: Person) -> list[TimelineEntry]:
    """Everything the user may see about the person, newest first."""
    if not can(user, Action.VIEW, person):
        raise Http404("Not found")
    entries = []
    for source in TIMELINE_SOURCES:
        entries.extend(source(person, user))
    return sorted(entries, key=lambda e: e.sort_key, reverse=True)


def person_export(*, caller: Caller, pk) -> dict:
    """What the caller may see of one person's record, as data for download. Audited as an export."""
    person = person_get(caller=caller, pk=pk, purpose="export")
    data = {
        "id": person.pk,
        "kind": person.kind,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else None,
        "estimated_age_years": person.estimated_age_years,
        "sex": person.sex,
        "gender": person.gender,
        "ethnicity": person.ethnicity,
        "disability": person.disability,
        "learning_disability": person.learning_disability,
        "special_educational_needs": person.special_educational_needs,
        "first_language": person.first_language or person.first_language_status,
        "looked_after_status": person.looked_after_status,
        "owning_agency": person.owning_agency.name,
        "names": [
            {"kind": n.kind, "given_name": n.given_name, "family_name": n.family_name}
            for n in scope(caller.user, person.names.all())
        ],
        "identifiers": [{"scheme": i.scheme, "value": i.value} for i in scope(caller.user, person.identifiers.all())],
        "addresses": [
            {"address": str(a), "from": a.from_date.isoformat(), "to": a.to_date.isoformat() if a.to_date else None}
            for a in scope(caller.user, person.addresses.all())
        ],
        "timeline": [
            {"at": e.sort_key.isoformat(), "kind": e.kind, "title": e.title, "detail": e.detail, "by": e.by}
            for e in person_timeline(user=caller.user, person=person)
        ],
    }
    with transaction.atomic():
        audit_record(
            actor=caller.user,
            action=AuditAction.EXPORT,
            target=person,
            client_ip=caller.client_ip,
            details={"format": "json"},
        )
    return data


def person_access_grants(*, user, person: Person) -> QuerySet:
    """Who else may see this record and why: shown to those who may share it."""
    if not can(user, Action.SHARE, person) and not can(user, Action.RESTRICT, person):
        return AccessGrant.objects.none()
    return (
        AccessGrant.objects.live()
        .for_record(person)
        .exclude(kind=GrantKind.BREAK_GLASS)
        .select_related("grantee_user", "grantee_team", "grantee_agency", "granted_by")
    )


def care_home_register(*, user) -> list[dict]:
    """The care-home register: each home with its provider, host authority and police liaison
    officer, and the current residents the user may see. Care-home staff see their own home only."""
    from harbour.accounts.roles import CASEWORK_ROLES, Role

    from .models import CareHome, Placement

    if user.role == Role.CARE_HOME_STAFF:
        homes = CareHome.objects.filter(pk=user.care_home_id)
    elif user.role in CASEWORK_ROLES:
        homes = CareHome.objects.all()
    else:
        return []
    homes = homes.select_related("provider", "host_authority", "police_liaison_officer")
    today = timezone.localdate()
    visible = person_visible(user=user)
    current = (
        Placement.objects.filter(start_date__lte=today, care_home__in=homes, person__in=visible)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("person", "placing_authority")
        .order_by("person__family_name", "person__given_name")
    )
    residents: dict[int, list] = {}
    for placement in current:
        residents.setdefault(placement.care_home_id, []).append(placement)
    return [{"home": home, "residents": residents.get(home.pk, [])} for home in homes]
