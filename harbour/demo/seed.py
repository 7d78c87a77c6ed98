"""The demo area: a synthetic police force, two councils and their partners, with children on record.

Two steps, so the randomness is easy to reason about:
- `plan_area(children=, seed=, today=)` draws everything from one `random.Random(seed)` into plain
  dataclasses, touching no database. The same seed on the same day gives the same plan.
- `build_area(plan)` writes the plan through the people services, as the demo users themselves,
  so every record has real audit rows and the hash chain verifies afterwards.

`seed_demo()` does both in one transaction. Dates are laid out relative to `today`, so children
are always 10 to 17 years old whenever the demo is seeded.

The area: Northborough (NTH) places some of its looked-after children in Southmere (STH) care
homes, so those children are visible to both councils; police hold some children and most adults
of concern; a return-interview charity, the youth offending service, health and education see
only what is shared with them; care-home staff see only their current residents. A few records
are shared, some are allocated to the youth offending team, one share was revoked, and two records are
restricted to named users. No record contains sexual content.
"""

import itertools
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from harbour.access.models import GrantKind
from harbour.access.policy import scope
from harbour.accounts.models import Agency, AgencyKind, Team, User
from harbour.accounts.roles import CASEWORK_ROLES, Role
from harbour.core.caller import Caller
from harbour.people import services
from harbour.people.models import (
    NOT_ASKED,
    NOT_KNOWN,
    CareHome,
    LookedAfterStatus,
    NameKind,
    Person,
    PersonKind,
)

from . import data
from .factories import DEMO_PASSWORD, make_agency, make_team
from .seed_evidence import seed_evidence
from .seed_missing import seed_missing

MIN_CHILDREN = 20  # enough for every story below to be told once

# --- The plan -------------------------------------------------------------------------------


@dataclass
class GrantPlan:
    by: str  # username of the person sharing
    reason: str
    kind: str = GrantKind.SHARE
    user: str | None = None
    team: tuple[str, str] | None = None  # (agency short name, team name)
    agency: str | None = None
    valid_days: int | None = None
    revoke_reason: str = ""  # revoked straight after, to show that a revoked share gives nothing


@dataclass
class RestrictionPlan:
    by: str  # a supervisor of the owning agency; they are named too
    named: list[str]
    reason: str


@dataclass
class PersonPlan:
    key: str
    kind: str
    created_by: str  # username; the record is held by their agency and team
    fields: dict  # Person fields for person_create, authorities as agency short names
    aliases: list[tuple[str, str, str]] = field(default_factory=list)  # (name kind, given, family)
    identifiers: list[tuple[str, str]] = field(default_factory=list)  # (scheme, value)
    addresses: list[dict] = field(default_factory=list)
    placements: list[dict] = field(default_factory=list)  # care_home is a slug, placing_authority a short name
    grants: list[GrantPlan] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (author username, text)
    later_identifiers: list[tuple[str, str, str]] = field(default_factory=list)  # (username, scheme, value)
    restriction: RestrictionPlan | None = None

    @property
    def full_name(self) -> str:
        return f"{self.fields['given_name']} {self.fields['family_name']}"


@dataclass
class AreaPlan:
    seed: int
    children: int
    today: date
    people: list[PersonPlan]
    # The plan's random source once the people are drawn: what is seeded after them (missing episodes,
    # harbour/demo/seed_missing.py) draws on from here, so the people never change because of it.
    rng: random.Random | None = field(default=None, compare=False, repr=False)


STAFF_BY_USERNAME = {s[0]: s for s in data.STAFF}


def _agency_of(username: str) -> str:
    return STAFF_BY_USERNAME[username][4]


