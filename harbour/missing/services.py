"""Writes about missing children and police protection. One transaction each, audited inside.

Services check the access policy themselves (as the views do), so no caller can skip it. Hidden
records answer 404; invalid answers raise ValidationError keyed by field, in words a user can act on.
"""

from datetime import timedelta

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from harbour.access.models import AccessGrant, GrantKind
from harbour.access.policy import Action, can
from harbour.accounts.models import Agency, AgencyKind
from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record
from harbour.core.caller import Caller
from harbour.people import services as people_services
from harbour.people.models import NOT_KNOWN, LookedAfterStatus, Person, PersonKind

from . import clocks, photos, rules
from .access_rules import (
    is_police_writer,
    may_grade,
    may_keep_profile,
    may_plan,
    may_report_missing,
    may_start_police_protection,
)
from .models import (
    ActionKind,
    Category,
    Commission,
    EpisodeAction,
    EpisodeStatus,
    MissingEpisode,
    OfferMethod,
    PhilomenaProfile,
    Place,
    PoliceProtection,
    ProfileItem,
    ProfileItemKind,
    ProtectionOutcome,
    ReportedByKind,
    ReturnHomeInterview,
    RhiResponse,
    RiskGrade,
    RiskGrading,
    RiskInformation,
    SafeAndWellCheck,
    TriggerPlan,
    TriggerTask,
)
from .signals import trigger_raised

COMMISSIONED_PROVIDER_REASON = "Commissioned return interview provider"
EPISODE_LEAD_REASON = "Leads the child's missing episode"
# A clock a few minutes fast on a phone should not block a report made "now".
CLOCK_SKEW = timedelta(minutes=5)


def _require(caller: Caller, action: Action, record) -> None:
    if not can(caller.user, action, record):
        raise Http404("Not found")


def _not_future(errors: dict, field: str, moment, label: str) -> None:
    if moment is not None and moment > timezone.now() + CLOCK_SKEW:
        errors.setdefault(field, f"{label} must be in the past.")


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _share_child(*, caller: Caller, child: Person, agency: Agency | None, reason: str) -> AccessGrant | None:
    """Let an agency that takes on work for the child see the child's record: one live share, audited.

    Made by the system on the user's behalf (a care-home worker reporting a resident missing may not
    share records themselves), so it does not go through person_share's permission check.
    """
    if agency is None or agency.pk == child.owning_agency_id:
        return None
    content_type = ContentType.objects.get_for_model(Person)
    existing = (
        AccessGrant.objects.live()
        .filter(content_type=content_type, object_id=child.pk, kind=GrantKind.SHARE, grantee_agency=agency)
        .first()
    )
    if existing:
        return existing
    grant = AccessGrant.objects.create(
        content_type=content_type,
        object_id=child.pk,
        kind=GrantKind.SHARE,
        grantee_agency=agency,
        reason=reason,
        granted_by=caller.user,
    )
    audit_record(
        actor=caller.user,
        action=AuditAction.SHARE,
        target=child,
        client_ip=caller.client_ip,
        reason=reason,
        details={"grant_id": grant.pk, "grantee_agency_id": agency.pk, "kind": grant.kind},
    )
    return grant


def _episode_lead(user, police_force: Agency | None) -> Agency:
    """Who leads the episode: the named police force, else the reporter's agency if police or the
    local authority, else (a care home) the force of the home's police liaison officer."""
    if police_force is not None:
        if police_force.kind != AgencyKind.POLICE:
            raise ValidationError({"police_force": "Choose a police force."})
        return police_force
    if user.agency.kind in (AgencyKind.POLICE, AgencyKind.CHILDRENS_SOCIAL_CARE):
        return user.agency
    liaison = getattr(user.care_home, "police_liaison_officer", None)
    if liaison is not None and liaison.agency_id:
        return liaison.agency
    return user.agency


def _notify(*, recipients, title: str, url_name: str, record) -> None:
    """Tell the people who take the work on, through the notifications app when it is installed. The
    title is a reference only (no child's name); notify() drops anyone who may not see the record."""
    if not apps.is_installed("harbour.notifications"):
        return
    from harbour.notifications.kinds import ASSIGNED
    from harbour.notifications.services import notify

    notify(
        recipients=recipients,
        kind=ASSIGNED,
        title=title,
        link=reverse(url_name, args=[record.pk]),
        record=record,
        dedupe_key=f"{record._meta.label_lower}:{record.pk}:created",
    )


def _episode_recipients(episode: MissingEpisode, reporter) -> list:
    """The force or team leading the episode (its case workers) and, for a care home's report, the
    home's police liaison officer. Not the reporter, who knows already."""
    from harbour.notifications.recipients import agency_members

    users = list(agency_members(episode.owning_agency))
    liaison = getattr(getattr(reporter, "care_home", None), "police_liaison_officer", None)
    if liaison is not None:
        users.append(liaison)
    return [u for u in users if u.pk != reporter.pk]


# --- Missing episodes ----------------------------------------------------------------------------


