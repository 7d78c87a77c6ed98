from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html

from harbour.core.templatetags.harbour_format import time_tag

register = template.Library()


@register.simple_tag
def evidence_message(message, highlight: bool = False):
    """One message as search results show it (sender, London time, line in the original, text).
    A tag, not an include: a page of results draws a hundred of these, and an include costs
    several times more each."""
    return format_html(
        '<div class="harbour-evidence-message{}" id="m{}">'
        '<p class="govuk-body-s govuk-!-margin-bottom-1"><strong>{}</strong> · {} · line {}</p>'
        '<p class="govuk-body govuk-!-margin-bottom-2">{}</p></div>',
        " harbour-evidence-message--hit" if highlight else "",
        message.pk,
        message.sender,
        time_tag(message.sent_at),
        message.line_no,
        linebreaksbr(message.text, autoescape=True),
    )


@register.filter
def get(mapping, key):
    """mapping[key] in a template (labels of indicator families and the like)."""
    try:
        return mapping.get(key, key)
    except AttributeError:
        return key


@register.filter
def filesize(value):
    value = float(value or 0)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return value
