"""The scrutiny figures: each a table of counts over only the records the user may count.

Every figure starts from `scope(user, ..., COUNT)`, so a partner counts only what it may see, a
manager counts their agency's records without seeing one (ADR 0012), and a restricted record never
reaches a count of someone not named on it. Each table is declared once (TABLES) and the same
declaration answers both "how many?" (one grouped query per source) and "which records?" (the
drill-down, with `scope(user, ..., VIEW)`), so the list behind a figure always matches the figure.

A table is rows by columns:
- rows are a dimension of one source (`Dim`: an expression giving each record a key), or a list of
  `RowSpec`s each counting its own source (and optionally split by a column dimension);
- columns are a dimension, a list of `Col`s each counting its own source (or summing a measure), or
  one "Number" column.
"""

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, TruncDate
from django.utils import timezone

from harbour.access.policy import Action, scope
from harbour.accounts.models import Agency, Team
from harbour.disruption import law as disruption_law
from harbour.disruption.models import IN_FORCE, Breach, DisruptionOrder, OrderStatus
from harbour.language.models import LanguageFinding
from harbour.mace.models import Action as MaceAction
from harbour.mace.models import ActionStatus
from harbour.missing.models import (
    Category,
    EpisodeAction,
    EpisodeStatus,
    MissingEpisode,
    PoliceProtection,
    ReturnHomeInterview,
    RhiResponse,
    RiskGrade,
    RiskGrading,
)
from harbour.people.models import NOT_ASKED, NOT_KNOWN, CareHome, Note, Person, PersonKind, Placement, Sex, YesNoUnknown
from harbour.risk import constants as risk_constants
from harbour.risk.models import Assessment, AssessmentStatus, IndicatorSet, Screening

from .periods import LONDON, Period
from .suppression import Cell, SuppressedTable, suppress

REPEAT_MISSING = 3  # episodes in the period that make a child "repeat missing"
ALL = "*"  # a drill-down key meaning "every row" or "every column" (a total)
NONE = "none"  # the key of "not recorded" rows found in the data (no provider, no team...)


# --- What a figure is computed for -----------------------------------------------------------------


@dataclass
class Ctx:
    """One report's question: whose figures (user), for which period, counted or listed (action).

    `cache` keeps what is computed in Python once per report (the period figure, the network groups).
    """

    user: object
    period: Period
    action: Action = Action.COUNT
    cache: dict = field(default_factory=dict)

    @cached_property
    def as_at(self) -> datetime:
        """The moment "at the end of the period" figures are read at: the period's end, or now."""
        return min(self.period.until, timezone.now())

    @property
    def as_at_date(self):
        return timezone.localtime(self.as_at, LONDON).date()

    def scoped(self, queryset: QuerySet) -> QuerySet:
        return scope(self.user, queryset, self.action)

    def once(self, key: str, compute: Callable[[], object]):
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]


# --- Sources: the records each figure counts, already scoped and in the period ----------------------


@dataclass
class Source:
    """The records a figure counts. `child` is the path from a record to the child (for breakdowns
    by the child's agency, team or area); `at` the field giving its date (for the care-home breakdown)."""

    build: Callable[[Ctx], QuerySet]
    child: str | None = "child__"
    at: str | None = None


def _in_period(ctx: Ctx, field_name: str) -> Q:
    return Q(**{f"{field_name}__gte": ctx.period.since, f"{field_name}__lt": ctx.period.until})


def _on_days(ctx: Ctx, field_name: str) -> Q:
    """A date field (a London day) in the period."""
    return Q(**{f"{field_name}__gte": ctx.period.start, f"{field_name}__lt": ctx.period.end})


def episodes(ctx: Ctx) -> QuerySet:
    """Episodes reported in the period."""
    return ctx.scoped(MissingEpisode.objects.all()).filter(_in_period(ctx, "reported_at"))


def closed_episodes(ctx: Ctx) -> QuerySet:
    return episodes(ctx).filter(status=EpisodeStatus.CLOSED)


def children_missing(ctx: Ctx) -> QuerySet:
    """Children (that the user may count) with an episode reported in the period."""
    return ctx.scoped(Person.objects.all()).filter(pk__in=episodes(ctx).values("child_id"))


def repeat_children(ctx: Ctx) -> QuerySet:
    repeaters = (
        episodes(ctx)
        .order_by()
        .values("child_id")
        .annotate(n=Count("id"))
        .filter(n__gte=REPEAT_MISSING)
        .values("child_id")
    )
    return ctx.scoped(Person.objects.all()).filter(pk__in=repeaters)


def interviews_due(ctx: Ctx) -> QuerySet:
    """Return home interviews falling due (72 hours after the return) in the period."""
    return ctx.scoped(ReturnHomeInterview.objects.all()).filter(_in_period(ctx, "due_at"))


def protections(ctx: Ctx) -> QuerySet:
    """Police protection cases begun in the period."""
    return ctx.scoped(PoliceProtection.objects.all()).filter(_in_period(ctx, "taken_at"))


# Exploitation: the records that set a child's level at the end of the period (see risk.selectors
# current_records: the newest screening and signed-off assessment not yet replaced).


def _current_at(ctx: Ctx, model) -> Q:
    if model is Assessment:
        made = Q(status=AssessmentStatus.SIGNED_OFF, signed_off_at__lt=ctx.as_at)
    else:
        made = Q(created_at__lt=ctx.as_at)
    return made & (Q(superseded_at__isnull=True) | Q(superseded_at__gte=ctx.as_at))


def current_screenings(ctx: Ctx) -> QuerySet:
    return ctx.scoped(Screening.objects.all()).filter(_current_at(ctx, Screening))


def current_assessments(ctx: Ctx) -> QuerySet:
    return ctx.scoped(Assessment.objects.all()).filter(_current_at(ctx, Assessment))


def _level_rank(ctx: Ctx):
    """A record's level as it stood at the end of the period (a judgement made later raised it later)."""
    level = Case(When(judgement_at__gte=ctx.as_at, then=F("rule_level")), default=F("level"), output_field=CharField())
    return Case(
        *[When(Q(_level=code), then=Value(rank)) for rank, code in enumerate(risk_constants.LEVELS)],
        default=Value(-1),
        output_field=IntegerField(),
    ), level


def _highest_rank(ctx: Ctx, model):
    """The highest level among one child's current records of one kind. Read per child already in
    scope: risk records follow the child for access (risk.access_rules), so the child's scope is
    theirs, and asking the policy again inside this per-child subquery would only make the database
    work it out again for every child."""
    rank, level = _level_rank(ctx)
    ranked = (
        model.objects.filter(_current_at(ctx, model), child=OuterRef("pk"))
        .annotate(_level=level, _rank=rank)
        .order_by("-_rank")
    )
    return Coalesce(Subquery(ranked.values("_rank")[:1]), Value(-1), output_field=IntegerField())


