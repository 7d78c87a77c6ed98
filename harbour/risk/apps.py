from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "harbour.risk"
    label = "risk"
    verbose_name = "Exploitation risk screening and assessment"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import evidence_links, published, selectors
        from .access_rules import register_rules

        register_rules()
        from harbour.missing.signals import trigger_raised

        from .triggers import screening_due_from_missing_trigger

        trigger_raised.connect(screening_due_from_missing_trigger, dispatch_uid="risk.screening_due_from_missing")
        post_migrate.connect(published.install_published, sender=self, dispatch_uid="risk.install_published")
        selectors.register_timeline()
        evidence_links.register_defaults()
        # The "Exploitation risk" card on the person page, through the people app's panel registry.
        from harbour.people.panels import register_person_panel

        register_person_panel("risk/_person_summary.html", selectors.person_panel)
