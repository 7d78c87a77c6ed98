"""Showing an order's subject and status the same way on every page."""

from django import template

from harbour.disruption.models import OrderStatus

register = template.Library()

STATUS_TAGS = {
    OrderStatus.CONSIDERED: "govuk-tag--grey",
    OrderStatus.APPLIED: "govuk-tag--blue",
    OrderStatus.GRANTED: "govuk-tag--green",
    OrderStatus.SERVED: "govuk-tag--green",
    OrderStatus.REFUSED: "govuk-tag--grey",
    OrderStatus.EXPIRED: "govuk-tag--grey",
    OrderStatus.DISCHARGED: "govuk-tag--grey",
    OrderStatus.BREACHED: "govuk-tag--red",
}


@register.filter
def status_tag(order) -> str:
    return STATUS_TAGS.get(order.effective_status(), "govuk-tag--grey")


@register.simple_tag(takes_context=True)
def order_subject(context, order) -> str:
    """Who or what the order is against, as far as the viewer may see: a person hidden from them is
    "a person you cannot see", never a name. (Autoescaped: a plain string.)"""
    from harbour.disruption.selectors import subject_visible

    user = context.get("user") or context["request"].user
    if order.subject_person_id and not subject_visible(user=user, order=order):
        return "a person you cannot see"
    return order.subject_label
