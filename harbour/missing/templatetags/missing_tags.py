"""Template tags for missing children: the service navigation entries each role gets."""

from django import template
from django.urls import reverse

from harbour.accounts.models import AgencyKind
from harbour.accounts.roles import CASEWORK_ROLES, Role

register = template.Library()

CASEWORK_AGENCIES = {AgencyKind.POLICE, AgencyKind.CHILDRENS_SOCIAL_CARE}
SUPERVISING_ROLES = {Role.SUPERVISOR, Role.MACE_CHAIR}

# (label, url name, url names that make it the current section)
EPISODES = (
    "Missing children",
    "episodes",
    {
        "episodes",
        "episode",
        "grade",
        "risk_information",
        "action",
        "close",
        "report",
        "safe_and_well",
        "tasks",
        "task_done",
        "care_home",
        "care_homes",
        "profile",
        "profile_edit",
        "profile_photo_upload",
        "profile_item",
        "profile_item_remove",
        "trigger_plan",
        "trigger_plan_edit",
    },
)
INTERVIEWS = ("Return interviews", "rhi_queue", {"rhi_queue", "rhi", "rhi_offer", "rhi_refuse", "rhi_held"})
PROTECTION = ("Police protection", "protection_board", {"protection_board", "protection", "protection_start"})
DASHBOARD = ("Missing dashboard", "dashboard", {"dashboard"})


def nav_entries(user) -> list[tuple[str, str, set]]:
    """Which missing-children screens a user is offered. The screens themselves still ask the policy:
    this only keeps the menu short for those who have no use for a screen."""
    if not user or not user.is_authenticated or not user.is_active or not user.agency_id:
        return []
    if user.role == Role.CARE_HOME_STAFF:
        return [EPISODES]
    if user.role not in CASEWORK_ROLES:
        return []
    kind = user.agency.kind
    entries = []
    if kind in CASEWORK_AGENCIES:
        entries.append(EPISODES)
    if kind in (AgencyKind.RETURN_INTERVIEW_PROVIDER, AgencyKind.CHILDRENS_SOCIAL_CARE):
        entries.append(INTERVIEWS)
    if kind in CASEWORK_AGENCIES:
        entries.append(PROTECTION)
    if user.role in SUPERVISING_ROLES and kind in CASEWORK_AGENCIES | {AgencyKind.RETURN_INTERVIEW_PROVIDER}:
        entries.append(DASHBOARD)
    return entries


@register.inclusion_tag("missing/_nav.html", takes_context=True)
def missing_nav(context):
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match is not None and match.namespace == "missing" else None
    items = [
        {"label": label, "url": reverse(f"missing:{name}"), "active": current in names, "page": current == name}
        for label, name, names in nav_entries(getattr(request, "user", None))
    ]
    return {"items": items}
