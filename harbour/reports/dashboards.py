"""A dashboard per role: charts a person would rather look at than read, each followed by its table.

Every chart is drawn from a table of the scrutiny report for the same period (so the numbers are the
same as the report's, the export's and the API's), after small-number suppression. Supervisors see
their service's compliance and workload; managers (aggregate figures only, ADR 0012) the trends and
outcomes; analysts the victims, perpetrators, networks and the gaps in what is recorded.
"""

from collections.abc import Callable
from dataclasses import dataclass

from harbour.accounts.roles import Role

from . import charts
from .figures import Report


@dataclass(frozen=True)
class Panel:
    table: str
    draw: Callable[[Report], charts.Chart]


def _trend(table, title, caption, col=None):
    return Panel(table, lambda r: charts.trend_columns(r.table(table), title=title, caption=caption, col_key=col))


def _bars(table, title, caption, col=None):
    return Panel(table, lambda r: charts.breakdown_bars(r.table(table), title=title, caption=caption, col_key=col))


COMPLIANCE = Panel("rhi_compliance", lambda r: charts.compliance_bars(r.table("rhi_compliance")))
EPISODES_TREND = _trend("missing_month", "Missing episodes by month", "Episodes reported each month (London time).")
LANGUAGE_TREND = _trend(
    "language_month",
    "Flagged terms per 1,000 case notes, by month",
    "Victim-blaming and other flagged terms per 1,000 notes written each month.",
    col="per_1000",
)


@dataclass(frozen=True)
class Dashboard:
    key: str
    title: str
    about: str
    panels: tuple[Panel, ...]

    @property
    def tables(self) -> list[str]:
        return sorted({p.table for p in self.panels})


DASHBOARDS = {
    d.key: d
    for d in (
        Dashboard(
            "supervisor",
            "Supervisor's dashboard",
            "Return interviews against the 72-hour target, the episodes coming in, how they are searched for, "
            "reviews and MACE actions falling behind.",
            (
                COMPLIANCE,
                EPISODES_TREND,
                _bars("missing_search", "How episodes were searched for", "Episodes by the actions recorded."),
                _bars(
                    "exploitation_reviews",
                    "Exploitation reviews overdue",
                    "Current screenings and assessments whose review date had passed.",
                    col="overdue",
                ),
                _bars("mace_actions", "Overdue MACE actions", "Open actions past their date.", col="overdue"),
            ),
        ),
        Dashboard(
            "manager",
            "Manager's dashboard",
            "Aggregate figures only: trends over time, the 72-hour target, risk and disruption. No record is shown.",
            (
                EPISODES_TREND,
                COMPLIANCE,
                _bars("exploitation_level", "Children by exploitation risk level", "At the end of the period."),
                _bars("disruption_orders", "Disruption orders and notices", "By type, applied for or granted."),
                LANGUAGE_TREND,
            ),
        ),
        Dashboard(
            "analyst",
            "Analyst's dashboard",
            "Victims and perpetrators, possible organised networks, exploitation by type, and what is not recorded.",
            (
                _bars("vp_headline", "Victims, perpetrators and networks", "Distinct people and groups in the period."),
                _bars("exploitation_type", "Children by type of exploitation", "A child may count under several."),
                _bars(
                    "vp_gap",
                    "Victims' and suspects' details not known",
                    "People whose sex, ethnicity or disability is recorded as not known.",
                    col="not_known",
                ),
                EPISODES_TREND,
                _bars(
                    "language_team",
                    "Flagged terms per 1,000 notes, by team",
                    "Victim-blaming and other flagged terms per 1,000 notes written in the period.",
                    col="per_1000",
                ),
            ),
        ),
    )
}

ROLE_DASHBOARDS = {
    Role.SUPERVISOR: "supervisor",
    Role.MANAGER: "manager",
    Role.MACE_CHAIR: "manager",
    Role.ANALYST: "analyst",
}


def for_user(user) -> Dashboard | None:
    return DASHBOARDS.get(ROLE_DASHBOARDS.get(getattr(user, "role", None)))
