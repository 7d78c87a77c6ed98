"""Identifiers found in message text (plain Python): phones, emails, handles, web addresses,
money amounts, meeting dates or times and places (UK postcodes), each normalised so the same number written two
ways is one identifier. Provenance (the message) is the caller's to keep."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Found:
    kind: str
    value: str
    raw: str


EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+")
URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']{2,200}", re.IGNORECASE)
HANDLE = re.compile(r"(?<![\w@.])@([A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?)\b")
# UK numbers: +44 / 0044 / 0 followed by 9-10 digits, spaces, dots, dashes or brackets between.
PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)\s?44\s?\(?0?\)?|\(?0)(?:[\s.-]?\(?\d\)?){9,10}(?!\d)")
MONEY = re.compile(
    r"(?:[£$€]\s?\d{1,6}(?:[.,]\d{2})?(?:\s?(?:k|grand))?|\b\d{1,6}(?:\.\d{2})?\s?(?:quid|pounds?|p\b|gbp|bucks|grand))",
    re.IGNORECASE,
)
DAY = r"(?:today|tonight|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|this weekend|next week)"
TIME = r"(?:\d{1,2}(?::\d{2})?\s?(?:am|pm)|(?:[01]?\d|2[0-3]):[0-5]\d)"
# A day alone ("tonight") is too common to be a meeting: a time must be named.
MEETING = re.compile(rf"\b(?:{DAY}\s+(?:at|@|about|around)\s+{TIME}|(?:at|@)\s+{TIME}(?:\s+{DAY})?)\b", re.IGNORECASE)
# UK postcodes (outward and inward code), the most reliable way a chat names a place.
POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE)
# Every identifier has a digit, an @, a currency sign or a web prefix: most messages have none.
# (One character class and two substring tests: several times faster than one alternation.)
_DIGIT_OR_SIGN = re.compile(r"[\d@£$€]")


def may_hold_identifier(text: str) -> bool:
    if _DIGIT_OR_SIGN.search(text):
        return True
    lowered = text.lower()
    return "www." in lowered or "http" in lowered


def normalise_uk_phone(raw: str) -> str | None:
    """E.164 (+44...) for a UK number, or None if it is not one."""
    digits = re.sub(r"\D", "", raw)
    if raw.strip().startswith("+") or digits.startswith("0044"):
        digits = digits[2:] if digits.startswith("0044") else digits
        if not digits.startswith("44"):
            return None
        national = digits[2:]
        if national.startswith("0"):  # "+44 (0)7700..." written with the trunk zero
            national = national[1:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        return None
    if len(national) not in (9, 10) or national[0] not in "1237":
        return None
    if national[0] == "7" and len(national) != 10:
        return None
    return "+44" + national


def _money(raw: str) -> str:
    text = raw.lower().replace(" ", "")
    currency = "GBP"
    if text.startswith("$") or "bucks" in text:
        currency = "USD"
    elif text.startswith("€"):
        currency = "EUR"
    number = re.search(r"\d{1,6}(?:[.,]\d{2})?", text).group(0).replace(",", ".")
    amount = float(number)
    if text.endswith(("k", "grand")):
        amount *= 1000
    elif re.fullmatch(r"\d+p", text):
        amount /= 100
    return f"{currency} {amount:.2f}"


def extract(text: str) -> list[Found]:
    if not may_hold_identifier(text):
        return []
    found: list[Found] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, value: str | None, raw: str) -> None:
        if value and (kind, value) not in seen:
            seen.add((kind, value))
            found.append(Found(kind, value[:300], raw[:300]))

    emails = list(EMAIL.finditer(text))
    for m in emails:
        add("email", m.group(0).lower(), m.group(0))
    for m in URL.finditer(text):
        url = m.group(0).rstrip(".,);!?")
        add("url", url if "://" in url else "https://" + url, url)
    email_spans = [m.span() for m in emails]
    for m in HANDLE.finditer(text):
        if not any(a <= m.start() < b for a, b in email_spans):
            add("handle", "@" + m.group(1).lower(), m.group(0))
    for m in PHONE.finditer(text):
        add("phone", normalise_uk_phone(m.group(0)), m.group(0).strip())
    for m in MONEY.finditer(text):
        add("money", _money(m.group(0)), m.group(0))
    for m in MEETING.finditer(text):
        add("meeting", re.sub(r"\s+", " ", m.group(0).lower()), m.group(0))
    for m in POSTCODE.finditer(text):
        add("place", f"{m.group(1)} {m.group(2)}".upper(), m.group(0))
    return found
