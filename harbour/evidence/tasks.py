"""Background jobs (django-tasks; the database backend's worker runs them: `harbour db_worker`)."""

from django_tasks import task

from . import importer, services


@task()
def import_evidence_item(item_id: int) -> dict:
    """Import (or resume importing) one evidence item. Safe to run again: it continues from the
    item's checkpoint and never duplicates a message."""
    return importer.run_import(item_id)


@task()
def rebuild_search_index(rebuild_id: int) -> dict:
    """Rebuild an investigation's search index from the database (see services.index_rebuild_run)."""
    return services.index_rebuild_run(rebuild_id=rebuild_id)
