import pytest

from harbour.graph.tests.world import make_world
from harbour.intel import services

P_REPORT = {
    "title": "Adult seen collecting children from the seafront",
    "text": "A grey hatchback collects two children most Friday evenings near the arcade.",
    "source_evaluation": "2",
    "intelligence_assessment": "B",
    "handling_code": "P",
}
C_REPORT = dict(
    P_REPORT,
    title="Address used to hold children overnight",
    handling_code="C",
    handling_conditions="Only the Child Exploitation Team; not to be shared outside Harbour Police.",
)


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture
def p_report(world):
    return services.report_create(
        caller=world.caller(world.officer),
        source_detail={"source_reference": "SRC-0042", "source_description": "Neighbour at number 12 Quay Street"},
        **P_REPORT,
    )


@pytest.fixture
def c_report(world):
    return services.report_create(caller=world.caller(world.officer), **C_REPORT)
