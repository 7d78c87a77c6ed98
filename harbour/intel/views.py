"""Screens for intelligence. Thin: forms check shape, services write, selectors read and audit,
and the access policy (by handling code) decides what each user reaches. Hidden answers 404."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from harbour.access.policy import Action, can
from harbour.accounts.roles import CASEWORK_ROLES
from harbour.core.caller import Caller
from harbour.core.forms import add_service_errors
from harbour.graph.services import node_from_input

from . import selectors, services
from .access_rules import INTEL_WRITING_ROLES, is_police, is_police_officer
from .forms import (
    ApproveForm,
    HandlingForm,
    ReportForm,
    SanitiseForm,
    ShareOriginalForm,
    ShareSanitisedForm,
    SubjectLinkForm,
    WithdrawForm,
)
from .grading import GRADING_CITATION, GRADING_CITATION_URL, LEGACY_CITATION, HandlingCode, LegacyHandlingCode


def _casework(request) -> None:
    if request.user.role not in CASEWORK_ROLES:
        raise Http404("Not found")


def _may_record(user) -> bool:
    return is_police(user) and user.role in INTEL_WRITING_ROLES


def _form_page(request, form, *, title, back_url, caption="", intro="", submit="Save"):
    context = {"form": form, "title": title, "back_url": back_url, "caption": caption, "intro": intro, "submit": submit}
    return render(request, "intel/form.html", context)


def intel_list(request):
    _casework(request)
    caller = Caller.from_request(request)
    query = request.GET.get("q", "")[:200]
    police = is_police(request.user)
    context = {
        "reports": selectors.report_list(caller=caller, query=query) if police else None,
        "shared": selectors.shared_list(caller=caller),
        "query": query,
        "is_police": police,
        "may_record": _may_record(request.user),
    }
    return render(request, "intel/list.html", context)


def intel_export(request):
    """CSV of what the user may see: originals for police (no source details, ever), and sanitised
    versions disclosed to the user. The same policy as the screen; audited as an export."""
    _casework(request)
    caller = Caller.from_request(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="harbour-intelligence.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["reference", "kind", "summary or text", "grading", "handling conditions", "owning force", "recorded"]
    )
    if is_police(request.user):
        for r in selectors.report_list(caller=caller, export=True):
            writer.writerow(
                [
                    r.reference,
                    "original",
                    r.title,
                    r.grading,
                    r.handling_conditions,
                    r.owning_agency,
                    r.created_at.date(),
                ]
            )
    for v in selectors.shared_list(caller=caller, export=True):
        writer.writerow(
            [
                v.reference,
                "sanitised",
                v.text,
                v.grading,
                v.sharing_conditions,
                v.report.owning_agency,
                v.approved_at.date(),
            ]
        )
    return response


@require_http_methods(["GET", "POST"])
def intel_create(request):
    if not _may_record(request.user):
        raise Http404("Not found")
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(
                caller=Caller.from_request(request), source_detail=form.source_fields(), **form.report_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Intelligence {report.reference} recorded.")
            return redirect("intel:detail", pk=report.pk)
    return render(
        request,
        "intel/create.html",
        {"form": form, "citation": GRADING_CITATION, "citation_url": GRADING_CITATION_URL},
    )


def intel_detail(request, pk: int):
    caller = Caller.from_request(request)
    report = selectors.report_get(caller=caller, pk=pk)
    user = request.user
    context = {
        "report": report,
        "source_detail": selectors.source_detail_for(caller=caller, report=report),
        "subjects": selectors.report_subjects(user=user, report=report),
        "versions": selectors.report_versions(user=user, report=report),
        "disclosures": selectors.disclosures(user=user, report=report),
        "can_change": can(user, Action.CHANGE, report),
        "can_share": can(user, Action.SHARE, report),
        "link_form": SubjectLinkForm(),
        "citation": LEGACY_CITATION if report.is_legacy else GRADING_CITATION,
        "citation_url": "" if report.is_legacy else GRADING_CITATION_URL,
    }
    return render(request, "intel/detail.html", context)


def _changeable(request, pk, purpose, action=Action.CHANGE):
    report = selectors.report_get(caller=Caller.from_request(request), pk=pk, purpose=purpose)
    if not can(request.user, action, report):
        raise Http404("Not found")
    return report


@require_http_methods(["GET", "POST"])
def intel_handling(request, pk: int):
    report = _changeable(request, pk, "change handling")
    choices = LegacyHandlingCode.choices if report.is_legacy else HandlingCode.choices
    initial = {"handling_code": report.current_handling, "handling_conditions": report.handling_conditions}
    form = HandlingForm(request.POST or None, choices=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_change_handling(caller=Caller.from_request(request), report=report, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Handling saved.")
            return redirect("intel:detail", pk=report.pk)
    return _form_page(
        request,
        form,
        title="Change the handling",
        caption=report.reference,
        back_url=reverse("intel:detail", args=[report.pk]),
        intro="Relaxing the handling, or changing the conditions of a C-coded report, needs a reason and is "
        "reported to auditors.",
    )


@require_http_methods(["GET", "POST"])
def intel_share(request, pk: int):
    report = _changeable(request, pk, "share", Action.SHARE)
    form = ShareOriginalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_share(caller=Caller.from_request(request), report=report, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Recipient named.")
            return redirect("intel:detail", pk=report.pk)
    return _form_page(
        request,
        form,
        title="Name a police recipient",
        caption=report.reference,
        back_url=reverse("intel:detail", args=[report.pk]),
        intro="Only police receive the original report, within its handling conditions. Partners receive an "
        "approved sanitised version.",
    )


@require_http_methods(["POST"])
def intel_add_link(request, pk: int):
    report = _changeable(request, pk, "add link")
    caller = Caller.from_request(request)
    form = SubjectLinkForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                source = node_from_input(
                    caller=caller, kind=data["source_kind"], value=data["source_value"], field="source_value"
                )
                target = None
                if data["link_type"]:
                    target = node_from_input(
                        caller=caller, kind=data["target_kind"], value=data["target_value"], field="target_value"
                    )
                services.report_add_link(
                    caller=caller,
                    report=report,
                    source=source,
                    target=target,
                    link_type=data["link_type"],
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Link recorded.")
            return redirect("intel:detail", pk=report.pk)
    return _form_page(
        request,
        form,
        title="Record a link",
        caption=report.reference,
        back_url=reverse("intel:detail", args=[report.pk]),
    )


@require_http_methods(["GET", "POST"])
def sanitise(request, pk: int):
    report = _changeable(request, pk, "sanitise")
    form = SanitiseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.sanitised_draft(caller=Caller.from_request(request), report=report, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Sanitised version drafted. Another officer must approve it before it is shared.")
            return redirect("intel:sanitised", pk=version.pk)
    return _form_page(
        request,
        form,
        title="Draft a sanitised version",
        caption=report.reference,
        back_url=reverse("intel:detail", args=[report.pk]),
        intro="Partners outside the police see only this version. Remove whatever could identify the source: "
        "who, when they were told, how they know.",
    )


def sanitised_detail(request, pk: int):
    caller = Caller.from_request(request)
    version = selectors.sanitised_get(caller=caller, pk=pk)
    user = request.user
    context = {
        "version": version,
        "sees_original": can(user, Action.VIEW, version.report),
        "can_approve": can(user, Action.CHANGE, version)
        and is_police_officer(user)
        and version.drafted_by_id != user.pk,
        "can_share": can(user, Action.SHARE, version),
        "approve_form": ApproveForm(),
    }
    return render(request, "intel/sanitised.html", context)


@require_http_methods(["POST"])
def sanitised_approve(request, pk: int):
    caller = Caller.from_request(request)
    version = selectors.sanitised_get(caller=caller, pk=pk, purpose="approve")
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            services.sanitised_approve(caller=caller, version=version, note=form.cleaned_data["note"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Approved for sharing.")
    return redirect("intel:sanitised", pk=version.pk)


@require_http_methods(["GET", "POST"])
def sanitised_share(request, pk: int):
    caller = Caller.from_request(request)
    version = selectors.sanitised_get(caller=caller, pk=pk, purpose="share")
    if not can(request.user, Action.SHARE, version):
        raise Http404("Not found")
    form = ShareSanitisedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sanitised_share(caller=caller, version=version, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Shared. The disclosure is logged with its recipient and reason.")
            return redirect("intel:sanitised", pk=version.pk)
    return _form_page(
        request,
        form,
        title="Share the sanitised version",
        caption=version.reference,
        back_url=reverse("intel:sanitised", args=[version.pk]),
        intro="Each share is a disclosure: it is logged with who received it and why.",
    )


@require_http_methods(["GET", "POST"])
def sanitised_withdraw(request, pk: int):
    caller = Caller.from_request(request)
    version = selectors.sanitised_get(caller=caller, pk=pk, purpose="withdraw")
    if not can(request.user, Action.SHARE, version):
        raise Http404("Not found")
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sanitised_withdraw(caller=caller, version=version, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Withdrawn. Recipients no longer see it.")
            return redirect("intel:detail", pk=version.report_id)
    return _form_page(
        request,
        form,
        title="Withdraw the sanitised version",
        caption=version.reference,
        back_url=reverse("intel:sanitised", args=[version.pk]),
        submit="Withdraw",
    )
