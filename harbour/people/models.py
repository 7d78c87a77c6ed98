"""People known to Harbour: children, adults of concern and others, with what is known of them.

Demographic fields have explicit "not known" / "not asked" values: a blank is never ambiguous,
because inquiries found these fields blank in a third or more of cases.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from harbour.accounts.models import Agency, AgencyKind, Team

NOT_KNOWN = "not_known"
NOT_ASKED = "not_asked"


class PersonKind(models.TextChoices):
    CHILD = "child", "Child"
    ADULT_OF_CONCERN = "adult_of_concern", "Adult of concern"
    OTHER = "other", "Other"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NOT_KNOWN = NOT_KNOWN, "Not known"
    NOT_ASKED = NOT_ASKED, "Not asked"


class Gender(models.TextChoices):
    SAME_AS_SEX = "same_as_sex", "Same as sex registered at birth"
    DIFFERENT = "different", "Different from sex registered at birth"
    PREFER_NOT = "prefer_not_to_say", "Prefers not to say"
    NOT_KNOWN = NOT_KNOWN, "Not known"
    NOT_ASKED = NOT_ASKED, "Not asked"


class Ethnicity(models.TextChoices):
    """Census 2021 (England and Wales) categories, with explicit unknowns."""

    ASIAN_BANGLADESHI = "asian_bangladeshi", "Asian or Asian British: Bangladeshi"
    ASIAN_CHINESE = "asian_chinese", "Asian or Asian British: Chinese"
    ASIAN_INDIAN = "asian_indian", "Asian or Asian British: Indian"
    ASIAN_PAKISTANI = "asian_pakistani", "Asian or Asian British: Pakistani"
    ASIAN_OTHER = "asian_other", "Asian or Asian British: any other Asian background"
    BLACK_AFRICAN = "black_african", "Black, Black British, Caribbean or African: African"
    BLACK_CARIBBEAN = "black_caribbean", "Black, Black British, Caribbean or African: Caribbean"
    BLACK_OTHER = "black_other", "Black, Black British, Caribbean or African: any other background"
    MIXED_WHITE_ASIAN = "mixed_white_asian", "Mixed or multiple: White and Asian"
    MIXED_WHITE_BLACK_AFRICAN = "mixed_white_black_african", "Mixed or multiple: White and Black African"
    MIXED_WHITE_BLACK_CARIBBEAN = "mixed_white_black_caribbean", "Mixed or multiple: White and Black Caribbean"
    MIXED_OTHER = "mixed_other", "Mixed or multiple: any other background"
    WHITE_BRITISH = "white_british", "White: English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "white_irish", "White: Irish"
    WHITE_GYPSY_TRAVELLER = "white_gypsy_traveller", "White: Gypsy or Irish Traveller"
    WHITE_ROMA = "white_roma", "White: Roma"
    WHITE_OTHER = "white_other", "White: any other White background"
    OTHER_ARAB = "other_arab", "Other ethnic group: Arab"
    OTHER_ANY = "other_any", "Other ethnic group: any other"
    PREFER_NOT = "prefer_not_to_say", "Prefers not to say"
    NOT_KNOWN = NOT_KNOWN, "Not known"
    NOT_ASKED = NOT_ASKED, "Not asked"


class YesNoUnknown(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = NOT_KNOWN, "Not known"
    NOT_ASKED = NOT_ASKED, "Not asked"


class SpecialEducationalNeeds(models.TextChoices):
    EHC_PLAN = "ehc_plan", "Education, health and care plan"
    SEN_SUPPORT = "sen_support", "SEN support"
    NONE = "none", "No special educational needs"
    NOT_KNOWN = NOT_KNOWN, "Not known"
    NOT_ASKED = NOT_ASKED, "Not asked"


class RecordedStatus(models.TextChoices):
    RECORDED = "recorded", "Recorded"
    NOT_KNOWN = NOT_KNOWN, "Not known"
    NOT_ASKED = NOT_ASKED, "Not asked"


class LookedAfterStatus(models.TextChoices):
    NOT_LOOKED_AFTER = "not_looked_after", "Not looked after"
    LOOKED_AFTER = "looked_after", "Looked after"
    CARE_LEAVER = "care_leaver", "Care leaver"
    NOT_KNOWN = NOT_KNOWN, "Not known"


class PersonQuerySet(models.QuerySet):
    def children(self):
        return self.filter(kind=PersonKind.CHILD)


class Person(models.Model):
    kind = models.CharField(max_length=20, choices=PersonKind.choices)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    date_of_birth_is_estimated = models.BooleanField(default=False)
    estimated_age_years = models.PositiveSmallIntegerField(null=True, blank=True)
    sex = models.CharField(max_length=20, choices=Sex.choices)
    gender = models.CharField(max_length=20, choices=Gender.choices)
    gender_description = models.CharField(max_length=200, blank=True)
    ethnicity = models.CharField(max_length=40, choices=Ethnicity.choices)
    disability = models.CharField(max_length=20, choices=YesNoUnknown.choices)
    disability_details = models.TextField(blank=True)
    learning_disability = models.CharField(max_length=20, choices=YesNoUnknown.choices, default=NOT_ASKED)
    special_educational_needs = models.CharField(max_length=20, choices=SpecialEducationalNeeds.choices)
    first_language_status = models.CharField(max_length=20, choices=RecordedStatus.choices)
    first_language = models.CharField(max_length=100, blank=True)
    looked_after_status = models.CharField(max_length=20, choices=LookedAfterStatus.choices)
    responsible_authority = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="responsible_for"
    )
    host_authority = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="hosting")
    # Access: the owning agency sees it; others through allocation, share or a named role route.
    owning_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="owned_people")
    owning_team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    is_restricted = models.BooleanField(
        default=False, help_text="Sensitive: visible only to the users named on the record."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        indexes = [models.Index(fields=["date_of_birth"], name="person_dob")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def audit_person_id(self) -> int:
        return self.pk

    @property
    def audit_record_agency_id(self) -> int:
        return self.owning_agency_id

    @property
    def is_child(self) -> bool:
        return self.kind == PersonKind.CHILD

    @property
    def is_placed_out_of_area(self) -> bool:
        return bool(
            self.responsible_authority_id
            and self.host_authority_id
            and self.responsible_authority_id != self.host_authority_id
        )

    def age_on(self, day) -> int | None:
        if self.date_of_birth:
            dob = self.date_of_birth
            return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
        return self.estimated_age_years

    def clean(self) -> None:
        errors = {}
        if self.date_of_birth is None and self.estimated_age_years is None:
            errors["date_of_birth"] = "Enter a date of birth, or an estimated age if it is not known."
        if self.date_of_birth and self.date_of_birth > timezone.localdate():
            errors["date_of_birth"] = "Date of birth must be in the past."
        if self.first_language_status == RecordedStatus.RECORDED and not self.first_language.strip():
            errors["first_language"] = "Enter the first language, or choose 'Not known' or 'Not asked'."
        if self.gender == Gender.DIFFERENT and not self.gender_description.strip():
            errors["gender_description"] = "Describe the person's gender in their own words."
        if self.looked_after_status == LookedAfterStatus.LOOKED_AFTER:
            if not self.responsible_authority_id:
                errors["responsible_authority"] = "Choose the responsible local authority for a looked-after child."
            if not self.host_authority_id:
                errors["host_authority"] = "Choose the host local authority (where the child lives)."
        for field in ("responsible_authority", "host_authority"):
            agency = getattr(self, field)
            if agency is not None and agency.kind != AgencyKind.CHILDRENS_SOCIAL_CARE and field not in errors:
                errors[field] = "Choose a local authority."
        if self.looked_after_status == LookedAfterStatus.LOOKED_AFTER and self.kind != PersonKind.CHILD:
            errors["looked_after_status"] = "Only a child can be looked after."
        if errors:
            raise ValidationError(errors)


class NameKind(models.TextChoices):
    PRIMARY = "primary", "Name"
    ALIAS = "alias", "Alias"
    NICKNAME = "nickname", "Nickname or street name"
    PREVIOUS = "previous", "Previous name"


class PersonName(models.Model):
    """Every name a person is known by, with keys for search (see names.py)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    kind = models.CharField(max_length=20, choices=NameKind.choices)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    given_norm = models.CharField(max_length=100, blank=True, db_index=True)
    family_norm = models.CharField(max_length=100, blank=True, db_index=True)
    given_key = models.CharField(max_length=40, blank=True, db_index=True)
    family_key = models.CharField(max_length=40, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "family_name", "given_name"]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    def compute_keys(self) -> None:
        from .names import normalise, phonetic

        self.given_norm = normalise(self.given_name)
        self.family_norm = normalise(self.family_name)
        self.given_key = phonetic(self.given_name)
        self.family_key = phonetic(self.family_name)


