"""Probabilistic record linkage of person records (Fellegi-Sunter, with Splink). Plain Python, no Django.

Two agencies record the same child differently: "Katie Smith" born 3 May 2011 at one postcode,
"Caty Smyth" born 5 March 2011 at another. This module scores pairs of records for how likely they
are to be the same person; a human decides (see harbour.analysis.services). Nothing here merges.

The model is written once, as backend-neutral Splink settings (`linkage_settings`): comparisons and
blocking rules are Splink "creators" that Splink renders into the SQL dialect of whichever backend it
is given. DuckDB runs it here; Spark runs the same settings at national scale by passing
`splink.SparkAPI(spark_session=...)` as `db_api` (see docs/decisions/0009-record-linkage.md).

Input: one row per person record with the columns in `COLUMNS` (any may be empty). `prepare`
normalises them and adds the phonetic keys the model compares on.
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule

from harbour.people.names import phonetic  # plain Python: the same sound keys as person search

log = logging.getLogger(__name__)

# The record schema the model reads. `identifiers` is a list of "scheme:value" strings.
COLUMNS = (
    "unique_id",
    "source_dataset",
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "postcode",
    "address",
    "town",
    "identifiers",
)
# Comparisons used only when some record has a value: an all-empty column teaches the model nothing.
OPTIONAL_COMPARISONS = ("sex", "postcode", "address", "town", "identifiers")
COMPARISON_LABELS = {
    "given_name": "Given name",
    "family_name": "Family name",
    "date_of_birth": "Date of birth",
    "sex": "Sex",
    "postcode": "Postcode",
    "address": "Address",
    "town": "Town",
    "identifiers": "Identifiers",
}

DEFAULT_SEED = 5
# Pairs at or above this probability are proposed to a human. The benchmark (bench/matching_febrl.py)
# shows where precision and recall balance; for review queues we lean towards recall.
DEFAULT_THRESHOLD = 0.9
# Below this many records EM has too few pairs to learn from: the prior m values in the settings stand.
MIN_RECORDS_FOR_EM = 500
U_SAMPLE_PAIRS = 2e6

_NON_LETTERS = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r"\s+")
_UNKNOWN_SEX = {"", "not_known", "not_asked", "unknown", "u"}


def _clean_text(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode("ascii").lower()
    text = _SPACES.sub(" ", _NON_LETTERS.sub(" ", text.replace("'", "").replace("-", " "))).strip()
    return text or None


def _clean_name(value) -> str | None:
    """Letters only, hyphens and spaces joined: "O'Neil-Smith" and "Oneil Smith" compare equal."""
    text = _clean_text(value)
    return text.replace(" ", "") if text else None


def _clean_postcode(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = re.sub(r"[^A-Z0-9]", "", str(value).upper())
    return text or None


def _clean_date(value) -> str | None:
    """ISO text (YYYY-MM-DD) from a date, ISO text or compact YYYYMMDD; anything else is not known."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    text = str(value).strip()
    if re.fullmatch(r"\d{8}", text):
        return f"{text[:4]}-{text[4:6]}-{text[6:]}"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    return None


