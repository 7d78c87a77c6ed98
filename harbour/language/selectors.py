"""Reads for the language checker: the lexicon in force, and the report (scoped to the user's agency)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Max
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from harbour.accounts.roles import Role

from .checker import Lexicon
from .models import LanguageFinding, LexiconEntry

REPORT_ROLES = frozenset({Role.SUPERVISOR, Role.ANALYST})
LEXICON_ROLES = frozenset({Role.ADMINISTRATOR})

_lock = threading.Lock()
_cached: dict = {"key": None, "lexicon": None}


def current_lexicon() -> Lexicon:
    """The default lexicon merged with the administrators' entries; recompiled only when those change.

    One small aggregate query per call tells whether the database entries changed since the last compile.
    """
    state = LexiconEntry.objects.aggregate(n=Count("id"), latest=Max("updated_at"), last_id=Max("id"))
    key = (state["n"], state["latest"], state["last_id"])
    with _lock:
        if _cached["key"] != key or _cached["lexicon"] is None:
            entries = [e.as_lexicon_data() for e in LexiconEntry.objects.all()]
            _cached["lexicon"] = Lexicon.default().with_entries(entries) if entries else Lexicon.default()
            _cached["key"] = key
        return _cached["lexicon"]


def can_see_report(user) -> bool:
    return getattr(user, "role", None) in REPORT_ROLES and user.agency_id is not None


def can_edit_lexicon(user) -> bool:
    return getattr(user, "role", None) in LEXICON_ROLES


@dataclass(frozen=True)
class ReportRow:
    team: str
    term_id: str
    term: str
    counts: list[int]  # one per month, in the report's month order
    total: int


@dataclass(frozen=True)
class Report:
    months: list[date]
    rows: list[ReportRow]
    month_totals: list[int]
    total: int
    term_totals: list[tuple[str, str, int]]  # (term id, term, count), most used first


def _month_starts(today: date, months: int) -> list[date]:
    year, month = today.year, today.month
    starts = []
    for _ in range(months):
        starts.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(starts))


def language_report(*, user, months: int = 12) -> Report:
    """Counts of flagged terms by team and month (Europe/London months) for the user's own agency only."""
    if not can_see_report(user):
        raise Http404("Not found")
    today = timezone.localdate()
    month_list = _month_starts(today, months)
    since = timezone.make_aware(datetime(month_list[0].year, month_list[0].month, 1))
    rows = (
        LanguageFinding.objects.filter(agency_id=user.agency_id, created_at__gte=since)
        .annotate(month=TruncMonth("created_at", tzinfo=timezone.get_current_timezone()))
        .values("team__name", "term_id", "month")
        .annotate(n=Count("id"))
    )
    lexicon = current_lexicon()
    position = {m: i for i, m in enumerate(month_list)}
    table: dict[tuple[str, str], list[int]] = {}
    for row in rows:
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        if month not in position:
            continue
        key = (row["team__name"] or "No team", row["term_id"])
        table.setdefault(key, [0] * len(month_list))[position[month]] += row["n"]

    def term_label(term_id: str) -> str:
        entry = lexicon.entry(term_id)
        return entry.term if entry else term_id

    report_rows = [
        ReportRow(team=team, term_id=term_id, term=term_label(term_id), counts=counts, total=sum(counts))
        for (team, term_id), counts in sorted(table.items(), key=lambda item: (item[0][0], -sum(item[1]), item[0][1]))
    ]
    month_totals = [sum(r.counts[i] for r in report_rows) for i in range(len(month_list))]
    by_term: dict[str, int] = {}
    for r in report_rows:
        by_term[r.term_id] = by_term.get(r.term_id, 0) + r.total
    term_totals = sorted(((t, term_label(t), n) for t, n in by_term.items()), key=lambda x: (-x[2], x[0]))
    return Report(month_list, report_rows, month_totals, sum(month_totals), term_totals)


def lexicon_overview(*, user) -> list[dict]:
    """Every entry in force or switched off, default and added, for the administrators' screen."""
    if not can_edit_lexicon(user):
        raise Http404("Not found")
    default = Lexicon.default()
    stored = {e.term_id: e for e in LexiconEntry.objects.select_related("updated_by")}
    items = []
    for entry in default.entries:
        override = stored.pop(entry.id, None)
        items.append(
            {
                "term_id": entry.id,
                "term": override.term if override else entry.term,
                "category": override.get_category_display() if override else _category(entry.category),
                "source": "Changed" if override else "Default",
                "active": override.is_active if override else True,
                "stored": override,
            }
        )
    for stored_entry in stored.values():
        items.append(
            {
                "term_id": stored_entry.term_id,
                "term": stored_entry.term,
                "category": stored_entry.get_category_display(),
                "source": "Added",
                "active": stored_entry.is_active,
                "stored": stored_entry,
            }
        )
    return sorted(items, key=lambda i: i["term_id"])


def _category(code: str) -> str:
    from .checker import CATEGORIES

    return CATEGORIES.get(code, code)