@transaction.atomic
def episode_report(
    *,
    caller: Caller,
    child: Person,
    reported_by_kind: str,
    reported_at,
    last_seen_at,
    last_seen_place: str,
    last_seen_with: str = "",
    clothing: str = "",
    category: str = Category.MISSING,
    reported_by_name: str = "",
    police_force: Agency | None = None,
) -> MissingEpisode:
    """Open an episode. Care-home staff may report their own residents; police and local-authority
    case workers any child they can see. Repeat-missing triggers are checked straight after."""
    user = caller.user
    if not may_report_missing(user, child):
        raise Http404("Not found")
    errors = {}
    if child.kind != PersonKind.CHILD:
        errors["child"] = "Only a child can be reported missing here."
    if reported_by_kind not in ReportedByKind.values:
        errors["reported_by_kind"] = "Choose who reported the child missing."
    if category not in Category.values:
        errors["category"] = "Choose missing or absent."
    if not (last_seen_place or "").strip():
        errors["last_seen_place"] = "Enter where the child was last seen, or 'Not known'."
    if reported_at is None:
        errors["reported_at"] = "Enter when the child was reported missing."
    if last_seen_at is None:
        errors["last_seen_at"] = "Enter when the child was last seen."
    _not_future(errors, "reported_at", reported_at, "The time of the report")
    _not_future(errors, "last_seen_at", last_seen_at, "The time last seen")
    if reported_at and last_seen_at and last_seen_at > reported_at:
        errors.setdefault("last_seen_at", "The child must have been last seen before they were reported missing.")
    if MissingEpisode.objects.filter(child=child, status=EpisodeStatus.OPEN).exists():
        errors["__all__"] = "This child already has an open missing episode. Update that episode instead."
    _raise(errors)
    lead = _episode_lead(user, police_force)
    episode = MissingEpisode.objects.create(
        child=child,
        owning_agency=lead,
        reported_by_kind=reported_by_kind,
        reported_by_name=reported_by_name.strip(),
        reported_at=reported_at,
        recorded_by=user,
        last_seen_at=last_seen_at,
        last_seen_place=last_seen_place.strip(),
        last_seen_with=last_seen_with.strip(),
        clothing=clothing.strip(),
        category=category,
    )
    audit_record(
        actor=user,
        action=AuditAction.CREATE,
        target=episode,
        client_ip=caller.client_ip,
        details={
            "category": category,
            "reported_by_kind": reported_by_kind,
            "reported_at": reported_at,
            "last_seen_at": last_seen_at,
            "owning_agency_id": lead.pk,
        },
    )
    _share_child(caller=caller, child=child, agency=lead, reason=EPISODE_LEAD_REASON)
    if apps.is_installed("harbour.notifications"):
        _notify(
            recipients=_episode_recipients(episode, user),
            title=f"{episode.category_name} episode ME-{episode.pk} reported",
            url_name="missing:episode",
            record=episode,
        )
    triggers_evaluate(caller=caller, child=child, at=reported_at)
    return episode


@transaction.atomic
def episode_grade(*, caller: Caller, episode: MissingEpisode, grade: str, reason: str, review_at=None) -> RiskGrading:
    """Grade or regrade the risk. Every grade is kept, with its reason, time and officer."""
    if not may_grade(caller.user, episode):
        raise Http404("Not found")
    errors = {}
    if grade not in RiskGrade.values:
        errors["grade"] = "Choose a risk grade."
    if not (reason or "").strip():
        errors["reason"] = "Give the reason for this grade."
    if review_at is not None and review_at <= timezone.now():
        errors["review_at"] = "The review time must be in the future."
    _raise(errors)
    previous = episode.current_grade
    grading = RiskGrading.objects.create(
        episode=episode, grade=grade, reason=reason.strip(), review_at=review_at, graded_by=caller.user
    )
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=episode,
        client_ip=caller.client_ip,
        reason=grading.reason,
        changes={"risk_grade": [previous.grade if previous else None, grade]},
    )
    return grading


@transaction.atomic
def episode_add_risk_information(
    *, caller: Caller, episode: MissingEpisode, information: str, supplied_by: str, supplied_by_agency=None
) -> RiskInformation:
    _require(caller, Action.CHANGE, episode)
    errors = {}
    if not (information or "").strip():
        errors["information"] = "Enter the risk information."
    if not (supplied_by or "").strip():
        errors["supplied_by"] = "Enter who supplied this information."
    _raise(errors)
    item = RiskInformation.objects.create(
        episode=episode,
        information=information.strip(),
        supplied_by=supplied_by.strip(),
        supplied_by_agency=supplied_by_agency,
        recorded_by=caller.user,
    )
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=episode,
        client_ip=caller.client_ip,
        changes={"risk_information": [None, {"id": item.pk, "supplied_by": item.supplied_by}]},
    )
    return item


