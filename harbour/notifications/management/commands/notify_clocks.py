from django.core.management.base import BaseCommand

from harbour.notifications.clocks import notify_clocks


class Command(BaseCommand):
    help = (
        "Notify the people responsible for return home interviews and police protections within 12 hours "
        "of their deadline (once per record; run every few minutes). Does nothing if harbour.missing is not installed."
    )

    def handle(self, *args, **options):
        created = notify_clocks()
        self.stdout.write(f"{created} notification(s) created.")
