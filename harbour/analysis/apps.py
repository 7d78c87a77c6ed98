from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "harbour.analysis"
    label = "analysis"
    verbose_name = "Matching, networks and hotspots"

    def ready(self) -> None:
        from . import selectors, signals
        from .access_rules import register_rules

        register_rules()
        signals.connect()
        try:
            from harbour.people.panels import register_person_panel
        except ImportError:  # pragma: no cover - older people app without panels
            return
        register_person_panel("analysis/_person_panel.html", selectors.person_panel)