@transaction.atomic
def episode_add_action(
    *, caller: Caller, episode: MissingEpisode, kind: str, field_based: bool, at, note: str, officer=None
) -> EpisodeAction:
    """An enquiry, search or check. Whether it was in the field is recorded: supervisors look for
    episodes worked only from a desk."""
    _require(caller, Action.CHANGE, episode)
    errors = {}
    if kind not in ActionKind.values:
        errors["kind"] = "Choose enquiry, search or check."
    if at is None:
        errors["at"] = "Enter when the action was taken."
    _not_future(errors, "at", at, "The time of the action")
    if at is not None and at < episode.last_seen_at:
        errors.setdefault("at", "The action must be after the child was last seen.")
    if not (note or "").strip():
        errors["note"] = "Describe the action and what it found."
    _raise(errors)
    action = EpisodeAction.objects.create(
        episode=episode, kind=kind, field_based=bool(field_based), at=at, officer=officer or caller.user, note=note
    )
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=episode,
        client_ip=caller.client_ip,
        changes={"actions": [None, {"id": action.pk, "kind": kind, "field_based": bool(field_based)}]},
    )
    return action


@transaction.atomic
def episode_close(
    *,
    caller: Caller,
    episode: MissingEpisode,
    found_at,
    found_where: Place | dict | None = None,
    where_not_said: bool = False,
    found_with=(),
    new_people=(),
    found_alone: bool = False,
    found_with_not_said: bool = False,
    brought_back_by: str = "",
    travel_method: str = "",
    condition: str = "",
) -> MissingEpisode:
    """Record the child found or returned and close the episode; the return interview is created.

    Where and with whom are required: inquiries found them missing from records. "The child would not
    say" is an answer, recorded as such; so is "alone". "Where" is a place record (one already known,
    or a new one); "with whom" is people on record: known people picked, or new people given as
    `new_people` (name, kind, approximate age) and recorded by the officer's agency.
    """
    _require(caller, Action.CHANGE, episode)
    episode = MissingEpisode.objects.select_for_update().get(pk=episode.pk)
    found_with = list(found_with or [])
    new_people = [dict(p) for p in (new_people or [])]
    errors = {}
    if not episode.is_open:
        errors["__all__"] = "This episode is already closed."
    if found_at is None:
        errors["found_at"] = "Enter when the child was found or returned."
    _not_future(errors, "found_at", found_at, "The time found")
    if found_at is not None and found_at < episode.last_seen_at:
        errors.setdefault("found_at", "The child must be found after they were last seen.")
    has_where = bool(found_where)
    if not has_where and not where_not_said:
        errors["found_where"] = "Enter where the child was found, or record that the child would not say."
    elif has_where and where_not_said:
        errors["found_where"] = "Enter where the child was found or that the child would not say, not both."
    if isinstance(found_where, Place) and not place_is_known_to(caller.user, found_where):
        errors["found_where"] = "Choose a place from records you can see, or enter a new place."
    with_answers = sum((bool(found_with or new_people), bool(found_alone), bool(found_with_not_said)))
    if with_answers == 0:
        errors["found_with"] = (
            "Enter who the child was found with, that they were alone, or record that the child would not say."
        )
    elif with_answers > 1:
        errors["found_with"] = "Choose the people the child was with, 'alone' or 'would not say': one answer."
    hidden = [p for p in found_with if not can(caller.user, Action.VIEW, p)]
    if hidden:
        errors.setdefault("found_with", "Choose people from records you can see.")
    _raise(errors)
    if isinstance(found_where, dict):
        found_where = place_create(caller=caller, **found_where)
    found_with += _people_create(caller=caller, people=new_people, field="found_with")
    episode.status = EpisodeStatus.CLOSED
    episode.found_at = found_at
    episode.found_where = found_where if has_where else None
    episode.where_not_said = bool(where_not_said)
    episode.found_alone = bool(found_alone)
    episode.found_with_not_said = bool(found_with_not_said)
    episode.brought_back_by = brought_back_by.strip()
    episode.travel_method = travel_method.strip()
    episode.condition = condition.strip()
    episode.closed_by = caller.user
    episode.save()
    episode.found_with.set(found_with)
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=episode,
        client_ip=caller.client_ip,
        changes={
            "status": [EpisodeStatus.OPEN, EpisodeStatus.CLOSED],
            "found_at": [None, found_at],
            "found_where": [None, str(found_where) if has_where else "child would not say"],
            "found_with": [
                None,
                [p.pk for p in found_with] or ("alone" if found_alone else "child would not say"),
            ],
        },
    )
    _rhi_create(caller=caller, episode=episode)
    return episode


def place_is_known_to(user, place: Place) -> bool:
    from .selectors import places_known_to

    return places_known_to(user=user).filter(pk=place.pk).exists()


