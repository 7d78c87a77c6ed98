"""Screens for MACE meetings, actions and suspect interviews. Thin: forms check shape, services
write (and check the policy), selectors read (and audit). Hidden or absent records answer 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from harbour.access.policy import Action as PolicyAction
from harbour.access.policy import can, get_or_404, scope
from harbour.accounts.models import User
from harbour.accounts.roles import CASEWORK_ROLES
from harbour.core.caller import Caller
from harbour.core.forms import add_service_errors
from harbour.people.models import Person

from . import agenda, forms, selectors, services
from .access_rules import may_plan_meetings, may_record_suspect_interviews
from .models import AgendaItem, Meeting


def _casework(request) -> None:
    if request.user.role not in CASEWORK_ROLES:
        raise Http404("Not found")


def _form_page(request, form, *, title, back_url, caption="", intro="", button="Save"):
    context = {"form": form, "title": title, "back_url": back_url, "caption": caption, "intro": intro, "button": button}
    return render(request, "mace/form.html", context)


def _chaired(request, pk: int, purpose: str) -> Meeting:
    """The meeting, for a write by one of its chairs; 404 for anyone else."""
    meeting = selectors.meeting_get(caller=Caller.from_request(request), pk=pk, purpose=purpose)
    if not can(request.user, PolicyAction.CHANGE, meeting):
        raise Http404("Not found")
    return meeting


def _chaired_item(request, pk: int, item_pk: int) -> AgendaItem:
    return get_or_404(
        request.user, AgendaItem.objects.select_related("meeting"), PolicyAction.CHANGE, pk=item_pk, meeting_id=pk
    )


def meeting_list(request):
    _casework(request)
    meetings = selectors.meeting_visible(user=request.user).select_related("owning_agency").prefetch_related("chairs")
    return render(
        request,
        "mace/meetings.html",
        {
            "meetings": meetings,
            "may_plan": may_plan_meetings(request.user),
            "may_record_interviews": may_record_suspect_interviews(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def meeting_create(request):
    if not may_plan_meetings(request.user):
        raise Http404("Not found")
    candidates = (
        User.objects.filter(
            is_active=True, role__in=CASEWORK_ROLES, agency__kind__in=("police", "childrens_social_care")
        )
        .exclude(pk=request.user.pk)
        .select_related("agency")
        .order_by("agency__name", "last_name")
    )
    form = forms.MeetingForm(request.POST or None, chair_candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(caller=Caller.from_request(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Meeting planned.")
            return redirect("mace:meeting", pk=meeting.pk)
    return _form_page(request, form, title="Plan a MACE meeting", back_url=reverse("mace:meetings"))


def meeting_detail(request, pk: int):
    _casework(request)
    caller = Caller.from_request(request)
    meeting = selectors.meeting_get(caller=caller, pk=pk)
    is_chair = can(request.user, PolicyAction.CHANGE, meeting)
    context = {
        "meeting": meeting,
        "agenda": selectors.meeting_agenda(caller=caller, meeting=meeting),
        "carried_forward": selectors.carried_forward(user=request.user, meeting=meeting),
        "is_chair": is_chair,
        "chairs": meeting.chairs.select_related("agency"),
        "agencies": meeting.agencies.all(),
    }
    return render(request, "mace/meeting.html", context)


@require_POST
def agenda_build(request, pk: int):
    meeting = _chaired(request, pk, "build agenda")
    result = services.agenda_build(caller=Caller.from_request(request), meeting=meeting)
    if result.added:
        messages.success(request, f"{result.added} item{'s' if result.added != 1 else ''} added from the data.")
    else:
        messages.info(request, "Nothing new to add from the data.")
    if result.failed:
        messages.warning(request, "These sources could not be read: " + "; ".join(result.failed) + ".")
    return redirect("mace:meeting", pk=meeting.pk)


@require_http_methods(["GET", "POST"])
def item_create(request, pk: int):
    meeting = _chaired(request, pk, "add item")
    form = forms.ItemForm(request.POST or None)
    back = reverse("mace:meeting", args=[meeting.pk])
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        number = data.pop("person_number")
        person = scope(request.user, Person.objects.filter(pk=number), PolicyAction.VIEW).first() if number else None
        if number and person is None:
            form.add_error("person_number", "There is no person with that record number that you can see.")
        else:
            try:
                services.item_add(caller=Caller.from_request(request), meeting=meeting, person=person, **data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Item added.")
                return redirect(back)
    return _form_page(request, form, title="Add an agenda item", caption=str(meeting), back_url=back)


@require_POST
def item_move(request, pk: int, item_pk: int):
    item = _chaired_item(request, pk, item_pk)
    try:
        services.item_move(caller=Caller.from_request(request), item=item, direction=request.POST.get("direction", ""))
    except ValidationError:
        raise Http404("Not found") from None
    return redirect(reverse("mace:meeting", args=[pk]) + f"#item-{item.pk}")


@require_http_methods(["GET", "POST"])
def item_time_limit(request, pk: int, item_pk: int):
    item = _chaired_item(request, pk, item_pk)
    form = forms.TimeLimitForm(request.POST or None, initial={"time_limit_minutes": item.time_limit_minutes})
    back = reverse("mace:meeting", args=[pk])
    if request.method == "POST" and form.is_valid():
        try:
            services.item_set_time_limit(
                caller=Caller.from_request(request), item=item, minutes=form.cleaned_data["time_limit_minutes"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Time limit saved.")
            return redirect(back)
    return _form_page(request, form, title="Change the time limit", caption=f"Item {item.position}", back_url=back)


@require_http_methods(["GET", "POST"])
def decision_create(request, pk: int, item_pk: int):
    item = _chaired_item(request, pk, item_pk)
    form = forms.DecisionForm(request.POST or None)
    back = reverse("mace:meeting", args=[pk]) + f"#item-{item.pk}"
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_record(caller=Caller.from_request(request), item=item, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Decision recorded.")
            return redirect(back)
    caption = agenda.describe(item, request.user, {}).title
    return _form_page(request, form, title="Record a decision", caption=caption, back_url=back)


@require_http_methods(["GET", "POST"])
def action_create(request, pk: int):
    meeting = _chaired(request, pk, "add action")
    item = None
    item_pk = request.GET.get("item", "")
    if item_pk:
        item = _chaired_item(request, pk, int(item_pk) if item_pk.isdigit() else 0)
    form = forms.ActionForm(request.POST or None, owners=services.action_owner_choices(meeting))
    back = reverse("mace:meeting", args=[pk]) + (f"#item-{item.pk}" if item else "")
    if request.method == "POST" and form.is_valid():
        try:
            services.action_create(caller=Caller.from_request(request), meeting=meeting, item=item, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Action recorded.")
            return redirect(back)
    caption = agenda.describe(item, request.user, {}).title if item else str(meeting)
    return _form_page(request, form, title="Add an action", caption=caption, back_url=back)


def minutes(request, pk: int):
    """The minutes as HTML for printing or saving: each item as this reader may see it. Audited."""
    _casework(request)
    meeting, agenda = selectors.minutes_export(caller=Caller.from_request(request), pk=pk)
    response = render(request, "mace/minutes.html", {"meeting": meeting, "agenda": agenda})
    response["Content-Disposition"] = f'inline; filename="harbour-mace-minutes-{meeting.pk}.html"'
    response["Cache-Control"] = "no-store"
    return response


# --- Actions -------------------------------------------------------------------------------------


def my_actions(request):
    _casework(request)
    result = selectors.my_actions(caller=Caller.from_request(request))
    return render(request, "mace/my_actions.html", {"mine": result})


@require_http_methods(["GET", "POST"])
def action_done(request, pk: int):
    caller = Caller.from_request(request)
    action = selectors.action_get(caller=caller, pk=pk, purpose="mark done")
    if not can(request.user, PolicyAction.CHANGE, action):
        raise Http404("Not found")
    form = forms.DoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_mark_done(caller=caller, action=action, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Action marked as done.")
            return redirect("mace:my_actions")
    return _form_page(
        request,
        form,
        title="Mark the action as done",
        caption=action.description[:120],
        back_url=reverse("mace:my_actions"),
        button="Mark as done",
    )


# --- Suspect interviews --------------------------------------------------------------------------


def suspect_interview_list(request):
    _casework(request)
    interviews = selectors.suspect_interviews(caller=Caller.from_request(request))
    return render(
        request,
        "mace/suspect_interviews.html",
        {
            "interviews": interviews,
            "may_record": may_record_suspect_interviews(request.user),
            "changeable": set(
                scope(request.user, selectors.SuspectInterview.objects.all(), PolicyAction.CHANGE).values_list(
                    "pk", flat=True
                )
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def suspect_interview_create(request):
    if not may_record_suspect_interviews(request.user):
        raise Http404("Not found")
    form = forms.SuspectInterviewForm(request.POST or None)
    back = reverse("mace:suspect_interviews")
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        number = data.pop("suspect_number")
        suspect = scope(request.user, Person.objects.filter(pk=number), PolicyAction.VIEW).first()
        if suspect is None:
            form.add_error("suspect_number", "There is no person with that record number that you can see.")
        else:
            try:
                services.suspect_interview_create(caller=Caller.from_request(request), suspect=suspect, **data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Suspect interview recorded.")
                return redirect(back)
    return _form_page(request, form, title="Track a suspect interview", back_url=back)


@require_http_methods(["GET", "POST"])
def suspect_interview_update(request, pk: int):
    caller = Caller.from_request(request)
    interview = selectors.suspect_interview_get(caller=caller, pk=pk, purpose="change")
    if not can(request.user, PolicyAction.CHANGE, interview):
        raise Http404("Not found")
    form = forms.SuspectInterviewUpdateForm(
        request.POST or None,
        initial={"planned_on": interview.planned_on, "held_on": interview.held_on, "notes": interview.notes},
    )
    back = reverse("mace:suspect_interviews")
    if request.method == "POST" and form.is_valid():
        try:
            services.suspect_interview_update(caller=caller, interview=interview, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Suspect interview updated.")
            return redirect(back)
    return _form_page(request, form, title="Update the interview", caption=str(interview), back_url=back)
