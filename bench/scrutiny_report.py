"""Scrutiny report benchmark: the full report (every figure, suppression applied) on a generated area.

Target: 50,000 children and 500,000 missing episodes (--scale 1.0), with return interviews for the
closed episodes, risk grades, and police protection cases. Rows are bulk-created directly (no
services, no audit), in a throw-away SQLite database unless DATABASE_URL names one. The report is
then built for a supervisor of the owning council (who sees everything unrestricted) and for a
partner agency with a share of 1% of the children, and timed.

    .venv/bin/python bench/scrutiny_report.py --scale 0.1
"""

import argparse
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


def build(n_children: int, n_episodes: int, rng: random.Random):
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import transaction

    from harbour.access.models import AccessGrant, GrantKind
    from harbour.accounts.models import AgencyKind
    from harbour.accounts.roles import Role
    from harbour.demo.factories import make_agency, make_user
    from harbour.missing.models import MissingEpisode, PoliceProtection, ReturnHomeInterview, RiskGrading
    from harbour.people.models import Ethnicity, Person, Sex, YesNoUnknown

    call_command("migrate", verbosity=0, interactive=False)
    council = make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, name="Bench Council")
    partner = make_agency(kind=AgencyKind.YOUTH_OFFENDING, name="Bench Youth Justice")
    providers = [make_agency(kind=AgencyKind.RETURN_INTERVIEW_PROVIDER, name=f"Bench Provider {i}") for i in range(3)]
    police = make_agency(kind=AgencyKind.POLICE, name="Bench Police")
    sw = make_user(agency=council, username="bench_sw")
    sup = make_user(agency=council, role=Role.SUPERVISOR, username="bench_sup")
    partner_sup = make_user(agency=partner, role=Role.SUPERVISOR, username="bench_partner")
    officer = make_user(agency=police, username="bench_pc")
    sexes, ethnicities, yn = [c.value for c in Sex], [c.value for c in Ethnicity], [c.value for c in YesNoUnknown]
    start = datetime(2024, 4, 1, tzinfo=UTC)
    span = int(timedelta(days=730).total_seconds())
    with transaction.atomic():
        Person.objects.bulk_create(
            [
                Person(
                    kind="child",
                    given_name=f"Given{i}",
                    family_name=f"Family{i}",
                    date_of_birth=date(2010, 1, 1),
                    sex=rng.choice(sexes),
                    gender="not_known",
                    ethnicity=rng.choice(ethnicities),
                    disability=rng.choice(yn),
                    special_educational_needs="not_known",
                    first_language_status="not_known",
                    looked_after_status="not_known",
                    owning_agency=council,
                    created_by=sw,
                    is_restricted=(i % 200 == 0),
                )
                for i in range(n_children)
            ],
            batch_size=5000,
        )
        child_ids = list(Person.objects.values_list("pk", flat=True))
        ct = ContentType.objects.get_for_model(Person)
        AccessGrant.objects.bulk_create(
            [
                AccessGrant(
                    content_type=ct,
                    object_id=pk,
                    kind=GrantKind.SHARE,
                    grantee_agency=partner,
                    granted_by=sw,
                    reason="Bench share",
                )
                for pk in child_ids[::100]
            ],
            batch_size=5000,
        )
        batch = []
        for _ in range(n_episodes):
            at = start + timedelta(seconds=rng.randrange(span))
            closed = rng.random() < 0.95
            batch.append(
                MissingEpisode(
                    child_id=rng.choice(child_ids),
                    owning_agency=council,
                    reported_by_kind="care_home",
                    reported_at=at,
                    recorded_by=sw,
                    last_seen_at=at - timedelta(hours=1),
                    last_seen_place="Bench",
                    category="missing" if rng.random() < 0.6 else "absent",
                    status="closed" if closed else "open",
                    found_at=at + timedelta(hours=rng.randrange(1, 48)) if closed else None,
                    found_alone=closed and rng.random() < 0.5,
                    where_not_said=closed and rng.random() < 0.2,
                )
            )
            if len(batch) == 10_000:
                MissingEpisode.objects.bulk_create(batch)
                batch = []
        MissingEpisode.objects.bulk_create(batch)
        episodes = list(MissingEpisode.objects.filter(status="closed").values_list("pk", "child_id", "found_at"))
        grades, rhis = [], []
        for pk, child_id, found_at in episodes:
            if rng.random() < 0.8:
                grades.append(
                    RiskGrading(
                        episode_id=pk, grade=rng.choice(["low", "medium", "high"]), reason="Bench", graded_by=officer
                    )
                )
            due = found_at + timedelta(hours=72)
            held = due + timedelta(hours=rng.randrange(-60, 48)) if rng.random() < 0.8 else None
            rhis.append(
                ReturnHomeInterview(
                    episode_id=pk,
                    child_id=child_id,
                    provider=rng.choice(providers + [None]),
                    returned_at=found_at,
                    due_at=due,
                    offered_at=found_at + timedelta(hours=2) if rng.random() < 0.9 else None,
                    held_at=held,
                    response="refused" if held is None and rng.random() < 0.3 else "",
                )
            )
        RiskGrading.objects.bulk_create(grades, batch_size=10_000)
        ReturnHomeInterview.objects.bulk_create(rhis, batch_size=10_000)
        pps = []
        for _ in range(max(n_children // 50, 10)):
            taken = start + timedelta(seconds=rng.randrange(span))
            pp = PoliceProtection(
                child_id=rng.choice(child_ids),
                owning_agency=police,
                taken_at=taken,
                taken_by=officer,
                grounds="Bench",
                place_of_safety="Bench",
                place_is_police_station=rng.random() < 0.1,
                outcome="released",
                handed_over_at=taken + timedelta(hours=rng.randrange(1, 80)),
            )
            pp.ends_at = taken + timedelta(hours=72)
            pps.append(pp)
        PoliceProtection.objects.bulk_create(pps, batch_size=5000)
    return sup, partner_sup


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1, help="1.0 = 50,000 children, 500,000 episodes")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    tmp = configure()
    try:
        from django.db import connection

        from harbour.reports.figures import build_report
        from harbour.reports.periods import Period

        n_children, n_episodes = max(int(CHILDREN * args.scale), 100), max(int(EPISODES * args.scale), 1000)
        t0 = time.perf_counter()
        sup, partner = build(n_children, n_episodes, random.Random(args.seed))
        print(
            f"generated {n_children:,} children, {n_episodes:,} episodes in {time.perf_counter() - t0:.1f}s "
            f"({connection.vendor})"
        )
        period = Period(date(2025, 4, 1), date(2026, 4, 1))  # a financial year
        for label, user in (("council supervisor (all unrestricted)", sup), ("partner (1% shared)", partner)):
            t0 = time.perf_counter()
            report = build_report(user, period)
            elapsed = time.perf_counter() - t0
            episodes = report.table("missing_headline").value("episodes")
            print(
                f"full scrutiny report, {label}: {elapsed:.2f}s, {len(report.tables)} tables, "
                f"{episodes:,} episodes in the year"
            )
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
