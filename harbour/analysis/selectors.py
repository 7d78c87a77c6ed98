"""Reads of the analysis app, always scoped by the user who asks.

Every figure here is computed over what the user may see: the links, episodes and people they
cannot see are never read into the calculation, so no count, group or hotspot leaks a hidden record.
Screens that list people audit the read as a search, with the record ids shown.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from harbour.access.policy import Action, scope
from harbour.access.reads import get_audited
from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record
from harbour.core.caller import Caller
from harbour.people.models import Person, PersonKind
from harbour.people.selectors import person_search

from .core import hotspots as hotspot_core
from .core import networks as network_core
from .core import period as period_core
from .models import AlertStatus, AnalysisTask, CoPresenceAlert, MatchCandidate, MatchDecision, MatchStatus, SameAs

SIMILAR_LIMIT = 5
NETWORK_GROUP_LIMIT = 50
# Link types that put a child with an adult of concern for the period figure (family alone does not).
TOGETHER_LINK_TYPES = ("found_with", "with_while_missing", "associate", "contacted")
VICTIM_LINK_TYPES = ("victim_of", "suspected_of")
PLACE_LINK_TYPES = ("found_at", "visited", "lives_at", "works_at")


def audit_listing(caller: Caller, *, what: str, person_ids, details: dict | None = None) -> None:
    """A screen that shows people is a read of their records: logged like a search."""
    with transaction.atomic():
        audit_record(
            actor=caller.user,
            action=AuditAction.SEARCH,
            object_type=f"analysis.{what}",
            client_ip=caller.client_ip,
            details={**(details or {}), "result_count": len(person_ids), "result_ids": sorted(person_ids)},
        )


# --- Same person ----------------------------------------------------------------------------------


def clusters_of(pairs) -> dict[int, int]:
    """Union-find over same-person pairs: each record mapped to its cluster's smallest record id."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in parent}


def same_as_visible(*, user) -> QuerySet:
    return scope(user, SameAs.objects.active(), Action.VIEW)


def same_person_records(*, user, person: Person) -> list[Person]:
    """The other records confirmed as this person that the user may see (through visible links)."""
    cluster_of = clusters_of(same_as_visible(user=user).values_list("person_a_id", "person_b_id"))
    root = cluster_of.get(person.pk)
    if root is None:
        return []
    ids = [pid for pid, r in cluster_of.items() if r == root and pid != person.pk]
    return list(scope(user, Person.objects.filter(pk__in=ids), Action.VIEW).select_related("owning_agency"))


def person_panel(person: Person, user) -> dict | None:
    """The "Same person as" card on the person page."""
    others = same_person_records(user=user, person=person)
    pending = candidates_visible(user=user, status=MatchStatus.PROPOSED).filter(Q(person_a=person) | Q(person_b=person))
    pending = list(pending[:5])
    if not others and not pending:
        return None
    return {"same_as": others, "pending": pending, "person": person}


# --- Matching -------------------------------------------------------------------------------------


def candidates_visible(*, user, status: str | None = MatchStatus.PROPOSED) -> QuerySet:
    """Proposals where the user may see both records. Others are never shown, not even counted."""
    candidates = MatchCandidate.objects.select_related(
        "person_a", "person_b", "person_a__owning_agency", "person_b__owning_agency", "decided_by"
    )
    if status:
        candidates = candidates.filter(status=status)
    return scope(user, candidates, Action.VIEW)


def candidate_get(*, caller: Caller, pk) -> MatchCandidate:
    queryset = MatchCandidate.objects.select_related("person_a", "person_b", "decided_by")
    return get_audited(caller=caller, queryset=queryset, pk=pk, purpose="match review")


def candidate_decisions(*, user, candidate: MatchCandidate) -> QuerySet:
    return scope(user, MatchDecision.objects.filter(candidate=candidate).select_related("decided_by"), Action.VIEW)


@dataclass
class SimilarPerson:
    person: Person
    score: float
    reasons: list[str]


def _dob_close(a: date, b: date) -> bool:
    text_a, text_b = a.isoformat(), b.isoformat()
    differing = sum(1 for x, y in zip(text_a, text_b, strict=True) if x != y)
    swapped = (a.year, a.month, a.day) == (b.year, b.day, b.month)
    return differing <= 1 or swapped


