"""Signals other apps listen to, so the missing app need not know them."""

from django.dispatch import Signal

# Sent inside the transaction that raised a repeat-missing trigger task.
# Arguments: caller (Caller), task (TriggerTask).
trigger_raised = Signal()
