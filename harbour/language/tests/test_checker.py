"""The checker on its own (no database): the examples quoted in issue 4, inflections and word order, what is
not about the child, quotations, suggestions in the sentence's tense, and the lexicon's validation."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harbour.language.checker import Lexicon, LexiconError, check, merge_entry, tokenize


def terms(text: str) -> list[str]:
    return [f.term_id for f in check(text)]


def only(text: str):
    findings = check(text)
    assert len(findings) == 1, [(f.term_id, f.text) for f in findings]
    return findings[0]


def applied(text: str, index: int = 0) -> str:
    """The text with the finding's first alternative put in place, as "Use this wording" does."""
    f = only(text)
    return text[: f.start] + f.alternatives[index] + text[f.end :]


# --- The examples quoted in the issue ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "term", "phrase"),
    [
        ("She is putting herself at risk.", "putting-self-at-risk", "is putting herself at risk"),
        ("He put himself at risk.", "putting-self-at-risk", "put himself at risk"),
        ("She was promiscuous.", "promiscuous", "was promiscuous"),
        ("She was seen with her 24-year-old boyfriend.", "adult-partner", "boyfriend"),
    ],
)
def test_issue_examples_are_flagged(text, term, phrase):
    f = only(text)
    assert (f.term_id, f.text) == (term, phrase)
    assert text[f.start : f.end] == phrase
    assert f.alternatives and f.explanation


@pytest.mark.parametrize(
    "text",
    [
        "The offender's girlfriend was present at the address.",
        'She said "I was putting myself at risk, it was my choice".',
        "She said: “He is my boyfriend and he is 24.”",
        "In her own words: 'I consented, I'm streetwise.'",
        "> I was putting myself at risk but I did not care.",
    ],
)
def test_not_flagged_when_not_about_the_child_or_in_the_childs_own_words(text):
    assert terms(text) == []


# --- Inflections, tenses, pronouns, word order ------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "she puts herself at risk",
        "They are placing themselves at significant risk.",
        "The young person put themself in danger.",
        "He has been placing himself in dangerous situations.",
        "She keeps exposing herself to harm.",
        "Tyler has repeatedly put himself in harm's way.",
        "She makes herself vulnerable.",
        "The risk she is putting herself at is rising.",
        "SHE IS PUTTING HERSELF AT RISK",
        "She is putting\nherself at risk.",
        "She’s putting herself at risk.",
    ],
)
def test_putting_self_at_risk_in_its_forms(text):
    assert terms(text) == ["putting-self-at-risk"]


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Concerns were raised about her promiscuity.", "promiscuous"),
        ("She has become increasingly promiscuous.", "promiscuous"),
        ("Ruby, aged 13, is sexually active.", "sexually-active"),
        ("She consented to going with them.", "consent"),
        ("The relationship appeared consensual.", "consent"),
        ("She was described as prostituting herself.", "prostitution"),
        ("Old records call her a child prostitute.", "prostitution"),
        ("Going missing is a lifestyle choice for her.", "lifestyle-choice"),
        ("Her risky behaviour has escalated.", "risky-behaviour"),
        ("He is recruiting others into the line.", "recruiting-others"),
        ("He has been working for a dealer.", "working-for"),
        ("He is a known drug runner.", "drug-running"),
        ("She is acting as a money mule.", "money-mule"),
        ("She has been contacting adults online.", "contacting-adults"),
        ("Her boyfriend, aged 27, drives her around.", "adult-partner"),
        ("She says her boyfriend is in his thirties.", "adult-partner"),
        ("Her older boyfriend buys her phone credit.", "adult-partner"),
    ],
)
def test_terms_from_the_domain_guidance(text, term):
    assert terms(text) == [term]


# --- Not about the child ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The suspect arrived with his girlfriend (aged 30).",
        "Her mother's boyfriend, aged 42, lives at the address.",
        "Her boyfriend, who is 15, attends the same school.",  # a peer
        "She has a boyfriend in her class.",  # no adult in view
        "Mr Patel and his partner, aged 45, are the foster carers.",
        "The officer put himself at risk to reach the child.",
        "Her mother consented to the referral.",
        "She consented to a medical examination.",
        "Children cannot consent to their own abuse.",
        "She is not sexually active, according to the school nurse.",
        "The group is recruiting children from local schools.",
        "Her mother is working for the NHS.",
        "Adults have been contacting her online.",
        "She is at risk from adults who may be exploiting her.",
    ],
)
def test_not_flagged(text):
    assert terms(text) == []


def test_the_phrase_belongs_to_the_man_not_the_child():
    assert terms("Katie says the man who collected her lives with his 26-year-old girlfriend.") == []
    assert terms("She describes the 19-year-old as her boyfriend.") == ["adult-partner"]


# --- Suggestions fit the sentence -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("she is putting herself at risk", "she is at risk from others"),
        ("She was putting herself at risk.", "She was at risk from others."),
        ("He puts himself at risk.", "He is at risk from others."),
        ("He has put himself at risk.", "He has been at risk from others."),
        ("They put themselves at risk.", "They were at risk from others."),
        ("She may be putting herself at risk.", "She may be at risk from others."),
        ("She repeatedly puts herself at risk.", "She is repeatedly at risk from others."),
        ("She has been contacting adults online.", "She has been contacted by adults online."),
        ("He contacted older men online.", "He was contacted by older men online."),
        ("She was promiscuous.", "She was being sexually exploited."),
        ("She is working for older males.", "She is being criminally exploited by older males."),
        ("She chose to go missing.", "She was missing."),
        ("Putting herself at risk again, she left.", "Being at risk from others again, she left."),
    ],
)
def test_first_alternative_keeps_the_tense(text, expected):
    assert applied(text) == expected