def similar_people(
    *, caller: Caller, given_name: str = "", family_name: str = "", date_of_birth: date | None = None
) -> list[SimilarPerson]:
    """Search before create: people the caller may see who may be the person being entered.

    Uses the people search (aliases, near spellings, same sound; audited), then ranks by name
    similarity with the date of birth as strong evidence: the same, or one digit out, or day and
    month swapped. Only records the caller may see are ever returned.
    """
    name = f"{given_name} {family_name}".strip()
    if len(name.replace(" ", "")) < 2:
        return []
    found: dict[int, SimilarPerson] = {}
    searches = [name] + ([family_name] if family_name.strip() and date_of_birth else [])
    for query in searches:
        for result in person_search(caller=caller, name=query, limit=25):
            person = result.person
            if person.pk in found:
                continue
            reasons = [f"name like {result.matched_name}"]
            score = result.score if query == name else result.score * 0.6
            if date_of_birth and person.date_of_birth:
                if person.date_of_birth == date_of_birth:
                    score += 40
                    reasons.append("same date of birth")
                elif _dob_close(person.date_of_birth, date_of_birth):
                    score += 20
                    reasons.append("date of birth one digit out or day and month swapped")
                elif abs((person.date_of_birth - date_of_birth).days) > 366 * 2:
                    score -= 30
            if query != name and "same date of birth" not in reasons:
                continue  # a family-name-only hit counts only with the same date of birth
            found[person.pk] = SimilarPerson(person, score, reasons)
    ranked = sorted(found.values(), key=lambda s: (-s.score, s.person.family_name, s.person.pk))
    return [s for s in ranked if s.score >= 60][:SIMILAR_LIMIT]


# --- Links as edges ---------------------------------------------------------------------------------


def _links(user, *, start: date | None, end: date | None, link_types=None, action: Action = Action.VIEW) -> QuerySet:
    from harbour.graph.selectors import links_visible

    links = links_visible(user=user, action=action)
    if link_types:
        links = links.filter(link_type__in=list(link_types))
    if end:
        links = links.filter(Q(start_date__isnull=True) | Q(start_date__lte=end))
    if start:
        links = links.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
    return links


def _slugs() -> dict[int, str]:
    """Content type id -> node kind slug ("person", "place", "phone"...) for the graph's node kinds."""
    from harbour.graph import registry

    slugs = {}
    for model in registry.node_models():
        kind = registry.kind_for_model(model)
        if kind is not None:
            slugs[ContentType.objects.get_for_model(model).pk] = kind.slug
    return slugs


PERSON_KIND_NODE = {PersonKind.CHILD: "child", PersonKind.ADULT_OF_CONCERN: "adult", PersonKind.OTHER: "person"}


@dataclass
class GroupView:
    number: int
    component: int
    size: int
    links: int
    children: list
    adults: list
    others: list
    places: list
    phones: list
    entities: list
    key_people: list  # (Person, degree, betweenness)


@dataclass
class NetworkView:
    groups: list[GroupView]
    total_groups: int
    components: int
    people: int
    links: int
    betweenness_exact: bool
    resolution: float
    person_ids: set[int] = field(default_factory=set)


def network_analysis(
    *,
    user,
    start: date | None = None,
    end: date | None = None,
    link_types=None,
    min_size: int = 3,
    action: Action = Action.VIEW,
) -> tuple[network_core.Network, dict[int, Person], list]:
    """The analysis behind `network`, not audited: (result, people by id, edges). For callers that
    audit what they show themselves (`network`, and the reports, which count with Action.COUNT)."""
    slugs = _slugs()
    person_ct = ContentType.objects.get_for_model(Person)
    rows = list(
        _links(user, start=start, end=end, link_types=link_types, action=action).values_list(
            "source_type_id", "source_id", "target_type_id", "target_id", "link_type"
        )
    )
    same = scope(user, SameAs.objects.active(), action)
    visible_same = clusters_of(same.values_list("person_a_id", "person_b_id"))

    def key(ct_id: int, pk: int) -> str:
        if ct_id == person_ct.pk:
            pk = visible_same.get(pk, pk)
        return f"{slugs.get(ct_id, 'record')}:{pk}"

    edges = [(key(s_ct, s), key(t_ct, t), kind) for s_ct, s, t_ct, t, kind in rows]
    person_ids = {int(k.split(":")[1]) for e in edges for k in e[:2] if k.startswith("person:")}
    people = {p.pk: p for p in Person.objects.filter(pk__in=person_ids).select_related("owning_agency")}
    kinds = {f"person:{pk}": PERSON_KIND_NODE.get(p.kind, "person") for pk, p in people.items()}
    return network_core.analyse(edges, kinds, min_group_size=min_size), people, edges


