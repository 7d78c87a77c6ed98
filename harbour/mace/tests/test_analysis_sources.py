"""Agenda sources from harbour.analysis, when it is installed: co-presence alerts (seen by police
analysts only, by that app's rule) and new or rising hotspots (places, per reader)."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from harbour.accounts.roles import Role
from harbour.demo import factories as f
from harbour.disruption.tests.world import found_with, share
from harbour.mace import selectors, services
from harbour.mace.models import ItemKind
from harbour.missing.models import Place

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not apps.is_installed("harbour.analysis"), reason="harbour.analysis not installed"),
]


@pytest.fixture
def analyst(world):
    return f.make_user(agency=world.police, role=Role.ANALYST, username="police.analyst", first_name="Ana")


def test_co_presence_alert_on_the_agenda_of_an_analyst_chair_restricted_to_others(world, analyst):
    from harbour.analysis.models import CoPresenceAlert

    for child in world.children:
        share(child, with_agency=world.police, by=world.north_sw)
    alert = CoPresenceAlert.objects.create(
        adult=world.adult, kind="several_children", distinct_children=3, occasions=4, last_seen=timezone.localdate()
    )
    alert.children.set(world.children)
    meeting = services.meeting_create(
        caller=world.caller(world.police_chair),
        title="MACE",
        held_at=timezone.now(),
        chairs=[analyst, world.north_chair],
    )
    services.agenda_build(caller=world.caller(analyst), meeting=meeting)
    item = meeting.items.get(kind=ItemKind.CO_PRESENCE)
    seen = {e.item.pk: e for e in selectors.agenda_for(user=analyst, meeting=meeting).items}[item.pk]
    assert seen.title == "Adult linked to several children: Dax Marlow"
    assert "Ellery Vantongeren" in seen.shown.lines[0]
    council = {e.item.pk: e for e in selectors.agenda_for(user=world.north_sw, meeting=meeting).items}[item.pk]
    assert council.title == "Restricted item"


def test_co_presence_alert_prompts_an_order(world, analyst):
    from harbour.analysis.models import CoPresenceAlert
    from harbour.disruption.selectors import order_prompts

    for child in world.children:
        share(child, with_agency=world.police, by=world.north_sw)
    alert = CoPresenceAlert.objects.create(adult=world.adult, kind="several_children", distinct_children=3)
    alert.children.set(world.children)
    prompts = order_prompts(user=analyst)
    assert [p.person for p in prompts] == [world.adult]
    assert "seen repeatedly with a child (co-presence)" in prompts[0].how_linked


def test_new_hotspot_on_the_agenda(world, make_meeting):
    park = Place.objects.create(name="Seafront park", postcode="HB9 9ZZ", latitude="50.1", longitude="-1.1")
    for child in world.children[:2]:
        episode = found_with(world, child, days_ago=2)
        episode.found_where = park
        episode.save()
    meeting = make_meeting()
    result = services.agenda_build(caller=world.caller(world.north_chair), meeting=meeting)
    assert "New or rising hotspots" not in result.failed
    item = meeting.items.get(kind=ItemKind.HOTSPOT)
    assert item.linked == park
    shown = {e.item.pk: e for e in selectors.agenda_for(user=world.north_sw, meeting=meeting).items}[item.pk]
    assert shown.title.startswith("Hotspot: Seafront park")
    assert shown.shown.lines == ["2 children you can see linked here in the last 28 days (new)."]
    # A partner who sees none of the children sees the place, but no children there.
    health = {e.item.pk: e for e in selectors.agenda_for(user=world.health_worker, meeting=meeting).items}[item.pk]
    assert health.shown.lines == ["No longer new or rising in what you can see."]
    meeting.refresh_from_db()
    assert timezone.now() - timedelta(days=1) < meeting.agenda_built_at
