from hypothesis import given
from hypothesis import strategies as st

from harbour.people.identifiers import identifier_error, nhs_number_is_valid, normalise_identifier
from harbour.people.names import normalise, phonetic, tokens


def test_near_spellings_share_a_phonetic_key():
    pairs = [
        ("Katie", "Caty"),
        ("Mohammed", "Muhammad"),
        ("Mohamed", "Mohammad"),
        ("Jon", "John"),
        ("Smith", "Smyth"),
        ("Aisha", "Ayesha"),
        ("Philip", "Filip"),
        ("Zoe", "Zoë"),
        ("Stephen", "Stefan"),
    ]
    for a, b in pairs:
        assert phonetic(a) == phonetic(b), (a, b, phonetic(a), phonetic(b))


def test_different_names_keep_different_keys():
    assert phonetic("Katie") != phonetic("Kyle")
    assert phonetic("Smith") != phonetic("Jones")


def test_normalise_and_tokens():
    assert normalise("O'Brien-Smith") == "obriensmith"
    assert tokens("Mary-Jane  O'Neil") == ["mary", "jane", "oneil"]
    assert tokens("   ") == []


@given(st.text())
def test_name_keys_never_fail_on_any_text(text):
    assert normalise(text).isascii()
    key = phonetic(text)
    assert key == "" or key.isupper() or key.isalpha()


def test_nhs_number_check_digit():
    assert nhs_number_is_valid("9434765919")
    assert not nhs_number_is_valid("9434765918")
    assert identifier_error("nhs_number", "943 476 5919") is None
    assert "check digit" in identifier_error("nhs_number", "943 476 5918")


def test_identifier_formats_name_the_expected_shape():
    assert identifier_error("police_ref", "hb-26-004512") is None
    assert normalise_identifier("police_ref", " hb-26-004512 ") == "HB-26-004512"
    assert "like HB-26-004512" in identifier_error("police_ref", "12345")
    assert identifier_error("council_case", "NTH1234567") is None
    assert identifier_error("nonsense", "x") == "Choose an identifier type."
