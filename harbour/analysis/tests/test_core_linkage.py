"""The record-linkage core on small synthetic records (no Django)."""

import pandas as pd
import pytest

from harbour.analysis.core import linkage

PEOPLE = [
    {
        "unique_id": "1",
        "given_name": "Katie",
        "family_name": "Smith",
        "date_of_birth": "2011-05-03",
        "sex": "female",
        "postcode": "HB1 2AA",
        "address": "12 Mill Lane",
        "identifiers": ["nhs_number:9991234560"],
    },
    {
        "unique_id": "2",
        "given_name": "Caty",
        "family_name": "Smyth",
        "date_of_birth": "2011-05-03",
        "sex": "female",
        "postcode": "HB1 2AA",
        "address": "12 Mill Ln",
        "identifiers": None,
    },
    {
        "unique_id": "3",
        "given_name": "Mohammed",
        "family_name": "Khan",
        "date_of_birth": "2009-01-20",
        "sex": "male",
        "postcode": "HB3 9ZZ",
        "address": "4 Station Road",
        "identifiers": ["police_ref:HB-26-000001"],
    },
    {
        "unique_id": "4",
        "given_name": "Muhammad",
        "family_name": "Khan",
        "date_of_birth": "2009-01-20",
        "sex": "male",
        "postcode": None,
        "address": None,
        "identifiers": ["police_ref:HB-26-000001"],
    },
    {
        "unique_id": "5",
        "given_name": "Jordan",
        "family_name": "Price",
        "date_of_birth": "1990-07-14",
        "sex": "male",
        "postcode": "HB2 4CD",
        "address": "1 Quay Street",
        "identifiers": None,
    },
    {
        "unique_id": "6",
        "given_name": "Amira",
        "family_name": "Hassan",
        "date_of_birth": "2012-11-30",
        "sex": "female",
        "postcode": "HB5 1EF",
        "address": "7 Park View",
        "identifiers": None,
    },
    {
        "unique_id": "7",
        "given_name": "Smith",
        "family_name": "Katie",
        "date_of_birth": "2011-05-03",
        "sex": "female",
        "postcode": "HB1 2AA",
        "address": None,
        "identifiers": None,
    },
]


def test_prepare_normalises_and_keys():
    frame = linkage.prepare(PEOPLE)
    row = frame.set_index("unique_id").loc["1"]
    assert row["given_name"] == "katie" and row["family_name"] == "smith"
    assert row["given_key"] == linkage.phonetic("Caty")  # same sound key as person search
    assert row["postcode"] == "HB12AA"
    assert row["identifiers"] == ["NHS_NUMBER:9991234560"]
    assert frame.set_index("unique_id").loc["2"]["identifiers"] is None
    assert linkage.prepare([{"unique_id": "x", "date_of_birth": "20110503"}])["date_of_birth"][0] == "2011-05-03"


def test_prepare_needs_ids():
    with pytest.raises(ValueError):
        linkage.prepare(pd.DataFrame([{"given_name": "A"}]).assign(unique_id=[None]))


def test_predict_pairs_finds_near_spellings_and_explains_them():
    result = linkage.predict_pairs(PEOPLE, threshold=0.5)
    pairs = {(p.id_l, p.id_r): p for p in result.pairs}
    assert ("1", "2") in pairs  # Katie Smith / Caty Smyth, same date of birth and address
    assert ("3", "4") in pairs  # Mohammed / Muhammad Khan with a shared police reference
    assert ("1", "7") in pairs  # names swapped
    assert not any("5" in key or "6" in key for key in pairs)  # strangers are not proposed
    explanation = {e["comparison"]: e for e in pairs[("3", "4")].explanation}
    assert explanation["identifiers"]["level"] == "Identifiers: one in common"
    assert explanation["identifiers"]["weight"] > 0
    assert explanation["date_of_birth"]["level"] == "Date of birth: the same"
    # Not known on one side: shown, with no weight either way.
    assert explanation["postcode"] == {
        "comparison": "postcode",
        "level": "Postcode: not known on one or both",
        "weight": 0.0,
    }
    assert result.trained_with_em is False  # too few records: the prior m values stand


def test_predict_pairs_is_deterministic():
    first = linkage.predict_pairs(PEOPLE, threshold=0.1)
    second = linkage.predict_pairs(PEOPLE, threshold=0.1)
    assert [(p.id_l, p.id_r, round(p.match_probability, 9)) for p in first.pairs] == [
        (p.id_l, p.id_r, round(p.match_probability, 9)) for p in second.pairs
    ]


def test_level_labels_follow_splinks_numbering():
    frames = [linkage.prepare(PEOPLE)]
    linker = linkage.build_linker(frames)
    labels = linkage._level_labels(linker.misc.save_model_to_json())
    for comparison in linker._settings_obj.comparisons:
        for level in comparison.comparison_levels:
            if not level.is_null_level:
                assert labels[comparison.output_column_name][level.comparison_vector_value] == level.label_for_charts


def test_settings_are_backend_neutral():
    """The settings hold no dialect: Splink renders them for whichever backend it is given."""
    settings = linkage.linkage_settings(link_type="link_only")
    rendered = settings.get_settings("spark").as_dict()
    assert rendered["sql_dialect"] == "spark"
    assert len(rendered["comparisons"]) == 3 + len(linkage.OPTIONAL_COMPARISONS)


def test_one_to_one_keeps_each_records_best_pair():
    pairs = [
        linkage.CandidatePair("a1", "b1", 0.99, 9),
        linkage.CandidatePair("a1", "b2", 0.95, 7),
        linkage.CandidatePair("a2", "b2", 0.9, 6),
    ]
    kept = linkage.one_to_one(pairs)
    assert [(p.id_l, p.id_r) for p in kept] == [("a1", "b1"), ("a2", "b2")]


def test_too_few_records_gives_no_pairs():
    assert linkage.predict_pairs(PEOPLE[:1]).pairs == []


def test_training_that_the_data_cannot_support_falls_back_to_the_priors():
    strangers = [p for p in PEOPLE if p["unique_id"] in {"1", "3", "5", "6"}]
    result = linkage.predict_pairs(strangers, em=True, threshold=0.5)
    assert result.trained_with_em is False
    assert result.pairs == []
