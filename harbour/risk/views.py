"""Screens for exploitation risk. Thin: forms check shape, services write (and check the policy),
selectors read (and audit). Anything the user may not see or change answers 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from harbour.access.policy import Action, can, get_or_404
from harbour.accounts.roles import CASEWORK_ROLES, WRITING_ROLES, Role
from harbour.core.caller import Caller
from harbour.core.forms import add_service_errors
from harbour.people import selectors as people_selectors

from . import constants as c
from . import evidence_links, selectors, services
from .forms import AssessmentStartForm, IndicatorForm, JudgementForm, ReturnForm, TaskDoneForm
from .models import Assessment, AssessmentStatus, IndicatorSet, RiskTask


def _child(request, person_id: int, purpose: str):
    child = people_selectors.person_get(caller=Caller.from_request(request), pk=person_id, purpose=purpose)
    if not child.is_child:
        raise Http404("Not found")
    return child


def _form_page(request, form, *, title, back_url, caption="", intro="", button="Save"):
    context = {"form": form, "title": title, "back_url": back_url, "caption": caption, "intro": intro, "button": button}
    return render(request, "risk/form.html", context)


def work(request):
    """My risk work: overdue reviews, open tasks, assessments to sign off and my drafts."""
    user = request.user
    if user.role not in CASEWORK_ROLES:
        raise Http404("Not found")
    context = {
        "overdue": selectors.overdue_reviews(user=user),
        "tasks": selectors.open_tasks(user=user),
        "awaiting": selectors.awaiting_sign_off(user=user),
        "drafts": selectors.drafts_of(user=user),
    }
    return render(request, "risk/work.html", context)


def child_risk(request, person_id: int):
    """A child's exploitation risk: the current level and what drove it, review date, history, records."""
    user = request.user
    child = _child(request, person_id, "risk")
    current = selectors.current_records(user=user, child=child)
    context = {
        "child": child,
        "current": current,
        "lead": current[0] if current else None,
        "history": list(reversed(selectors.level_history(user=user, child=child))),
        "screenings": selectors.screenings_for(user=user, child=child),
        "assessments": selectors.assessments_for(user=user, child=child),
        "tasks": selectors.open_tasks(user=user, child=child),
        "can_screen": user.role in CASEWORK_ROLES and bool(user.agency_id),
        "can_assess": user.role in WRITING_ROLES and bool(user.agency_id),
        "level_labels": c.LEVEL_LABELS,
    }
    return render(request, "risk/child.html", context)


def _indicator_page(request, form, *, child, title, back_url, record=None):
    context = {"form": form, "child": child, "title": title, "back_url": back_url, "record": record}
    return render(request, "risk/indicators_form.html", context)