class _Draw:
    """The random source and the running counters that keep identifiers and names unique."""

    def __init__(self, seed: int, today: date):
        self.rng = random.Random(seed)
        self.today = today
        self.used_names: set[str] = set()
        self.used_values: set[str] = set()
        self.police_serial = self.rng.randint(1000, 3000)
        self.case_serial = {
            "NTH": self.rng.randint(1_200_000, 1_500_000),
            "STH": self.rng.randint(2_100_000, 2_400_000),
        }
        self.yos_serial = self.rng.randint(10_000, 20_000)
        self.home_residents = {slug: 0 for slug, *_ in data.CARE_HOMES}

    def pick(self, weighted: list[tuple[object, float]]):
        values, weights = zip(*weighted, strict=True)
        return self.rng.choices(values, weights)[0]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def days_ago(self, low: int, high: int) -> date:
        return self.today - timedelta(days=self.rng.randint(low, high))

    # identifiers ----------------------------------------------------------------------------

    def police_ref(self) -> str:
        self.police_serial += self.rng.randint(1, 400)
        year = (self.today.year - self.rng.randint(0, 3)) % 100
        return f"HB-{year:02d}-{self.police_serial:06d}"

    def council_case(self, authority: str) -> str:
        self.case_serial[authority] += self.rng.randint(1, 900)
        return f"{authority}{self.case_serial[authority]:07d}"

    def yos_ref(self) -> str:
        self.yos_serial += self.rng.randint(1, 50)
        return f"YOS{self.yos_serial:06d}"

    def nhs_number(self) -> str:
        """A number in the 999 range kept for testing, with a valid modulus-11 check digit."""
        while True:
            body = "999" + "".join(str(self.rng.randint(0, 9)) for _ in range(6))
            check = 11 - sum(int(d) * w for d, w in zip(body, range(10, 1, -1), strict=True)) % 11
            check = 0 if check == 11 else check
            if check != 10 and body + str(check) not in self.used_values:
                value = body + str(check)
                self.used_values.add(value)
                return value

    def upn(self, authority: str, year_of_entry: int) -> str:
        """A unique pupil number: check letter, LA number, school number, year, serial (DfE)."""
        while True:
            school = f"{self.rng.randint(2000, 5999):04d}"
            tail = f"{data.UPN_LA_CODES[authority]}{school}{year_of_entry % 100:02d}{self.rng.randint(0, 999):03d}"
            total = sum(int(d) * w for d, w in zip(tail, range(2, 14), strict=True))
            value = "ABCDEFGHJKLMNPQRTUVWXYZ"[total % 23] + tail
            if value not in self.used_values:
                self.used_values.add(value)
                return value

    # places ---------------------------------------------------------------------------------

    def postcode(self, town: str) -> str:
        district = self.rng.choice(data.TOWNS[town][1])
        letters = data.POSTCODE_INWARD_LETTERS
        return f"HB{district} {self.rng.randint(1, 9)}{self.rng.choice(letters)}{self.rng.choice(letters)}"

    def address(self, town: str, from_date: date, to_date: date | None = None) -> dict:
        return {
            "line_1": f"{self.rng.randint(1, 180)} {self.rng.choice(data.STREETS)}",
            "line_2": self.rng.choice(data.TOWNS[town][0]),
            "town": town,
            "postcode": self.postcode(town),
            "from_date": from_date,
            "to_date": to_date,
        }

    # people ---------------------------------------------------------------------------------

    def names(self, *, sex: str) -> tuple[str, str, str]:
        """(given, family, heritage group). Full names are kept unique while the lists allow, so a
        small demo never holds two people of the same name; a very large one may, as real areas do."""
        for attempt in itertools.count():
            group = self.pick([(k, v["weight"]) for k, v in data.HERITAGE.items()] + [("mixed", data.MIXED_WEIGHT)])
            if group == "mixed":
                first_pool = data.HERITAGE[self.rng.choice(["british", "black_caribbean", "black_african"])]
                surnames = data.HERITAGE[self.rng.choice(["british", "black_caribbean", "south_asian"])]["surnames"]
            else:
                first_pool, surnames = data.HERITAGE[group], data.HERITAGE[group]["surnames"]
                if group == "british" and self.chance(0.03):
                    group, surnames = "traveller", data.TRAVELLER_SURNAMES
            pool = {"female": first_pool["female"], "male": first_pool["male"]}.get(
                sex, first_pool["female"] + first_pool["male"]
            )
            given, family = self.rng.choice(pool), self.rng.choice(surnames)
            if f"{given} {family}" not in self.used_names or attempt >= 50:
                self.used_names.add(f"{given} {family}")
                return given, family, group

    def ethnicity(self, group: str, *, unknown_share: float) -> str:
        roll = self.rng.random()
        if roll < unknown_share * 0.6:
            return NOT_KNOWN
        if roll < unknown_share * 0.95:
            return NOT_ASKED
        if roll < unknown_share:
            return "prefer_not_to_say"
        if group == "mixed":
            return self.rng.choice(data.MIXED_ETHNICITIES)
        if group == "traveller":
            return "white_gypsy_traveller"
        return self.rng.choice(data.HERITAGE[group]["ethnicities"])

    def language(self, group: str, *, recorded_share: float) -> tuple[str, str]:
        roll = self.rng.random()
        if roll >= recorded_share:
            return (NOT_KNOWN, "") if roll < recorded_share + (1 - recorded_share) * 0.65 else (NOT_ASKED, "")
        languages = data.HERITAGE.get(group, {}).get("languages", [])
        if group == "traveller":
            languages = ["Romani", "Shelta"]
        if languages and self.chance(0.45):
            return "recorded", self.rng.choice(languages)
        return "recorded", "English"

    def date_of_birth(self, age: int) -> date:
        try:
            anniversary = self.today.replace(year=self.today.year - age)
        except ValueError:  # 29 February
            anniversary = self.today.replace(year=self.today.year - age, day=28)
        return anniversary - timedelta(days=self.rng.randint(0, 363))

    def sex(self, *, male_share: float = 0.5) -> str:
        return self.pick(
            [("female", (1 - male_share) * 0.97), ("male", male_share * 0.97), (NOT_KNOWN, 0.02), (NOT_ASKED, 0.01)]
        )

    def gender(self, sex: str) -> tuple[str, str]:
        if sex in (NOT_KNOWN, NOT_ASKED):
            return self.pick([(NOT_KNOWN, 0.6), (NOT_ASKED, 0.4)]), ""
        choice = self.pick(
            [("same_as_sex", 0.8), (NOT_ASKED, 0.1), (NOT_KNOWN, 0.07), ("prefer_not_to_say", 0.015), ("d", 0.015)]
        )
        if choice == "d":
            return "different", self.rng.choice(["Non-binary; uses they/them", "Trans boy", "Trans girl"])
        return choice, ""

    def child_fields(self) -> tuple[dict, str]:
        sex = self.sex()
        given, family, group = self.names(sex=sex)
        age = self.pick([(10, 3), (11, 4), (12, 6), (13, 10), (14, 14), (15, 16), (16, 15), (17, 12)])
        dob = self.date_of_birth(age)
        estimated = group == "middle_eastern" and self.chance(0.3)  # e.g. an age assessment pending
        if estimated:
            dob = date(dob.year, 1, 1)
        gender, gender_description = self.gender(sex)
        disability = self.pick([("yes", 10), ("no", 58), (NOT_KNOWN, 20), (NOT_ASKED, 12)])
        status, language = self.language(group, recorded_share=0.72)
        fields = {
            "kind": PersonKind.CHILD,
            "given_name": given,
            "family_name": family,
            "date_of_birth": dob,
            "date_of_birth_is_estimated": estimated,
            "estimated_age_years": None,
            "sex": sex,
            "gender": gender,
            "gender_description": gender_description,
            "ethnicity": self.ethnicity(group, unknown_share=0.22),
            "disability": disability,
            "disability_details": self.rng.choice(
                ["ADHD (diagnosed)", "Autism spectrum condition", "Hearing impairment", "Type 1 diabetes", "Epilepsy"]
            )
            if disability == "yes"
            else "",
            "learning_disability": self.pick([("yes", 5), ("no", 55), (NOT_KNOWN, 25), (NOT_ASKED, 15)]),
            "special_educational_needs": self.pick(
                [("ehc_plan", 6), ("sen_support", 17), ("none", 55), (NOT_KNOWN, 15), (NOT_ASKED, 7)]
            ),
            "first_language_status": status,
            "first_language": language,
            "looked_after_status": LookedAfterStatus.NOT_LOOKED_AFTER,
            "responsible_authority": None,
            "host_authority": None,
        }
        return fields, group

    def adult_fields(self, *, kind: str, male_share: float) -> dict:
        sex = self.sex(male_share=male_share)
        given, family, group = self.names(sex=sex)
        age = self.rng.randint(18, 45) if kind == PersonKind.ADULT_OF_CONCERN else self.rng.randint(30, 62)
        dob, estimated_age, estimated = self.date_of_birth(age), None, False
        if kind == PersonKind.ADULT_OF_CONCERN and self.chance(0.25):
            dob, estimated_age = None, age  # only an estimate: "early twenties"
        elif self.chance(0.1):
            dob, estimated = date(dob.year, 1, 1), True
        status, language = self.language(group, recorded_share=0.5)
        return {
            "kind": kind,
            "given_name": given,
            "family_name": family,
            "date_of_birth": dob,
            "date_of_birth_is_estimated": estimated,
            "estimated_age_years": estimated_age,
            "sex": sex,
            "gender": self.pick([("same_as_sex", 0.45), (NOT_KNOWN, 0.35), (NOT_ASKED, 0.2)])
            if sex not in (NOT_KNOWN, NOT_ASKED)
            else NOT_KNOWN,
            "gender_description": "",
            "ethnicity": self.ethnicity(group, unknown_share=0.35),
            "disability": self.pick([("no", 30), (NOT_KNOWN, 45), (NOT_ASKED, 25)]),
            "disability_details": "",
            "learning_disability": self.pick([("no", 20), (NOT_KNOWN, 50), (NOT_ASKED, 30)]),
            "special_educational_needs": self.pick([(NOT_KNOWN, 60), (NOT_ASKED, 40)]),
            "first_language_status": status,
            "first_language": language,
            "looked_after_status": self.pick([(LookedAfterStatus.NOT_LOOKED_AFTER, 70), (NOT_KNOWN, 30)]),
            "responsible_authority": None,
            "host_authority": None,
        }