class Identifier(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    scheme = models.CharField(max_length=20)
    value = models.CharField(max_length=40, db_index=True)
    issued_by = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["scheme", "value"]
        constraints = [
            models.UniqueConstraint(fields=["person", "scheme", "value"], name="identifier_unique_per_person"),
        ]

    def __str__(self) -> str:
        from .identifiers import SCHEMES

        scheme = SCHEMES.get(self.scheme)
        return f"{scheme.label if scheme else self.scheme}: {self.value}"

    @property
    def scheme_label(self) -> str:
        from .identifiers import SCHEMES

        return SCHEMES[self.scheme].label if self.scheme in SCHEMES else self.scheme


class Address(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    line_1 = models.CharField(max_length=200)
    line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=10)
    from_date = models.DateField()
    to_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-from_date"]
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return ", ".join(p for p in (self.line_1, self.line_2, self.town, self.postcode) if p)

    def clean(self) -> None:
        if self.to_date and self.from_date and self.to_date < self.from_date:
            raise ValidationError({"to_date": "The date the person left must be on or after the date they moved in."})


class CareHome(models.Model):
    """A children's home on the care-home register, with its allocated police liaison officer."""

    name = models.CharField(max_length=200, unique=True)
    provider = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="care_homes")
    host_authority = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="care_homes_hosted")
    address = models.CharField(max_length=300)
    postcode = models.CharField(max_length=10)
    ofsted_urn = models.CharField("Ofsted unique reference number", max_length=10, blank=True)
    police_liaison_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="liaison_for"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Placement(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="placements")
    care_home = models.ForeignKey(CareHome, on_delete=models.PROTECT, null=True, blank=True, related_name="placements")
    description = models.CharField(max_length=200, blank=True, help_text="Foster care, supported lodgings...")
    placing_authority = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return str(self.care_home or self.description)

    @property
    def is_current(self) -> bool:
        return self.end_date is None or self.end_date >= timezone.localdate()

    def clean(self) -> None:
        if not self.care_home_id and not self.description.strip():
            raise ValidationError({"care_home": "Choose the care home, or describe the placement."})
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The placement must end on or after it started."})


class Note(models.Model):
    """A case note about a person, written by a user of some agency."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Note by {self.author} on {self.created_at:%d %b %Y}"

    @property
    def audit_person_id(self) -> int:
        return self.person_id

    @property
    def audit_record_agency_id(self) -> int:
        return self.person.owning_agency_id