@require_http_methods(["GET", "POST"])
def screening_new(request, person_id: int):
    user = request.user
    if user.role not in CASEWORK_ROLES or not user.agency_id:
        raise Http404("Not found")
    child = _child(request, person_id, "screen")
    try:
        indicator_set = services.current_indicator_set()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("risk:child", person_id=child.pk)
    choices = evidence_links.candidates(user=user, child=child)
    form = IndicatorForm(request.POST or None, spec=indicator_set.spec, evidence_choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            screening = services.screening_create(
                caller=Caller.from_request(request), child=child, answers=form.answers(), **form.record_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Screening recorded: {screening.get_level_display()}.")
            return redirect("risk:screening", pk=screening.pk)
    back = reverse("risk:child", args=[child.pk])
    return _indicator_page(request, form, child=child, title="Exploitation screening", back_url=back)


def _record_context(request, record) -> dict:
    user = request.user
    is_assessment = isinstance(record, Assessment)
    can_change = can(user, Action.CHANGE, record)
    editable = can_change and record.superseded_at is None
    if is_assessment:
        editable = editable and record.status != AssessmentStatus.SIGNED_OFF
    may_sign = (
        is_assessment
        and record.status == AssessmentStatus.SUBMITTED
        and user.role == Role.SUPERVISOR
        and user.agency_id == record.owning_agency_id
        and user.pk not in (record.created_by_id, record.submitted_by_id)
    )
    current_set = IndicatorSet.objects.order_by("-effective_from", "-id").first()
    return {
        "record": record,
        "child": record.child,
        "is_assessment": is_assessment,
        "answers": selectors.answers_shown(user=user, record=record),
        "groups": c.GROUP_LABELS,
        "can_edit_answers": is_assessment and can_change and record.status == AssessmentStatus.DRAFT,
        "can_submit": is_assessment and can_change and record.status == AssessmentStatus.DRAFT,
        "can_sign": may_sign,
        "can_raise": editable and record.level != c.SERIOUS,
        "can_rescore": is_assessment
        and user.role in WRITING_ROLES
        and current_set is not None
        and current_set.pk != record.indicator_set_id,
        "current_set": current_set,
    }


def screening_detail(request, pk: int):
    screening = selectors.screening_get(caller=Caller.from_request(request), pk=pk)
    return render(request, "risk/record.html", _record_context(request, screening))


def assessment_detail(request, pk: int):
    assessment = selectors.assessment_get(caller=Caller.from_request(request), pk=pk)
    return render(request, "risk/record.html", _record_context(request, assessment))


@require_http_methods(["GET", "POST"])
def assessment_new(request, person_id: int):
    user = request.user
    if user.role not in WRITING_ROLES or not user.agency_id:
        raise Http404("Not found")
    child = _child(request, person_id, "assess")
    try:
        indicator_set = services.current_indicator_set()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("risk:child", person_id=child.pk)
    form = AssessmentStartForm(request.POST or None, spec=indicator_set.spec)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_create(
                caller=Caller.from_request(request), child=child, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Assessment started. Record the indicators next.")
            return redirect("risk:assessment_answers", pk=assessment.pk)
    back = reverse("risk:child", args=[child.pk])
    return _form_page(request, form, title="Start an exploitation risk assessment", back_url=back, caption=str(child))


def _changeable_assessment(request, pk: int, purpose: str) -> Assessment:
    assessment = selectors.assessment_get(caller=Caller.from_request(request), pk=pk, purpose=purpose)
    if not can(request.user, Action.CHANGE, assessment):
        raise Http404("Not found")
    return assessment


@require_http_methods(["GET", "POST"])
def assessment_answers(request, pk: int):
    assessment = _changeable_assessment(request, pk, "change answers")
    back = reverse("risk:assessment", args=[assessment.pk])
    if assessment.status != AssessmentStatus.DRAFT:
        messages.error(request, "Only a draft assessment can be changed.")
        return redirect(back)
    choices = evidence_links.candidates(user=request.user, child=assessment.child)
    form = IndicatorForm(
        request.POST or None,
        spec=assessment.indicator_set.spec,
        evidence_choices=choices,
        initial=IndicatorForm.initial_from(assessment),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_update_answers(
                caller=Caller.from_request(request),
                assessment=assessment,
                answers=form.answers(),
                **form.record_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Answers saved and scored.")
            return redirect(back)
    title = f"Exploitation risk assessment (indicator set {assessment.indicator_set.version})"
    return _indicator_page(request, form, child=assessment.child, title=title, back_url=back, record=assessment)


def _step(request, pk: int, purpose: str, action, success: str):
    """POST a workflow step on an assessment; service errors come back as messages on its page."""
    assessment = selectors.assessment_get(caller=Caller.from_request(request), pk=pk, purpose=purpose)
    try:
        result = action(caller=Caller.from_request(request), assessment=assessment)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("risk:assessment", pk=assessment.pk)
    messages.success(request, success)
    return redirect("risk:assessment", pk=result.pk)


@require_POST
def assessment_submit(request, pk: int):
    return _step(request, pk, "submit", services.assessment_submit, "Assessment submitted for sign-off.")


@require_POST
def assessment_sign_off(request, pk: int):
    return _step(request, pk, "sign off", services.assessment_sign_off, "Assessment signed off.")


@require_POST
def assessment_rescore(request, pk: int):
    return _step(
        request,
        pk,
        "rescore",
        services.assessment_rescore,
        "A new draft assessment was made with the indicator set in force. The earlier one is unchanged.",
    )


@require_http_methods(["GET", "POST"])
def assessment_return(request, pk: int):
    assessment = selectors.assessment_get(caller=Caller.from_request(request), pk=pk, purpose="return")
    back = reverse("risk:assessment", args=[assessment.pk])
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_return(caller=Caller.from_request(request), assessment=assessment, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Assessment returned to its author.")
            return redirect(back)
    return _form_page(request, form, title="Return the assessment", back_url=back, caption=str(assessment.child))


@require_http_methods(["GET", "POST"])
def judgement(request, kind: str, pk: int):
    caller = Caller.from_request(request)
    if kind == "screening":
        record = selectors.screening_get(caller=caller, pk=pk, purpose="judgement")
    elif kind == "assessment":
        record = selectors.assessment_get(caller=caller, pk=pk, purpose="judgement")
    else:
        raise Http404("Not found")
    if not can(request.user, Action.CHANGE, record):
        raise Http404("Not found")
    back = reverse(f"risk:{kind}", args=[record.pk])
    form = JudgementForm(request.POST or None, current_level=record.level)
    if request.method == "POST" and form.is_valid():
        try:
            services.judgement_raise(
                caller=caller,
                record=record,
                level=form.cleaned_data["judgement_level"],
                reason=form.cleaned_data["judgement_reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Level raised by professional judgement.")
            return redirect(back)
    intro = (
        f"The indicators and rules give {c.LEVEL_LABELS[record.rule_level]}; the level now is "
        f"{c.LEVEL_LABELS[record.level]}. Professional judgement can raise it, never lower it."
    )
    return _form_page(
        request,
        form,
        title="Raise the level by professional judgement",
        back_url=back,
        caption=str(record.child),
        intro=intro,
    )


@require_http_methods(["GET", "POST"])
def task_done(request, pk: int):
    task = get_or_404(request.user, RiskTask.objects.select_related("child"), Action.CHANGE, pk=pk)
    back = reverse("risk:child", args=[task.child_id])
    form = TaskDoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.task_done(caller=Caller.from_request(request), task=task, note=form.cleaned_data["note"])
        messages.success(request, "Task marked as done.")
        return redirect(request.POST["next"] if _safe_next(request) else back)
    return _form_page(
        request, form, title=f"Mark as done: {task.get_kind_display()}", back_url=back, caption=str(task.child)
    )


def _safe_next(request) -> bool:
    target = request.POST.get("next", "")
    return target.startswith("/risk/") and "//" not in target
