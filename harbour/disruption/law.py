"""Disruption tools: who may use each, on what legal basis, and how long it may last.

One module, each tool a named constant with its citation, so the model, the forms and the "tools
that fit" prompt all read the same law. Points marked `verify` were not certain when written: check
them against the legislation (legislation.gov.uk) before relying on them in court papers.

Sources (England and Wales):
- Child Abduction Warning Notice: no statute of its own. Police practice, with children's services,
  backed by the Child Abduction Act 1984 s2 and the Children Act 1989 s49 (abduction of a child in
  care) and s50 (recovery). Used for a child under 16, or under 18 if looked after. Its length is
  local policy.
- Sexual Risk Order: Sexual Offences Act 2003 s122A (inserted by the Anti-social Behaviour, Crime and
  Policing Act 2014 s113). Police or NCA apply to a magistrates' court; no conviction is needed.
  s122A(7): a fixed period of not less than 2 years, or until further order. Breach is an offence
  (s122H).
- Sexual Harm Prevention Order: on conviction, Sentencing Act 2020 s343 (a fixed period of at least
  5 years, or until further order); on application, Sexual Offences Act 2003 s103A with duration in
  s103C(2) (not less than 5 years, or until further order). Breach is an offence.
- Slavery and Trafficking Risk Order: Modern Slavery Act 2015 s23; prohibitions last a fixed period
  of at least 2 years, or until further order (s24). Slavery and Trafficking Prevention Order: s14
  (on sentencing) and s15 (on application); prohibitions at least 5 years, or until further order
  (s17). Police, NCA, immigration officers and the GLAA apply. Breach is an offence (s30).
- Closure notice and closure order: Anti-social Behaviour, Crime and Policing Act 2014 ss76-82. A
  closure notice (police inspector or above, or the council) has effect for 24 hours from service,
  or up to 48 hours if issued or extended by a superintendent or the council's chief executive
  (s77). A closure order lasts no longer than 3 months (s80(5)); extensions may not take it beyond 6
  months in total (s82). Breach is an offence (s86).
- Hotel notice: ASBCPA 2014 s116. A police inspector or above may require a hotel believed to be used
  for child sexual exploitation to give guests' details, for a period specified in the notice not
  exceeding 6 months. Failing to comply is an offence.
- Criminal Behaviour Order: Sentencing Act 2020 ss330-342 (formerly ASBCPA 2014 Part 2). On
  conviction; for an adult a fixed period of at least 2 years or until further order, for a person
  under 18 between 1 and 3 years (s339 (verify subsection)).
- Knife Crime Prevention Order: Offensive Weapons Act 2019 ss14 (on application) and 19 (on
  conviction); a fixed period of 6 months to 2 years (verify section: s21).
- Community Protection Notice: ASBCPA 2014 s43. No fixed length in statute: requirements may set
  their own periods. Breach is an offence (s48).
- Child Criminal Exploitation Prevention Order: Crime and Policing Act 2026 (commencement: verify;
  durations not confirmed, so none are enforced here).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class Duration:
    """A period as the law states it: in calendar years and months, or in elapsed hours."""

    years: int = 0
    months: int = 0
    hours: int = 0

    @property
    def is_hours(self) -> bool:
        return bool(self.hours)

    def __str__(self) -> str:
        if self.hours:
            return f"{self.hours} hours"
        parts = []
        if self.years:
            parts.append(f"{self.years} year{'s' if self.years != 1 else ''}")
        if self.months:
            parts.append(f"{self.months} month{'s' if self.months != 1 else ''}")
        return " ".join(parts) or "no time"


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later; the month's last day if it has no such day
    (an order made on 29 February for 2 years runs to 28 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: every month has 28 days


def local_date(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LONDON)


def end_by(start: datetime, duration: Duration) -> datetime:
    """The latest moment a period of `duration` from `start` may run to. Calendar periods run to the
    end of the day (London) on the same date that many months later; hours are elapsed hours."""
    if duration.is_hours:
        return start + timedelta(hours=duration.hours)
    last_day = add_months(local_date(start), duration.years * 12 + duration.months)
    return start_of_day(last_day + timedelta(days=1))


def at_least_until(start: datetime, duration: Duration) -> date | datetime:
    """The earliest an order lasting at least `duration` from `start` may end: a date for calendar
    periods (the order may end on that day), a moment for hours."""
    if duration.is_hours:
        return start + timedelta(hours=duration.hours)
    return add_months(local_date(start), duration.years * 12 + duration.months)


# --- Subjects ------------------------------------------------------------------------------------

PERSON = "person"
PLACE = "place"
BUSINESS = "business"

# --- Ages ----------------------------------------------------------------------------------------

# A CAWN protects a child under 16 (Child Abduction Act 1984 s2), or under 18 if in care (Children
# Act 1989 s49).
CAWN_AGE_LIMIT = 16
CAWN_AGE_LIMIT_IN_CARE = 18
ADULT_AGE = 18


@dataclass(frozen=True)
class Tool:
    code: str
    label: str
    basis: str  # the citation shown beside the tool
    who: str  # who may apply or issue
    subjects: frozenset[str]
    min_duration: Duration | None = None
    max_duration: Duration | None = None
    # The longest it may run once extended (closure notices and orders); None: no extension.
    max_with_extension: Duration | None = None
    # Durations for a subject under 18 where the law differs (criminal behaviour orders).
    youth_min_duration: Duration | None = None
    youth_max_duration: Duration | None = None
    # May run "until further order" instead of to a fixed end date.
    until_further_order: bool = False
    # Counted from service (notices) rather than from the day granted (court orders).
    runs_from_service: bool = False
    applied_for: bool = True  # made by a court on application (False: issued directly)
    protects_children: bool = False  # names the children it protects (a CAWN)
    duration_note: str = ""
    breach: str = "Breach is a criminal offence."
    verify: str = ""  # what is uncertain about this entry

    def __str__(self) -> str:
        return self.label


CAWN = Tool(
    code="cawn",
    label="Child Abduction Warning Notice",
    basis="Police practice; Child Abduction Act 1984 s2, Children Act 1989 ss49-50",
    who="Police, with children's services",
    subjects=frozenset({PERSON}),
    runs_from_service=True,
    applied_for=False,
    protects_children=True,
    duration_note="Length set by local policy; no statutory minimum or maximum.",
    breach="Not an offence in itself: a breach is evidence for abduction offences.",
)
SEXUAL_RISK_ORDER = Tool(
    code="sro",
    label="Sexual Risk Order",
    basis="Sexual Offences Act 2003 s122A",
    who="Police or NCA apply to a magistrates' court; no conviction needed",
    subjects=frozenset({PERSON}),
    min_duration=Duration(years=2),
    until_further_order=True,
    duration_note="At least 2 years, or until further order (s122A(7)).",
)
SEXUAL_HARM_PREVENTION_ORDER = Tool(
    code="shpo",
    label="Sexual Harm Prevention Order",
    basis="Sentencing Act 2020 s343 (on conviction); Sexual Offences Act 2003 ss103A, 103C (on application)",
    who="The court on conviction, or police or NCA on application",
    subjects=frozenset({PERSON}),
    min_duration=Duration(years=5),
    until_further_order=True,
    duration_note="At least 5 years, or until further order.",
)
SLAVERY_TRAFFICKING_RISK_ORDER = Tool(
    code="stro",
    label="Slavery and Trafficking Risk Order",
    basis="Modern Slavery Act 2015 s23",
    who="Police, NCA, immigration officers or the GLAA apply to a magistrates' court",
    subjects=frozenset({PERSON}),
    min_duration=Duration(years=2),
    until_further_order=True,
    duration_note="Prohibitions at least 2 years, or until further order.",
    verify="Duration subsection (s24).",
)
SLAVERY_TRAFFICKING_PREVENTION_ORDER = Tool(
    code="stpo",
    label="Slavery and Trafficking Prevention Order",
    basis="Modern Slavery Act 2015 ss14-15",
    who="The court on sentencing, or police, NCA, immigration officers or the GLAA on application",
    subjects=frozenset({PERSON}),
    min_duration=Duration(years=5),
    until_further_order=True,
    duration_note="Prohibitions at least 5 years, or until further order.",
    verify="Duration subsection (s17).",
)
CLOSURE_NOTICE = Tool(
    code="closure_notice",
    label="Closure notice",
    basis="Anti-social Behaviour, Crime and Policing Act 2014 ss76-77",
    who="Police inspector or above, or the local authority",
    subjects=frozenset({PLACE}),
    max_duration=Duration(hours=24),
    max_with_extension=Duration(hours=48),
    runs_from_service=True,
    applied_for=False,
    duration_note=(
        "24 hours from service; up to 48 hours if issued or extended by a superintendent or the council's "
        "chief executive."
    ),
)
CLOSURE_ORDER = Tool(
    code="closure_order",
    label="Closure order",
    basis="Anti-social Behaviour, Crime and Policing Act 2014 ss80-82",
    who="Police or the local authority apply to a magistrates' court",
    subjects=frozenset({PLACE}),
    max_duration=Duration(months=3),
    max_with_extension=Duration(months=6),
    duration_note="Up to 3 months (s80(5)); extended, no more than 6 months in total (s82).",
)
HOTEL_NOTICE = Tool(
    code="hotel_notice",
    label="Hotel notice",
    basis="Anti-social Behaviour, Crime and Policing Act 2014 s116",
    who="Police inspector or above, where a hotel is believed to be used for child sexual exploitation",
    subjects=frozenset({PLACE, BUSINESS}),
    max_duration=Duration(months=6),
    runs_from_service=True,
    applied_for=False,
    duration_note="For the period stated in the notice, not more than 6 months.",
    breach="Failing to give the guest information required is an offence.",
)
CRIMINAL_BEHAVIOUR_ORDER = Tool(
    code="cbo",
    label="Criminal Behaviour Order",
    basis="Sentencing Act 2020 ss330-342",
    who="The court on conviction, on the prosecution's application",
    subjects=frozenset({PERSON}),
    min_duration=Duration(years=2),
    until_further_order=True,
    youth_min_duration=Duration(years=1),
    youth_max_duration=Duration(years=3),
    duration_note="Adults: at least 2 years, or until further order. Under 18: 1 to 3 years.",
    verify="Duration section (s339).",
)
KNIFE_CRIME_PREVENTION_ORDER = Tool(
    code="kcpo",
    label="Knife Crime Prevention Order",
    basis="Offensive Weapons Act 2019 ss14, 19",
    who="Police apply to a magistrates' court, or the court on conviction",
    subjects=frozenset({PERSON}),
    min_duration=Duration(months=6),
    max_duration=Duration(years=2),
    duration_note="A fixed period of 6 months to 2 years.",
    verify="Duration section (s21).",
)
COMMUNITY_PROTECTION_NOTICE = Tool(
    code="cpn",
    label="Community Protection Notice",
    basis="Anti-social Behaviour, Crime and Policing Act 2014 s43",
    who="Police, the local authority or a designated person, after a written warning",
    subjects=frozenset({PERSON, BUSINESS}),
    runs_from_service=True,
    applied_for=False,
    duration_note="No fixed length in statute; requirements may set their own periods.",
)
CCE_PREVENTION_ORDER = Tool(
    code="cce_prevention_order",
    label="Child Criminal Exploitation Prevention Order",
    basis="Crime and Policing Act 2026 (commencement: verify)",
    who="Police or NCA apply to the court, or the court on conviction",
    subjects=frozenset({PERSON}),
    until_further_order=True,
    duration_note="Durations not confirmed: none are checked.",
    verify="Commencement and durations.",
)
OTHER = Tool(
    code="other",
    label="Other (name it)",
    basis="As named",
    who="As named",
    subjects=frozenset({PERSON, PLACE, BUSINESS}),
    until_further_order=True,
    duration_note="No durations checked.",
    breach="As the tool provides.",
)

TOOLS: tuple[Tool, ...] = (
    CAWN,
    SEXUAL_RISK_ORDER,
    SEXUAL_HARM_PREVENTION_ORDER,
    SLAVERY_TRAFFICKING_RISK_ORDER,
    SLAVERY_TRAFFICKING_PREVENTION_ORDER,
    CRIMINAL_BEHAVIOUR_ORDER,
    KNIFE_CRIME_PREVENTION_ORDER,
    CLOSURE_NOTICE,
    CLOSURE_ORDER,
    HOTEL_NOTICE,
    COMMUNITY_PROTECTION_NOTICE,
    CCE_PREVENTION_ORDER,
    OTHER,
)
BY_CODE: dict[str, Tool] = {tool.code: tool for tool in TOOLS}
TOOL_CHOICES = [(tool.code, tool.label) for tool in TOOLS]


def tool(code: str) -> Tool:
    return BY_CODE[code]


def durations_for(tool: Tool, *, subject_age: int | None) -> tuple[Duration | None, Duration | None]:
    """The (minimum, maximum) for this subject: the youth durations for a subject under 18."""
    if subject_age is not None and subject_age < ADULT_AGE and (tool.youth_min_duration or tool.youth_max_duration):
        return tool.youth_min_duration, tool.youth_max_duration
    return tool.min_duration, tool.max_duration


# --- Alerts --------------------------------------------------------------------------------------

# Orders in force this close to their end are listed for renewal (local practice, not law).
EXPIRY_WARNING = timedelta(days=28)
# Breaches recorded this recently are listed as alerts.
BREACH_ALERT_WINDOW = timedelta(days=28)
# A person found with or linked to this many distinct children, with no order in place or being
# considered, prompts "consider an order" (local practice, not law).
PROMPT_CHILDREN_THRESHOLD = 3
