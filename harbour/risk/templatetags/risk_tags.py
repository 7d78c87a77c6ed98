"""The risk level as a coloured tag."""

from django import template
from django.utils.html import format_html

from .. import constants as c

register = template.Library()

TAG_CLASSES = {
    c.NOT_AT_RISK: "govuk-tag--grey",
    c.AT_RISK: "govuk-tag--yellow",
    c.SIGNIFICANT: "govuk-tag--orange",
    c.SERIOUS: "govuk-tag--red",
}


@register.simple_tag
def level_tag(level: str):
    if not level:
        return ""
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>', TAG_CLASSES.get(level, ""), c.LEVEL_LABELS.get(level, level)
    )


@register.filter
def level_label(level: str) -> str:
    return c.LEVEL_LABELS.get(level, level or "")
