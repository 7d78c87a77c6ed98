"""Missing episodes, return home interviews, police protection and repeat-missing tasks.

Every record here belongs to a child (a people.Person) and follows the child for access: whoever
may see the child may see these (see access_rules.py). Times are stored in UTC.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from harbour.accounts.models import Agency
from harbour.people.models import Person

from . import clocks, rules


class ChildRecord(models.Model):
    """What every record about a child says to the audit log: whose it is, which agency holds it."""

    class Meta:
        abstract = True

    @property
    def audit_person_id(self) -> int:
        return self.child_id

    @property
    def audit_record_agency_id(self) -> int:
        return self.child.owning_agency_id


class Place(models.Model):
    """Where a child was found. Kept simple here; a shared place record is planned (issue 5)."""

    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return ", ".join(p for p in (self.name, self.address, self.postcode) if p)


class Commission(models.Model):
    """A local authority commissions a provider to hold its return home interviews."""

    provider = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="rhi_commissions")
    commissioning_authority = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="rhi_commissioned")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["commissioning_authority__name", "provider__name"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "commissioning_authority"], name="commission_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} for {self.commissioning_authority}"


class ReportedByKind(models.TextChoices):
    CARE_HOME = "care_home", "Care home"
    PARENT = "parent", "Parent or carer"
    SCHOOL = "school", "School"
    OTHER = "other", "Other"


class Category(models.TextChoices):
    MISSING = "missing", "Missing (whereabouts unknown)"
    ABSENT = "absent", "Absent (away from placement without authorisation)"


class EpisodeStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed (found or returned)"


class MissingEpisode(ChildRecord):
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="missing_episodes")
    owning_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    reported_by_kind = models.CharField(max_length=20, choices=ReportedByKind.choices)
    reported_by_name = models.CharField(max_length=200, blank=True)
    reported_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    last_seen_at = models.DateTimeField()
    last_seen_place = models.CharField(max_length=300)
    last_seen_with = models.TextField(blank=True)
    clothing = models.TextField(blank=True)
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.MISSING)
    status = models.CharField(max_length=20, choices=EpisodeStatus.choices, default=EpisodeStatus.OPEN)
    # Found or returned: "would not say" is an answer, recorded as such.
    found_at = models.DateTimeField(null=True, blank=True)
    found_where = models.ForeignKey(Place, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    where_not_said = models.BooleanField("Child would not say where", default=False)
    found_with = models.ManyToManyField(Person, blank=True, related_name="+")
    found_alone = models.BooleanField(default=False)
    found_with_not_said = models.BooleanField("Child would not say with whom", default=False)
    brought_back_by = models.CharField(max_length=200, blank=True)
    travel_method = models.CharField(max_length=200, blank=True)
    condition = models.TextField(blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["child", "reported_at"], name="episode_child_reported")]

    def __str__(self) -> str:
        return f"{self.get_category_display().split(' (')[0]} episode {self.pk} ({self.child})"

    @property
    def is_open(self) -> bool:
        return self.status == EpisodeStatus.OPEN

    @property
    def category_name(self) -> str:
        """'Missing' or 'Absent', without the explanation."""
        return self.get_category_display().split(" (")[0]

    @property
    def time_missing(self):
        """How long since the child was last seen (to the return, once found)."""
        return (self.found_at or timezone.now()) - self.last_seen_at

    @property
    def current_grade(self):
        return self.gradings.order_by("-graded_at", "-id").first()


class RiskGrade(models.TextChoices):
    NO_APPARENT_RISK = "no_apparent_risk", "No apparent risk"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class EpisodePart(models.Model):
    """A record under an episode: the audit log files it under the episode's child."""

    class Meta:
        abstract = True

    @property
    def audit_person_id(self) -> int:
        return self.episode.child_id

    @property
    def audit_record_agency_id(self) -> int:
        return self.episode.child.owning_agency_id


class RiskGrading(EpisodePart):
    """One police risk grade. Regrades add a row: the history is the record."""

    episode = models.ForeignKey(MissingEpisode, on_delete=models.CASCADE, related_name="gradings")
    grade = models.CharField(max_length=20, choices=RiskGrade.choices)
    reason = models.TextField()
    review_at = models.DateTimeField(null=True, blank=True)
    graded_at = models.DateTimeField(default=timezone.now)
    graded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-graded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_grade_display()} risk"