def network(
    *, caller: Caller, start: date | None = None, end: date | None = None, link_types=None, min_size: int = 3
) -> NetworkView:
    """Groups of connected people, places and phones over the links the user may see in the period,
    records confirmed as one person drawn as one; the key people in each group."""
    result, people, edges = network_analysis(
        user=caller.user, start=start, end=end, link_types=link_types, min_size=min_size
    )
    groups = result.groups[:NETWORK_GROUP_LIMIT]

    # Resolve the non-person members shown, one query per kind.
    wanted: dict[str, set[int]] = defaultdict(set)
    for group in groups:
        for member in group.members:
            slug, _, pk = member.partition(":")
            if slug != "person" and pk.isdigit():
                wanted[slug].add(int(pk))
    records: dict[str, object] = {}
    from harbour.graph import registry

    for slug, ids in wanted.items():
        try:
            model = registry.node_kind(slug).model
        except (KeyError, LookupError):
            continue
        for record in model._default_manager.filter(pk__in=ids):
            records[f"{slug}:{record.pk}"] = record

    def person(k):
        return people.get(int(k.split(":")[1]))

    views = []
    shown_people: set[int] = set()
    for group in groups:
        children = [person(k) for k in group.of_kind("child")]
        adults = [person(k) for k in group.of_kind("adult")]
        others = [person(k) for k in group.of_kind("person")]
        shown_people |= {p.pk for p in children + adults + others if p}
        views.append(
            GroupView(
                number=group.number,
                component=group.component,
                size=group.size,
                links=group.links,
                children=[p for p in children if p],
                adults=[p for p in adults if p],
                others=[p for p in others if p],
                places=[records[k] for k in group.of_kind("place") if k in records],
                phones=[records[k] for k in group.of_kind("phone") if k in records],
                entities=[
                    records[k]
                    for kind in ("email", "vehicle", "account", "organisation")
                    for k in group.of_kind(kind)
                    if k in records
                ],
                key_people=[(person(k), d, b) for k, d, b in group.key_people if person(k)],
            )
        )
    view = NetworkView(
        groups=views,
        total_groups=len(result.groups),
        components=len(result.components),
        people=len(people),
        links=len(edges),
        betweenness_exact=result.betweenness_exact,
        resolution=network_core.resolution_for(result.graph.ecount()),
        person_ids=shown_people,
    )
    audit_listing(
        caller,
        what="network",
        person_ids=shown_people,
        details={"start": start, "end": end, "link_types": list(link_types or [])},
    )
    return view


# --- Period figure ------------------------------------------------------------------------------------


@dataclass
class PeriodRow:
    victim: Person
    perpetrator: Person
    day: date | None
    basis: str

    @property
    def basis_label(self) -> str:
        from harbour.graph.models import LinkType

        return LinkType(self.basis).label if self.basis in LinkType.values else self.basis


def period_pairs(
    *, user, start: date, end: date, action: Action = Action.VIEW
) -> tuple[period_core.PeriodFigure, dict[int, Person]]:
    """The period figure and the people in it, not audited: for callers that audit what they show
    (`period_figure`, and the reports, which count with Action.COUNT)."""
    from harbour.graph.models import LinkType

    person_ct = ContentType.objects.get_for_model(Person)
    rows = list(
        _links(user, start=start, end=end, link_types=VICTIM_LINK_TYPES + TOGETHER_LINK_TYPES, action=action)
        .filter(source_type=person_ct, target_type=person_ct)
        .values_list("id", "source_id", "target_id", "link_type", "start_date")
    )
    ids = {r[1] for r in rows} | {r[2] for r in rows}
    people = {p.pk: p for p in Person.objects.filter(pk__in=ids).select_related("owning_agency")}
    pairs = []
    for link_id, source_id, target_id, link_type, day in rows:
        source, target = people.get(source_id), people.get(target_id)
        if source is None or target is None:
            continue
        if link_type == LinkType.VICTIM_OF:
            victim, perpetrator = source, target  # "child is a potential victim of adult"
        elif link_type == LinkType.SUSPECTED_OF:
            victim, perpetrator = target, source  # "adult is suspected of harming child"
        elif source.kind == PersonKind.CHILD and target.kind == PersonKind.ADULT_OF_CONCERN:
            victim, perpetrator = source, target
        elif target.kind == PersonKind.CHILD and source.kind == PersonKind.ADULT_OF_CONCERN:
            victim, perpetrator = target, source
        else:
            continue
        pairs.append(period_core.Pair(str(victim.pk), str(perpetrator.pk), day, link_type, link_id))
    return period_core.figure(pairs, start=start, end=end), people


