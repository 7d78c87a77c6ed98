"""Reads of digital evidence, scoped by the access policy. Reads of evidence content (an item,
a conversation, a search, an export) are custody events as well as audit rows."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Max, Min, Q, Sum
from django.http import Http404
from django.utils import timezone

from harbour.access.policy import Action, get_or_404, scope
from harbour.access.reads import get_audited
from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record
from harbour.core.caller import Caller

from . import search_index
from .indicators import Indicators
from .models import (
    CustodyAction,
    CustodyEvent,
    EvidenceItem,
    ExtractedIdentifier,
    IndexRebuild,
    IndicatorFlag,
    Investigation,
    Message,
    MessageTally,
    SelectedIdentifier,
)
from .services import record_custody


def investigation_list(*, user):
    return scope(user, Investigation.objects.select_related("owning_agency", "owning_team"), Action.VIEW)


def investigation_list_audit(*, caller: Caller, investigations, offset: int = 0) -> None:
    """Audit a list read (a page of the API), naming the investigations shown: listing is reading."""
    audit_record(
        actor=caller.user,
        action=AuditAction.SEARCH,
        object_type=Investigation._meta.label_lower,
        client_ip=caller.client_ip,
        details={"list": True, "ids": [i.pk for i in investigations], "offset": offset},
    )


def _get_or_404_denials_audited(*, caller: Caller, queryset, pk, purpose: str):
    """get_or_404, with a refusal audited as "denied" (as access.reads.get_audited does), for reads
    whose success the caller records itself: a custody event and its audit row."""
    try:
        return get_or_404(caller.user, queryset, Action.VIEW, pk=pk)
    except Http404:
        with transaction.atomic():
            audit_record(
                actor=caller.user,
                action=AuditAction.DENIED,
                object_type=queryset.model._meta.label_lower,
                object_id=str(pk)[:64],
                client_ip=caller.client_ip,
                details={"purpose": purpose},
            )
        raise


def investigation_get(*, caller: Caller, pk: int, audit: bool = True, purpose: str = "view") -> Investigation:
    """The investigation or 404, refusals audited as "denied". The read itself is audited unless
    the caller goes on to write its own custody event and audit row for what it shows (a search)."""
    queryset = Investigation.objects.select_related("owning_agency", "owning_team")
    if audit:
        return get_audited(caller=caller, queryset=queryset, pk=pk, purpose=purpose)
    return _get_or_404_denials_audited(caller=caller, queryset=queryset, pk=pk, purpose=purpose)


def items_of(*, user, investigation: Investigation):
    """The investigation's evidence items with their import status, oldest first."""
    return scope(
        user, EvidenceItem.objects.filter(investigation=investigation).select_related("imported_by"), Action.VIEW
    ).order_by("imported_at", "id")


def message_count(*, user, investigation: Investigation) -> int:
    return scope(user, Message.objects.filter(investigation=investigation), Action.VIEW).count()


def latest_index_rebuild(*, user, investigation: Investigation) -> IndexRebuild | None:
    """The investigation's most recent search-index rebuild (status and progress), if any."""
    rebuilds = IndexRebuild.objects.filter(investigation=investigation).select_related("requested_by")
    return scope(user, rebuilds, Action.VIEW).order_by("-requested_at", "-id").first()


def custody_log(*, user, investigation: Investigation, item: EvidenceItem | None = None):
    """The chain of custody of an investigation (or one of its items), oldest first."""
    events = CustodyEvent.objects.filter(investigation=investigation)
    if item is not None:
        events = events.filter(item=item)
    return scope(user, events.select_related("actor"), Action.VIEW).order_by("at", "id")


def item_get(*, caller: Caller, pk: int, custody: bool = True) -> EvidenceItem:
    """An evidence item the user may see, or 404. Viewing it is a custody event."""
    item = _get_or_404_denials_audited(
        caller=caller,
        queryset=EvidenceItem.objects.select_related("investigation", "imported_by"),
        pk=pk,
        purpose="view" if custody else "progress",
    )
    if custody:
        record_custody(
            caller=caller, investigation=item.investigation, item=item, action=CustodyAction.VIEW, details={}
        )
    return item


def message_get(*, user, pk: int) -> Message:
    return get_or_404(user, Message.objects.select_related("item"), Action.VIEW, pk=pk)


def context_of(message: Message, n: int = 2) -> tuple[list[Message], list[Message]]:
    """The n messages before and after `message` in its conversation, from the same item."""
    return contexts([message], n)[message.pk]


