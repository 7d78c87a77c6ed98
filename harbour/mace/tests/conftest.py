from datetime import timedelta

import pytest
from django.utils import timezone

from harbour.disruption.tests.world import build_world
from harbour.mace import services


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def make_meeting(world):
    """A meeting chaired by the police and the northern council, health attending."""

    def make(*, days_from_now: int = 0, title: str = "MACE Harbourtown"):
        return services.meeting_create(
            caller=world.caller(world.police_chair),
            title=title,
            held_at=timezone.now() + timedelta(days=days_from_now),
            location="Harbourtown police station",
            chairs=[world.north_chair],
            agencies=[world.health],
        )

    return make
