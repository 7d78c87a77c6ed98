"""Scrutiny report benchmark: the full report (every figure, suppression applied) on a generated area.

Target: 50,000 children and 500,000 missing episodes (--scale 1.0), with the records every figure
reads: search actions, risk grades, return interviews, police protection, care-home placements,
exploitation screenings and assessments, links between children and adults of concern, disruption
orders and breaches, MACE actions, case notes with language findings. Rows go straight into the
tables (executemany on SQLite, COPY on PostgreSQL; no services, no audit: this is a bench database,
not the app's data path), in a throw-away SQLite database unless DATABASE_URL names one (which must
be empty: the bench migrates it and fills it).

The report is then built, and exported as CSV, XLSX and PDF, for a supervisor of the owning council
(who may see everything unrestricted), the council's manager (aggregate only, ADR 0012) and a partner
agency with a share of 1% of the children; each is timed and printed.

    .venv/bin/python bench/scrutiny_report.py --scale 1.0
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/harbour_reports_bench .venv/bin/python bench/scrutiny_report.py

Measured on the 2-core development machine (7 December 2026), financial year 2025-26, breakdown by care home:
- SQLite: data generated in 71 s; full report 15.2 s (supervisor), 17.0 s (manager), 2.2 s (partner);
  dashboards 3.8 s / 3.0 s; XLSX 0.1 s, PDF 1.9 s.
- PostgreSQL 15: data generated in 50 s; full report 11.1 s (supervisor and manager), 5.4 s (partner);
  dashboards 1.8 s / 1.4 s; XLSX 0.1 s, PDF 1.8 s.
Before the query work (JIT off, one query per source, non-correlated scopes) the same report took 64 s on
PostgreSQL and 22 to 41 s on SQLite; generating the data with the ORM took over 10 minutes.
"""

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CHILDREN, EPISODES = 50_000, 500_000
START = datetime(2024, 4, 1, tzinfo=UTC)
SPAN_SECONDS = int(timedelta(days=730).total_seconds())
YEAR = (date(2025, 4, 1), date(2026, 4, 1))  # the financial year reported on