def contexts(messages: list[Message], n: int = 2) -> dict[int, tuple[list[Message], list[Message]]]:
    """For each message, the n before and after it in its conversation: one query for them all.

    Context comes from the same evidence item as the message, which the caller has already
    seen through the policy (everything in an item follows its investigation)."""
    if n <= 0 or not messages:
        return {m.pk: ([], []) for m in messages}
    seqs: dict[tuple[int, str], set[int]] = defaultdict(set)  # per conversation: the places wanted
    for m in messages:
        seqs[(m.item_id, m.conversation)].update(range(max(1, m.seq - n), m.seq + n + 1))
    wanted = Q()
    for (item_id, conversation), places in seqs.items():
        wanted |= Q(item_id=item_id, conversation=conversation, seq__in=sorted(places))
    nearby: dict[tuple[int, str], dict[int, Message]] = defaultdict(dict)
    # No ORDER BY: the default (item, position) would steer the planner off the (item,
    # conversation, seq) index into reading every message of the item.
    for other in Message.objects.filter(wanted).order_by():
        nearby[(other.item_id, other.conversation)][other.seq] = other
    out = {}
    for m in messages:
        around = nearby[(m.item_id, m.conversation)]
        before = [around[s] for s in range(m.seq - n, m.seq) if s in around]
        after = [around[s] for s in range(m.seq + 1, m.seq + n + 1) if s in around]
        out[m.pk] = (before, after)
    return out


@dataclass
class Hit:
    message: Message
    before: list[Message]
    after: list[Message]
    families: list[str] = field(default_factory=list)


@dataclass
class SearchResults:
    total: int
    hits: list[Hit]


