"""Screens for disruption orders, alerts and operations. Thin: forms check shape, services write (and
check the policy), selectors read (and audit). Anything the user may not see answers 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from harbour.access.policy import Action, can, scope
from harbour.accounts.roles import CASEWORK_ROLES
from harbour.core.caller import Caller
from harbour.core.forms import add_service_errors
from harbour.missing.models import Place

from . import forms, law, selectors, services
from .access_rules import may_add_activity, may_record_orders
from .models import DisruptionOrder, OrderStatus


def _casework(request) -> None:
    if request.user.role not in CASEWORK_ROLES:
        raise Http404("Not found")


def _service_errors(form, error: ValidationError, renames: dict | None = None) -> None:
    if renames and hasattr(error, "error_dict"):
        error = ValidationError({renames.get(k, k): v for k, v in error.message_dict.items()})
    add_service_errors(form, error)


def _form_page(request, form, *, title, back_url, caption="", intro="", button="Save"):
    context = {"form": form, "title": title, "back_url": back_url, "caption": caption, "intro": intro, "button": button}
    return render(request, "disruption/form.html", context)


def dashboard(request):
    _casework(request)
    caller = Caller.from_request(request)
    status = request.GET.get("status", "")
    if status not in OrderStatus.values:
        status = ""
    context = {
        "alerts": selectors.alerts(caller=caller),
        "orders": selectors.order_list(caller=caller, status=status),
        "statuses": OrderStatus.choices,
        "status": status,
        "may_record": may_record_orders(request.user),
        "tools": law.TOOLS,
    }
    return render(request, "disruption/dashboard.html", context)


def order_detail(request, pk: int):
    _casework(request)
    user = request.user
    order = selectors.order_get(caller=Caller.from_request(request), pk=pk)
    context = {
        "order": order,
        "subject_visible": selectors.subject_visible(user=user, order=order),
        "children": selectors.visible_protected_children(user=user, order=order),
        "hidden_children": selectors.hidden_protected_children_count(user=user, order=order),
        "breaches": selectors.breaches_for(user=user, order=order),
        "can_change": can(user, Action.CHANGE, order),
        "conditions": [line for line in order.conditions.splitlines() if line.strip()],
    }
    return render(request, "disruption/order.html", context)


@require_http_methods(["GET", "POST"])
def order_create(request):
    if not may_record_orders(request.user):
        raise Http404("Not found")
    caller = Caller.from_request(request)
    initial = {"status": OrderStatus.CONSIDERED}
    if request.GET.get("person", "").isdigit():
        initial.update({"subject_kind": law.PERSON, "subject_person_number": int(request.GET["person"])})
    if request.GET.get("children"):
        initial["protected_children_numbers"] = request.GET["children"]
    if request.GET.get("tool") in law.BY_CODE:
        initial["tool"] = request.GET["tool"]
    form = forms.OrderForm(
        request.POST or None,
        user=request.user,
        places=selectors.places_known_to(user=request.user),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            order = services.order_create(caller=caller, **form.service_kwargs())
        except ValidationError as error:
            _service_errors(form, error, forms.OrderForm.SERVICE_FIELD_NAMES)
        else:
            messages.success(request, f"{order.tool_label} recorded.")
            return redirect("disruption:order", pk=order.pk)
    return _form_page(
        request,
        form,
        title="Record a disruption order or notice",
        back_url=reverse("disruption:dashboard"),
        intro="Durations are checked against the law for each tool.",
    )


def _initial(order: DisruptionOrder, user) -> dict:
    initial = {
        name: getattr(order, name)
        for name in (
            "tool",
            "other_tool_name",
            "status",
            "status_note",
            "subject_kind",
            "subject_place",
            "subject_business",
            "applicant",
            "court_or_authority",
            "applied_on",
            "granted_on",
            "served_at",
            "expires_at",
            "until_further_order",
            "extended",
            "conditions",
        )
    }
    initial["subject_person_number"] = order.subject_person_id
    children = selectors.visible_protected_children(user=user, order=order)
    initial["protected_children_numbers"] = ", ".join(str(c.pk) for c in children)
    return initial


@require_http_methods(["GET", "POST"])
def order_edit(request, pk: int):
    caller = Caller.from_request(request)
    order = selectors.order_get(caller=caller, pk=pk, purpose="change")
    if not can(request.user, Action.CHANGE, order):
        raise Http404("Not found")
    form = forms.OrderForm(
        request.POST or None,
        user=request.user,
        places=selectors.places_known_to(user=request.user),
        initial=_initial(order, request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.order_update(caller=caller, order=order, **form.service_kwargs())
        except ValidationError as error:
            _service_errors(form, error, forms.OrderForm.SERVICE_FIELD_NAMES)
        else:
            messages.success(request, "Changes saved.")
            return redirect("disruption:order", pk=order.pk)
    return _form_page(
        request, form, title=f"Change {order.tool_label}", back_url=reverse("disruption:order", args=[order.pk])
    )


@require_http_methods(["GET", "POST"])
def breach_create(request, pk: int):
    caller = Caller.from_request(request)
    order = selectors.order_get(caller=caller, pk=pk, purpose="record breach")
    if not can(request.user, Action.CHANGE, order):
        raise Http404("Not found")
    form = forms.BreachForm(request.POST or None)
    back = reverse("disruption:order", args=[order.pk])
    if request.method == "POST" and form.is_valid():
        try:
            services.breach_record(caller=caller, order=order, **form.cleaned_data)
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, "Breach recorded.")
            return redirect(back)
    return _form_page(request, form, title="Record a breach", caption=order.tool_label, back_url=back)


# --- Operations ----------------------------------------------------------------------------------


def operation_list(request):
    _casework(request)
    operations = selectors.operation_visible(user=request.user).select_related("owning_agency")
    return render(
        request,
        "disruption/operations.html",
        {"operations": operations, "may_record": may_record_orders(request.user)},
    )


@require_http_methods(["GET", "POST"])
def operation_create(request):
    if not may_record_orders(request.user):
        raise Http404("Not found")
    form = forms.OperationForm(request.POST or None, places=selectors.places_known_to(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            operation = services.operation_create(caller=Caller.from_request(request), **form.service_kwargs())
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, f"Operation {operation} recorded.")
            return redirect("disruption:operation", pk=operation.pk)
    return _form_page(request, form, title="Start a disruption operation", back_url=reverse("disruption:operations"))


def operation_detail(request, pk: int):
    _casework(request)
    user = request.user
    operation = selectors.operation_get(caller=Caller.from_request(request), pk=pk)
    context = {
        "operation": operation,
        "activities": scope(user, operation.activities.select_related("place", "agency", "recorded_by")),
        "can_change": can(user, Action.CHANGE, operation),
        "may_add_activity": may_add_activity(user, operation),
    }
    return render(request, "disruption/operation.html", context)


@require_http_methods(["GET", "POST"])
def activity_create(request, pk: int):
    caller = Caller.from_request(request)
    operation = selectors.operation_get(caller=caller, pk=pk, purpose="record activity")
    if not may_add_activity(request.user, operation):
        raise Http404("Not found")
    known = selectors.places_known_to(user=request.user).values("pk")
    places = Place.objects.filter(Q(pk__in=operation.places.values("pk")) | Q(pk__in=known))
    form = forms.ActivityForm(request.POST or None, places=places)
    back = reverse("disruption:operation", args=[operation.pk])
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_record(caller=caller, operation=operation, **form.cleaned_data)
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, "Activity recorded.")
            return redirect(back)
    return _form_page(request, form, title="Record an activity", caption=str(operation), back_url=back)


@require_http_methods(["GET", "POST"])
def operation_outcomes(request, pk: int):
    caller = Caller.from_request(request)
    operation = selectors.operation_get(caller=caller, pk=pk, purpose="record outcomes")
    if not can(request.user, Action.CHANGE, operation):
        raise Http404("Not found")
    form = forms.OutcomesForm(
        request.POST or None, initial={"outcomes": operation.outcomes, "end_date": operation.end_date}
    )
    back = reverse("disruption:operation", args=[operation.pk])
    if request.method == "POST" and form.is_valid():
        try:
            services.operation_record_outcomes(caller=caller, operation=operation, **form.cleaned_data)
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, "Outcomes saved.")
            return redirect(back)
    return _form_page(request, form, title="Record outcomes", caption=str(operation), back_url=back)
