"""Normalised forms of the "pivot" values that join records from anywhere (FollowTheMoney's idea):
phone numbers, email addresses, vehicle registrations, online handles and organisation names.

Plain Python, no Django, so the importer, the evidence parser, the matching engine and the screens
all call the same functions and the same value typed two ways is one entity. Each function returns
the normalised text or raises ValueError with a message a user can act on.
"""

import re
import unicodedata

UK_COUNTRY_CODE = "44"
# E.164: at most 15 digits after the "+" (ITU-T Recommendation E.164).
E164_MAX_DIGITS = 15
# A UK national significant number (after the trunk "0") has 9 or 10 digits (Ofcom numbering plan).
UK_NSN_LENGTHS = (9, 10)

_PHONE_PUNCTUATION = re.compile(r"[\s\-\.\(\)/]")
_VRM_ALLOWED = re.compile(r"[A-Z0-9]+")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_HANDLE_ALLOWED = re.compile(r"[a-z0-9._\-]+")
_SPACES = re.compile(r"\s+")

# Platforms, by the names people type for them. Handles on all of these are case-insensitive.
PLATFORMS = {
    "snapchat": "snapchat",
    "snap": "snapchat",
    "instagram": "instagram",
    "insta": "instagram",
    "ig": "instagram",
    "tiktok": "tiktok",
    "facebook": "facebook",
    "fb": "facebook",
    "whatsapp": "whatsapp",
    "telegram": "telegram",
    "x": "x",
    "twitter": "x",
    "discord": "discord",
    "kik": "kik",
    "wizz": "wizz",
    "yubo": "yubo",
    "other": "other",
}
PLATFORM_LABELS = {
    "snapchat": "Snapchat",
    "instagram": "Instagram",
    "tiktok": "TikTok",
    "facebook": "Facebook",
    "whatsapp": "WhatsApp",
    "telegram": "Telegram",
    "x": "X (Twitter)",
    "discord": "Discord",
    "kik": "Kik",
    "wizz": "Wizz",
    "yubo": "Yubo",
    "other": "Other",
}
_PROFILE_URL = re.compile(
    r"^(?:https?://)?(?:www\.|m\.)?(?:snapchat\.com/add|instagram\.com|tiktok\.com|facebook\.com|"
    r"t\.me|x\.com|twitter\.com)/",
    re.IGNORECASE,
)


def _fold(value: str) -> str:
    """Compatibility-fold (full-width digits, ligatures) so look-alike input gives the same key."""
    return unicodedata.normalize("NFKC", value or "").strip()


def normalise_phone(value: str) -> str:
    """A phone number in E.164 ("+447700900123"). UK numbers may be written nationally ("07700 900123"),
    with "+44 (0)", "0044" or "44"; other countries need their "+" or "00" prefix."""
    text = _fold(value)
    if not text:
        raise ValueError("Enter the phone number.")
    text = _PHONE_PUNCTUATION.sub("", text)
    text = text.replace("+44(0)", "+44").replace("+440", "+44")
    if text.startswith("+"):
        digits = text[1:]
    elif text.startswith("00"):
        digits = text[2:]
    elif text.startswith("0"):
        digits = UK_COUNTRY_CODE + text[1:]
    elif text.startswith(UK_COUNTRY_CODE) and len(text) - 2 in UK_NSN_LENGTHS:
        digits = text
    else:
        raise ValueError("Enter a UK number (like 07700 900123) or an international one starting with +.")
    if not digits.isdigit() or not digits.isascii():
        raise ValueError("A phone number may contain only digits, spaces, brackets, dashes and a leading +.")
    if digits.startswith(UK_COUNTRY_CODE + "0"):
        digits = UK_COUNTRY_CODE + digits[3:]
    if digits.startswith(UK_COUNTRY_CODE):
        if len(digits) - len(UK_COUNTRY_CODE) not in UK_NSN_LENGTHS:
            raise ValueError("A UK number has 10 or 11 digits including the leading 0.")
    elif not 7 <= len(digits) <= E164_MAX_DIGITS:
        raise ValueError("An international number has between 7 and 15 digits after the +.")
    return "+" + digits


def normalise_email(value: str) -> str:
    """An email address, lower-cased. (The local part is case-sensitive in theory, never in practice.)"""
    text = _fold(value)
    if text.lower().startswith("mailto:"):
        text = text[7:]
    text = text.strip().strip("<>").lower()
    if not _EMAIL.fullmatch(text):
        raise ValueError("Enter an email address like name@example.com.")
    return text


def normalise_vrm(value: str) -> str:
    """A vehicle registration mark: upper case, no spaces ("ab12 cde" -> "AB12CDE")."""
    text = _fold(value).upper()
    text = re.sub(r"[\s\-]", "", text)
    if not text:
        raise ValueError("Enter the registration.")
    if not _VRM_ALLOWED.fullmatch(text) or not text.isascii() or len(text) > 8:
        raise ValueError("A registration has up to 8 letters and numbers, like AB12 CDE.")
    return text


def normalise_platform(value: str) -> str:
    key = _SPACES.sub("", _fold(value).lower())
    try:
        return PLATFORMS[key]
    except KeyError:
        raise ValueError("Choose the platform.") from None


def normalise_handle(value: str) -> str:
    """A user name on a platform: no "@", no profile URL, lower case ("@Big_Dave" -> "big_dave")."""
    text = _fold(value)
    text = _PROFILE_URL.sub("", text)
    text = text.split("?")[0].strip("/").lstrip("@").strip().lower()
    if not text:
        raise ValueError("Enter the user name.")
    if not _HANDLE_ALLOWED.fullmatch(text) or not text.isascii() or len(text) > 100:
        raise ValueError("A user name may contain letters, numbers, dots, dashes and underscores.")
    return text


def normalise_account(platform: str, handle: str) -> tuple[str, str]:
    return normalise_platform(platform), normalise_handle(handle)


def normalise_name(value: str) -> str:
    """An organisation's name as a key: case- and spacing-insensitive, punctuation ignored."""
    text = _fold(value).casefold()
    text = re.sub(r"[^\w\s]", " ", text)
    text = _SPACES.sub(" ", text).strip()
    if not text:
        raise ValueError("Enter the name.")
    return text
