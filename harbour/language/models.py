"""The lexicon entries administrators add, and the findings recorded when a record is saved.

A finding holds counts-only facts (which term, which team and agency, when, where in the text), never the
words themselves: the report shows which teams use which terms over time without copying case notes.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from harbour.accounts.models import Agency, Team

from .checker import ABOUT_CHILD_RULES, CATEGORIES


class Category(models.TextChoices):
    VICTIM_BLAMING = "victim_blaming", CATEGORIES["victim_blaming"]
    ADULTIFYING = "adultifying", CATEGORIES["adultifying"]
    IMPLIED_CONSENT = "implied_consent", CATEGORIES["implied_consent"]
    CRIMINALISING = "criminalising", CATEGORIES["criminalising"]


class LexiconEntry(models.Model):
    """A term an administrator added, or a change to a default term with the same id: reworded, extra
    patterns, or switched off (see checker.merge_entry).

    The lexicon is shared by every agency in the partnership: one language standard for everyone.
    """

    term_id = models.SlugField("Term id", max_length=60, unique=True)
    term = models.CharField("Term shown to users", max_length=200)
    category = models.CharField(max_length=30, choices=Category.choices)
    # For a default term these are extra patterns, added to the default ones (and may be blank).
    patterns = models.TextField(blank=True, help_text="One pattern per line.")
    alternatives = models.TextField(blank=True, help_text="One alternative per line.")
    explanation = models.TextField()
    about_child = models.JSONField(default=list, blank=True)
    not_after = models.TextField("Not when followed by", blank=True, help_text="Words, one per line.")
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["term_id"]
        verbose_name_plural = "lexicon entries"

    def __str__(self) -> str:
        return f"{self.term} ({self.term_id})"

    def as_lexicon_data(self) -> dict:
        """The entry in the lexicon file's shape, for harbour.language.checker."""
        return {
            "id": self.term_id,
            "term": self.term,
            "category": self.category,
            "explanation": self.explanation,
            "about_child": [r for r in self.about_child if r in ABOUT_CHILD_RULES],
            "exceptions": {"after": _lines(self.not_after), "after_window": 6},
            "rules": [{"patterns": _lines(self.patterns), "alternatives": _lines(self.alternatives)}]
            if _lines(self.patterns)
            else [],
            "active": self.is_active,
        }


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class LanguageFinding(models.Model):
    """One flagged phrase in a saved record (a note, an account...), kept for the language report."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    record = GenericForeignKey("content_type", "object_id")
    term_id = models.CharField(max_length=60, db_index=True)
    category = models.CharField(max_length=30, choices=Category.choices)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["agency", "created_at"], name="language_finding_agency_time"),
            models.Index(fields=["content_type", "object_id"], name="language_finding_record"),
        ]

    def __str__(self) -> str:
        return f"{self.term_id} in {self.content_type.model} {self.object_id}"
