"""Who may read the reports and dashboards, and who may drill from a figure into the records behind it."""

from harbour.access.policy import _is_active
from harbour.accounts.roles import Role

REPORT_ROLES = frozenset({Role.SUPERVISOR, Role.ANALYST, Role.MACE_CHAIR, Role.MANAGER})
# MACE chairs and managers get aggregates only: a chair chairs a multi-agency meeting, not the case
# work behind it; a manager sees no case record at all (ADR 0012; the policy shows them none anyway).
DRILL_ROLES = frozenset({Role.SUPERVISOR, Role.ANALYST})


def may_see_reports(user) -> bool:
    return _is_active(user) and user.role in REPORT_ROLES


def may_drill_down(user) -> bool:
    return _is_active(user) and user.role in DRILL_ROLES
