"""Panels other apps add to a person's page, so the people app needs no knowledge of them.

A panel is a template and a function `(person, user) -> dict | None` giving its context; None hides
it. Apps register theirs in `AppConfig.ready()`; the person page draws them with
`{% load person_panels %}{% person_panels person %}`. A panel reads only what the policy lets the
user see; the page's own read of the person is what the audit log records.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PersonPanel:
    template: str
    context: Callable  # (person, user) -> dict | None


PERSON_PANELS: list[PersonPanel] = []


def register_person_panel(template: str, context) -> None:
    panel = PersonPanel(template, context)
    if panel not in PERSON_PANELS:
        PERSON_PANELS.append(panel)


def panels_for(person, user) -> list[tuple[str, dict]]:
    """(template, context) for each panel that has something to show this user."""
    shown = []
    for panel in PERSON_PANELS:
        context = panel.context(person, user)
        if context is not None:
            shown.append((panel.template, context))
    return shown
