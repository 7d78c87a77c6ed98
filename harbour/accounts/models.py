"""Agencies, teams and the people who sign in to Harbour."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models

from .roles import Role


class AgencyKind(models.TextChoices):
    POLICE = "police", "Police"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care (local authority)"
    YOUTH_OFFENDING = "youth_offending", "Youth offending service"
    RETURN_INTERVIEW_PROVIDER = "return_interview_provider", "Return interview provider"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    CARE_PROVIDER = "care_provider", "Care provider"


class Agency(models.Model):
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=40, choices=AgencyKind.choices)

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_local_authority(self) -> bool:
        return self.kind == AgencyKind.CHILDRENS_SOCIAL_CARE


class Team(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="team_unique_name_per_agency")]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency.short_name})"


class User(AbstractUser):
    """A person who signs in. Every user belongs to one agency and holds one role there."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="users", null=True, blank=True)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="members", null=True, blank=True)
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.PRACTITIONER)
    # Care-home staff see only the residents of this home.
    care_home = models.ForeignKey(
        "people.CareHome", on_delete=models.PROTECT, related_name="staff", null=True, blank=True
    )
    job_title = models.CharField(max_length=200, blank=True)

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        if self.team_id and self.agency_id and self.team.agency_id != self.agency_id:
            raise ValidationError({"team": "The team must belong to the user's agency."})
        if self.role == Role.CARE_HOME_STAFF and not self.care_home_id:
            raise ValidationError({"care_home": "Care-home staff must be linked to their care home."})
        if self.care_home_id and self.role != Role.CARE_HOME_STAFF:
            raise ValidationError({"care_home": "Only care-home staff are linked to a care home."})

    @property
    def display_name(self) -> str:
        return str(self)


class LoginFailure(models.Model):
    """A failed sign-in. Enough of these within the window lock the account (see backends)."""

    username = models.CharField(max_length=150, db_index=True)
    occurred_at = models.DateTimeField(db_index=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"Failed sign-in for {self.username} at {self.occurred_at:%Y-%m-%d %H:%M}"
