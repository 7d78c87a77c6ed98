"""The scoring core on its own (no database): contributions, the guidance rules, judgement, reviews."""

import copy
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harbour.risk import constants as c
from harbour.risk import indicators
from harbour.risk.scoring import (
    AnswerIn,
    ChildFacts,
    ScoringError,
    add_months,
    check_judgement,
    final_level,
    review_due,
    score,
)

CONTENT = indicators.read_file("v1.json")
SPEC = indicators.parse(CONTENT)
TEEN = ChildFacts(age_years=15)


def test_each_indicator_contributes_its_weight_times_timing_and_the_total_is_banded():
    result = score(
        SPEC,
        [
            AnswerIn("missing_overnight", "current"),
            AnswerIn("substance_misuse", "previous"),
            AnswerIn("care_history", "current"),
        ],
        TEEN,
    )
    rows = [(x.indicator, x.timing, x.weight, x.factor, x.points) for x in result.contributions]
    assert rows == [
        ("care_history", "current", Decimal(1), Decimal(1), Decimal("1.00")),
        ("missing_overnight", "current", Decimal(5), Decimal(1), Decimal("5.00")),
        ("substance_misuse", "previous", Decimal(2), Decimal("0.5"), Decimal("1.00")),
    ]
    assert (result.vulnerability_points, result.exploitation_points) == (Decimal(1), Decimal(6))
    assert result.score == Decimal(7)
    assert result.score_level == result.rule_level == c.AT_RISK
    assert result.uplift is None and result.floor_level is None
    assert any("Score 7: At risk on indicator set 1" in line for line in result.explanation)
    assert result.drivers[0].indicator == "missing_overnight"


def test_significant_indicators_weigh_more_than_others_and_previous_less_than_current():
    significant = SPEC.by_code["missing_overnight"]
    other = SPEC.by_code["substance_misuse"]
    assert significant.significant and significant.weight > other.weight
    now = score(SPEC, [AnswerIn("missing_overnight", "current")], TEEN).score
    before = score(SPEC, [AnswerIn("missing_overnight", "previous")], TEEN).score
    assert before < now


def test_thresholds_band_the_score():
    assert score(SPEC, [], TEEN).rule_level == c.NOT_AT_RISK
    two = [AnswerIn("missing_overnight", "current"), AnswerIn("unexplained_money_gifts", "current")]
    assert score(SPEC, two, TEEN).rule_level == c.SIGNIFICANT  # 10
    four = two + [AnswerIn("adults_of_concern", "current"), AnswerIn("carrying_drugs_cash", "current")]
    assert score(SPEC, four, TEEN).rule_level == c.SERIOUS  # 20


def test_disability_raises_vulnerability_and_says_so():
    answers = [
        AnswerIn("abuse", "current"),
        AnswerIn("no_protective_adult", "current"),
        AnswerIn("missing_overnight", "current"),
    ]
    without = score(SPEC, answers, TEEN)
    with_disability = score(SPEC, answers, ChildFacts(age_years=15, disability_recorded=True))
    assert without.score == 9 and without.rule_level == c.AT_RISK
    assert with_disability.uplift.points == Decimal(2)  # vulnerability 4 x 1.5 adds 2
    assert with_disability.score == 11 and with_disability.rule_level == c.SIGNIFICANT
    assert "raises vulnerability" in with_disability.uplift.reason
    assert "recorded on the child's record" in with_disability.uplift.reason
    assert with_disability.uplift.reason in with_disability.explanation


def test_disability_uplift_adds_at_least_the_minimum_even_without_other_vulnerabilities():
    result = score(SPEC, [AnswerIn("unknown_callers", "current")], ChildFacts(age_years=15, disability_recorded=True))
    assert result.uplift.points == Decimal(1)
    assert result.score == 3


