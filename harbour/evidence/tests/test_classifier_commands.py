"""`harbour evidence-train` and `harbour evidence-eval`, run for real on small labelled files whose
answers are known: the model file is written, and every printed figure follows from the data.

The training file teaches the classifier one made-up cue ("zebra" means secrecy) that the rules
cannot know; the evaluation file mixes that cue with a phrase only the rules know ("delete this
chat") and a question the rules flag although its label says otherwise. So the rules and the
classifier must score differently, and by amounts worked out by hand below.
"""

import json

import pytest
from django.core.management import CommandError, call_command

from harbour.evidence import classifier

TRAIN = [{"text": f"zebra stripes {word} tonight", "labels": ["secrecy"]} for word in ("red", "blue", "green", "gold")]
TRAIN += [{"text": f"giraffe neck {word} today", "labels": []} for word in ("red", "blue", "green", "gold", "pink")]
TRAIN += [{"text": "zebra stripes again", "labels": ["secrecy"]}, {"text": "giraffe neck again", "labels": []}]

EVALUATE = [
    {"text": "zebra stripes red", "labels": ["secrecy"]},  # classifier yes, rules no
    {"text": "zebra stripes blue", "labels": ["secrecy"]},
    {"text": "zebra stripes green", "labels": ["secrecy"]},
    {"text": "zebra stripes gold", "labels": ["secrecy"]},
    {"text": "please delete this chat", "labels": ["secrecy"]},  # rules yes, classifier no
    {"text": "delete this chat now", "labels": ["secrecy"]},
    {"text": "giraffe neck pink", "labels": []},  # nobody
    {"text": "how old are you then", "labels": []},  # rules say age_identity: a false positive
]


def write(path, rows):
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return str(path)


def table(output: str, heading: str) -> dict[str, tuple[int, float, float, float]]:
    """The rows under `heading` in the command's output: family -> (support, precision, recall, F1)."""
    lines = output.splitlines()
    start = lines.index(heading) + 2  # skip the heading and the column names
    rows = {}
    for line in lines[start:]:
        *name, support, precision, recall, f1 = line.split() or ["", "", "", "", ""]
        if not support.isdigit():
            break  # the end of the table
        rows[" ".join(name)] = (int(support), float(precision), float(recall), float(f1))
    return rows


def test_train_writes_a_model_and_eval_scores_rules_and_classifier_from_the_data(tmp_path, capsys):
    model = tmp_path / "models" / "classifier.joblib"
    call_command("evidence_train", write(tmp_path / "train.jsonl", TRAIN), model=str(model))
    out = capsys.readouterr().out
    assert out.strip() == f"Trained on 11 lines, 1 families; saved to {model}"
    assert model.is_file() and model.stat().st_size > 0
    trained = classifier.load(model)
    assert trained["families"] == ["secrecy"]  # one family: scikit-learn's flattened answer is handled
    assert classifier.predict(trained, ["zebra stripes", "giraffe neck"]) == [{"secrecy"}, set()]

    call_command("evidence_eval", write(tmp_path / "eval.jsonl", EVALUATE), model=str(model))
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Rules (8 labelled lines)"
    rules, learned = table(out, "Rules (8 labelled lines)"), table(out, "Classifier")
    # Secrecy: 6 labelled. Rules find the 2 "delete this chat" (P 2/2, R 2/6, F1 0.5);
    # the classifier the 4 "zebra" lines (P 4/4, R 4/6, F1 0.8).
    assert rules["secrecy"] == (6, 1.0, 0.33, 0.5)
    assert learned["secrecy"] == (6, 1.0, 0.67, 0.8)
    # Age: never labelled; the rules flag "how old are you" once (a false positive, precision 0).
    assert rules["age_identity"] == (0, 0.0, 0.0, 0.0)
    families = {"age_identity", "flattery_trust", "gifts_money", "secrecy", "isolation", "risk_probing"}
    assert families <= set(rules) and set(rules) == set(learned)
    # Macro averages over the 10 rule families: only secrecy scores.
    assert rules["macro average"] == (6, 0.1, 0.03, 0.05)
    assert learned["macro average"] == (6, 0.1, 0.07, 0.08)


def test_eval_without_a_model_scores_the_rules_and_says_how_to_train(tmp_path, capsys):
    missing = tmp_path / "none.joblib"
    call_command("evidence_eval", write(tmp_path / "eval.jsonl", EVALUATE), model=str(missing))
    out = capsys.readouterr().out
    assert table(out, "Rules (8 labelled lines)")["secrecy"] == (6, 1.0, 0.33, 0.5)
    assert f"No classifier at {missing}: run `harbour evidence-train` first" in out
    assert "Classifier" not in out.splitlines()
    call_command("evidence_eval", str(tmp_path / "eval.jsonl"), "--rules-only", model=str(missing))
    assert "No classifier" not in capsys.readouterr().out


def test_bad_input_is_refused_naming_the_line(tmp_path):
    with pytest.raises(CommandError, match="at least 10 labelled lines"):
        call_command("evidence_train", write(tmp_path / "few.jsonl", TRAIN[:5]), model=str(tmp_path / "m.joblib"))
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(TRAIN[0]) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad.jsonl, line 2"):
        call_command("evidence_train", str(bad), model=str(tmp_path / "m.joblib"))
    with pytest.raises(CommandError, match=r"line 1: 'text' must be text"):
        call_command("evidence_eval", write(tmp_path / "typed.jsonl", [{"text": 5, "labels": []}]))
    with pytest.raises(CommandError):
        call_command("evidence_eval", str(tmp_path / "absent.jsonl"))
    assert not (tmp_path / "m.joblib").exists()