def _clean_address(value) -> str | None:
    """Lower case letters and digits: house numbers stay ("12 high st" and "21 high st" differ)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    raw = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode("ascii").lower()
    return _SPACES.sub(" ", re.sub(r"[^a-z0-9 ]+", " ", raw)).strip() or None


def _clean_identifiers(value) -> list[str]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, str):
        value = [value]
    cleaned = {re.sub(r"\s+", "", str(v).upper()) for v in value if v is not None and str(v).strip()}
    return sorted(cleaned)


def prepare(records: pd.DataFrame | Iterable[dict]) -> pd.DataFrame:
    """Records in the model's schema: cleaned values, phonetic keys, nulls for what is not known."""
    frame = records.copy() if isinstance(records, pd.DataFrame) else pd.DataFrame(list(records))
    for column in COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    if frame["unique_id"].isna().any():
        raise ValueError("Every record needs a unique_id.")
    out = pd.DataFrame({"unique_id": frame["unique_id"].astype(str)})
    out["source_dataset"] = frame["source_dataset"].fillna("records").astype(str)
    out["given_name"] = frame["given_name"].map(_clean_name)
    out["family_name"] = frame["family_name"].map(_clean_name)
    out["given_key"] = out["given_name"].map(lambda n: phonetic(n) or None if n else None)
    out["family_key"] = out["family_name"].map(lambda n: phonetic(n) or None if n else None)
    out["date_of_birth"] = frame["date_of_birth"].map(_clean_date)
    out["birth_year"] = out["date_of_birth"].map(lambda d: d[:4] if d else None)
    out["sex"] = frame["sex"].map(lambda s: None if s is None or str(s).strip().lower() in _UNKNOWN_SEX else str(s))
    out["postcode"] = frame["postcode"].map(_clean_postcode)
    out["address"] = frame["address"].map(_clean_address)
    out["town"] = frame["town"].map(_clean_text)
    out["identifiers"] = frame["identifiers"].map(_clean_identifiers)
    # An empty list would compare as "no identifier in common"; "not known" is a null.
    out["identifiers"] = out["identifiers"].map(lambda ids: ids or None)
    return out.reset_index(drop=True)


def _name_comparison(column: str, key_column: str, other_column: str, label: str) -> cl.CustomComparison:
    """Exact, near spellings (Jaro-Winkler), same sound (phonetic key), swapped with the other name."""
    return cl.CustomComparison(
        output_column_name=column,
        comparison_description=label,
        comparison_levels=[
            cll.NullLevel(column),
            cll.ExactMatchLevel(column, term_frequency_adjustments=True).configure(
                label_for_charts=f"{label}: the same", m_probability=0.85, u_probability=0.01
            ),
            cll.JaroWinklerLevel(column, 0.92).configure(
                label_for_charts=f"{label}: spelt almost the same", m_probability=0.06, u_probability=0.005
            ),
            cll.ExactMatchLevel(key_column).configure(
                label_for_charts=f"{label}: sounds the same", m_probability=0.03, u_probability=0.01
            ),
            cll.CustomLevel(
                f"{column}_l = {other_column}_r OR {other_column}_l = {column}_r",
                label_for_charts=f"{label}: swapped with the other name",
            ).configure(m_probability=0.01, u_probability=0.0005),
            cll.JaroWinklerLevel(column, 0.8).configure(
                label_for_charts=f"{label}: similar spelling", m_probability=0.03, u_probability=0.05
            ),
            cll.ElseLevel().configure(label_for_charts=f"{label}: different", m_probability=0.02, u_probability=0.92),
        ],
    )


