"""The same value typed any usual way normalises to one key, so it joins records from anywhere."""

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harbour.graph import normalise

# UK national significant numbers: mobiles (7 + 9 digits) and geographic numbers (1/2 + 8-9 digits).
uk_mobile = st.from_regex(r"7[0-9]{9}", fullmatch=True)
uk_landline = st.from_regex(r"[12][0-9]{8,9}", fullmatch=True)
uk_nsn = st.one_of(uk_mobile, uk_landline)
separators = st.sampled_from(["", " ", "-", ".", "  "])


def _spread(digits: str, sep: str, step: int) -> str:
    return sep.join(digits[i : i + step] for i in range(0, len(digits), step))


@given(nsn=uk_nsn, sep=separators, step=st.integers(min_value=2, max_value=6))
def test_uk_number_written_any_usual_way_is_one_e164_value(nsn, sep, step):
    expected = "+44" + nsn
    for prefix in ("0", "+44", "+44 (0)", "0044 ", "0044 0", "44"):
        written = prefix + _spread(nsn, sep, step)
        assert normalise.normalise_phone(written) == expected, written


@given(nsn=uk_nsn)
def test_phone_normalisation_is_idempotent(nsn):
    once = normalise.normalise_phone("0" + nsn)
    assert normalise.normalise_phone(once) == once


@given(digits=st.from_regex(r"[1-9][0-9]{7,12}", fullmatch=True).filter(lambda d: not d.startswith("44")))
def test_international_numbers_keep_their_country_code(digits):
    assert normalise.normalise_phone("+" + digits) == "+" + digits
    assert normalise.normalise_phone("00" + digits) == "+" + digits


@pytest.mark.parametrize("bad", ["", "  ", "0770", "077009001234567", "07700 9OO123", "call me", "+44 7700 900"])
def test_bad_phone_numbers_are_refused_with_a_reason(bad):
    with pytest.raises(ValueError, match=r"\w"):
        normalise.normalise_phone(bad)


vrm = st.from_regex(r"[A-Z]{2}[0-9]{2}[A-Z]{3}", fullmatch=True)


@given(mark=vrm, gap=st.sampled_from(["", " ", "  ", "-"]), lower=st.booleans())
def test_vehicle_registration_ignores_spacing_and_case(mark, gap, lower):
    written = f"{mark[:4]}{gap}{mark[4:]}"
    written = written.lower() if lower else written
    assert normalise.normalise_vrm(f"  {written} ") == mark
    assert normalise.normalise_vrm(normalise.normalise_vrm(written)) == mark


handles = st.from_regex(r"[a-z][a-z0-9_.]{2,20}", fullmatch=True)


@given(handle=handles, at=st.booleans(), upper=st.booleans())
def test_handles_ignore_at_sign_case_and_profile_urls(handle, at, upper):
    written = ("@" if at else "") + (handle.upper() if upper else handle)
    assert normalise.normalise_handle(written) == handle
    assert normalise.normalise_handle(f"https://www.instagram.com/{handle}/") == handle
    assert normalise.normalise_handle(normalise.normalise_handle(written)) == handle


@given(local=st.from_regex(r"[a-z][a-z0-9.]{0,15}", fullmatch=True), upper=st.booleans())
def test_email_is_case_insensitive_and_idempotent(local, upper):
    address = f"{local}@example.org"
    written = address.upper() if upper else address
    assert normalise.normalise_email(f" mailto:{written} ") == address
    assert normalise.normalise_email(address) == address


@given(words=st.lists(st.from_regex(r"[A-Za-z]{2,8}", fullmatch=True), min_size=1, max_size=4))
def test_organisation_names_ignore_case_spacing_and_punctuation(words):
    key = normalise.normalise_name(" ".join(words))
    assert normalise.normalise_name("  " + "   ".join(w.upper() for w in words) + ".") == key
    assert normalise.normalise_name(key) == key


def test_platform_aliases():
    assert normalise.normalise_platform("Insta") == "instagram"
    assert normalise.normalise_platform("Twitter") == "x"
    with pytest.raises(ValueError):
        normalise.normalise_platform("myspace")


@given(text=st.text(max_size=30))
def test_normalisers_never_crash_only_refuse(text):
    for function in (
        normalise.normalise_phone,
        normalise.normalise_email,
        normalise.normalise_vrm,
        normalise.normalise_handle,
        normalise.normalise_name,
    ):
        try:
            result = function(text)
        except ValueError:
            continue
        assert function(result) == result


@pytest.mark.parametrize(
    "url, account",
    [
        ("https://www.instagram.com/Big_Dave/", ("instagram", "big_dave")),
        ("instagram.com/big_dave?igsh=abc", ("instagram", "big_dave")),
        ("https://www.tiktok.com/@dave.k", ("tiktok", "dave.k")),
        ("https://www.snapchat.com/add/dave_k", ("snapchat", "dave_k")),
        ("https://t.me/DaveK", ("telegram", "davek")),
        ("https://twitter.com/Dave", ("x", "dave")),
        ("https://m.facebook.com/dave.k.123", ("facebook", "dave.k.123")),
    ],
)
def test_a_profile_address_is_an_account(url, account):
    assert normalise.account_from_profile_url(url) == account


@pytest.mark.parametrize(
    "url",
    [
        "https://www.instagram.com/p/Cx1/",  # a post
        "https://www.tiktok.com/dave",  # TikTok profiles are /@name
        "https://www.snapchat.com/discover",
        "https://t.me/joinchat/AbC",  # a group invitation
        "https://t.me/+AbCdEf",
        "https://x.com/i/web/status/1",
        "https://www.facebook.com/profile.php?id=100",  # a number, not a user name
        "https://www.facebook.com/groups/parents",
        "https://example.com/dave",  # not a platform Harbour knows
        "https://www.instagram.com/",
    ],
)
def test_other_addresses_are_not_accounts(url):
    with pytest.raises(ValueError):
        normalise.account_from_profile_url(url)


def test_a_whatsapp_chat_link_is_a_phone_number():
    assert normalise.phone_from_chat_link("https://wa.me/447700900123") == "+447700900123"
    assert normalise.phone_from_chat_link("https://api.whatsapp.com/send?phone=447700900123&text=hi") == "+447700900123"
    for url in ("https://wa.me/message/ABC", "https://example.com/447700900123", "https://api.whatsapp.com/send"):
        with pytest.raises(ValueError):
            normalise.phone_from_chat_link(url)


@given(text=st.text(max_size=60))
def test_address_readers_never_crash_only_refuse(text):
    for function in (normalise.account_from_profile_url, normalise.phone_from_chat_link):
        with contextlib.suppress(ValueError):
            function(text)
