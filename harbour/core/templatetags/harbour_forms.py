"""Render any Django form with GOV.UK Frontend components, so no form needs a template of its own.

`{% include "includes/form.html" %}` (with `form` in the context) is the interface the views use; that
include calls the tags here. Each field is turned into a plain description (which component, its id,
value, options, hint and errors) and drawn by includes/govuk_field.html, so the markup lives in one
template and the decisions in one place:

- text, email, password, number and URL inputs: govuk-input, sized to the field's max_length;
- textareas: govuk-textarea; dates: <input type="date"> (one value, YYYY-MM-DD, as Django expects);
- a fixed choice of six or fewer: govuk-radios; more, or records from the database: govuk-select;
- several answers: govuk-checkboxes;
- a yes/no field: a single govuk-checkboxes item;
- errors: an error summary linking to each field, messages joined to their input by aria-describedby.
"""

from __future__ import annotations

import datetime

from django import forms, template
from django.utils import timezone

register = template.Library()

RADIO_LIMIT = 6  # more choices than this are a select (GOV.UK: radios for a short list)
CHECKBOX_LIMIT = 40  # a longer multiple choice stays a <select multiple>
PASSED_ATTRS = ("autocomplete", "autocapitalize", "spellcheck", "inputmode", "rows", "min", "max", "step")
BLANK_LABELS = {"", "---------"}


def _width(field: forms.Field) -> str:
    """GOV.UK fixed-width input classes: a field's width hints at the answer expected."""
    if isinstance(field, forms.IntegerField):
        small = field.max_value is not None and field.max_value < 100000
        return "govuk-input--width-5" if small else "govuk-input--width-10"
    max_length = getattr(field, "max_length", None)
    if not max_length:
        return ""
    for limit, width in ((2, 2), (3, 3), (4, 4), (5, 5), (10, 10), (40, 20)):
        if max_length <= limit:
            return f"govuk-input--width-{width}"
    return ""


def _flat_choices(field: forms.Field) -> list[tuple[str, str]]:
    choices = []
    for value, label in getattr(field, "choices", None) or getattr(field.widget, "choices", []):
        if isinstance(label, (list, tuple)):  # an option group: its options, flattened
            choices.extend((str(v), str(lab)) for v, lab in label)
        else:
            choices.append(("" if value is None else str(value), str(label)))
    return choices


def _kind(field: forms.Field, choices: list[tuple[str, str]] | None, layout: str) -> str:
    widget = field.widget
    if isinstance(widget, (forms.HiddenInput, forms.MultipleHiddenInput)):
        return "hidden"
    if isinstance(widget, forms.MultiWidget):
        return "widget"  # e.g. SplitDateTimeWidget: Django draws it; we supply label, hint and errors
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    # CheckboxSelectMultiple subclasses RadioSelect in Django, so it must be tested first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.SelectMultiple):
        return "checkboxes" if len(choices) <= CHECKBOX_LIMIT else "select-multiple"
    if isinstance(widget, forms.Select):
        # Radios for a short, fixed list; a list drawn from the database (agencies, users) can grow,
        # so it is always a select and looks the same whatever the data.
        real = [c for c in choices if c[0] != ""]
        fixed = not isinstance(field, forms.ModelChoiceField)
        return "radios" if fixed and len(real) <= RADIO_LIMIT and layout != "filter" else "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(field, forms.DateTimeField) or getattr(widget, "input_type", "") == "datetime-local":
        return "datetime"
    if isinstance(field, forms.DateField) or getattr(widget, "input_type", "") == "date":
        return "date"
    return "input"


def _input_type(field: forms.Field) -> str:
    widget = field.widget
    if isinstance(widget, forms.PasswordInput):
        return "password"
    if isinstance(widget, forms.EmailInput):
        return "email"
    if isinstance(widget, forms.URLInput):
        return "url"
    return "text"  # numbers too: GOV.UK asks for type=text with inputmode=numeric


def _value(bound, kind: str):
    value = bound.value()
    if kind in ("checkboxes", "select-multiple"):
        return {str(v) for v in (value or [])}
    if kind == "checkbox":
        return bound.field.widget.check_test(value)
    if value is None:
        return ""
    if kind == "date" and isinstance(value, datetime.date):
        return value.isoformat()[:10]
    if kind == "datetime" and isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%dT%H:%M")
    if isinstance(bound.field.widget, forms.NullBooleanSelect):
        return {True: "true", False: "false", "True": "true", "False": "false"}.get(value, str(value))
    if kind in ("radios", "select"):
        return str(value)
    if kind in ("file", "widget"):
        return ""
    if isinstance(bound.field.widget, forms.PasswordInput) and not bound.field.widget.render_value:
        return ""
    return bound.field.widget.format_value(value) or ""


def _messages(bound, kind: str) -> list[str]:
    """The field's errors; Django's bare 'This field is required.' says which answer is missing."""
    form = bound.form
    if not bound.errors:
        return []
    required = bound.field.error_messages.get("required")
    label = str(bound.label)
    messages = []
    for error in form.errors.as_data().get(bound.name, []):
        for message in error.messages:
            if error.code == "required" and message == required:
                message = _required_message(label, kind)
            elif error.code == "invalid" and kind in ("date", "datetime"):
                message = f"{label.removesuffix(' (optional)')} must be a real date"
            messages.append(message)
    return messages


