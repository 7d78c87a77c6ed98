"""`harbour copresence-scan`: raise co-presence alerts over every link. Run nightly (cron), or enqueue
the task `harbour.analysis.tasks.copresence_scan_all`."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Raise alerts for adults linked to several children, or to one child again and again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the task for the worker instead of running now."
        )

    def handle(self, *args, enqueue: bool = False, **options):
        if enqueue:
            from harbour.analysis.tasks import copresence_scan_all

            result = copresence_scan_all.enqueue()
            self.stdout.write(f"Queued copresence-scan as task {result.id}.")
            return
        from harbour.analysis.services import copresence_scan

        alerts = copresence_scan()
        self.stdout.write(f"{len(alerts)} co-presence alerts raised or updated.")
