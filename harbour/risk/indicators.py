"""Indicator sets: the indicators, their weights and the score bands, as versioned data.

An indicator set is a JSON file under indicator_sets/ (v1.json, v2.json...). A data migration loads
each version into the IndicatorSet table, pinned to its content hash, and every screening and
assessment records the version it was scored with. A published version is never edited: a change of
weights is a new file, a new migration and a new version, so past scores never change silently.

Plain Python (no Django): the scoring core and the migrations both use it.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from . import constants as c

SETS_DIR = Path(__file__).with_name("indicator_sets")


class IndicatorSetError(ValueError):
    """The indicator set content is not valid; `problems` lists each, with where it is."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("Indicator set not valid: " + "; ".join(problems))


@dataclass(frozen=True)
class ExploitationType:
    code: str
    label: str
    cce: bool = False  # a form of child criminal exploitation: the CCE limbs are recorded


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    group: str
    weight: Decimal
    significant: bool = False
    types: tuple[str, ...] = ()
    flags: frozenset[str] = frozenset()
    hint: str = ""


@dataclass(frozen=True)
class IndicatorSetSpec:
    version: str
    effective_from: date
    title: str
    timing_factors: dict[str, Decimal]
    thresholds: dict[str, Decimal]  # the lowest score for each level above 'not at risk'
    uplift_multiplier: Decimal
    uplift_minimum_points: Decimal
    types: tuple[ExploitationType, ...]
    indicators: tuple[Indicator, ...]
    by_code: dict[str, Indicator] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "by_code", {i.code: i for i in self.indicators})

    def in_group(self, group: str) -> list[Indicator]:
        return [i for i in self.indicators if i.group == group]

    def type_labels(self) -> dict[str, str]:
        return {t.code: t.label for t in self.types}

    def cce_types(self) -> frozenset[str]:
        return frozenset(t.code for t in self.types if t.cce)


def canonical(content: dict) -> str:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(content: dict) -> str:
    """SHA-256 of the canonical JSON: layout of the file does not matter, any change of data does."""
    return hashlib.sha256(canonical(content).encode("utf-8")).hexdigest()


def read_file(name: str) -> dict:
    with open(SETS_DIR / name, encoding="utf-8") as handle:
        return json.load(handle)


def available_files() -> list[str]:
    return sorted(p.name for p in SETS_DIR.glob("v*.json"))


def _decimal(value, where: str, problems: list[str]) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        problems.append(f"{where}: must be a number")
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        problems.append(f"{where}: must be a number")
        return None
    if not number.is_finite():
        problems.append(f"{where}: must be a number")
        return None
    return number


