"""Missing children over the API: the same policy, services and audit as the screens."""

from datetime import timedelta

import pytest
from django.utils import timezone
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from harbour.api.services import token_issue
from harbour.audit.models import AuditAction, AuditEvent
from harbour.core.caller import Caller
from harbour.demo import factories as f
from harbour.missing import services
from harbour.missing.models import EpisodeStatus, MissingEpisode, PoliceProtection, ReturnHomeInterview

from .helpers import close, report

pytestmark = pytest.mark.django_db
BASE = "/api/v1/missing/"


@pytest.fixture
def api():
    def as_user(user):
        client = APIClient()
        _, raw = token_issue(caller=Caller(user=user))
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return client

    return as_user


def iso(moment) -> str:
    return moment.isoformat()


def test_care_home_reports_over_the_api_and_police_grade_and_close(api, world):
    now = timezone.now()
    response = api(world.home_staff).post(
        f"{BASE}episodes/",
        {
            "child": world.resident.pk,
            "reported_by_kind": "care_home",
            "reported_at": iso(now - timedelta(hours=2)),
            "last_seen_at": iso(now - timedelta(hours=3)),
            "last_seen_place": "Front gate",
            "clothing": "Black coat",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    episode_id = response.json()["id"]
    assert response["Location"] == f"{BASE}episodes/{episode_id}/"
    assert response.json()["owning_agency"]["name"] == "Harbour Police"

    police = api(world.officer)
    assert police.get(f"{BASE}episodes/", {"status": "open"}).json()["results"][0]["id"] == episode_id
    response = police.post(f"{BASE}episodes/{episode_id}/grade/", {"grade": "high", "reason": "Adults"}, format="json")
    assert response.status_code == 200 and response.json()["current_grade"]["grade"] == "high"
    # Where and with whom are required, by field.
    response = police.post(f"{BASE}episodes/{episode_id}/close/", {"found_at": iso(now)}, format="json")
    assert response.status_code == 400
    assert {"found_where", "found_with"} <= set(response.json()["errors"])
    response = police.post(
        f"{BASE}episodes/{episode_id}/close/",
        {
            "found_at": iso(now - timedelta(minutes=5)),
            "new_place": {"name": "Underpass by the canal", "postcode": "HB3 1AA"},
            "new_people": [{"given_name": "Dee", "kind": "adult_of_concern", "estimated_age_years": 26}],
            "brought_back_by": "Police",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == EpisodeStatus.CLOSED and body["found_where"]["name"] == "Underpass by the canal"
    assert [p["name"] for p in body["found_with"]] == ["Dee Not known"]
    assert body["return_interview"] == ReturnHomeInterview.objects.get().pk
    # The care home sees the episode but not the police-held person found with the child.
    home_view = api(world.home_staff).get(f"{BASE}episodes/{episode_id}/").json()
    assert home_view["found_with"] == [] and home_view["found_with_hidden"] == 1
    assert "Dee" not in str(home_view)


def test_provider_reads_its_queue_and_records_the_interview(api, world):
    close(world, report(world))
    rhi = ReturnHomeInterview.objects.get()
    provider = api(world.rhi_worker)
    queue = provider.get(f"{BASE}return-interviews/").json()
    assert [r["id"] for r in queue["results"]] == [rhi.pk]
    assert queue["results"][0]["clock"]["status"] == "on_time" and queue["results"][0]["clock"]["remaining_seconds"] > 0
    assert api(world.other_rhi_worker).get(f"{BASE}return-interviews/").json()["results"] == []
    response = provider.post(
        f"{BASE}return-interviews/{rhi.pk}/held/",
        {
            "held_at": iso(timezone.now()),
            "independent_of_carers": True,
            "why_went": "To see friends",
            "new_places": [{"name": "Skate park"}],
            "people": [999999],
        },
        format="json",
    )
    assert response.status_code == 400 and response.json()["errors"] == {
        "people": ["Choose people from records you can see."]
    }
    assert not ReturnHomeInterview.objects.get().held_at  # nothing half-done
    response = provider.post(
        f"{BASE}return-interviews/{rhi.pk}/held/",
        {
            "held_at": iso(timezone.now()),
            "independent_of_carers": True,
            "why_went": "To see friends",
            "new_places": [{"name": "Skate park"}],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["held_in_time"] and response.json()["places"][0]["name"] == "Skate park"
    assert provider.get(f"{BASE}return-interviews/").json()["results"] == []
    assert provider.get(f"{BASE}return-interviews/{rhi.pk}/").json()["clock"]["status"] == "done"


def test_hidden_and_absent_records_answer_the_same_404_and_denials_are_audited(api, world):
    episode = report(world)
    close(world, episode)
    rhi = ReturnHomeInterview.objects.get()
    outsider = api(world.south_sw)
    for url in (
        f"{BASE}episodes/{episode.pk}/",
        f"{BASE}episodes/999999/",
        f"{BASE}return-interviews/{rhi.pk}/",
        f"{BASE}return-interviews/999999/",
    ):
        response = outsider.get(url)
        assert response.status_code == 404 and response.json() == {"detail": "Not found."}, url
    response = outsider.post(
        f"{BASE}episodes/",
        {
            "child": world.resident.pk,
            "reported_by_kind": "other",
            "reported_at": iso(timezone.now()),
            "last_seen_at": iso(timezone.now() - timedelta(hours=1)),
            "last_seen_place": "x",
        },
        format="json",
    )
    assert response.status_code == 404
    assert outsider.get(f"{BASE}episodes/").json()["results"] == []
    assert AuditEvent.objects.filter(actor=world.south_sw, action=AuditAction.DENIED).count() == 5
    # The provider sees the episode but may not close or grade it.
    provider = api(world.rhi_worker)
    assert provider.get(f"{BASE}episodes/{episode.pk}/").status_code == 200
    assert (
        provider.post(f"{BASE}episodes/{episode.pk}/grade/", {"grade": "low", "reason": "x"}, format="json").status_code
        == 404
    )


def test_every_api_read_is_audited(api, world):
    episode = report(world)
    client = api(world.officer)
    before = AuditEvent.objects.count()
    client.get(f"{BASE}episodes/")
    client.get(f"{BASE}episodes/{episode.pk}/")
    client.get(f"{BASE}return-interviews/")
    client.get(f"{BASE}police-protection/")
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert len(events) == 4 and all(e.actor == world.officer for e in events)
    assert events[0].details["ids"] == [episode.pk]


def test_police_protection_board_and_record(api, world):
    f.grant(world.resident, by=world.north_sw, agency=world.police)
    protection = services.police_protection_start(
        caller=world.caller(world.officer),
        child=world.resident,
        taken_at=timezone.now() - timedelta(hours=70),
        grounds="Found with adults of concern at night",
        place_of_safety="Harbour police station",
        place_is_police_station=True,
    )
    client = api(world.officer)
    board = client.get(f"{BASE}police-protection/").json()["results"]
    assert board[0]["id"] == protection.pk and board[0]["clock"]["status"] == "due_soon"
    assert "Local authority not informed" in board[0]["missing_notifications"]
    detail = client.get(f"{BASE}police-protection/{protection.pk}/").json()
    assert detail["grounds"].startswith("Found") and detail["place_is_police_station"]
    assert api(world.south_sw).get(f"{BASE}police-protection/{protection.pk}/").status_code == 404
    assert PoliceProtection.objects.count() == 1


def test_strict_input_names_unknown_fields(api, world):
    episode = report(world)
    response = api(world.officer).post(
        f"{BASE}episodes/{episode.pk}/close/", {"found_at": iso(timezone.now()), "ends_at": "x"}, format="json"
    )
    assert response.status_code == 400 and response.json()["errors"] == {"ends_at": ["Unknown field."]}
    assert MissingEpisode.objects.get().is_open


def test_schema_describes_the_missing_endpoints():
    schema = APIClient().get("/api/v1/schema/", {"format": "json"}).json()
    validate_schema(schema)
    paths = schema["paths"]
    assert {
        "/api/v1/missing/episodes/",
        "/api/v1/missing/episodes/{id}/",
        "/api/v1/missing/episodes/{id}/close/",
        "/api/v1/missing/return-interviews/",
        "/api/v1/missing/return-interviews/{id}/held/",
        "/api/v1/missing/police-protection/",
        "/api/v1/missing/police-protection/{id}/",
    } <= set(paths)
    assert set(paths["/api/v1/missing/episodes/"]) == {"get", "post"}
    assert {"bearerAuth": []} in paths["/api/v1/missing/episodes/"]["get"]["security"]
