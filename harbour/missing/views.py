"""Screens for missing episodes, return home interviews and police protection.

Thin: forms check shape, services write (and check the policy), selectors read (and audit).
Anything the user may not see or change answers 404.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from harbour.access.policy import Action, can, scope
from harbour.core.caller import Caller
from harbour.core.forms import add_service_errors
from harbour.people import selectors as people_selectors
from harbour.people.models import CareHome, Person

from . import forms, photos, selectors, services
from .access_rules import (
    is_police_writer,
    may_grade,
    may_keep_profile,
    may_plan,
    may_read_profile,
    may_report_missing,
    may_start_police_protection,
)
from .models import ProfileItem, ProfileItemKind, ReturnHomeInterview


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
    form = forms.EpisodeReportForm(
        request.POST or None, user=request.user, initial={"reported_at": timezone.localtime()}
    )
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
    """The episode, with what police need the moment it opens: the Philomena profile and the trigger
    plan. Each is read (and audited) only if the user may see it."""
    caller = Caller.from_request(request)
    episode = selectors.episode_get(caller=caller, pk=pk)
    user = request.user
    child = episode.child
    rhi = scope(user, ReturnHomeInterview.objects.filter(episode=episode)).first()
    profile = selectors.profile_get(caller=caller, child=child, purpose="missing episode")
    context = {
        "episode": episode,
        "child": child,
        "gradings": scope(user, episode.gradings.select_related("graded_by")),
        "risk_information": scope(user, episode.risk_information.all()),
        "actions": scope(user, episode.actions.select_related("officer")),
        "checks": scope(user, episode.safe_and_well_checks.select_related("officer")),
        "found_with": scope(user, episode.found_with.all()),
        "found_with_hidden": episode.found_with.count() - scope(user, episode.found_with.all()).count(),
        "rhi": rhi,
        "tasks": selectors.child_tasks_open(user=user, child=child),
        "plan": selectors.trigger_plan_get(caller=caller, child=child),
        "profile": profile,
        "items": selectors.profile_items(user=user, profile=profile) if profile else [],
        "history": [e for e in selectors.missing_history(user=user, child=child) if e.pk != episode.pk],
        "can_change": can(user, Action.CHANGE, episode),
        "can_grade": may_grade(user, episode),
        "can_check": episode.found_at is not None and is_police_writer(user) and can(user, Action.CHANGE, episode),
        "can_plan": may_plan(user, child),
        "can_keep_profile": may_keep_profile(user, child),
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
        intro="Where and with whom are required to close the episode. Choose a place and people already on "
        "record, or add new ones. If the child would not say, record that: it is an answer.",
    )


@require_http_methods(["GET", "POST"])
def episode_safe_and_well(request, pk: int):
    episode = _changeable_episode(request, pk, "safe and well check")
    if not is_police_writer(request.user):
        raise Http404("Not found")
    form = forms.SafeAndWellForm(request.POST or None, initial={"held_at": timezone.localtime()})
    back = reverse("missing:episode", args=[episode.pk])
    response = _submit(
        request,
        form,
        lambda: services.safe_and_well_record(
            caller=Caller.from_request(request), episode=episode, **form.cleaned_data
        ),
        success="Safe and well check recorded.",
        redirect_to=back,
    )
    return response or _form_page(request, form, title="Safe and well check", caption=str(episode.child), back_url=back)


def episode_list(request):
    """Children missing now, and the repeat-missing tasks waiting, for the user's agency."""
    caller = Caller.from_request(request)
    context = {
        "episodes": selectors.open_episodes(caller=caller),
        "task_count": selectors.trigger_tasks_open(user=request.user).count(),
        "homes": selectors.care_homes_reported_to(user=request.user),
    }
    return render(request, "missing/episodes.html", context)


# --- Repeat missing: tasks and trigger plans ---


def task_list(request):
    tasks = selectors.trigger_tasks(caller=Caller.from_request(request), include_done="done" in request.GET)
    return render(request, "missing/tasks.html", {"tasks": tasks, "include_done": "done" in request.GET})


