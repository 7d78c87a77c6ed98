"""`harbour escalate-actions`: escalate open MACE actions past their due date to the owner's
supervisor, once each. Run daily (cron), or enqueue the task `harbour.mace.tasks.escalate_overdue_actions`."""

from django.core.management.base import BaseCommand

from harbour.mace import services


class Command(BaseCommand):
    help = "Escalate overdue MACE actions to the owner's supervisor (once each)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the task for the worker instead of running now."
        )

    def handle(self, *args, enqueue: bool = False, **options):
        if enqueue:
            from harbour.mace.tasks import escalate_overdue_actions

            result = escalate_overdue_actions.enqueue()
            self.stdout.write(f"Queued task {result.id}.")
            return
        escalations = services.actions_escalate()
        actions = {e.action_id for e in escalations}
        unassigned = sum(1 for e in escalations if e.escalated_to_id is None)
        self.stdout.write(
            f"Escalated {len(actions)} overdue action{'s' if len(actions) != 1 else ''}"
            f" ({len(escalations) - unassigned} to supervisors, {unassigned} with no supervisor found)."
        )
