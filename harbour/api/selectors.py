"""Reads the API needs beyond harbour.people.selectors. Always scoped by the caller's user."""

from collections.abc import Sequence

from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects

from harbour.access.policy import scope
from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record
from harbour.core.caller import Caller
from harbour.people.models import Identifier, NameKind, Person, PersonName
from harbour.people.selectors import person_visible


def with_visible_related(*, user, people: Sequence[Person]) -> Sequence[Person]:
    """Attach the aliases and identifiers of each person that the policy lets `user` see, in two
    queries for the whole page (as `api_visible_aliases` and `api_visible_identifiers`)."""
    prefetch_related_objects(
        list(people),
        Prefetch(
            "names",
            queryset=scope(user, PersonName.objects.exclude(kind=NameKind.PRIMARY)),
            to_attr="api_visible_aliases",
        ),
        Prefetch("identifiers", queryset=scope(user, Identifier.objects.all()), to_attr="api_visible_identifiers"),
    )
    return people


def person_list_queryset(*, user, kind: str = ""):
    """Everyone the user may see (of one kind, if given), in the record's usual order."""
    people = person_visible(user=user).select_related("owning_agency")
    if kind:
        people = people.filter(kind=kind)
    return people


def person_list_audit(*, caller: Caller, people: Sequence[Person], kind: str, offset: int, total: int) -> None:
    """Audit a page of the unfiltered list as a search, naming the records shown, as a search
    would: listing who is known is itself a read of personal data."""
    with transaction.atomic():
        audit_record(
            actor=caller.user,
            action=AuditAction.SEARCH,
            object_type="people.person",
            client_ip=caller.client_ip,
            details={
                "list": True,
                "kind": kind,
                "offset": offset,
                "result_count": total,
                "result_ids": [p.pk for p in people],
            },
        )
