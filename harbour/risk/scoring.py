"""The scoring core: answers in, an explainable score and level out. Plain Python, no Django.

Every point has a line in the explanation (indicator, timing, weight, points), and so has every
rule that moved the level: the disability uplift, the under-13 / learning-disability floor, and a
professional judgement. The weights and bands come from an indicator set (indicators.py); the rules
come from guidance (constants.py) and no indicator set can switch them off.

    result = score(spec, [AnswerIn("missing_overnight", "current")], ChildFacts(age_years=12))
    result.rule_level  # 'significant': under 13 and showing an exploitation indicator
"""

import calendar
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from . import constants as c
from .indicators import IndicatorSetSpec

CENT = Decimal("0.01")


class ScoringError(ValueError):
    """Input the rules refuse, naming the field to correct."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True)
class AnswerIn:
    indicator: str
    timing: str


@dataclass(frozen=True)
class ChildFacts:
    """What the child's record says, on the day of the assessment."""

    age_years: int | None = None
    disability_recorded: bool = False
    learning_disability_recorded: bool = False


@dataclass(frozen=True)
class Contribution:
    indicator: str
    label: str
    group: str
    timing: str
    weight: Decimal
    factor: Decimal
    points: Decimal
    significant: bool = False

    @property
    def timing_label(self) -> str:
        return c.TIMING_LABELS[self.timing]


@dataclass(frozen=True)
class Uplift:
    reason: str
    vulnerability_points: Decimal
    multiplier: Decimal
    points: Decimal