NEW_PERSON_KINDS = (PersonKind.CHILD, PersonKind.ADULT_OF_CONCERN, PersonKind.OTHER)
# A person met once, named by a child or an officer: what is not known is recorded as not known.
NEW_PERSON_UNKNOWNS = {
    "sex": NOT_KNOWN,
    "gender": NOT_KNOWN,
    "ethnicity": NOT_KNOWN,
    "disability": NOT_KNOWN,
    "learning_disability": NOT_KNOWN,
    "special_educational_needs": NOT_KNOWN,
    "first_language_status": NOT_KNOWN,
    "looked_after_status": LookedAfterStatus.NOT_KNOWN,
}


def _people_create(*, caller: Caller, people: list[dict], field: str) -> list[Person]:
    """Record people named during an episode or interview (name, kind, approximate age) as the
    caller's agency, through the people service; errors name the field and which new person."""
    created = []
    for index, new in enumerate(people, start=1):
        given = (new.get("given_name") or "").strip()
        family = (new.get("family_name") or "").strip() or "Not known"
        kind = new.get("kind") or ""
        age = new.get("estimated_age_years")
        problems = []
        if not given:
            problems.append("enter a first name or the name they go by")
        if kind not in NEW_PERSON_KINDS:
            problems.append("choose child, adult of concern or other")
        if age is None or not (0 <= int(age) <= 120):
            problems.append("enter an approximate age")
        if problems:
            raise ValidationError({field: f"New person {index}: " + "; ".join(problems) + "."})
        try:
            person = people_services.person_create(
                caller=caller,
                kind=kind,
                given_name=given,
                family_name=family,
                estimated_age_years=int(age),
                **NEW_PERSON_UNKNOWNS,
            )
        except Http404:
            raise ValidationError({field: "You cannot add people to records: choose people on record."}) from None
        except ValidationError as error:
            messages = "; ".join(error.messages)
            raise ValidationError({field: f"New person {index}: {messages}"}) from None
        created.append(person)
    return created


@transaction.atomic
def place_create(
    *,
    caller: Caller,
    name: str,
    address: str = "",
    postcode: str = "",
    latitude=None,
    longitude=None,
    field: str = "found_where",
) -> Place:
    if not (name or "").strip():
        raise ValidationError({field: "Enter the name or description of the place."})
    place = Place(name=name.strip(), address=address.strip(), postcode=postcode.strip().upper())
    place.latitude, place.longitude = latitude, longitude
    place.full_clean()
    place.save()
    audit_record(actor=caller.user, action=AuditAction.CREATE, target=place, client_ip=caller.client_ip)
    return place


@transaction.atomic
def safe_and_well_record(
    *,
    caller: Caller,
    episode: MissingEpisode,
    held_at,
    location: str = "",
    concerns_identified: bool = False,
    notes: str = "",
) -> SafeAndWellCheck:
    """The police safe-and-well (prevention) check, after the child is found: a police officer's record."""
    if not is_police_writer(caller.user):
        raise Http404("Not found")
    _require(caller, Action.CHANGE, episode)
    errors = {}
    if episode.found_at is None:
        errors["__all__"] = "Record the child found or returned before the safe and well check."
    if held_at is None:
        errors["held_at"] = "Enter when the check was held."
    _not_future(errors, "held_at", held_at, "The time of the check")
    if held_at and episode.found_at and held_at < episode.found_at:
        errors.setdefault("held_at", "The check must be after the child was found.")
    _raise(errors)
    check = SafeAndWellCheck.objects.create(
        episode=episode,
        held_at=held_at,
        officer=caller.user,
        location=location.strip(),
        concerns_identified=bool(concerns_identified),
        notes=notes.strip(),
    )
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=episode,
        client_ip=caller.client_ip,
        changes={"safe_and_well_check": [None, {"id": check.pk, "held_at": held_at}]},
    )
    return check


# --- Repeat missing ------------------------------------------------------------------------------


def triggers_evaluate(*, caller: Caller, child: Person, at) -> list[TriggerTask]:
    """Raise a task for each trigger the child's episodes now meet, once per window.

    A trigger already raised for this child whose window ends inside the current window covers it:
    the fourth episode in 30 days does not raise a second strategy meeting. Absent episodes count
    too: repeated unauthorised absence is itself a warning sign.
    """
    raised = []
    with transaction.atomic():
        for trigger in rules.triggers():
            start = at - timedelta(days=trigger.days)
            episodes = list(
                MissingEpisode.objects.filter(child=child, reported_at__gte=start, reported_at__lte=at).order_by(
                    "reported_at"
                )
            )
            if len(episodes) < trigger.episodes:
                continue
            if TriggerTask.objects.filter(child=child, kind=trigger.kind, window_end__gte=start).exists():
                continue
            task = TriggerTask.objects.create(
                child=child, kind=trigger.kind, reason=trigger.reason, window_start=start, window_end=at
            )
            task.episodes.set(episodes)
            audit_record(
                actor=caller.user,
                action=AuditAction.CREATE,
                target=task,
                client_ip=caller.client_ip,
                details={"trigger": trigger.kind, "episode_ids": [e.pk for e in episodes]},
            )
            trigger_raised.send(sender=TriggerTask, caller=caller, task=task)
            raised.append(task)
    return raised


