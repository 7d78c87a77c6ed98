"""Writes about people. Each function is one transaction and writes its own audit rows.

Services check the access policy themselves as well as the views, so no caller can skip it.
"""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from harbour.access.models import AccessGrant, GrantKind
from harbour.access.policy import Action, can
from harbour.access.services import grant_create, live_agency_share_exists
from harbour.accounts.models import Agency, Team, User
from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record, diff
from harbour.core.caller import Caller
from harbour.language.services import record_findings

from .identifiers import SCHEMES, identifier_error, normalise_identifier
from .models import (
    Address,
    Identifier,
    LookedAfterStatus,
    NameKind,
    Note,
    Person,
    PersonName,
    Placement,
)

# The fields of a person that users edit, in the order the audit shows them.
PERSON_FIELDS = (
    "kind",
    "given_name",
    "family_name",
    "date_of_birth",
    "date_of_birth_is_estimated",
    "estimated_age_years",
    "sex",
    "gender",
    "gender_description",
    "ethnicity",
    "disability",
    "disability_details",
    "learning_disability",
    "special_educational_needs",
    "first_language_status",
    "first_language",
    "looked_after_status",
    "responsible_authority",
    "host_authority",
)
BREAK_GLASS_HOURS = 12


def _require(caller: Caller, action: Action, record) -> None:
    if not can(caller.user, action, record):
        raise Http404("Not found")


def _snapshot(person: Person) -> dict:
    values = {}
    for name in PERSON_FIELDS:
        field = Person._meta.get_field(name)
        values[name] = getattr(person, field.attname)
    return values


def _sync_primary_name(person: Person) -> None:
    name, _ = PersonName.objects.get_or_create(person=person, kind=NameKind.PRIMARY)
    name.given_name, name.family_name = person.given_name, person.family_name
    name.compute_keys()
    name.save()


def _sync_looked_after_shares(person: Person, *, caller: Caller) -> None:
    """A looked-after child placed out of area is visible to both responsible and host authority."""
    if person.looked_after_status != LookedAfterStatus.LOOKED_AFTER:
        return
    for agency_id, role in (
        (person.responsible_authority_id, "responsible authority"),
        (person.host_authority_id, "host authority"),
    ):
        needs_share = agency_id and agency_id != person.owning_agency_id
        if needs_share and not live_agency_share_exists(record=person, agency_id=agency_id):
            grant_create(
                caller=caller,
                record=person,
                kind=GrantKind.SHARE,
                grantee_agency=Agency.objects.get(pk=agency_id),
                reason=f"The {role} of a looked-after child.",
            )


@transaction.atomic
def person_create(*, caller: Caller, owning_team: Team | None = None, **fields) -> Person:
    user = caller.user
    if user.role not in ("practitioner", "supervisor") or not user.agency_id:
        raise Http404("Not found")
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Unknown person fields: {sorted(unknown)}")
    person = Person(owning_agency_id=user.agency_id, owning_team=owning_team or user.team, created_by=user, **fields)
    person.full_clean(exclude=["owning_agency", "created_by"])
    person.save()
    _sync_primary_name(person)
    audit_record(
        actor=user,
        action=AuditAction.CREATE,
        target=person,
        client_ip=caller.client_ip,
        changes=diff({}, _snapshot(person)),
    )
    _sync_looked_after_shares(person, caller=caller)
    return person


@transaction.atomic
def person_update(*, caller: Caller, person: Person, **fields) -> Person:
    _require(caller, Action.CHANGE, person)
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Unknown person fields: {sorted(unknown)}")
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = _snapshot(person)
    for name, value in fields.items():
        setattr(person, name, value)
    person.full_clean()
    changes = diff(before, _snapshot(person))
    if not changes:
        return person
    person.save()
    _sync_primary_name(person)
    audit_record(
        actor=caller.user, action=AuditAction.UPDATE, target=person, client_ip=caller.client_ip, changes=changes
    )
    _sync_looked_after_shares(person, caller=caller)
    return person


