"""The scrutiny figures: each a table of counts over only the records the user may see.

Every figure starts from `scope(user, ..., VIEW)`, so a partner counts only what it may see and a
restricted record never reaches a count (or a drill-down) of someone not named on it. Each table is
declared once (TABLES) and the same declaration answers both "how many?" (one grouped query) and
"which records?" (the drill-down), so the list behind a figure always matches the figure.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from harbour.access.policy import Action, scope
from harbour.accounts.models import Agency
from harbour.missing.models import (
    Category,
    EpisodeStatus,
    MissingEpisode,
    PoliceProtection,
    ReturnHomeInterview,
    RhiResponse,
    RiskGrade,
    RiskGrading,
)
from harbour.people.models import NOT_ASKED, NOT_KNOWN, Person, Sex, YesNoUnknown

from .periods import Period
from .suppression import SuppressedTable, suppress

REPEAT_MISSING = 3  # episodes in the period that make a child "repeat missing"
ALL = "*"  # a drill-down key meaning "every row" or "every column" (a total)


# --- Sources: the records each figure counts, already scoped and in the period ----------------------


def episodes(user, period: Period) -> QuerySet:
    """Episodes reported in the period."""
    return scope(user, MissingEpisode.objects.all(), Action.VIEW).filter(
        reported_at__gte=period.since, reported_at__lt=period.until
    )


def closed_episodes(user, period: Period) -> QuerySet:
    return episodes(user, period).filter(status=EpisodeStatus.CLOSED)


def children_missing(user, period: Period) -> QuerySet:
    """Children (that the user may see) with an episode reported in the period."""
    return scope(user, Person.objects.all(), Action.VIEW).filter(
        Exists(episodes(user, period).filter(child=OuterRef("pk")))
    )


def repeat_children(user, period: Period) -> QuerySet:
    repeaters = (
        episodes(user, period)
        .order_by()
        .values("child_id")
        .annotate(n=Count("id"))
        .filter(n__gte=REPEAT_MISSING)
        .values("child_id")
    )
    return scope(user, Person.objects.all(), Action.VIEW).filter(pk__in=repeaters)


def interviews_due(user, period: Period) -> QuerySet:
    """Return home interviews falling due (72 hours after the return) in the period."""
    return scope(user, ReturnHomeInterview.objects.all(), Action.VIEW).filter(
        due_at__gte=period.since, due_at__lt=period.until
    )


def protections(user, period: Period) -> QuerySet:
    """Police protection cases begun in the period."""
    return scope(user, PoliceProtection.objects.all(), Action.VIEW).filter(
        taken_at__gte=period.since, taken_at__lt=period.until
    )


SOURCES: dict[str, Callable[..., QuerySet]] = {
    "episodes": episodes,
    "closed_episodes": closed_episodes,
    "children_missing": children_missing,
    "repeat_children": repeat_children,
    "interviews_due": interviews_due,
    "protections": protections,
}


# --- Dimensions: an expression giving each record a key, and the keys in order ---------------------


@dataclass
class Dim:
    expr: Callable[[Period], object]  # built per call: some depend on the period or the clock
    choices: Callable[[Period], list[tuple[str, str]]] | list[tuple[str, str]] | None = None
    label: Callable[[str], str] | None = None  # for keys found in the data (choices=None)

    def keys(self, period: Period, found: set[str]) -> list[tuple[str, str]]:
        if self.choices is None:
            return sorted(((k, self.label(k)) for k in found), key=lambda kv: (kv[0] == "none", kv[1]))
        return self.choices(period) if callable(self.choices) else list(self.choices)


def _latest_grade(period):
    latest = RiskGrading.objects.filter(episode=OuterRef("pk")).order_by("-graded_at", "-id").values("grade")[:1]
    return Coalesce(Subquery(latest), Value("not_graded"), output_field=CharField())


def _answer(recorded: Q, not_said: Q):
    return Case(
        When(recorded, then=Value("recorded")),
        When(not_said, then=Value("not_said")),
        default=Value("not_recorded"),
        output_field=CharField(),
    )


def _where(period):
    return _answer(Q(found_where__isnull=False), Q(where_not_said=True))


def _with_whom(period):
    through = MissingEpisode.found_with.through.objects.filter(missingepisode_id=OuterRef("pk"))
    return _answer(Q(found_alone=True) | Q(Exists(through)), Q(found_with_not_said=True))


ANSWERED = [("recorded", "Recorded"), ("not_said", "Child would not say"), ("not_recorded", "Not recorded")]


def _provider(period):
    return Coalesce(Cast(F("provider_id"), CharField()), Value("none"), output_field=CharField())


def _provider_label(key: str) -> str:
    if key == "none":
        return "No provider named"
    agency = Agency.objects.filter(pk=int(key)).first()
    return agency.name if agency else f"Provider {key}"


def _rhi_outcome(period):
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


def _offered(period):
    return Case(When(offered_at__isnull=False, then=Value("offered")), default=Value("not_offered"))


def _in_time(period):
    return Case(When(held_at__lte=F("due_at"), then=Value("in_time")), default=Value("not_in_time"))


def _due_month(period):
    whens = [When(due_at__gte=lo, due_at__lt=hi, then=Value(key)) for key, _, lo, hi in period.months()]
    return Case(*whens, default=Value("outside"), output_field=CharField())


def _months(period):
    return [(key, label) for key, label, _, _ in period.months()]


def _place(period):
    return Case(When(place_is_police_station=True, then=Value("police_station")), default=Value("elsewhere"))


def _hours_used(period):
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
    def expr(period):
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


def _ethnic_group(period):
    whens = [When(ethnicity__startswith=f"{g}_", then=Value(g)) for g in ("asian", "black", "mixed", "white", "other")]
    return Case(*whens, default=F("ethnicity"), output_field=CharField())


def _field(name):
    return lambda period: F(name)


# --- Tables ------------------------------------------------------------------------------------------


@dataclass
class RowSpec:
    """A row with its own source (and, if the table has columns, the table's column dimension)."""

    key: str
    label: str
    source: str
    col: Dim | None = None


@dataclass
class TableSpec:
    key: str
    section: str
    title: str
    about: str
    source: str = ""
    rows: Dim | list[RowSpec] | None = None
    cols: Dim | None = None
    row_totals: bool = True
    col_totals: bool = True
    row_header: str = ""
    total_label: str = "Total"
    col_label: str = "Number"  # the one column's heading when a table has no column dimension


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

    def lines(self):
        """(row key, row label, [(col key, cell)], row total cell or None) for templates and CSV."""
        s = self.suppressed
        for i, (rk, rl) in enumerate(self.rows):
            cells = [(ck, s.cells[i][j]) for j, (ck, _) in enumerate(self.cols)]
            yield rk, rl, cells, (s.row_totals[i] if s.row_totals else None)

    def totals(self):
        s = self.suppressed
        if not s.col_totals:
            return None
        return [(ck, s.col_totals[j]) for j, (ck, _) in enumerate(self.cols)], s.grand_total

    def value(self, row_key: str, col_key: str = "count") -> int:
        i = [k for k, _ in self.rows].index(row_key)
        j = [k for k, _ in self.cols].index(col_key)
        return self.values[i][j]


ONE_COL = [("count", "Number")]

TABLES: list[TableSpec] = [
    TableSpec(
        key="missing_headline",
        section="Missing children",
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
        key="missing_grade_category",
        section="Missing children",
        title="Episodes by police risk grade, missing and absent",
        about="The episode's latest police risk grade, by whether the child was missing or absent.",
        source="episodes",
        rows=Dim(_latest_grade, [*RiskGrade.choices[::-1], ("not_graded", "Not graded")]),
        cols=Dim(_field("category"), [(c.value, c.label.split(" (")[0]) for c in Category]),
        row_header="Risk grade",
    ),
    TableSpec(
        key="missing_closure",
        section="Missing children",
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
        section="Return home interviews",
        title="Return home interviews due, by provider and outcome",
        about="Interviews falling due (72 hours after the return) in the period.",
        source="interviews_due",
        rows=Dim(_provider, None, _provider_label),
        cols=Dim(_rhi_outcome, RHI_OUTCOMES),
        row_header="Provider",
        total_label="Due",
    ),
    TableSpec(
        key="rhi_offered",
        section="Return home interviews",
        title="Return home interviews offered, by provider",
        about="Interviews falling due in the period, and whether one was offered to the child.",
        source="interviews_due",
        rows=Dim(_provider, None, _provider_label),
        cols=Dim(_offered, [("offered", "Offered"), ("not_offered", "Not offered")]),
        row_header="Provider",
        total_label="Due",
    ),
    TableSpec(
        key="rhi_compliance",
        section="Return home interviews",
        title="Held within 72 hours, by month due",
        about="Interviews by the month (London time) they fell due, and whether held within 72 hours.",
        source="interviews_due",
        rows=Dim(_due_month, _months),
        cols=Dim(_in_time, [("in_time", "Held within 72 hours"), ("not_in_time", "Not held within 72 hours")]),
        row_header="Month due",
        total_label="Due",
    ),
    TableSpec(
        key="pp_place",
        section="Police protection",
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
        section="Police protection",
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
        section="Children who went missing: who they are",
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
        section="Children who went missing: who they are",
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
        section="Children who went missing: who they are",
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
        section="Children who went missing: who they are",
        title="Disability",
        about="Children with an episode in the period.",
        source="children_missing",
        rows=Dim(_field("disability"), list(YesNoUnknown.choices)),
        row_header="Disability",
        row_totals=False,
        total_label="Children",
    ),
]
SPECS = {spec.key: spec for spec in TABLES}


def _grouped(qs: QuerySet, period, row: Dim | None, col: Dim | None) -> dict[tuple[str, str], int]:
    annotations = {}
    if row is not None:
        annotations["_r"] = row.expr(period)
    if col is not None:
        annotations["_c"] = col.expr(period)
    names = list(annotations)
    if not names:
        return {("", "count"): qs.order_by().count()}
    rows = qs.order_by().annotate(**annotations).values(*names).annotate(_n=Count("pk", distinct=True))
    out = {}
    for r in rows:
        out[(str(r.get("_r", "")), str(r.get("_c", "count")))] = r["_n"]
    return out


def compute(spec: TableSpec, user, period: Period) -> Table:
    cols = spec.cols.keys(period, set()) if spec.cols else ONE_COL
    if isinstance(spec.rows, list):
        row_keys = [(r.key, r.label) for r in spec.rows]
        values = []
        for r in spec.rows:
            counts = _grouped(SOURCES[r.source](user, period), period, None, r.col)
            values.append([counts.get(("", ck), 0) for ck, _ in cols])
        return Table(spec, row_keys, cols, values)
    counts = _grouped(SOURCES[spec.source](user, period), period, spec.rows, spec.cols)
    found = {rk for rk, _ in counts}
    row_keys = spec.rows.keys(period, found)
    values = [[counts.get((rk, ck), 0) for ck, _ in cols] for rk, _ in row_keys]
    return Table(spec, row_keys, cols, values)


@dataclass
class Section:
    title: str
    tables: list[Table]


@dataclass
class Report:
    period: Period
    sections: list[Section]

    @property
    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def build_report(user, period: Period, keys: list[str] | None = None) -> Report:
    """Every figure (or those named) for the period, over what the user may see. Not audited: the
    caller (a view, the export, the bench) audits what it shows."""
    sections: dict[str, list[Table]] = {}
    for spec in TABLES:
        if keys is None or spec.key in keys:
            sections.setdefault(spec.section, []).append(compute(spec, user, period))
    return Report(period, [Section(title, tables) for title, tables in sections.items()])


def records_behind(user, period: Period, table_key: str, row_key: str, col_key: str = ALL) -> QuerySet:
    """The records counted in one cell (or a total, with ALL): the same source and expressions as the
    count, so the list and the figure agree. Raises KeyError for a figure that does not exist."""
    spec = SPECS[table_key]
    if isinstance(spec.rows, list):
        if row_key == ALL:
            raise KeyError("Rows of this table count different things; choose one.")
        row = next(r for r in spec.rows if r.key == row_key) if any(r.key == row_key for r in spec.rows) else None
        if row is None:
            raise KeyError(row_key)
        qs = SOURCES[row.source](user, period)
        if row.col is not None and col_key != ALL:
            qs = qs.annotate(_c=row.col.expr(period)).filter(_c=col_key)
        return qs
    qs = SOURCES[spec.source](user, period)
    if row_key != ALL:
        qs = qs.annotate(_r=spec.rows.expr(period)).filter(_r=row_key)
    if spec.cols is not None and col_key != ALL:
        qs = qs.annotate(_c=spec.cols.expr(period)).filter(_c=col_key)
    return qs
