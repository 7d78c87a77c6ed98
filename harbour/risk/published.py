"""The published indicator sets: each version file with the content hash its data migration pins.

The data migrations are the way a version is published. This module also restores the published sets
after `flush` (the demo's --reset, tests that flush the database), which deletes migration-loaded
rows: Django sends post_migrate after a flush, and `install_published` answers it.
"""

import importlib
from pathlib import Path

from . import indicators

MIGRATIONS = Path(__file__).with_name("migrations")


def pinned_files() -> dict[str, str]:
    """{file name: content hash} for every indicator set a migration publishes."""
    pinned = {}
    for path in sorted(MIGRATIONS.glob("0*.py")):
        module = importlib.import_module(f"harbour.risk.migrations.{path.stem}")
        if hasattr(module, "CONTENT_HASH") and hasattr(module, "FILE"):
            pinned[module.FILE] = module.CONTENT_HASH
    return pinned


def install_all(model) -> None:
    for name, digest in pinned_files().items():
        indicators.install(model, indicators.read_file(name), expected_hash=digest)


def install_published(sender, using="default", apps=None, **kwargs) -> None:
    """post_migrate: put back any published set that is missing (after a flush). Idempotent."""
    from django.apps import apps as global_apps
    from django.db import connections

    try:
        model = (apps or global_apps).get_model("risk", "IndicatorSet")
    except LookupError:
        return  # migrated back to before the table existed
    if model._meta.db_table not in connections[using].introspection.table_names():
        return
    for name, digest in pinned_files().items():
        content = indicators.read_file(name)
        if not model.objects.filter(version=content["version"]).exists():
            indicators.install(model, content, expected_hash=digest)