def _comparisons(present: set[str]) -> list:
    comparisons = [
        _name_comparison("given_name", "given_key", "family_name", "Given name"),
        _name_comparison("family_name", "family_key", "given_name", "Family name"),
        cl.CustomComparison(
            output_column_name="date_of_birth",
            comparison_description="Date of birth",
            comparison_levels=[
                cll.NullLevel("date_of_birth"),
                cll.ExactMatchLevel("date_of_birth").configure(
                    label_for_charts="Date of birth: the same", m_probability=0.88, u_probability=0.001
                ),
                cll.DamerauLevenshteinLevel("date_of_birth", 1).configure(
                    label_for_charts="Date of birth: one digit different or two swapped",
                    m_probability=0.07,
                    u_probability=0.01,
                ),
                cll.AbsoluteDateDifferenceLevel(
                    "date_of_birth", input_is_string=True, threshold=1, metric="year"
                ).configure(label_for_charts="Date of birth: within a year", m_probability=0.02, u_probability=0.08),
                cll.DamerauLevenshteinLevel("date_of_birth", 2).configure(
                    label_for_charts="Date of birth: two digits different", m_probability=0.02, u_probability=0.05
                ),
                cll.ElseLevel().configure(
                    label_for_charts="Date of birth: different", m_probability=0.01, u_probability=0.86
                ),
            ],
        ),
    ]
    if "sex" in present:
        comparisons.append(
            cl.CustomComparison(
                output_column_name="sex",
                comparison_description="Sex",
                comparison_levels=[
                    cll.NullLevel("sex"),
                    cll.ExactMatchLevel("sex").configure(
                        label_for_charts="Sex: the same", m_probability=0.97, u_probability=0.5
                    ),
                    cll.ElseLevel().configure(label_for_charts="Sex: different", m_probability=0.03, u_probability=0.5),
                ],
            )
        )
    if "postcode" in present:
        comparisons.append(
            cl.CustomComparison(
                output_column_name="postcode",
                comparison_description="Postcode",
                comparison_levels=[
                    cll.NullLevel("postcode"),
                    cll.ExactMatchLevel("postcode", term_frequency_adjustments=True).configure(
                        label_for_charts="Postcode: the same", m_probability=0.75, u_probability=0.002
                    ),
                    cll.LevenshteinLevel("postcode", 1).configure(
                        label_for_charts="Postcode: one character different", m_probability=0.1, u_probability=0.01
                    ),
                    cll.ElseLevel().configure(
                        label_for_charts="Postcode: different", m_probability=0.15, u_probability=0.988
                    ),
                ],
            )
        )
    if "address" in present:
        comparisons.append(
            cl.CustomComparison(
                output_column_name="address",
                comparison_description="Address",
                comparison_levels=[
                    cll.NullLevel("address"),
                    cll.ExactMatchLevel("address").configure(
                        label_for_charts="Address: the same", m_probability=0.7, u_probability=0.001
                    ),
                    cll.JaroWinklerLevel("address", 0.9).configure(
                        label_for_charts="Address: almost the same", m_probability=0.1, u_probability=0.004
                    ),
                    cll.JaroWinklerLevel("address", 0.7).configure(
                        label_for_charts="Address: similar", m_probability=0.05, u_probability=0.05
                    ),
                    cll.ElseLevel().configure(
                        label_for_charts="Address: different", m_probability=0.15, u_probability=0.945
                    ),
                ],
            )
        )
    if "town" in present:
        comparisons.append(
            cl.CustomComparison(
                output_column_name="town",
                comparison_description="Town",
                comparison_levels=[
                    cll.NullLevel("town"),
                    cll.ExactMatchLevel("town", term_frequency_adjustments=True).configure(
                        label_for_charts="Town: the same", m_probability=0.8, u_probability=0.1
                    ),
                    cll.JaroWinklerLevel("town", 0.88).configure(
                        label_for_charts="Town: almost the same", m_probability=0.08, u_probability=0.02
                    ),
                    cll.ElseLevel().configure(
                        label_for_charts="Town: different", m_probability=0.12, u_probability=0.88
                    ),
                ],
            )
        )
    if "identifiers" in present:
        comparisons.append(
            cl.CustomComparison(
                output_column_name="identifiers",
                comparison_description="Identifiers",
                comparison_levels=[
                    cll.NullLevel("identifiers"),
                    cll.ArrayIntersectLevel("identifiers", min_intersection=1).configure(
                        label_for_charts="Identifiers: one in common", m_probability=0.8, u_probability=0.0001
                    ),
                    cll.ElseLevel().configure(
                        label_for_charts="Identifiers: none in common", m_probability=0.2, u_probability=0.9999
                    ),
                ],
            )
        )
    return comparisons