class RiskInformation(EpisodePart):
    """An item of risk information and who supplied it."""

    episode = models.ForeignKey(MissingEpisode, on_delete=models.CASCADE, related_name="risk_information")
    information = models.TextField()
    supplied_by = models.CharField(max_length=200)
    supplied_by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"Risk information from {self.supplied_by}"


class ActionKind(models.TextChoices):
    ENQUIRY = "enquiry", "Enquiry"
    SEARCH = "search", "Search"
    CHECK = "check", "Check"


class EpisodeAction(EpisodePart):
    episode = models.ForeignKey(MissingEpisode, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=20, choices=ActionKind.choices)
    field_based = models.BooleanField(help_text="Out in the field, not at a desk (calls, systems checks).")
    at = models.DateTimeField()
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({'field' if self.field_based else 'desk'})"


class SafeAndWellCheck(EpisodePart):
    """The police safe-and-well (prevention) check after a return."""

    episode = models.ForeignKey(MissingEpisode, on_delete=models.CASCADE, related_name="safe_and_well_checks")
    held_at = models.DateTimeField()
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    location = models.CharField(max_length=200, blank=True)
    concerns_identified = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["held_at", "id"]

    def __str__(self) -> str:
        return f"Safe and well check, episode {self.episode_id}"


class OfferMethod(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "By phone"
    LETTER = "letter", "By letter"
    MESSAGE = "message", "By text or message"
    THROUGH_CARER = "through_carer", "Through the carer or social worker"


class RhiResponse(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    REFUSED = "refused", "Refused"


class ReturnHomeInterview(ChildRecord):
    """The interview offered on every return, due 72 hours after it (see rules.py)."""

    episode = models.OneToOneField(MissingEpisode, on_delete=models.CASCADE, related_name="return_interview")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="return_interviews")
    provider = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    returned_at = models.DateTimeField()
    due_at = models.DateTimeField()
    offered_at = models.DateTimeField(null=True, blank=True)
    offered_how = models.CharField(max_length=20, choices=OfferMethod.choices, blank=True)
    response = models.CharField(max_length=20, choices=RhiResponse.choices, blank=True)
    refusal_reason = models.TextField(blank=True)
    carers_account = models.TextField(blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    independent_of_carers = models.BooleanField(null=True, blank=True)
    child_preferred_carer = models.BooleanField(default=False)
    harm_suffered = models.TextField(blank=True)
    why_went = models.TextField(blank=True)
    where_and_with_whom = models.TextField(blank=True)
    push_factors = models.TextField(blank=True)
    pull_factors = models.TextField(blank=True)
    disclosures = models.TextField(blank=True)
    onward_referrals = models.TextField(blank=True)
    safety_advice = models.TextField(blank=True)
    # "Where and with whom", structured: the same place and person records as the episode.
    places = models.ManyToManyField(Place, blank=True, related_name="+")
    people = models.ManyToManyField(Person, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["due_at"], name="rhi_due")]

    def __str__(self) -> str:
        return f"Return home interview for {self.child}"

    @property
    def is_held(self) -> bool:
        return self.held_at is not None

    @property
    def is_refused(self) -> bool:
        return self.response == RhiResponse.REFUSED

    @property
    def held_in_time(self) -> bool:
        return self.held_at is not None and self.held_at <= self.due_at

    @property
    def clock(self) -> clocks.Clock:
        """The 72-hour clock: it stops when the interview is held or refused."""
        done = self.held_at or (self.offered_at if self.is_refused else None)
        return clocks.clock(self.due_at, done_at=done)


class ProtectionOutcome(models.TextChoices):
    RELEASED = "released", "Released"
    EPO = "epo", "Emergency protection order"
    LA_ACCOMMODATION = "la_accommodation", "Local-authority accommodation"


class PoliceProtection(ChildRecord):
    """A child in police protection (Children Act 1989 s46): at most 72 hours, never extended."""

    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="police_protections")
    owning_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    taken_at = models.DateTimeField()
    ends_at = models.DateTimeField(editable=False)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    grounds = models.TextField()
    place_of_safety = models.CharField(max_length=300)
    place_is_police_station = models.BooleanField(
        default=False, help_text="A police station is a place of safety only as a last resort."
    )
    la_informed_at = models.DateTimeField(null=True, blank=True)
    child_informed_and_wishes = models.TextField(blank=True)
    parents_informed_at = models.DateTimeField(null=True, blank=True)
    parents_not_informed_reason = models.TextField(blank=True)
    designated_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    inquiry = models.TextField(blank=True)
    contact_decisions = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=ProtectionOutcome.choices, blank=True)
    handed_over_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["ends_at", "id"]
        verbose_name_plural = "police protections"

    def __str__(self) -> str:
        return f"Police protection of {self.child}"

    def save(self, *args, **kwargs):
        self.ends_at = clocks.police_protection_ends_at(self.taken_at)
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return not self.outcome and timezone.now() < self.ends_at

    @property
    def clock(self) -> clocks.Clock:
        done = self.handed_over_at if self.outcome else None
        return clocks.clock(self.ends_at, done_at=done, due_soon=rules.POLICE_PROTECTION_ENDS_SOON)

    @property
    def missing_notifications(self) -> list[str]:
        """What the law expects to have happened that is not yet recorded."""
        missing = []
        if not self.la_informed_at:
            missing.append("Local authority not informed")
        if not self.child_informed_and_wishes.strip():
            missing.append("Child not informed / wishes not recorded")
        if not self.parents_informed_at and not self.parents_not_informed_reason.strip():
            missing.append("Parents not informed")
        if not self.designated_officer_id:
            missing.append("No designated officer")
        return missing