def children_assessed(ctx: Ctx) -> QuerySet:
    """Children with a current screening or signed-off assessment at the end of the period."""
    return (
        ctx.scoped(Person.objects.filter(kind=PersonKind.CHILD))
        .filter(
            Q(pk__in=current_screenings(ctx).values("child_id")) | Q(pk__in=current_assessments(ctx).values("child_id"))
        )
        .annotate(_level_rank=Greatest(_highest_rank(ctx, Screening), _highest_rank(ctx, Assessment)))
    )


def _of_type(code: str) -> Callable[[Ctx], Q]:
    """Children whose current records name this exploitation type (codes are slugs, stored in a JSON
    list). Used on children already in scope (children_assessed), whose records follow them."""

    def where(ctx: Ctx) -> Q:
        def named(model):
            records = model.objects.filter(_current_at(ctx, model))
            return records.annotate(_types=Cast("exploitation_types", TextField())).filter(_types__contains=f'"{code}"')

        return Q(pk__in=named(Screening).values("child_id")) | Q(pk__in=named(Assessment).values("child_id"))

    return where


# Victims and perpetrators: the analysis app's period figure and network groups, over the links
# the user may count (or see, for a drill-down). Computed once per report.


def _period_pairs(ctx: Ctx):
    from harbour.analysis.selectors import period_pairs

    return ctx.once(
        "pairs",
        lambda: period_pairs(user=ctx.user, start=ctx.period.start, end=ctx.period.last_day, action=ctx.action)[0],
    )


def victims(ctx: Ctx) -> QuerySet:
    ids = [int(v) for v in _period_pairs(ctx).victims]
    return ctx.scoped(Person.objects.all()).filter(pk__in=ids)


def perpetrators(ctx: Ctx) -> QuerySet:
    ids = [int(p) for p in _period_pairs(ctx).perpetrators]
    return ctx.scoped(Person.objects.all()).filter(pk__in=ids)


def network_groups(ctx: Ctx) -> list:
    """Groups that may be organised networks: groups of three or more (people, places, phones...)
    over the links in the period, holding at least one child and at least one adult of concern."""
    from harbour.analysis.selectors import network_analysis

    def compute():
        result, _, _ = network_analysis(
            user=ctx.user, start=ctx.period.start, end=ctx.period.last_day, action=ctx.action
        )
        return [g for g in result.groups if g.of_kind("child") and g.of_kind("adult")]

    return ctx.once("networks", compute)


def _group_people(ctx: Ctx, kind: str) -> list[int]:
    return sorted({int(k.split(":")[1]) for g in network_groups(ctx) for k in g.of_kind(kind)})


def network_children(ctx: Ctx) -> QuerySet:
    return ctx.scoped(Person.objects.all()).filter(pk__in=_group_people(ctx, "child"))


def network_adults(ctx: Ctx) -> QuerySet:
    return ctx.scoped(Person.objects.all()).filter(pk__in=_group_people(ctx, "adult"))


def orders(ctx: Ctx) -> QuerySet:
    """Orders and notices applied for, or granted or issued, in the period (or recorded in it, when
    neither date is known yet: one being considered)."""
    undated = Q(applied_on__isnull=True, granted_on__isnull=True) & _in_period(ctx, "created_at")
    return ctx.scoped(DisruptionOrder.objects.all()).filter(
        _on_days(ctx, "applied_on") | _on_days(ctx, "granted_on") | undated
    )


def breaches(ctx: Ctx) -> QuerySet:
    return ctx.scoped(Breach.objects.all()).filter(_on_days(ctx, "occurred_on"))


def mace_actions(ctx: Ctx) -> QuerySet:
    """Actions agreed at MACE meetings held in the period."""
    return ctx.scoped(MaceAction.objects.all()).filter(_in_period(ctx, "meeting__held_at"))


def notes_written(ctx: Ctx) -> QuerySet:
    """Case notes written in the period, each with the number of flagged terms found when it was saved."""
    note_type = ContentType.objects.get_for_model(Note)
    found = (
        LanguageFinding.objects.filter(content_type=note_type, object_id=Cast(OuterRef("pk"), CharField()))
        .order_by()
        .values("content_type")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        ctx.scoped(Note.objects.all())
        .filter(_in_period(ctx, "created_at"))
        .annotate(_terms=Coalesce(Subquery(found[:1]), Value(0), output_field=IntegerField()))
    )


SOURCES: dict[str, Source] = {
    "episodes": Source(episodes, at="reported_at"),
    "closed_episodes": Source(closed_episodes, at="reported_at"),
    "children_missing": Source(children_missing, child=""),
    "repeat_children": Source(repeat_children, child=""),
    "interviews_due": Source(interviews_due, at="returned_at"),
    "protections": Source(protections, at="taken_at"),
    "current_screenings": Source(current_screenings),
    "current_assessments": Source(current_assessments),
    "children_assessed": Source(children_assessed, child=""),
    "victims": Source(victims, child=""),
    "perpetrators": Source(perpetrators, child=None),
    "network_children": Source(network_children, child=""),
    "network_adults": Source(network_adults, child=None),
    "orders": Source(orders, child=None),
    "breaches": Source(breaches, child=None),
    "mace_actions": Source(mace_actions, child=None),
    "notes_written": Source(notes_written, child="person__"),
}


# --- Dimensions: an expression giving each record a key, and the keys in order ---------------------


@dataclass
class Dim:
    expr: Callable[..., object]  # (ctx) or (ctx, source): built per call, some depend on the period or clock
    choices: Callable[[Ctx], list[tuple[str, str]]] | list[tuple[str, str]] | None = None
    label: Callable[[str], str] | None = None  # for keys found in the data (choices=None)
    per_source: bool = False  # expr takes (ctx, source): a breakdown that follows each source to the child

    def expression(self, ctx: Ctx, source: Source):
        return self.expr(ctx, source) if self.per_source else self.expr(ctx)

    def keys(self, ctx: Ctx, found: set[str]) -> list[tuple[str, str]]:
        if self.choices is None:
            return sorted(((k, self.label(k)) for k in found), key=lambda kv: (kv[0] == NONE, kv[1]))
        return self.choices(ctx) if callable(self.choices) else list(self.choices)


def _latest_grade(ctx):
    latest = RiskGrading.objects.filter(episode=OuterRef("pk")).order_by("-graded_at", "-id").values("grade")[:1]
    return Coalesce(Subquery(latest), Value("not_graded"), output_field=CharField())


def _answer(recorded: Q, not_said: Q):
    return Case(
        When(recorded, then=Value("recorded")),
        When(not_said, then=Value("not_said")),
        default=Value("not_recorded"),
        output_field=CharField(),
    )


def _where(ctx):
    return _answer(Q(found_where__isnull=False), Q(where_not_said=True))


