"""`harbour match-people`: propose likely duplicate person records for a person to confirm or reject.
Run nightly (cron), or enqueue the task `harbour.analysis.tasks.match_people`."""

from django.core.management.base import BaseCommand

from harbour.analysis.core import linkage


class Command(BaseCommand):
    help = "Score person records with the record-linkage model and propose likely matches for review."

    def add_arguments(self, parser):
        parser.add_argument("--threshold", type=float, default=linkage.DEFAULT_THRESHOLD)
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the task for the worker instead of running now."
        )

    def handle(self, *args, threshold: float, enqueue: bool = False, **options):
        if enqueue:
            from harbour.analysis.tasks import match_people

            result = match_people.enqueue()
            self.stdout.write(f"Queued match-people as task {result.id}.")
            return
        from harbour.analysis.services import match_people_run

        summary = match_people_run(threshold=threshold)
        self.stdout.write(
            f"Scored {summary['records']} records: {summary['pairs']} pairs at or above {threshold}, "
            f"{summary['proposed']} newly proposed, {summary['updated']} proposals updated."
        )
