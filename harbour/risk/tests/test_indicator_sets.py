"""Indicator sets are versioned data: loaded by migration, pinned by hash, never rewriting the past."""

import copy
from decimal import Decimal

import pytest
from django.utils import timezone

from harbour.audit.models import AuditEvent
from harbour.risk import constants as c
from harbour.risk import indicators, published, services
from harbour.risk.models import Assessment, AssessmentStatus, IndicatorSet

from .conftest import answer

pytestmark = pytest.mark.django_db


def _publish_v2(*, missing_weight=8, drop=()) -> IndicatorSet:
    content = copy.deepcopy(indicators.read_file("v1.json"))
    content["version"] = "2"
    content["effective_from"] = timezone.localdate().isoformat()
    content["indicators"] = [i for i in content["indicators"] if i["code"] not in drop]
    for item in content["indicators"]:
        if item["code"] == "missing_overnight":
            item["weight"] = missing_weight
    return indicators.install(IndicatorSet, content)


def test_every_indicator_set_file_has_a_migration_pinned_to_its_content():
    """Editing a published file breaks this test (and the migration): make a new version instead."""
    pinned = published.pinned_files()
    assert set(pinned) == set(indicators.available_files())
    for name, digest in pinned.items():
        assert indicators.content_hash(indicators.read_file(name)) == digest, f"{name} was edited after publication"


def test_published_sets_come_back_after_a_flush(indicator_sets):
    IndicatorSet.objects.all().delete()
    published.install_published(sender=None)
    assert IndicatorSet.objects.filter(version="1").exists()


def test_the_migrations_loaded_each_version(indicator_sets):
    for name in indicators.available_files():
        content = indicators.read_file(name)
        loaded = IndicatorSet.objects.get(version=content["version"])
        assert loaded.content_hash == indicators.content_hash(content) and loaded.content == content


def test_loading_again_changes_nothing_and_different_content_under_a_published_version_is_refused(indicator_sets):
    content = indicators.read_file("v1.json")
    assert indicators.install(IndicatorSet, content) == IndicatorSet.objects.get(version="1")
    changed = copy.deepcopy(content)
    changed["thresholds"]["serious"] = 25
    with pytest.raises(indicators.IndicatorSetError, match="already loaded with different content"):
        indicators.install(IndicatorSet, changed)
    with pytest.raises(indicators.IndicatorSetError, match="changed since it was published"):
        indicators.install(IndicatorSet, changed, expected_hash=indicators.content_hash(content))
    assert IndicatorSet.objects.count() == len(indicators.available_files())


def _signed_off(world) -> Assessment:
    assessment = services.assessment_create(
        caller=world.caller(world.north_sw), child=world.child, exploitation_types=["cse"]
    )
    services.assessment_update_answers(
        caller=world.caller(world.north_sw),
        assessment=assessment,
        answers=[
            answer("missing_overnight", evidence_note="Reported missing overnight twice"),
            answer("secretive_online", professional_concern="Deletes messages when staff come in"),
            answer("care_history", evidence_note="Looked after since 2024"),
        ],
    )
    services.assessment_submit(caller=world.caller(world.north_sw), assessment=assessment)
    return services.assessment_sign_off(caller=world.caller(world.north_supervisor), assessment=assessment)


def test_a_new_version_does_not_change_an_existing_assessment(world):
    old = _signed_off(world)
    before = (old.score, old.level, old.indicator_set_id, old.explanation, old.review_due)
    assert old.score == Decimal(8) and old.level == c.AT_RISK
    _publish_v2(missing_weight=12)
    old.refresh_from_db()
    assert (old.score, old.level, old.indicator_set_id, old.explanation, old.review_due) == before
    assert old.indicator_set.version == "1"
    # New records use the set in force today.
    assert services.current_indicator_set().version == "2"
    new = services.assessment_create(caller=world.caller(world.north_sw), child=world.child, exploitation_types=["cse"])
    assert new.indicator_set.version == "2"


def test_a_draft_stays_pinned_to_its_version_when_a_new_one_is_published(world):
    draft = services.assessment_create(
        caller=world.caller(world.north_sw), child=world.child, exploitation_types=["cse"]
    )
    _publish_v2(missing_weight=12)
    updated = services.assessment_update_answers(
        caller=world.caller(world.north_sw), assessment=draft, answers=[answer("missing_overnight")]
    )
    assert updated.indicator_set.version == "1" and updated.score == 5


def test_rescoring_is_explicit_and_makes_a_new_assessment(world):
    old = _signed_off(world)
    with pytest.raises(services.ValidationError):
        services.assessment_rescore(caller=world.caller(world.north_sw), assessment=old)  # already on the set in force
    _publish_v2(missing_weight=12, drop=("secretive_online",))
    new = services.assessment_rescore(caller=world.caller(world.north_sw), assessment=old)
    assert new.pk != old.pk and new.rescored_from == old
    assert new.status == AssessmentStatus.DRAFT and new.indicator_set.version == "2"
    assert new.score == Decimal(13) and new.level == c.SIGNIFICANT  # 12 + 1; secretive_online is not in v2
    assert sorted(new.answers.values_list("indicator", flat=True)) == ["care_history", "missing_overnight"]
    assert new.answers.get(indicator="missing_overnight").evidence.get().note == "Reported missing overnight twice"
    old.refresh_from_db()
    assert old.indicator_set.version == "1" and old.score == Decimal(8) and old.status == AssessmentStatus.SIGNED_OFF
    event = AuditEvent.objects.get(object_type="risk.assessment", object_id=str(new.pk), details__step="rescore")
    assert event.details["dropped_indicators"] == ["secretive_online"]
