"""The exploitation-risk agenda source, when harbour.risk is installed: a child newly raised to a
high level is on the agenda, described to each reader from what they may see."""

import pytest
from django.apps import apps

from harbour.mace import selectors, services
from harbour.mace.models import ItemKind

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not apps.is_installed("harbour.risk"), reason="harbour.risk not installed"),
]


def test_a_child_newly_raised_is_on_the_agenda(world, make_meeting):
    from harbour.risk import published
    from harbour.risk import services as risk_services
    from harbour.risk.models import IndicatorSet
    from harbour.risk.services import AnswerInput

    published.install_all(IndicatorSet)
    screening = risk_services.screening_create(
        caller=world.caller(world.north_sw),
        child=world.child,
        exploitation_types=["cse"],
        answers=[
            AnswerInput(indicator="missing_overnight", timing="current"),
            AnswerInput(indicator="unexplained_money_gifts", timing="current", evidence_note="New phone"),
        ],
    )
    if screening.level not in ("significant", "serious"):
        pytest.skip(f"the indicator set scores these answers as {screening.level}")
    meeting = make_meeting()
    result = services.agenda_build(caller=world.caller(world.north_chair), meeting=meeting)
    assert "Children at the highest risk level or newly raised" not in result.failed
    item = meeting.items.get(kind=ItemKind.CHILD_AT_RISK)
    assert item.linked == screening
    council = {e.item.pk: e for e in selectors.agenda_for(user=world.north_sw, meeting=meeting).items}[item.pk]
    assert council.title.endswith(": Ellery Vantongeren")
    health = {e.item.pk: e for e in selectors.agenda_for(user=world.health_worker, meeting=meeting).items}[item.pk]
    assert health.title == "Restricted item"
