"""Identifier schemes held by agencies, with their formats. Plain Python, no Django.

Formats are checked on entry so a mistyped reference is caught at once, and values are
normalised so the same identifier typed two ways finds the same person.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Scheme:
    code: str
    label: str
    pattern: re.Pattern
    hint: str


def nhs_number_is_valid(digits: str) -> bool:
    """NHS number: 10 digits, the last a modulus-11 check digit (NHS Data Dictionary)."""
    if not re.fullmatch(r"\d{10}", digits):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - (total % 11)
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


SCHEMES = {
    s.code: s
    for s in (
        # Police reference: force code, two-digit year, six-digit serial, e.g. HB-26-004512.
        Scheme("police_ref", "Police reference", re.compile(r"[A-Z]{2}-\d{2}-\d{6}"), "like HB-26-004512"),
        # Council case number: authority prefix and 6 to 8 digits, e.g. NTH1234567.
        Scheme("council_case", "Council case number", re.compile(r"[A-Z]{3}\d{6,8}"), "like NTH1234567"),
        Scheme("nhs_number", "NHS number", re.compile(r"\d{10}"), "10 digits, like 999 123 4560"),
        # Unique pupil number (DfE): a check letter, 12 digits.
        Scheme("upn", "Unique pupil number", re.compile(r"[A-Z]\d{11}[0-9A-Z]"), "13 characters, like A12345678901B"),
        Scheme("yos_ref", "Youth offending case reference", re.compile(r"YOS\d{5,7}"), "like YOS012345"),
    )
}


def normalise_identifier(scheme_code: str, value: str) -> str:
    value = (value or "").strip().upper()
    if scheme_code == "nhs_number":
        return re.sub(r"[\s-]", "", value)
    return re.sub(r"\s+", "", value)


def identifier_error(scheme_code: str, value: str) -> str | None:
    """Why `value` is not a valid identifier of the scheme, or None if it is."""
    scheme = SCHEMES.get(scheme_code)
    if scheme is None:
        return "Choose an identifier type."
    normalised = normalise_identifier(scheme_code, value)
    if not normalised:
        return f"Enter the {scheme.label.lower()}."
    if not scheme.pattern.fullmatch(normalised):
        return f"Enter a valid {scheme.label.lower()}, {scheme.hint}."
    if scheme_code == "nhs_number" and not nhs_number_is_valid(normalised):
        return "Enter a valid NHS number: the check digit does not match."
    return None
