"""`{% person_panels person %}`: draw the panels other apps registered for the person page."""

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html_join

from harbour.people.panels import panels_for

register = template.Library()


@register.simple_tag(takes_context=True)
def person_panels(context, person):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    # Each part is a template rendered with autoescaping (a SafeString), so joining keeps it safe.
    parts = [render_to_string(name, panel_context, request=request) for name, panel_context in panels_for(person, user)]
    return format_html_join("", "{}", ((part,) for part in parts))
