"""Findings are recorded when a note is saved, and the note keeps exactly what was written."""

from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType

from harbour.accounts.models import AgencyKind
from harbour.core.caller import Caller
from harbour.demo import factories as f
from harbour.language.models import LanguageFinding
from harbour.people import services as people_services
from harbour.people.models import Note

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer():
    council = f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
    team = f.make_team(agency=council, name="Exploitation team")
    user = f.make_user(agency=council, team=team)
    child = f.make_person(owning_agency=council, created_by=user)
    return user, child


def test_note_is_saved_as_written_and_its_findings_recorded(writer):
    user, child = writer
    text = "Seen at school. She is putting herself at risk and her 24-year-old boyfriend collects her."
    note = people_services.note_create(caller=Caller(user=user), person=child, text=text)
    assert Note.objects.get(pk=note.pk).text == text
    findings = LanguageFinding.objects.filter(
        content_type=ContentType.objects.get_for_model(Note), object_id=str(note.pk)
    ).order_by("start")
    assert [x.term_id for x in findings] == ["putting-self-at-risk", "adult-partner"]
    first = findings[0]
    assert text[first.start : first.end] == "is putting herself at risk"
    assert (first.team, first.agency, first.category) == (user.team, user.agency, "victim_blaming")


def test_a_note_without_findings_records_none(writer):
    user, child = writer
    people_services.note_create(caller=Caller(user=user), person=child, text="She is at risk from adults.")
    assert not LanguageFinding.objects.exists()


def test_a_failing_check_never_loses_the_note(writer):
    user, child = writer
    with mock.patch("harbour.language.services.current_lexicon", side_effect=RuntimeError("broken")):
        note = people_services.note_create(
            caller=Caller(user=user), person=child, text="She is putting herself at risk."
        )
    assert Note.objects.filter(pk=note.pk).exists()
    assert not LanguageFinding.objects.exists()