@transaction.atomic
def person_add_name(*, caller: Caller, person: Person, kind: str, given_name: str, family_name: str) -> PersonName:
    _require(caller, Action.CHANGE, person)
    if kind == NameKind.PRIMARY or kind not in NameKind.values:
        raise ValidationError({"kind": "Choose alias, nickname or previous name."})
    if not (given_name.strip() or family_name.strip()):
        raise ValidationError({"given_name": "Enter a given name, a family name or both."})
    name = PersonName(person=person, kind=kind, given_name=given_name.strip(), family_name=family_name.strip())
    name.compute_keys()
    name.save()
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=person,
        client_ip=caller.client_ip,
        changes={"names": [None, {"kind": kind, "name": str(name)}]},
    )
    return name


@transaction.atomic
def person_add_identifier(*, caller: Caller, person: Person, scheme: str, value: str) -> Identifier:
    _require(caller, Action.CHANGE, person)
    error = identifier_error(scheme, value)
    if error:
        raise ValidationError({"value": error} if scheme in SCHEMES else {"scheme": error})
    normalised = normalise_identifier(scheme, value)
    if Identifier.objects.filter(person=person, scheme=scheme, value=normalised).exists():
        raise ValidationError({"value": "This person already has that identifier."})
    identifier = Identifier.objects.create(
        person=person, scheme=scheme, value=normalised, issued_by_id=caller.user.agency_id
    )
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=person,
        client_ip=caller.client_ip,
        changes={"identifiers": [None, str(identifier)]},
    )
    return identifier


@transaction.atomic
def person_add_address(*, caller: Caller, person: Person, **fields) -> Address:
    _require(caller, Action.CHANGE, person)
    address = Address(person=person, **fields)
    address.full_clean()
    address.save()
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=person,
        client_ip=caller.client_ip,
        changes={"addresses": [None, {"address": str(address), "from": address.from_date}]},
    )
    return address


@transaction.atomic
def person_add_placement(*, caller: Caller, person: Person, **fields) -> Placement:
    _require(caller, Action.CHANGE, person)
    placement = Placement(person=person, **fields)
    placement.full_clean()
    placement.save()
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=person,
        client_ip=caller.client_ip,
        changes={"placements": [None, {"placement": str(placement), "from": placement.start_date}]},
    )
    return placement


@transaction.atomic
def note_create(*, caller: Caller, person: Person, text: str) -> Note:
    _require(caller, Action.CHANGE, person)
    if not text.strip():
        raise ValidationError({"text": "Enter the note."})
    note = Note.objects.create(
        person=person, text=text.strip(), author=caller.user, author_agency_id=caller.user.agency_id
    )
    audit_record(actor=caller.user, action=AuditAction.CREATE, target=note, client_ip=caller.client_ip)
    record_findings(caller=caller, obj=note, text=note.text)  # saved as written; findings kept for the report
    return note


@transaction.atomic
def person_share(
    *,
    caller: Caller,
    person: Person,
    reason: str,
    valid_until=None,
    kind: str = GrantKind.SHARE,
    grantee_user: User | None = None,
    grantee_team: Team | None = None,
    grantee_agency: Agency | None = None,
) -> AccessGrant:
    """Share a person's record (read) or allocate it (read and write) to a user, team or agency."""
    _require(caller, Action.SHARE, person)
    if kind not in (GrantKind.SHARE, GrantKind.ALLOCATION):
        raise ValidationError({"kind": "Choose share or allocate."})
    if sum(x is not None for x in (grantee_user, grantee_team, grantee_agency)) != 1:
        raise ValidationError({"grantee": "Choose one user, team or agency to share with."})
    if valid_until is not None and valid_until <= timezone.now():
        raise ValidationError({"valid_until": "The end of the share must be in the future."})
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for sharing: who needs to know, and why."})
    return grant_create(
        caller=caller,
        record=person,
        kind=kind,
        reason=reason,
        valid_until=valid_until,
        grantee_user=grantee_user,
        grantee_team=grantee_team,
        grantee_agency=grantee_agency,
    )


