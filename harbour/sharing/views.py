"""Referral screens: refer from a record, the incoming and outgoing lists, deciding and withdrawing.
Thin: forms check input, services write (and check the policy), selectors read (and audit)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from harbour.access.policy import Action, can
from harbour.access.reads import get_audited
from harbour.accounts.roles import CASEWORK_ROLES
from harbour.core.caller import Caller
from harbour.core.forms import add_service_errors

from . import selectors, services
from .forms import DecideForm, ReferralForm, SharingDecisionForm


def _casework(request) -> None:
    if request.user.role not in CASEWORK_ROLES or not request.user.agency_id:
        raise Http404("Not found")


def _visible_record(request, record_type: str, object_id: int, purpose: str):
    """The record, read through the policy and audited (the page shows who it is about)."""
    _casework(request)
    model = services.model_from_label(record_type)
    return get_audited(
        caller=Caller.from_request(request), queryset=model._default_manager.all(), pk=object_id, purpose=purpose
    )


def _record_url(record) -> str | None:
    getter = getattr(record, "get_absolute_url", None)
    if getter:
        return getter()
    if record._meta.label_lower == "people.person":
        from django.urls import reverse

        return reverse("people:detail", args=[record.pk])
    return None


def _record_context(record, form) -> dict:
    is_person = record._meta.label_lower == "people.person"
    return {
        "form": form,
        "record": record,
        "record_name": "" if is_person else f"{record._meta.verbose_name} {record.pk}",
        "record_url": _record_url(record),
        "person": services.person_of(record),
    }


@require_GET
def incoming(request):
    _casework(request)
    return render(
        request,
        "sharing/list.html",
        {"referrals": list(selectors.referrals_incoming(user=request.user)[:200]), "box": "incoming"},
    )


@require_GET
def outgoing(request):
    _casework(request)
    return render(
        request,
        "sharing/list.html",
        {"referrals": list(selectors.referrals_outgoing(user=request.user)[:200]), "box": "outgoing"},
    )


@require_http_methods(["GET", "POST"])
def refer(request, record_type: str, object_id: int):
    record = _visible_record(request, record_type, object_id, "refer")
    form = ReferralForm(request.POST or None, initial={"kind": "referral", "urgency": "routine"})
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_create(caller=Caller.from_request(request), record=record, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"{referral.kind_name.capitalize()} {referral.reference} sent to {referral.receiver}."
            )
            return redirect("sharing:detail", pk=referral.pk)
    return render(
        request,
        "sharing/refer.html",
        _record_context(record, form),
    )


@require_http_methods(["GET", "POST"])
def decision_new(request, record_type: str, object_id: int):
    record = _visible_record(request, record_type, object_id, "sharing decision")
    form = SharingDecisionForm(request.POST or None, initial={"decision": "share"})
    if request.method == "POST" and form.is_valid():
        try:
            services.sharing_decision_record(caller=Caller.from_request(request), record=record, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Information-sharing decision recorded.")
            url = _record_url(record)
            return redirect(url) if url else redirect("sharing:outgoing")
    return render(
        request,
        "sharing/decision_form.html",
        _record_context(record, form),
    )


def _detail_context(request, referral, decide_form=None):
    user = request.user
    record = referral.record()
    return {
        "referral": referral,
        "record": record,
        "record_url": _record_url(record) if record is not None and can(user, Action.VIEW, record) else None,
        "can_decide": referral.is_pending and can(user, Action.CHANGE, referral),
        "can_withdraw": services.may_withdraw(user, referral),
        "decide_form": decide_form or DecideForm(),
    }


@require_GET
def detail(request, pk: int):
    _casework(request)
    referral = selectors.referral_get(caller=Caller.from_request(request), pk=pk)
    return render(request, "sharing/detail.html", _detail_context(request, referral))


@require_POST
def decide(request, pk: int):
    _casework(request)
    caller = Caller.from_request(request)
    referral = selectors.referral_get(caller=caller, pk=pk, purpose="decide")
    if not can(request.user, Action.CHANGE, referral):
        raise Http404("Not found")
    form = DecideForm(request.POST)
    choice = request.POST.get("decision")
    if form.is_valid() and choice in ("accept", "decline"):
        try:
            if choice == "accept":
                referral = services.referral_accept(
                    caller=caller, referral=referral, reason=form.cleaned_data["reason"]
                )
            else:
                referral = services.referral_decline(
                    caller=caller, referral=referral, reason=form.cleaned_data["reason"]
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{referral.kind_name.capitalize()} {referral.reference} {referral.status}.")
            return redirect("sharing:detail", pk=referral.pk)
    elif choice not in ("accept", "decline"):
        form.add_error(None, "Choose accept or decline.")
    return render(request, "sharing/detail.html", _detail_context(request, referral, form), status=400)


@require_POST
def withdraw(request, pk: int):
    _casework(request)
    caller = Caller.from_request(request)
    referral = selectors.referral_get(caller=caller, pk=pk, purpose="withdraw")
    try:
        services.referral_withdraw(caller=caller, referral=referral, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{referral.kind_name.capitalize()} {referral.reference} withdrawn.")
    return redirect("sharing:detail", pk=referral.pk)
