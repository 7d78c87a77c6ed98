"""What other apps add to retention and subject access, so this app needs no knowledge of them.

- `register_sar_source(fn)`: `fn(person, agency) -> SarSection | list[SarSection] | None`, what the
  agency holds about the person in that app, for a subject access export. Name other people in
  `third_parties` (e.g. who a child was found with); names found in free text are marked as well.
- `register_deletion_hook(fn)`: `fn(record) -> dict | None`, called inside the deleting transaction
  before a record is deleted under a retention rule, to remove what refers to it by content type and
  id (which the database cannot cascade). Return counts by type; never content.
"""

from dataclasses import dataclass, field


@dataclass
class SarSection:
    title: str
    items: list[dict]
    third_parties: list[str] = field(default_factory=list)


SAR_SOURCES: list = []
DELETION_HOOKS: list = []


def register_sar_source(source) -> None:
    if source not in SAR_SOURCES:
        SAR_SOURCES.append(source)


def register_deletion_hook(hook) -> None:
    if hook not in DELETION_HOOKS:
        DELETION_HOOKS.append(hook)


def _forget_grants(record) -> dict:
    """Grants of access to the record: their reasons may name the child."""
    from harbour.access.models import AccessGrant

    deleted, _ = AccessGrant.objects.for_record(record).delete()
    return {"access.accessgrant": deleted}


def _forget_notifications(record) -> dict:
    from django.apps import apps

    if not apps.is_installed("harbour.notifications"):
        return {}
    from harbour.notifications.services import forget_record

    return {"notifications.notification": forget_record(record)}


def register_builtins() -> None:
    from django.apps import apps

    from .panels import register_panel
    from .sar import people_sections

    register_sar_source(people_sections)
    register_deletion_hook(_forget_grants)
    register_deletion_hook(_forget_notifications)
    if apps.is_installed("harbour.people"):
        register_panel()