def period_figure(*, caller: Caller, start: date, end: date) -> tuple[period_core.PeriodFigure, list[PeriodRow]]:
    """ "N potential victims linked to M alleged perpetrators between dates", over the links the user
    may see, and the pairs behind it."""
    fig, people = period_pairs(user=caller.user, start=start, end=end)
    seen = set()
    table = []
    for pair in fig.pairs:
        key = (pair.victim, pair.perpetrator, pair.basis, pair.day)
        if key in seen:
            continue
        seen.add(key)
        table.append(PeriodRow(people[int(pair.victim)], people[int(pair.perpetrator)], pair.day, pair.basis))
    audit_listing(
        caller,
        what="period_figure",
        person_ids={int(v) for v in fig.victims} | {int(p) for p in fig.perpetrators},
        details={"start": start, "end": end},
    )
    return fig, table


# --- Hotspots ------------------------------------------------------------------------------------------


def _normalise_place_text(text: str) -> str:
    return " ".join((text or "").lower().replace(",", " ").split())


def _aware(day: date, end: bool = False) -> datetime:
    moment = datetime.combine(day + timedelta(days=1) if end else day, time.min)
    return timezone.make_aware(moment)


@dataclass
class HotspotView:
    spot: hotspot_core.Hotspot
    children: list
    episodes: list
    x: float | None = None
    y: float | None = None
    radius: float = 4.0

    @property
    def label_y(self) -> float | None:
        return None if self.y is None else round(self.y - self.radius - 3, 1)


def hotspots(
    *, caller: Caller, start: date, end: date
) -> tuple[list[HotspotView], dict[int, list[HotspotView]], hotspot_core.Projection | None]:
    """Places children went missing from, were found at, or are linked to in the period, over what
    the user may see: ranked, grouped into areas (DBSCAN), and placed on an offline drawing."""
    from harbour.missing.models import MissingEpisode, Place

    user = caller.user
    events: list[hotspot_core.PlaceEvent] = []
    episodes = scope(
        user,
        MissingEpisode.objects.filter(
            Q(reported_at__gte=_aware(start), reported_at__lt=_aware(end, True))
            | Q(found_at__gte=_aware(start), found_at__lt=_aware(end, True))
        ).select_related("found_where", "child"),
        Action.VIEW,
    )
    episodes = list(episodes)
    names = {_normalise_place_text(e.last_seen_place) for e in episodes if e.last_seen_place}
    places_by_name = {}
    if names:
        for place in Place.objects.all().only("pk", "name", "latitude", "longitude"):
            norm = _normalise_place_text(place.name)
            if norm in names:
                places_by_name.setdefault(norm, place)

    located: list[tuple] = []  # (place record, kind, child id, day, episode id)

    def place_event(place, kind, child_id, day, episode=None):
        located.append((place, kind, child_id, day, episode))

    for episode in episodes:
        reported = timezone.localdate(episode.reported_at)
        if start <= reported <= end and episode.last_seen_place:
            norm = _normalise_place_text(episode.last_seen_place)
            place = places_by_name.get(norm)
            if place is not None:
                place_event(place, hotspot_core.MISSING_FROM, episode.child_id, reported, episode.pk)
            else:
                events.append(
                    hotspot_core.PlaceEvent(
                        place=f"text:{norm}",
                        kind=hotspot_core.MISSING_FROM,
                        child=str(episode.child_id),
                        day=reported,
                        episode=str(episode.pk),
                        label=episode.last_seen_place.strip(),
                    )
                )
        if episode.found_where_id and episode.found_at:
            found = timezone.localdate(episode.found_at)
            if start <= found <= end:
                place_event(episode.found_where, hotspot_core.FOUND_AT, episode.child_id, found, episode.pk)

    # Links between a child and a place, except those an episode made (counted above as found at).
    person_ct = ContentType.objects.get_for_model(Person)
    place_ct = ContentType.objects.get_for_model(Place)
    episode_ct = ContentType.objects.get_for_model(MissingEpisode)
    links = (
        _links(user, start=start, end=end, link_types=PLACE_LINK_TYPES)
        .filter(source_type=person_ct, target_type=place_ct)
        .exclude(provenance_type=episode_ct)
        .values_list("source_id", "target_id", "start_date")
    )
    links = list(links)
    children = set(
        Person.objects.filter(pk__in={s for s, _, _ in links}, kind=PersonKind.CHILD).values_list("pk", flat=True)
    )
    places = {p.pk: p for p in Place.objects.filter(pk__in={t for _, t, _ in links})}
    for source_id, target_id, day in links:
        if source_id in children and target_id in places:
            place_event(places[target_id], hotspot_core.LINKED, source_id, day)

    # Places are recorded afresh at each episode: records with the same name and postcode are one
    # place, keyed by the lowest record id ("place:<id>", the key other apps read), with the
    # coordinates of any of them.
    def same_place(place):
        return (_normalise_place_text(place.name), (place.postcode or "").replace(" ", "").upper())

    canonical: dict[tuple, object] = {}
    for place, *_ in sorted(located, key=lambda e: e[0].pk):
        canonical.setdefault(same_place(place), place)
    for place, kind, child_id, day, episode in located:
        first = canonical[same_place(place)]
        events.append(
            hotspot_core.PlaceEvent(
                place=f"place:{first.pk}",
                kind=kind,
                child=str(child_id),
                day=day,
                episode=str(episode) if episode else None,
                label=str(first),
                latitude=float(place.latitude) if place.latitude is not None else None,
                longitude=float(place.longitude) if place.longitude is not None else None,
            )
        )

    ranked = hotspot_core.rank(events, start=start, end=end)
    hotspot_core.clusters(ranked)
    child_ids = {int(c) for s in ranked for c in s.children}
    child_records = {p.pk: p for p in Person.objects.filter(pk__in=child_ids)}
    episode_ids = {int(e) for s in ranked for e in s.episodes}
    episode_records = {e.pk: e for e in episodes if e.pk in episode_ids}
    views = [
        HotspotView(
            spot=s,
            children=sorted((child_records[int(c)] for c in s.children), key=lambda p: (p.family_name, p.pk)),
            episodes=sorted((episode_records[int(e)] for e in s.episodes), key=lambda e: e.reported_at),
        )
        for s in ranked
    ]
    located = [v for v in views if v.spot.has_coordinates]
    projection = None
    if located:
        projection = hotspot_core.Projection.fit(
            [(v.spot.latitude, v.spot.longitude) for v in located], width=640, height=440
        )
        most = max(len(v.spot.children) for v in located)
        for v in located:
            v.x, v.y = projection(v.spot.latitude, v.spot.longitude)
            v.radius = round(4 + 10 * (len(v.spot.children) / most) ** 0.5, 1)
    areas: dict[int, list[HotspotView]] = defaultdict(list)
    for v in views:
        if v.spot.cluster is not None:
            areas[v.spot.cluster].append(v)
    audit_listing(caller, what="hotspots", person_ids=set(child_records), details={"start": start, "end": end})
    return views, dict(sorted(areas.items())), projection


