"""Who is linked to which children, for the "consider an order" prompt.

Each source answers, for one user, {adult person id: {child person ids}} from records that user may
see, so a prompt never counts a child the user could not see. Sources are optional: the missing
episodes' "found with" is always there; the entity graph's links and the analysis app's co-presence
alerts are read when those apps are installed. Other apps may add a source with
`register_link_source` from their AppConfig.ready.
"""

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldError
from django.db.models import Q
from django.utils import timezone

from harbour.access.policy import Action, scope
from harbour.people.models import Person, PersonKind

from . import law

logger = logging.getLogger(__name__)

Links = dict[int, set[int]]


@dataclass(frozen=True)
class LinkSource:
    key: str
    label: str  # "found with a child when a missing episode closed"
    collect: Callable[[object], Links]
    requires_app: str = ""  # an app label that must be installed, or ""


LINK_SOURCES: dict[str, LinkSource] = {}


def register_link_source(source: LinkSource) -> None:
    LINK_SOURCES[source.key] = source


def available_sources() -> list[LinkSource]:
    return [s for s in LINK_SOURCES.values() if not s.requires_app or apps.is_installed(s.requires_app)]


def _adults_and_children(user, pairs: list[tuple[int, int]]) -> Links:
    """From (person, person) pairs, {adult: {children}} for the people the user may see."""
    ids = {pid for pair in pairs for pid in pair}
    if not ids:
        return {}
    people = {p.pk: p for p in scope(user, Person.objects.filter(pk__in=ids), Action.VIEW)}
    today = timezone.localdate()

    def is_child(p: Person) -> bool:
        return p.kind == PersonKind.CHILD

    def is_adult(p: Person) -> bool:
        if p.kind == PersonKind.CHILD:
            return False
        age = p.age_on(today)
        return age is None or age >= law.ADULT_AGE

    links: Links = defaultdict(set)
    for a, b in pairs:
        first, second = people.get(a), people.get(b)
        if first is None or second is None:
            continue
        if is_adult(first) and is_child(second):
            links[first.pk].add(second.pk)
        elif is_adult(second) and is_child(first):
            links[second.pk].add(first.pk)
    return dict(links)


def _found_with(user) -> Links:
    """Adults a child was found with when a missing episode closed, from episodes the user may see."""
    from harbour.missing.models import MissingEpisode

    episodes = scope(user, MissingEpisode.objects.all(), Action.VIEW)
    through = MissingEpisode.found_with.through
    pairs = list(
        through.objects.filter(missingepisode__in=episodes).values_list("person_id", "missingepisode__child_id")
    )
    return _adults_and_children(user, pairs)


def _graph_links(user) -> Links:
    """Person-to-person links in the entity graph the user may see (not withdrawn)."""
    from django.contrib.contenttypes.models import ContentType

    try:
        link_model = apps.get_model("graph", "Link")
        person_type = ContentType.objects.get_for_model(Person)
        links = scope(user, link_model.objects.filter(withdrawn_at__isnull=True), Action.VIEW).filter(
            Q(source_type=person_type) & Q(target_type=person_type)
        )
        pairs = list(links.values_list("source_id", "target_id"))
    except (LookupError, FieldError, AttributeError) as error:  # the graph app changed shape
        logger.warning("Graph links unavailable for disruption prompts: %s", error)
        return {}
    return _adults_and_children(user, pairs)


def _co_presence(user) -> Links:
    """Open co-presence alerts from the analysis app that the user may see (its rule decides)."""
    try:
        from harbour.analysis import selectors as analysis_selectors
    except ImportError:
        return {}
    reader = getattr(analysis_selectors, "alerts_visible", None)
    if reader is None:
        return {}
    try:
        through = reader(user=user).model.children.through
        pairs = list(
            through.objects.filter(copresencealert__in=reader(user=user)).values_list(
                "copresencealert__adult_id", "person_id"
            )
        )
    except (FieldError, AttributeError, LookupError) as error:  # the analysis app changed shape
        logger.warning("Co-presence alerts unavailable for disruption prompts: %s", error)
        return {}
    return _adults_and_children(user, pairs)


register_link_source(LinkSource("found_with", "found with a child when a missing episode closed", _found_with))
register_link_source(LinkSource("graph", "linked in the network of people", _graph_links, requires_app="harbour.graph"))
register_link_source(
    LinkSource(
        "co_presence", "seen repeatedly with a child (co-presence)", _co_presence, requires_app="harbour.analysis"
    )
)


def linked_children(user) -> dict[int, dict[int, set[str]]]:
    """{adult id: {child id: {source labels}}} over every available source."""
    merged: dict[int, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for source in available_sources():
        for adult, children in source.collect(user).items():
            for child in children:
                merged[adult][child].add(source.label)
    return {adult: dict(children) for adult, children in merged.items()}
