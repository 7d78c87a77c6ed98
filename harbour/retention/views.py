"""Retention screens (the review queue, deciding, rules, deletions) and the subject-access export."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from harbour.access.policy import Action, can, scope
from harbour.core.caller import Caller
from harbour.core.forms import add_service_errors

from . import sar, selectors, services
from .access_rules import is_reviewer
from .forms import DeleteForm, RetainForm
from .models import DeletionRecord, RetentionRule


def _reviewer(request) -> None:
    if not is_reviewer(request.user):
        raise Http404("Not found")


@require_GET
def queue(request):
    _reviewer(request)
    due = selectors.due_records(user=request.user)
    return render(request, "retention/queue.html", {"due": due, "limit": selectors.QUEUE_LIMIT})


@require_GET
def rules(request):
    _reviewer(request)
    applying = {r.pk for r in selectors.rules_for(request.user.agency)}
    all_rules = RetentionRule.objects.select_related("content_type", "agency")
    return render(request, "retention/rules.html", {"rules": all_rules, "applying": applying})


@require_GET
def deletions(request):
    _reviewer(request)
    records = scope(request.user, DeletionRecord.objects.all()).select_related("content_type", "rule", "deleted_by")
    return render(request, "retention/deletions.html", {"deletions": records[:200]})


def _record_link(request, due) -> str | None:
    model = due.content_type.model_class()
    record = model._default_manager.filter(pk=due.record_id).first()
    if record is None or not can(request.user, Action.VIEW, record):
        return None
    if model._meta.label_lower == "people.person":
        return reverse("people:detail", args=[record.pk])
    getter = getattr(record, "get_absolute_url", None)
    return getter() if getter else None


def _decide_page(request, due, retain_form=None, delete_form=None, status=200):
    return render(
        request,
        "retention/decide.html",
        {
            "due": due,
            "record_link": _record_link(request, due),
            "reviews": selectors.reviews_of(content_type=due.content_type, object_id=due.record_id),
            "retain_form": retain_form or RetainForm(),
            "delete_form": delete_form or DeleteForm(),
        },
        status=status,
    )


@require_GET
def decide(request, rule_pk: int, object_id: int):
    due = selectors.due_record(user=request.user, rule_pk=rule_pk, object_id=object_id)
    return _decide_page(request, due)


@require_POST
def retain(request, rule_pk: int, object_id: int):
    due = selectors.due_record(user=request.user, rule_pk=rule_pk, object_id=object_id)
    form = RetainForm(request.POST)
    if form.is_valid():
        try:
            services.retention_retain(
                caller=Caller.from_request(request), rule_pk=rule_pk, object_id=object_id, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{due.reference} kept until {form.cleaned_data['next_review_on']:%d %B %Y}.")
            return redirect("retention:queue")
    return _decide_page(request, due, retain_form=form, status=400)


@require_POST
def delete(request, rule_pk: int, object_id: int):
    due = selectors.due_record(user=request.user, rule_pk=rule_pk, object_id=object_id)
    form = DeleteForm(request.POST)
    if form.is_valid():
        try:
            services.retention_delete(caller=Caller.from_request(request), rule_pk=rule_pk, object_id=object_id)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{due.reference} deleted. The deletion is recorded; its content is not kept.")
            return redirect("retention:queue")
    return _decide_page(request, due, delete_form=form, status=400)


@require_GET
def sar_json(request, pk: int):
    data = sar.sar_build(caller=Caller.from_request(request), pk=pk, fmt="json")
    response = JsonResponse(data, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="harbour-subject-access-{pk}.json"'
    return response


@require_GET
def sar_html(request, pk: int):
    data = sar.sar_build(caller=Caller.from_request(request), pk=pk, fmt="html")
    subject_rows = [(key.replace("_", " ").capitalize(), value) for key, value in data["subject"].items()]
    return render(
        request,
        "retention/sar.html",
        {"data": data, "subject_rows": subject_rows, "sections": sar.printable(data), "pk": pk},
    )