@require_http_methods(["GET", "POST"])
def task_done(request, pk: int):
    caller = Caller.from_request(request)
    task = selectors.trigger_task_get(caller=caller, pk=pk, purpose="mark done")
    if not can(request.user, Action.CHANGE, task) or task.done_at is not None:
        raise Http404("Not found")
    form = forms.TaskDoneForm(request.POST or None)
    response = _submit(
        request,
        form,
        lambda: services.trigger_task_done(caller=caller, task=task, note=form.cleaned_data["note"]),
        success=f"{task.get_kind_display()} recorded as done.",
        redirect_to=reverse("missing:tasks"),
    )
    return response or _form_page(
        request,
        form,
        title=f"{task.get_kind_display()}: record it done",
        caption=str(task.child),
        back_url=reverse("missing:tasks"),
        intro=task.reason,
    )


def _child(request, person_id: int, purpose: str) -> Person:
    child = people_selectors.person_get(caller=Caller.from_request(request), pk=person_id, purpose=purpose)
    if not child.is_child:
        raise Http404("Not found")
    return child


def trigger_plan(request, person_id: int):
    caller = Caller.from_request(request)
    child = _child(request, person_id, "trigger plan")
    context = {
        "child": child,
        "plan": selectors.trigger_plan_get(caller=caller, child=child),
        "tasks": selectors.child_tasks_open(user=request.user, child=child),
        "can_plan": may_plan(request.user, child),
    }
    return render(request, "missing/trigger_plan.html", context)


@require_http_methods(["GET", "POST"])
def trigger_plan_edit(request, person_id: int):
    caller = Caller.from_request(request)
    child = _child(request, person_id, "change trigger plan")
    if not may_plan(request.user, child):
        raise Http404("Not found")
    plan = selectors.trigger_plan_get(caller=caller, child=child)
    initial = {name: getattr(plan, name) for name in services.TRIGGER_PLAN_FIELDS} if plan else {}
    form = forms.TriggerPlanForm(request.POST or None, initial=initial)
    back = reverse("missing:trigger_plan", args=[child.pk])
    response = _submit(
        request,
        form,
        lambda: services.trigger_plan_save(caller=caller, child=child, **form.cleaned_data),
        success="Trigger plan saved.",
        redirect_to=back,
    )
    return response or _form_page(
        request,
        form,
        title="Trigger plan",
        caption=str(child),
        back_url=back,
        intro="What to do at the child's next missing episode, agreed beforehand. It is shown on the episode "
        "the moment one opens.",
    )


# --- Philomena profiles ---


def profile_detail(request, person_id: int):
    caller = Caller.from_request(request)
    child = _child(request, person_id, "Philomena profile")
    can_keep = may_keep_profile(request.user, child)
    if not (can_keep or may_read_profile(request.user, child)):
        raise Http404("Not found")
    profile = selectors.profile_get(caller=caller, child=child)
    context = {
        "child": child,
        "profile": profile,
        "items": selectors.profile_items(user=request.user, profile=profile) if profile else [],
        "history": selectors.missing_history(user=request.user, child=child),
        "can_keep": can_keep,
    }
    return render(request, "missing/profile.html", context)


def _kept_child(request, person_id: int, purpose: str) -> Person:
    child = _child(request, person_id, purpose)
    if not may_keep_profile(request.user, child):
        raise Http404("Not found")
    return child


@require_http_methods(["GET", "POST"])
def profile_edit(request, person_id: int):
    caller = Caller.from_request(request)
    child = _kept_child(request, person_id, "change Philomena profile")
    profile = selectors.profile_get(caller=caller, child=child, purpose="change")
    initial = {name: getattr(profile, name) for name in services.PROFILE_FIELDS} if profile else {}
    form = forms.ProfileForm(request.POST or None, initial=initial)
    back = reverse("missing:profile", args=[child.pk])
    response = _submit(
        request,
        form,
        lambda: services.profile_update(caller=caller, child=child, **form.cleaned_data),
        success="Profile saved.",
        redirect_to=back,
    )
    return response or _form_page(request, form, title="Describe the child", caption=str(child), back_url=back)


@require_http_methods(["GET", "POST"])
def profile_photo_upload(request, person_id: int):
    caller = Caller.from_request(request)
    child = _kept_child(request, person_id, "change Philomena photo")
    form = forms.PhotoForm(request.POST or None, request.FILES or None)
    back = reverse("missing:profile", args=[child.pk])
    response = _submit(
        request,
        form,
        lambda: services.profile_set_photo(
            caller=caller, child=child, photo=form.cleaned_data["photo"], taken_on=form.cleaned_data["taken_on"]
        ),
        success="Photo saved.",
        redirect_to=back,
    )
    return response or _form_page(
        request,
        form,
        title="Upload a recent photo",
        caption=str(child),
        back_url=back,
        intro="A clear, recent photo of the child's face helps police find them. It is shown only to those who "
        "may see the profile, and every view is logged.",
    )