def _with_whom(ctx):
    through = MissingEpisode.found_with.through.objects.filter(missingepisode_id=OuterRef("pk"))
    return _answer(Q(found_alone=True) | Q(Exists(through)), Q(found_with_not_said=True))


ANSWERED = [("recorded", "Recorded"), ("not_said", "Child would not say"), ("not_recorded", "Not recorded")]


def _search(ctx):
    """Field (someone went out), desk only (calls and systems checks), or no action recorded."""
    actions = EpisodeAction.objects.filter(episode=OuterRef("pk"))
    return Case(
        When(Exists(actions.filter(field_based=True)), then=Value("field")),
        When(Exists(actions), then=Value("desk_only")),
        default=Value("no_action"),
        output_field=CharField(),
    )


SEARCH_KINDS = [
    ("field", "At least one action in the field"),
    ("desk_only", "Desk-based actions only"),
    ("no_action", "No search or enquiry recorded"),
]


def _key_of(field_name: str):
    """A foreign key as a string key, "none" when empty."""

    def expr(ctx, source: Source | None = None):
        return Coalesce(Cast(F(field_name), CharField()), Value(NONE), output_field=CharField())

    return expr


def _label_from(model, none_label: str):
    def label(key: str) -> str:
        if key == NONE:
            return none_label
        record = model.objects.filter(pk=int(key)).first()
        return str(record) if record else f"{model._meta.verbose_name} {key}"

    return label


def _team_label(key: str) -> str:
    if key == NONE:
        return "No team recorded"
    team = Team.objects.filter(pk=int(key)).select_related("agency").first()
    return f"{team.name}, {team.agency.short_name}" if team else f"Team {key}"


def _rhi_outcome(ctx):
    return Case(
        When(held_at__lte=F("due_at"), then=Value("in_time")),
        When(held_at__isnull=False, then=Value("late")),
        When(response=RhiResponse.REFUSED, then=Value("refused")),
        default=Value("not_held"),
        output_field=CharField(),
    )


RHI_OUTCOMES = [
    ("in_time", "Held within 72 hours"),
    ("late", "Held late"),
    ("refused", "Refused"),
    ("not_held", "Not held"),
]


def _offered(ctx):
    return Case(When(offered_at__isnull=False, then=Value("offered")), default=Value("not_offered"))


def _in_time(ctx):
    return Case(When(held_at__lte=F("due_at"), then=Value("in_time")), default=Value("not_in_time"))


def _month_of(field_name: str):
    def expr(ctx):
        whens = [
            When(**{f"{field_name}__gte": lo, f"{field_name}__lt": hi}, then=Value(key))
            for key, _, lo, hi in ctx.period.months()
        ]
        return Case(*whens, default=Value("outside"), output_field=CharField())

    return expr


def _months(ctx):
    return [(key, label) for key, label, _, _ in ctx.period.months()]


def _place(ctx):
    return Case(When(place_is_police_station=True, then=Value("police_station")), default=Value("elsewhere"))


def _hours_used(ctx):
    """Time used of the 72 hours: by the recorded handover, else the limit if it has passed."""
    now = timezone.now()
    done = ~Q(outcome="") & Q(handed_over_at__isnull=False)
    return Case(
        When(done & Q(handed_over_at__lt=F("taken_at") + timedelta(hours=24)), then=Value("under_24")),
        When(done & Q(handed_over_at__lt=F("taken_at") + timedelta(hours=48)), then=Value("h24_48")),
        When(done & Q(handed_over_at__lte=F("taken_at") + timedelta(hours=72)), then=Value("h48_72")),
        When(done, then=Value("over_72")),
        When(ends_at__lte=now, then=Value("no_handover")),
        default=Value("ongoing"),
        output_field=CharField(),
    )


HOURS_BANDS = [
    ("under_24", "Under 24 hours"),
    ("h24_48", "24 to 48 hours"),
    ("h48_72", "48 to 72 hours"),
    ("over_72", "Over 72 hours (handover recorded late)"),
    ("no_handover", "72 hours passed, no handover recorded"),
    ("ongoing", "Still in police protection"),
]


def _gap(field_name):
    def expr(ctx):
        return Case(
            When(**{field_name: NOT_KNOWN}, then=Value(NOT_KNOWN)),
            When(**{field_name: NOT_ASKED}, then=Value(NOT_ASKED)),
            default=Value("recorded"),
            output_field=CharField(),
        )

    return expr


GAP = [("recorded", "Recorded"), (NOT_KNOWN, "Not known"), (NOT_ASKED, "Not asked")]

ETHNIC_GROUPS = [
    ("asian", "Asian or Asian British"),
    ("black", "Black, Black British, Caribbean or African"),
    ("mixed", "Mixed or multiple ethnic groups"),
    ("white", "White"),
    ("other", "Other ethnic group"),
    ("prefer_not_to_say", "Prefers not to say"),
    (NOT_KNOWN, "Not known"),
    (NOT_ASKED, "Not asked"),
]


def _ethnic_group(ctx):
    whens = [When(ethnicity__startswith=f"{g}_", then=Value(g)) for g in ("asian", "black", "mixed", "white", "other")]
    return Case(*whens, default=F("ethnicity"), output_field=CharField())


def _field(name):
    return lambda ctx: F(name)


def _level(ctx):
    whens = [When(_level_rank=rank, then=Value(code)) for rank, code in enumerate(risk_constants.LEVELS)]
    return Case(*whens, default=Value("not_recorded"), output_field=CharField())


LEVELS_HIGH_FIRST = [(code, risk_constants.LEVEL_LABELS[code]) for code in reversed(risk_constants.LEVELS)]


def exploitation_types() -> list[tuple[str, str]]:
    """Exploitation types named in the indicator sets in use (newest label wins), CSE first."""
    types: dict[str, str] = {}
    for indicator_set in IndicatorSet.objects.order_by("effective_from", "id"):
        types.update(indicator_set.spec.type_labels())
    return sorted(types.items(), key=lambda kv: (kv[0] != "cse", kv[0] not in ("cce", "county_lines"), kv[1]))


def _review(ctx):
    return Case(
        When(review_due__isnull=True, then=Value("no_date")),
        When(review_due__lt=ctx.as_at_date, then=Value("overdue")),
        default=Value("in_date"),
        output_field=CharField(),
    )


REVIEW_STATES = [("overdue", "Review overdue"), ("in_date", "Review not yet due"), ("no_date", "No review date")]


def _order_status(ctx):
    """The status today, a lapsed end date read as expired (as DisruptionOrder.effective_status)."""
    now = timezone.now()
    return Case(
        When(status__in=list(IN_FORCE), expires_at__lte=now, then=Value(OrderStatus.EXPIRED.value)),
        default=F("status"),
        output_field=CharField(),
    )


TOOL_LABELS = dict(disruption_law.TOOL_CHOICES)


def _tool_label(key: str) -> str:
    return TOOL_LABELS.get(key, key)


