"""`harbour evidence-resume-stalled`: queue again every evidence import, and every search-index
rebuild, whose worker stopped without finishing (no progress for evidence.models.STALLED_AFTER).
Schedule every 10 minutes."""

from django.core.management.base import BaseCommand

from harbour.evidence import services


class Command(BaseCommand):
    help = "Queue again evidence imports and index rebuilds that stalled (their worker stopped)."

    def handle(self, *args, **options):
        resumed = services.items_resume_stalled()
        for item in resumed:
            self.stdout.write(f"Resumed item {item.pk} ({item.description}) from source position {item.checkpoint}.")
        self.stdout.write(f"{len(resumed)} stalled import{'s' if len(resumed) != 1 else ''} resumed.")
        restarted = services.rebuilds_restart_stalled()
        for rebuild in restarted:
            self.stdout.write(f"Started index rebuild {rebuild.pk} again (investigation {rebuild.investigation_id}).")
        self.stdout.write(f"{len(restarted)} stalled index rebuild{'s' if len(restarted) != 1 else ''} started again.")