def search(
    *,
    caller: Caller,
    investigation: Investigation,
    words: str = "",
    participant: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    context: int = 2,
    limit: int = 50,
    offset: int = 0,
) -> SearchResults:
    """Full-text search of an investigation's messages, each hit with its context. Logged with its terms."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(date_from, time.min, tzinfo=tz) if date_from else None
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=tz) if date_to else None
    found = search_index.search(
        investigation.pk,
        words=words,
        participant=participant,
        date_from=start,
        date_to=end,
        limit=limit,
        offset=offset,
    )
    visible = scope(caller.user, Message.objects.select_related("item"), Action.VIEW)
    by_id = {m.pk: m for m in visible.filter(pk__in=found.message_ids, investigation=investigation)}
    families = defaultdict(list)
    for flag in IndicatorFlag.objects.filter(message_id__in=list(by_id)).values("message_id", "family"):
        families[flag["message_id"]].append(flag["family"])
    around = contexts(list(by_id.values()), context)
    hits = [Hit(by_id[pk], *around[pk], families[pk]) for pk in found.message_ids if pk in by_id]
    record_custody(
        caller=caller,
        investigation=investigation,
        item=None,
        action=CustodyAction.SEARCH,
        details={
            "words": words,
            "participant": participant,
            "date_from": date_from,
            "date_to": date_to,
            "results": found.total,
        },
    )
    return SearchResults(found.total, hits)


def conversations(*, user, investigation: Investigation):
    """Each conversation of each item: how many messages, first and last (from the tallies)."""
    return (
        scope(user, MessageTally.objects.filter(investigation=investigation), Action.VIEW)
        .values("item_id", "item__description", "conversation")
        .annotate(messages=Sum("messages"), first=Min("first_at"), last=Max("last_at"))
        .order_by("item_id", "conversation")
    )


def conversation_page(
    *, caller: Caller, item: EvidenceItem, conversation: str, around: int | None = None, size: int = 100, after: int = 0
):
    """A window of a conversation: around a message (centred on it) or after a place (seq) in it."""
    messages = Message.objects.filter(item=item, conversation=conversation).prefetch_related("flags")
    anchor = messages.filter(pk=around).first() if around is not None else None
    if anchor is not None:
        first = max(1, anchor.seq - size // 2)
        page = list(messages.filter(seq__gte=first, seq__lt=first + size).order_by("seq"))
    else:
        page = list(messages.filter(seq__gt=after).order_by("seq")[:size])
    record_custody(
        caller=caller,
        investigation=item.investigation,
        item=item,
        action=CustodyAction.VIEW,
        details={"conversation": conversation, "around": around, "after": after, "shown": len(page)},
    )
    has_more = bool(page) and messages.filter(seq__gt=page[-1].seq).exists()
    return page, has_more


@dataclass
class RankedConversation:
    item_id: int
    item_description: str
    conversation: str
    score: int
    flags: int
    families: list[str]
    first: datetime
    last: datetime


def ranked_conversations(*, user, investigation: Investigation) -> list[RankedConversation]:
    """Conversations to review first: the more (and weightier) indicator families, the higher.
    Breadth across families counts more than repetition of one, as grooming moves through stages."""
    weights = Indicators.load().weights
    flags = scope(user, IndicatorFlag.objects.filter(investigation=investigation), Action.VIEW)
    rows = flags.values("item_id", "item__description", "conversation", "family").annotate(
        n=Count("id"), first=Min("sent_at"), last=Max("sent_at")
    )
    grouped: dict[tuple, dict] = {}
    for row in rows:
        key = (row["item_id"], row["conversation"])
        entry = grouped.setdefault(
            key,
            {"desc": row["item__description"], "families": [], "flags": 0, "first": row["first"], "last": row["last"]},
        )
        entry["families"].append(row["family"])
        entry["flags"] += row["n"]
        entry["first"] = min(entry["first"], row["first"])
        entry["last"] = max(entry["last"], row["last"])
    ranked = [
        RankedConversation(
            item_id=key[0],
            item_description=entry["desc"],
            conversation=key[1],
            score=10 * sum(weights.get(f, 1) for f in entry["families"]) + min(entry["flags"], 50),
            flags=entry["flags"],
            families=sorted(entry["families"]),
            first=entry["first"],
            last=entry["last"],
        )
        for key, entry in grouped.items()
    ]
    return sorted(ranked, key=lambda r: (-r.score, r.conversation))


def indicator_timeline(*, item: EvidenceItem, conversation: str):
    """Per conversation, the flags in time order: the progression through the families."""
    return list(
        IndicatorFlag.objects.filter(item=item, conversation=conversation)
        .select_related("message")
        .order_by("sent_at", "message_id")
    )


def conversation_flags(*, caller: Caller, item: EvidenceItem, conversation: str) -> list[IndicatorFlag]:
    """One conversation's flags in time order, each with its message: evidence content, so reading
    it is a custody event (as opening the conversation is)."""
    flags = indicator_timeline(item=item, conversation=conversation)
    record_custody(
        caller=caller,
        investigation=item.investigation,
        item=item,
        action=CustodyAction.VIEW,
        details={"conversation": conversation, "indicator_flags": len(flags)},
    )
    return flags


def flagged_messages(*, user, investigation: Investigation, family: str = "", limit: int = 200):
    flags = scope(user, IndicatorFlag.objects.filter(investigation=investigation), Action.VIEW)
    if family:
        flags = flags.filter(family=family)
    return list(flags.select_related("message", "item").order_by("sent_at")[:limit])


def participants(*, user, investigation: Investigation):
    return (
        scope(user, MessageTally.objects.filter(investigation=investigation), Action.VIEW)
        .values("sender")
        .annotate(messages=Sum("messages"), first=Min("first_at"), last=Max("last_at"))
        .order_by("-messages", "sender")
    )


def participant_activity(*, user, investigation: Investigation, participant: str) -> list[dict]:
    """Messages sent per day by one participant (days in UK local time, as tallied at import)."""
    rows = (
        scope(user, MessageTally.objects.filter(investigation=investigation, sender=participant), Action.VIEW)
        .values("day")
        .annotate(messages=Sum("messages"))
        .order_by("day")
    )
    return list(rows)


def identifiers(*, user, investigation: Investigation, kind: str = ""):
    """Distinct identifiers with how often they occur and the first message they appear in."""
    found = scope(user, ExtractedIdentifier.objects.filter(investigation=investigation), Action.VIEW)
    if kind:
        found = found.filter(kind=kind)
    rows = found.values("kind", "value").annotate(occurrences=Count("id"), first_id=Min("id")).order_by("kind", "value")
    rows = list(rows[:1000])
    firsts = {
        e.pk: e
        for e in ExtractedIdentifier.objects.filter(pk__in=[r["first_id"] for r in rows]).select_related("message")
    }
    selected = set(SelectedIdentifier.objects.filter(investigation=investigation).values_list("kind", "value"))
    for row in rows:
        row["first"] = firsts.get(row["first_id"])
        row["selected"] = (row["kind"], row["value"]) in selected
    return rows


def family_counts(*, user, investigation: Investigation) -> Counter:
    flags = scope(user, IndicatorFlag.objects.filter(investigation=investigation), Action.VIEW)
    return Counter({r["family"]: r["n"] for r in flags.values("family").annotate(n=Count("id"))})


def evidential_summary(*, caller: Caller, investigation: Investigation, context: int = 2) -> dict:
    """Everything the summary shows; each item in it gets an export custody event."""
    items = list(EvidenceItem.objects.filter(investigation=investigation).select_related("imported_by"))
    flags = flagged_messages(user=caller.user, investigation=investigation, limit=500)
    families = defaultdict(list)
    first_flags = []  # one per message, in time order
    for flag in flags:
        if flag.message_id not in families:
            first_flags.append(flag)
        families[flag.message_id].append(flag.family)
    around = contexts([flag.message for flag in first_flags], context)
    flagged = [
        {
            "message": flag.message,
            "families": families[flag.message_id],
            "before": around[flag.message_id][0],
            "after": around[flag.message_id][1],
        }
        for flag in first_flags
    ]
    selected = list(
        SelectedIdentifier.objects.filter(investigation=investigation).select_related("source__message", "selected_by")
    )
    for item in items:
        record_custody(
            caller=caller,
            investigation=investigation,
            item=item,
            action=CustodyAction.EXPORT,
            details={"export": "evidential summary", "flagged_messages": len(flagged), "identifiers": len(selected)},
        )
    if not items:
        audit_record(actor=caller.user, action=AuditAction.EXPORT, target=investigation, client_ip=caller.client_ip)
    return {
        "investigation": investigation,
        "items": items,
        "flagged": flagged,
        "selected": selected,
        "ranked": ranked_conversations(user=caller.user, investigation=investigation),
        "labels": Indicators.load().labels,
        "generated_at": timezone.now(),
        "generated_by": caller.user,
    }
