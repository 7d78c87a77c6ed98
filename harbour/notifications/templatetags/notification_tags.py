"""`{% working_together_nav %}`: the header's links to referrals, retention and notifications, with the
unread count that htmx refreshes every few seconds (no page reload)."""

from django import template
from django.conf import settings
from django.template.loader import render_to_string

from harbour.accounts.roles import CASEWORK_ROLES, Role
from harbour.notifications.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def working_together_nav(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    match = getattr(request, "resolver_match", None)
    return render_to_string(
        "notifications/_nav.html",
        {
            "section": match.namespace if match else "",
            "unread_count": unread_count(user=user),
            "poll_seconds": getattr(settings, "HARBOUR_NOTIFICATION_POLL_SECONDS", 10),
            "show_referrals": user.role in CASEWORK_ROLES and bool(user.agency_id),
            "show_retention": user.role in (Role.SUPERVISOR, Role.ADMINISTRATOR) and bool(user.agency_id),
        },
        request=request,
    )
