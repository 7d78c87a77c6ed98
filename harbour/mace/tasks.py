"""Background jobs (django-tasks; the database backend's worker runs them: `harbour db_worker`)."""

from django_tasks import task

from . import services


@task()
def escalate_overdue_actions() -> int:
    """Daily: escalate open actions past their due date to the owner's supervisor (once each)."""
    return len(services.actions_escalate())