# --- Alerts --------------------------------------------------------------------------------------------


def alerts_visible(*, user, status: str | None = AlertStatus.OPEN) -> QuerySet:
    alerts = CoPresenceAlert.objects.select_related("adult", "child", "reviewed_by")
    if status:
        alerts = alerts.filter(status=status)
    return scope(user, alerts, Action.VIEW)


def alert_get(*, caller: Caller, pk) -> CoPresenceAlert:
    return get_audited(
        caller=caller, queryset=CoPresenceAlert.objects.select_related("adult", "child"), pk=pk, purpose="alert"
    )


def alert_children(*, user, alert: CoPresenceAlert) -> tuple[list[Person], int]:
    """The children behind the alert whom the user may see, and how many they may not."""
    children = list(alert.children.all())
    visible = list(scope(user, Person.objects.filter(pk__in=[c.pk for c in children]), Action.VIEW))
    return visible, len(children) - len(visible)


def alert_links(*, user, alert: CoPresenceAlert) -> list:
    """The links behind the alert that the user may see, with where each came from."""
    from harbour.graph.selectors import links_visible

    return list(links_visible(user=user).filter(pk__in=alert.link_ids).order_by("start_date", "id"))


def tasks_visible(*, user) -> QuerySet:
    return scope(user, AnalysisTask.objects.filter(done_at__isnull=True).select_related("child", "alert"), Action.VIEW)


def link_chart_alerts(user, records) -> dict:
    """Co-presence alerts on the link chart's person nodes (harbour.graph.registry annotator).
    Only alerts the user may see; the text names the pattern, not the children."""
    from harbour.graph.selectors import node_id

    people = {r.pk: r for r in records if isinstance(r, Person)}
    if not people:
        return {}
    annotations: dict = {}
    for alert in alerts_visible(user=user).filter(adult_id__in=people).prefetch_related("children"):
        if alert.child_id:
            text = f"Co-presence alert: seen with one child {alert.occasions} times"
        else:
            visible, others = alert_children(user=user, alert=alert)
            text = f"Co-presence alert: seen with {len(visible)} children" + (
                f" (and {others} others)" if others else ""
            )
        annotations.setdefault(node_id(people[alert.adult_id]), {"alerts": []})["alerts"].append(text)
    return annotations