def configure() -> str | None:
    tmp = None
    if not os.environ.get("DATABASE_URL"):
        tmp = tempfile.mkdtemp(prefix="harbour-bench-", dir="/tmp")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ["HARBOUR_VAR_DIR"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings.local")
    import django

    django.setup()
    return tmp


class Loader:
    """Inserts plain rows into a model's table, ids chosen here (so nothing is read back)."""

    def __init__(self):
        from django.db import connection

        self.connection = connection
        self.next_ids: dict[str, int] = {}

    def ids(self, model, n: int) -> range:
        table = model._meta.db_table
        first = self.next_ids.get(table)
        if first is None:
            from django.db.models import Max

            first = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        self.next_ids[table] = first + n
        return range(first, first + n)

    def insert(self, model, fields: list[str], rows) -> int:
        """Rows give `fields` in order; every other column gets its default (or "" / NULL), once."""
        meta = model._meta
        named = {meta.get_field(f).column for f in fields}
        rest = [
            f
            for f in meta.concrete_fields
            if f.column not in named and not f.primary_key and (f.has_default() or f.null or not f.is_relation)
        ]
        extra = [f.get_default() if f.has_default() else (None if f.null else "") for f in rest]
        columns = [meta.get_field(f).column for f in fields] + [f.column for f in rest]
        kinds = [meta.get_field(f).get_internal_type() for f in fields] + [f.get_internal_type() for f in rest]
        rows = ((*row, *extra) for row in rows)
        ops = self.connection.ops

        def adapt(value, kind):
            if value is None:
                return None
            if kind == "DateTimeField":
                return ops.adapt_datetimefield_value(value)
            if kind == "DateField":
                return ops.adapt_datefield_value(value)
            if kind == "JSONField":
                return json.dumps(value)
            return value

        quoted = ", ".join(f'"{c}"' for c in columns)
        count = 0
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                sql = f'COPY "{meta.db_table}" ({quoted}) FROM STDIN'
                with cursor.cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row([adapt(v, k) for v, k in zip(row, kinds, strict=True)])
                        count += 1
            else:
                sql = f'INSERT INTO "{meta.db_table}" ({quoted}) VALUES ({", ".join(["%s"] * len(columns))})'
                batch = []
                for row in rows:
                    batch.append([adapt(v, k) for v, k in zip(row, kinds, strict=True)])
                    if len(batch) == 20_000:
                        cursor.executemany(sql, batch)
                        count += len(batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
                    count += len(batch)
        return count

    def finish(self, models) -> None:
        """PostgreSQL: move each id sequence past the ids chosen here."""
        if self.connection.vendor != "postgresql":
            return
        with self.connection.cursor() as cursor:
            for model in models:
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f'COALESCE((SELECT MAX(id) FROM "{table}"), 1))'
                )


def at(rng: random.Random) -> datetime:
    return START + timedelta(seconds=rng.randrange(SPAN_SECONDS))


def build(n_children: int, n_episodes: int, rng: random.Random) -> dict:
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import transaction

    from harbour.access.models import AccessGrant, GrantKind
    from harbour.accounts.models import AgencyKind
    from harbour.accounts.roles import Role
    from harbour.demo.factories import make_agency, make_care_home, make_team, make_user
    from harbour.disruption.models import Breach, DisruptionOrder
    from harbour.graph.models import Link
    from harbour.language.models import LanguageFinding
    from harbour.mace.models import Action as MaceAction
    from harbour.mace.models import Meeting
    from harbour.missing.models import (
        EpisodeAction,
        MissingEpisode,
        PoliceProtection,
        ReturnHomeInterview,
        RiskGrading,
    )
    from harbour.people.models import Ethnicity, Note, Person, Placement, Sex, YesNoUnknown
    from harbour.risk.models import Assessment, IndicatorSet, Screening

    call_command("migrate", verbosity=0, interactive=False)
    council = make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, name="Bench Council")
    partner = make_agency(kind=AgencyKind.YOUTH_OFFENDING, name="Bench Youth Justice")
    providers = [make_agency(kind=AgencyKind.RETURN_INTERVIEW_PROVIDER, name=f"Bench Provider {i}") for i in range(3)]
    police = make_agency(kind=AgencyKind.POLICE, name="Bench Police")
    care_provider = make_agency(kind=AgencyKind.CARE_PROVIDER, name="Bench Homes")
    teams = [make_team(agency=council, name=f"Bench Team {i}") for i in range(8)]
    sw = make_user(agency=council, team=teams[0], username="bench_sw")
    sup = make_user(agency=council, team=teams[0], role=Role.SUPERVISOR, username="bench_sup")
    manager = make_user(agency=council, role=Role.MANAGER, username="bench_manager")
    partner_sup = make_user(agency=partner, role=Role.SUPERVISOR, username="bench_partner")
    officer = make_user(agency=police, username="bench_pc")
    homes = [make_care_home(provider=care_provider, host_authority=council) for _ in range(20)]
    indicator_set = IndicatorSet.objects.get(version="1")
    person_type = ContentType.objects.get_for_model(Person)
    note_type = ContentType.objects.get_for_model(Note)
    sexes, ethnicities, yn = [c.value for c in Sex], [c.value for c in Ethnicity], [c.value for c in YesNoUnknown]
    load = Loader()
    counts = {}
    now = datetime.now(UTC)

    with transaction.atomic():
        n_adults = max(n_children // 25, 20)
        person_ids = load.ids(Person, n_children + n_adults)
        child_ids = list(person_ids[:n_children])
        adult_ids = list(person_ids[n_children:])
        counts["people"] = load.insert(
            Person,
            [
                "id",
                "kind",
                "given_name",
                "family_name",
                "date_of_birth",
                "date_of_birth_is_estimated",
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
                "host_authority",
                "owning_agency",
                "owning_team",
                "is_restricted",
                "created_at",
                "created_by",
                "updated_at",
            ],  # fmt: skip
            (
                (
                    pk,
                    "child" if i < n_children else "adult_of_concern",
                    f"Given{i}",
                    f"Family{i}",
                    date(2010, 1, 1) if i < n_children else date(1990, 1, 1),
                    False,
                    rng.choice(sexes),
                    "not_known",
                    "",
                    rng.choice(ethnicities),
                    rng.choice(yn),
                    "",
                    "not_known",
                    "not_known",
                    "not_known",
                    "",
                    "not_known",
                    council.pk if rng.random() < 0.7 else None,
                    council.pk,
                    rng.choice(teams).pk if rng.random() < 0.9 else None,
                    i % 200 == 0,
                    now,
                    sw.pk,
                    now,
                )
                for i, pk in enumerate(person_ids)
            ),
        )
        counts["grants"] = load.insert(
            AccessGrant,
            ["content_type", "object_id", "kind", "grantee_agency", "reason", "granted_by", "granted_at"],
            ((person_type.pk, pk, GrantKind.SHARE, partner.pk, "Bench share", sw.pk, now) for pk in child_ids[::100]),
        )
        placed = rng.sample(child_ids, n_children // 5)
        counts["placements"] = load.insert(
            Placement,
            ["person", "care_home", "description", "placing_authority", "start_date", "end_date", "created_at"],
            (
                (
                    pk,
                    rng.choice(homes).pk,
                    "",
                    council.pk,
                    date(2024, 1, 1) + timedelta(days=rng.randrange(600)),
                    None,
                    now,
                )
                for pk in placed
            ),
        )

        episode_ids = load.ids(MissingEpisode, n_episodes)
        episodes = []
        for pk in episode_ids:
            reported = at(rng)
            closed = rng.random() < 0.95
            episodes.append((pk, rng.choice(child_ids), reported, closed))
        counts["episodes"] = load.insert(
            MissingEpisode,
            [
                "id",
                "child",
                "owning_agency",
                "reported_by_kind",
                "reported_by_name",
                "reported_at",
                "recorded_by",
                "last_seen_at",
                "last_seen_place",
                "last_seen_with",
                "clothing",
                "category",
                "status",
                "found_at",
                "where_not_said",
                "found_alone",
                "found_with_not_said",
                "brought_back_by",
                "travel_method",
                "condition",
                "created_at",
            ],  # fmt: skip
            (
                (
                    pk,
                    child,
                    council.pk,
                    "care_home",
                    "",
                    reported,
                    sw.pk,
                    reported - timedelta(hours=1),
                    "Bench",
                    "",
                    "",
                    "missing" if rng.random() < 0.6 else "absent",
                    "closed" if closed else "open",
                    reported + timedelta(hours=6) if closed else None,
                    closed and rng.random() < 0.2,
                    closed and rng.random() < 0.5,
                    False,
                    "",
                    "",
                    "",
                    reported,
                )  # fmt: skip
                for pk, child, reported, closed in episodes
            ),
        )
        counts["search actions"] = load.insert(
            EpisodeAction,
            ["episode", "kind", "field_based", "at", "officer", "note", "created_at"],
            (
                (pk, "search", rng.random() < 0.6, reported + timedelta(hours=1), officer.pk, "Bench", reported)
                for pk, _, reported, _ in episodes
                for _ in range(rng.choice((0, 1, 1, 2)))
            ),
        )
        closed_episodes = [e for e in episodes if e[3]]
        counts["risk grades"] = load.insert(
            RiskGrading,
            ["episode", "grade", "reason", "graded_at", "graded_by"],
            (
                (pk, rng.choice(("low", "medium", "high")), "Bench", reported, officer.pk)
                for pk, _, reported, _ in closed_episodes
                if rng.random() < 0.8
            ),
        )

        def interview(pk, child, reported):
            returned = reported + timedelta(hours=6)
            due = returned + timedelta(hours=72)
            held = due + timedelta(hours=rng.randrange(-60, 48)) if rng.random() < 0.8 else None
            provider = rng.choice(providers + [None])
            return (
                pk, child, provider.pk if provider else None, returned, due,
                returned + timedelta(hours=2) if rng.random() < 0.9 else None, "",
                "refused" if held is None and rng.random() < 0.3 else "", "", "", held, "", "", "", "", "", "", "",
                False, reported, reported,
            )  # fmt: skip

        counts["return interviews"] = load.insert(
            ReturnHomeInterview,
            [
                "episode",
                "child",
                "provider",
                "returned_at",
                "due_at",
                "offered_at",
                "offered_how",
                "response",
                "refusal_reason",
                "carers_account",
                "held_at",
                "harm_suffered",
                "why_went",
                "where_and_with_whom",
                "push_factors",
                "pull_factors",
                "disclosures",
                "onward_referrals",
                "child_preferred_carer",
                "created_at",
                "updated_at",
            ],  # fmt: skip
            (interview(pk, child, reported) for pk, child, reported, _ in closed_episodes),
        )

        def protection():
            taken = at(rng)
            return (
                rng.choice(child_ids), police.pk, taken, taken + timedelta(hours=72), officer.pk, "Bench", "Bench",
                rng.random() < 0.1, "", "", "", "", "released", taken + timedelta(hours=rng.randrange(1, 80)),
                taken, taken,
            )  # fmt: skip

        counts["police protection"] = load.insert(
            PoliceProtection,
            [
                "child",
                "owning_agency",
                "taken_at",
                "ends_at",
                "taken_by",
                "grounds",
                "place_of_safety",
                "place_is_police_station",
                "child_informed_and_wishes",
                "parents_not_informed_reason",
                "inquiry",
                "contact_decisions",
                "outcome",
                "handed_over_at",
                "created_at",
                "updated_at",
            ],  # fmt: skip
            (protection() for _ in range(max(n_children // 50, 10))),
        )

        levels = ("not_at_risk", "at_risk", "significant", "serious")
        types = ("cse", "cce", "county_lines", "online", "peer_on_peer", "trafficking")
        risk_fields = [
            "child", "owning_agency", "indicator_set", "exploitation_types", "cce_exchange", "cce_advantage",
            "cce_violence_or_threat", "cce_detail", "summary", "score", "score_level", "rule_level", "floor_reason",
            "judgement_level", "judgement_reason", "level", "explanation", "child_disability",
            "child_learning_disability", "assessed_on", "review_due", "superseded_at", "created_by", "created_at",
        ]  # fmt: skip

        def risk_row(child, made, superseded=None):
            level = rng.choice(levels)
            return (
                child, council.pk, indicator_set.pk, rng.sample(types, rng.choice((1, 1, 2))), "", "", "", "", "", 0,
                level, level, "", "", "", level, {}, False, False, made.date(), (made + timedelta(days=90)).date(),
                superseded, sw.pk, made,
            )  # fmt: skip

        screened = rng.sample(child_ids, n_children // 5)
        screening_rows = []
        for child in screened:
            first = at(rng)
            if rng.random() < 0.3:
                second = first + timedelta(days=rng.randrange(30, 200))
                screening_rows.append(risk_row(child, first, superseded=second))
                screening_rows.append(risk_row(child, second))
            else:
                screening_rows.append(risk_row(child, first))
        counts["screenings"] = load.insert(Screening, risk_fields, screening_rows)
        counts["assessments"] = load.insert(
            Assessment,
            [*risk_fields, "status", "signed_off_at", "signed_off_by", "returned_reason"],
            (
                (*row, "signed_off", row[-1], sup.pk, "")
                for row in (risk_row(child, at(rng)) for child in screened[: len(screened) // 5])
            ),
        )

        link_kinds = ("victim_of", "found_with", "associate", "with_while_missing", "contacted")
        counts["links"] = load.insert(
            Link,
            [
                "source_type",
                "source_id",
                "target_type",
                "target_id",
                "link_type",
                "start_date",
                "end_date",
                "provenance_label",
                "grading_system",
                "grading",
                "note",
                "automatic",
                "owning_agency",
                "created_by",
                "created_at",
            ],  # fmt: skip
            (
                (
                    person_type.pk,
                    child,
                    person_type.pk,
                    adult,
                    kind,
                    day,
                    day,
                    "",
                    "",
                    "",
                    "",
                    False,
                    council.pk,
                    sw.pk,
                    now,
                )
                for child, adult, kind, day in (
                    (
                        rng.choice(child_ids),
                        rng.choice(adult_ids[: max(len(adult_ids) // 4, 1)])
                        if rng.random() < 0.5
                        else rng.choice(adult_ids),
                        rng.choice(link_kinds),
                        at(rng).date(),
                    )
                    for _ in range(n_children // 10)
                )
            ),
        )
        order_ids = load.ids(DisruptionOrder, max(n_children // 100, 10))
        tools = ("sro", "shpo", "cawn", "closure_order", "cbo", "stro")
        statuses = ("considered", "applied", "granted", "served", "refused", "expired", "breached")
        counts["orders"] = load.insert(
            DisruptionOrder,
            [
                "id",
                "tool",
                "other_tool_name",
                "subject_kind",
                "subject_person",
                "subject_business",
                "applicant",
                "court_or_authority",
                "applied_on",
                "granted_on",
                "until_further_order",
                "extended",
                "conditions",
                "status",
                "status_note",
                "owning_agency",
                "is_restricted",
                "created_by",
                "created_at",
                "updated_at",
            ],  # fmt: skip
            (
                (
                    pk,
                    rng.choice(tools),
                    "",
                    "person",
                    rng.choice(adult_ids),
                    "",
                    "",
                    "",
                    day,
                    day,
                    False,
                    False,
                    "",
                    rng.choice(statuses),
                    "",
                    council.pk,
                    False,
                    sw.pk,
                    now,
                    now,
                )  # fmt: skip
                for pk, day in ((pk, at(rng).date()) for pk in order_ids)
            ),
        )
        counts["breaches"] = load.insert(
            Breach,
            ["order", "occurred_on", "description", "action_taken", "recorded_by", "recorded_at"],
            ((rng.choice(order_ids), at(rng).date(), "Bench", "", sw.pk, now) for _ in range(len(order_ids) // 2)),
        )
        meeting_ids = load.ids(Meeting, 24)
        load.insert(
            Meeting,
            ["id", "title", "held_at", "location", "owning_agency", "created_by", "created_at"],
            (
                (pk, f"MACE {pk}", START + timedelta(days=30 * i), "", council.pk, sup.pk, now)
                for i, pk in enumerate(meeting_ids)
            ),
        )
        load.insert(Meeting.agencies.through, ["meeting", "agency"], ((pk, council.pk) for pk in meeting_ids))
        load.insert(Meeting.chairs.through, ["meeting", "user"], ((pk, sup.pk) for pk in meeting_ids))

        def mace_action(meeting_index, meeting_pk):
            due = (START + timedelta(days=30 * meeting_index + rng.randrange(7, 60))).date()
            done = rng.random() < 0.6
            return (
                meeting_pk, "Bench action", sw.pk, council.pk, due, "done" if done else "open",
                datetime.combine(due, datetime.min.time(), UTC) if done else None, "", sup.pk, now,
            )  # fmt: skip

        counts["MACE actions"] = load.insert(
            MaceAction,
            [
                "meeting",
                "description",
                "owner",
                "owner_agency",
                "due_on",
                "status",
                "done_at",
                "done_note",
                "created_by",
                "created_at",
            ],  # fmt: skip
            (mace_action(i, pk) for i, pk in enumerate(meeting_ids) for _ in range(20)),
        )
        note_ids = load.ids(Note, n_children * 2)
        note_rows = [(pk, rng.choice(child_ids), at(rng)) for pk in note_ids]
        counts["notes"] = load.insert(
            Note,
            ["id", "person", "text", "author", "author_agency", "created_at"],
            ((pk, person, "Bench note", sw.pk, council.pk, made) for pk, person, made in note_rows),
        )
        counts["language findings"] = load.insert(
            LanguageFinding,
            ["content_type", "object_id", "term_id", "category", "start", "end", "team", "agency", "created_at"],
            (
                (
                    note_type.pk,
                    str(pk),
                    "putting_themselves_at_risk",
                    "victim_blaming",
                    0,
                    4,
                    teams[0].pk,
                    council.pk,
                    made,
                )  # fmt: skip
                for pk, _, made in note_rows
                if rng.random() < 0.04
            ),
        )
        load.finish(
            [
                Person,
                AccessGrant,
                Placement,
                MissingEpisode,
                EpisodeAction,
                RiskGrading,
                ReturnHomeInterview,
                PoliceProtection,
                Screening,
                Assessment,
                Link,
                DisruptionOrder,
                Breach,
                Meeting,
                MaceAction,
                Note,
                LanguageFinding,
            ]  # fmt: skip
        )
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"supervisor": sup, "manager": manager, "partner": partner_sup, "counts": counts}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 50,000 children, 500,000 episodes")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--no-exports", action="store_true", help="time the report only, not CSV/XLSX/PDF")
    parser.add_argument("--profile", action="store_true", help="also time each table for the supervisor")
    parser.add_argument(
        "--reuse", action="store_true", help="use the bench data already in DATABASE_URL (from an earlier run)"
    )
    args = parser.parse_args()
    tmp = configure()
    try:
        from django.db import connection

        from harbour.reports import dashboards, exports
        from harbour.reports.figures import build_report
        from harbour.reports.periods import Period

        n_children, n_episodes = max(int(CHILDREN * args.scale), 100), max(int(EPISODES * args.scale), 1000)
        t0 = time.perf_counter()
        if args.reuse:
            from harbour.accounts.models import User

            users = {u.username: u for u in User.objects.filter(username__startswith="bench_")}
            world = {
                "supervisor": users["bench_sup"],
                "manager": users["bench_manager"],
                "partner": users["bench_partner"],
            }
            print(f"reusing the bench data in the {connection.vendor} database")
        else:
            world = build(n_children, n_episodes, random.Random(args.seed))
            print(
                f"generated {n_children:,} children, {n_episodes:,} episodes in {time.perf_counter() - t0:.1f}s "
                f"({connection.vendor}): " + ", ".join(f"{n:,} {what}" for what, n in world["counts"].items())
            )
        period = Period(*YEAR)
        if args.profile:
            from harbour.reports.figures import TABLES, Ctx, _without_jit, breakdown_spec, compute

            ctx = Ctx(world["supervisor"], period)
            with _without_jit():
                for spec in [*TABLES, breakdown_spec("care_home"), breakdown_spec("team")]:
                    t0 = time.perf_counter()
                    compute(spec, world["supervisor"], period, ctx=ctx)
                    print(f"  {spec.key}: {time.perf_counter() - t0:.2f}s")
        for label, user in (
            ("council supervisor (all unrestricted)", world["supervisor"]),
            ("council manager (aggregate only)", world["manager"]),
            ("partner (1% shared)", world["partner"]),
        ):
            t0 = time.perf_counter()
            report = build_report(user, period, breakdown="care_home")
            elapsed = time.perf_counter() - t0
            episodes = report.table("missing_headline").value("episodes")
            print(
                f"full scrutiny report, {label}: {elapsed:.2f}s, {len(report.tables)} tables "
                f"(breakdown by care home), {episodes:,} episodes in the year; {report.sentence}"
            )
            board = dashboards.for_user(user)
            if board is not None:
                t0 = time.perf_counter()
                figures = build_report(user, period, keys=board.tables)
                drawn = [panel.draw(figures) for panel in board.panels]
                print(f"  {board.title}: {time.perf_counter() - t0:.2f}s, {len(drawn)} charts")
            if args.no_exports or user is world["partner"]:
                continue
            for fmt, make in (
                ("CSV", lambda r: exports.csv_bytes(r)),
                ("XLSX", lambda r: exports.xlsx_bytes(r, prepared_for="Bench")),
                ("PDF", lambda r, user=user: exports.pdf_bytes(r, context=_pdf_context(r, user))),
            ):
                t0 = time.perf_counter()
                try:
                    size = len(make(report))
                except exports.PdfUnavailable:
                    print(f"  {fmt}: WeasyPrint not installed")
                    continue
                print(f"  {fmt} export: {time.perf_counter() - t0:.2f}s, {size:,} bytes")
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


def _pdf_context(report, user) -> dict:
    from harbour.reports import charts
    from harbour.reports.suppression import RULE_TEXT

    return {
        "period": report.period,
        "rule": RULE_TEXT,
        "chart": charts.compliance_bars(report.table("rhi_compliance")),
        "can_drill": False,
        "prepared_for": str(user),
    }


if __name__ == "__main__":
    main()