@transaction.atomic
def grant_revoke(*, caller: Caller, grant: AccessGrant, reason: str = "") -> AccessGrant:
    person = Person.objects.get(pk=grant.object_id)
    _require(caller, Action.SHARE, person)
    grant = AccessGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.revoked_at is None:
        grant.revoked_at = timezone.now()
        grant.revoked_by = caller.user
        grant.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            actor=caller.user,
            action=AuditAction.REVOKE,
            target=person,
            client_ip=caller.client_ip,
            reason=reason,
            details={"grant_id": grant.pk, "kind": grant.kind, "grantee": str(grant.grantee)},
        )
    return grant


@transaction.atomic
def person_set_restricted(
    *, caller: Caller, person: Person, restricted: bool, named_users: list[User], reason: str
) -> Person:
    """Mark a record sensitive: only the named users see it. The supervisor marking it is named too."""
    _require(caller, Action.RESTRICT, person)
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for changing the restriction."})
    person = Person.objects.select_for_update().get(pk=person.pk)
    ct = ContentType.objects.get_for_model(Person)
    named_now = set(
        AccessGrant.objects.live()
        .filter(content_type=ct, object_id=person.pk, kind=GrantKind.NAMED)
        .values_list("grantee_user_id", flat=True)
    )
    wanted = {u.pk for u in named_users} | ({caller.user.pk} if restricted else set())
    for user_id in wanted - named_now:
        AccessGrant.objects.create(
            content_type=ct,
            object_id=person.pk,
            kind=GrantKind.NAMED,
            grantee_user_id=user_id,
            reason=reason.strip(),
            granted_by=caller.user,
        )
    now = timezone.now()
    if restricted:
        AccessGrant.objects.live().filter(
            content_type=ct, object_id=person.pk, kind=GrantKind.NAMED, grantee_user_id__in=named_now - wanted
        ).update(revoked_at=now, revoked_by=caller.user)
    before = person.is_restricted
    person.is_restricted = restricted
    person.save(update_fields=["is_restricted", "updated_at"])
    audit_record(
        actor=caller.user,
        action=AuditAction.RESTRICT,
        target=person,
        client_ip=caller.client_ip,
        reason=reason.strip(),
        changes={"is_restricted": [before, restricted]},
        details={"named_user_ids": sorted(wanted)},
    )
    return person


@transaction.atomic
def break_glass_open(*, caller: Caller, scheme: str, value: str, reason: str) -> Person | None:
    """Open a record the user cannot otherwise see, by its exact identifier, giving a reason.

    Only an exact identifier opens a record, so break-glass cannot be used to browse. Restricted
    records never open this way. Every attempt, found or not, is logged as an alert for auditors,
    and the answer to the user is the same whether a hidden record exists or not.
    """
    from harbour.accounts.roles import BREAK_GLASS_ROLES

    user = caller.user
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationError({"reason": "Explain why you need this record now (at least 10 characters)."})
    error = identifier_error(scheme, value)
    if error:
        raise ValidationError({"value": error} if scheme in SCHEMES else {"scheme": error})
    normalised = normalise_identifier(scheme, value)
    person = None
    if user.role in BREAK_GLASS_ROLES:
        matches = list(
            Person.objects.filter(
                identifiers__scheme=scheme, identifiers__value=normalised, is_restricted=False
            ).distinct()[:2]
        )
        person = matches[0] if len(matches) == 1 else None
    details = {"scheme": scheme, "value": normalised, "matched": person is not None}
    if person is not None:
        if not can(user, Action.VIEW, person):
            grant = AccessGrant.objects.create(
                content_type=ContentType.objects.get_for_model(Person),
                object_id=person.pk,
                kind=GrantKind.BREAK_GLASS,
                grantee_user=user,
                reason=reason,
                granted_by=user,
                valid_until=timezone.now() + timedelta(hours=BREAK_GLASS_HOURS),
            )
            details["grant_id"] = grant.pk
        audit_record(
            actor=user,
            action=AuditAction.BREAK_GLASS,
            target=person,
            client_ip=caller.client_ip,
            reason=reason,
            details=details,
            is_alert=True,
        )
    else:
        audit_record(
            actor=user,
            action=AuditAction.BREAK_GLASS,
            object_type="people.person",
            client_ip=caller.client_ip,
            reason=reason,
            details=details,
            is_alert=True,
        )
    return person