# Who writes what: practitioners of each agency, the first being the usual author.
WRITERS = {
    "HBP": ["police.officer", "police.mispers", "police.ppu"],
    "NTH": ["nth.socialworker", "nth.socialworker2", "nth.mash"],
    "STH": ["sth.socialworker", "sth.socialworker2", "sth.mash"],
    "YOS": ["yos.worker"],
    "SAFE": ["rhi.worker", "rhi.worker2"],
}
TOWN_OF = {"NTH": "Northborough", "STH": "Southmere"}
HOMES_IN = {
    host: [slug for slug, _name, _provider, home_host, *_ in data.CARE_HOMES if home_host == host] for host in TOWN_OF
}
HOME_ADDRESS = {slug: (address, postcode) for slug, _n, _p, _h, address, postcode, _u in data.CARE_HOMES}

REASONS = {
    "police": "Joint child exploitation investigation: police need the placement history and missing episodes.",
    "rhi": "Return home interview after a missing episode, to be held within 72 hours of return.",
    "health": "Health assessment for a child known to children's services; the named nurse needs the contacts.",
    "school": "The designated safeguarding lead supports the safety plan in school.",
    "yos": "Joint work with the youth offending service on a voluntary intervention.",
    "police_child": "Child found during a missing episode; children's services to assess and plan.",
    "adult": "Associate of a child on the MACE list; social workers need to know of the association to "
    "safeguard the child.",
    "mace": "On the MACE agenda this month; the chair needs the record for the meeting.",
    "officer": "Officer in the case for a missing episode; needs the child's details and profile.",
}