@transaction.atomic
def trigger_task_done(*, caller: Caller, task: TriggerTask, note: str = "") -> TriggerTask:
    """Mark a trigger task done, saying what was done: the task is the record that it was acted on."""
    _require(caller, Action.CHANGE, task)
    task = TriggerTask.objects.select_for_update().get(pk=task.pk)
    if task.done_at is not None:
        raise ValidationError({"__all__": "This task is already done."})
    if not (note or "").strip():
        raise ValidationError({"note": "Say what was done: the meeting held, the screening completed."})
    task.done_at, task.done_by, task.done_note = timezone.now(), caller.user, note.strip()
    task.save(update_fields=["done_at", "done_by", "done_note"])
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=task,
        client_ip=caller.client_ip,
        changes={"done_at": [None, task.done_at], "done_note": ["", task.done_note]},
    )
    return task


TRIGGER_PLAN_FIELDS = ("at_next_episode", "likely_locations", "contacts", "agreed_with", "review_by")


@transaction.atomic
def trigger_plan_save(*, caller: Caller, child: Person, **fields) -> TriggerPlan:
    """Write the child's trigger plan (what to do at the next episode). One plan per child, kept up
    to date by the home, the council and police; every change is audited with old and new values."""
    unknown = set(fields) - set(TRIGGER_PLAN_FIELDS)
    if unknown:
        raise TypeError(f"Unknown trigger plan fields: {sorted(unknown)}")
    if not may_plan(caller.user, child):
        raise Http404("Not found")
    errors = {}
    if child.kind != PersonKind.CHILD:
        errors["__all__"] = "A trigger plan is for a child."
    if "at_next_episode" in fields and not (fields["at_next_episode"] or "").strip():
        errors["at_next_episode"] = "Enter what to do at the next episode."
    review_by = fields.get("review_by")
    if review_by is not None and review_by < timezone.localdate():
        errors["review_by"] = "The review date must be today or later."
    _raise(errors)
    plan = TriggerPlan.objects.select_for_update().filter(child=child).first()
    created = plan is None
    if created:
        if not (fields.get("at_next_episode") or "").strip():
            raise ValidationError({"at_next_episode": "Enter what to do at the next episode."})
        plan = TriggerPlan(child=child, updated_by=caller.user)
    changes = {}
    for name, value in fields.items():
        value = value.strip() if isinstance(value, str) else value
        before = getattr(plan, name)
        if before != value:
            changes[name] = [None if created else before, value]
            setattr(plan, name, value)
    if not changes and not created:
        return plan
    plan.updated_at, plan.updated_by = timezone.now(), caller.user
    plan.save()
    audit_record(
        actor=caller.user,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        target=plan,
        client_ip=caller.client_ip,
        changes=changes,
    )
    return plan


# --- Philomena profiles --------------------------------------------------------------------------

PROFILE_FIELDS = ("description", "habits", "health_needs")


def _current_home(child: Person):
    today = timezone.localdate()
    placement = (
        child.placements.filter(care_home__isnull=False, start_date__lte=today)
        .exclude(end_date__lt=today)
        .select_related("care_home")
        .order_by("-start_date")
        .first()
    )
    return placement.care_home if placement else None


def _kept_profile(caller: Caller, child: Person, *, create: bool) -> PhilomenaProfile | None:
    if not may_keep_profile(caller.user, child):
        raise Http404("Not found")
    if child.kind != PersonKind.CHILD:
        raise ValidationError({"__all__": "A Philomena profile is kept for a child."})
    profile = PhilomenaProfile.objects.select_for_update().filter(child=child).first()
    if profile is None and create:
        profile = PhilomenaProfile.objects.create(child=child, care_home=_current_home(child), updated_by=caller.user)
        audit_record(actor=caller.user, action=AuditAction.CREATE, target=profile, client_ip=caller.client_ip)
    return profile


def _touch(profile: PhilomenaProfile, caller: Caller) -> None:
    profile.updated_at, profile.updated_by = timezone.now(), caller.user
    profile.care_home = _current_home(profile.child) or profile.care_home
    profile.save()