@dataclass(frozen=True)
class Result:
    version: str
    contributions: tuple[Contribution, ...]
    vulnerability_points: Decimal
    exploitation_points: Decimal
    uplift: Uplift | None
    score: Decimal
    score_level: str
    floor_level: str | None
    floor_reason: str
    rule_level: str
    explanation: tuple[str, ...]

    @property
    def drivers(self) -> list[Contribution]:
        """The contributions that weighed most, heaviest first: what the page says drove the level."""
        return sorted(self.contributions, key=lambda x: (-x.points, x.group != c.EXPLOITATION, x.label))

    def to_json(self) -> dict:
        """For storage with the record: the explanation as it was, whatever later versions say."""

        def plain(value):
            if isinstance(value, Decimal):
                return _text(value)
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list | tuple):
                return [plain(v) for v in value]
            return value

        return plain(asdict(self))


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _text(value: Decimal) -> str:
    """12.50 -> '12.5', 4.00 -> '4': figures as people write them."""
    text = format(_q(value), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _points(value: Decimal) -> str:
    return f"{_text(value)} point{'' if value == 1 else 's'}"


def level_for_score(spec: IndicatorSetSpec, points: Decimal) -> str:
    level = c.NOT_AT_RISK
    for candidate in c.LEVELS[1:]:
        if points >= spec.thresholds[candidate]:
            level = candidate
    return level


def _check_answers(spec: IndicatorSetSpec, answers) -> None:
    seen = set()
    for answer in answers:
        if answer.indicator not in spec.by_code:
            raise ScoringError("answers", f"'{answer.indicator}' is not an indicator in set {spec.version}.")
        if answer.timing not in c.TIMINGS:
            label = spec.by_code[answer.indicator].label
            raise ScoringError("answers", f"Choose current or previous for ‘{label}’.")
        if answer.indicator in seen:
            label = spec.by_code[answer.indicator].label
            raise ScoringError("answers", f"‘{label}’ is answered twice: choose current or previous once.")
        seen.add(answer.indicator)


def score(spec: IndicatorSetSpec, answers, facts: ChildFacts) -> Result:
    """Score the answers with the indicator set, then apply the guidance rules, explaining each step."""
    answers = list(answers)
    _check_answers(spec, answers)
    explanation: list[str] = []
    contributions = []
    for answer in answers:
        indicator = spec.by_code[answer.indicator]
        factor = spec.timing_factors[answer.timing]
        contributions.append(
            Contribution(
                indicator=indicator.code,
                label=indicator.label,
                group=indicator.group,
                timing=answer.timing,
                weight=indicator.weight,
                factor=factor,
                points=_q(indicator.weight * factor),
                significant=indicator.significant,
            )
        )
    contributions.sort(key=lambda x: (c.GROUPS.index(x.group), [i.code for i in spec.indicators].index(x.indicator)))
    vulnerability = sum((x.points for x in contributions if x.group == c.VULNERABILITY), Decimal(0))
    exploitation = sum((x.points for x in contributions if x.group == c.EXPLOITATION), Decimal(0))
    explanation.append(f"Vulnerabilities: {_points(vulnerability)}. Exploitation indicators: {_points(exploitation)}.")

    # Rule: disability or learning difficulty raises vulnerability.
    answered_flags = {
        flag: [spec.by_code[a.indicator].label for a in answers if flag in spec.by_code[a.indicator].flags]
        for flag in c.FLAGS
    }
    disability_sources = []
    if facts.disability_recorded:
        disability_sources.append("a disability is recorded on the child's record")
    if facts.learning_disability_recorded:
        disability_sources.append("a learning disability is recorded on the child's record")
    if answered_flags[c.FLAG_DISABILITY]:
        disability_sources.append("answered: " + ", ".join(answered_flags[c.FLAG_DISABILITY]))
    uplift = None
    if disability_sources:
        raised = _q(vulnerability * (spec.uplift_multiplier - 1))
        points = max(raised, spec.uplift_minimum_points)
        reason = (
            f"Disability or learning difficulty ({'; '.join(disability_sources)}) raises vulnerability: "
            f"+{_points(points)} (vulnerability points {_text(vulnerability)} × {_text(spec.uplift_multiplier)}, "
            f"adding at least {_points(spec.uplift_minimum_points)})."
        )
        uplift = Uplift(
            reason=reason, vulnerability_points=vulnerability, multiplier=spec.uplift_multiplier, points=points
        )
        explanation.append(reason)
    total = _q(vulnerability + exploitation + (uplift.points if uplift else 0))
    score_level = level_for_score(spec, total)
    explanation.append(f"Score {_text(total)}: {c.LEVEL_LABELS[score_level]} on indicator set {spec.version}.")

    # Rule: a child under 13 or with a learning disability showing indicators is never scored low.
    showing = [x.label for x in contributions if x.group == c.EXPLOITATION]
    floor_level, floor_reason = None, ""
    if showing:
        who = []
        if facts.age_years is not None and facts.age_years < c.FLOOR_UNDER_AGE:
            who.append(f"is under {c.FLOOR_UNDER_AGE} (age {facts.age_years})")
        if facts.learning_disability_recorded or answered_flags[c.FLAG_LEARNING_DISABILITY]:
            who.append("has a learning disability")
        if who:
            floor_level = c.FLOOR_LEVEL
            floor_reason = (
                f"The child {' and '.join(who)} and shows exploitation indicators, so the level is never below "
                f"{c.LEVEL_LABELS[c.FLOOR_LEVEL]}."
            )
            explanation.append(floor_reason)
    if facts.age_years is None and showing:
        explanation.append("The child's age is not known: the under-13 rule could not be checked.")
    rule_level = c.higher_level(score_level, floor_level) if floor_level else score_level
    if rule_level != score_level:
        explanation.append(
            f"Level raised by the rule from {c.LEVEL_LABELS[score_level]} to {c.LEVEL_LABELS[rule_level]}."
        )
    return Result(
        version=spec.version,
        contributions=tuple(contributions),
        vulnerability_points=vulnerability,
        exploitation_points=exploitation,
        uplift=uplift,
        score=total,
        score_level=score_level,
        floor_level=floor_level,
        floor_reason=floor_reason,
        rule_level=rule_level,
        explanation=tuple(explanation),
    )


def check_judgement(rule_level: str, judgement_level: str, reason: str) -> None:
    """Professional judgement may raise the level, with a written reason; it never lowers it."""
    if judgement_level not in c.LEVELS:
        raise ScoringError("judgement_level", "Choose the level your professional judgement gives.")
    if c.level_rank(judgement_level) < c.level_rank(rule_level):
        raise ScoringError(
            "judgement_level",
            f"Professional judgement cannot lower the level below {c.LEVEL_LABELS[rule_level]}, the level the "
            "indicators and rules give. Record your view in the reason, or change the answers if they are wrong.",
        )
    if c.level_rank(judgement_level) == c.level_rank(rule_level):
        raise ScoringError(
            "judgement_level", f"The level is already {c.LEVEL_LABELS[rule_level]}: choose a higher level to raise it."
        )
    if not (reason or "").strip():
        raise ScoringError("judgement_reason", "Explain why your professional judgement raises the level.")


def final_level(rule_level: str, judgement_level: str | None) -> str:
    """The level the child is at: the rule's level, or a judgement above it."""
    return c.higher_level(rule_level, judgement_level) if judgement_level else rule_level


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later, or the month's last day (31 Jan + 1 -> 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_due(level: str, assessed_on: date) -> date | None:
    """When the level must be reviewed: sooner at higher levels, never more than 3 months away."""
    after = c.REVIEW_AFTER[level]
    if after is None:
        return None
    due = assessed_on + after if isinstance(after, timedelta) else add_months(assessed_on, after)
    return min(due, add_months(assessed_on, c.MAX_REVIEW_MONTHS))
