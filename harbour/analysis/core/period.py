"""The period figure: "N potential victims linked to M alleged perpetrators between dates".
Plain Python, no Django.

A pair counts when a link in the period says so directly (victim of / suspected of), or when a child
is linked to an adult of concern by a link that puts them together (found with, with while
missing, associate, contacted...). Family links do not count on their own: a parent is not an alleged
perpetrator because they are a parent. The caller passes only links the user may see, so the figure
is computed over what they may see.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Pair:
    victim: str
    perpetrator: str
    day: date | None
    basis: str  # the link type that made the pair
    link_id: int | str | None = None


@dataclass
class PeriodFigure:
    start: date
    end: date
    victims: list[str]
    perpetrators: list[str]
    pairs: list[Pair]

    @property
    def sentence(self) -> str:
        n, m = len(self.victims), len(self.perpetrators)
        return (
            f"{n} potential victim{'s' if n != 1 else ''} linked to {m} alleged perpetrator{'s' if m != 1 else ''} "
            f"between {self.start:%-d %B %Y} and {self.end:%-d %B %Y}"
        )


def figure(pairs: Iterable[Pair], *, start: date, end: date) -> PeriodFigure:
    """Distinct victims and perpetrators over the pairs dated in [start, end] (undated pairs count:
    they are undated, not out of range)."""
    kept = [p for p in pairs if p.day is None or start <= p.day <= end]
    kept.sort(key=lambda p: (p.day or date.min, p.victim, p.perpetrator))
    return PeriodFigure(
        start=start,
        end=end,
        victims=sorted({p.victim for p in kept}),
        perpetrators=sorted({p.perpetrator for p in kept}),
        pairs=kept,
    )
