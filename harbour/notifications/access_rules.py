"""Notifications reach their recipient and no one else: not a supervisor, not an auditor."""

from django.db.models import Q

from harbour.access.policy import NOTHING, Action, RecordRule, _is_active, register


class RecipientRule(RecordRule):
    def q(self, user, action: Action, model) -> Q:
        if not _is_active(user) or action not in (Action.VIEW, Action.CHANGE):
            return NOTHING
        return Q(recipient_id=user.pk)


def register_rules() -> None:
    from .models import Notification

    register(Notification, RecipientRule())