@transaction.atomic
def profile_update(*, caller: Caller, child: Person, **fields) -> PhilomenaProfile:
    """Write the profile's description. Care-home staff keep their residents' profiles; the child's
    social workers may too. The profile is started on first write."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown profile fields: {sorted(unknown)}")
    profile = _kept_profile(caller, child, create=True)
    changes = {}
    for name, value in fields.items():
        value = (value or "").strip()
        if getattr(profile, name) != value:
            changes[name] = [getattr(profile, name), value]
            setattr(profile, name, value)
    if changes:
        _touch(profile, caller)
        audit_record(
            actor=caller.user, action=AuditAction.UPDATE, target=profile, client_ip=caller.client_ip, changes=changes
        )
    return profile


@transaction.atomic
def profile_set_photo(*, caller: Caller, child: Person, photo, taken_on=None) -> PhilomenaProfile:
    """Replace the profile photo. Only a JPEG or PNG under 5 MB is kept (photos.check_photo); the old
    file is removed once the change is committed."""
    checked = photos.check_photo(photo)
    if taken_on is not None and taken_on > timezone.localdate():
        raise ValidationError({"taken_on": "The date the photo was taken must be today or earlier."})
    profile = _kept_profile(caller, child, create=True)
    old_path = profile.photo_path
    profile.photo_path = photos.store(checked)
    profile.photo_content_type = checked.content_type
    profile.photo_size = len(checked.content)
    profile.photo_sha256 = checked.sha256
    profile.photo_taken_on = taken_on
    profile.photo_uploaded_at, profile.photo_uploaded_by = timezone.now(), caller.user
    _touch(profile, caller)
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=profile,
        client_ip=caller.client_ip,
        changes={"photo_sha256": [None, profile.photo_sha256]},
        details={"photo_content_type": profile.photo_content_type, "photo_size": profile.photo_size},
    )
    if old_path:
        transaction.on_commit(lambda: photos.delete(old_path))
    return profile


@transaction.atomic
def profile_add_item(
    *, caller: Caller, child: Person, kind: str, value: str = "", detail: str = "", person=None, place=None
) -> ProfileItem:
    """Add an associate, place frequented, phone number or social-media account. An associate may be a
    person on record (one the caller can see); a place may be a place record."""
    profile = _kept_profile(caller, child, create=True)
    errors = {}
    if kind not in ProfileItemKind.values:
        errors["kind"] = "Choose associate, place, phone number or social-media account."
    if person is not None:
        if kind != ProfileItemKind.ASSOCIATE:
            errors["person"] = "Only an associate can be a person on record."
        elif not can(caller.user, Action.VIEW, person) or person.pk == child.pk:
            errors["person"] = "Choose a person from records you can see."
    if place is not None:
        if kind != ProfileItemKind.PLACE:
            errors["place"] = "Only a place frequented can be a place record."
        elif not place_is_known_to(caller.user, place):
            errors["place"] = "Choose a place from records you can see."
    value = (value or "").strip() or (str(person) if person else str(place) if place else "")
    if not value:
        errors.setdefault("value", "Enter the name, place, number or account.")
    _raise(errors)
    item = ProfileItem(
        profile=profile,
        kind=kind,
        value=value,
        detail=(detail or "").strip(),
        person=person,
        place=place,
        created_by=caller.user,
    )
    item.full_clean()
    item.save()
    _touch(profile, caller)
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=profile,
        client_ip=caller.client_ip,
        changes={"items": [None, {"id": item.pk, "kind": kind, "value": value}]},
    )
    return item


@transaction.atomic
def profile_remove_item(*, caller: Caller, item: ProfileItem) -> None:
    _require(caller, Action.CHANGE, item.profile)
    profile = item.profile
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=profile,
        client_ip=caller.client_ip,
        changes={"items": [{"id": item.pk, "kind": item.kind, "value": item.value}, None]},
    )
    item.delete()
    _touch(profile, caller)


# --- Return home interviews ----------------------------------------------------------------------


def commissioned_provider(child: Person) -> Agency | None:
    """The provider commissioned by the child's responsible authority, else host, else owner."""
    for authority_id in (child.responsible_authority_id, child.host_authority_id, child.owning_agency_id):
        if not authority_id:
            continue
        commission = (
            Commission.objects.filter(commissioning_authority_id=authority_id, active=True)
            .select_related("provider")
            .order_by("created_at", "id")
            .first()
        )
        if commission:
            return commission.provider
    return None


def _rhi_create(*, caller: Caller, episode: MissingEpisode) -> ReturnHomeInterview:
    """Every return creates an interview due 72 hours later; the commissioned provider is given
    sight of the child so it can see the episode and hold the interview."""
    child = episode.child
    provider = commissioned_provider(child)
    rhi = ReturnHomeInterview.objects.create(
        episode=episode,
        child=child,
        provider=provider,
        returned_at=episode.found_at,
        due_at=clocks.return_interview_due_at(episode.found_at),
    )
    audit_record(
        actor=caller.user,
        action=AuditAction.CREATE,
        target=rhi,
        client_ip=caller.client_ip,
        details={"due_at": rhi.due_at, "provider_id": provider.pk if provider else None},
    )
    _share_child(caller=caller, child=child, agency=provider, reason=COMMISSIONED_PROVIDER_REASON)
    if provider is not None and apps.is_installed("harbour.notifications"):
        from harbour.notifications.recipients import agency_members

        _notify(
            recipients=agency_members(provider),
            title=f"Return home interview RHI-{rhi.pk} to arrange",
            url_name="missing:rhi",
            record=rhi,
        )
    return rhi


def _locked_rhi(caller: Caller, rhi: ReturnHomeInterview) -> ReturnHomeInterview:
    _require(caller, Action.CHANGE, rhi)
    return ReturnHomeInterview.objects.select_for_update().get(pk=rhi.pk)


