"""Time limits and thresholds from law and guidance for missing children and police protection.

Sources:
- Department for Education, "Statutory guidance on children who run away or go missing from home
  or care" (January 2014): a return home interview is offered on every return and should be held
  within 72 hours of the child's return, by someone independent of the child's carers.
- Children Act 1989, s46 (police protection): a child may be kept in police protection for at most
  72 hours (s46(6)); the period cannot be extended.
- Repeat-missing triggers are local practice, not law: the defaults below are the common local
  thresholds named in the issue and may be changed with the HARBOUR_MISSING_TRIGGERS setting.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings

# Statutory guidance (DfE, 2014): held within 72 hours of the return.
RETURN_INTERVIEW_DUE = timedelta(hours=72)
# An RHI clock with this long or less left is shown as "due soon".
RETURN_INTERVIEW_DUE_SOON = timedelta(hours=24)

# Children Act 1989 s46(6): no child may be kept in police protection for more than 72 hours.
POLICE_PROTECTION_LIMIT = timedelta(hours=72)
POLICE_PROTECTION_CANNOT_BE_EXTENDED = "Police protection ends after 72 hours and cannot be extended."
# A police protection board entry with this long or less left is shown as "ends soon".
POLICE_PROTECTION_ENDS_SOON = timedelta(hours=12)


@dataclass(frozen=True)
class Trigger:
    """`episodes` episodes within `days` days create a task of `kind` for the child."""

    kind: str
    episodes: int
    days: int
    reason: str


STRATEGY_MEETING = "strategy_meeting"
SCREENING_DUE = "screening_due"

DEFAULT_TRIGGERS: tuple[Trigger, ...] = (
    Trigger(STRATEGY_MEETING, 3, 30, "3 missing episodes in 30 days: hold a strategy meeting."),
    Trigger(SCREENING_DUE, 3, 90, "3 missing episodes in 90 days: exploitation screening is due."),
)


def triggers() -> tuple[Trigger, ...]:
    """The triggers in force: the local setting if there is one, else the defaults."""
    return tuple(getattr(settings, "HARBOUR_MISSING_TRIGGERS", DEFAULT_TRIGGERS))
