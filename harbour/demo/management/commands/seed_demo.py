"""`harbour seed-demo`: fill an empty database with the synthetic demo area (see harbour/demo/seed.py)."""

import time

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from harbour.accounts.models import Agency, User
from harbour.audit.verify import audit_verify
from harbour.demo import data
from harbour.demo.factories import DEMO_PASSWORD
from harbour.demo.seed import MIN_CHILDREN, demo_logins, seed_demo
from harbour.people.models import Person


class Command(BaseCommand):
    help = (
        "Create a synthetic demo area: agencies, teams, care homes, about fifty users and N children with "
        "adults of concern, shares and notes. Deterministic: the same --seed gives the same people."
    )

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, default=200, help="How many children (default 200).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed gives the same area.")
        parser.add_argument(
            "--reset", action="store_true", help="Delete EVERYTHING in the database first (django flush)."
        )
        parser.add_argument("--quiet", action="store_true", help="Print nothing unless something goes wrong.")

    def handle(self, *args, children, seed, reset, quiet, **options):
        if (settings.SETTINGS_MODULE or "").endswith(".production"):
            raise CommandError("seed-demo refuses to run with production settings: demo data is synthetic.")
        if children < MIN_CHILDREN:
            raise CommandError(f"--children must be at least {MIN_CHILDREN}.")
        say = (lambda message: None) if quiet else self.stdout.write
        if reset:
            call_command("flush", interactive=False, verbosity=0)
            ContentType.objects.clear_cache()  # flush recreated them; cached ids may be stale
            say("Database emptied (--reset).")
        else:
            self._refuse_if_not_empty()
        started = time.monotonic()
        seed_demo(children=children, seed=seed, progress=say)
        result = audit_verify()
        if not result.ok:
            raise CommandError(f"The audit chain does not verify after seeding: {result.problem}.")
        say(
            f"Seeded in {time.monotonic() - started:.1f}s (seed {seed}); audit chain intact: {result.checked} event(s)."
        )
        if not quiet:
            self._print_logins()

    def _refuse_if_not_empty(self) -> None:
        people = Person.objects.count()
        clash = (
            Agency.objects.filter(short_name__in=[a[0] for a in data.AGENCIES]).exists()
            or User.objects.filter(username__in=[s[0] for s in data.STAFF]).exists()
        )
        if people or clash:
            what = f"{people} person record(s)" if people else "the demo agencies or users"
            raise CommandError(
                f"This database already holds {what}. seed-demo fills an empty database only. "
                "To delete everything in it and start again: harbour seed-demo --reset"
            )

    def _print_logins(self) -> None:
        rows = demo_logins()
        headers = {"username": "Username", "role": "Role", "agency": "Agency", "people": "People", "sees": "Can see"}
        widths = {key: max(len(str(r[key])) for r in [headers, *rows]) for key in headers}
        self.stdout.write("")
        self.stdout.write("Demo sign-ins (synthetic data only):")
        self.stdout.write("  ".join(str(headers[k]).ljust(widths[k]) for k in headers).rstrip())
        self.stdout.write("  ".join("-" * widths[k] for k in headers))
        for row in rows:
            self.stdout.write(
                "  ".join(
                    str(row[k]).rjust(widths[k]) if k == "people" else str(row[k]).ljust(widths[k]) for k in headers
                ).rstrip()
            )
        self.stdout.write("")
        self.stdout.write(f"Every demo user's password is {DEMO_PASSWORD!r} (demo only; never use it for real data).")
