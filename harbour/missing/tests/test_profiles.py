"""Philomena profiles: kept by the care home, handed to police the moment the child is reported
missing, the photo served only through the policy, every read audited."""

import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse

from harbour.audit.models import AuditAction, AuditEvent
from harbour.demo import factories as f
from harbour.missing import selectors, services
from harbour.missing.models import PhilomenaProfile, ProfileItem

from .helpers import close, report

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    """A real 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0\0\0\0\0"))
        + chunk(b"IEND", b"")
    )


def upload(content: bytes = b"", name: str = "photo.png", content_type: str = "image/png"):
    return SimpleUploadedFile(name, content or png_bytes(), content_type=content_type)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def profile(world):
    caller = world.caller(world.home_staff)
    services.profile_update(
        caller=caller, child=world.resident, description="Slim, about 5ft 4in, short dark hair", habits="Takes the 42"
    )
    services.profile_add_item(caller=caller, child=world.resident, kind="phone", value="07700 900123")
    services.profile_add_item(
        caller=caller, child=world.resident, kind="social_media", value="@ellery_v", detail="Snapchat"
    )
    services.profile_add_item(caller=caller, child=world.resident, kind="place", value="Retail park car park")
    services.profile_set_photo(caller=caller, child=world.resident, photo=upload())
    return PhilomenaProfile.objects.get(child=world.resident)


def test_care_home_keeps_the_profile_and_every_change_is_audited(world, profile, media):
    assert profile.care_home == world.home
    assert profile.photo_content_type == "image/png" and profile.photo_size == len(png_bytes())
    assert (media / profile.photo_path).read_bytes() == png_bytes()
    assert "ellery" not in profile.photo_path.lower()  # nothing about the child in the file name
    assert ProfileItem.objects.filter(profile=profile).count() == 3
    events = AuditEvent.objects.filter(object_type="missing.philomenaprofile")
    assert events.filter(action=AuditAction.CREATE).count() == 1
    assert events.filter(action=AuditAction.UPDATE).count() == 5
    assert set(events.values_list("person_id", flat=True)) == {world.resident.pk}


def test_a_new_photo_replaces_the_old_file(world, profile, media, django_capture_on_commit_callbacks):
    old = media / profile.photo_path
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_set_photo(caller=world.caller(world.home_staff), child=world.resident, photo=upload())
    profile.refresh_from_db()
    assert not old.exists() and (media / profile.photo_path).exists()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"GIF89a not a photo we keep", "JPEG or PNG"),
        (b"<svg onload='alert(1)'></svg>", "JPEG or PNG"),
        (b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024), "smaller than 5 MB"),
    ],
)
def test_only_jpeg_or_png_under_5mb_is_kept(world, content, message, media):
    with pytest.raises(ValidationError) as error:
        services.profile_set_photo(
            caller=world.caller(world.home_staff),
            child=world.resident,
            photo=upload(content, name="photo.png", content_type="image/png"),
        )
    assert message in str(error.value.message_dict["photo"])
    assert not (media / "philomena").exists() or not any((media / "philomena").iterdir())


def test_only_the_home_of_a_current_resident_and_the_childs_council_keep_the_profile(world):
    for user in (world.other_home_staff, world.rhi_worker, world.south_sw):
        with pytest.raises(Http404):
            services.profile_update(caller=world.caller(user), child=world.resident, description="x")
    services.profile_update(caller=world.caller(world.north_sw), child=world.resident, description="From the council")
    # Police read it (once they see the child) but do not keep it.
    report(world)
    with pytest.raises(Http404):
        services.profile_update(caller=world.caller(world.officer), child=world.resident, description="x")


def test_police_see_the_profile_the_moment_a_care_home_reports_the_child_missing(client, world, profile):
    assert selectors.profile_get(caller=world.caller(world.officer), child=world.resident) is None
    episode = report(world)
    client.force_login(world.officer)
    body = client.get(reverse("missing:episode", args=[episode.pk])).content.decode()
    assert "Philomena profile" in body and "short dark hair" in body and "07700 900123" in body
    assert reverse("missing:profile_photo", args=[profile.pk]) in body
    response = client.get(reverse("missing:profile_photo", args=[profile.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png" and "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == png_bytes()
    reads = AuditEvent.objects.filter(
        actor=world.officer, action=AuditAction.VIEW, object_type="missing.philomenaprofile"
    )
    assert {e.details["purpose"] for e in reads} == {"missing episode", "photo"}


def test_the_interview_provider_and_others_never_get_the_profile_or_photo(client, world, profile):
    close(world, report(world))  # the provider now has a share on the child for the interview
    for user in (world.rhi_worker, world.other_home_staff, world.south_sw):
        client.force_login(user)
        assert client.get(reverse("missing:profile_photo", args=[profile.pk])).status_code == 404
        assert client.get(reverse("missing:profile", args=[world.resident.pk])).status_code == 404
    assert AuditEvent.objects.filter(
        actor=world.rhi_worker, action=AuditAction.DENIED, object_type="missing.philomenaprofile"
    ).exists()


def test_profile_page_lists_the_missing_history_automatically(client, world, profile):
    first = report(world)
    close(world, first)
    client.force_login(world.home_staff)
    body = client.get(reverse("missing:profile", args=[world.resident.pk])).content.decode()
    assert reverse("missing:episode", args=[first.pk]) in body and "Bus station" in body
    assert "Upload a photo" not in body and "Replace photo" in body


def test_profile_screens_for_the_home(client, world):
    client.force_login(world.home_staff)
    url = reverse("missing:profile_edit", args=[world.resident.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"description": "Tall", "habits": "", "health_needs": "Asthma inhaler"})
    assert response.status_code == 302
    response = client.post(
        reverse("missing:profile_photo_upload", args=[world.resident.pk]), {"photo": upload(b"GIF89a....")}
    )
    assert response.status_code == 200 and "JPEG or PNG" in response.content.decode()
    response = client.post(reverse("missing:profile_photo_upload", args=[world.resident.pk]), {"photo": upload()})
    assert response.status_code == 302
    adult = f.make_person(owning_agency=world.north, kind="adult_of_concern", given_name="Rook", family_name="Tallis")
    response = client.post(
        reverse("missing:profile_item", args=[world.resident.pk]), {"kind": "associate", "person": adult.pk}
    )
    # Care-home staff see only their residents, so they cannot link an adult on record: they name them.
    assert response.status_code == 200
    response = client.post(
        reverse("missing:profile_item", args=[world.resident.pk]),
        {"kind": "associate", "value": "Older male called 'Rook'", "detail": "Drives a silver car"},
    )
    assert response.status_code == 302
    item = ProfileItem.objects.get(kind="associate")
    response = client.post(reverse("missing:profile_item_remove", args=[world.resident.pk, item.pk]))
    assert response.status_code == 302 and not ProfileItem.objects.filter(pk=item.pk).exists()
    page = client.get(reverse("missing:profile", args=[world.resident.pk])).content.decode()
    assert "Asthma inhaler" in page and "Associates" in page
