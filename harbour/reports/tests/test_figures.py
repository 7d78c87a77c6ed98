"""Each figure against a hand-counted fixture, Europe/London period boundaries, and the policy."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from harbour.access.models import GrantKind
from harbour.accounts.models import AgencyKind
from harbour.accounts.roles import Role
from harbour.audit.models import AuditEvent
from harbour.demo import factories as f
from harbour.missing.models import MissingEpisode, Place, PoliceProtection, ReturnHomeInterview, RiskGrading
from harbour.people.models import Person
from harbour.reports.figures import build_report, records_behind
from harbour.reports.periods import Period

pytestmark = pytest.mark.django_db

APRIL = Period(date(2026, 4, 1), date(2026, 5, 1))


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def episode(child, by, at, *, category="missing", closed=False, place=None, alone=False, grade=None):
    e = MissingEpisode.objects.create(
        child=child,
        owning_agency=child.owning_agency,
        reported_by_kind="care_home",
        reported_at=at,
        recorded_by=by,
        last_seen_at=at - timedelta(hours=1),
        last_seen_place="Outside",
        category=category,
        status="closed" if closed else "open",
        found_at=at + timedelta(hours=3) if closed else None,
        found_where=place,
        found_alone=alone,
    )
    if grade:
        RiskGrading.objects.create(episode=e, grade=grade, reason="Test", graded_by=by)
    return e


@pytest.fixture
def area(db):
    north = f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, name="North Council")
    south = f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, name="South Council")
    provider = f.make_agency(kind=AgencyKind.RETURN_INTERVIEW_PROVIDER, name="Safe Steps")
    sw = f.make_user(agency=north, username="sw")
    sup = f.make_user(agency=north, role=Role.SUPERVISOR, username="sup")
    analyst = f.make_user(agency=north, role=Role.ANALYST, username="analyst")
    chair = f.make_user(agency=north, role=Role.MACE_CHAIR, username="chair")
    south_sup = f.make_user(agency=south, role=Role.SUPERVISOR, username="south_sup")
    a = f.make_person(owning_agency=north, created_by=sw, sex="female", ethnicity="white_british", disability="no")
    b = f.make_person(owning_agency=north, created_by=sw, sex="male", ethnicity="not_asked", disability="not_known")
    c = f.make_person(owning_agency=north, created_by=sw)  # all not known
    hidden = f.make_person(owning_agency=north, created_by=sw, is_restricted=True, sex="female")
    place = Place.objects.create(name="Bus station")
    # Child a: 3 episodes in April -> repeat missing. The first is 23:30 UTC on 31 March = 00:30 BST 1 April.
    e1 = episode(a, sw, utc(2026, 3, 31, 23, 30), closed=True, place=place, alone=True, grade="high")
    episode(a, sw, utc(2026, 4, 10, 12), category="absent", grade="low")
    episode(a, sw, utc(2026, 4, 20, 12), grade="high")
    # Child b: one closed episode, where not recorded, would not say who with.
    e4 = episode(b, sw, utc(2026, 4, 5, 9), category="absent", closed=True)
    e4.found_with_not_said = True
    e4.save()
    # Child c: 22:59 UTC on 31 March = 23:59 BST, March: outside. 23:00 UTC 30 April = 00:00 BST 1 May: outside.
    episode(c, sw, utc(2026, 3, 31, 22, 59))
    episode(c, sw, utc(2026, 4, 30, 23, 0))
    # The restricted child: never counted for anyone not named.
    episode(hidden, sw, utc(2026, 4, 15, 12), grade="high")
    # Return interviews due in April: one held in time (provider), one late, one refused, one outstanding.
    due = utc(2026, 4, 4, 2, 30)
    ReturnHomeInterview.objects.create(
        episode=e1,
        child=a,
        provider=provider,
        returned_at=due - timedelta(hours=72),
        due_at=due,
        offered_at=due - timedelta(hours=70),
        held_at=due - timedelta(hours=1),
    )
    e2 = MissingEpisode.objects.filter(child=a).order_by("reported_at")[1]
    ReturnHomeInterview.objects.create(
        episode=e2,
        child=a,
        provider=provider,
        returned_at=utc(2026, 4, 11),
        due_at=utc(2026, 4, 14),
        offered_at=utc(2026, 4, 11, 5),
        held_at=utc(2026, 4, 15),
    )
    ReturnHomeInterview.objects.create(
        episode=e4,
        child=b,
        returned_at=utc(2026, 4, 6),
        due_at=utc(2026, 4, 9),
        offered_at=utc(2026, 4, 6, 9),
        response="refused",
    )
    e3 = MissingEpisode.objects.filter(child=a).order_by("reported_at")[2]
    ReturnHomeInterview.objects.create(
        episode=e3, child=a, provider=provider, returned_at=utc(2026, 4, 21), due_at=utc(2026, 4, 24)
    )
    # Police protection: one at a police station, handed over after 30 hours; one elsewhere, after 10.
    police_officer = f.make_user(agency=f.make_agency(kind=AgencyKind.POLICE), username="pc")
    for taken, hours, station in ((utc(2026, 4, 2, 10), 30, True), (utc(2026, 4, 3, 10), 10, False)):
        PoliceProtection.objects.create(
            child=a,
            owning_agency=north,
            taken_at=taken,
            taken_by=police_officer,
            grounds="Test",
            place_of_safety="Station" if station else "Foster home",
            place_is_police_station=station,
            outcome="released",
            handed_over_at=taken + timedelta(hours=hours),
        )
    return locals()


def test_missing_figures_hand_counted(area):
    r = build_report(area["sup"], APRIL)
    head = r.table("missing_headline")
    assert head.value("episodes") == 4  # a x3 (one at 00:30 BST on 1 April), b x1; c's two fall outside
    assert head.value("children") == 2
    assert head.value("repeat") == 1
    grades = r.table("missing_grade_category")
    assert grades.value("high", "missing") == 2 and grades.value("low", "absent") == 1
    assert grades.value("not_graded", "absent") == 1
    assert grades.suppressed.grand_total.value == 4
    closure = r.table("missing_closure")
    assert closure.value("where", "recorded") == 1 and closure.value("where", "not_recorded") == 1
    assert closure.value("with_whom", "recorded") == 1 and closure.value("with_whom", "not_said") == 1


def test_return_interview_and_police_protection_figures(area):
    r = build_report(area["sup"], APRIL)
    outcome = r.table("rhi_outcome")
    pid = str(area["provider"].pk)
    assert outcome.value(pid, "in_time") == 1 and outcome.value(pid, "late") == 1
    assert outcome.value(pid, "not_held") == 1 and outcome.value("none", "refused") == 1
    assert [label for _, label in outcome.rows] == ["Safe Steps", "No provider named"]
    assert r.table("rhi_offered").value(pid, "offered") == 2
    assert r.table("rhi_compliance").value("2026-04", "in_time") == 1
    assert r.table("pp_place").value("police_station") == 1
    hours = r.table("pp_hours")
    assert hours.value("under_24") == 1 and hours.value("h24_48") == 1


def test_victim_demographics_show_the_gap(area):
    r = build_report(area["sup"], APRIL)
    gap = r.table("victims_gap")
    assert gap.value("sex", "recorded") == 2
    assert gap.value("ethnicity", "recorded") == 1 and gap.value("ethnicity", "not_asked") == 1
    assert gap.value("disability", "not_known") == 1
    assert r.table("victims_ethnicity").value("white") == 1


def test_boundary_episode_belongs_to_april_not_march(area):
    march = Period(date(2026, 3, 1), date(2026, 4, 1))
    assert build_report(area["sup"], march).table("missing_headline").value("episodes") == 1  # c's 23:59 BST


def test_restricted_record_never_counted_unless_named(area):
    assert build_report(area["sup"], APRIL).table("missing_headline").value("episodes") == 4
    f.grant(area["hidden"], kind=GrantKind.NAMED, by=area["sup"], user=area["sup"])
    assert build_report(area["sup"], APRIL).table("missing_headline").value("episodes") == 5
    assert build_report(area["analyst"], APRIL).table("missing_headline").value("episodes") == 4


def test_partner_sees_figures_only_for_what_it_may_see(area):
    r = build_report(area["south_sup"], APRIL)
    assert all(v == 0 for t in r.tables for row in t.values for v in row)
    f.grant(area["b"], kind=GrantKind.SHARE, by=area["sw"], agency=area["south"])
    head = build_report(area["south_sup"], APRIL).table("missing_headline")
    assert head.value("episodes") == 1 and head.value("children") == 1


def test_drill_down_matches_the_figure(area):
    qs = records_behind(area["sup"], APRIL, "missing_grade_category", "high", "missing")
    assert qs.count() == 2
    assert records_behind(area["south_sup"], APRIL, "missing_grade_category", "high", "*").count() == 0


def test_screen_csv_print_and_drill_are_audited(client, area):
    client.force_login(area["sup"])
    q = {"start": "2026-04-01", "end": "2026-04-30"}
    page = client.get(reverse("reports:scrutiny"), q)
    assert page.status_code == 200
    body = page.content.decode()
    assert "fewer than 5" in body and "<svg" in body and "style=" not in body.split("<main")[1]
    assert area["a"].family_name not in body
    csv = client.get(reverse("reports:export", args=["csv"]), q)
    assert csv.status_code == 200 and "Suppression rule" in csv.content.decode()
    assert client.get(reverse("reports:print"), q).status_code == 200
    events = AuditEvent.objects.filter(object_type="reports.scrutiny")
    assert {e.action for e in events} == {"view", "export"}
    assert events.first().details["start"] == "2026-04-01" and "missing_headline" in events.first().details["figures"]
    url = reverse("reports:figure", args=["missing_headline", "episodes", "*"])
    drill = client.get(url, {"start": "2026-04-01", "end_exclusive": "2026-05-01"})
    assert drill.status_code == 200 and "4 records" in drill.content.decode()
    assert AuditEvent.objects.filter(details__list="figure_drill_down").count() == 1


def test_roles(client, area):
    q = {"start": "2026-04-01", "end": "2026-04-30"}
    client.force_login(area["sw"])
    assert client.get(reverse("reports:scrutiny"), q).status_code == 403
    client.force_login(area["chair"])
    page = client.get(reverse("reports:scrutiny"), q)
    assert page.status_code == 200 and "/figure/" not in page.content.decode()
    url = reverse("reports:figure", args=["missing_headline", "episodes", "*"])
    assert client.get(url, {"start": "2026-04-01", "end_exclusive": "2026-05-01"}).status_code == 403


def test_children_counted_once_can_be_drilled_into_and_the_page_names_the_cell(client, area):
    """'Children' counts the distinct children of the episodes: the drill lists those children."""
    report = build_report(area["sup"], APRIL, keys=["missing_category"])
    children = report.table("missing_category").value("missing", "children")
    people = records_behind(area["sup"], APRIL, "missing_category", "missing", "children")
    assert people.model is Person and people.count() == children > 0
    assert records_behind(area["south_sup"], APRIL, "missing_category", "missing", "children").count() == 0
    client.force_login(area["sup"])
    url = reverse("reports:figure", args=["missing_category", "missing", "children"])
    body = client.get(url, {"start": "2026-04-01", "end_exclusive": "2026-05-01"}).content.decode()
    assert "Category: Missing. Children." in body and f"{children} record" in body
