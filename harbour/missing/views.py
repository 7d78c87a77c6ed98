"""Screens for missing episodes, return home interviews and police protection.

Thin: forms check shape, services write (and check the policy), selectors read (and audit).
Anything the user may not see or change answers 404.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from harbour.access.policy import Action, can, scope
from harbour.core.caller import Caller
from harbour.core.forms import add_service_errors
from harbour.people import selectors as people_selectors

from . import forms, selectors, services
from .access_rules import may_grade, may_report_missing, may_start_police_protection
from .models import ReturnHomeInterview


def _form_page(request, form, *, title, back_url, caption="", intro=""):
    context = {"form": form, "title": title, "back_url": back_url, "caption": caption, "intro": intro}
    return render(request, "missing/form.html", context)


def _submit(request, form, write, *, success: str, redirect_to: str):
    """Run the service on a valid POST; its errors land on the form. Returns a response or None."""
    if request.method == "POST" and form.is_valid():
        try:
            write()
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(redirect_to)
    return None


# --- Episodes ---


@require_http_methods(["GET", "POST"])
def episode_report(request, person_id: int):
    caller = Caller.from_request(request)
    child = people_selectors.person_get(caller=caller, pk=person_id, purpose="report missing")
    if not may_report_missing(request.user, child):
        raise Http404("Not found")
    form = forms.EpisodeReportForm(request.POST or None, initial={"reported_at": timezone.localtime()})
    created = {}

    def write():
        created["episode"] = services.episode_report(caller=caller, child=child, **form.cleaned_data)

    if request.method == "POST" and form.is_valid():
        try:
            write()
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{child} reported missing.")
            return redirect("missing:episode", pk=created["episode"].pk)
    return _form_page(
        request,
        form,
        title="Report a child missing",
        caption=str(child),
        back_url=reverse("people:detail", args=[child.pk]),
    )


def episode_detail(request, pk: int):
    caller = Caller.from_request(request)
    episode = selectors.episode_get(caller=caller, pk=pk)
    user = request.user
    rhi = scope(user, ReturnHomeInterview.objects.filter(episode=episode)).first()
    context = {
        "episode": episode,
        "child": episode.child,
        "gradings": scope(user, episode.gradings.select_related("graded_by")),
        "risk_information": scope(user, episode.risk_information.all()),
        "actions": scope(user, episode.actions.select_related("officer")),
        "checks": scope(user, episode.safe_and_well_checks.select_related("officer")),
        "found_with": scope(user, episode.found_with.all()),
        "rhi": rhi,
        "tasks": selectors.trigger_tasks_open(user=user, child=episode.child),
        "can_change": can(user, Action.CHANGE, episode),
        "can_grade": may_grade(user, episode),
    }
    return render(request, "missing/episode.html", context)


def _changeable_episode(request, pk, purpose):
    episode = selectors.episode_get(caller=Caller.from_request(request), pk=pk, purpose=purpose)
    if not can(request.user, Action.CHANGE, episode):
        raise Http404("Not found")
    return episode


@require_http_methods(["GET", "POST"])
def episode_grade(request, pk: int):
    episode = selectors.episode_get(caller=Caller.from_request(request), pk=pk, purpose="grade")
    if not may_grade(request.user, episode):
        raise Http404("Not found")
    form = forms.GradeForm(request.POST or None)
    back = reverse("missing:episode", args=[episode.pk])
    response = _submit(
        request,
        form,
        lambda: services.episode_grade(caller=Caller.from_request(request), episode=episode, **form.cleaned_data),
        success="Risk grade recorded.",
        redirect_to=back,
    )
    return response or _form_page(request, form, title="Grade the risk", caption=str(episode.child), back_url=back)


@require_http_methods(["GET", "POST"])
def episode_risk_information(request, pk: int):
    episode = _changeable_episode(request, pk, "add risk information")
    form = forms.RiskInformationForm(request.POST or None)
    back = reverse("missing:episode", args=[episode.pk])
    response = _submit(
        request,
        form,
        lambda: services.episode_add_risk_information(
            caller=Caller.from_request(request), episode=episode, **form.cleaned_data
        ),
        success="Risk information recorded.",
        redirect_to=back,
    )
    return response or _form_page(
        request, form, title="Add risk information", caption=str(episode.child), back_url=back
    )


@require_http_methods(["GET", "POST"])
def episode_action(request, pk: int):
    episode = _changeable_episode(request, pk, "add action")
    form = forms.ActionForm(request.POST or None, initial={"at": timezone.localtime()})
    back = reverse("missing:episode", args=[episode.pk])

    def write():
        data = dict(form.cleaned_data)
        data["field_based"] = data.pop("where_done") == "field"
        services.episode_add_action(caller=Caller.from_request(request), episode=episode, **data)

    response = _submit(request, form, write, success="Action recorded.", redirect_to=back)
    return response or _form_page(request, form, title="Record an action", caption=str(episode.child), back_url=back)


@require_http_methods(["GET", "POST"])
def episode_close(request, pk: int):
    episode = _changeable_episode(request, pk, "close")
    form = forms.CloseForm(request.POST or None, user=request.user, child=episode.child)
    back = reverse("missing:episode", args=[episode.pk])
    response = _submit(
        request,
        form,
        lambda: services.episode_close(caller=Caller.from_request(request), episode=episode, **form.service_kwargs()),
        success="Episode closed. The return home interview is due in 72 hours.",
        redirect_to=back,
    )
    return response or _form_page(
        request,
        form,
        title="Found or returned",
        caption=str(episode.child),
        back_url=back,
        intro="Where and with whom are required to close the episode. "
        "If the child would not say, record that: it is an answer.",
    )


# --- Return home interviews ---


def rhi_queue(request):
    caller = Caller.from_request(request)
    interviews = selectors.rhi_queue(caller=caller)
    overdue = [r for r in interviews if r.clock.status == "overdue"]
    return render(request, "missing/rhi_queue.html", {"interviews": interviews, "overdue": overdue})


def rhi_detail(request, pk: int):
    rhi = selectors.rhi_get(caller=Caller.from_request(request), pk=pk)
    context = {"rhi": rhi, "child": rhi.child, "can_change": can(request.user, Action.CHANGE, rhi)}
    return render(request, "missing/rhi.html", context)


def _rhi_form(request, pk, form_class, service, *, title, success, initial=None):
    rhi = selectors.rhi_get(caller=Caller.from_request(request), pk=pk, purpose="change")
    if not can(request.user, Action.CHANGE, rhi):
        raise Http404("Not found")
    form = form_class(request.POST or None, initial=initial)
    back = reverse("missing:rhi", args=[rhi.pk])
    response = _submit(
        request,
        form,
        lambda: service(caller=Caller.from_request(request), rhi=rhi, **form.cleaned_data),
        success=success,
        redirect_to=back,
    )
    return response or _form_page(request, form, title=title, caption=str(rhi.child), back_url=back)


@require_http_methods(["GET", "POST"])
def rhi_offer(request, pk: int):
    return _rhi_form(
        request,
        pk,
        forms.OfferForm,
        services.rhi_record_offer,
        title="Record the offer",
        success="Offer recorded.",
        initial={"offered_at": timezone.localtime()},
    )


@require_http_methods(["GET", "POST"])
def rhi_refuse(request, pk: int):
    return _rhi_form(
        request,
        pk,
        forms.RefusalForm,
        services.rhi_record_refusal,
        title="Record a refusal",
        success="Refusal recorded.",
    )


@require_http_methods(["GET", "POST"])
def rhi_held(request, pk: int):
    return _rhi_form(
        request,
        pk,
        forms.HeldForm,
        services.rhi_record_held,
        title="Record the interview",
        success="Interview recorded.",
        initial={"held_at": timezone.localtime(), "independent_of_carers": True},
    )


# --- Police protection ---


def protection_board(request):
    protections = selectors.police_protection_board(caller=Caller.from_request(request))
    return render(request, "missing/protection_board.html", {"protections": protections})


@require_http_methods(["GET", "POST"])
def protection_start(request, person_id: int):
    caller = Caller.from_request(request)
    child = people_selectors.person_get(caller=caller, pk=person_id, purpose="police protection")
    if not may_start_police_protection(request.user, child):
        raise Http404("Not found")
    form = forms.ProtectionStartForm(request.POST or None, initial={"taken_at": timezone.localtime()})
    created = {}

    def write():
        created["protection"] = services.police_protection_start(caller=caller, child=child, **form.cleaned_data)

    if request.method == "POST" and form.is_valid():
        try:
            write()
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Police protection recorded. It ends after 72 hours.")
            return redirect("missing:protection", pk=created["protection"].pk)
    return _form_page(
        request,
        form,
        title="Take into police protection",
        caption=str(child),
        back_url=reverse("people:detail", args=[child.pk]),
        intro="Police protection lasts at most 72 hours from this time and cannot be extended.",
    )


@require_http_methods(["GET", "POST"])
def protection_detail(request, pk: int):
    caller = Caller.from_request(request)
    protection = selectors.protection_get(caller=caller, pk=pk)
    can_change = can(request.user, Action.CHANGE, protection)
    form = forms.ProtectionRecordForm(request.POST or None) if can_change else None
    if request.method == "POST":
        if not can_change:
            raise Http404("Not found")
        response = _submit(
            request,
            form,
            lambda: services.police_protection_record(
                caller=caller, protection=protection, **form.service_kwargs(request.user, protection)
            ),
            success="Police protection record updated.",
            redirect_to=reverse("missing:protection", args=[protection.pk]),
        )
        if response:
            return response
    context = {"protection": protection, "child": protection.child, "form": form, "can_change": can_change}
    return render(request, "missing/protection.html", context)


# --- Supervisor dashboard ---


def dashboard(request):
    caller = Caller.from_request(request)
    form = forms.FiguresForm(request.GET or None)
    today = timezone.localdate()
    start, end = (today.replace(day=1) - timedelta(days=335)).replace(day=1), today  # the last 12 months
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    context = {
        "form": form,
        "overdue": selectors.rhi_overdue(caller=caller),
        "desk_only": selectors.desk_only_episodes(caller=caller),
        "figures": selectors.rhi_figures(caller=caller, start=start, end=end),
        "start": start,
        "end": end,
    }
    return render(request, "missing/dashboard.html", context)
