"""Digital evidence: investigations, the evidence items seized for them, and what they contain.

An evidence item's original file is kept byte for byte (read-only, named by its SHA-256); the
messages parsed from it point back to their line in that file, so anything shown can be checked
against the original. Every action on an item is a custody event as well as an audit row.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models

from harbour.accounts.models import Agency, Team


class Investigation(models.Model):
    """The case record digital evidence belongs to. Seen by its owning team (see access_rules)."""

    name = models.CharField(max_length=200)
    reference = models.CharField(max_length=60, unique=True, help_text="The force's crime or operation reference.")
    owning_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    owning_team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    is_restricted = models.BooleanField(default=False)
    examiner_notes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"

    @property
    def audit_record_agency_id(self) -> int:
        return self.owning_agency_id


# An import stores a batch every second or so and beats while it waits: this long without a beat
# means the job is no longer running.
STALLED_AFTER = timedelta(minutes=10)


class EvidenceFormat(models.TextChoices):
    WHATSAPP = "whatsapp", "WhatsApp-style text export"
    CSV = "csv", "CSV (timestamp, sender, recipient or conversation, message)"
    TELEGRAM = "telegram", "Telegram-like JSON export"
    JSONL = "jsonl", "Harbour JSON lines"


class ImportPolicy(models.TextChoices):
    KEEP_VALID = "keep_valid", "Keep valid messages and report the lines skipped"
    ALL_OR_NOTHING = "all_or_nothing", "All or nothing: import only if every line is valid"


class ItemStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Importing"
    DONE = "done", "Imported"
    REJECTED = "rejected", "Rejected (malformed lines, nothing imported)"
    FAILED = "failed", "Failed (can be resumed)"


class EvidenceItem(models.Model):
    investigation = models.ForeignKey(Investigation, on_delete=models.PROTECT, related_name="items")
    description = models.CharField(max_length=200)
    source_device = models.CharField(max_length=200, blank=True, help_text="For example: Samsung phone, exhibit AB/1")
    source_platform = models.CharField(max_length=100, blank=True)
    export_description = models.CharField(max_length=300, blank=True, help_text="The tool and method of export.")
    seized_by = models.CharField(max_length=200)
    seized_at = models.DateTimeField()
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)
    original_name = models.CharField(max_length=255)
    stored_path = models.CharField(max_length=300, help_text="Relative to MEDIA_ROOT: evidence/<sha256>")
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.BigIntegerField()
    format = models.CharField(max_length=20, choices=EvidenceFormat.choices)
    policy = models.CharField(max_length=20, choices=ImportPolicy.choices, default=ImportPolicy.KEEP_VALID)
    conversation_name = models.CharField(max_length=200, blank=True)
    timezone = models.CharField(max_length=60, default="Europe/London")
    status = models.CharField(max_length=20, choices=ItemStatus.choices, default=ItemStatus.QUEUED)
    # Progress and checkpoint: updated in the same transaction as each batch of messages.
    checkpoint = models.BigIntegerField(default=0, help_text="Last source position committed.")
    messages_done = models.BigIntegerField(default=0)
    bytes_read = models.BigIntegerField(default=0)
    skipped = models.BigIntegerField(default=0)
    flags_found = models.BigIntegerField(default=0)
    error_report = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    # The search index is committed separately from the database: this is its own checkpoint.
    indexed_through = models.BigIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    # The job's heartbeat: set when it starts, with each batch, and while it waits for the index.
    progress_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["imported_at"]

    def __str__(self) -> str:
        return f"{self.description} ({self.sha256[:12]})"

    @property
    def audit_record_agency_id(self) -> int:
        return self.investigation.owning_agency_id

    @property
    def percent(self) -> int:
        if self.status == ItemStatus.DONE:
            return 100
        return int(100 * self.bytes_read / self.size) if self.size else 0

    @property
    def is_active(self) -> bool:
        return self.status in (ItemStatus.QUEUED, ItemStatus.RUNNING)

    @property
    def is_stalled(self) -> bool:
        """Importing, but no sign of life for STALLED_AFTER: the worker was probably stopped or
        killed. Such an import can be resumed; it continues after the last batch it stored."""
        from django.utils import timezone

        last = self.progress_at or self.started_at
        return self.status == ItemStatus.RUNNING and last is not None and timezone.now() - last > STALLED_AFTER


class Message(models.Model):
    # No single-column indexes on the keys: the composite indexes below start with them, and
    # every index costs time on an import of millions of rows.
    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="+", db_index=False)
    item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="messages", db_index=False)
    conversation = models.CharField(max_length=200)
    sender = models.CharField(max_length=200)
    recipients = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField()
    text = models.TextField()
    line_no = models.PositiveIntegerField()
    source_position = models.BigIntegerField()
    # 1, 2, 3... through its conversation in this item: "the two messages before and after" is a
    # range of seq, so the context of a whole page of search results is one query.
    seq = models.PositiveIntegerField()

    class Meta:
        ordering = ["item_id", "source_position"]  # by id: "item" would join and sort by import time
        constraints = [
            models.UniqueConstraint(fields=["item", "source_position"], name="evidence_message_unique_position")
        ]
        # Two indexes only: each costs time on an import of millions of rows. Counts by
        # participant, conversation and day come from MessageTally, not from scans of this table.
        indexes = [models.Index(fields=["item", "conversation", "seq"], name="evidence_msg_conv_seq")]

    def __str__(self) -> str:
        return f"{self.sender} {self.sent_at:%Y-%m-%d %H:%M}: {self.text[:40]}"


class MessageTally(models.Model):
    """Messages per item, conversation, sender and (UK local) day, kept by the import in the same
    transaction as the messages it counts. Conversation lists, participant lists and activity
    timelines read these few rows instead of counting millions of messages."""

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="+", db_index=False)
    conversation = models.CharField(max_length=200)
    sender = models.CharField(max_length=200)
    day = models.DateField()
    messages = models.PositiveIntegerField()
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()

    class Meta:
        ordering = ["item", "conversation", "day", "sender"]
        constraints = [
            models.UniqueConstraint(fields=["item", "conversation", "sender", "day"], name="evidence_tally_unique")
        ]

    def __str__(self) -> str:
        return f"{self.sender} in {self.conversation} on {self.day}: {self.messages}"


class IndicatorFlag(models.Model):
    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="flags")
    item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="+")
    conversation = models.CharField(max_length=200)
    sent_at = models.DateTimeField()
    family = models.CharField(max_length=40, db_index=True)
    matched = models.JSONField(default=list)

    class Meta:
        ordering = ["sent_at"]
        indexes = [models.Index(fields=["item", "conversation", "sent_at"], name="evidence_flag_conv")]

    def __str__(self) -> str:
        return f"{self.family} in message {self.message_id}"


class ExtractedIdentifier(models.Model):
    class Kind(models.TextChoices):
        PHONE = "phone", "Phone number"
        EMAIL = "email", "Email address"
        HANDLE = "handle", "Handle"
        URL = "url", "Web address"
        MONEY = "money", "Money amount"
        MEETING = "meeting", "Meeting date or time"
        PLACE = "place", "Place (postcode)"

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    value = models.CharField(max_length=300, help_text="Normalised, e.g. phones in E.164.")
    raw = models.CharField(max_length=300)

    class Meta:
        ordering = ["kind", "value"]
        indexes = [models.Index(fields=["investigation", "kind", "value"], name="evidence_ident_value")]

    def __str__(self) -> str:
        return f"{self.kind} {self.value}"


class SelectedIdentifier(models.Model):
    """An identifier an examiner chose to carry forward (to the entity graph, issue 5)."""

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="selected_identifiers")
    source = models.ForeignKey(ExtractedIdentifier, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=ExtractedIdentifier.Kind.choices)
    value = models.CharField(max_length=300)
    selected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    selected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["investigation", "kind", "value"], name="evidence_selected_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"


class CustodyAction(models.TextChoices):
    IMPORT = "import", "Imported"
    VIEW = "view", "Viewed"
    SEARCH = "search", "Searched"
    EXPORT = "export", "Exported"
    REINDEX = "reindex", "Search index rebuilt"


class RebuildStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Rebuilding"
    DONE = "done", "Rebuilt"
    FAILED = "failed", "Failed"


class IndexRebuild(models.Model):
    """A rebuild of an investigation's search index from the database (the record), run as a
    background job. Requested by the investigation's team; never while an import runs."""

    investigation = models.ForeignKey(Investigation, on_delete=models.PROTECT, related_name="index_rebuilds")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=RebuildStatus.choices, default=RebuildStatus.QUEUED)
    messages_total = models.BigIntegerField(default=0, help_text="Messages in the database when requested.")
    messages_indexed = models.BigIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    progress_at = models.DateTimeField(null=True, blank=True, help_text="The job's heartbeat.")
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"Index rebuild {self.pk} ({self.get_status_display().lower()})"

    @property
    def audit_record_agency_id(self) -> int:
        return self.investigation.owning_agency_id

    @property
    def is_active(self) -> bool:
        return self.status in (RebuildStatus.QUEUED, RebuildStatus.RUNNING)

    @property
    def is_stalled(self) -> bool:
        """Rebuilding, but no sign of life for STALLED_AFTER: its worker stopped. Such a rebuild
        is started again from scratch by `harbour evidence-resume-stalled`."""
        from django.utils import timezone

        last = self.progress_at or self.started_at
        return self.status == RebuildStatus.RUNNING and last is not None and timezone.now() - last > STALLED_AFTER

    @property
    def percent(self) -> int:
        if self.status == RebuildStatus.DONE:
            return 100
        return min(100, int(100 * self.messages_indexed / self.messages_total)) if self.messages_total else 0


class CustodyEvent(models.Model):
    """Chain of custody: who did what to which evidence, when. Never changed or deleted."""

    investigation = models.ForeignKey(Investigation, on_delete=models.PROTECT, related_name="custody_events")
    item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, null=True, blank=True, related_name="custody")
    action = models.CharField(max_length=20, choices=CustodyAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    actor_username = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Custody events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Custody events cannot be deleted.")
