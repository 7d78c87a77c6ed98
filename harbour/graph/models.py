"""The entity graph, after FollowTheMoney: entities that join records (phones, email addresses,
vehicles, online accounts, organisations; people are people.Person and places missing.Place) and
dated, sourced links between any two of them.

An entity holds only its normalised value: what is known *about* it is in its links, and every link
names the record it came from (its provenance), so a link is never seen by someone who may not see
that record (see access_rules.py).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from harbour.accounts.models import Agency

from . import normalise


class Entity(models.Model):
    """What every entity has: who first recorded it. The value is unique: one entity per value."""

    owning_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(default=timezone.now)

    # The kind's name in URLs and the link chart ("phone"); set on each subclass.
    kind_slug = ""

    class Meta:
        abstract = True

    @property
    def kind_label(self) -> str:
        return self._meta.verbose_name.capitalize()


class Phone(Entity):
    number = models.CharField("Phone number (E.164)", max_length=16, unique=True)

    kind_slug = "phone"

    class Meta:
        ordering = ["number"]
        verbose_name = "phone number"

    def __str__(self) -> str:
        return self.display

    @property
    def display(self) -> str:
        """UK mobiles as people write them (07700 900123); others in E.164."""
        if self.number.startswith("+44") and len(self.number) == 13:
            national = "0" + self.number[3:]
            return f"{national[:5]} {national[5:]}"
        return self.number

    @staticmethod
    def key(value: str) -> dict:
        return {"number": normalise.normalise_phone(value)}


class EmailAddress(Entity):
    address = models.CharField(max_length=254, unique=True)

    kind_slug = "email"

    class Meta:
        ordering = ["address"]
        verbose_name = "email address"
        verbose_name_plural = "email addresses"

    def __str__(self) -> str:
        return self.address

    @staticmethod
    def key(value: str) -> dict:
        return {"address": normalise.normalise_email(value)}


class Vehicle(Entity):
    registration = models.CharField("Registration (VRM)", max_length=8, unique=True)
    description = models.CharField(max_length=200, blank=True, help_text="Make, model and colour, if known.")

    kind_slug = "vehicle"

    class Meta:
        ordering = ["registration"]

    def __str__(self) -> str:
        return self.registration

    @staticmethod
    def key(value: str) -> dict:
        return {"registration": normalise.normalise_vrm(value)}


class OnlineAccount(Entity):
    platform = models.CharField(max_length=20, choices=sorted(normalise.PLATFORM_LABELS.items()))
    handle = models.CharField(max_length=100)
    suspected_fake = models.BooleanField(
        default=False, help_text="Suspected to be a false identity (for example an adult posing as a child)."
    )
    suspected_fake_reason = models.TextField(blank=True)

    kind_slug = "account"

    class Meta:
        ordering = ["platform", "handle"]
        verbose_name = "online account"
        constraints = [models.UniqueConstraint(fields=["platform", "handle"], name="account_unique_platform_handle")]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}: @{self.handle}"

    @staticmethod
    def key(value: str) -> dict:
        """ "platform:handle", e.g. "instagram:@Big_Dave"."""
        platform, sep, handle = (value or "").partition(":")
        if not sep:
            raise ValueError("Enter the platform and user name as platform:username, like snapchat:big_dave.")
        platform, handle = normalise.normalise_account(platform, handle)
        return {"platform": platform, "handle": handle}


class OrganisationKind(models.TextChoices):
    HOTEL = "hotel", "Hotel or guest house"
    TAXI_FIRM = "taxi_firm", "Taxi or private-hire firm"
    TAKEAWAY = "takeaway", "Takeaway or restaurant"
    SHOP = "shop", "Shop"
    OTHER = "other", "Other business or organisation"


class Organisation(Entity):
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(max_length=200)
    name_key = models.CharField(max_length=200, editable=False)
    place = models.ForeignKey("missing.Place", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    kind_slug = "organisation"

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["kind", "name_key"], name="organisation_unique_kind_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display().lower()})"

    @staticmethod
    def key(value: str) -> dict:
        """ "kind:name", e.g. "taxi_firm:Speedy Cars"."""
        kind, sep, name = (value or "").partition(":")
        kind = kind.strip().lower()
        if not sep or kind not in OrganisationKind.values:
            raise ValueError("Enter the kind and name as kind:name, like hotel:The Harbour Inn.")
        return {"kind": kind, "name_key": normalise.normalise_name(name)}


ENTITY_MODELS: tuple[type[Entity], ...] = (Phone, EmailAddress, Vehicle, OnlineAccount, Organisation)


class LinkType(models.TextChoices):
    ASSOCIATE = "associate", "Associate of"
    FAMILY = "family", "Family of"
    FOUND_WITH = "found_with", "Found with"
    FOUND_AT = "found_at", "Found at"
    WITH_WHILE_MISSING = "with_while_missing", "With while missing"
    VISITED = "visited", "Visited"
    LIVES_AT = "lives_at", "Lives at"
    USES_PHONE = "uses_phone", "Uses phone"
    USES_EMAIL = "uses_email", "Uses email address"
    OWNS_ACCOUNT = "owns_account", "Owns account"
    DRIVES = "drives", "Drives"
    WORKS_AT = "works_at", "Works at"
    VICTIM_OF = "victim_of", "Potential victim of"
    SUSPECTED_OF = "suspected_of", "Suspected of harming"
    CONTACTED = "contacted", "Contacted"
    NAMED_IN = "named_in", "Named in"
    NAMES_PLACE = "names_place", "Named this place in messages"


# Link types whose target is the person or thing harmed/associated: read "source <type> target".
SYMMETRIC_LINK_TYPES = frozenset({LinkType.ASSOCIATE, LinkType.FAMILY})


class LinkQuerySet(models.QuerySet):
    def current(self):
        """Not withdrawn. (A withdrawn link is kept: nothing is lost, only marked wrong.)"""
        return self.filter(withdrawn_at__isnull=True)

    def touching(self, record):
        ct = ContentType.objects.get_for_model(record)
        return self.filter(Q(source_type=ct, source_id=record.pk) | Q(target_type=ct, target_id=record.pk))

    def from_record(self, record):
        return self.filter(provenance_type=ContentType.objects.get_for_model(record), provenance_id=record.pk)


class Link(models.Model):
    """A dated, sourced relationship between two records: "A <link type> B, from <record>, graded <g>".

    Ends and provenance are generic (content type + id) so any record can be linked. Read through
    the access policy only: a link is visible when the user may see both ends (where they are
    protected records) and the record it came from.
    """

    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("source_type", "source_id")
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    link_type = models.CharField(max_length=30, choices=LinkType.choices)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    provenance_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    provenance_id = models.PositiveBigIntegerField(null=True, blank=True)
    provenance = GenericForeignKey("provenance_type", "provenance_id")
    provenance_label = models.CharField(max_length=300, blank=True)
    # Copied from the intelligence report when the link came from one (3x5x2 "2B P" or 5x5x5 "B2 3").
    grading_system = models.CharField(max_length=10, blank=True)
    grading = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    # Derived by Harbour from a record (an episode's "found with"), not entered by a user.
    automatic = models.BooleanField(default=False)
    owning_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_reason = models.TextField(blank=True)

    objects = LinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["source_type", "source_id"], name="link_source"),
            models.Index(fields=["target_type", "target_id"], name="link_target"),
            models.Index(fields=["provenance_type", "provenance_id"], name="link_provenance"),
            models.Index(fields=["link_type", "start_date"], name="link_type_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_link_type_display()} link {self.pk}"

    @property
    def audit_record_agency_id(self) -> int:
        return self.owning_agency_id

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The link must end on or after it started."
        if self.source_type_id == self.target_type_id and self.source_id == self.target_id:
            errors["target"] = "A record cannot be linked to itself."
        if bool(self.provenance_type_id) != bool(self.provenance_id):
            errors["provenance"] = "Name both the kind and the record the link came from."
        if errors:
            raise ValidationError(errors)