@transaction.atomic
def rhi_record_offer(*, caller: Caller, rhi: ReturnHomeInterview, offered_at, offered_how: str) -> ReturnHomeInterview:
    rhi = _locked_rhi(caller, rhi)
    errors = {}
    if offered_at is None:
        errors["offered_at"] = "Enter when the interview was offered."
    _not_future(errors, "offered_at", offered_at, "The time of the offer")
    if offered_at and offered_at < rhi.returned_at:
        errors.setdefault("offered_at", "The offer must be after the child returned.")
    if offered_how not in OfferMethod.values:
        errors["offered_how"] = "Choose how the interview was offered."
    if rhi.is_held:
        errors["__all__"] = "The interview has already been held."
    _raise(errors)
    before = rhi.offered_at
    rhi.offered_at, rhi.offered_how = offered_at, offered_how
    rhi.save()
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=rhi,
        client_ip=caller.client_ip,
        changes={"offered_at": [before, offered_at], "offered_how": [None, offered_how]},
    )
    return rhi


@transaction.atomic
def rhi_record_refusal(
    *, caller: Caller, rhi: ReturnHomeInterview, refusal_reason: str, carers_account: str = ""
) -> ReturnHomeInterview:
    """The child refused. The reason is recorded; the carers may give their account instead."""
    rhi = _locked_rhi(caller, rhi)
    errors = {}
    if rhi.offered_at is None:
        errors["__all__"] = "Record when and how the interview was offered before recording a refusal."
    if rhi.is_held:
        errors["__all__"] = "The interview has already been held."
    if not (refusal_reason or "").strip():
        errors["refusal_reason"] = "Give the reason the child refused, in their words if possible."
    _raise(errors)
    rhi.response = RhiResponse.REFUSED
    rhi.refusal_reason = refusal_reason.strip()
    rhi.carers_account = (carers_account or "").strip()
    rhi.save()
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=rhi,
        client_ip=caller.client_ip,
        changes={"response": [None, RhiResponse.REFUSED]},
    )
    return rhi


RHI_CONTENT_FIELDS = (
    "harm_suffered",
    "why_went",
    "where_and_with_whom",
    "push_factors",
    "pull_factors",
    "disclosures",
    "onward_referrals",
    "safety_advice",
)


