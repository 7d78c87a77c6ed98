"""The screens, end to end: a care home reports, police grade and close, the provider interviews."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from harbour.demo import factories as f
from harbour.missing.models import EpisodeStatus, MissingEpisode, PoliceProtection, ReturnHomeInterview

pytestmark = pytest.mark.django_db


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_report_grade_close_interview_and_figures(client, world):
    now = timezone.now()
    client.force_login(world.home_staff)
    assert client.get(reverse("missing:report", args=[world.resident.pk])).status_code == 200
    response = client.post(
        reverse("missing:report", args=[world.resident.pk]),
        {
            "category": "missing",
            "reported_by_kind": "care_home",
            "reported_at": _local(now - timedelta(hours=3)),
            "last_seen_at": _local(now - timedelta(hours=4)),
            "last_seen_place": "Front gate",
            "last_seen_with": "Two older teenagers",
            "clothing": "Black coat",
        },
    )
    episode = MissingEpisode.objects.get()
    assert response.status_code == 302 and response.url == reverse("missing:episode", args=[episode.pk])
    assert client.get(response.url).status_code == 200

    client.force_login(world.officer)
    response = client.post(
        reverse("missing:grade", args=[episode.pk]), {"grade": "high", "reason": "Seen with older teenagers"}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("missing:action", args=[episode.pk]),
        {"kind": "search", "where_done": "field", "at": _local(now - timedelta(hours=2)), "note": "Searched the park"},
    )
    assert response.status_code == 302
    # Closing without where or with whom is refused, naming the fields.
    response = client.post(reverse("missing:close", args=[episode.pk]), {"found_at": _local(now - timedelta(hours=1))})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Enter where the child was found" in body and "who the child was found with" in body
    response = client.post(
        reverse("missing:close", args=[episode.pk]),
        {
            "found_at": _local(now - timedelta(hours=1)),
            "place_name": "Harbour bus station",
            "found_with_not_said": "on",
            "brought_back_by": "Police",
            "travel_method": "Police car",
        },
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.CLOSED and episode.found_with_not_said
    rhi = ReturnHomeInterview.objects.get()

    client.force_login(world.rhi_worker)
    queue = client.get(reverse("missing:rhi_queue")).content.decode()
    assert world.resident.family_name in queue and "On time" in queue
    response = client.post(
        reverse("missing:rhi_held", args=[rhi.pk]),
        {
            "held_at": _local(timezone.now()),
            "independent_of_carers": "on",
            "why_went": "Wanted to see friends",
            "safety_advice": "Talked about staying safe",
        },
    )
    assert response.status_code == 302, response.content.decode()
    rhi.refresh_from_db()
    assert rhi.held_in_time
    assert client.get(reverse("missing:rhi", args=[rhi.pk])).status_code == 200

    client.force_login(world.north_supervisor)
    dashboard = client.get(reverse("missing:dashboard")).content.decode()
    assert "Safe Steps Charity" in dashboard
    assert "1 (100%)" in dashboard


def test_person_timeline_shows_the_episode(client, world):
    client.force_login(world.home_staff)
    client.post(
        reverse("missing:report", args=[world.resident.pk]),
        {
            "category": "absent",
            "reported_by_kind": "care_home",
            "reported_at": _local(timezone.now() - timedelta(hours=1)),
            "last_seen_at": _local(timezone.now() - timedelta(hours=2)),
            "last_seen_place": "School",
        },
    )
    client.force_login(world.north_sw)
    body = client.get(reverse("people:detail", args=[world.resident.pk])).content.decode()
    assert "Reported absent" in body


def test_police_protection_board_and_record(client, world):
    f.grant(world.resident, by=world.north_sw, agency=world.police)
    client.force_login(world.officer)
    response = client.post(
        reverse("missing:protection_start", args=[world.resident.pk]),
        {
            "taken_at": _local(timezone.now() - timedelta(hours=1)),
            "grounds": "Found late at night with adults of concern",
            "place_of_safety": "Harbour police station",
            "place_is_police_station": "on",
        },
    )
    assert response.status_code == 302
    protection = PoliceProtection.objects.get()
    board = client.get(reverse("missing:protection_board")).content.decode()
    assert world.resident.family_name in board and "Police station" in board and "Local authority not informed" in board
    response = client.post(
        reverse("missing:protection", args=[protection.pk]),
        {"la_informed_at": _local(timezone.now()), "designate_me": "on"},
    )
    assert response.status_code == 302
    protection.refresh_from_db()
    assert protection.la_informed_at and protection.designated_officer == world.officer


def test_board_and_queue_are_empty_for_other_authority(client, world):
    client.force_login(world.south_sw)
    assert client.get(reverse("missing:protection_board")).status_code == 200
    assert client.get(reverse("missing:rhi_queue")).status_code == 200
    assert client.get(reverse("missing:dashboard")).status_code == 200