def test_answering_a_learning_difficulty_indicator_also_raises_vulnerability_but_sets_no_floor():
    result = score(SPEC, [AnswerIn("learning_difficulty", "current"), AnswerIn("unknown_callers", "current")], TEEN)
    assert result.uplift is not None and "answered: Learning difficulty" in result.uplift.reason
    assert result.score == 4  # 1 + 2 + uplift of at least 1
    assert result.floor_level is None


def test_under_13_showing_any_exploitation_indicator_is_never_below_the_floor():
    result = score(SPEC, [AnswerIn("unknown_callers", "current")], ChildFacts(age_years=12))
    assert result.score_level == c.NOT_AT_RISK
    assert result.rule_level == c.FLOOR_LEVEL == c.SIGNIFICANT
    assert "under 13 (age 12)" in result.floor_reason
    assert any("raised by the rule" in line for line in result.explanation)
    # A previous indicator counts too: "showing indicators" is not limited to current ones.
    assert score(SPEC, [AnswerIn("substance_misuse", "previous")], ChildFacts(age_years=9)).rule_level == c.SIGNIFICANT


def test_the_floor_does_not_apply_at_13_or_to_vulnerabilities_alone():
    assert score(SPEC, [AnswerIn("unknown_callers", "current")], ChildFacts(age_years=13)).rule_level == c.NOT_AT_RISK
    only_vulnerable = score(SPEC, [AnswerIn("care_history", "current")], ChildFacts(age_years=10))
    assert only_vulnerable.rule_level == c.NOT_AT_RISK and only_vulnerable.floor_level is None


def test_learning_disability_showing_indicators_is_never_below_the_floor_whatever_the_age():
    recorded = score(
        SPEC, [AnswerIn("unknown_callers", "current")], ChildFacts(age_years=16, learning_disability_recorded=True)
    )
    assert recorded.rule_level == c.SIGNIFICANT and "learning disability" in recorded.floor_reason
    answered = score(SPEC, [AnswerIn("learning_disability", "current"), AnswerIn("secretive_online", "previous")], TEEN)
    assert answered.rule_level == c.SIGNIFICANT
    assert answered.uplift is not None  # and it raises vulnerability as a disability does


def test_the_floor_never_lowers_a_higher_score():
    answers = [
        AnswerIn(code, "current")
        for code in ("missing_overnight", "adults_of_concern", "debt_owed", "threats_violence")
    ]
    assert score(SPEC, answers, ChildFacts(age_years=11)).rule_level == c.SERIOUS


def test_unknown_or_repeated_or_badly_timed_answers_are_refused_naming_the_field():
    for answers in (
        [AnswerIn("not_an_indicator", "current")],
        [AnswerIn("care_history", "current"), AnswerIn("care_history", "previous")],
        [AnswerIn("care_history", "long_ago")],
    ):
        with pytest.raises(ScoringError) as error:
            score(SPEC, answers, TEEN)
        assert error.value.field == "answers"


def test_unknown_age_is_stated_in_the_explanation():
    result = score(SPEC, [AnswerIn("unknown_callers", "current")], ChildFacts(age_years=None))
    assert any("age is not known" in line for line in result.explanation)


def test_judgement_may_raise_with_a_reason():
    check_judgement(c.AT_RISK, c.SERIOUS, "Seen getting into cars with adults not known to the family.")
    assert final_level(c.AT_RISK, c.SERIOUS) == c.SERIOUS
    assert final_level(c.SIGNIFICANT, None) == c.SIGNIFICANT


def test_judgement_cannot_lower_below_the_rule_level():
    with pytest.raises(ScoringError) as error:
        check_judgement(c.SIGNIFICANT, c.AT_RISK, "They seem fine.")
    assert error.value.field == "judgement_level"
    assert "cannot lower" in error.value.message


def test_judgement_needs_a_reason_and_a_higher_level():
    with pytest.raises(ScoringError) as error:
        check_judgement(c.AT_RISK, c.SIGNIFICANT, "   ")
    assert error.value.field == "judgement_reason"
    with pytest.raises(ScoringError) as error:
        check_judgement(c.AT_RISK, c.AT_RISK, "Same")
    assert error.value.field == "judgement_level"


