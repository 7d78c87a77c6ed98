"""Telling people about MACE actions and order breaches through harbour.notifications, when that app
is installed. Optional: without it the screens ("My actions", the disruption alerts) still show
everything; with it, the owner hears of a new action, the supervisor of an escalation, and the
holding agency of a breach. Titles carry a reference, never a name (notify() checks)."""

import logging

from django.apps import apps

logger = logging.getLogger(__name__)


def tell(*, kind_name: str, recipients, title: str, link: str, record, dedupe_key: str = "") -> None:
    if not apps.is_installed("harbour.notifications"):
        return
    try:
        from harbour.notifications import kinds, services
    except ImportError as error:
        logger.warning("Notifications unavailable: %s", error)
        return
    kind = getattr(kinds, kind_name, None)
    if kind is None:
        logger.warning("Notification kind %s is not registered", kind_name)
        return
    try:
        services.notify(
            recipients=list(recipients), kind=kind, title=title, link=link, record=record, dedupe_key=dedupe_key
        )
    except ValueError as error:  # a refused title or link: a bug here, but never worth losing the write
        logger.error("Notification refused: %s", error)