class _Planner:
    def __init__(self, draw: _Draw):
        self.d = draw
        self.people: list[PersonPlan] = []
        self.counts = {PersonKind.CHILD: 0, PersonKind.ADULT_OF_CONCERN: 0, PersonKind.OTHER: 0}

    def _key(self, kind: str, story: str = "") -> str:
        self.counts[kind] += 1
        prefix = {PersonKind.CHILD: "child", PersonKind.ADULT_OF_CONCERN: "adult", PersonKind.OTHER: "other"}[kind]
        return story or f"{prefix}-{self.counts[kind]:03d}"

    # children -------------------------------------------------------------------------------

    def child(self, owner: str, *, story: str = "", creator: str | None = None) -> PersonPlan:
        d = self.d
        town = TOWN_OF.get(owner) or d.rng.choice(list(TOWN_OF.values()))
        authority = owner if owner in TOWN_OF else ("NTH" if town == "Northborough" else "STH")
        fields, _group = d.child_fields()
        creator = creator or d.pick(list(zip(WRITERS[owner], [5, 3, 2], strict=False)))
        plan = PersonPlan(
            key=self._key(PersonKind.CHILD, story), kind=PersonKind.CHILD, created_by=creator, fields=fields
        )
        given = fields["given_name"]
        if given in data.NICKNAMES and d.chance(0.5):
            plan.aliases.append((NameKind.NICKNAME, data.NICKNAMES[given], ""))
        if d.chance(0.06):
            plan.aliases.append((NameKind.PREVIOUS, given, d.rng.choice(data.HERITAGE["british"]["surnames"])))
        if owner in TOWN_OF:
            plan.identifiers.append(("council_case", d.council_case(owner)))
        if owner == "HBP" or d.chance(0.25):
            plan.identifiers.append(("police_ref", d.police_ref()))
        if d.chance(0.75 if owner in TOWN_OF else 0.4):
            plan.identifiers.append(("nhs_number", d.nhs_number()))
        if owner in TOWN_OF and d.chance(0.8):
            plan.identifiers.append(("upn", d.upn(authority, fields["date_of_birth"].year + 5)))
        moved_in = d.days_ago(400, 3000)
        plan.addresses.append(d.address(town, moved_in))
        for _ in range(d.rng.choice([0, 1, 1, 2, 3])):
            plan.notes.append((d.rng.choice(WRITERS[owner]), d.rng.choice(data.CHILD_NOTES).format(name=given)))
        self.people.append(plan)
        return plan

    def look_after(self, plan: PersonPlan, *, host: str, home: str | None = None, description: str = "") -> None:
        """Make the child looked after by the owning council and place them, in a home or otherwise."""
        d, responsible = self.d, _agency_of(plan.created_by)
        plan.fields.update(
            looked_after_status=LookedAfterStatus.LOOKED_AFTER, responsible_authority=responsible, host_authority=host
        )
        start = d.days_ago(20, 700)
        family_home = plan.addresses[-1]
        if family_home["from_date"] >= start:
            family_home["from_date"] = start - timedelta(days=d.rng.randint(200, 2000))
        family_home["to_date"] = start
        if home:
            d.home_residents[home] += 1
            address, postcode = HOME_ADDRESS[home]
            line_1, town = address.rsplit(", ", 1)
            plan.addresses.append(
                {
                    "line_1": line_1,
                    "line_2": "",
                    "town": town,
                    "postcode": postcode,
                    "from_date": start,
                    "to_date": None,
                }
            )
        plan.placements.append(
            {"care_home": home, "description": description, "placing_authority": responsible, "start_date": start}
        )

    def previous_home(self, plan: PersonPlan, home: str) -> None:
        """An earlier placement in a home that has ended: its staff no longer see the child."""
        current_start = min(p["start_date"] for p in plan.placements)
        end = current_start - timedelta(days=self.d.rng.randint(1, 30))
        start = end - timedelta(days=self.d.rng.randint(60, 400))
        plan.placements.append(
            {
                "care_home": home,
                "description": "",
                "placing_authority": _agency_of(plan.created_by),
                "start_date": start,
                "end_date": end,
            }
        )

    def free_home(self, host: str) -> str | None:
        homes = [h for h in HOMES_IN[host] if self.d.home_residents[h] < data.HOME_CAPACITY]
        return self.d.rng.choice(homes) if homes else None

    def foster(self, plan: PersonPlan) -> str:
        age = (self.d.today - plan.fields["date_of_birth"]).days // 365
        if age >= 16 and self.d.chance(0.4):
            return "Supported accommodation (16 and 17 year olds)"
        return self.d.pick(
            [
                ("Foster care (in-house)", 5),
                ("Foster care (independent fostering agency)", 4),
                ("Kinship care (connected person)", 2),
            ]
        )

    # adults and others ----------------------------------------------------------------------

    def adult(self, owner: str, *, story: str = "", creator: str | None = None) -> PersonPlan:
        d = self.d
        fields = d.adult_fields(kind=PersonKind.ADULT_OF_CONCERN, male_share=0.8)
        creator = creator or d.rng.choice(WRITERS[owner])
        plan = PersonPlan(
            key=self._key(PersonKind.ADULT_OF_CONCERN, story),
            kind=PersonKind.ADULT_OF_CONCERN,
            created_by=creator,
            fields=fields,
        )
        if d.chance(0.45):
            plan.aliases.append((NameKind.NICKNAME, d.rng.choice(data.STREET_NAMES), ""))
        if d.chance(0.2):
            plan.aliases.append(
                (NameKind.ALIAS, fields["given_name"], d.rng.choice(data.HERITAGE["british"]["surnames"]))
            )
        if owner == "HBP" and d.chance(0.85):
            plan.identifiers.append(("police_ref", d.police_ref()))
        if d.chance(0.5):
            plan.addresses.append(d.address(d.rng.choice(list(TOWN_OF.values())), d.days_ago(30, 1500)))
        for _ in range(d.rng.choice([1, 1, 2])):
            plan.notes.append((creator, d.rng.choice(data.ADULT_NOTES).format(name=fields["given_name"])))
        self.people.append(plan)
        return plan

    def other(self, owner: str) -> PersonPlan:
        d = self.d
        fields = d.adult_fields(kind=PersonKind.OTHER, male_share=0.4)
        plan = PersonPlan(
            key=self._key(PersonKind.OTHER),
            kind=PersonKind.OTHER,
            created_by=d.rng.choice(WRITERS[owner]),
            fields=fields,
        )
        plan.addresses.append(d.address(TOWN_OF[owner], d.days_ago(300, 4000)))
        plan.notes.append((plan.created_by, d.rng.choice(data.OTHER_NOTES)))
        self.people.append(plan)
        return plan