def test_review_dates_per_level():
    day = date(2026, 3, 1)
    assert review_due(c.SERIOUS, day) == date(2026, 3, 29)  # 4 weeks
    assert review_due(c.SIGNIFICANT, day) == date(2026, 4, 12)  # 6 weeks
    assert review_due(c.AT_RISK, day) == date(2026, 6, 1)  # 3 months
    assert review_due(c.NOT_AT_RISK, day) is None


def test_calendar_months_keep_to_the_end_of_short_months():
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)), st.sampled_from(c.LEVELS))
def test_a_review_is_never_more_than_three_months_away_and_higher_levels_come_sooner(day, level):
    due = review_due(level, day)
    if due is not None:
        assert day < due <= add_months(day, c.MAX_REVIEW_MONTHS)
    ranked = [review_due(lvl, day) for lvl in (c.AT_RISK, c.SIGNIFICANT, c.SERIOUS)]
    assert ranked == sorted(ranked, reverse=True)


def test_the_stored_explanation_is_plain_json():
    result = score(
        SPEC, [AnswerIn("missing_overnight", "previous")], ChildFacts(age_years=12, disability_recorded=True)
    )
    data = result.to_json()
    assert data["score"] == "3.5" and data["rule_level"] == c.SIGNIFICANT
    assert data["contributions"][0] == {
        "indicator": "missing_overnight",
        "label": SPEC.by_code["missing_overnight"].label,
        "group": "exploitation",
        "timing": "previous",
        "weight": "5",
        "factor": "0.5",
        "points": "2.5",
        "significant": True,
    }
    assert data["uplift"]["points"] == "1"


# --- Indicator sets as data ----------------------------------------------------------------------


def test_v1_covers_the_kinds_of_exploitation_and_both_groups():
    assert {t.code for t in SPEC.types} >= {"cse", "cce", "county_lines", "online", "peer_on_peer", "trafficking"}
    assert SPEC.cce_types() == {"cce", "county_lines"}
    assert SPEC.in_group(c.VULNERABILITY) and SPEC.in_group(c.EXPLOITATION)
    assert "older_person_with_power" in SPEC.by_code  # child-centred wording, not "boyfriend"
    assert not any("boyfriend" in i.label.lower() for i in SPEC.indicators)


def test_the_hash_ignores_layout_but_not_data():
    reordered = dict(reversed(list(CONTENT.items())))
    assert indicators.content_hash(reordered) == indicators.content_hash(CONTENT)
    changed = copy.deepcopy(CONTENT)
    changed["indicators"][0]["weight"] = 3
    assert indicators.content_hash(changed) != indicators.content_hash(CONTENT)


@pytest.mark.parametrize(
    "change, problem",
    [
        (lambda d: d["disability_uplift"].update(multiplier=1), "disability_uplift.multiplier"),
        (lambda d: d["timing_factors"].update(previous=1), "timing_factors"),
        (lambda d: d["thresholds"].update(serious=5), "thresholds"),
        (lambda d: d["indicators"][0].update(group="other"), "group must be one of"),
        (lambda d: d["indicators"][-1].update(types=["nope"]), "unknown ['nope']"),
        (lambda d: d["indicators"].append(dict(d["indicators"][0])), "codes must be unique"),
        (lambda d: d.update(effective_from="soon"), "effective_from"),
    ],
)
def test_an_invalid_indicator_set_is_refused_saying_where(change, problem):
    content = copy.deepcopy(CONTENT)
    change(content)
    with pytest.raises(indicators.IndicatorSetError) as error:
        indicators.parse(content)
    assert problem in str(error.value)


def test_constants_keep_reviews_within_three_months():
    for level, after in c.REVIEW_AFTER.items():
        if isinstance(after, timedelta):
            assert after <= timedelta(days=89), level
