"""Benchmark: person search over 100,000 synthetic people with aliases.

Run: .venv/bin/python bench/person_search.py [--people 100000] [--queries 200] [--seed 1]

Builds a throw-away SQLite database under /tmp (or uses DATABASE_URL, which must hold no people yet),
fills it quickly with bulk_create (names keyed with harbour.people.names, as the app does), then times
harbour.people.selectors.person_search for a practitioner who can see most of the records: exact names,
near spellings, surnames alone, dates of birth and identifiers. Prints set-up time, p50/p95/max in
milliseconds per kind of query and overall, and how often the wanted person was found (recall).
Every value is invented.
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))


def words(text: str) -> list[str]:
    return text.split()


GIVEN = words(
    """
    Aaliyah Abdul Abigail Adam Adrian Ahmed Aidan Aisha Alex Alfie Alice Amber Amelia Amir Amy Ana Andre Aniyah
    Anna Archie Ariana Arthur Ashley Ava Ayesha Bailey Beatrice Bella Ben Bethany Billy Bobby Brandon Brooke
    Caitlin Callum Cameron Carlos Casey Charlie Charlotte Chloe Ciaran Connor Courtney Daisy Daniel Danielle
    Darius Declan Demi Dexter Dylan Eden Eleanor Eliza Ella Ellie Elliot Emily Emma Erin Ethan Evie Faith Farah
    Finley Freya Gabriel George Georgia Grace Hannah Harley Harry Harvey Hassan Hayden Holly Ibrahim Imani Isaac
    Isabella Isla Ivy Jack Jacob Jade Jake Jamal James Jasmine Jay Jayden Jessica Jodie John Jordan Joseph Joshua
    Kai Kayden Katie Kayla Keira Kian Kieran Kyle Lacey Laila Layla Leah Leo Levi Lewis Liam Lily Logan Louis
    Lucas Lucy Luke Maddison Maisie Malik Maryam Mason Matthew Max Maya Megan Mia Michael Millie Mohammed Molly
    Muhammad Nathan Niamh Noah Olivia Oliver Omar Oscar Owen Paige Phoebe Poppy Precious Rhys Riley Rosie Ruby
    Ryan Sam Samira Sara Scarlett Sean Sienna Sofia Sophie Stephen Summer Tahlia Taylor Theo Thomas Tia Toby Tyler
    Tyrese Violet Willow Yusuf Zac Zara Zoe
    """
)
FAMILY = words(
    """
    Abbott Adams Ahmed Ali Allen Anderson Armstrong Atkinson Bailey Baker Ball Banks Barker Barnes Bell Bennett
    Berry Bird Bishop Black Bolton Booth Bradley Brooks Brown Burke Burton Butler Byrne Campbell Carr Carter
    Chambers Chapman Clark Clarke Cole Coleman Collins Connolly Cook Cooper Cox Craig Cunningham Davies Davis
    Dawson Dixon Doherty Douglas Duffy Duncan Edwards Elliott Ellis Evans Farrell Ferguson Fisher Fleming Fletcher
    Ford Foster Fox Francis Fraser Gallagher Gardner Gibson Gill Gordon Graham Grant Gray Green Griffiths Hall
    Hamilton Harris Harrison Hart Harvey Hayes Henderson Hill Holmes Hughes Hunt Hussain Jackson James Jenkins
    Johnson Johnston Jones Kaur Kelly Kennedy Khan King Knight Lawrence Lee Lewis Lloyd Lynch Marshall Martin
    Mason Matthews McCarthy McDonald Miller Mills Mitchell Moore Morgan Morris Murphy Murray Nelson Newton
    Nicholson Noor Obi Okafor Oliver Owen Palmer Parker Patel Payne Pearson Perry Phillips Pierce Powell Price
    Quinn Rahman Reid Reynolds Richards Richardson Riley Roberts Robinson Rogers Rose Ross Russell Ryan Saunders
    Scott Shaw Simpson Singh Smith Smyth Spencer Stevens Stewart Stone Sullivan Taylor Thomas Thompson Thomson
    Turner Walker Walsh Ward Watson Webb Wells West White Wilkinson Williams Wilson Wood Woods Wright Young
    """
)
NICKNAMES = words("Kez Tiny Jay Bex Lil Ace Dee Bean Red Ziggy Nini Tee")

# Spelling changes practitioners meet: the same name heard and written down by someone else.
VARIANTS = [
    ("ph", "f"),
    ("ck", "k"),
    ("ie", "y"),
    ("y", "i"),
    ("i", "y"),
    ("c", "k"),
    ("k", "c"),
    ("mm", "m"),
    ("ll", "l"),
    ("tt", "t"),
    ("nn", "n"),
    ("th", "t"),
    ("s", "z"),
    ("ee", "ea"),
    ("o", "ou"),
    ("a", "e"),
]


def near_spelling(word: str, rng: random.Random) -> str:
    """One spelling change that keeps the sound: never the first letter, hard and soft c and g kept."""
    lower = word.lower()
    options = []
    for a, b in VARIANTS:
        i = lower.find(a, 1)
        if i < 0:
            continue
        after = lower[i + len(a) : i + len(a) + 1]
        if (a, b) in (("c", "k"), ("k", "c")) and after in ("e", "i", "y"):
            continue
        if lower[i - 1] in "cg":  # a vowel after c or g decides whether it is hard or soft
            continue
        if after == "h" and a[-1] in "cgkpstz":  # ch, sh, ph, th... are one sound: leave them whole
            continue
        options.append((i, a, b))
    if not options:
        return word
    i, a, b = rng.choice(options)
    return (lower[:i] + b + lower[i + len(a) :]).capitalize()


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def configure(args) -> str | None:
    """Point Django at a throw-away database unless DATABASE_URL names one. Returns the temp dir to delete."""
    tmp = None
    if not os.environ.get("DATABASE_URL"):
        tmp = tempfile.mkdtemp(prefix="harbour-bench-", dir="/tmp")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ["HARBOUR_VAR_DIR"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings.local")
    import django

    django.setup()
    return tmp


def build(args, rng: random.Random):
    from django.core.management import call_command
    from django.db import connection, transaction

    from harbour.accounts.models import AgencyKind
    from harbour.demo.factories import make_agency, make_user
    from harbour.people.identifiers import normalise_identifier
    from harbour.people.models import Identifier, NameKind, Person, PersonName

    call_command("migrate", verbosity=0, interactive=False)
    if Person.objects.exists():
        sys.exit("The database already holds people: point DATABASE_URL at an empty database (or leave it unset).")

    council = make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE, name="Bench Council", short_name="BEN")
    police = make_agency(kind=AgencyKind.POLICE, name="Bench Police", short_name="BPOL")
    user = make_user(agency=council, username="bench.practitioner")
    other = make_user(agency=police, username="bench.officer")

    born_from = date(2006, 1, 1)
    span_days = (date(2021, 12, 31) - born_from).days
    people, names, identifiers = [], [], []
    with transaction.atomic():
        for i in range(args.people):
            ours = rng.random() < 0.7  # the rest belong to another agency and must never appear
            people.append(
                Person(
                    kind="child" if rng.random() < 0.85 else "adult_of_concern",
                    given_name=rng.choice(GIVEN),
                    family_name=rng.choice(FAMILY),
                    date_of_birth=born_from + timedelta(days=rng.randrange(span_days)),
                    sex=rng.choice(["female", "male", "not_known"]),
                    gender="not_known",
                    ethnicity="not_known",
                    disability="not_known",
                    learning_disability="not_known",
                    special_educational_needs="not_known",
                    first_language_status="not_known",
                    looked_after_status="not_looked_after",
                    owning_agency=council if ours else police,
                    created_by=user if ours else other,
                )
            )
            if len(people) == args.batch or i == args.people - 1:
                Person.objects.bulk_create(people, batch_size=args.batch)
                for person in people:
                    aliases = [(NameKind.PRIMARY, person.given_name, person.family_name)]
                    roll = rng.random()
                    if roll < 0.25:
                        aliases.append((NameKind.NICKNAME, rng.choice(NICKNAMES), ""))
                    elif roll < 0.40:
                        aliases.append((NameKind.PREVIOUS, person.given_name, rng.choice(FAMILY)))
                    elif roll < 0.50:
                        aliases.append((NameKind.ALIAS, near_spelling(person.given_name, rng), person.family_name))
                    for kind, given, family in aliases:
                        name = PersonName(person=person, kind=kind, given_name=given, family_name=family)
                        name.compute_keys()
                        names.append(name)
                    if person.owning_agency_id == council.pk:
                        value = f"BEN{person.pk:07d}"
                        identifiers.append(
                            Identifier(
                                person=person,
                                scheme="council_case",
                                value=normalise_identifier("council_case", value),
                                issued_by=council,
                            )
                        )
                PersonName.objects.bulk_create(names, batch_size=args.batch)
                Identifier.objects.bulk_create(identifiers, batch_size=args.batch)
                people, names, identifiers = [], [], []
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as a database in use would have
    return user, council


def make_queries(args, rng: random.Random, council):
    from harbour.people.models import Person

    sample = list(
        Person.objects.filter(owning_agency=council)
        .order_by("?")
        .values("pk", "given_name", "family_name", "date_of_birth")[: args.queries]
    )
    rng.shuffle(sample)
    n = args.queries
    plan = [("exact name", 0.30), ("near spelling", 0.30), ("surname only", 0.05), ("date of birth", 0.15)]
    queries, at = [], 0
    for kind, share in plan:
        for p in sample[at : at + round(n * share)]:
            if kind == "exact name":
                terms = {"name": f"{p['given_name']} {p['family_name']}"}
            elif kind == "near spelling":
                given, family = p["given_name"], p["family_name"]
                if rng.random() < 0.5:
                    given = near_spelling(given, rng)
                else:
                    family = near_spelling(family, rng)
                terms = {"name": f"{given} {family}"}
            elif kind == "surname only":
                terms = {"name": p["family_name"]}
            else:
                terms = {"date_of_birth": p["date_of_birth"]}
            queries.append((kind, p["pk"], terms))
        at += round(n * share)
    for p in sample[at:n]:
        queries.append(("identifier", p["pk"], {"identifier": f"ben {p['pk']:07d}"}))
    return queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the throw-away database")
    args = parser.parse_args()

    tmp = configure(args)
    try:
        from django.db import connection

        from harbour.core.caller import Caller
        from harbour.people.models import Person, PersonName
        from harbour.people.selectors import SEARCH_LIMIT, person_search

        rng = random.Random(args.seed)
        started = time.perf_counter()
        user, council = build(args, rng)
        setup_s = time.perf_counter() - started
        name_rows = PersonName.objects.count()
        print(
            f"database: {connection.vendor} ({connection.settings_dict['NAME']}); "
            f"{args.people:,} people, {name_rows:,} names, set-up {setup_s:.1f} s"
        )

        caller = Caller(user=user, client_ip="127.0.0.1")
        queries = make_queries(args, rng, council)
        person_search(caller=caller, name="warm up")  # first query pays for imports and the connection
        timings: dict[str, list[float]] = {}
        found: dict[str, list[bool]] = {}
        misses: list[str] = []
        counts: dict[str, list[int]] = {}
        for kind, wanted, terms in queries:
            t0 = time.perf_counter()
            results = person_search(caller=caller, **terms)
            elapsed_ms = (time.perf_counter() - t0) * 1000
            timings.setdefault(kind, []).append(elapsed_ms)
            counts.setdefault(kind, []).append(len(results))
            # A date of birth alone matches more people than a page shows: recall there means "on the page".
            hit = any(r.person.pk == wanted for r in results)
            found.setdefault(kind, []).append(hit)
            if not hit and kind in ("exact name", "near spelling"):
                misses.append(f"{terms['name']!r} (wanted {Person.objects.get(pk=wanted)})")
            assert all(r.person.owning_agency_id == council.pk for r in results), "search showed a hidden record"

        print(f"{'query':<15}{'n':>5}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'results':>10}{'recall':>9}")
        everything = []
        for kind in ("exact name", "near spelling", "surname only", "date of birth", "identifier"):
            values = timings.get(kind, [])
            if not values:
                continue
            everything.extend(values)
            recall = sum(found[kind]) / len(found[kind])
            print(
                f"{kind:<15}{len(values):>5}{percentile(values, 50):>10.1f}{percentile(values, 95):>10.1f}"
                f"{max(values):>10.1f}{statistics.mean(counts[kind]):>10.1f}{recall:>9.0%}"
            )
        print(
            f"{'all':<15}{len(everything):>5}{percentile(everything, 50):>10.1f}{percentile(everything, 95):>10.1f}"
            f"{max(everything):>10.1f}"
        )
        print(f"(results are capped at {SEARCH_LIMIT}; each search also writes one audit event)")
        if misses:
            print("name queries that missed the person wanted: " + "; ".join(misses[:8]))
        print(
            f"person_search over {args.people:,} people: p50 {percentile(everything, 50):.1f} ms, "
            f"p95 {percentile(everything, 95):.1f} ms, max {max(everything):.1f} ms; set-up {setup_s:.1f} s"
        )
    finally:
        if tmp and not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        elif tmp:
            print(f"kept {tmp}")


if __name__ == "__main__":
    main()
