from django.core.management.base import BaseCommand, CommandError

from harbour.audit.verify import audit_verify


class Command(BaseCommand):
    help = "Check the audit log's hash chain; report the first broken link."

    def handle(self, *args, **options):
        result = audit_verify()
        if not result.ok:
            raise CommandError(
                f"Audit chain broken at event {result.broken_id}: {result.problem}. "
                f"{result.checked} event(s) before it verified."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {result.checked} event(s) verified."))
