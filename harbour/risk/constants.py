"""Rules from guidance for exploitation screening and assessment: named, cited, in one place.

The *weights* of the indicators and the score bands are data (indicator_sets/*.json); the rules
below are not, because guidance fixes them and no change of weights may switch them off.

Sources:
- Barnardo's Sexual Exploitation Risk Assessment Framework (SERAF, 2013; scoring guidance as
  published by local safeguarding partnerships, e.g. Hampshire, South Gloucestershire): indicators
  grouped as vulnerabilities and risk indicators, significant ones weighted more, each marked
  current (on the date of assessment or the last 3 months, in the 2016 form) or previous (up to
  12 months ago, lower weight); four categories of risk; a physical or learning disability adds to
  the score; an assessment "at regular intervals (at least every three months)".
- Department for Education, "Child sexual exploitation: definition and guide for practitioners"
  (2017) and Home Office, "Criminal exploitation of children and vulnerable adults: county lines"
  (2018, updated 2023): definitions of CSE and CCE; children cannot consent to their own abuse.
- Harbour's domain reference (docs: /work/shared/DOMAIN.md, "Exploitation"): "Disability or learning
  difficulty raises vulnerability; a child under 13 or with a learning disability showing indicators
  must not be scored as low risk. ... Professional judgement can raise a level and must say why.
  Reviews at least every 3 months." (Local protocols word this differently: verify against the
  partnership's own protocol before go-live.)

This module is plain Python (no Django) so the scoring core can use it on its own.
"""

from datetime import timedelta

# --- Levels, lowest first ------------------------------------------------------------------------

NOT_AT_RISK = "not_at_risk"
AT_RISK = "at_risk"
SIGNIFICANT = "significant"
SERIOUS = "serious"
LEVELS: tuple[str, ...] = (NOT_AT_RISK, AT_RISK, SIGNIFICANT, SERIOUS)
LEVEL_LABELS = {
    NOT_AT_RISK: "Not at risk",
    AT_RISK: "At risk",
    SIGNIFICANT: "Significant risk",
    SERIOUS: "Serious risk",
}


def level_rank(level: str) -> int:
    return LEVELS.index(level)


def higher_level(a: str, b: str) -> str:
    return a if level_rank(a) >= level_rank(b) else b


# --- Timing of an indicator ----------------------------------------------------------------------

CURRENT = "current"
PREVIOUS = "previous"
TIMINGS: tuple[str, ...] = (CURRENT, PREVIOUS)
# SERAF (2016 form): moderate indicators "present on date of referral or during the past 3 months";
# significant indicators also scored if present between 6 and 12 months ago, at a lower weight.
CURRENT_WITHIN_MONTHS = 3
PREVIOUS_WITHIN_MONTHS = 12
TIMING_LABELS = {
    CURRENT: f"Current (in the last {CURRENT_WITHIN_MONTHS} months)",
    PREVIOUS: f"Previous ({CURRENT_WITHIN_MONTHS} to {PREVIOUS_WITHIN_MONTHS} months ago)",
}

# --- Groups of indicators ------------------------------------------------------------------------

VULNERABILITY = "vulnerability"
EXPLOITATION = "exploitation"
GROUPS: tuple[str, ...] = (VULNERABILITY, EXPLOITATION)
GROUP_LABELS = {VULNERABILITY: "Vulnerabilities", EXPLOITATION: "Exploitation indicators"}

# Indicator flags an indicator set may set: answering such an indicator tells the scoring rules
# the child has a disability / learning difficulty (uplift) or a learning disability (floor).
FLAG_DISABILITY = "disability"
FLAG_LEARNING_DISABILITY = "learning_disability"
FLAGS = frozenset({FLAG_DISABILITY, FLAG_LEARNING_DISABILITY})

# --- The floor: "a child under 13 or with a learning disability showing indicators must not be
# scored as low risk" (DOMAIN.md, Exploitation; see docs/decisions/0005-risk-floor.md) ------------

# Children under this age on the day of assessment.
FLOOR_UNDER_AGE = 13
# "Showing indicators" means any exploitation indicator, current or previous; vulnerabilities alone
# do not set the floor (they describe the child's circumstances, not signs of exploitation).
# Harbour's four levels follow SERAF's four categories; "low risk" is the lowest band in which risk
# is found (SERAF "mild", three-band tools' "low"): here 'at_risk'. Never scoring such a child as low
# therefore means never below the next band up.
FLOOR_LEVEL = SIGNIFICANT

# --- Reviews: "at least every three months" (SERAF), sooner at higher levels (local practice) ------

MAX_REVIEW_MONTHS = 3
REVIEW_AFTER: dict[str, timedelta | int | None] = {
    SERIOUS: timedelta(weeks=4),
    SIGNIFICANT: timedelta(weeks=6),
    AT_RISK: MAX_REVIEW_MONTHS,  # calendar months
    # No review is scheduled for a child found not at risk: a new concern starts a new screening.
    NOT_AT_RISK: None,
}

# --- Child criminal exploitation: the statutory limbs -------------------------------------------
# Home Office CCE definition (Serious Violence Strategy 2018; Keeping Children Safe in Education):
# coercion, manipulation or deception of a child into criminal activity (a) in exchange for
# something the child needs or wants, and/or (b) for the financial or other advantage of the
# perpetrator or facilitator, and/or (c) through violence or the threat of violence. The Crime and
# Policing Act 2026 makes CCE an offence (commencement: verify).
CCE_LIMBS: tuple[tuple[str, str], ...] = (
    ("cce_exchange", "In exchange for something the child needs or wants"),
    ("cce_advantage", "For the financial or other advantage of the person exploiting them"),
    ("cce_violence_or_threat", "Through violence or the threat of violence"),
)
