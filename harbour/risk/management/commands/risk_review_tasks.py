"""`harbour risk-review-tasks`: raise a 'review due' task for each exploitation risk review that has come due.

Run daily (cron or the job queue). Safe to run again: a task is raised once per record while it is open.
"""

from django.core.management.base import BaseCommand

from harbour.risk.services import review_tasks_raise


class Command(BaseCommand):
    help = "Raise 'review due' tasks for current screenings and signed-off assessments whose review date has come."

    def handle(self, *args, **options):
        raised = review_tasks_raise(actor="system: risk-review-tasks")
        self.stdout.write(f"{len(raised)} review task(s) raised.")
