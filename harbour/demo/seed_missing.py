"""Missing children in the demo area: episodes, return home interviews, repeat-missing tasks, trigger
plans, Philomena profiles and a child in police protection, all written through the missing services
as the demo users themselves (so the audit chain records every step and verifies afterwards).

Called at the end of `seed_demo`, with the plan's own random source after the people were drawn:
the same seed gives the same stories. Times are laid out back from the moment of seeding, so the
clocks always show a mix: an interview held in time, one held late, one refused, one due soon and
one overdue; a child missing now; a child 20 hours into police protection.

Only children whose sharing the demo's policy tests describe are used; reporting a child missing
shares them with the police force leading the search, and a return gives the commissioned provider
(Safe Passage, for both councils) sight of the child, which is what the policy says should happen.
No record here contains sexual content.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from harbour.audit.models import AuditAction
from harbour.audit.services import audit_record
from harbour.core.caller import Caller
from harbour.missing import services
from harbour.missing.models import Commission, MissingEpisode, ReturnHomeInterview

if TYPE_CHECKING:
    from .seed import DemoArea

PLACES_FOUND = [
    ("Harbour bus station", "Station Road, Northborough", "HB1 1BS"),
    ("Retail park car park", "Quay Retail Park, Southmere", "HB6 4RP"),
    ("Skate park by the river", "Riverside Walk, Northborough", "HB2 7SK"),
    ("Takeaway on Dock Street", "41 Dock Street, Southmere", "HB7 2DS"),
    ("Flat above the launderette", "12a Mill Lane, Northborough", "HB3 5ML"),
]
LAST_SEEN_PLACES = ["Leaving the home by the back gate", "School gates at home time", "The corner shop", "Bus stop"]
CLOTHING = ["Grey hooded top, black joggers", "Navy school coat, white trainers", "Green puffer jacket, jeans"]
REASONS_GRADE = {
    "high": "Seen getting into a car with older males; not answering the phone; history of going to Southmere.",
    "medium": "Missing overnight before; friends say they are with an older group.",
    "low": "Usually returns by morning; known to be with a school friend's family.",
}
WHY_WENT = [
    "Wanted to see friends from the old school; said the home has too many rules.",
    "Went to a party a friend told them about; stayed because they had no way home.",
    "Said an older lad had asked them to 'hang about' and they did not want to let him down.",
]


def _when(now, hours: float, rng: random.Random, jitter: int = 40):
    return now - timedelta(hours=hours, minutes=rng.randint(0, jitter))


def _episode(
    area,
    rng,
    *,
    child_key,
    reporter,
    officer,
    start_hours,
    grade,
    found_hours=None,
    found_with=(),
    found_place=None,
    kind="care_home",
    force=None,
):
    """Report, grade and (if `found_hours`) close one episode, as the people who would."""
    now = timezone.now()
    child = area.people[child_key]
    reported_at = _when(now, start_hours, rng)
    episode = services.episode_report(
        caller=Caller(area.users[reporter]),
        child=child,
        reported_by_kind=kind,
        reported_by_name=area.users[reporter].get_full_name(),
        reported_at=reported_at,
        last_seen_at=reported_at - timedelta(minutes=rng.randint(30, 150)),
        last_seen_place=rng.choice(LAST_SEEN_PLACES),
        last_seen_with=rng.choice(["Not known", "Two older teenagers", "A friend from school"]),
        clothing=rng.choice(CLOTHING),
        police_force=force,
    )
    police = Caller(area.users[officer])
    services.episode_grade(caller=police, episode=episode, grade=grade, reason=REASONS_GRADE[grade])
    services.episode_add_action(
        caller=police,
        episode=episode,
        kind="check",
        field_based=False,
        at=reported_at + timedelta(minutes=20),
        note="Checked the child's phone, known associates' addresses and the hospital: nothing found.",
    )
    if found_hours is None:
        return episode
    found_at = _when(now, found_hours, rng, jitter=10)
    if rng.random() < 0.7:
        services.episode_add_action(
            caller=police,
            episode=episode,
            kind="search",
            field_based=True,
            at=reported_at + timedelta(minutes=50),
            note="Searched the places in the trigger plan and spoke to staff at the bus station.",
        )
    alone = rng.random() < 0.5
    services.episode_close(
        caller=police,
        episode=episode,
        found_at=found_at,
        found_where=found_place or _new_place(rng),
        found_with=list(found_with),
        found_alone=not found_with and alone,
        found_with_not_said=not found_with and not alone,
        brought_back_by="Police",
        travel_method=rng.choice(["Police car", "Taxi paid by the home", "Bus, with a member of staff"]),
        condition="Tired and hungry; no injuries seen.",
    )
    episode.refresh_from_db()
    return episode


def _new_place(rng) -> dict:
    name, address, postcode = rng.choice(PLACES_FOUND)
    return {"name": name, "address": address, "postcode": postcode}


def _rhi(episode) -> ReturnHomeInterview:
    return ReturnHomeInterview.objects.get(episode=episode)


def _held(area, rng, episode, *, hours_after_return: float, places=()):
    rhi = _rhi(episode)
    worker = Caller(area.users[rng.choice(["rhi.worker", "rhi.worker2"])])
    held_at = rhi.returned_at + timedelta(hours=hours_after_return)
    services.rhi_record_offer(
        caller=worker, rhi=rhi, offered_at=rhi.returned_at + timedelta(hours=3), offered_how="phone"
    )
    services.rhi_record_held(
        caller=worker,
        rhi=rhi,
        held_at=held_at,
        independent_of_carers=True,
        why_went=rng.choice(WHY_WENT),
        where_and_with_whom="At the places named below, with friends; would not name the older lad.",
        push_factors="Arguments with another resident.",
        pull_factors="Friends, and lifts offered by older boys.",
        safety_advice="Talked about staying safe, who to call, and keeping the phone charged.",
        onward_referrals="Shared with the social worker for the exploitation screening.",
        places=list(places),
    )


def _commission(area) -> None:
    """Safe Passage holds the return home interviews for both councils."""
    for council, by in (("NTH", "nth.supervisor"), ("STH", "sth.supervisor")):
        commission = Commission.objects.create(
            provider=area.agencies["SAFE"], commissioning_authority=area.agencies[council]
        )
        audit_record(
            actor=area.users[by],
            action=AuditAction.CREATE,
            target=commission,
            details={"provider_id": commission.provider_id, "commissioning_authority_id": area.agencies[council].pk},
        )


def seed_missing(area: DemoArea, *, rng: random.Random | None = None, progress=None) -> None:
    """Write the missing-children stories into a freshly built demo area (inside seed_demo's transaction)."""
    rng = rng or random.Random(area.plan.seed)
    say = progress or (lambda message: None)
    _commission(area)
    police = area.agencies["HBP"]

    # A repeat-missing child in Willow House: four episodes, three in the last month. The first
    # interview was held in time, the second refused (the carers gave their account); the child is
    # missing again now. The triggers have raised a strategy meeting and an exploitation screening.
    key = "nth-placed-willowhouse"
    home, liaison = "care.willowhouse", "police.liaison.willowhouse"
    first = _episode(
        area,
        rng,
        child_key=key,
        reporter=home,
        officer=liaison,
        start_hours=24 * 70,
        found_hours=24 * 70 - 14,
        grade="medium",
    )
    _held(area, rng, first, hours_after_return=30)
    second = _episode(
        area,
        rng,
        child_key=key,
        reporter=home,
        officer=liaison,
        start_hours=24 * 25,
        found_hours=24 * 25 - 20,
        grade="high",
    )
    rhi = _rhi(second)
    worker = Caller(area.users["rhi.worker"])
    services.rhi_record_offer(
        caller=worker, rhi=rhi, offered_at=rhi.returned_at + timedelta(hours=5), offered_how="in_person"
    )
    services.rhi_record_refusal(
        caller=worker,
        rhi=rhi,
        refusal_reason="Said they were fine and did not want to talk to 'another worker'.",
        carers_account="Staff say the child came back with a new phone and would not say where from.",
    )
    third = _episode(
        area,
        rng,
        child_key=key,
        reporter="care.willowhouse2",
        officer=liaison,
        start_hours=24 * 9,
        found_hours=24 * 9 - 9,
        grade="high",
        found_with=[area.people["police-adult-shared"]],
    )
    _held(area, rng, third, hours_after_return=80, places=[third.found_where])  # held late
    _episode(area, rng, child_key=key, reporter=home, officer=liaison, start_hours=6, grade="high")
    services.trigger_plan_save(
        caller=Caller(area.users["nth.socialworker2"]),
        child=area.people[key],
        at_next_episode=(
            "Call the police liaison officer straight away, whatever the time\n"
            "Check the retail park car park and the bus station\n"
            "Text the child: they answer texts, not calls\n"
            "Tell the social worker (out of hours: the emergency duty team)"
        ),
        likely_locations="Retail park car park; bus station; a flat in Southmere the child will not name.",
        contacts="Police liaison officer for children's homes; Northborough emergency duty team.",
        agreed_with="The child, Willow House, the social worker and the police liaison officer",
        review_by=timezone.localdate() + timedelta(days=28),
    )
    staff = Caller(area.users[home])
    child = area.people[key]
    services.profile_update(
        caller=staff,
        child=child,
        description="About 5ft 3in, slim, shoulder-length dark hair usually tied back; small scar on left eyebrow.",
        habits="Carries a black backpack; travels by bus; keeps the phone on silent.",
        health_needs="Asthma: carries a blue inhaler.",
    )
    for kind, value, detail in (
        ("associate", "Older male known as 'Ghost'", "Seen collecting the child in a silver hatchback"),
        ("associate", "Two girls from the previous school", "First names only known"),
        ("place", "Retail park car park", "Evenings, with older teenagers"),
        ("phone", "07700 900461", "The child's own phone"),
        ("phone", "07700 900872", "A second phone staff have seen; not given by the home"),
        ("social_media", "@moonlight.skies (Snapchat)", "The child's account"),
    ):
        services.profile_add_item(caller=staff, child=child, kind=kind, value=value, detail=detail)

    # Elm Lodge: an older episode whose interview was held in time, and a return two days ago whose
    # interview is still to hold (the clock is running down).
    key = "nth-placed-elmlodge"
    old = _episode(
        area,
        rng,
        child_key=key,
        reporter="care.elmlodge",
        officer="police.liaison.elmlodge",
        start_hours=24 * 40,
        found_hours=24 * 40 - 6,
        grade="low",
    )
    _held(area, rng, old, hours_after_return=46)
    _episode(
        area,
        rng,
        child_key=key,
        reporter="care.elmlodge",
        officer="police.liaison.elmlodge",
        start_hours=60,
        found_hours=50,
        grade="medium",
    )

    # Harbour View: a return four days ago, the interview never held: overdue, for escalation.
    _episode(
        area,
        rng,
        child_key="sth-placed-harbourview",
        reporter="care.harbourview",
        officer="police.liaison.harbourview",
        start_hours=24 * 4 + 10,
        found_hours=24 * 4,
        grade="medium",
    )

    # Cedar Court: a Southmere child placed in Northborough, found with friends; interview held in time.
    episode = _episode(
        area,
        rng,
        child_key="sth-placed-cedarcourt",
        reporter="care.cedarcourt",
        officer="police.liaison.cedarcourt",
        start_hours=24 * 15,
        found_hours=24 * 15 - 11,
        grade="low",
    )
    _held(area, rng, episode, hours_after_return=20, places=[episode.found_where])

    # A child living at home, reported by their social worker three times in 80 days: screening due.
    bulk = [
        k
        for k, p in area.people.items()
        if k.startswith("child-")
        and p.owning_agency.short_name == "NTH"
        and not p.is_restricted
        and p.looked_after_status != "looked_after"
    ]
    if bulk:
        key = rng.choice(sorted(bulk))
        for start, found in ((24 * 80, 24 * 80 - 16), (24 * 45, 24 * 45 - 30), (24 * 12, 24 * 12 - 8)):
            episode = _episode(
                area,
                rng,
                child_key=key,
                reporter="nth.socialworker",
                officer="police.mispers",
                start_hours=start,
                found_hours=found,
                grade="medium",
                kind="parent",
                force=police,
            )
            _held(area, rng, episode, hours_after_return=rng.choice([26, 40, 90]))

    # A child taken into police protection 20 hours ago: still running, with notifications to chase.
    protection = services.police_protection_start(
        caller=Caller(area.users["police.officer"]),
        child=area.people["police-child"],
        taken_at=timezone.now() - timedelta(hours=20, minutes=rng.randint(0, 30)),
        grounds="Found at 2am in a flat with adults of concern; the child was frightened and had no safe adult.",
        place_of_safety="Foster carers (emergency placement), Northborough",
    )
    services.police_protection_record(
        caller=Caller(area.users["police.officer"]),
        protection=protection,
        la_informed_at=protection.taken_at + timedelta(minutes=45),
        child_informed_and_wishes="Told why; wants to stay with an aunt rather than go home.",
        designated_officer=area.users["police.supervisor"],
    )
    say(
        f"{MissingEpisode.objects.count()} missing episodes, {ReturnHomeInterview.objects.count()} return "
        "interviews, 1 child in police protection"
    )
