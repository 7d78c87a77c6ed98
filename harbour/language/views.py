"""Screens for child-centred language: findings as the user types (an htmx fragment), the report for
supervisors and analysts, and the lexicon for administrators. Thin: selectors read, services write."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from harbour.core.caller import Caller
from harbour.core.forms import add_service_errors

from . import selectors, services
from .checker import Lexicon
from .forms import LexiconEntryForm, ReportForm
from .models import LexiconEntry

LABEL_PREFIX = "language_label:"
MAX_CHECK_CHARS = 50_000  # longer than any note (20,000); beyond it the as-you-type check stands aside


def _utf16(text: str, index: int) -> int:
    """A Python offset as the browser counts it (UTF-16 code units), for the replace button."""
    return len(text[:index].encode("utf-16-le")) // 2


@require_POST
def check_fragment(request):
    """The findings for the text areas a form names (`language_label:<field>` = label), as HTML for htmx.

    Nothing is stored: this is advice while writing. The text is checked as the browser holds it, with
    line breaks as "\\n", so the offsets match the text area.
    """
    lexicon = selectors.current_lexicon()
    fields = []
    for key, label in request.POST.items():
        if not key.startswith(LABEL_PREFIX):
            continue
        name = key.removeprefix(LABEL_PREFIX)
        text = request.POST.get(name, "").replace("\r\n", "\n")
        if len(text) > MAX_CHECK_CHARS:
            fields.append({"name": name, "label": label, "too_long": True, "findings": []})
            continue
        findings = [
            {"finding": f, "start": _utf16(text, f.start), "end": _utf16(text, f.end)} for f in lexicon.check(text)
        ]
        fields.append({"name": name, "label": label, "too_long": False, "findings": findings})
    count = sum(len(f["findings"]) for f in fields)
    context = {"fields": fields, "count": count, "show_labels": len(fields) > 1}
    return render(request, "language/_findings.html", context)


def report(request):
    if not selectors.can_see_report(request.user):
        raise Http404("Not found")
    form = ReportForm(request.GET or None)
    months = (form.cleaned_data.get("months") if form.is_valid() else None) or 12
    data = selectors.language_report(user=request.user, months=months)
    return render(request, "language/report.html", {"form": form, "report": data, "months": months})


def lexicon_list(request):
    entries = selectors.lexicon_overview(user=request.user)
    return render(request, "language/lexicon_list.html", {"entries": entries})


@require_http_methods(["GET", "POST"])
def lexicon_create(request):
    if not selectors.can_edit_lexicon(request.user):
        raise Http404("Not found")
    form = LexiconEntryForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.lexicon_entry_save(caller=Caller.from_request(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"‘{entry.term}’ added to the lexicon.")
            return redirect("language:lexicon")
    return render(request, "language/lexicon_form.html", {"form": form, "title": "Add a term"})


def _initial(entry_id: str) -> tuple[LexiconEntry | None, dict]:
    stored = LexiconEntry.objects.filter(term_id=entry_id).first()
    if stored:
        return stored, {name: getattr(stored, name) for name in services.ENTRY_FIELDS}
    default = Lexicon.default().entry(entry_id)
    if default is None:
        raise Http404("Not found")
    # A default term: its own patterns are shown, not edited; the form takes extra patterns.
    return None, {
        "term_id": default.id,
        "term": default.term,
        "category": default.category,
        "patterns": "",
        "alternatives": "",
        "explanation": default.explanation,
        "about_child": sorted(default.about_child),
        "not_after": "",
        "is_active": True,
    }


@require_http_methods(["GET", "POST"])
def lexicon_edit(request, term_id: str):
    if not selectors.can_edit_lexicon(request.user):
        raise Http404("Not found")
    stored, initial = _initial(term_id)
    default = Lexicon.default().entry(term_id)
    form = LexiconEntryForm(request.POST or None, initial=initial, editing=True, default=default)
    if request.method == "POST" and form.is_valid():
        try:
            services.lexicon_entry_save(caller=Caller.from_request(request), entry=stored, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Changes to ‘{form.cleaned_data['term']}’ saved.")
            return redirect("language:lexicon")
    context = {"form": form, "title": f"Change ‘{initial['term']}’", "default": default, "stored": stored}
    return render(request, "language/lexicon_form.html", context)