def blocking_rules(present: set[str]) -> list:
    """Which pairs are scored at all. Each rule is cheap; together they catch a typo in any one field."""
    rules = [
        block_on("given_key", "family_key"),
        block_on("date_of_birth"),
        block_on("family_name", "birth_year"),
        block_on("given_name", "birth_year"),
        block_on("substr(given_name, 1, 2)", "substr(family_name, 1, 2)"),
        # Given and family names swapped (a common recording error).
        CustomRule("l.given_name = r.family_name AND l.family_name = r.given_name"),
    ]
    if "address" in present:
        rules.append(block_on("address"))
    if "postcode" in present:
        rules.append(block_on("postcode", "substr(family_name, 1, 1)"))
        rules.append(block_on("postcode", "substr(given_name, 1, 1)"))
    if "identifiers" in present:
        rules.append(block_on("identifiers", arrays_to_explode=["identifiers"]))
    return rules


def linkage_settings(*, link_type: str = "dedupe_only", present: Iterable[str] = OPTIONAL_COMPARISONS):
    """The model: backend-neutral, so the same settings run on DuckDB here and on Spark nationally."""
    present = set(present)
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        source_dataset_column_name="source_dataset",
        comparisons=_comparisons(present),
        blocking_rules_to_generate_predictions=blocking_rules(present),
        probability_two_random_records_match=1e-4,
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
        em_convergence=0.0001,
        max_iterations=25,
    )


def present_columns(frames: Sequence[pd.DataFrame]) -> set[str]:
    return {c for c in OPTIONAL_COMPARISONS if any(f[c].notna().any() for f in frames)}


@dataclass
class CandidatePair:
    """Two records the model thinks may be one person, and why (per comparison: level and weight)."""

    id_l: str
    id_r: str
    match_probability: float
    match_weight: float
    explanation: list[dict] = field(default_factory=list)


@dataclass
class LinkageResult:
    pairs: list[CandidatePair]
    model: dict
    trained_with_em: bool


def _level_labels(model: dict) -> dict[str, dict[int, str]]:
    """For each comparison, its levels' labels keyed by the gamma value Splink gives them.

    Splink numbers a comparison's levels: the null level is -1; the others count down from the
    best (n-1) to the else level (0), in the order they are defined.
    """
    labels = {}
    for comparison in model["comparisons"]:
        levels = comparison["comparison_levels"]
        non_null = [lv for lv in levels if not lv.get("is_null_level")]
        column = comparison["output_column_name"]
        by_gamma = {-1: f"{COMPARISON_LABELS.get(column, column)}: not known on one or both"}
        for index, level in enumerate(non_null):
            by_gamma[len(non_null) - 1 - index] = level.get("label_for_charts", "")
        labels[comparison["output_column_name"]] = by_gamma
    return labels


def _explain(row, labels: dict[str, dict[int, str]]) -> list[dict]:
    explanation = []
    for column, by_gamma in labels.items():
        gamma = row.get(f"gamma_{column}")
        if gamma is None or (isinstance(gamma, float) and math.isnan(gamma)):
            continue
        bf = row.get(f"bf_{column}")
        tf = row.get(f"bf_tf_adj_{column}")
        weight = 0.0
        if bf is not None and not (isinstance(bf, float) and math.isnan(bf)) and bf > 0:
            weight = math.log2(bf)
            if tf is not None and not (isinstance(tf, float) and math.isnan(tf)) and tf > 0:
                weight += math.log2(tf)
        explanation.append({"comparison": column, "level": by_gamma.get(int(gamma), ""), "weight": round(weight, 2)})
    return explanation


def build_linker(
    frames: Sequence[pd.DataFrame], *, db_api=None, link_type: str | None = None, present: Iterable[str] | None = None
) -> Linker:
    """A linker over prepared frames: one frame dedupes, two or more link (and dedupe if asked)."""
    link_type = link_type or ("dedupe_only" if len(frames) == 1 else "link_only")
    present = present_columns(frames) if present is None else set(present)
    settings = linkage_settings(link_type=link_type, present=present)
    inputs = frames[0] if len(frames) == 1 else list(frames)
    # No basicConfig of the host application's logging: Harbour's settings decide what is printed.
    return Linker(inputs, settings, db_api=db_api or DuckDBAPI(), set_up_basic_logging=False)


