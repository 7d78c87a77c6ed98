"""Intelligence grading codes. One module, cited, so screens, API, policy and tests agree.

Current: the 3x5x2 system. College of Policing, Authorised Professional Practice, "Intelligence
management: intelligence report" (3x5x2 evaluation and handling), replacing 5x5x5 from 2016:
https://www.college.police.uk/app/intelligence-management/intelligence-report
- Source evaluation: 1 reliable, 2 untested, 3 not reliable.
- Intelligence assessment: A known directly to the source; B known indirectly to the source but
  corroborated; C known indirectly to the source; D not known; E suspected to be false or malicious.
- Handling: P lawful sharing permitted; C lawful sharing permitted with conditions, which must be
  stated (who may receive it and on what terms).

Legacy: the 5x5x5 system (National Intelligence Model, ACPO 2005), kept readable as recorded; it is
never converted, because a conversion would put words in the original grader's mouth.
"""

from django.db import models

GRADING_CITATION = (
    "College of Policing, Authorised Professional Practice: Intelligence management, intelligence report (3x5x2)"
)
GRADING_CITATION_URL = "https://www.college.police.uk/app/intelligence-management/intelligence-report"
LEGACY_CITATION = "National Intelligence Model 5x5x5 (ACPO, 2005), superseded by 3x5x2"


class GradingSystem(models.TextChoices):
    THREE_FIVE_TWO = "3x5x2", "3x5x2"
    LEGACY_FIVE_FIVE_FIVE = "5x5x5", "5x5x5 (legacy)"


class SourceEvaluation(models.TextChoices):
    RELIABLE = "1", "1: Reliable"
    UNTESTED = "2", "2: Untested"
    NOT_RELIABLE = "3", "3: Not reliable"


class IntelligenceAssessment(models.TextChoices):
    KNOWN_DIRECTLY = "A", "A: Known directly to the source"
    INDIRECTLY_CORROBORATED = "B", "B: Known indirectly to the source but corroborated"
    KNOWN_INDIRECTLY = "C", "C: Known indirectly to the source"
    NOT_KNOWN = "D", "D: Not known"
    SUSPECTED_FALSE = "E", "E: Suspected to be false or malicious"


class HandlingCode(models.TextChoices):
    PERMITTED = "P", "P: Lawful sharing permitted"
    CONDITIONS = "C", "C: Lawful sharing permitted with conditions"


class LegacySourceEvaluation(models.TextChoices):
    ALWAYS_RELIABLE = "A", "A: Always reliable"
    MOSTLY_RELIABLE = "B", "B: Mostly reliable"
    SOMETIMES_RELIABLE = "C", "C: Sometimes reliable"
    UNRELIABLE = "D", "D: Unreliable"
    UNTESTED = "E", "E: Untested source"


class LegacyIntelligenceEvaluation(models.TextChoices):
    KNOWN_TRUE = "1", "1: Known to be true without reservation"
    KNOWN_TO_SOURCE = "2", "2: Known personally to the source but not to the officer"
    CORROBORATED = "3", "3: Not personally known to the source but corroborated"
    CANNOT_JUDGE = "4", "4: Cannot be judged"
    SUSPECTED_FALSE = "5", "5: Suspected to be false"


class LegacyHandlingCode(models.TextChoices):
    LAW_ENFORCEMENT = "1", "1: May be disseminated to other law enforcement and prosecuting agencies"
    NON_PROSECUTING = "2", "2: May be disseminated to UK non-prosecuting parent agencies"
    NON_LAW_ENFORCEMENT = "3", "3: May be disseminated to non-law enforcement agencies"
    ORIGINATING_AGENCY = "4", "4: Only within the originating agency"
    NO_DISSEMINATION = "5", "5: No further dissemination; refer to the originator (special handling)"


# Legacy codes that restrict who may receive the item as the C code does: "refer to the originator".
LEGACY_RESTRICTED_HANDLING = frozenset({LegacyHandlingCode.NO_DISSEMINATION})

# How restrictive each handling is, for "is this a downgrade?": higher is more restrictive.
HANDLING_RESTRICTION = {
    (GradingSystem.THREE_FIVE_TWO, HandlingCode.PERMITTED): 1,
    (GradingSystem.THREE_FIVE_TWO, HandlingCode.CONDITIONS): 3,
    (GradingSystem.LEGACY_FIVE_FIVE_FIVE, LegacyHandlingCode.LAW_ENFORCEMENT): 1,
    (GradingSystem.LEGACY_FIVE_FIVE_FIVE, LegacyHandlingCode.NON_PROSECUTING): 1,
    (GradingSystem.LEGACY_FIVE_FIVE_FIVE, LegacyHandlingCode.NON_LAW_ENFORCEMENT): 1,
    (GradingSystem.LEGACY_FIVE_FIVE_FIVE, LegacyHandlingCode.ORIGINATING_AGENCY): 2,
    (GradingSystem.LEGACY_FIVE_FIVE_FIVE, LegacyHandlingCode.NO_DISSEMINATION): 3,
}


def grading_text(system: str, source: str, assessment: str, handling: str) -> str:
    """The grade as analysts write it: "2B P" (3x5x2) or "B2 4" (5x5x5, source then intelligence)."""
    return f"{source}{assessment} {handling}".strip()
