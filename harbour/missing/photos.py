"""Photos on Philomena profiles: what is accepted, and where it is kept.

A photo is the most identifying thing Harbour holds about a child, so it is never served as a static
file: it is stored under MEDIA_ROOT with a random name (nothing about the child in the path) and read
back only through a view that asks the access policy and audits the read (views.profile_photo).

The type is decided from the file's first bytes, never from its name or the browser's say-so, and
only JPEG and PNG are kept: what every phone and camera produces, and what every browser shows.
"""

import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

MAX_PHOTO_BYTES = 5 * 1024 * 1024  # 5 MB: a phone photo, not a scan of a photo album
PHOTO_DIR = "philomena"
SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


@dataclass(frozen=True)
class CheckedPhoto:
    content: bytes
    content_type: str
    extension: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def check_photo(upload) -> CheckedPhoto:
    """The upload's bytes, if they are a JPEG or PNG photo of an acceptable size; else a
    ValidationError on the `photo` field saying what to do."""
    if upload is None:
        raise ValidationError({"photo": "Choose a photo to upload."})
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_PHOTO_BYTES:
        raise ValidationError({"photo": "The photo must be smaller than 5 MB."})
    content = upload.read(MAX_PHOTO_BYTES + 1)
    if len(content) > MAX_PHOTO_BYTES:
        raise ValidationError({"photo": "The photo must be smaller than 5 MB."})
    if not content:
        raise ValidationError({"photo": "The selected file is empty."})
    for signature, content_type, extension in SIGNATURES:
        if content.startswith(signature):
            return CheckedPhoto(content, content_type, extension)
    raise ValidationError({"photo": "The photo must be a JPEG or PNG."})


def store(photo: CheckedPhoto) -> str:
    """Keep the photo under a random name; returns its path relative to MEDIA_ROOT."""
    name = f"{PHOTO_DIR}/{secrets.token_hex(16)}.{photo.extension}"
    return default_storage.save(name, ContentFile(photo.content))


def open_photo(path: str):
    return default_storage.open(path, "rb")


def delete(path: str) -> None:
    if path and default_storage.exists(path):
        default_storage.delete(path)
