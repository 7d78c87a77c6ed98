from django.core.management.base import BaseCommand

from harbour.notifications.services import digests_send


class Command(BaseCommand):
    help = (
        "Email each user a summary of their unread notifications not yet emailed (links only, no personal "
        "details). Run once a day (cron, or the send_digests task); running it again sends nothing twice."
    )

    def handle(self, *args, **options):
        sent = digests_send()
        self.stdout.write(f"{sent} digest email(s) sent.")