@transaction.atomic
def rhi_record_held(
    *,
    caller: Caller,
    rhi: ReturnHomeInterview,
    held_at,
    independent_of_carers: bool,
    child_preferred_carer: bool = False,
    held_by=None,
    places=(),
    new_places=(),
    people=(),
    new_people=(),
    **content,
) -> ReturnHomeInterview:
    """The interview was held. It is held by someone independent of the carers unless the child
    prefers otherwise (statutory guidance, 2014). A late interview is still recorded: the clock shows it.

    Where and with whom is kept as text in the child's words *and* as the same place and person
    records the episode uses (`places`/`people` already known, `new_places`/`new_people` to record),
    so a place or person named by several children joins up."""
    unknown = set(content) - set(RHI_CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown interview fields: {sorted(unknown)}")
    rhi = _locked_rhi(caller, rhi)
    places, people = list(places or []), list(people or [])
    errors = {}
    if rhi.is_held:
        errors["__all__"] = "The interview has already been recorded as held."
    if held_at is None:
        errors["held_at"] = "Enter when the interview was held."
    _not_future(errors, "held_at", held_at, "The time of the interview")
    if held_at and held_at < rhi.returned_at:
        errors.setdefault("held_at", "The interview must be after the child returned.")
    if not independent_of_carers and not child_preferred_carer:
        errors["independent_of_carers"] = (
            "The interview must be held by someone independent of the child's carers, unless the child "
            "prefers one of their carers. Record the child's preference if so."
        )
    if not any((content.get(name) or "").strip() for name in RHI_CONTENT_FIELDS):
        errors["why_went"] = "Record what the interview covered."
    if any(not place_is_known_to(caller.user, p) for p in places):
        errors["places"] = "Choose places from records you can see."
    if any(not can(caller.user, Action.VIEW, p) or p.pk == rhi.child_id for p in people):
        errors["people"] = "Choose people from records you can see (not the child)."
    _raise(errors)
    for new_place in new_places or ():
        places.append(place_create(caller=caller, field="places", **new_place))
    people += _people_create(caller=caller, people=[dict(p) for p in new_people or ()], field="people")
    if rhi.offered_at is None:  # held at once: the offer was made and accepted then
        rhi.offered_at, rhi.offered_how = held_at, OfferMethod.IN_PERSON
    rhi.response = RhiResponse.ACCEPTED
    rhi.held_at = held_at
    rhi.held_by = held_by or caller.user
    rhi.independent_of_carers = bool(independent_of_carers)
    rhi.child_preferred_carer = bool(child_preferred_carer)
    for name in RHI_CONTENT_FIELDS:
        setattr(rhi, name, (content.get(name) or "").strip())
    rhi.save()
    rhi.places.set(places)
    rhi.people.set(people)
    audit_record(
        actor=caller.user,
        action=AuditAction.UPDATE,
        target=rhi,
        client_ip=caller.client_ip,
        changes={
            "held_at": [None, held_at],
            "response": [None, RhiResponse.ACCEPTED],
            "places": [None, [p.pk for p in places]],
            "people": [None, [p.pk for p in people]],
        },
        details={"held_in_time": rhi.held_in_time},
    )
    return rhi


# --- Police protection (Children Act 1989 s46) ---------------------------------------------------

PROTECTION_RECORD_FIELDS = (
    "la_informed_at",
    "child_informed_and_wishes",
    "parents_informed_at",
    "parents_not_informed_reason",
    "designated_officer",
    "inquiry",
    "contact_decisions",
    "outcome",
    "handed_over_at",
)
_PROTECTION_TIMES = ("la_informed_at", "parents_informed_at", "handed_over_at")


def _protection_ended_error() -> ValidationError:
    return ValidationError(rules.POLICE_PROTECTION_CANNOT_BE_EXTENDED, code="police_protection_ended")


@transaction.atomic
def police_protection_start(
    *,
    caller: Caller,
    child: Person,
    taken_at,
    grounds: str,
    place_of_safety: str,
    place_is_police_station: bool = False,
    **record,
) -> PoliceProtection:
    """A constable takes the child into police protection: the 72-hour clock starts at `taken_at`."""
    user = caller.user
    if not may_start_police_protection(user, child):
        raise Http404("Not found")
    errors = {}
    if taken_at is None:
        errors["taken_at"] = "Enter when the child was taken into police protection."
    _not_future(errors, "taken_at", taken_at, "The time taken into police protection")
    if not (grounds or "").strip():
        errors["grounds"] = "Give the grounds: why there was reasonable cause to believe significant harm."
    if not (place_of_safety or "").strip():
        errors["place_of_safety"] = "Enter the place of safety."
    if PoliceProtection.objects.filter(child=child, outcome="", ends_at__gt=timezone.now()).exists():
        errors["__all__"] = "This child is already in police protection."
    _raise(errors)
    if timezone.now() >= clocks.police_protection_ends_at(taken_at):
        raise _protection_ended_error()
    protection = PoliceProtection.objects.create(
        child=child,
        owning_agency=user.agency,
        taken_at=taken_at,
        taken_by=user,
        grounds=grounds.strip(),
        place_of_safety=place_of_safety.strip(),
        place_is_police_station=bool(place_is_police_station),
    )
    audit_record(
        actor=user,
        action=AuditAction.CREATE,
        target=protection,
        client_ip=caller.client_ip,
        details={
            "taken_at": taken_at,
            "ends_at": protection.ends_at,
            "place_is_police_station": protection.place_is_police_station,
        },
    )
    if record:
        police_protection_record(caller=caller, protection=protection, **record)
        protection.refresh_from_db()
    return protection


@transaction.atomic
def police_protection_record(*, caller: Caller, protection: PoliceProtection, **fields) -> PoliceProtection:
    """Record what was done during police protection. Nothing is recorded as done after the 72 hours
    end, and the end cannot move: there is no field for it."""
    unknown = set(fields) - set(PROTECTION_RECORD_FIELDS)
    if unknown:
        if unknown & {"ends_at", "taken_at"}:
            raise _protection_ended_error()
        raise TypeError(f"Unknown police protection fields: {sorted(unknown)}")
    _require(caller, Action.CHANGE, protection)
    protection = PoliceProtection.objects.select_for_update().get(pk=protection.pk)
    if timezone.now() > protection.ends_at:
        raise _protection_ended_error()
    if protection.outcome:
        raise ValidationError("Police protection has ended: the outcome is recorded.")
    errors = {}
    for name in _PROTECTION_TIMES:
        moment = fields.get(name)
        if moment is None:
            continue
        if moment > protection.ends_at:
            raise _protection_ended_error()
        if moment < protection.taken_at:
            errors[name] = "This must be after the child was taken into police protection."
        _not_future(errors, name, moment, "This time")
    outcome = fields.get("outcome")
    if outcome and outcome not in ProtectionOutcome.values:
        errors["outcome"] = "Choose released, emergency protection order or local-authority accommodation."
    if outcome and not (fields.get("handed_over_at") or protection.handed_over_at):
        errors["handed_over_at"] = "Enter when the child was released or handed over."
    _raise(errors)
    changes = {}
    for name, value in fields.items():
        field = PoliceProtection._meta.get_field(name)
        before = getattr(protection, field.attname)
        if isinstance(value, str):
            value = value.strip()
        setattr(protection, name, value)
        after = getattr(protection, field.attname)
        if before != after:
            changes[name] = [before, after]
    if changes:
        protection.save()
        audit_record(
            actor=caller.user, action=AuditAction.UPDATE, target=protection, client_ip=caller.client_ip, changes=changes
        )
    return protection