def train(linker: Linker, *, n_records: int, seed: int = DEFAULT_SEED, em: bool | None = None) -> bool:
    """u from random pairs (seeded), the prior from exact matches, m by EM, when there is data enough.

    Returns whether it trained. On a few hundred records random pairs and EM have too little to learn
    from, so the prior m and u values in the settings stand: they make a name and date of birth in
    common strong evidence, and either alone weak.
    """
    run_em = n_records >= MIN_RECORDS_FOR_EM if em is None else em
    if not run_em:
        return False
    try:
        linker.training.estimate_u_using_random_sampling(max_pairs=U_SAMPLE_PAIRS, seed=seed)
        linker.training.estimate_probability_two_random_records_match(
            [block_on("given_name", "family_name", "date_of_birth")], recall=0.7
        )
        # Each session fixes what it blocks on and learns the rest, so every comparison is learnt once.
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("date_of_birth"), estimate_without_term_frequencies=True
        )
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("given_key", "family_key"), estimate_without_term_frequencies=True
        )
    except Exception:  # e.g. no exact duplicates to estimate the prior from
        # Training is a refinement: with data that cannot support it, the priors are the model.
        log.warning("Record-linkage training failed; scoring with the prior model.", exc_info=True)
        return False
    return True


def predict_pairs(
    records: pd.DataFrame | Iterable[dict] | Sequence[pd.DataFrame],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    seed: int = DEFAULT_SEED,
    db_api=None,
    em: bool | None = None,
    link_type: str | None = None,
    prepared: bool = False,
) -> LinkageResult:
    """Candidate pairs of person records at or above `threshold`, best first, each explained.

    `records` is one table (find duplicates within it) or a list of tables (link them).
    """
    if isinstance(records, list | tuple) and records and isinstance(records[0], pd.DataFrame):
        frames = list(records)
    else:
        frames = [records if isinstance(records, pd.DataFrame) else pd.DataFrame(list(records))]
    if not prepared:
        frames = [prepare(f) for f in frames]
    if len(frames) > 1:
        for name, frame in zip("abcdefghijklmnopqrstuvwxyz", frames, strict=False):
            if frame["source_dataset"].nunique() <= 1:
                frame["source_dataset"] = name
    n_records = sum(len(f) for f in frames)
    if n_records < 2:
        return LinkageResult([], {}, False)
    linker = build_linker(frames, db_api=db_api, link_type=link_type)
    trained = train(linker, n_records=n_records, seed=seed, em=em)
    predictions = linker.inference.predict(threshold_match_probability=threshold).as_pandas_dataframe()
    model = linker.misc.save_model_to_json()
    labels = _level_labels(model)
    pairs = []
    for row in predictions.to_dict("records"):
        pairs.append(
            CandidatePair(
                id_l=str(row["unique_id_l"]),
                id_r=str(row["unique_id_r"]),
                match_probability=float(row["match_probability"]),
                match_weight=float(row["match_weight"]),
                explanation=_explain(row, labels),
            )
        )
    pairs.sort(key=lambda p: (-p.match_probability, p.id_l, p.id_r))
    return LinkageResult(pairs, model, trained)


def one_to_one(pairs: Iterable[CandidatePair]) -> list[CandidatePair]:
    """Keep each record's best pair only (greedy, best first): for linking two lists each already
    free of duplicates, where a record can be the same person as at most one record of the other."""
    used_l: set[str] = set()
    used_r: set[str] = set()
    kept = []
    for pair in sorted(pairs, key=lambda p: (-p.match_probability, p.id_l, p.id_r)):
        if pair.id_l in used_l or pair.id_r in used_r:
            continue
        used_l.add(pair.id_l)
        used_r.add(pair.id_r)
        kept.append(pair)
    return kept
