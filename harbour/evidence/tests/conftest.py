import io
from datetime import UTC, datetime

import pytest

from harbour.accounts.models import AgencyKind
from harbour.accounts.roles import Role
from harbour.core.caller import Caller
from harbour.demo import factories as f

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

CHAT = """24/11/2026, 19:02 - Alex Stone: hi, how old are you?
24/11/2026, 19:03 - Jo: 13
24/11/2026, 19:04 - Alex Stone: you're so mature for your age
24/11/2026, 19:05 - Alex Stone: don't tell your mum we talk. delete this chat after
24/11/2026, 19:06 - Jo: ok
24/11/2026, 19:07 - Alex Stone: are your parents home?
24/11/2026, 19:08 - Alex Stone: add me on snap, or text me on 07700 900123
25/11/2026, 20:01 - Alex Stone: send me a pic
25/11/2026, 20:02 - Jo: no
25/11/2026, 20:03 - Alex Stone: i can pick you up saturday at 7pm, i'll give you £20
and a new phone
25/11/2026, 20:04 - Jo: the blue bike is at the park
"""


@pytest.fixture(autouse=True)
def evidence_storage(settings, tmp_path):
    """Each test keeps its originals and indexes in its own directory, and runs jobs at once."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.HARBOUR_EVIDENCE_INDEX_DIR = tmp_path / "index"
    settings.TASKS = IMMEDIATE
    return tmp_path


@pytest.fixture
def world(db):
    """A police force with two teams; the investigation belongs to the online team."""
    police = f.make_agency(kind=AgencyKind.POLICE)
    online = f.make_team(agency=police, name="Online child abuse investigation team")
    other = f.make_team(agency=police, name="Burglary team")
    officer = f.make_user(agency=police, team=online, role=Role.PRACTITIONER)
    colleague = f.make_user(agency=police, team=other, role=Role.PRACTITIONER)
    council = f.make_agency(kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
    social_worker = f.make_user(agency=council, team=f.make_team(agency=council), role=Role.PRACTITIONER)
    return {"officer": officer, "colleague": colleague, "social_worker": social_worker, "team": online}


def upload(content: str | bytes, name: str = "chat.txt"):
    data = content.encode() if isinstance(content, str) else content
    stream = io.BytesIO(data)
    stream.name = name
    return stream


SEIZED = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def case(world):
    """The online team's investigation with one imported WhatsApp export (CHAT)."""
    from harbour.evidence import services
    from harbour.evidence.models import ExtractedIdentifier, Message

    officer = world["officer"]
    inv = services.investigation_create(caller=Caller(officer), name="Operation Kestrel", reference="OP-K")
    item = services.item_import(
        caller=Caller(officer),
        investigation=inv,
        upload=upload(CHAT),
        format="whatsapp",
        description="AB/1",
        seized_by="DC Test",
        seized_at=SEIZED,
        conversation_name="Alex and Jo",
    )
    message = Message.objects.filter(item=item).first()
    phone = ExtractedIdentifier.objects.get(investigation=inv, kind="phone")
    return {**world, "inv": inv, "item": item, "message": message, "phone": phone}
