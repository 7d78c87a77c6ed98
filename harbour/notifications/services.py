"""Raising notifications, marking them read, and emailing them.

`notify()` is the one way any app tells a user something: it keeps the rules in one place.
- Only people who may see the record hear about it: recipients the policy hides it from are dropped,
  so a notification can never leak that a hidden record exists.
- Titles carry no personal details of a child: a reference and a link only. notify() refuses a title
  that names the child the record is about.
- Email never carries the title either, only the kind and a link into Harbour, where the policy is
  checked again when the link is opened.
"""

import logging
import os
import re
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from harbour.access.policy import Action, can

from .kinds import KINDS, Frequency, kind_label
from .models import Notification, NotificationPreference

logger = logging.getLogger(__name__)

TITLE_MAX = 200
DIGEST_WINDOW = timedelta(days=7)  # older unread notifications are not emailed again


def _check_link(link: str) -> None:
    if not link.startswith("/") or link.startswith("//") or not url_has_allowed_host_and_scheme(link, None):
        raise ValueError("A notification links to a page of Harbour: give a path such as /sharing/12/.")


def _person_names(record) -> tuple[set[str], set[str]]:
    """(full names, family names) of the person the record is about, to keep them out of titles."""
    person_id = getattr(record, "audit_person_id", None)
    if not person_id:
        return set(), set()
    from harbour.people.models import PersonName

    full, family = set(), set()
    for given_name, family_name in PersonName.objects.filter(person_id=person_id).values_list(
        "given_name", "family_name"
    ):
        name = f"{given_name} {family_name}".strip()
        if " " in name:
            full.add(name.casefold())
        if len(family_name.strip()) >= 3:
            family.add(family_name.strip())
    return full, family


def check_title(title: str, record=None) -> str:
    """The title, tidied, or ValueError if it is empty, too long or names the child the record is about.

    A child's full name, or their family name as a capitalised word, is refused. A given name alone is
    not checked (too many are ordinary words); titles are written by code as set phrases with a
    reference, so this catches the mistake of formatting the record itself into the title."""
    title = " ".join((title or "").split())
    if not title:
        raise ValueError("A notification needs a title.")
    if len(title) > TITLE_MAX:
        raise ValueError(f"A notification title has at most {TITLE_MAX} characters.")
    if record is not None:
        full, family = _person_names(record)
        folded = title.casefold()
        if any(name in folded for name in full) or any(re.search(rf"\b{re.escape(name)}\b", title) for name in family):
            raise ValueError("A notification title must not name the child: give a reference and a link.")
    return title


def _unique_active(recipients) -> list:
    seen, users = set(), []
    for user in recipients or ():
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        users.append(user)
    return users


def notify(*, recipients, kind: str, title: str, link: str, record=None, dedupe_key: str = "") -> list[Notification]:
    """Tell each recipient who may see `record` (everyone given, if no record): one notification each.

    With a `dedupe_key`, a recipient already told under that key for this kind is not told again,
    so callers that run on a schedule stay idempotent. Returns the notifications created. Emails for
    those who want them straight away are sent once the transaction commits."""
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}: register it with register_kind().")
    title = check_title(title, record)
    _check_link(link)
    content_type = ContentType.objects.get_for_model(record) if record is not None else None
    created = []
    with transaction.atomic():
        for user in _unique_active(recipients):
            if record is not None and not can(user, Action.VIEW, record):
                continue
            fields = {
                "recipient": user,
                "kind": kind,
                "title": title,
                "link": link,
                "content_type": content_type,
                "object_id": record.pk if record is not None else None,
            }
            if dedupe_key:
                if Notification.objects.filter(recipient=user, kind=kind, dedupe_key=dedupe_key).exists():
                    continue
                fields["dedupe_key"] = dedupe_key[:200]
            created.append(Notification.objects.create(**fields))
        if created:
            ids = [n.pk for n in created]
            transaction.on_commit(lambda: send_immediate(ids))
    return created


def forget_record(record) -> int:
    """Remove the notifications about a record (when the record itself is deleted)."""
    deleted, _ = Notification.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    ).delete()
    return deleted


