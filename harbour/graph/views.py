"""Screens for the entity graph: find an entity, an entity's page, and the link chart with its
JSON. Thin: selectors read through the policy and audit; the chart draws only what they return."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from harbour.access.policy import Action, can, get_or_404
from harbour.accounts.roles import CASEWORK_ROLES
from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record
from harbour.core.caller import Caller
from harbour.core.forms import add_service_errors

from . import registry, selectors, services
from .forms import ChartFilterForm, EntityFindForm, SuspectedFakeForm, WithdrawLinkForm
from .models import Link, LinkType


def _casework(request) -> None:
    if request.user.role not in CASEWORK_ROLES:
        raise Http404("Not found")


def entity_find(request):
    """Find a phone, email, vehicle, account or organisation by its value, typed any usual way."""
    _casework(request)
    form = EntityFindForm(request.GET or None)
    not_found = False
    if request.GET and form.is_valid():
        entity = selectors.entity_find(user=request.user, **form.cleaned_data)
        with transaction.atomic():
            audit_record(
                actor=request.user,
                action=AuditAction.SEARCH,
                object_type=f"graph.{form.cleaned_data['kind']}",
                client_ip=Caller.from_request(request).client_ip,
                details={**form.cleaned_data, "found": entity.pk if entity else None},
            )
        if entity is not None:
            return redirect("graph:entity", kind=entity.kind_slug, pk=entity.pk)
        not_found = True
    return render(request, "graph/find.html", {"form": form, "not_found": not_found})


def entity_detail(request, kind: str, pk: int):
    caller = Caller.from_request(request)
    record = selectors.node_get(caller=caller, kind=kind, pk=pk)
    if kind in ("person", "intelligence"):
        return redirect(selectors.record_url(record))
    context = {
        "record": record,
        "kind": registry.node_kind(kind),
        "rows": selectors.link_rows(user=request.user, record=record, include_withdrawn=True),
        "fake_form": None,
    }
    if kind == "account" and can(request.user, Action.CHANGE, record):
        context["fake_form"] = SuspectedFakeForm(
            initial={"suspected_fake": record.suspected_fake, "reason": record.suspected_fake_reason}
        )
    return render(request, "graph/entity.html", context)


@require_http_methods(["POST"])
def account_suspected_fake(request, pk: int):
    caller = Caller.from_request(request)
    account = selectors.node_get(caller=caller, kind="account", pk=pk, purpose="flag")
    form = SuspectedFakeForm(request.POST)
    if form.is_valid():
        try:
            services.account_mark_suspected_fake(
                caller=caller,
                account=account,
                suspected_fake=form.cleaned_data["suspected_fake"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Saved.")
    return redirect("graph:entity", kind="account", pk=account.pk)


@require_http_methods(["GET", "POST"])
def link_withdraw(request, pk: int):
    link = get_or_404(request.user, Link.objects.all(), Action.CHANGE, pk=pk)
    form = WithdrawLinkForm(request.POST or None)
    back = request.GET.get("next") or request.POST.get("next") or ""
    if not back.startswith("/") or back.startswith("//"):
        back = "/"
    if request.method == "POST" and form.is_valid():
        try:
            services.link_withdraw(caller=Caller.from_request(request), link=link, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Link withdrawn. It is kept, marked wrong, with your reason.")
            return redirect(back)
    return render(
        request,
        "graph/withdraw.html",
        {"form": form, "link": link, "back_url": back},
    )


def chart(request, kind: str, pk: int):
    """The link chart page. The record is opened through the policy (audited); the chart script
    then asks expand() for what to draw."""
    caller = Caller.from_request(request)
    record = selectors.node_get(caller=caller, kind=kind, pk=pk, purpose="link chart")
    return render(
        request,
        "graph/chart.html",
        {
            "record": record,
            "kind": kind,
            "root_id": selectors.node_id(record),
            "filter_form": ChartFilterForm(initial={"types": []}),
            "link_types": LinkType.choices,
        },
    )


def _dates(request):
    form = ChartFilterForm(request.GET)
    if not form.is_valid():
        return None, None, None, form.errors
    data = form.cleaned_data
    return data["types"], data["date_from"], data["date_to"], None


def expand(request, kind: str, pk: int):
    """JSON for the chart: this node and the neighbours the user may see, and the links between.
    A hidden person is never in it, not even as an id."""
    types, date_from, date_to, errors = _dates(request)
    if errors:
        return JsonResponse({"errors": errors}, status=400)
    data = selectors.expand(
        caller=Caller.from_request(request),
        kind=kind,
        pk=pk,
        link_types=types,
        date_from=date_from,
        date_to=date_to,
    )
    return JsonResponse(data)


@require_http_methods(["POST"])
def chart_exported(request, kind: str, pk: int):
    """The chart script reports a PNG export here, so the export is audited like any other."""
    caller = Caller.from_request(request)
    record = selectors.node_get(caller=caller, kind=kind, pk=pk, purpose="link chart export")
    node_ids = [n[:40] for n in request.POST.getlist("nodes")][:1000]
    with transaction.atomic():
        audit_record(
            actor=request.user,
            action=AuditAction.EXPORT,
            target=record,
            client_ip=caller.client_ip,
            details={"format": "png", "purpose": "link chart", "node_ids": node_ids},
        )
    return JsonResponse({"ok": True})