def _stories(p: _Planner) -> None:
    """One of each situation the policy must get right, so even a small area shows them all."""
    d = p.d
    # Northborough children placed out of area, in Southmere homes: both councils see them.
    c = p.child("NTH", story="nth-placed-willowhouse", creator="nth.socialworker2")
    p.look_after(c, host="STH", home="willowhouse")
    c.grants.append(GrantPlan(by="nth.socialworker2", agency="HBP", reason=REASONS["police"]))
    c.notes.append(("nth.socialworker2", data.CHILD_NOTES[4].format(name=c.fields["given_name"])))
    c = p.child("NTH", story="nth-placed-elmlodge", creator="nth.socialworker2")
    p.look_after(c, host="STH", home="elmlodge")
    p.previous_home(c, "cedarcourt")
    # A Northborough child in Northborough's own home.
    c = p.child("NTH", story="nth-placed-cedarcourt", creator="nth.socialworker2")
    p.look_after(c, host="NTH", home="cedarcourt")
    # Southmere children: one in a Southmere home, one who left Willow House for foster care.
    c = p.child("STH", story="sth-placed-harbourview", creator="sth.socialworker2")
    p.look_after(c, host="STH", home="harbourview")
    c = p.child("STH", story="sth-left-willowhouse", creator="sth.socialworker2")
    p.look_after(c, host="STH", description="Foster care (in-house)")
    p.previous_home(c, "willowhouse")
    # A Southmere child placed in Northborough: Northborough sees them as host authority.
    c = p.child("STH", story="sth-placed-cedarcourt", creator="sth.socialworker2")
    p.look_after(c, host="NTH", home="cedarcourt")
    # Shares to one officer, to the MACE chair and to a school; a share to the charity for an RHI.
    c = p.child("STH", story="sth-shared-officer", creator="sth.socialworker")
    c.grants.append(GrantPlan(by="sth.socialworker", user="police.officer", reason=REASONS["officer"], valid_days=60))
    c = p.child("STH", story="sth-shared-mace-school", creator="sth.socialworker")
    c.grants.append(GrantPlan(by="sth.socialworker", user="mace.chair", reason=REASONS["mace"]))
    c.grants.append(GrantPlan(by="sth.socialworker", agency="HLT", reason=REASONS["school"]))
    c = p.child("NTH", story="nth-shared-rhi", creator="nth.socialworker")
    c.grants.append(GrantPlan(by="nth.socialworker", agency="SAFE", reason=REASONS["rhi"], valid_days=30))
    # Allocated to the YOS team: they may write to it, so their worker adds a note and the YOS reference.
    c = p.child("NTH", story="nth-allocated-yos", creator="nth.socialworker")
    c.grants.append(
        GrantPlan(
            by="nth.socialworker", kind=GrantKind.ALLOCATION, team=("YOS", "Youth Justice Team"), reason=REASONS["yos"]
        )
    )
    c.notes.append(("yos.worker", data.CHILD_NOTES[8].format(name=c.fields["given_name"])))
    c.later_identifiers.append(("yos.worker", "yos_ref", d.yos_ref()))
    # Shared with health and still live; shared with health and since revoked.
    c = p.child("NTH", story="nth-shared-health", creator="nth.socialworker")
    c.grants.append(GrantPlan(by="nth.socialworker", agency="HNHS", reason=REASONS["health"]))
    c = p.child("NTH", story="nth-share-revoked", creator="nth.socialworker")
    c.grants.append(
        GrantPlan(
            by="nth.socialworker",
            agency="HNHS",
            reason=REASONS["health"],
            revoke_reason="Health assessment complete; access no longer needed.",
        )
    )
    # Restricted: only the social worker and the supervisor who restricted it may see it.
    c = p.child("NTH", story="nth-restricted", creator="nth.socialworker")
    c.restriction = RestrictionPlan(
        by="nth.supervisor",
        named=["nth.socialworker"],
        reason="A relative works in the council; access limited to the allocated worker and manager.",
    )
    # Plain records held by each council and by police.
    p.child("NTH", story="nth-plain", creator="nth.mash")
    p.child("STH", story="sth-plain", creator="sth.mash")
    p.child("HBP", story="police-child", creator="police.mispers")
    # Adults of concern: police-held (one shared with Northborough, one restricted), and others held by
    # a council and by the charity, which police analysts see but police officers do not.
    a = p.adult("HBP", story="police-adult-shared", creator="police.officer")
    a.aliases.append((NameKind.NICKNAME, "Ghost", ""))
    a.grants.append(GrantPlan(by="police.officer", agency="NTH", reason=REASONS["adult"]))
    a = p.adult("HBP", story="police-adult-restricted", creator="police.officer")
    a.restriction = RestrictionPlan(
        by="police.supervisor",
        named=["police.officer"],
        reason="Live covert investigation: access limited to the officer in the case and supervisor.",
    )
    p.adult("HBP", story="police-adult", creator="police.ppu")
    p.adult("NTH", story="nth-adult", creator="nth.socialworker")
    p.adult("SAFE", story="rhi-adult", creator="rhi.worker")


