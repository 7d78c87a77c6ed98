"""Repeated co-presence: an adult seen with several children, or with one child again and again.
Plain Python, no Django.

Either pattern is a recognised warning sign of exploitation (an older person around several
children, or a controlling relationship with one child). Thresholds are local policy, set here once:
3 distinct children, or the same child on 3 separate occasions.

An occasion is a day (or, for undated links, the record the link came from): the episode that found
a child with an adult and the return interview that says so again are one occasion, not two.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

# Local policy: an adult linked to this many distinct children raises an alert.
MIN_DISTINCT_CHILDREN = 3
# Local policy: an adult linked to the same child on this many occasions raises an alert.
MIN_OCCASIONS_WITH_ONE_CHILD = 3

SEVERAL_CHILDREN = "several_children"
SAME_CHILD_REPEATEDLY = "same_child_repeatedly"


@dataclass(frozen=True)
class Contact:
    """One record that puts an adult with a child."""

    adult: str
    child: str
    day: date | None = None
    source: str = ""  # the record it came from, e.g. "missing.missingepisode:12"
    link_id: int | str | None = None

    @property
    def occasion(self) -> str:
        return self.day.isoformat() if self.day else f"record:{self.source or self.link_id}"


@dataclass
class Finding:
    adult: str
    kind: str
    children: list[str]
    child: str | None = None  # for SAME_CHILD_REPEATEDLY
    occasions: int = 0
    first_seen: date | None = None
    last_seen: date | None = None
    link_ids: list = field(default_factory=list)


def _span(contacts: list[Contact]) -> tuple[date | None, date | None]:
    days = [c.day for c in contacts if c.day]
    return (min(days), max(days)) if days else (None, None)


def findings(
    contacts: Iterable[Contact],
    *,
    min_children: int = MIN_DISTINCT_CHILDREN,
    min_occasions: int = MIN_OCCASIONS_WITH_ONE_CHILD,
) -> list[Finding]:
    """Every adult over either threshold, with the children and links behind it."""
    by_adult: dict[str, list[Contact]] = defaultdict(list)
    for contact in contacts:
        if contact.adult != contact.child:
            by_adult[contact.adult].append(contact)
    found = []
    for adult in sorted(by_adult):
        mine = by_adult[adult]
        children = sorted({c.child for c in mine})
        if len(children) >= min_children:
            first, last = _span(mine)
            found.append(
                Finding(
                    adult=adult,
                    kind=SEVERAL_CHILDREN,
                    children=children,
                    occasions=len({(c.child, c.occasion) for c in mine}),
                    first_seen=first,
                    last_seen=last,
                    link_ids=sorted({c.link_id for c in mine if c.link_id is not None}, key=str),
                )
            )
        by_child: dict[str, list[Contact]] = defaultdict(list)
        for contact in mine:
            by_child[contact.child].append(contact)
        for child in sorted(by_child):
            with_child = by_child[child]
            occasions = {c.occasion for c in with_child}
            if len(occasions) >= min_occasions:
                first, last = _span(with_child)
                found.append(
                    Finding(
                        adult=adult,
                        kind=SAME_CHILD_REPEATEDLY,
                        children=[child],
                        child=child,
                        occasions=len(occasions),
                        first_seen=first,
                        last_seen=last,
                        link_ids=sorted({c.link_id for c in with_child if c.link_id is not None}, key=str),
                    )
                )
    return found
