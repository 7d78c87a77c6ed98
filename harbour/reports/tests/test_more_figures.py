"""The figures added for issue 8, each against a hand-counted fixture (April 2026, Europe/London), the
manager role (counts, never sees), breakdowns, dashboards and the exports."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from harbour.access.models import GrantKind
from harbour.access.policy import Action, can, scope
from harbour.accounts.models import AgencyKind
from harbour.accounts.roles import Role
from harbour.audit.models import AuditEvent
from harbour.demo import factories as f
from harbour.disruption.models import Breach, DisruptionOrder
from harbour.graph.models import LinkType
from harbour.graph.services import link_ensure
from harbour.language.models import LanguageFinding
from harbour.mace.models import Action as MaceAction
from harbour.mace.models import Meeting
from harbour.missing.models import EpisodeAction, MissingEpisode, ReturnHomeInterview
from harbour.people.models import Note, Person, PersonKind
from harbour.reports.figures import build_report, records_behind
from harbour.reports.periods import Period
from harbour.risk.models import Assessment, IndicatorSet, Screening

pytestmark = pytest.mark.django_db

APRIL = Period(date(2026, 4, 1), date(2026, 5, 1))
Q_APRIL = {"start": "2026-04-01", "end": "2026-04-30"}


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def episode(child, by, at, *, category="missing"):
    return MissingEpisode.objects.create(
        child=child,
        owning_agency=child.owning_agency,
        reported_by_kind="care_home",
        reported_at=at,
        recorded_by=by,
        last_seen_at=at - timedelta(hours=1),
        last_seen_place="Outside",
        category=category,
    )


def risk(model, child, by, level, types, *, at, review_due=None, superseded_at=None, **extra):
    fields = {
        "child": child,
        "owning_agency": child.owning_agency,
        "indicator_set": IndicatorSet.objects.get(version="1"),
        "exploitation_types": types,
        "level": level,
        "rule_level": level,
        "score_level": level,
        "assessed_on": at.date(),
        "review_due": review_due,
        "superseded_at": superseded_at,
        "created_by": by,
        "created_at": at,
    }
    if model is Assessment:
        fields.update(status="signed_off", signed_off_at=at, signed_off_by=by)
    fields.update(extra)
    return model.objects.create(**fields)


@pytest.fixture
def area(db):
    north = f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, name="North Council")
    south = f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, name="South Council")
    provider = f.make_agency(kind=AgencyKind.CARE_PROVIDER, name="Oak Homes")
    team = f.make_team(agency=north, name="Complex Safeguarding")
    sw = f.make_user(agency=north, team=team, username="sw")
    sup = f.make_user(agency=north, team=team, role=Role.SUPERVISOR, username="sup")
    analyst = f.make_user(agency=north, role=Role.ANALYST, username="analyst")
    manager = f.make_user(agency=north, role=Role.MANAGER, username="manager")
    south_sup = f.make_user(agency=south, role=Role.SUPERVISOR, username="south_sup")
    home = f.make_care_home(provider=provider, host_authority=north)
    a = f.make_person(owning_agency=north, created_by=sw, owning_team=team, host_authority=north, sex="female")
    b = f.make_person(owning_agency=north, created_by=sw, sex="male", ethnicity="black_african", disability="yes")
    hidden = f.make_person(owning_agency=north, created_by=sw, is_restricted=True)
    f.place(a, care_home=home, placing_authority=north, start=date(2026, 1, 1))
    adult1 = f.make_person(
        owning_agency=north, created_by=sw, kind=PersonKind.ADULT_OF_CONCERN, sex="male", date_of_birth=date(1990, 1, 1)
    )
    adult2 = f.make_person(
        owning_agency=north,
        created_by=sw,
        kind=PersonKind.ADULT_OF_CONCERN,
        sex="male",
        ethnicity="white_british",
        disability="no",
        date_of_birth=date(1985, 1, 1),
    )

    # Missing: a has 2 episodes (field search; desk only), b one absent (no action), hidden one.
    e1 = episode(a, sw, utc(2026, 4, 2, 10))
    e2 = episode(a, sw, utc(2026, 4, 12, 10))
    e3 = episode(b, sw, utc(2026, 4, 20, 10), category="absent")
    episode(hidden, sw, utc(2026, 4, 21, 10))
    EpisodeAction.objects.create(episode=e1, kind="search", field_based=True, at=e1.reported_at, officer=sw, note="x")
    EpisodeAction.objects.create(episode=e1, kind="check", field_based=False, at=e1.reported_at, officer=sw, note="x")
    EpisodeAction.objects.create(episode=e2, kind="check", field_based=False, at=e2.reported_at, officer=sw, note="x")
    for e in (e1, e3):
        ReturnHomeInterview.objects.create(
            episode=e,
            child=e.child,
            returned_at=e.reported_at + timedelta(hours=5),
            due_at=e.reported_at + timedelta(hours=77),
            held_at=e.reported_at + timedelta(hours=30) if e is e1 else None,
        )

    # Exploitation, at the end of April: a serious (CSE, online) from an assessment, her earlier screening
    # superseded in April; b at risk (CCE), review overdue; a screening made in May does not count.
    risk(Screening, a, sw, "at_risk", ["cse"], at=utc(2026, 2, 1), superseded_at=utc(2026, 4, 10))
    risk(Assessment, a, sw, "serious", ["cse", "online"], at=utc(2026, 4, 10), review_due=date(2026, 7, 10))
    risk(Screening, b, sw, "at_risk", ["cce"], at=utc(2026, 1, 5), review_due=date(2026, 4, 5))
    risk(Screening, hidden, sw, "serious", ["cse"], at=utc(2026, 3, 1))
    late = f.make_person(owning_agency=north, created_by=sw)
    risk(Screening, late, sw, "significant", ["cse"], at=utc(2026, 5, 3))

    # Victims and perpetrators: a clique of a, b, adult1, adult2 (one group), dated in April.
    day = date(2026, 4, 15)
    for source, target, kind in (
        (a, adult1, LinkType.VICTIM_OF),
        (b, adult2, LinkType.FOUND_WITH),
        (a, adult2, LinkType.ASSOCIATE),
        (b, adult1, LinkType.ASSOCIATE),
        (a, b, LinkType.ASSOCIATE),
        (adult1, adult2, LinkType.ASSOCIATE),
    ):
        link_ensure(
            actor=sw,
            owning_agency_id=north.pk,
            source=source,
            target=target,
            link_type=kind,
            start_date=day,
            end_date=day,
        )

    # Disruption: an SRO granted in April (served), a CAWN being considered, recorded in April; one
    # breach in April and one in March.
    sro = DisruptionOrder.objects.create(
        tool="sro",
        subject_kind="person",
        subject_person=adult1,
        granted_on=date(2026, 4, 3),
        status="served",
        owning_agency=north,
        created_by=sw,
    )
    DisruptionOrder.objects.create(
        tool="cawn",
        subject_kind="person",
        subject_person=adult2,
        status="considered",
        owning_agency=north,
        created_by=sw,
        created_at=utc(2026, 4, 4),
    )
    Breach.objects.create(order=sro, occurred_on=date(2026, 4, 20), description="Contact", recorded_by=sw)
    Breach.objects.create(order=sro, occurred_on=date(2026, 3, 20), description="Contact", recorded_by=sw)

    # MACE: a meeting in April, three actions: done, overdue at the end of April, not yet due.
    meeting = Meeting.objects.create(
        title="April MACE", held_at=utc(2026, 4, 8, 9), owning_agency=north, created_by=sup
    )
    meeting.chairs.add(sup)
    meeting.agencies.add(north)
    for due, done in ((date(2026, 4, 20), True), (date(2026, 4, 22), False), (date(2026, 5, 20), False)):
        MaceAction.objects.create(
            meeting=meeting,
            description="Do it",
            owner=sw,
            owner_agency=north,
            due_on=due,
            status="done" if done else "open",
            done_at=utc(2026, 4, 19) if done else None,
            created_by=sup,
        )

    # Language: three notes in April by the team's social worker; 2 + 1 terms found.
    notes = [
        Note.objects.create(person=a, text="note", author=sw, author_agency=north, created_at=utc(2026, 4, d))
        for d in (3, 4, 5)
    ]
    note_type = ContentType.objects.get_for_model(Note)
    for note, n in ((notes[0], 2), (notes[1], 1)):
        for i in range(n):
            LanguageFinding.objects.create(
                content_type=note_type,
                object_id=str(note.pk),
                term_id=f"term{i}",
                category="victim_blaming",
                start=0,
                end=4,
                team=team,
                agency=north,
            )
    return locals()


def test_desk_only_and_missing_versus_absent(area):
    r = build_report(area["sup"], APRIL)
    search = r.table("missing_search")
    assert search.value("field", "missing") == 1
    assert search.value("desk_only", "missing") == 1
    assert search.value("no_action", "absent") == 1
    assert search.suppressed.grand_total.value == 3  # the restricted child's episode is not counted
    category = r.table("missing_category")
    assert category.value("missing", "episodes") == 2 and category.value("missing", "children") == 1
    assert category.value("absent", "episodes") == 1 and category.value("absent", "children") == 1
    assert r.table("missing_month").value("2026-04", "missing") == 2


def test_exploitation_at_the_end_of_the_period(area):
    r = build_report(area["sup"], APRIL)
    level = r.table("exploitation_level")
    assert level.value("serious") == 1 and level.value("at_risk") == 1 and level.value("significant") == 0
    types = r.table("exploitation_type")
    assert types.value("cse", "serious") == 1 and types.value("online", "serious") == 1
    assert types.value("cce", "at_risk") == 1 and types.value("cse", "at_risk") == 0  # a's screening was superseded
    assert types.rows[0] == ("cse", "Child sexual exploitation")  # CSE first, apart from the rest
    reviews = r.table("exploitation_reviews")
    assert reviews.value("screening", "overdue") == 1
    assert reviews.value("assessment", "in_date") == 1
    march = build_report(area["sup"], Period(date(2026, 3, 1), date(2026, 4, 1)))
    assert march.table("exploitation_level").value("at_risk") == 2  # a was at risk then, by her screening
    assert "kept apart from other child abuse" in march.sections[4].note


def test_victims_perpetrators_networks_and_their_demographics(area):
    r = build_report(area["sup"], APRIL)
    head = r.table("vp_headline")
    assert head.value("victims") == 2 and head.value("perpetrators") == 2
    assert head.value("groups") == 1 and head.value("group_children") == 2 and head.value("group_adults") == 2
    assert r.sentence == (
        "Fewer than 5 potential victims linked to fewer than 5 alleged perpetrators between 1 April 2026 and "
        "30 April 2026."
    )
    sex = r.table("vp_sex")
    assert sex.value("female", "victims") == 1 and sex.value("male", "victims") == 1
    assert sex.value("male", "perpetrators") == 2
    gap = r.table("vp_gap")
    assert gap.value("victims_ethnicity", "recorded") == 1 and gap.value("victims_ethnicity", "not_known") == 1
    assert gap.value("perpetrators_disability", "not_known") == 1
    assert r.table("vp_ethnicity").value("white", "perpetrators") == 1
    # Another council sees none of it.
    other = build_report(area["south_sup"], APRIL).table("vp_headline")
    assert other.value("victims") == 0 and other.value("groups") == 0


def test_disruption_mace_and_language(area):
    r = build_report(area["sup"], APRIL)
    orders = r.table("disruption_orders")
    assert orders.value("sro", "served") == 1 and orders.value("cawn", "considered") == 1
    assert r.table("disruption_breaches").value("sro") == 1  # March's breach is outside
    actions = r.table("mace_actions")
    north = str(area["north"].pk)
    assert actions.value(north, "done") == 1
    assert actions.value(north, "overdue") == 1
    assert actions.value(north, "open") == 1
    by_month = r.table("language_month")
    assert by_month.value("2026-04", "notes") == 3
    assert by_month.value("2026-04", "flagged") == 2
    assert by_month.value("2026-04", "terms") == 3
    by_team = r.table("language_team")
    assert by_team.rows == [(str(area["team"].pk), "Complex Safeguarding, " + area["north"].short_name)]
    line = next(by_team.lines())
    rate = line[2][-1][1]
    assert rate.suppressed  # 3 notes: the rate would give the small numbers away
    totals = dict((k, c) for k, c, _ in by_month.totals()[0])
    assert totals["notes"].display == "fewer than 5"


def test_rate_shown_when_its_counts_are(area):
    """Seven more notes, two with a term: 10 notes, 4 flagged (hidden), 5 terms, so 500.0 per 1,000 notes."""
    note_type = ContentType.objects.get_for_model(Note)
    for d in range(6, 13):
        note = Note.objects.create(
            person=area["a"], text="n", author=area["sw"], author_agency=area["north"], created_at=utc(2026, 4, d)
        )
        if d < 8:
            LanguageFinding.objects.create(
                content_type=note_type, object_id=str(note.pk), term_id="t", category="victim_blaming", start=0, end=1
            )
    table = build_report(area["sup"], APRIL).table("language_month")
    _, _, cells, _ = next(table.lines())
    shown = {k: c.display for k, c, _ in cells}
    assert shown == {"notes": "10", "flagged": "fewer than 5", "terms": "5", "per_1000": "500.0"}


def test_breakdowns_by_team_and_care_home(area):
    r = build_report(area["sup"], APRIL, breakdown="team")
    team = r.table("breakdown_team")
    tk = str(area["team"].pk)
    assert team.value(tk, "episodes") == 2 and team.value("none", "episodes") == 1
    assert team.value(tk, "children") == 1 and team.value(tk, "rhi_in_time") == 1
    assert team.value(tk, "at_risk") == 1 and team.value("none", "at_risk") == 1
    homes = build_report(area["sup"], APRIL, breakdown="care_home").table("breakdown_care_home")
    hk = str(area["home"].pk)
    assert homes.value(hk, "episodes") == 2 and homes.value("none", "episodes") == 1
    assert homes.value("none", "absent") == 1
    assert [label for _, label in homes.rows] == [area["home"].name, "Not in a care home"]
    area_table = build_report(area["sup"], APRIL, breakdown="area").table("breakdown_area")
    assert area_table.value(str(area["north"].pk), "episodes") == 2
    # Drilling into a breakdown cell lists the same records.
    assert records_behind(area["sup"], APRIL, "breakdown_care_home", hk, "episodes").count() == 2


def test_manager_counts_their_agency_and_sees_no_record(area, client):
    manager = area["manager"]
    assert not scope(manager, Person.objects.all(), Action.VIEW).exists()
    assert not can(manager, Action.VIEW, area["a"]) and not can(manager, Action.CHANGE, area["a"])
    assert scope(manager, Person.objects.all(), Action.COUNT).filter(pk=area["a"].pk).exists()
    # Named on the restricted record, a manager still neither sees nor counts it.
    f.grant(area["hidden"], kind=GrantKind.NAMED, by=area["sup"], user=manager)
    assert not can(manager, Action.VIEW, area["hidden"]) and not can(manager, Action.COUNT, area["hidden"])
    mine = build_report(manager, APRIL)
    sup = build_report(area["sup"], APRIL)
    assert [t.values for t in mine.tables] == [t.values for t in sup.tables]
    assert records_behind(manager, APRIL, "missing_headline", "episodes").count() == 0
    client.force_login(manager)
    page = client.get(reverse("reports:scrutiny"), Q_APRIL)
    assert page.status_code == 200 and "/figure/" not in page.content.decode()
    drill = reverse("reports:figure", args=["missing_headline", "episodes", "*"])
    assert client.get(drill, {"start": "2026-04-01", "end_exclusive": "2026-05-01"}).status_code == 403
    assert client.get(reverse("people:detail", args=[area["a"].pk])).status_code in (403, 404)


def test_dashboards_per_role(area, client):
    for user, title in (("sup", "Supervisor's dashboard"), ("manager", "Manager's dashboard"), ("analyst", "Analyst")):
        client.force_login(area[user])
        page = client.get(reverse("reports:dashboard"), Q_APRIL)
        body = page.content.decode()
        assert page.status_code == 200 and title.replace("'", "&#x27;") in body
        assert body.count("<svg") >= 5 and body.count('<table class="govuk-table harbour-report-chart-table"') >= 5
        assert "style=" not in body.split("<main")[1]
        assert area["a"].family_name not in body
    events = AuditEvent.objects.filter(object_type="reports.scrutiny", details__format="dashboard")
    assert {e.details["report"] for e in events} == {"supervisor dashboard", "manager dashboard", "analyst dashboard"}
    client.force_login(area["sw"])
    assert client.get(reverse("reports:dashboard"), Q_APRIL).status_code == 403


def test_dashboard_compliance_chart_draws_no_bar_for_hidden_numbers(area, client):
    client.force_login(area["sup"])
    body = client.get(reverse("reports:dashboard"), Q_APRIL).content.decode()
    chart = body.split('id="chart-rhi_compliance"')[1].split("</table>")[0]
    assert "hidden: small numbers" in chart and "Target 100%" in chart
    assert 'fill="#1d70b8"' not in chart.split("<table")[0]  # April's 2 interviews: no bar drawn


def test_breakdown_choice_is_validated(area, client):
    client.force_login(area["sup"])
    page = client.get(reverse("reports:scrutiny"), {**Q_APRIL, "breakdown": "postcode"})
    assert page.status_code == 200 and "Choose a breakdown from the list." in page.content.decode()
    page = client.get(reverse("reports:scrutiny"), {**Q_APRIL, "breakdown": "care_home"})
    assert "By care home the child lived in on the day" in page.content.decode()


def test_xlsx_export_is_aggregate_states_the_rule_and_is_audited(area, client):
    from openpyxl import load_workbook

    client.force_login(area["sup"])
    response = client.get(reverse("reports:export", args=["xlsx"]), {**Q_APRIL, "breakdown": "team"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "Read me"
    readme = "\n".join(str(c.value) for row in book["Read me"].iter_rows() for c in row if c.value)
    assert "fewer than 5" in readme and "Aggregate figures only" in readme
    everything = [c.value for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "fewer than 5" in everything
    assert not any(area["a"].family_name in str(v) for v in everything)
    missing = [c.value for row in book["Missing children"].iter_rows() for c in row]
    assert "Episodes by month" in missing
    assert AuditEvent.objects.filter(details__format="xlsx", action="export", details__breakdown="team").exists()


def test_pdf_export(area, client):
    pytest.importorskip("weasyprint")
    client.force_login(area["manager"])
    response = client.get(reverse("reports:export", args=["pdf"]), Q_APRIL)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="scrutiny-2026-04-01-2026-04-30.pdf"'
    assert AuditEvent.objects.filter(details__format="pdf", action="export").count() == 1
    client.force_login(area["sw"])
    assert client.get(reverse("reports:export", args=["pdf"]), Q_APRIL).status_code == 403


def test_a_restricted_record_never_moves_any_figure_for_someone_not_named(area):
    """Everything about a new restricted child (episodes, interviews, risk, links, notes) leaves every
    table of the analyst's and the manager's report exactly as it was; the named supervisor sees it."""
    before = {who: build_report(area[who], APRIL, breakdown="team") for who in ("analyst", "manager", "sup")}
    sw, north = area["sw"], area["north"]
    secret = f.make_person(owning_agency=north, created_by=sw, is_restricted=True, owning_team=area["team"])
    f.grant(secret, kind=GrantKind.NAMED, by=area["sup"], user=area["sup"])
    e = episode(secret, sw, utc(2026, 4, 9, 10), category="absent")
    EpisodeAction.objects.create(episode=e, kind="search", field_based=False, at=e.reported_at, officer=sw, note="x")
    ReturnHomeInterview.objects.create(
        episode=e, child=secret, returned_at=e.reported_at, due_at=e.reported_at + timedelta(hours=72)
    )
    risk(Screening, secret, sw, "serious", ["cce"], at=utc(2026, 4, 2))
    link_ensure(
        actor=sw,
        owning_agency_id=north.pk,
        source=secret,
        target=area["adult1"],
        link_type=LinkType.VICTIM_OF,
        start_date=date(2026, 4, 9),
        end_date=date(2026, 4, 9),
    )
    Note.objects.create(person=secret, text="note", author=sw, author_agency=north, created_at=utc(2026, 4, 9))
    for who in ("analyst", "manager"):
        after = build_report(area[who], APRIL, breakdown="team")
        assert [(t.key, t.values) for t in after.tables] == [(t.key, t.values) for t in before[who].tables], who
    named = build_report(area["sup"], APRIL, breakdown="team")
    changed = {t.key for t, b in zip(named.tables, before["sup"].tables, strict=True) if t.values != b.values}
    assert {"missing_headline", "missing_search", "exploitation_level", "vp_headline", "language_month"} <= changed