def _bulk_child(p: _Planner) -> None:
    d = p.d
    owner = d.pick([("NTH", 55), ("STH", 40), ("HBP", 5)])
    if owner == "HBP":
        c = p.child("HBP")
        if d.chance(0.5):
            authority = d.rng.choice(["NTH", "STH"])
            c.grants.append(GrantPlan(by=c.created_by, agency=authority, reason=REASONS["police_child"]))
        return
    looked_after = d.chance(0.3)
    c = p.child(owner, creator=f"{owner.lower()}.socialworker2" if looked_after else None)
    if looked_after:
        other = "STH" if owner == "NTH" else "NTH"
        where = d.pick(
            [("away_home", 45 if owner == "NTH" else 5), ("own_home", 20), ("foster", 30), ("away_foster", 5)]
        )
        home = None
        if where == "away_home":
            home = p.free_home(other)
        elif where == "own_home":
            home = p.free_home(owner)
        if home:
            host = "STH" if home in HOMES_IN["STH"] else "NTH"
            p.look_after(c, host=host, home=home)
        else:
            p.look_after(c, host=other if where == "away_foster" else owner, description=p.foster(c))
        if d.chance(0.2):
            p.previous_home(c, d.rng.choice([slug for slug, *_ in data.CARE_HOMES]))
    elif d.chance(0.03):
        c.fields["looked_after_status"] = NOT_KNOWN
    for chance, grant in (
        (0.12, GrantPlan(by=c.created_by, agency="HBP", reason=REASONS["police"])),
        (0.10, GrantPlan(by=c.created_by, agency="SAFE", reason=REASONS["rhi"], valid_days=30)),
        (0.05, GrantPlan(by=c.created_by, agency="HNHS", reason=REASONS["health"])),
        (0.06, GrantPlan(by=c.created_by, agency="HLT", reason=REASONS["school"])),
        (
            0.03,
            GrantPlan(
                by=c.created_by, kind=GrantKind.ALLOCATION, team=("YOS", "Youth Justice Team"), reason=REASONS["yos"]
            ),
        ),
    ):
        if d.chance(chance):
            c.grants.append(grant)