def _action_state(ctx):
    done_by_then = Q(status=ActionStatus.DONE, done_at__lt=ctx.as_at)
    return Case(
        When(done_by_then, then=Value("done")),
        When(due_on__lt=ctx.as_at_date, then=Value("overdue")),
        default=Value("open"),
        output_field=CharField(),
    )


ACTION_STATES = [("done", "Done"), ("open", "Open, not yet due"), ("overdue", "Open and overdue")]


# Breakdowns: the same figures split by the child's agency, team, area, or the care home the child
# lived in on the day (episodes, interviews, police protection).


def _via(source: Source, field_name: str) -> str:
    return f"{source.child}{field_name}"


def _child_key(field_name: str):
    def expr(ctx, source: Source):
        if source.child is None:
            return Value(NONE, output_field=CharField())
        return Coalesce(Cast(F(_via(source, field_name)), CharField()), Value(NONE), output_field=CharField())

    return expr


def _care_home_on_the_day(ctx, source: Source):
    if source.child is None or source.at is None:
        return Value(NONE, output_field=CharField())
    day = TruncDate(Cast(OuterRef(source.at), DateTimeField()), tzinfo=LONDON)
    placed = (
        Placement.objects.filter(person=OuterRef(_via(source, "id")), care_home__isnull=False, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .order_by("-start_date", "-id")
        .values("care_home_id")[:1]
    )
    return Coalesce(Cast(Subquery(placed), CharField()), Value(NONE), output_field=CharField())


@dataclass(frozen=True)
class Breakdown:
    key: str
    label: str
    row_header: str
    dim: Dim
    columns: tuple[str, ...]


CHILD_COLUMNS = ("episodes", "children", "repeat", "rhi_due", "rhi_in_time", "protections", "at_risk")
EVENT_COLUMNS = ("episodes", "absent", "rhi_due", "rhi_in_time", "protections")

BREAKDOWNS = {
    b.key: b
    for b in (
        Breakdown(
            "agency",
            "Agency holding the child's record",
            "Agency",
            Dim(_child_key("owning_agency_id"), None, _label_from(Agency, "No agency"), per_source=True),
            CHILD_COLUMNS,
        ),
        Breakdown(
            "team",
            "Team holding the child's record",
            "Team",
            Dim(_child_key("owning_team_id"), None, _team_label, per_source=True),
            CHILD_COLUMNS,
        ),
        Breakdown(
            "area",
            "Area (the local authority where the child lives)",
            "Area",
            Dim(_child_key("host_authority_id"), None, _label_from(Agency, "Area not recorded"), per_source=True),
            CHILD_COLUMNS,
        ),
        Breakdown(
            "care_home",
            "Care home the child lived in on the day",
            "Care home",
            Dim(_care_home_on_the_day, None, _label_from(CareHome, "Not in a care home"), per_source=True),
            EVENT_COLUMNS,
        ),
    )
}


# --- Tables ------------------------------------------------------------------------------------------


@dataclass
class RowSpec:
    """A row with its own source (and, if the table has columns, the table's column dimension).

    `where` narrows the source for this row; `value` makes a row that counts something that is not a
    record (groups of people), which has no records behind it to drill into.
    """

    key: str
    label: str
    source: str = ""
    col: Dim | None = None
    where: Callable[[Ctx], Q] | None = None
    value: Callable[[Ctx], int] | None = None


@dataclass
class Col:
    """A column with its own source, optionally narrowed (`where`) or summing a measure (`total`)."""

    key: str
    label: str
    source: str
    where: Callable[[Ctx], Q] | None = None
    total: str | None = None  # an annotation of the source to add up, instead of counting records
    distinct: str | None = None  # a field to count distinct values of (the children of episodes)

    @property
    def drillable(self) -> bool:
        """A sum has no records behind it; distinct values of a field do (the records they name)."""
        return self.total is None


@dataclass
class Rate:
    """A derived column: numerator per `per` of denominator, shown only when both are shown."""

    key: str
    label: str
    numerator: str
    denominator: str
    per: int = 1000


@dataclass
class TableSpec:
    key: str
    section: str
    title: str
    about: str
    source: str = ""
    rows: Dim | list[RowSpec] | None = None
    cols: Dim | list[Col] | None = None
    row_totals: bool = True
    col_totals: bool = True
    row_header: str = ""
    total_label: str = "Total"
    col_label: str = "Number"  # the one column's heading when a table has no column dimension
    rate: Rate | None = None

    def col_drillable(self, col_key: str) -> bool:
        if isinstance(self.cols, list):
            return any(c.key == col_key and c.drillable for c in self.cols) or col_key == ALL
        return True

    def row_drillable(self, row_key: str) -> bool:
        if isinstance(self.rows, list):
            return any(r.key == row_key and r.value is None for r in self.rows)
        return True


@dataclass
class RateCell:
    """A rate shown beside the counts: hidden when either count it comes from is hidden."""

    value: float | None
    suppressed: bool = False
    secondary: bool = False

    @property
    def display(self) -> str:
        if self.suppressed:
            return "[hidden]"
        return "no notes" if self.value is None else f"{self.value:,.1f}"

    @property
    def public(self):
        return None if self.suppressed or self.value is None else round(self.value, 1)


@dataclass
class Table:
    spec: TableSpec
    rows: list[tuple[str, str]]
    cols: list[tuple[str, str]]
    values: list[list[int]]
    suppressed: SuppressedTable = field(repr=False, default=None)

    def __post_init__(self):
        self.suppressed = suppress(self.values, row_totals=self.spec.row_totals, col_totals=self.spec.col_totals)

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def header_cols(self) -> list[tuple[str, str]]:
        """The columns as headed: the counted ones, then a rate if the table has one."""
        extra = [(self.spec.rate.key, self.spec.rate.label)] if self.spec.rate else []
        return self.cols + extra

    def _rate(self, cells: dict[str, Cell]) -> RateCell:
        rate = self.spec.rate
        num, den = cells[rate.numerator], cells[rate.denominator]
        if num.suppressed or den.suppressed:
            return RateCell(None, suppressed=True)
        return RateCell(rate.per * num.value / den.value if den.value else None)

    def lines(self):
        """(row key, row label, [(col key, cell, drillable)], row total cell or None) for templates and exports."""
        s = self.suppressed
        for i, (rk, rl) in enumerate(self.rows):
            row_drill = self.spec.row_drillable(rk)
            cells = [
                (ck, s.cells[i][j], row_drill and self.spec.col_drillable(ck)) for j, (ck, _) in enumerate(self.cols)
            ]
            if self.spec.rate:
                cells.append((self.spec.rate.key, self._rate({ck: c for ck, c, _ in cells}), False))
            yield rk, rl, cells, (s.row_totals[i] if s.row_totals else None)

    def totals(self):
        """([(col key, cell, drillable)], grand total cell or None), or None when the table has no totals row."""
        s = self.suppressed
        if not s.col_totals:
            return None
        cells = [(ck, s.col_totals[j], self.spec.col_drillable(ck)) for j, (ck, _) in enumerate(self.cols)]
        if self.spec.rate:
            cells.append((self.spec.rate.key, self._rate({ck: c for ck, c, _ in cells}), False))
        return cells, s.grand_total

    def value(self, row_key: str, col_key: str = "count") -> int:
        i = [k for k, _ in self.rows].index(row_key)
        j = [k for k, _ in self.cols].index(col_key)
        return self.values[i][j]

    def cell(self, row_key: str, col_key: str = "count") -> Cell:
        i = [k for k, _ in self.rows].index(row_key)
        j = [k for k, _ in self.cols].index(col_key)
        return self.suppressed.cells[i][j]


ONE_COL = [("count", "Number")]

SECTION_MISSING = "Missing children"
SECTION_RHI = "Return home interviews"
SECTION_PP = "Police protection"
SECTION_WHO = "Children who went missing: who they are"
SECTION_EXPLOITATION = "Exploitation"
SECTION_VP = "Victims and perpetrators"
SECTION_DISRUPTION = "Disruption and MACE"
SECTION_LANGUAGE = "Child-centred language"
SECTION_BREAKDOWN = "Breakdown"

SECTION_NOTES = {
    SECTION_EXPLOITATION: "Exploitation figures come from exploitation screenings and assessments only (CSE, CCE "
    "including county lines, online harm and the other types below). They are kept apart from other child abuse, "
    "which is not recorded as exploitation and is not counted here; child sexual exploitation is shown apart from "
    "the other types.",
    SECTION_VP: "Potential victims are children, and alleged perpetrators adults of concern, linked in the period by "
    "a link saying so (potential victim of, suspected of harming) or putting them together (found with, with while "
    "missing, associate, contacted). Family links do not count on their own. Sex, ethnicity and disability are "
    "shown for both, with the share not recorded: inquiries found these blank in a third or more of cases.",
    SECTION_LANGUAGE: "Victim-blaming and other flagged terms found by the child-centred language checker when "
    "case notes were saved, per 1,000 notes written. The notes are kept as written.",
}

VP_COLS = [Col("victims", "Potential victims", "victims"), Col("perpetrators", "Alleged perpetrators", "perpetrators")]


def _victims_and_suspects_by(key: str, what: str, rows: Dim, header: str = "", about: str = "") -> TableSpec:
    """Potential victims beside alleged perpetrators, by one of the characteristics inquiries found
    left blank (the gap is a row of its own)."""
    return TableSpec(
        key=key,
        section=SECTION_VP,
        title=f"{what} of victims and suspects",
        about=about or "Potential victims and alleged perpetrators in the period.",
        rows=rows,
        cols=[
            Col("victims", "Potential victims", "victims"),
            Col("perpetrators", "Alleged perpetrators", "perpetrators"),
        ],
        row_header=header or what,
        row_totals=False,
        total_label="People",
    )


TABLES: list[TableSpec] = [
    TableSpec(
        key="missing_headline",
        section=SECTION_MISSING,
        title="Missing episodes and children",
        about="Episodes reported in the period; children with at least one; children with "
        f"{REPEAT_MISSING} or more episodes in the period.",
        rows=[
            RowSpec("episodes", "Episodes", "episodes"),
            RowSpec("children", "Children", "children_missing"),
            RowSpec("repeat", f"Children missing {REPEAT_MISSING} or more times", "repeat_children"),
        ],
        row_totals=False,
        col_totals=False,
    ),
    TableSpec(
        key="missing_category",
        section=SECTION_MISSING,
        title="Missing and absent",
        about="Missing: whereabouts unknown. Absent: away from the placement without authorisation, whereabouts "
        "known or no apparent risk. A child with both kinds of episode is counted in each row.",
        source="episodes",
        rows=Dim(_field("category"), [(c.value, c.label.split(" (")[0]) for c in Category]),
        cols=[
            Col("episodes", "Episodes", "episodes"),
            Col("children", "Children", "episodes", distinct="child_id"),
        ],
        row_header="Category",
        row_totals=False,
        col_totals=False,
    ),
    TableSpec(
        key="missing_month",
        section=SECTION_MISSING,
        title="Episodes by month",
        about="Episodes by the month (London time) they were reported, missing and absent.",
        source="episodes",
        rows=Dim(_month_of("reported_at"), _months),
        cols=Dim(_field("category"), [(c.value, c.label.split(" (")[0]) for c in Category]),
        row_header="Month reported",
        total_label="Episodes",
    ),
    TableSpec(
        key="missing_grade_category",
        section=SECTION_MISSING,
        title="Episodes by police risk grade, missing and absent",
        about="The episode's latest police risk grade, by whether the child was missing or absent.",
        source="episodes",
        rows=Dim(_latest_grade, [*RiskGrade.choices[::-1], ("not_graded", "Not graded")]),
        cols=Dim(_field("category"), [(c.value, c.label.split(" (")[0]) for c in Category]),
        row_header="Risk grade",
    ),
    TableSpec(
        key="missing_search",
        section=SECTION_MISSING,
        title="Search and enquiries: in the field or desk only",
        about="Episodes reported in the period, by the search and enquiry actions recorded: at least one in the "
        "field, only desk-based ones (calls, systems checks), or none.",
        source="episodes",
        rows=Dim(_search, SEARCH_KINDS),
        cols=Dim(_field("category"), [(c.value, c.label.split(" (")[0]) for c in Category]),
        row_header="Actions recorded",
        total_label="Episodes",
    ),
    TableSpec(
        key="missing_closure",
        section=SECTION_MISSING,
        title="Where and with whom, recorded when the episode closed",
        about="Closed episodes reported in the period: whether where the child was, and who with, was "
        "recorded. 'Would not say' is an answer, recorded as such.",
        rows=[
            RowSpec("where", "Where the child was", "closed_episodes", Dim(_where, ANSWERED)),
            RowSpec("with_whom", "Who the child was with", "closed_episodes", Dim(_with_whom, ANSWERED)),
        ],
        cols=Dim(_where, ANSWERED),
        col_totals=False,
        total_label="Closed episodes",
    ),
    TableSpec(
        key="rhi_outcome",
        section=SECTION_RHI,
        title="Return home interviews due, by provider and outcome",
        about="Interviews falling due (72 hours after the return) in the period.",
        source="interviews_due",
        rows=Dim(_key_of("provider_id"), None, _label_from(Agency, "No provider named")),
        cols=Dim(_rhi_outcome, RHI_OUTCOMES),
        row_header="Provider",
        total_label="Due",
    ),
    TableSpec(
        key="rhi_offered",
        section=SECTION_RHI,
        title="Return home interviews offered, by provider",
        about="Interviews falling due in the period, and whether one was offered to the child.",
        source="interviews_due",
        rows=Dim(_key_of("provider_id"), None, _label_from(Agency, "No provider named")),
        cols=Dim(_offered, [("offered", "Offered"), ("not_offered", "Not offered")]),
        row_header="Provider",
        total_label="Due",
    ),
    TableSpec(
        key="rhi_compliance",
        section=SECTION_RHI,
        title="Held within 72 hours, by month due",
        about="Interviews by the month (London time) they fell due, and whether held within 72 hours.",
        source="interviews_due",
        rows=Dim(_month_of("due_at"), _months),
        cols=Dim(_in_time, [("in_time", "Held within 72 hours"), ("not_in_time", "Not held within 72 hours")]),
        row_header="Month due",
        total_label="Due",
    ),
    TableSpec(
        key="pp_place",
        section=SECTION_PP,
        title="Police protection cases and place of safety",
        about="Cases begun in the period. A police station is a place of safety only as a last resort.",
        source="protections",
        rows=Dim(_place, [("police_station", "Police station"), ("elsewhere", "Elsewhere")]),
        row_header="Place of safety",
        row_totals=False,
        total_label="Cases",
    ),
    TableSpec(
        key="pp_hours",
        section=SECTION_PP,
        title="Time used of the 72 hours",
        about="Cases begun in the period, by the time from being taken into police protection to handover.",
        source="protections",
        rows=Dim(_hours_used, HOURS_BANDS),
        row_header="Time used",
        row_totals=False,
        total_label="Cases",
    ),
    TableSpec(
        key="victims_gap",
        section=SECTION_WHO,
        title="Sex, ethnicity and disability: recorded or not",
        about="Children with an episode in the period. Inquiries found these left blank in a third or more "
        "of cases; the gap is shown, not hidden.",
        rows=[
            RowSpec("sex", "Sex", "children_missing", Dim(_gap("sex"), GAP)),
            RowSpec("ethnicity", "Ethnicity", "children_missing", Dim(_gap("ethnicity"), GAP)),
            RowSpec("disability", "Disability", "children_missing", Dim(_gap("disability"), GAP)),
        ],
        cols=Dim(_gap("sex"), GAP),
        col_totals=False,
        total_label="Children",
    ),
    TableSpec(
        key="victims_sex",
        section=SECTION_WHO,
        title="Sex",
        about="Children with an episode in the period.",
        source="children_missing",
        rows=Dim(_field("sex"), list(Sex.choices)),
        row_header="Sex",
        row_totals=False,
        total_label="Children",
    ),
    TableSpec(
        key="victims_ethnicity",
        section=SECTION_WHO,
        title="Ethnicity",
        about="Children with an episode in the period, by Census 2021 high-level group.",
        source="children_missing",
        rows=Dim(_ethnic_group, ETHNIC_GROUPS),
        row_header="Ethnic group",
        row_totals=False,
        total_label="Children",
    ),
    TableSpec(
        key="victims_disability",
        section=SECTION_WHO,
        title="Disability",
        about="Children with an episode in the period.",
        source="children_missing",
        rows=Dim(_field("disability"), list(YesNoUnknown.choices)),
        row_header="Disability",
        row_totals=False,
        total_label="Children",
    ),
    TableSpec(
        key="exploitation_level",
        section=SECTION_EXPLOITATION,
        title="Children by exploitation risk level at the end of the period",
        about="Each child's highest level from their current screening and signed-off assessment, as they stood at "
        "the end of the period (or today, if it has not ended).",
        source="children_assessed",
        rows=Dim(_level, LEVELS_HIGH_FIRST),
        row_header="Level",
        row_totals=False,
        total_label="Children screened or assessed",
    ),
    TableSpec(
        key="exploitation_type",
        section=SECTION_EXPLOITATION,
        title="Children by type of exploitation and level",
        about="A child whose current records name more than one type is counted under each, so the rows do not add "
        "up to the number of children.",
        rows=lambda ctx: [
            RowSpec(code, label, "children_assessed", Dim(_level, LEVELS_HIGH_FIRST), where=_of_type(code))
            for code, label in exploitation_types()
        ],
        cols=Dim(_level, LEVELS_HIGH_FIRST),
        col_totals=False,
        row_header="Type",
        total_label="Children",
    ),
    TableSpec(
        key="exploitation_reviews",
        section=SECTION_EXPLOITATION,
        title="Reviews of current screenings and assessments",
        about="Reviews are due at least every three months; overdue at the end of the period means the review date "
        "had passed without a newer screening or assessment.",
        rows=[
            RowSpec("screening", "Screenings", "current_screenings", Dim(_review, REVIEW_STATES)),
            RowSpec("assessment", "Signed-off assessments", "current_assessments", Dim(_review, REVIEW_STATES)),
        ],
        cols=Dim(_review, REVIEW_STATES),
        total_label="Current records",
    ),
    TableSpec(
        key="vp_headline",
        section=SECTION_VP,
        title="Potential victims linked to alleged perpetrators",
        about="Distinct people, over the links in the period. Groups that may be organised networks: groups of three "
        "or more connected people, places, phones and accounts holding at least one child and one adult of concern.",
        rows=[
            RowSpec("victims", "Potential victims", "victims"),
            RowSpec("perpetrators", "Alleged perpetrators", "perpetrators"),
            RowSpec("groups", "Groups that may be organised networks", value=lambda ctx: len(network_groups(ctx))),
            RowSpec("group_children", "Children in those groups", "network_children"),
            RowSpec("group_adults", "Adults of concern in those groups", "network_adults"),
        ],
        row_totals=False,
        col_totals=False,
    ),
    TableSpec(
        key="vp_gap",
        section=SECTION_VP,
        title="Sex, ethnicity and disability of victims and suspects: recorded or not",
        about="The gap is shown, not hidden.",
        rows=[
            RowSpec(f"{who}_{what}", f"{label}: {what}", who, Dim(_gap(what), GAP))
            for who, label in (("victims", "Potential victims"), ("perpetrators", "Alleged perpetrators"))
            for what in ("sex", "ethnicity", "disability")
        ],
        cols=Dim(_gap("sex"), GAP),
        col_totals=False,
        total_label="People",
    ),
    _victims_and_suspects_by("vp_sex", "Sex", Dim(_field("sex"), list(Sex.choices))),
    _victims_and_suspects_by(
        "vp_ethnicity",
        "Ethnicity",
        Dim(_ethnic_group, ETHNIC_GROUPS),
        "Ethnic group",
        "By Census 2021 high-level group.",
    ),
    _victims_and_suspects_by("vp_disability", "Disability", Dim(_field("disability"), list(YesNoUnknown.choices))),
    TableSpec(
        key="disruption_orders",
        section=SECTION_DISRUPTION,
        title="Orders and notices by type and status",
        about="Applied for, granted or issued in the period (or recorded, while only being considered). Status "
        "today; an order past its end date is counted as expired.",
        source="orders",
        rows=Dim(_field("tool"), None, _tool_label),
        cols=Dim(_order_status, list(OrderStatus.choices)),
        row_header="Order or notice",
        total_label="Orders",
    ),
    TableSpec(
        key="disruption_breaches",
        section=SECTION_DISRUPTION,
        title="Breaches, by order or notice",
        about="Breaches that happened in the period.",
        source="breaches",
        rows=Dim(_field("order__tool"), None, _tool_label),
        row_header="Order or notice",
        row_totals=False,
        total_label="Breaches",
    ),
    TableSpec(
        key="mace_actions",
        section=SECTION_DISRUPTION,
        title="MACE actions, open and overdue, by owning agency",
        about="Actions agreed at MACE meetings held in the period, as they stood at the end of the period.",
        source="mace_actions",
        rows=Dim(_key_of("owner_agency_id"), None, _label_from(Agency, "No agency")),
        cols=Dim(_action_state, ACTION_STATES),
        row_header="Owner's agency",
        total_label="Actions",
    ),
    TableSpec(
        key="language_month",
        section=SECTION_LANGUAGE,
        title="Flagged terms per 1,000 case notes, by month",
        about="Case notes written in the period, by the month (London time) they were written.",
        rows=Dim(_month_of("created_at"), _months),
        cols=[
            Col("notes", "Notes written", "notes_written"),
            Col("flagged", "Notes with a flagged term", "notes_written", where=lambda ctx: Q(_terms__gt=0)),
            Col("terms", "Terms found", "notes_written", total="_terms"),
        ],
        row_header="Month",
        row_totals=False,
        total_label="Period",
        rate=Rate("per_1000", "Terms per 1,000 notes", "terms", "notes"),
    ),
    TableSpec(
        key="language_team",
        section=SECTION_LANGUAGE,
        title="Flagged terms per 1,000 case notes, by team",
        about="The team of the note's author.",
        rows=Dim(_key_of("author__team_id"), None, _team_label),
        cols=[
            Col("notes", "Notes written", "notes_written"),
            Col("flagged", "Notes with a flagged term", "notes_written", where=lambda ctx: Q(_terms__gt=0)),
            Col("terms", "Terms found", "notes_written", total="_terms"),
        ],
        row_header="Team",
        row_totals=False,
        total_label="All teams",
        rate=Rate("per_1000", "Terms per 1,000 notes", "terms", "notes"),
    ),
]
SPECS = {spec.key: spec for spec in TABLES}

BREAKDOWN_COLUMNS = {
    "episodes": Col("episodes", "Episodes", "episodes"),
    "absent": Col("absent", "Of which absent", "episodes", where=lambda ctx: Q(category=Category.ABSENT)),
    "children": Col("children", "Children missing", "children_missing"),
    "repeat": Col("repeat", f"Children missing {REPEAT_MISSING}+ times", "repeat_children"),
    "rhi_due": Col("rhi_due", "Return interviews due", "interviews_due"),
    "rhi_in_time": Col(
        "rhi_in_time", "Held within 72 hours", "interviews_due", where=lambda ctx: Q(held_at__lte=F("due_at"))
    ),
    "protections": Col("protections", "Police protection cases", "protections"),
    "at_risk": Col(
        "at_risk",
        "Children at risk of exploitation",
        "children_assessed",
        where=lambda ctx: Q(_level_rank__gte=risk_constants.LEVELS.index(risk_constants.AT_RISK)),
    ),
}


def breakdown_spec(key: str) -> TableSpec:
    """The breakdown table for one way of splitting the figures (KeyError for an unknown one)."""
    b = BREAKDOWNS[key]
    return TableSpec(
        key=f"breakdown_{b.key}",
        section=SECTION_BREAKDOWN,
        title=f"By {b.label[0].lower()}{b.label[1:]}",
        about="The main figures split one way. Each record is counted in one row, so the columns add up to the "
        "totals; a column of children counts each child once, in the row of their record."
        + (
            " The care home is the one the child was placed in on the day of the episode, return or police protection."
            if b.key == "care_home"
            else ""
        ),
        rows=b.dim,
        cols=[BREAKDOWN_COLUMNS[c] for c in b.columns],
        row_header=b.row_header,
        row_totals=False,
        total_label="All",
    )


def spec_for(key: str) -> TableSpec:
    if key.startswith("breakdown_"):
        return breakdown_spec(key.removeprefix("breakdown_"))
    return SPECS[key]


# --- Computing a table --------------------------------------------------------------------------------


def _rows_of(spec: TableSpec, ctx: Ctx) -> list[RowSpec] | Dim | None:
    return spec.rows(ctx) if callable(spec.rows) and not isinstance(spec.rows, Dim) else spec.rows


def _measure(ctx: Ctx, col: Col | None = None, where=None):
    """The aggregate one cell counts: records (distinct), distinct values of a field, or a sum;
    narrowed by `where` as an aggregate filter, so several narrowings share one query."""
    condition = where(ctx) if where else None
    if col is not None and col.total:
        return Coalesce(Sum(col.total, filter=condition), Value(0))
    if col is not None and col.distinct:
        return Count(col.distinct, distinct=True, filter=condition)
    return Count("pk", distinct=True, filter=condition)


def _grouped(qs: QuerySet, ctx: Ctx, source: Source, row: Dim | None, col: Dim | None, measures: dict):
    """{(row key, col key): {measure name: number}} in one grouped query over `qs`."""
    annotations = {}
    if row is not None:
        annotations["_r"] = row.expression(ctx, source)
    if col is not None:
        annotations["_c"] = col.expression(ctx, source)
    names = list(annotations)
    if not names:
        return {("", "count"): qs.order_by().aggregate(**measures)}
    rows = qs.order_by().annotate(**annotations).values(*names).annotate(**measures)
    return {(str(r.get("_r", "")), str(r.get("_c", "count"))): {m: r[m] for m in measures} for r in rows}


def _narrowed(ctx: Ctx, source_key: str, where) -> QuerySet:
    qs = SOURCES[source_key].build(ctx)
    return qs.filter(where(ctx)) if where else qs


def _by_source(items, source_of):
    """Items grouped by the source they count, in first-seen order: one query per source."""
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(source_of(item), []).append(item)
    return groups


def compute(spec: TableSpec, user, period: Period, *, ctx: Ctx | None = None) -> Table:
    ctx = ctx or Ctx(user, period)
    rows = _rows_of(spec, ctx)
    if isinstance(spec.cols, list):  # each column its own source (and narrowing), split by the row dimension
        cols = [(c.key, c.label) for c in spec.cols]
        counts: dict[tuple[str, str], int] = {}
        for source_key, group in _by_source(spec.cols, lambda c: c.source).items():
            measures = {f"_m{i}": _measure(ctx, c, c.where) for i, c in enumerate(group)}
            grouped = _grouped(SOURCES[source_key].build(ctx), ctx, SOURCES[source_key], rows, None, measures)
            for (rk, _), found in grouped.items():
                for i, c in enumerate(group):
                    counts[(rk, c.key)] = found[f"_m{i}"]
        row_keys = rows.keys(ctx, {rk for (rk, _), n in counts.items() if n})
        values = [[counts.get((rk, ck), 0) for ck, _ in cols] for rk, _ in row_keys]
        return Table(spec, row_keys, cols, values)
    cols = spec.cols.keys(ctx, set()) if spec.cols else ONE_COL
    if isinstance(rows, list):
        row_keys = [(r.key, r.label) for r in rows]
        by_row: dict[str, list[int]] = {}
        counted = [r for r in rows if r.value is None]
        for (source_key, _), group in _by_source(counted, lambda r: (r.source, id(r.col))).items():
            measures = {f"_m{i}": _measure(ctx, where=r.where) for i, r in enumerate(group)}
            grouped = _grouped(SOURCES[source_key].build(ctx), ctx, SOURCES[source_key], None, group[0].col, measures)
            for i, r in enumerate(group):
                by_row[r.key] = [grouped.get(("", ck), {}).get(f"_m{i}", 0) for ck, _ in cols]
        values = [[r.value(ctx)] if r.value is not None else by_row[r.key] for r in rows]
        return Table(spec, row_keys, cols, values)
    source = SOURCES[spec.source]
    counts = {
        key: found["_n"]
        for key, found in _grouped(source.build(ctx), ctx, source, rows, spec.cols, {"_n": _measure(ctx)}).items()
    }
    found = {rk for rk, _ in counts}
    row_keys = rows.keys(ctx, found)
    values = [[counts.get((rk, ck), 0) for ck, _ in cols] for rk, _ in row_keys]
    return Table(spec, row_keys, cols, values)


@dataclass
class Section:
    title: str
    tables: list[Table]

    @property
    def note(self) -> str:
        return SECTION_NOTES.get(self.title, "")


@dataclass
class Report:
    period: Period
    sections: list[Section]
    breakdown: str | None = None

    @property
    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    def has(self, key: str) -> bool:
        return any(t.key == key for t in self.tables)

    @property
    def sentence(self) -> str:
        """The headline sentence, in suppressed numbers: "N potential victims linked to M alleged perpetrators"."""
        if not self.has("vp_headline"):
            return ""
        t = self.table("vp_headline")
        v, p = t.cell("victims"), t.cell("perpetrators")
        plural_v = "" if not v.suppressed and v.value == 1 else "s"
        plural_p = "" if not p.suppressed and p.value == 1 else "s"
        return (
            f"{v.display[0].upper()}{v.display[1:]} potential victim{plural_v} linked to {p.display} alleged "
            f"perpetrator{plural_p} between {self.period.start:%-d %B %Y} and {self.period.last_day:%-d %B %Y}."
        )


@contextmanager
def _without_jit():
    """PostgreSQL compiles a query it thinks costly with JIT. A report's queries are estimated costly
    (a subquery per row) but return a few groups each, so compiling costs more than it saves: measured
    on the bench, 1.9 s of a 2.1 s query. Off for the report's own read-only transaction only."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield


def build_report(user, period: Period, keys: list[str] | None = None, breakdown: str | None = None) -> Report:
    """Every figure (or those named) for the period, over what the user may count, and the breakdown
    chosen. Not audited: the caller (a view, the export, the API, the bench) audits what it shows."""
    ctx = Ctx(user, period)
    sections: dict[str, list[Table]] = {}
    specs = [spec for spec in TABLES if keys is None or spec.key in keys]
    if breakdown:
        specs.append(breakdown_spec(breakdown))
    with _without_jit():
        for spec in specs:
            sections.setdefault(spec.section, []).append(compute(spec, user, period, ctx=ctx))
    return Report(period, [Section(title, tables) for title, tables in sections.items()], breakdown)


def cell_labels(table_key: str, period: Period, row_key: str, col_key: str = ALL, *, user=None) -> tuple[str, str]:
    """The row's and column's headings for a cell, as the report prints them ("" for a total).
    Raises KeyError for a figure that does not exist."""
    spec = spec_for(table_key)
    ctx = Ctx(user, period, action=Action.VIEW)

    def label(axis, key: str) -> str:
        if key == ALL or axis is None:
            return ""
        if isinstance(axis, Dim):
            if axis.choices is None:
                return axis.label(key)
            return dict(axis.keys(ctx, set())).get(key, key)
        return next((item.label for item in axis if item.key == key), key)

    return label(_rows_of(spec, ctx), row_key), label(spec.cols, col_key)


def records_behind(user, period: Period, table_key: str, row_key: str, col_key: str = ALL) -> QuerySet:
    """The records counted in one cell (or a total, with ALL), as the user may *see* them: the same
    sources and expressions as the count, with Action.VIEW, so the list and the figure agree for a
    case worker and a manager (who sees no records) gets none. Raises KeyError for a figure that does
    not exist or has no records behind it."""
    spec = spec_for(table_key)
    ctx = Ctx(user, period, action=Action.VIEW)
    rows = _rows_of(spec, ctx)
    if isinstance(spec.cols, list):
        if col_key == ALL:
            raise KeyError("Columns of this table count different things; choose one.")
        col = next((c for c in spec.cols if c.key == col_key), None)
        if col is None or not col.drillable:
            raise KeyError(col_key)
        qs = _narrowed(ctx, col.source, col.where)
        if row_key != ALL:
            qs = qs.annotate(_r=rows.expression(ctx, SOURCES[col.source])).filter(_r=row_key)
        if col.distinct:  # the figure counts what a field names (the children of episodes): list those
            named = qs.model._meta.get_field(col.distinct.removesuffix("_id")).related_model
            return scope(user, named.objects.all(), Action.VIEW).filter(pk__in=qs.values(col.distinct))
        return qs
    if isinstance(rows, list):
        if row_key == ALL:
            raise KeyError("Rows of this table count different things; choose one.")
        row = next((r for r in rows if r.key == row_key), None)
        if row is None or row.value is not None:
            raise KeyError(row_key)
        qs = _narrowed(ctx, row.source, row.where)
        if row.col is not None and col_key != ALL:
            qs = qs.annotate(_c=row.col.expression(ctx, SOURCES[row.source])).filter(_c=col_key)
        return qs
    source = SOURCES[spec.source]
    qs = source.build(ctx)
    if row_key != ALL:
        qs = qs.annotate(_r=rows.expression(ctx, source)).filter(_r=row_key)
    if spec.cols is not None and col_key != ALL:
        qs = qs.annotate(_c=spec.cols.expression(ctx, source)).filter(_c=col_key)
    return qs