# --- Reading -------------------------------------------------------------------------------------


def mark_read(*, user, notification: Notification) -> Notification:
    if notification.recipient_id != user.pk:
        raise PermissionError("Only the recipient marks a notification read.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


# --- Preferences ---------------------------------------------------------------------------------


def frequencies_for(user) -> dict[str, str]:
    """Every registered kind with the user's chosen frequency (or the kind's default)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "frequency"))
    return {code: chosen.get(code, kind.default_frequency) for code, kind in KINDS.items()}


@transaction.atomic
def preferences_set(*, user, frequencies: dict[str, str]) -> None:
    for code, frequency in frequencies.items():
        if code not in KINDS:
            raise ValueError(f"Unknown notification kind {code!r}.")
        NotificationPreference.objects.update_or_create(
            user=user, kind=code, defaults={"frequency": Frequency(frequency)}
        )


# --- Email ---------------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    """Links in email need the site's address: settings.HARBOUR_BASE_URL or the environment's."""
    base = getattr(settings, "HARBOUR_BASE_URL", "") or os.environ.get("HARBOUR_BASE_URL", "http://localhost:8000")
    return f"{base.rstrip('/')}{path}"


def _open_url(notification: Notification) -> str:
    return _absolute(reverse("notifications:open", args=[notification.pk]))


FOOTER = (
    "Harbour never puts details of the people involved in email. Sign in to see them.\n"
    "Choose which emails you get: {preferences}\n"
)


def send_immediate(notification_ids: list[int]) -> int:
    """Email, one by one, the notifications whose recipients want them straight away. Never raises:
    the notification is in Harbour whatever happens to the email, and the digest retries."""
    sent = 0
    notifications = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).select_related(
        "recipient"
    )
    frequencies: dict[int, dict[str, str]] = {}
    for notification in notifications:
        user = notification.recipient
        if not user.email or not user.is_active:
            continue
        if user.pk not in frequencies:
            frequencies[user.pk] = frequencies_for(user)
        if frequencies[user.pk].get(notification.kind) != Frequency.IMMEDIATELY:
            continue
        body = (
            f"You have a new notification in Harbour: {notification.kind_label}.\n\n"
            f"Open it: {_open_url(notification)}\n\n"
            + FOOTER.format(preferences=_absolute(reverse("notifications:preferences")))
        )
        try:
            send_mail("Harbour: new notification", body, None, [user.email])
        except Exception:  # the digest will try again
            logger.exception("Could not email notification %s", notification.pk)
            continue
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


def digests_send(*, now=None) -> int:
    """One email per user listing their unread notifications not yet emailed (kinds they want by
    email), with links only. Safe to run again: what was emailed is marked. Returns emails sent."""
    now = now or timezone.now()
    pending = (
        Notification.objects.filter(read_at__isnull=True, emailed_at__isnull=True, created_at__gte=now - DIGEST_WINDOW)
        .filter(Q(recipient__is_active=True) & ~Q(recipient__email=""))
        .select_related("recipient")
        .order_by("recipient_id", "created_at")
    )
    by_user: dict[int, list[Notification]] = {}
    users = {}
    for notification in pending:
        by_user.setdefault(notification.recipient_id, []).append(notification)
        users[notification.recipient_id] = notification.recipient
    sent = 0
    for user_id, notifications in by_user.items():
        user = users[user_id]
        wanted = frequencies_for(user)
        chosen = [n for n in notifications if wanted.get(n.kind) in (Frequency.DAILY, Frequency.IMMEDIATELY)]
        if not chosen:
            continue
        lines = [f"You have {len(chosen)} unread notification(s) in Harbour:", ""]
        for notification in chosen:
            lines.append(f"- {kind_label(notification.kind)}: {_open_url(notification)}")
        lines += ["", FOOTER.format(preferences=_absolute(reverse("notifications:preferences")))]
        try:
            send_mail("Harbour: your notifications", "\n".join(lines), None, [user.email])
        except Exception:
            logger.exception("Could not email a digest to user %s", user_id)
            continue
        Notification.objects.filter(pk__in=[n.pk for n in chosen]).update(emailed_at=now)
        sent += 1
    return sent