def plan_area(*, children: int = 200, seed: int = 1, today: date | None = None) -> AreaPlan:
    """Everything the demo area will hold, drawn from `seed`; no database access."""
    if children < MIN_CHILDREN:
        raise ValueError(f"The demo area needs at least {MIN_CHILDREN} children.")
    today = today or timezone.localdate()
    planner = _Planner(_Draw(seed, today))
    d = planner.d
    _stories(planner)
    while planner.counts[PersonKind.CHILD] < children:
        _bulk_child(planner)
    adults = max(children // 5, planner.counts[PersonKind.ADULT_OF_CONCERN])
    while planner.counts[PersonKind.ADULT_OF_CONCERN] < adults:
        owner = d.pick([("HBP", 85), ("NTH", 5), ("STH", 5), ("YOS", 3), ("SAFE", 2)])
        a = planner.adult(owner)
        if owner == "HBP" and d.chance(0.2):
            a.grants.append(GrantPlan(by=a.created_by, agency=d.rng.choice(["NTH", "STH"]), reason=REASONS["adult"]))
    for _ in range(max(2, children // 25)):
        planner.other(d.rng.choice(["NTH", "STH"]))
    return AreaPlan(seed=seed, children=children, today=today, people=planner.people, rng=d.rng)


# --- Writing it -----------------------------------------------------------------------------


@dataclass
class DemoArea:
    plan: AreaPlan
    agencies: dict[str, Agency]
    teams: dict[tuple[str, str], Team]
    users: dict[str, User]
    homes: dict[str, CareHome]
    people: dict[str, Person]  # by plan key, in the order created


def _create_users(agencies, teams, homes, password_hash: str, *, care_staff: bool) -> dict[str, User]:
    users = {}
    for username, first, last, role, agency, team, job_title, home in data.STAFF:
        if (role == Role.CARE_HOME_STAFF) != care_staff:
            continue
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@example.invalid",
            role=role,
            agency=agencies[agency],
            team=teams[(agency, team)] if team else None,
            care_home=homes[home] if home else None,
            job_title=job_title,
            password=password_hash,
        )
        user.full_clean(exclude=["password"])
        user.save()
        users[username] = user
    return users


def build_area(plan: AreaPlan, *, progress=None) -> DemoArea:
    """Write `plan` to the database. Call inside a transaction (seed_demo does)."""
    say = progress or (lambda message: None)
    agencies = {short: make_agency(kind=kind, name=name, short_name=short) for short, name, kind in data.AGENCIES}
    teams = {
        (short, name): make_team(agency=agencies[short], name=name)
        for short, names in data.TEAMS.items()
        for name in names
    }
    # One hash for the one shared demo password: hashing it fifty times would be most of the run.
    password_hash = make_password(DEMO_PASSWORD)
    users = _create_users(agencies, teams, {}, password_hash, care_staff=False)
    homes = {}
    for slug, name, provider, host, address, postcode, urn in data.CARE_HOMES:
        homes[slug] = CareHome.objects.create(
            name=name,
            provider=agencies[provider],
            host_authority=agencies[host],
            address=address,
            postcode=postcode,
            ofsted_urn=urn,
            police_liaison_officer=users[data.liaison_username(slug)],
        )
    users.update(_create_users(agencies, teams, homes, password_hash, care_staff=True))
    say(f"{len(agencies)} agencies, {len(teams)} teams, {len(homes)} care homes, {len(users)} users")

    callers = {username: Caller(user=user, client_ip=None) for username, user in users.items()}
    people = {}
    now = timezone.now()
    for plan_person in plan.people:
        caller = callers[plan_person.created_by]
        fields = dict(plan_person.fields)
        for name in ("responsible_authority", "host_authority"):
            fields[name] = agencies[fields[name]] if fields[name] else None
        person = services.person_create(caller=caller, **fields)
        for kind, given, family in plan_person.aliases:
            services.person_add_name(caller=caller, person=person, kind=kind, given_name=given, family_name=family)
        for scheme, value in plan_person.identifiers:
            services.person_add_identifier(caller=caller, person=person, scheme=scheme, value=value)
        for address in plan_person.addresses:
            services.person_add_address(caller=caller, person=person, **address)
        for placement in sorted(plan_person.placements, key=lambda p: p["start_date"]):
            services.person_add_placement(
                caller=caller,
                person=person,
                care_home=homes[placement["care_home"]] if placement["care_home"] else None,
                description=placement["description"],
                placing_authority=agencies[placement["placing_authority"]],
                start_date=placement["start_date"],
                end_date=placement.get("end_date"),
            )
        for g in plan_person.grants:
            grant = services.person_share(
                caller=callers[g.by],
                person=person,
                reason=g.reason,
                kind=g.kind,
                grantee_user=users[g.user] if g.user else None,
                grantee_team=teams[g.team] if g.team else None,
                grantee_agency=agencies[g.agency] if g.agency else None,
                valid_until=now + timedelta(days=g.valid_days) if g.valid_days else None,
            )
            if g.revoke_reason:
                services.grant_revoke(caller=callers[g.by], grant=grant, reason=g.revoke_reason)
        for author, text in plan_person.notes:
            services.note_create(caller=callers[author], person=person, text=text)
        for username, scheme, value in plan_person.later_identifiers:
            services.person_add_identifier(caller=callers[username], person=person, scheme=scheme, value=value)
        if plan_person.restriction:
            r = plan_person.restriction
            services.person_set_restricted(
                caller=callers[r.by],
                person=person,
                restricted=True,
                named_users=[users[u] for u in r.named],
                reason=r.reason,
            )
        people[plan_person.key] = person
    kinds = [p.kind for p in plan.people]
    say(
        f"{kinds.count(PersonKind.CHILD)} children, {kinds.count(PersonKind.ADULT_OF_CONCERN)} adults of concern, "
        f"{kinds.count(PersonKind.OTHER)} others"
    )
    return DemoArea(plan=plan, agencies=agencies, teams=teams, users=users, homes=homes, people=people)


@transaction.atomic
def seed_demo(*, children: int = 200, seed: int = 1, today: date | None = None, progress=None) -> DemoArea:
    """Plan and write the demo area in one transaction: all of it or none of it."""
    plan = plan_area(children=children, seed=seed, today=today)
    area = build_area(plan, progress=progress)
    seed_missing(area, rng=plan.rng, progress=progress)
    seed_evidence(area, rng=plan.rng, progress=progress)
    return area


# --- What each login sees -------------------------------------------------------------------


def describe_access(user: User) -> str:
    """In a few words, which person records this user may see (the policy decides; this explains)."""
    agency = user.agency
    if user.role == Role.ADMINISTRATOR:
        return f"no person records; manages {agency.short_name} users"
    if user.role == Role.AUDITOR:
        return f"no person records; reads the {agency.short_name} audit log"
    if user.role == Role.CARE_HOME_STAFF:
        return f"current residents of {user.care_home} only"
    if user.role not in CASEWORK_ROLES:
        return "nothing"
    parts = [f"{agency.short_name} records"]
    if agency.kind == AgencyKind.CHILDRENS_SOCIAL_CARE:
        parts.append("children other councils place here")
    if user.role == Role.ANALYST and agency.kind == AgencyKind.POLICE:
        parts.append("adults of concern from every agency")
    parts.append("what is shared with them")
    return ", ".join(parts)


def demo_logins() -> list[dict]:
    """The demo users with what each may see, for the table printed after seeding."""
    rows = []
    order = {s[0]: i for i, s in enumerate(data.STAFF)}
    users = User.objects.filter(username__in=order).select_related("agency", "care_home")
    for user in sorted(users, key=lambda u: order[u.username]):
        rows.append(
            {
                "username": user.username,
                "name": user.get_full_name(),
                "role": user.get_role_display(),
                "agency": user.agency.short_name,
                "sees": describe_access(user),
                "people": scope(user, Person.objects.all()).count(),
            }
        )
    return rows
