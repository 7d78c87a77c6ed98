"""Screens for matching, networks, the period figure, hotspots and co-presence alerts. Thin: forms
validate, services write, selectors read (scoped by the user and audited)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from harbour.access.policy import Action, can, get_or_404
from harbour.accounts.roles import CASEWORK_ROLES
from harbour.core.caller import Caller
from harbour.core.forms import add_service_errors

from . import selectors, services
from .access_rules import is_police_analyst
from .forms import AlertReviewForm, DecisionForm, NetworkForm, PeriodForm, SimilarPeopleForm, UndoForm
from .models import AlertStatus, AnalysisTask, MatchStatus


def _casework(request) -> None:
    if getattr(request.user, "role", None) not in CASEWORK_ROLES:
        raise Http404("Not found")


def index(request):
    _casework(request)
    user = request.user
    context = {
        "proposals": selectors.candidates_visible(user=user).count(),
        "is_police_analyst": is_police_analyst(user),
        "open_alerts": selectors.alerts_visible(user=user).count() if is_police_analyst(user) else 0,
        "tasks": selectors.tasks_visible(user=user)[:20],
    }
    return render(request, "analysis/index.html", context)


def match_list(request):
    _casework(request)
    status = request.GET.get("status", MatchStatus.PROPOSED)
    if status not in MatchStatus.values:
        status = MatchStatus.PROPOSED
    candidates = selectors.candidates_visible(user=request.user, status=status)
    page = Paginator(candidates, 25).get_page(request.GET.get("page"))
    selectors.audit_listing(
        Caller.from_request(request),
        what="match_candidates",
        person_ids={pid for c in page for pid in (c.person_a_id, c.person_b_id)},
        details={"status": status},
    )
    return render(
        request,
        "analysis/matches.html",
        {"page": page, "status": status, "statuses": MatchStatus.choices, "query": f"status={status}"},
    )


@require_http_methods(["GET", "POST"])
def match_detail(request, pk: int):
    _casework(request)
    caller = Caller.from_request(request)
    candidate = selectors.candidate_get(caller=caller, pk=pk)
    may_decide = can(request.user, Action.CHANGE, candidate)
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if not may_decide:
            raise Http404("Not found")
        if form.is_valid():
            try:
                if form.cleaned_data["decision"] == "confirm":
                    services.match_confirm(caller=caller, candidate=candidate, reason=form.cleaned_data["reason"])
                    messages.success(request, "Confirmed: the two records are joined as one person. You can undo this.")
                else:
                    services.match_reject(caller=caller, candidate=candidate, reason=form.cleaned_data["reason"])
                    messages.success(request, "Rejected: this pair will not be proposed again.")
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("analysis:match", pk=candidate.pk)
    context = {
        "candidate": candidate,
        "a": candidate.person_a,
        "b": candidate.person_b,
        "may_decide": may_decide,
        "form": form,
        "undo_form": UndoForm(),
        "decisions": selectors.candidate_decisions(user=request.user, candidate=candidate),
    }
    return render(request, "analysis/match.html", context)


@require_POST
def match_undo(request, pk: int):
    _casework(request)
    caller = Caller.from_request(request)
    candidate = selectors.candidate_get(caller=caller, pk=pk)
    if not can(request.user, Action.CHANGE, candidate):
        raise Http404("Not found")
    form = UndoForm(request.POST)
    if form.is_valid():
        try:
            services.match_undo(caller=caller, candidate=candidate, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Undone: the two records are separate again and the pair is back for review.")
            return redirect("analysis:match", pk=candidate.pk)
    context = {
        "candidate": candidate,
        "a": candidate.person_a,
        "b": candidate.person_b,
        "may_decide": True,
        "form": DecisionForm(),
        "undo_form": form,
        "decisions": selectors.candidate_decisions(user=request.user, candidate=candidate),
    }
    return render(request, "analysis/match.html", context, status=400)


def similar_people(request):
    """htmx fragment for the new-person form: likely existing records the user may see."""
    if getattr(request.user, "role", None) not in CASEWORK_ROLES:
        raise Http404("Not found")
    form = SimilarPeopleForm(request.GET)
    results = []
    if form.is_valid():
        results = selectors.similar_people(
            caller=Caller.from_request(request),
            given_name=form.cleaned_data["given_name"],
            family_name=form.cleaned_data["family_name"],
            date_of_birth=form.cleaned_data["date_of_birth"],
        )
    return render(request, "analysis/_similar_people.html", {"results": results})


def networks(request):
    _casework(request)
    form = NetworkForm(request.GET or None)
    start, end = form.period()
    link_types = form.cleaned_data.get("link_types") if form.is_bound and form.is_valid() else None
    view = selectors.network(caller=Caller.from_request(request), start=start, end=end, link_types=link_types)
    return render(request, "analysis/networks.html", {"form": form, "network": view, "start": start, "end": end})


def period(request):
    _casework(request)
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    figure, rows = selectors.period_figure(caller=Caller.from_request(request), start=start, end=end)
    return render(request, "analysis/period.html", {"form": form, "figure": figure, "rows": rows})


def hotspots(request):
    _casework(request)
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    spots, areas, projection = selectors.hotspots(caller=Caller.from_request(request), start=start, end=end)
    located = [s for s in spots if s.x is not None]
    context = {
        "form": form,
        "spots": spots,
        "areas": areas,
        "located": located,
        "projection": projection,
        "scale_m": round(projection.metres_per_pixel() * 100) if projection else None,
        "start": start,
        "end": end,
    }
    return render(request, "analysis/hotspots.html", context)


def alert_list(request):
    if not is_police_analyst(request.user):
        raise Http404("Not found")
    status = request.GET.get("status", AlertStatus.OPEN)
    if status not in AlertStatus.values:
        status = AlertStatus.OPEN
    alerts = selectors.alerts_visible(user=request.user, status=status)
    return render(
        request, "analysis/alerts.html", {"alerts": alerts, "status": status, "statuses": AlertStatus.choices}
    )


@require_http_methods(["GET", "POST"])
def alert_detail(request, pk: int):
    caller = Caller.from_request(request)
    alert = selectors.alert_get(caller=caller, pk=pk)
    form = AlertReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.alert_review(caller=caller, alert=alert, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Alert marked as reviewed.")
            return redirect("analysis:alert", pk=alert.pk)
    children, hidden = selectors.alert_children(user=request.user, alert=alert)
    context = {
        "alert": alert,
        "children": children,
        "hidden_children": hidden,
        "links": selectors.alert_links(user=request.user, alert=alert),
        "form": form,
    }
    return render(request, "analysis/alert.html", context)


@require_POST
def task_done(request, pk: int):
    _casework(request)
    task = get_or_404(request.user, AnalysisTask.objects.all(), Action.VIEW, pk=pk)
    services.analysis_task_done(caller=Caller.from_request(request), task=task)
    messages.success(request, "Task marked as done.")
    return redirect("analysis:index")
