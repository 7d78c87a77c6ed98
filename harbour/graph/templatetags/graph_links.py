"""`{% person_links person %}`: the "Links" section of a person's page, from the graph app, so the
people app needs one line to show it. Only links the viewer may see are listed (the policy)."""

from django import template

from harbour.accounts.roles import CASEWORK_ROLES

from .. import selectors

register = template.Library()


@register.inclusion_tag("graph/_links.html", takes_context=True)
def person_links(context, person):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.role not in CASEWORK_ROLES:
        return {"show": False}
    return {
        "show": True,
        "record": person,
        "rows": selectors.link_rows(user=user, record=person),
        "chart_kind": "person",
        "request": request,
    }
