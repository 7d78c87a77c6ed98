"""Background jobs (django-tasks; the database backend's worker runs them: `harbour db_worker`)."""

from django_tasks import task

from . import clocks, services


@task()
def notify_clocks() -> int:
    """Every few minutes: tell people of interview and police-protection clocks about to run out."""
    return clocks.notify_clocks()


@task()
def send_digests() -> int:
    """Daily: email each user a summary of unread notifications (links only)."""
    return services.digests_send()