def profile_photo(request, pk: int):
    """The photo itself: through the policy, the read audited, never cached, never sniffed as anything else."""
    profile = selectors.profile_photo_get(caller=Caller.from_request(request), pk=pk)
    try:
        handle = photos.open_photo(profile.photo_path)
    except FileNotFoundError:
        raise Http404("Not found") from None
    response = FileResponse(handle, content_type=profile.photo_content_type)
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
def profile_item_add(request, person_id: int):
    caller = Caller.from_request(request)
    child = _kept_child(request, person_id, "change Philomena profile")
    initial = {"kind": request.GET.get("kind")} if request.GET.get("kind") in ProfileItemKind.values else {}
    form = forms.ProfileItemForm(request.POST or None, user=request.user, child=child, initial=initial)
    back = reverse("missing:profile", args=[child.pk])
    response = _submit(
        request,
        form,
        lambda: services.profile_add_item(caller=caller, child=child, **form.cleaned_data),
        success="Added to the profile.",
        redirect_to=back,
    )
    return response or _form_page(request, form, title="Add to the profile", caption=str(child), back_url=back)


@require_POST
def profile_item_remove(request, person_id: int, pk: int):
    caller = Caller.from_request(request)
    child = _kept_child(request, person_id, "change Philomena profile")
    item = get_object_or_404(
        scope(request.user, ProfileItem.objects.filter(profile__child=child), Action.VIEW).select_related("profile"),
        pk=pk,
    )
    services.profile_remove_item(caller=caller, item=item)
    messages.success(request, f"{item.get_kind_display()} removed from the profile.")
    return redirect("missing:profile", person_id=child.pk)


# --- Per care home ---


def care_home_list(request):
    homes = selectors.care_homes_reported_to(user=request.user)
    if len(homes) == 1:
        return redirect("missing:care_home", pk=homes[0].pk)
    return render(request, "missing/care_homes.html", {"homes": homes})


def care_home_report(request, pk: int):
    home = CareHome.objects.filter(pk=pk).first()
    months, rows = selectors.care_home_episodes(caller=Caller.from_request(request), home=home)
    return render(request, "missing/care_home.html", {"home": home, "months": months, "rows": rows})


# --- Return home interviews ---


def rhi_queue(request):
    caller = Caller.from_request(request)
    interviews = selectors.rhi_queue(caller=caller)
    overdue = [r for r in interviews if r.clock.status == "overdue"]
    return render(request, "missing/rhi_queue.html", {"interviews": interviews, "overdue": overdue})


def rhi_detail(request, pk: int):
    rhi = selectors.rhi_get(caller=Caller.from_request(request), pk=pk)
    user = request.user
    context = {
        "rhi": rhi,
        "child": rhi.child,
        "can_change": can(user, Action.CHANGE, rhi),
        "places": rhi.places.all(),
        "people": scope(user, rhi.people.all()),
        "people_hidden": rhi.people.count() - scope(user, rhi.people.all()).count(),
    }
    return render(request, "missing/rhi.html", context)


def _rhi_form(request, pk, form_class, service, *, title, success, initial=None, with_child=False):
    rhi = selectors.rhi_get(caller=Caller.from_request(request), pk=pk, purpose="change")
    if not can(request.user, Action.CHANGE, rhi):
        raise Http404("Not found")
    extra = {"user": request.user, "child": rhi.child} if with_child else {}
    form = form_class(request.POST or None, initial=initial, **extra)
    back = reverse("missing:rhi", args=[rhi.pk])

    def write():
        data = form.service_kwargs() if hasattr(form, "service_kwargs") else form.cleaned_data
        service(caller=Caller.from_request(request), rhi=rhi, **data)

    response = _submit(request, form, write, success=success, redirect_to=back)
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
        with_child=True,
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
    interviews = selectors.rhi_queue(caller=caller)
    context = {
        "form": form,
        "interviews": interviews,
        "overdue": [r for r in interviews if r.clock.status == "overdue"],
        "task_count": selectors.trigger_tasks_open(user=request.user).count(),
        "desk_only": selectors.desk_only_episodes(caller=caller),
        "figures": selectors.rhi_figures(caller=caller, start=start, end=end),
        "start": start,
        "end": end,
    }
    return render(request, "missing/dashboard.html", context)
