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
        from harbour.graph.registry import register_node_annotator

        register_node_annotator(selectors.link_chart_alerts)
        try:
            from harbour.people.panels import register_person_panel
        except ImportError:  # pragma: no cover - older people app without panels
            return
        register_person_panel("analysis/_person_panel.html", selectors.person_panel)