def _required_message(label: str, kind: str) -> str:
    if label.endswith("?"):
        return f"Answer ‘{label}’"
    thing = label[0].lower() + label[1:] if label[:2] != label[:2].upper() else label
    if kind in ("radios", "select", "checkboxes", "select-multiple", "checkbox"):
        return f"Select {thing}"
    if kind in ("date", "datetime"):
        return f"Enter the {thing.removesuffix(' (optional)')}"
    return f"Enter {thing}"


def _form_has_required(form) -> bool:
    return any(f.required and not isinstance(f.widget, forms.HiddenInput) for f in form.fields.values())


def describe(bound, layout: str = "") -> dict:
    """Everything includes/govuk_field.html needs to draw one field.

    layout "filter" (search and filter forms laid out side by side) uses selects rather than radios,
    and "Any" for an unanswered optional choice.
    """
    field = bound.field
    has_choices = isinstance(field, forms.ChoiceField) or isinstance(field.widget, forms.Select)
    choices = _flat_choices(field) if has_choices else None
    kind = _kind(field, choices, layout)
    field_id = bound.auto_id or f"id_{bound.html_name}"
    value = _value(bound, kind)
    messages = _messages(bound, kind)
    hint_id = f"{field_id}-hint" if bound.help_text else ""
    error_id = f"{field_id}-error" if messages else ""
    label = str(bound.label)
    if not field.required and kind != "checkbox" and "optional" not in label.lower() and _form_has_required(bound.form):
        label = f"{label} (optional)"
    attrs = {k: field.widget.attrs[k] for k in PASSED_ATTRS if k in field.widget.attrs}
    if isinstance(field, forms.IntegerField):
        attrs.setdefault("inputmode", "numeric")
    if isinstance(field.widget, forms.PasswordInput):
        attrs.setdefault("autocomplete", "new-password")  # sign-in sets "current-password" itself
    if isinstance(field, (forms.EmailField,)) or bound.name in ("username", "email"):
        attrs.setdefault("spellcheck", "false")
    if kind == "textarea" and str(attrs.get("rows", "10")) == "10":  # Django's default; GOV.UK's is 5
        attrs["rows"] = 5

    options = []
    if kind in ("radios", "checkboxes", "select", "select-multiple"):
        for index, (choice_value, choice_label) in enumerate(choices):
            if choice_value == "" and kind in ("radios", "checkboxes") and field.required:
                continue  # a required choice offers no "none": an unanswered radio is the blank
            if choice_value == "" and choice_label in BLANK_LABELS:
                choice_label = "Choose" if field.required else ("Any" if layout == "filter" else "None")
            if kind in ("radios", "checkboxes"):
                selected = choice_value in value if kind == "checkboxes" else choice_value == value
                option_id = field_id if not options else f"{field_id}-{index}"
            else:
                selected = choice_value in value if kind == "select-multiple" else choice_value == value
                option_id = ""
            options.append({"value": choice_value, "label": choice_label, "selected": selected, "id": option_id})
        if kind == "select" and not any(o["selected"] for o in options) and all(o["value"] for o in options):
            # No answer yet and no blank choice: without one the browser would quietly submit the first.
            options.insert(0, {"value": "", "label": "Choose", "selected": True, "id": ""})

    return {
        "bound": bound,
        "kind": kind,
        "id": field_id,
        "name": bound.html_name,
        "label": label,
        "hint": bound.help_text,
        "hint_id": hint_id,
        "messages": messages,
        "error_id": error_id,
        "described_by": " ".join(i for i in (hint_id, error_id) if i),
        "value": value,
        "input_type": _input_type(field),
        "width": _width(field),
        "attrs": attrs,
        "options": options,
        "inline": kind == "radios" and len(options) <= 2 and all(len(o["label"]) <= 12 for o in options),
        # Long forms and filters use the small radios and checkboxes, so the page stays scannable.
        "small": layout == "filter" or len(bound.form.fields) > 6,
        "fieldset": kind in ("radios", "checkboxes"),
    }


@register.inclusion_tag("includes/govuk_field.html")
def govuk_field(bound, layout: str = ""):
    return {"f": describe(bound, layout or "")}


@register.inclusion_tag("includes/govuk_error_summary.html")
def govuk_error_summary(form, layout: str = ""):
    """One line per problem: the form's own errors first, then each field's, linking to the field."""
    items = [{"text": str(message), "href": ""} for message in form.non_field_errors()]
    for bound in form:
        if bound.errors and not bound.is_hidden:
            described = describe(bound, layout or "")
            items.extend({"text": message, "href": f"#{described['id']}"} for message in described["messages"])
    hidden = [(b.label, e) for b in form.hidden_fields() for e in b.errors]
    items.extend({"text": f"{label}: {error}", "href": ""} for label, error in hidden)
    return {"items": items}


@register.filter
def attrs_html(attrs: dict):
    """Extra input attributes, escaped, for the field template."""
    from django.forms.utils import flatatt

    return flatatt(attrs)
