"""The subject-access links on the person page, for supervisors of the agency holding the record."""

from .sar import may_export


def _context(person, user):
    if not may_export(user, person):
        return None
    return {"person": person}


def register_panel() -> None:
    from harbour.people.panels import register_person_panel

    register_person_panel("retention/_person_panel.html", _context)
