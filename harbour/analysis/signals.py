"""After an episode closes, look again at the adults the child was found with: the co-presence
check runs once the closing transaction has committed (so the graph's links from the episode exist),
as the user who closed it. The scheduled job (tasks.copresence_scan_all) catches anything missed."""

import logging

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_save

log = logging.getLogger(__name__)


def check_after_closure(episode_id: int) -> None:
    from harbour.core.caller import Caller
    from harbour.missing.models import MissingEpisode

    from .services import copresence_scan

    episode = MissingEpisode.objects.filter(pk=episode_id).select_related("closed_by").first()
    if episode is None or episode.is_open:
        return
    adult_ids = list(episode.found_with.values_list("pk", flat=True))
    if not adult_ids:
        return
    caller = Caller(user=episode.closed_by) if episode.closed_by_id else None
    try:
        copresence_scan(caller=caller, adult_ids=adult_ids)
    except Exception:  # the episode is saved; the scheduled scan will raise the alert
        log.exception("Co-presence check after closing episode %s failed; the scheduled scan will retry.", episode_id)


def _episode_saved(sender, instance, raw=False, **kwargs):
    if raw or instance.is_open:
        return
    episode_id = instance.pk
    transaction.on_commit(lambda: check_after_closure(episode_id))


def connect() -> None:
    if not apps.is_installed("harbour.missing") or not apps.is_installed("harbour.graph"):
        return
    from harbour.missing.models import MissingEpisode

    post_save.connect(_episode_saved, sender=MissingEpisode, dispatch_uid="analysis.copresence_after_closure")
