"""Roles a Harbour user can hold, and what each may do in broad terms.

The access policy (harbour.access.policy) is the one place that turns these into decisions
about records; this module only names the roles and groups them.
"""

from django.db import models


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    SUPERVISOR = "supervisor", "Supervisor"
    ANALYST = "analyst", "Analyst"
    MACE_CHAIR = "mace_chair", "MACE chair"
    ADMINISTRATOR = "administrator", "Administrator"
    AUDITOR = "auditor", "Auditor"
    CARE_HOME_STAFF = "care_home_staff", "Care-home staff"
    # Managers (and an oversight or scrutiny committee) see aggregate figures only, never a case
    # record: the policy counts records for them (Action.COUNT) and shows them none (ADR 0012).
    MANAGER = "manager", "Manager (aggregate figures only)"


# Roles that work cases: they see their own agency's records and what is shared with them.
CASEWORK_ROLES = frozenset({Role.PRACTITIONER, Role.SUPERVISOR, Role.ANALYST, Role.MACE_CHAIR})
# Roles that may change case records they can see through ownership or allocation.
WRITING_ROLES = frozenset({Role.PRACTITIONER, Role.SUPERVISOR})
# Roles that may decide who else sees a record (restrict, lift a restriction).
RESTRICTING_ROLES = frozenset({Role.SUPERVISOR})
# Roles that may open a record by break-glass, giving a reason.
BREAK_GLASS_ROLES = frozenset({Role.PRACTITIONER, Role.SUPERVISOR, Role.ANALYST, Role.MACE_CHAIR})
