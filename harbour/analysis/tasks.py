"""Background jobs (django-tasks; the database backend's worker runs them: `harbour db_worker`)."""

from django_tasks import task

from . import services


@task()
def match_people() -> dict:
    """Nightly: score person records for likely duplicates across agencies and propose them."""
    return services.match_people_run()


@task()
def copresence_scan_all() -> int:
    """Nightly: raise co-presence alerts over every link (catches links from intelligence and
    evidence as well as episodes)."""
    return len(services.copresence_scan())
