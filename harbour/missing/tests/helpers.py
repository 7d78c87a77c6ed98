"""Shortcuts for the missing-children tests: report and close an episode with sensible defaults."""

from datetime import timedelta

from django.utils import timezone

from harbour.missing import services


def report(world, *, by=None, child=None, reported_at=None, **fields):
    reported_at = reported_at or timezone.now() - timedelta(hours=5)
    values = {
        "reported_by_kind": "care_home",
        "reported_at": reported_at,
        "last_seen_at": reported_at - timedelta(hours=1),
        "last_seen_place": "Outside the home",
        "last_seen_with": "Not known",
        "clothing": "Grey hooded top",
    }
    values.update(fields)
    return services.episode_report(caller=world.caller(by or world.home_staff), child=child or world.resident, **values)


def close(world, episode, *, by=None, found_at=None, **fields):
    values = {
        "found_at": found_at or timezone.now() - timedelta(hours=1),
        "found_where": {"name": "Bus station", "postcode": "HB2 3CD"},
        "found_alone": True,
        "brought_back_by": "Police",
        "travel_method": "Police car",
    }
    values.update(fields)
    return services.episode_close(caller=world.caller(by or world.officer), episode=episode, **values)