def test_second_alternative_names_the_pronoun():
    assert applied("He is putting himself at risk.", 1) == (
        "He is being exposed to risk by people who may be exploiting him."
    )


def test_line_and_column():
    f = only("First line.\n  She is putting herself at risk.")
    assert (f.line, f.column) == (2, 7)
    assert f.to_dict()["term_id"] == "putting-self-at-risk"


def test_overlapping_phrases_give_one_finding_the_longest():
    f = only("She is engaging in risky behaviour.")
    assert f.term_id == "engaging-in"
    assert f.text == "is engaging in risky behaviour"


# --- Tokens and text the checker must survive --------------------------------------------------------


def test_tokens_split_clitics_and_keep_offsets():
    tokens = tokenize("She didn't go; the offender’s car.")
    assert [t.norm for t in tokens] == ["she", "did", "n't", "go", ";", "the", "offender", "'s", "car", "."]
    assert all("She didn't go; the offender’s car."[t.start : t.end] == t.text for t in tokens)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_any_text_checks_without_error_and_spans_match(text):
    for f in check(text):
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.text


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "she",
                "is",
                "putting",
                "herself",
                "at",
                "risk",
                "'",
                '"',
                ".",
                "her",
                "boyfriend",
                "24-year-old",
                "consented",
                "to",
                "the",
                "offender",
                "'s",
                "\n",
            ]
        ),
        max_size=40,
    )
)
def test_word_salad_of_lexicon_words(words):
    text = " ".join(words)
    for f in check(text):
        assert text[f.start : f.end] == f.text


# --- The lexicon as data ------------------------------------------------------------------------------


def test_every_default_entry_has_alternatives_and_explanation():
    lexicon = Lexicon.default()
    assert len(lexicon.entries) >= 20
    for entry in lexicon.entries:
        assert entry.explanation and entry.term
        assert all(rule.alternatives for rule in entry.rules)


def test_an_added_entry_is_checked():
    lexicon = Lexicon.default().with_entries(
        [
            {
                "id": "on-the-game",
                "term": "on the game",
                "category": "victim_blaming",
                "explanation": "Describes sexual exploitation as work.",
                "about_child": ["subject"],
                "rules": [{"patterns": ["aux={aux}* on the game"], "alternatives": ["{beprog} sexually exploited"]}],
            }
        ]
    )
    f = lexicon.check("She is on the game.")[0]
    assert (f.term_id, f.alternatives[0]) == ("on-the-game", "is being sexually exploited")


def test_a_default_entry_can_be_switched_off_or_extended():
    off = Lexicon.default().with_entries([{"id": "streetwise", "active": False}])
    assert off.check("She is streetwise.") == []
    extended = Lexicon.default().with_entries(
        [{"id": "streetwise", "term": "streetwise", "rules": [{"patterns": ["savvy"], "alternatives": ["vulnerable"]}]}]
    )
    assert [f.term_id for f in extended.check("She is streetwise and savvy.")] == ["streetwise", "streetwise"]


def test_clitics_can_be_written_in_patterns():
    lexicon = Lexicon.default().with_entries(
        [
            {
                "id": "wont-engage",
                "term": "won't engage",
                "category": "victim_blaming",
                "explanation": "Puts the responsibility on the child.",
                "rules": [{"patterns": ["will n't engage"], "alternatives": ["has not yet been reached"]}],
            }
        ]
    )
    assert [f.text for f in lexicon.check("She won't engage.")] == ["won't engage"]


def test_merge_keeps_the_default_patterns():
    default = {"id": "x", "term": "x", "rules": [{"patterns": ["a"], "alternatives": ["b"]}], "exceptions": {}}
    merged = merge_entry(default, {"id": "x", "term": "", "explanation": "Why.", "rules": []})
    assert merged["rules"] == default["rules"]
    assert merged["term"] == "x" and merged["explanation"] == "Why."


@pytest.mark.parametrize(
    ("entry", "field", "message"),
    [
        ({"patterns": ["{nope} at risk"]}, "patterns", "unknown word class {nope}"),
        ({"patterns": ["~2 risk"]}, "patterns", "cannot start or end with a gap"),
        ({"patterns": ["harm's way"]}, "patterns", "more than one word"),
        ({"patterns": ["x?"]}, "patterns", "needs at least one required word"),
        ({"alternatives": ["{rest:nothing}"]}, "alternatives", "refers to a capture"),
        ({"alternatives": ["{tense}"]}, "alternatives", "unknown slot"),
        ({"category": "rude"}, "category", "choose one of"),
        ({"id": "Not An Id"}, "id", "lower-case"),
    ],
)
def test_bad_entries_are_refused_naming_the_field(entry, field, message):
    data = {
        "id": "new-term",
        "term": "new term",
        "category": "victim_blaming",
        "explanation": "Why.",
        "rules": [
            {"patterns": entry.pop("patterns", ["risky"]), "alternatives": entry.pop("alternatives", ["exposed"])}
        ],
        **entry,
    }
    with pytest.raises(LexiconError) as raised:
        Lexicon.default().validate_entry(data)
    assert raised.value.field == field
    assert message in raised.value.message
