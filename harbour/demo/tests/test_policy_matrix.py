"""The access policy over a whole seeded area: every demo user, every record.

Three layers of evidence:
1. Written expectations, in words a practitioner would use ("Southmere sees the children Northborough
   placed in Southmere homes, and no other Northborough child").
2. An independent statement of the rules in plain Python, checked against `policy.scope` for every user
   and every record.
3. The screens: a person's page answers 200 exactly when `policy.can` says so and 404 otherwise, with
   nothing of the hidden person in the 404; a name search lists exactly the visible matches.

The area is seeded once for the class (`setUpTestData`) and rolled back afterwards.
"""

import html
import re

from django.contrib.contenttypes.models import ContentType
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from harbour.access.models import AccessGrant, GrantKind
from harbour.access.policy import can, scope
from harbour.accounts.models import AgencyKind, User
from harbour.accounts.roles import CASEWORK_ROLES, Role
from harbour.demo import seed
from harbour.people.models import Person, PersonKind, PersonName, Placement
from harbour.people.names import normalise, phonetic, tokens

CHILDREN, SEED = 30, 7

# Records every story in the seed creates, and what each is.
NTH_OWN = {"nth-placed-cedarcourt", "nth-plain", "nth-shared-rhi", "nth-allocated-yos", "nth-shared-health"}
NTH_PLACED_IN_SOUTHMERE = {"nth-placed-willowhouse", "nth-placed-elmlodge"}
STH_OWN = {"sth-plain", "sth-placed-harbourview", "sth-left-willowhouse", "sth-shared-officer"}
STH_PLACED_IN_NORTHBOROUGH = {"sth-placed-cedarcourt"}
POLICE_HELD = {"police-child", "police-adult", "police-adult-shared"}


def _expected(user, person, grants, placements, today) -> bool:
    """The access rules as written in docs/decisions/0001, restated independently of the policy code."""
    if not user.is_active or user.role in (Role.ADMINISTRATOR, Role.AUDITOR, Role.MANAGER):
        return False
    mine = grants.get(person.pk, [])
    named = any(g.kind == GrantKind.NAMED and g.grantee_user_id == user.pk for g in mine)
    if user.role == Role.CARE_HOME_STAFF:
        resident = any(
            p.care_home_id == user.care_home_id
            and p.start_date <= today
            and (p.end_date is None or p.end_date >= today)
            for p in placements.get(person.pk, [])
        )
        return resident and (named or not person.is_restricted)
    if person.is_restricted:
        return named
    if person.owning_agency_id == user.agency_id:
        return True
    for g in mine:
        if g.kind == GrantKind.NAMED:
            continue
        if g.grantee_user_id == user.pk:
            return True
        if g.kind != GrantKind.BREAK_GLASS and (
            (g.grantee_team_id and g.grantee_team_id == user.team_id) or g.grantee_agency_id == user.agency_id
        ):
            return True
    return (
        user.role == Role.ANALYST
        and user.agency.kind == AgencyKind.POLICE
        and person.kind == PersonKind.ADULT_OF_CONCERN
    )


def _expected_count(user, person, grants) -> bool:
    """Whom a manager counts (ADR 0012): what an unnamed case worker of their agency and team sees."""
    if not user.is_active or person.is_restricted:
        return False
    if person.owning_agency_id == user.agency_id:
        return True
    return any(
        g.kind in (GrantKind.ALLOCATION, GrantKind.SHARE)
        and ((g.grantee_team_id and g.grantee_team_id == user.team_id) or g.grantee_agency_id == user.agency_id)
        for g in grants.get(person.pk, [])
    )


# People whose pages every user requests: one of each story, and a few records from the bulk.
SAMPLE = [
    "nth-placed-willowhouse",
    "nth-placed-elmlodge",
    "sth-left-willowhouse",
    "sth-placed-cedarcourt",
    "sth-shared-officer",
    "nth-allocated-yos",
    "nth-shared-rhi",
    "nth-share-revoked",
    "nth-restricted",
    "police-child",
    "police-adult-restricted",
    "nth-adult",
    "rhi-adult",
]


