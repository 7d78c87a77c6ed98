"""Screens for people. Thin: forms validate input, services write, selectors read (and audit)."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from harbour.access.models import AccessGrant
from harbour.access.policy import Action, can
from harbour.accounts.roles import CASEWORK_ROLES
from harbour.core.caller import Caller
from harbour.core.forms import add_service_errors

from . import selectors, services
from .forms import (
    AddressForm,
    AliasForm,
    IdentifierForm,
    NoteForm,
    PersonForm,
    PersonSearchForm,
    PlacementForm,
    RestrictForm,
    ShareForm,
)
from .models import Person


def person_search(request):
    form = PersonSearchForm(request.GET or None)
    results = None
    if request.GET and form.is_valid():
        results = selectors.person_search(
            caller=Caller.from_request(request),
            name=form.cleaned_data["name"],
            date_of_birth=form.cleaned_data["date_of_birth"],
            identifier=form.cleaned_data["identifier"],
            kind=form.cleaned_data["kind"],
        )
    return render(request, "people/search.html", {"form": form, "results": results})


def person_detail(request, pk: int):
    caller = Caller.from_request(request)
    person = selectors.person_get(caller=caller, pk=pk)
    user = request.user
    context = {
        "person": person,
        "timeline": selectors.person_timeline(user=user, person=person),
        "names": person.names.exclude(kind="primary"),
        "identifiers": person.identifiers.select_related("issued_by"),
        "addresses": person.addresses.all(),
        "placements": person.placements.select_related("care_home", "placing_authority"),
        "grants": selectors.person_access_grants(user=user, person=person),
        "can_change": can(user, Action.CHANGE, person),
        "can_share": can(user, Action.SHARE, person),
        "can_restrict": can(user, Action.RESTRICT, person),
        "note_form": NoteForm(),
    }
    return render(request, "people/detail.html", context)


def person_export(request, pk: int):
    """Download what the user may see of the record (JSON). Audited as an export."""
    data = selectors.person_export(caller=Caller.from_request(request), pk=pk)
    response = JsonResponse(data, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="harbour-person-{data["id"]}.json"'
    return response


def person_search_export(request):
    """Download the search results as CSV: the same search, the same policy, audited."""
    form = PersonSearchForm(request.GET or None)
    if not form.is_valid():
        return redirect("people:search")
    results = selectors.person_search(
        caller=Caller.from_request(request),
        name=form.cleaned_data["name"],
        date_of_birth=form.cleaned_data["date_of_birth"],
        identifier=form.cleaned_data["identifier"],
        kind=form.cleaned_data["kind"],
        export=True,
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="harbour-people-search.csv"'
    writer = csv.writer(response)
    writer.writerow(["record", "given name", "family name", "date of birth", "kind", "held by"])
    for r in results:
        p = r.person
        writer.writerow(
            [p.pk, p.given_name, p.family_name, p.date_of_birth or "", p.get_kind_display(), p.owning_agency]
        )
    return response


@require_http_methods(["GET", "POST"])
def person_create(request):
    if request.user.role not in ("practitioner", "supervisor"):
        raise Http404("Not found")
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(caller=Caller.from_request(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Record created for {person}.")
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/form.html", {"form": form, "title": "Add a person"})


def _changeable(request, pk) -> Person:
    """Load for a write: 404 if the user may not see it, 404 too if they may see but not change."""
    person = selectors.person_get(caller=Caller.from_request(request), pk=pk, purpose="change")
    if not can(request.user, Action.CHANGE, person):
        raise Http404("Not found")
    return person


@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int):
    person = _changeable(request, pk)
    form = PersonForm(request.POST or None, instance=Person.objects.get(pk=person.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(caller=Caller.from_request(request), person=person, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Changes saved.")
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/form.html", {"form": form, "title": f"Change {person}", "person": person})


def _add_related(request, pk, form_class, service, title, *, model_form=False):
    person = _changeable(request, pk)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            if model_form:
                data = {k: v for k, v in data.items() if k in form._meta.fields}
            service(caller=Caller.from_request(request), person=person, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{title} saved.")
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/form.html", {"form": form, "title": title, "person": person})


@require_http_methods(["GET", "POST"])
def person_add_name(request, pk: int):
    return _add_related(request, pk, AliasForm, services.person_add_name, "Alias")


@require_http_methods(["GET", "POST"])
def person_add_identifier(request, pk: int):
    return _add_related(request, pk, IdentifierForm, services.person_add_identifier, "Identifier")


@require_http_methods(["GET", "POST"])
def person_add_address(request, pk: int):
    return _add_related(request, pk, AddressForm, services.person_add_address, "Address", model_form=True)


@require_http_methods(["GET", "POST"])
def person_add_placement(request, pk: int):
    return _add_related(request, pk, PlacementForm, services.person_add_placement, "Placement", model_form=True)


@require_http_methods(["POST"])
def person_add_note(request, pk: int):
    return _add_related(request, pk, NoteForm, services.note_create, "Note")


@require_http_methods(["GET", "POST"])
def person_share(request, pk: int):
    person = selectors.person_get(caller=Caller.from_request(request), pk=pk, purpose="share")
    if not can(request.user, Action.SHARE, person):
        raise Http404("Not found")
    form = ShareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_share(caller=Caller.from_request(request), person=person, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Access given.")
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/form.html", {"form": form, "title": f"Share or allocate {person}", "person": person})


@require_http_methods(["POST"])
def person_revoke(request, pk: int, grant_pk: int):
    person = selectors.person_get(caller=Caller.from_request(request), pk=pk, purpose="revoke")
    if not can(request.user, Action.SHARE, person):
        raise Http404("Not found")
    try:
        grant = AccessGrant.objects.live().for_record(person).get(pk=grant_pk)
    except AccessGrant.DoesNotExist:
        raise Http404("Not found") from None
    services.grant_revoke(caller=Caller.from_request(request), grant=grant, reason=request.POST.get("reason", ""))
    messages.success(request, "Access removed.")
    return redirect("people:detail", pk=person.pk)


@require_http_methods(["GET", "POST"])
def person_restrict(request, pk: int):
    person = selectors.person_get(caller=Caller.from_request(request), pk=pk, purpose="restrict")
    if not can(request.user, Action.RESTRICT, person):
        raise Http404("Not found")
    form = RestrictForm(request.POST or None, agency=request.user.agency, initial={"restricted": person.is_restricted})
    if request.method == "POST" and form.is_valid():
        try:
            services.person_set_restricted(
                caller=Caller.from_request(request),
                person=person,
                restricted=form.cleaned_data["restricted"],
                named_users=list(form.cleaned_data["named_users"]),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Restriction saved.")
            if form.cleaned_data["restricted"] and not can(request.user, Action.VIEW, person):
                return redirect("core:home")
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/form.html", {"form": form, "title": f"Restrict {person}", "person": person})


def care_home_register(request):
    rows = selectors.care_home_register(user=request.user)
    if not rows and request.user.role not in CASEWORK_ROLES:
        raise Http404("Not found")
    return render(request, "people/care_homes.html", {"rows": rows})
