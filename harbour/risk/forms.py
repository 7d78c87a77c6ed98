"""Forms for screening and assessment. They check shape only; the services apply the rules."""

from django import forms

from . import constants as c
from .indicators import IndicatorSetSpec
from .models import Level, LimbAnswer
from .services import AnswerInput

NOT_FOUND = ""
TIMING_CHOICES = [(NOT_FOUND, "No")] + [(t, c.TIMING_LABELS[t]) for t in c.TIMINGS]


def _types_field(spec: IndicatorSetSpec) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label="Which kinds of exploitation are you concerned about?",
        help_text="Select all that apply.",
        choices=[(t.code, t.label) for t in spec.types],
        # Drawn as GOV.UK checkboxes by harbour_forms (CheckboxSelectMultiple would be drawn as radios there,
        # because Django makes it a subclass of RadioSelect).
        widget=forms.SelectMultiple,
    )


class AssessmentStartForm(forms.Form):
    summary = forms.CharField(
        label="What has prompted this assessment?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, spec: IndicatorSetSpec, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"exploitation_types": _types_field(spec), **self.fields}


class IndicatorForm(forms.Form):
    """Kinds of exploitation, each indicator (no / current / previous) with its evidence and the
    professional concern kept apart, and the CCE limbs. Built from the record's indicator set."""

    def __init__(self, *args, spec: IndicatorSetSpec, evidence_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        self.fields["exploitation_types"] = _types_field(spec)
        for indicator in spec.indicators:
            code = indicator.code
            self.fields[f"i_{code}"] = forms.ChoiceField(
                label=indicator.label, choices=TIMING_CHOICES, required=False, widget=forms.RadioSelect
            )
            self.fields[f"r_{code}"] = forms.MultipleChoiceField(
                label="Linked records",
                help_text="Records in Harbour that show this.",
                choices=list(evidence_choices),
                required=False,
            )
            self.fields[f"e_{code}"] = forms.CharField(
                label="Evidence",
                help_text="What was seen or recorded, by whom and when.",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"c_{code}"] = forms.CharField(
                label="Professional concern",
                help_text="Your view, kept apart from the evidence.",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        for name, label in c.CCE_LIMBS:
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=[("", "Not answered")] + list(LimbAnswer.choices),
                required=False,
                widget=forms.RadioSelect,
            )
        self.fields["cce_detail"] = forms.CharField(
            label="What is known of the exchange, the advantage and any violence or threats",
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        self.fields["summary"] = forms.CharField(
            label="Summary: what prompted this, and your overall concern",
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
        )

    def clean(self):
        data = super().clean()
        for indicator in self.spec.indicators:
            code = indicator.code
            given = data.get(f"e_{code}", "").strip() or data.get(f"c_{code}", "").strip() or data.get(f"r_{code}")
            if given and not data.get(f"i_{code}"):
                self.add_error(
                    f"i_{code}", f"Choose current or previous for ‘{indicator.label}’, or clear its evidence."
                )
        return data

    def groups(self) -> list[dict]:
        """For the template: each group's indicators with their four fields."""
        groups = []
        for group in c.GROUPS:
            rows = []
            for indicator in self.spec.in_group(group):
                code = indicator.code
                rows.append(
                    {
                        "indicator": indicator,
                        "answer": self[f"i_{code}"],
                        "records": self[f"r_{code}"],
                        "evidence": self[f"e_{code}"],
                        "concern": self[f"c_{code}"],
                    }
                )
            groups.append({"code": group, "label": c.GROUP_LABELS[group], "rows": rows})
        return groups

    def cce_fields(self):
        return [self[name] for name, _ in c.CCE_LIMBS] + [self["cce_detail"]]

    def answers(self) -> list[AnswerInput]:
        data = self.cleaned_data
        answers = []
        for indicator in self.spec.indicators:
            code = indicator.code
            timing = data.get(f"i_{code}")
            if not timing:
                continue
            answers.append(
                AnswerInput(
                    indicator=code,
                    timing=timing,
                    evidence_note=data.get(f"e_{code}", ""),
                    evidence_records=tuple(data.get(f"r_{code}") or ()),
                    professional_concern=data.get(f"c_{code}", ""),
                )
            )
        return answers

    def record_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data.get(name, "") for name, _ in c.CCE_LIMBS}
        fields.update(
            exploitation_types=data["exploitation_types"],
            cce_detail=data.get("cce_detail", ""),
            summary=data.get("summary", ""),
        )
        return fields

    @staticmethod
    def initial_from(record) -> dict:
        initial = {
            "exploitation_types": record.exploitation_types,
            "cce_detail": record.cce_detail,
            "summary": record.summary,
        }
        for name, _ in c.CCE_LIMBS:
            initial[name] = getattr(record, name)
        for answer in record.answers.prefetch_related("evidence__content_type"):
            code = answer.indicator
            initial[f"i_{code}"] = answer.timing
            initial[f"c_{code}"] = answer.professional_concern
            notes = [e.note for e in answer.evidence.all() if e.note]
            initial[f"e_{code}"] = "\n\n".join(notes)
            initial[f"r_{code}"] = [
                f"{e.content_type.app_label}.{e.content_type.model}:{e.object_id}"
                for e in answer.evidence.all()
                if e.content_type_id
            ]
        return initial


class JudgementForm(forms.Form):
    judgement_level = forms.ChoiceField(label="Level your professional judgement gives", widget=forms.RadioSelect)
    judgement_reason = forms.CharField(
        label="Why does your professional judgement raise the level?",
        help_text="Say what you know that the indicators do not show. This is recorded with your name.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, current_level: str, **kwargs):
        super().__init__(*args, **kwargs)
        above = [(value, label) for value, label in Level.choices if c.level_rank(value) > c.level_rank(current_level)]
        self.fields["judgement_level"].choices = above


class ReturnForm(forms.Form):
    reason = forms.CharField(label="What needs to change before you can sign it off?", widget=forms.Textarea)


class TaskDoneForm(forms.Form):
    note = forms.CharField(label="What was done", required=False, widget=forms.Textarea(attrs={"rows": 3}))
