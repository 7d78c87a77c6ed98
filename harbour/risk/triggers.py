"""Triggers from other parts of Harbour that make a screening due."""

from harbour.access.policy import Action, can


def screening_due_from_missing_trigger(sender, *, caller, task, **kwargs):
    """A repeat-missing 'screening due' trigger raises the risk app's screening-due task, so the
    screening shows in the risk worklists, not only on the missing screens."""
    from harbour.missing.rules import SCREENING_DUE

    from .services import screening_due_create

    if task.kind != SCREENING_DUE or not can(caller.user, Action.VIEW, task.child):
        return
    screening_due_create(caller=caller, child=task.child, reason=task.reason, source=f"missing.TriggerTask:{task.pk}")