class TaskKind(models.TextChoices):
    STRATEGY_MEETING = rules.STRATEGY_MEETING, "Strategy meeting"
    SCREENING_DUE = rules.SCREENING_DUE, "Exploitation screening due"


class TriggerTask(ChildRecord):
    """A task raised by a repeat-missing trigger: something to do, not just a colour."""

    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="missing_trigger_tasks")
    kind = models.CharField(max_length=30, choices=TaskKind.choices)
    reason = models.TextField()
    window_start = models.DateTimeField()
    window_end = models.DateTimeField(help_text="When the episode that met the trigger was reported.")
    episodes = models.ManyToManyField(MissingEpisode, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    done_note = models.TextField(blank=True, help_text="What was done: the meeting held, the screening completed.")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.child}"


class TriggerPlan(ChildRecord):
    """What to do at the child's next episode, agreed beforehand so no one has to work it out at 2am."""

    child = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="missing_trigger_plan")
    at_next_episode = models.TextField(help_text="The steps to take, one to a line, in order.")
    likely_locations = models.TextField(blank=True)
    contacts = models.TextField(blank=True, help_text="Who to call, and their numbers.")
    agreed_with = models.CharField(max_length=300, blank=True)
    review_by = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"Trigger plan for {self.child}"

    @property
    def steps(self) -> list[str]:
        return [line.strip() for line in self.at_next_episode.splitlines() if line.strip()]


class PhilomenaProfile(ChildRecord):
    """The profile a care home keeps of a resident under the Philomena protocol, handed to police the
    moment the child is reported missing. The missing history is not stored here: it is the episodes."""

    child = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="philomena_profile")
    care_home = models.ForeignKey("people.CareHome", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    description = models.TextField(blank=True, help_text="Height, build, hair, distinguishing features.")
    habits = models.TextField(blank=True, help_text="Routines, what they usually carry, how they usually travel.")
    health_needs = models.TextField(blank=True, help_text="Medication or conditions police must know about.")
    photo_path = models.CharField(max_length=200, blank=True, help_text="Relative to MEDIA_ROOT.")
    photo_content_type = models.CharField(max_length=40, blank=True)
    photo_size = models.PositiveIntegerField(null=True, blank=True)
    photo_sha256 = models.CharField(max_length=64, blank=True)
    photo_taken_on = models.DateField(null=True, blank=True)
    photo_uploaded_at = models.DateTimeField(null=True, blank=True)
    photo_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"Philomena profile of {self.child}"

    @property
    def has_photo(self) -> bool:
        return bool(self.photo_path)


class ProfileItemKind(models.TextChoices):
    ASSOCIATE = "associate", "Associate"
    PLACE = "place", "Place frequented"
    PHONE = "phone", "Phone number"
    SOCIAL_MEDIA = "social_media", "Social-media account"


class ProfileItem(models.Model):
    """One associate, place, phone number or social-media account on a profile. An associate may be
    a person on record; a place may be a place record, so the same people and places join up."""

    profile = models.ForeignKey(PhilomenaProfile, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=20, choices=ProfileItemKind.choices)
    value = models.CharField(max_length=200)
    detail = models.CharField(max_length=300, blank=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["kind", "value", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"

    @property
    def audit_person_id(self) -> int:
        return self.profile.child_id

    @property
    def audit_record_agency_id(self) -> int:
        return self.profile.child.owning_agency_id
