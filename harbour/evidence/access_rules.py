"""How investigations and their evidence reach users (see harbour.access.policy for the rule).

Digital evidence is held tighter than person records: an investigation is seen by its owning
TEAM (plus allocation and share grants to other users, teams or agencies), not by the whole
owning agency. Everything under an investigation follows it.
"""

from django.db.models import Q

from harbour.access.policy import NOTHING, DerivedRule, RecordRule, register


class InvestigationRule(RecordRule):
    def owned(self, user) -> Q:
        """Owned means "my team's": other teams of the same agency need a grant."""
        if not (user.team_id and user.agency_id):
            return NOTHING
        return Q(owning_team_id=user.team_id, owning_agency_id=user.agency_id)


def register_rules() -> None:
    from . import models

    register(models.Investigation, InvestigationRule())
    for child in (
        models.EvidenceItem,
        models.Message,
        models.MessageTally,
        models.IndicatorFlag,
        models.ExtractedIdentifier,
        models.SelectedIdentifier,
        models.CustodyEvent,
        models.IndexRebuild,
    ):
        register(child, DerivedRule("investigation", "evidence.Investigation"))
