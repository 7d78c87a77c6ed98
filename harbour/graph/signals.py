"""Links made automatically from the records that establish them, without the missing app knowing:
- an episode closed with where the child was found (found at) and with whom (found with);
- a return home interview held, with the places the child went (visited) and the people they were
  with (with while missing).

Each is a sync, not an append: it makes the links the record now supports and withdraws automatic
links it no longer supports, so saving twice, or a set() that removes and re-adds, changes nothing.
It runs inside the transaction of the change (the signals fire there), and is audited.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed, post_save
from django.utils import timezone

from .models import LinkType

EPISODE_REASON = "No longer recorded on the episode"
RHI_REASON = "No longer recorded on the return interview"


def _day(moment):
    return timezone.localdate(moment) if moment else None


def _sync(*, record, child, actor, owning_agency_id, when, wanted: list[tuple[str, object]], reason: str) -> None:
    from .services import link_ensure, links_withdraw_automatic

    keep = set()
    for link_type, target in wanted:
        link_ensure(
            actor=actor,
            owning_agency_id=owning_agency_id,
            source=child,
            target=target,
            link_type=link_type,
            provenance=record,
            start_date=when,
            end_date=when,  # an event: it ends the day it starts (see selectors._filter_links)
            automatic=True,
        )
        keep.add((link_type, ContentType.objects.get_for_model(target).pk, target.pk))
    links_withdraw_automatic(provenance=record, keep=keep, actor=actor, reason=reason)


def sync_episode_links(episode) -> None:
    wanted = []
    if episode.found_where_id:
        wanted.append((LinkType.FOUND_AT, episode.found_where))
    wanted += [(LinkType.FOUND_WITH, person) for person in episode.found_with.all()]
    actor = episode.closed_by or episode.recorded_by
    _sync(
        record=episode,
        child=episode.child,
        actor=actor,
        owning_agency_id=episode.owning_agency_id,
        when=_day(episode.found_at),
        wanted=wanted,
        reason=EPISODE_REASON,
    )


def sync_interview_links(rhi) -> None:
    wanted = []
    if rhi.held_at is not None and hasattr(rhi, "places") and hasattr(rhi, "people"):
        wanted += [(LinkType.VISITED, place) for place in rhi.places.all()]
        wanted += [(LinkType.WITH_WHILE_MISSING, person) for person in rhi.people.all()]
    actor = rhi.held_by or rhi.episode.closed_by or rhi.episode.recorded_by
    _sync(
        record=rhi,
        child=rhi.child,
        actor=actor,
        owning_agency_id=rhi.provider_id or rhi.child.owning_agency_id,
        when=_day(rhi.returned_at),
        wanted=wanted,
        reason=RHI_REASON,
    )


def _episode_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        sync_episode_links(instance)


def _interview_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        sync_interview_links(instance)


def _m2m(sync, model):
    def changed(sender, instance, action, reverse, pk_set, **kwargs):
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        if not reverse:
            sync(instance)
        elif pk_set:
            for record in model.objects.filter(pk__in=pk_set):
                sync(record)

    return changed


_RECEIVERS = []


def connect() -> None:
    """Connect to the missing app's models if it is installed (called from GraphConfig.ready)."""
    if not apps.is_installed("harbour.missing"):
        return
    from harbour.missing.models import MissingEpisode, ReturnHomeInterview

    post_save.connect(_episode_saved, sender=MissingEpisode, dispatch_uid="graph.episode_links")
    post_save.connect(_interview_saved, sender=ReturnHomeInterview, dispatch_uid="graph.interview_links")
    episode_m2m = _m2m(sync_episode_links, MissingEpisode)
    interview_m2m = _m2m(sync_interview_links, ReturnHomeInterview)
    _RECEIVERS[:] = [episode_m2m, interview_m2m]  # signals hold receivers weakly: keep them alive
    m2m_changed.connect(episode_m2m, sender=MissingEpisode.found_with.through, dispatch_uid="graph.episode_with")
    for name in ("places", "people"):
        field = getattr(ReturnHomeInterview, name, None)
        if field is not None:
            m2m_changed.connect(interview_m2m, sender=field.through, dispatch_uid=f"graph.interview_{name}")
