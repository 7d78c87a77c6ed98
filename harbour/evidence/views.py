"""Screens for digital evidence. Thin: forms validate, services write, selectors read (and log).

Every URL answers 404 for a record the user may not see, through the access policy.
"""

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from harbour.access.policy import Action, can
from harbour.accounts.roles import WRITING_ROLES
from harbour.core.caller import Caller
from harbour.core.forms import add_service_errors
from harbour.graph.normalise import PLATFORM_LABELS

from . import selectors, services
from .forms import ImportForm, InvestigationForm, NotesForm, SearchForm
from .indicators import Indicators
from .models import ExtractedIdentifier


def _investigation(request, pk, *, audit=True):
    return selectors.investigation_get(caller=Caller.from_request(request), pk=pk, audit=audit)


def investigation_list(request):
    investigations = selectors.investigation_list(user=request.user)
    return render(
        request,
        "evidence/list.html",
        {"investigations": investigations, "can_create": request.user.role in WRITING_ROLES},
    )


@require_http_methods(["GET", "POST"])
def investigation_create(request):
    if request.user.role not in WRITING_ROLES:
        raise Http404("Not found")
    form = InvestigationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            investigation = services.investigation_create(caller=Caller.from_request(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Investigation {investigation.reference} opened.")
            return redirect("evidence:detail", pk=investigation.pk)
    return render(request, "evidence/form.html", {"form": form, "title": "Open an investigation"})


def _detail_context(request, investigation, import_form=None, notes_form=None):
    user = request.user
    return {
        "investigation": investigation,
        "rebuild": selectors.latest_index_rebuild(user=user, investigation=investigation),
        "items": investigation.items.select_related("imported_by"),
        "can_change": can(user, Action.CHANGE, investigation),
        "import_form": import_form or ImportForm(),
        "notes_form": notes_form or NotesForm(initial={"examiner_notes": investigation.examiner_notes}),
        "search_form": SearchForm(),
        "conversations": selectors.conversations(user=user, investigation=investigation)[:200],
        "family_counts": selectors.family_counts(user=user, investigation=investigation).most_common(),
        "labels": Indicators.load().labels,
    }


def investigation_detail(request, pk: int):
    investigation = _investigation(request, pk)
    return render(request, "evidence/detail.html", _detail_context(request, investigation))


@require_POST
def item_import(request, pk: int):
    investigation = _investigation(request, pk, audit=False)
    if not can(request.user, Action.CHANGE, investigation):
        raise Http404("Not found")
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            item = services.item_import(caller=Caller.from_request(request), investigation=investigation, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Received {item.original_name} (SHA-256 {item.sha256}). Import queued.")
            return redirect("evidence:item", pk=item.pk)
    return render(request, "evidence/detail.html", _detail_context(request, investigation, import_form=form))


@require_POST
def investigation_notes(request, pk: int):
    investigation = _investigation(request, pk, audit=False)
    form = NotesForm(request.POST)
    if form.is_valid():
        services.investigation_set_notes(
            caller=Caller.from_request(request), investigation=investigation, notes=form.cleaned_data["examiner_notes"]
        )
        messages.success(request, "Examiner's notes saved.")
    return redirect("evidence:detail", pk=investigation.pk)


def item_detail(request, pk: int):
    item = selectors.item_get(caller=Caller.from_request(request), pk=pk)
    return render(
        request,
        "evidence/item.html",
        {
            "item": item,
            "investigation": item.investigation,
            "custody": item.custody.select_related("actor").order_by("at", "id"),
            "conversations": selectors.conversations(user=request.user, investigation=item.investigation).filter(
                item_id=item.pk
            ),
            "can_change": can(request.user, Action.CHANGE, item.investigation),
        },
    )


def item_progress(request, pk: int):
    """The progress fragment, polled every 2 s while the import runs. Counters only: not logged
    as a view of the evidence (it shows none of it)."""
    item = selectors.item_get(caller=Caller.from_request(request), pk=pk, custody=False)
    response = render(request, "evidence/_progress.html", {"item": item})
    if request.headers.get("HX-Request") and not item.is_active and request.GET.get("was") == "active":
        response["HX-Refresh"] = "true"  # finished while watched: reload to show the results
    return response


@require_POST
def item_resume(request, pk: int):
    item = selectors.item_get(caller=Caller.from_request(request), pk=pk, custody=False)
    try:
        services.item_resume(caller=Caller.from_request(request), item=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Import queued again: it continues from its last checkpoint.")
    return redirect("evidence:item", pk=item.pk)


@require_http_methods(["GET", "POST"])
def index_rebuild(request, pk: int):
    """Rebuild the search index from the database: the team confirms on this page, then watches
    the rebuild's progress here."""
    investigation = _investigation(request, pk, audit=False)
    if not can(request.user, Action.CHANGE, investigation):
        raise Http404("Not found")
    if request.method == "POST":
        try:
            services.index_rebuild_request(caller=Caller.from_request(request), investigation=investigation)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Rebuild of the search index queued.")
        return redirect("evidence:index_rebuild", pk=investigation.pk)
    return render(
        request,
        "evidence/index_rebuild.html",
        {
            "investigation": investigation,
            "rebuild": selectors.latest_index_rebuild(user=request.user, investigation=investigation),
            "importing": investigation.items.filter(status__in=["queued", "running"]).exists(),
            "messages_total": selectors.message_count(user=request.user, investigation=investigation),
        },
    )


def index_status(request, pk: int):
    """The rebuild's status fragment, polled every 2 s while it runs. Counters only: not logged."""
    investigation = _investigation(request, pk, audit=False)
    rebuild = selectors.latest_index_rebuild(user=request.user, investigation=investigation)
    response = render(request, "evidence/_index_status.html", {"investigation": investigation, "rebuild": rebuild})
    finished = rebuild is None or not rebuild.is_active
    if request.headers.get("HX-Request") and finished and request.GET.get("was") == "active":
        response["HX-Refresh"] = "true"  # finished while watched: reload to show the outcome
    return response


def search(request, pk: int):
    investigation = _investigation(request, pk, audit=False)
    form = SearchForm(request.GET or None)
    results = page = None
    if request.GET and form.is_valid():
        number = _page_number(request)
        terms = {k: form.cleaned_data[k] for k in ("words", "participant", "date_from", "date_to")}
        caller = Caller.from_request(request)
        offset = (number - 1) * SEARCH_PAGE_SIZE
        results = selectors.search(
            caller=caller, investigation=investigation, limit=SEARCH_PAGE_SIZE, offset=offset, **terms
        )
        # The index counts every match; a page shows SEARCH_PAGE_SIZE of them.
        page = Paginator(range(results.total), SEARCH_PAGE_SIZE).get_page(number)
        if results.total and page.number != number:  # past the last page: show the last one
            offset = (page.number - 1) * SEARCH_PAGE_SIZE
            results = selectors.search(
                caller=caller, investigation=investigation, limit=SEARCH_PAGE_SIZE, offset=offset, **terms
            )
    rebuild = selectors.latest_index_rebuild(user=request.user, investigation=investigation)
    query = urlencode([(k, v) for k, v in request.GET.items() if k != "page"])
    return render(
        request,
        "evidence/search.html",
        {
            "investigation": investigation,
            "form": form,
            "results": results,
            "page": page,
            "query": query,
            "labels": Indicators.load().labels,
            "rebuilding": rebuild is not None and rebuild.is_active,
        },
    )


SEARCH_PAGE_SIZE = 20  # hits a page, each with two messages either side


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


def conversation(request, pk: int):
    caller = Caller.from_request(request)
    item = selectors.item_get(caller=caller, pk=pk, custody=False)
    name = request.GET.get("c", "")
    around = request.GET.get("around")
    after = request.GET.get("after")
    try:
        around = int(around) if around else None
        after = int(after) if after else 0
    except ValueError:
        raise Http404("Not found") from None
    page, has_more = selectors.conversation_page(
        caller=caller, item=item, conversation=name, around=around, after=after
    )
    if not page and not after:
        raise Http404("Not found")
    return render(
        request,
        "evidence/conversation.html",
        {
            "item": item,
            "investigation": item.investigation,
            "conversation": name,
            "page": page,
            "has_more": has_more,
            "around": around,
            "timeline": selectors.indicator_timeline(item=item, conversation=name),
            "labels": Indicators.load().labels,
        },
    )


def message_in_context(request, pk: int):
    message = selectors.message_get(user=request.user, pk=pk)
    query = urlencode({"c": message.conversation, "around": message.pk})
    return redirect(f"{reverse('evidence:conversation', args=[message.item_id])}?{query}#m{message.pk}")


def flags(request, pk: int):
    investigation = _investigation(request, pk)
    family = request.GET.get("family", "")
    labels = Indicators.load().labels
    if family and family not in labels:
        family = ""
    return render(
        request,
        "evidence/flags.html",
        {
            "investigation": investigation,
            "ranked": selectors.ranked_conversations(user=request.user, investigation=investigation),
            "flagged": selectors.flagged_messages(user=request.user, investigation=investigation, family=family),
            "family": family,
            "labels": labels,
            "family_counts": selectors.family_counts(user=request.user, investigation=investigation),
        },
    )


def participants(request, pk: int):
    investigation = _investigation(request, pk)
    participant = request.GET.get("p", "")
    activity = []
    peak = 0
    if participant:
        activity = selectors.participant_activity(
            user=request.user, investigation=investigation, participant=participant
        )
        peak = max((row["messages"] for row in activity), default=0)
    return render(
        request,
        "evidence/participants.html",
        {
            "investigation": investigation,
            "participants": selectors.participants(user=request.user, investigation=investigation)[:500],
            "participant": participant,
            "activity": activity,
            "peak": peak,
        },
    )


def identifiers(request, pk: int):
    investigation = _investigation(request, pk)
    kind = request.GET.get("kind", "")
    if kind not in ExtractedIdentifier.Kind.values:
        kind = ""
    rows = selectors.identifiers(user=request.user, investigation=investigation, kind=kind)
    paginator = Paginator(rows, 100)
    selected = list(investigation.selected_identifiers.select_related("source__message", "selected_by"))
    for s in selected:  # what each would become in the entity graph, or why it cannot
        try:
            s.graph_label = services.graph_target(s).label
        except ValidationError as error:
            s.graph_refusal = " ".join(error.messages)
    return render(
        request,
        "evidence/identifiers.html",
        {
            "investigation": investigation,
            "page": paginator.get_page(request.GET.get("page")),
            "kind": kind,
            "kinds": ExtractedIdentifier.Kind.choices,
            "selected": selected,
            "platforms": sorted(PLATFORM_LABELS.items(), key=lambda p: (p[0] != "unknown", p[1])),
            "can_change": can(request.user, Action.CHANGE, investigation),
        },
    )


@require_POST
def identifier_select(request, pk: int, identifier_pk: int):
    investigation = _investigation(request, pk, audit=False)
    selected = services.identifier_select(caller=Caller.from_request(request), identifier_pk=identifier_pk)
    if selected.investigation_id != investigation.pk:
        raise Http404("Not found")
    messages.success(request, f"{selected.get_kind_display()} {selected.value} added to the selected identifiers.")
    return redirect("evidence:identifiers", pk=investigation.pk)


@require_POST
def selected_identifier_link(request, pk: int, selected_pk: int):
    """Link a selected identifier to a person in the entity graph, the message as provenance."""
    investigation = _investigation(request, pk, audit=False)
    if not investigation.selected_identifiers.filter(pk=selected_pk).exists():
        raise Http404("Not found")
    try:
        link = services.selected_identifier_link(
            caller=Caller.from_request(request),
            selected_pk=selected_pk,
            person_pk=request.POST.get("person", ""),
            platform=request.POST.get("platform", ""),
        )
    except services.PersonNotFound:
        # 404, as for any record the examiner may not see; the page says so, the same for an
        # absent and a hidden person, so the examiner can correct the number.
        messages.error(request, "No person you can see has that record number. Nothing was linked.")
        response = identifiers(request, pk)
        response.status_code = 404
        return response
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Linked in the entity graph: {link.get_link_type_display().lower()}.")
    return redirect("evidence:identifiers", pk=investigation.pk)


def summary(request, pk: int):
    investigation = _investigation(request, pk, audit=False)
    context = selectors.evidential_summary(caller=Caller.from_request(request), investigation=investigation)
    return render(request, "evidence/summary.html", context)


def summary_pdf(request, pk: int):
    """The summary as PDF when WeasyPrint is installed (optional extra `pdf`); else 404 and the
    HTML summary prints cleanly from the browser."""
    try:
        import weasyprint
    except (ImportError, OSError):
        raise Http404("PDF export is not installed; print the HTML summary instead.") from None
    investigation = _investigation(request, pk, audit=False)
    context = selectors.evidential_summary(caller=Caller.from_request(request), investigation=investigation)
    css = (Path(__file__).parent / "static" / "evidence" / "summary.css").read_text(encoding="utf-8")
    html = render_to_string("evidence/summary_document.html", {**context, "css": css}, request=request)
    pdf = weasyprint.HTML(string=html).write_pdf()  # no base URL: nothing is fetched
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="evidential-summary-{investigation.pk}.pdf"'
    return response