def _mentions(body: str, text: str) -> bool:
    return re.search(rf"(?<![A-Za-z]){re.escape(text)}(?![A-Za-z])", body) is not None


class PolicyMatrix(TestCase):
    @classmethod
    def setUpTestData(cls):
        area = seed.seed_demo(children=CHILDREN, seed=SEED)
        cls.today = area.plan.today
        cls.plan_names = [p.full_name for p in area.plan.people]
        cls.user_ids = {username: user.pk for username, user in area.users.items()}
        cls.person_ids = {key: person.pk for key, person in area.people.items()}

    def setUp(self):
        self.users = {u.username: u for u in User.objects.select_related("agency", "team", "care_home")}
        self.key_of = {pk: key for key, pk in self.person_ids.items()}

    def visible(self, username: str) -> set[str]:
        """Keys of the records the policy lets this user see."""
        pks = scope(self.users[username], Person.objects.all()).values_list("pk", flat=True)
        return {self.key_of[pk] for pk in pks}

    def keys(self, **filters) -> set[str]:
        return {self.key_of[pk] for pk in Person.objects.filter(**filters).values_list("pk", flat=True)}

    def live_grant_keys(self, **grantee) -> set[str]:
        grants = AccessGrant.objects.live().filter(
            content_type=ContentType.objects.get_for_model(Person), kind__in=[GrantKind.SHARE, GrantKind.ALLOCATION]
        )
        return {self.key_of[g.object_id] for g in grants.filter(**grantee)}

    # 1. What each kind of user should see, stated outright.

    def test_northborough_sees_its_children_including_those_placed_in_southmere_but_not_southmere_children(self):
        for username in ("nth.socialworker", "nth.socialworker2", "nth.mash", "nth.supervisor", "nth.analyst"):
            seen = self.visible(username)
            assert NTH_OWN | NTH_PLACED_IN_SOUTHMERE | {"nth-adult", "police-adult-shared"} <= seen, username
            # A Southmere child placed in a Northborough home: Northborough is the host authority.
            assert seen >= STH_PLACED_IN_NORTHBOROUGH, username
            assert not seen & (STH_OWN | {"sth-shared-mace-school", "police-child", "police-adult", "rhi-adult"})
            # Every unrestricted Northborough record, and of Southmere's only children hosted in Northborough.
            nth = self.users[username].agency
            assert self.keys(owning_agency=nth, is_restricted=False) <= seen
            for key in seen & self.keys(owning_agency__short_name="STH"):
                assert Person.objects.get(pk=self.person_ids[key]).host_authority == nth, key

    def test_southmere_sees_its_children_and_northborough_children_placed_in_southmere_only(self):
        for username in ("sth.socialworker", "sth.socialworker2", "sth.mash", "sth.supervisor", "sth.analyst"):
            seen = self.visible(username)
            assert STH_OWN | {"sth-shared-mace-school"} | NTH_PLACED_IN_SOUTHMERE <= seen, username
            assert not seen & (NTH_OWN | {"nth-restricted", "nth-adult", "police-child", "police-adult"}), username
            sth = self.users[username].agency
            for key in seen & self.keys(owning_agency__short_name="NTH"):
                person = Person.objects.get(pk=self.person_ids[key])
                assert person.host_authority == sth and person.responsible_authority.short_name == "NTH", key
            for key in seen & self.keys(owning_agency__short_name="HBP"):
                assert key in self.live_grant_keys(grantee_agency=sth), key

    def test_care_home_staff_see_only_the_current_residents_of_their_home(self):
        today = timezone.localdate()
        for username in (
            "care.willowhouse",
            "care.willowhouse2",
            "care.harbourview",
            "care.elmlodge",
            "care.cedarcourt",
        ):
            home = self.users[username].care_home
            residents = {
                self.key_of[pk]
                for pk in Placement.objects.filter(
                    care_home=home, start_date__lte=today, end_date__isnull=True
                ).values_list("person_id", flat=True)
            }
            assert residents, f"{home} should have residents in the demo"
            assert self.visible(username) == residents, username
        assert "nth-placed-willowhouse" in self.visible("care.willowhouse")
        assert "sth-left-willowhouse" not in self.visible("care.willowhouse")  # moved on to foster care
        assert {"nth-placed-cedarcourt", "sth-placed-cedarcourt"} <= self.visible("care.cedarcourt")
        assert "nth-placed-elmlodge" not in self.visible("care.cedarcourt")  # an earlier placement, now ended
        assert "nth-placed-elmlodge" in self.visible("care.elmlodge")
        assert "sth-placed-harbourview" in self.visible("care.harbourview")

    def test_police_see_police_held_records_and_what_is_shared_with_police(self):
        shared_with_police = self.live_grant_keys(grantee_agency__short_name="HBP")
        for username, user in self.users.items():
            if user.agency.short_name != "HBP" or user.role not in CASEWORK_ROLES:
                continue
            seen = self.visible(username)
            assert POLICE_HELD | {"nth-placed-willowhouse"} <= seen, username
            assert not seen & {"nth-plain", "sth-plain", "nth-restricted", "nth-shared-rhi"}, username
            for key in seen - self.keys(owning_agency__short_name="HBP"):
                by_route = key in shared_with_police or key in self.live_grant_keys(grantee_user=user)
                if user.role == Role.ANALYST:
                    by_route |= key in self.keys(kind=PersonKind.ADULT_OF_CONCERN)
                assert by_route, (username, key)
        # A share to one officer reaches that officer only.
        assert "sth-shared-officer" in self.visible("police.officer")
        assert "sth-shared-officer" not in self.visible("police.supervisor")
        assert "sth-shared-officer" not in self.visible("police.mispers")

    def test_police_analyst_sees_adults_of_concern_from_any_agency_but_not_other_agencies_children(self):
        seen = self.visible("police.analyst")
        adults = self.keys(kind=PersonKind.ADULT_OF_CONCERN, is_restricted=False)
        assert {"nth-adult", "rhi-adult"} <= adults <= seen
        assert not {"nth-adult", "rhi-adult"} & self.visible("police.officer")
        children = seen & self.keys(kind=PersonKind.CHILD)
        assert children <= self.keys(owning_agency__short_name="HBP") | self.live_grant_keys(
            grantee_agency__short_name="HBP"
        )
        # Analysts elsewhere have no such route.
        assert "rhi-adult" not in self.visible("nth.analyst")

    def test_partners_see_only_what_is_shared_or_allocated_to_them(self):
        yos_team = self.live_grant_keys(grantee_team__name="Youth Justice Team")
        assert "nth-allocated-yos" in yos_team
        for username in ("yos.worker", "yos.supervisor"):
            assert self.visible(username) == yos_team | self.keys(owning_agency__short_name="YOS"), username
        for username in ("rhi.worker", "rhi.worker2", "rhi.supervisor"):
            seen = self.visible(username)
            assert {"nth-shared-rhi", "rhi-adult"} <= seen and "nth-plain" not in seen, username
            assert seen == self.live_grant_keys(grantee_agency__short_name="SAFE") | self.keys(
                owning_agency__short_name="SAFE"
            )
        for username in ("health.nurse", "health.supervisor"):
            seen = self.visible(username)
            assert "nth-shared-health" in seen, username
            assert "nth-share-revoked" not in seen, "a revoked share must give nothing"
            assert seen == self.live_grant_keys(grantee_agency__short_name="HNHS")
        for username in ("school.dsl", "school.dsl2"):
            seen = self.visible(username)
            assert "sth-shared-mace-school" in seen and "sth-plain" not in seen, username
            assert seen == self.live_grant_keys(grantee_agency__short_name="HLT")

    def test_mace_chairs_see_their_agency_and_what_is_shared_with_them(self):
        chair = self.visible("mace.chair")
        assert NTH_OWN | {"sth-shared-mace-school"} <= chair
        assert "nth-restricted" not in chair and "sth-plain" not in chair
        cochair = self.visible("mace.cochair")
        assert cochair >= POLICE_HELD and "sth-shared-mace-school" not in cochair

    def test_administrators_auditors_and_managers_see_no_person_records(self):
        people = list(Person.objects.all()[:5])
        for username, user in self.users.items():
            if user.role in (Role.ADMINISTRATOR, Role.AUDITOR, Role.MANAGER):
                assert self.visible(username) == set(), username
                assert not any(can(user, "view", person) for person in people), username

    def test_restricted_records_are_seen_only_by_the_named_users(self):
        who_sees = {key: {u for u in self.users if key in self.visible(u)} for key in ("nth-restricted",)}
        assert who_sees["nth-restricted"] == {"nth.socialworker", "nth.supervisor"}
        police_restricted = {u for u in self.users if "police-adult-restricted" in self.visible(u)}
        # Not even the police analyst's route to adults of concern reaches a restricted record.
        assert police_restricted == {"police.officer", "police.supervisor"}

    # 2. The policy against the rules restated independently.

    def test_every_user_sees_exactly_what_the_rules_allow(self):
        grants, placements = {}, {}
        for g in AccessGrant.objects.live().filter(content_type=ContentType.objects.get_for_model(Person)):
            grants.setdefault(g.object_id, []).append(g)
        for p in Placement.objects.all():
            placements.setdefault(p.person_id, []).append(p)
        people = list(Person.objects.all())
        today = timezone.localdate()
        mismatches = []
        for username, user in self.users.items():
            expected = {self.key_of[p.pk] for p in people if _expected(user, p, grants, placements, today)}
            actual = self.visible(username)
            if expected != actual:
                mismatches.append((username, sorted(expected - actual), sorted(actual - expected)))
        assert not mismatches, mismatches
        assert len(self.users) >= 45

    def test_figures_count_what_the_rules_allow(self):
        """COUNT: a case worker counts what they see; a manager their agency's unrestricted records."""
        grants = {}
        for g in AccessGrant.objects.live().filter(content_type=ContentType.objects.get_for_model(Person)):
            grants.setdefault(g.object_id, []).append(g)
        people = list(Person.objects.all())
        managers = 0
        for username, user in self.users.items():
            counted = {
                self.key_of[pk] for pk in scope(user, Person.objects.all(), "count").values_list("pk", flat=True)
            }
            if user.role == Role.MANAGER:
                managers += 1
                expected = {self.key_of[p.pk] for p in people if _expected_count(user, p, grants)}
                assert counted == expected and counted, username
                assert "nth-restricted" not in counted and "police-adult-restricted" not in counted
            elif user.role in CASEWORK_ROLES:
                assert counted == self.visible(username), username
            else:
                assert counted == set(), username
        assert managers == 3

    # 3. The screens against the policy.

    def test_person_page_is_200_exactly_when_the_policy_allows_and_404_reveals_nothing(self):
        people = Person.objects.prefetch_related("identifiers")
        sample = [people.get(pk=self.person_ids[key]) for key in SAMPLE]
        sample += list(people.filter(kind=PersonKind.CHILD, pk__gt=max(self.person_ids[k] for k in SAMPLE))[:1])
        problems = []
        seen_200 = seen_404 = 0
        for username, user in self.users.items():
            self.client.force_login(user)
            for person in sample:
                allowed = can(user, "view", person)
                response = self.client.get(reverse("people:detail", args=[person.pk]))
                if response.status_code != (200 if allowed else 404):
                    problems.append((username, self.key_of[person.pk], allowed, response.status_code))
                    continue
                body = html.unescape(response.content.decode())
                if allowed:
                    seen_200 += 1
                    if person.family_name not in body:
                        problems.append((username, self.key_of[person.pk], "page does not show the person"))
                    continue
                seen_404 += 1
                leaked = [person.full_name] if _mentions(body, person.full_name) else []
                leaked += [person.family_name] if _mentions(body, person.family_name) else []
                leaked += [i.value for i in person.identifiers.all() if i.value in body]
                if leaked:
                    problems.append((username, self.key_of[person.pk], "404 mentions", leaked))
        assert not problems, problems
        assert seen_200 > 100 and seen_404 > 300

    def test_name_search_lists_exactly_the_visible_matches(self):
        names = {
            Person.objects.get(pk=self.person_ids[key]).family_name
            for key in ("nth-placed-willowhouse", "sth-plain", "nth-restricted", "police-adult-restricted", "rhi-adult")
        }
        all_names = list(PersonName.objects.all())
        problems = []
        for family_name in sorted(names):
            query = tokens(family_name)
            # Search's documented matching: every part of the query starts, or sounds like, a part of some name.
            matching = {
                n.person_id
                for n in all_names
                if all(
                    n.given_norm.startswith(t)
                    or n.family_norm.startswith(t)
                    or phonetic(t) in (n.given_key, n.family_key)
                    for t in query
                )
            }
            assert matching, family_name
            for username, user in self.users.items():
                self.client.force_login(user)
                response = self.client.get(reverse("people:search"), {"name": family_name})
                assert response.status_code == 200
                body = html.unescape(response.content.decode())
                listed = {int(pk) for pk in re.findall(r'href="/people/(\d+)/"', body)}
                expected = {pk for pk in matching if can(user, "view", Person.objects.get(pk=pk))}
                if listed != expected:
                    problems.append((username, family_name, sorted(expected - listed), sorted(listed - expected)))
                for pk in matching - expected:
                    hidden = Person.objects.get(pk=pk)
                    if _mentions(body, hidden.full_name):
                        problems.append((username, family_name, "lists hidden", hidden.full_name))
        assert not problems, problems
        assert normalise("O'Brien") == "obrien"  # the query normalisation the expectation relies on

    # 4. The API against the policy: the same answers by id, list and search.

    def test_api_answers_exactly_as_the_policy_allows_by_id_list_and_search(self):
        from rest_framework.test import APIClient

        api = APIClient()
        people = Person.objects.prefetch_related("identifiers")
        sample = [people.get(pk=self.person_ids[key]) for key in SAMPLE]
        family_name = Person.objects.get(pk=self.person_ids["nth-placed-willowhouse"]).family_name
        problems = []
        for username, user in self.users.items():
            api.force_authenticate(user)
            for person in sample:
                allowed = can(user, "view", person)
                response = api.get(f"/api/v1/people/{person.pk}/")
                if response.status_code != (200 if allowed else 404):
                    problems.append((username, self.key_of[person.pk], allowed, response.status_code))
                elif not allowed and (person.family_name in response.content.decode()):
                    problems.append((username, self.key_of[person.pk], "404 body names the person"))
            listed = set()
            url = "/api/v1/people/?limit=200"
            while url:
                page = api.get(url).json()
                listed |= {row["id"] for row in page["results"]}
                url = page.get("next")
            expected = set(scope(user, Person.objects.all()).values_list("pk", flat=True))
            if listed != expected:
                problems.append((username, "list", sorted(expected - listed)[:5], sorted(listed - expected)[:5]))
            found = {row["id"] for row in api.get("/api/v1/people/", {"name": family_name}).json()["results"]}
            if not found <= expected:
                problems.append((username, "search lists hidden", sorted(found - expected)))
        assert not problems, problems

    # The same seed, the same area.

    def test_the_same_seed_gives_the_same_area_and_another_seed_a_different_one(self):
        first = seed.plan_area(children=CHILDREN, seed=SEED, today=self.today)
        again = seed.plan_area(children=CHILDREN, seed=SEED, today=self.today)
        assert first == again
        assert [p.full_name for p in first.people] == self.plan_names
        other = seed.plan_area(children=CHILDREN, seed=SEED + 1, today=self.today)
        assert [p.full_name for p in other.people] != self.plan_names
        # The database holds the plan's people in the plan's order.
        stored = [f"{g} {f}" for g, f in Person.objects.order_by("id").values_list("given_name", "family_name")]
        assert stored == self.plan_names
