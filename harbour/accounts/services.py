"""Managing users. An administrator manages the users of their own agency, and no one else."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record, diff
from harbour.core.caller import Caller

from . import lockout
from .models import User
from .roles import Role

USER_FIELDS = ("first_name", "last_name", "email", "job_title", "role", "team", "care_home", "is_active")


def _require_admin_of(caller: Caller, agency_id: int | None) -> None:
    admin = caller.user
    if not (admin.is_authenticated and admin.is_active and admin.role == Role.ADMINISTRATOR and admin.agency_id):
        raise Http404("Not found")
    if agency_id != admin.agency_id:
        raise Http404("Not found")


def _snapshot(user: User) -> dict:
    return {name: getattr(user, User._meta.get_field(name).attname) for name in USER_FIELDS}


def _check_links(user: User) -> None:
    errors = {}
    if user.team_id and user.team.agency_id != user.agency_id:
        errors["team"] = "Choose a team of your own agency."
    if user.care_home_id and user.care_home.provider_id != user.agency_id:
        errors["care_home"] = "Choose a care home your agency runs."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def user_create(*, caller: Caller, username: str, password: str, **fields) -> User:
    _require_admin_of(caller, caller.user.agency_id)
    unknown = set(fields) - set(USER_FIELDS)
    if unknown:
        raise TypeError(f"Unknown user fields: {sorted(unknown)}")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "That username is taken."})
    user = User(username=username, agency_id=caller.user.agency_id, **fields)
    user.full_clean(exclude=["password"])
    _check_links(user)
    from django.contrib.auth.password_validation import validate_password

    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.save()
    audit_record(
        actor=caller.user,
        action=AuditAction.CREATE,
        target=user,
        client_ip=caller.client_ip,
        record_agency_id=user.agency_id,
        changes=diff({}, _snapshot(user)),
    )
    return user


@transaction.atomic
def user_update(*, caller: Caller, user: User, **fields) -> User:
    _require_admin_of(caller, user.agency_id)
    unknown = set(fields) - set(USER_FIELDS)
    if unknown:
        raise TypeError(f"Unknown user fields: {sorted(unknown)}")
    if user.pk == caller.user.pk and (
        "role" in fields and fields["role"] != user.role or fields.get("is_active") is False
    ):
        raise ValidationError({"role": "You cannot change your own role or deactivate yourself."})
    user = User.objects.select_for_update().get(pk=user.pk)
    before = _snapshot(user)
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    _check_links(user)
    changes = diff(before, _snapshot(user))
    if changes:
        user.save()
        audit_record(
            actor=caller.user,
            action=AuditAction.UPDATE,
            target=user,
            client_ip=caller.client_ip,
            record_agency_id=user.agency_id,
            changes=changes,
        )
    return user


@transaction.atomic
def user_unlock(*, caller: Caller, user: User) -> None:
    _require_admin_of(caller, user.agency_id)
    lockout.clear_failures(username=user.username)
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=user,
        client_ip=caller.client_ip,
        record_agency_id=user.agency_id,
        details={"unlocked": True},
    )
