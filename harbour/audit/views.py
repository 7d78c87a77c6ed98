from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from harbour.accounts.roles import Role

from .forms import AuditFilterForm
from .selectors import audit_event_list


def audit_log(request):
    """Who looked at this person; what did this user look at. Auditors only."""
    if request.user.role != Role.AUDITOR:
        raise Http404("Not found")
    form = AuditFilterForm(request.GET or None, auditor=request.user)
    events = None
    if form.is_valid():
        data = form.cleaned_data
        events = audit_event_list(
            user=request.user,
            person_id=data.get("person_id"),
            actor_id=data["actor"].pk if data.get("actor") else None,
            action=data.get("action") or "",
            since=data.get("since"),
            until=data.get("until"),
            alerts_only=data.get("alerts_only") or False,
        ).select_related("actor")
    elif not request.GET:
        events = audit_event_list(user=request.user).select_related("actor")
    page = Paginator(events, 50).get_page(request.GET.get("page")) if events is not None else None
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/log.html", {"form": form, "page": page, "query": query.urlencode()})