def parse(content: dict) -> IndicatorSetSpec:
    """Check an indicator set and turn it into a spec. Every problem is reported, not just the first.

    The checks keep the guidance rules from being configured away: previous indicators weigh less
    than current ones, the disability uplift really raises the score, and the bands rise in order.
    """
    problems: list[str] = []
    if not isinstance(content, dict):
        raise IndicatorSetError(["the indicator set must be a JSON object"])
    version = content.get("version")
    if not isinstance(version, str) or not version.strip() or len(version) > 20:
        problems.append('version: give a short text such as "2"')
    effective_from = None
    try:
        effective_from = date.fromisoformat(str(content.get("effective_from", "")))
    except ValueError:
        problems.append("effective_from: give a date as YYYY-MM-DD")
    title = content.get("title") or ""

    factors = {}
    raw_factors = content.get("timing_factors") or {}
    for timing in c.TIMINGS:
        factors[timing] = _decimal(raw_factors.get(timing), f"timing_factors.{timing}", problems)
    if all(factors.values()) and not (factors[c.CURRENT] > factors[c.PREVIOUS] > 0):
        problems.append("timing_factors: previous must be above 0 and weigh less than current")

    thresholds = {}
    raw_thresholds = content.get("thresholds") or {}
    for level in c.LEVELS[1:]:
        thresholds[level] = _decimal(raw_thresholds.get(level), f"thresholds.{level}", problems)
    values = [thresholds[level] for level in c.LEVELS[1:]]
    if all(v is not None for v in values) and not (0 < values[0] < values[1] < values[2]):
        problems.append("thresholds: each level must need a higher score than the one below, all above 0")

    uplift = content.get("disability_uplift") or {}
    multiplier = _decimal(uplift.get("multiplier"), "disability_uplift.multiplier", problems)
    minimum = _decimal(uplift.get("minimum_points"), "disability_uplift.minimum_points", problems)
    if multiplier is not None and multiplier <= 1:
        problems.append("disability_uplift.multiplier: must be above 1 (disability raises vulnerability)")
    if minimum is not None and minimum <= 0:
        problems.append("disability_uplift.minimum_points: must be above 0")

    types = []
    for n, raw in enumerate(content.get("exploitation_types") or []):
        code, label = raw.get("code"), raw.get("label")
        if not code or not label:
            problems.append(f"exploitation_types[{n}]: needs a code and a label")
            continue
        types.append(ExploitationType(code=code, label=label, cce=bool(raw.get("cce"))))
    type_codes = [t.code for t in types]
    if not types:
        problems.append("exploitation_types: name at least one")
    if len(set(type_codes)) != len(type_codes):
        problems.append("exploitation_types: codes must be unique")

    indicators = []
    for n, raw in enumerate(content.get("indicators") or []):
        where = f"indicators[{n}]"
        code, label, group = raw.get("code"), raw.get("label"), raw.get("group")
        if not code or not label:
            problems.append(f"{where}: needs a code and a label")
            continue
        where = f"indicators[{n}] ({code})"
        if group not in c.GROUPS:
            problems.append(f"{where}: group must be one of {', '.join(c.GROUPS)}")
        weight = _decimal(raw.get("weight"), f"{where}.weight", problems)
        if weight is not None and weight <= 0:
            problems.append(f"{where}.weight: must be above 0")
        unknown_types = set(raw.get("types") or []) - set(type_codes)
        if unknown_types:
            problems.append(f"{where}.types: unknown {sorted(unknown_types)}")
        unknown_flags = set(raw.get("flags") or []) - c.FLAGS
        if unknown_flags:
            problems.append(f"{where}.flags: unknown {sorted(unknown_flags)}")
        indicators.append(
            Indicator(
                code=code,
                label=label,
                group=group,
                weight=weight or Decimal(0),
                significant=bool(raw.get("significant")),
                types=tuple(raw.get("types") or ()),
                flags=frozenset(raw.get("flags") or ()),
                hint=raw.get("hint") or "",
            )
        )
    codes = [i.code for i in indicators]
    if len(set(codes)) != len(codes):
        problems.append("indicators: codes must be unique")
    for group in c.GROUPS:
        if not any(i.group == group for i in indicators):
            problems.append(f"indicators: name at least one in the group '{group}'")
    if problems:
        raise IndicatorSetError(problems)
    return IndicatorSetSpec(
        version=version.strip(),
        effective_from=effective_from,
        title=title,
        timing_factors=factors,
        thresholds=thresholds,
        uplift_multiplier=multiplier,
        uplift_minimum_points=minimum,
        types=tuple(types),
        indicators=tuple(indicators),
    )


def install(model, content: dict, *, expected_hash: str | None = None):
    """Store a published indicator set in `model` (the IndicatorSet model, or its historical version in
    a migration). Loading the same content again changes nothing; different content under a version
    already loaded, or content not matching the hash it was published with, is refused."""
    digest = content_hash(content)
    spec = parse(content)
    if expected_hash is not None and digest != expected_hash:
        raise IndicatorSetError(
            [
                f"version {spec.version} has changed since it was published (hash {digest}); a published "
                "indicator set is never edited: add a new version file and a migration that loads it"
            ]
        )
    existing = model.objects.filter(version=spec.version).first()
    if existing is not None:
        if existing.content_hash != digest:
            raise IndicatorSetError([f"version {spec.version} is already loaded with different content"])
        return existing
    return model.objects.create(
        version=spec.version,
        effective_from=spec.effective_from,
        title=spec.title,
        content=content,
        content_hash=digest,
    )
