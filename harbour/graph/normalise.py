"""Normalised forms of the "pivot" values that join records from anywhere (FollowTheMoney's idea):
phone numbers, email addresses, vehicle registrations, online handles and organisation names.

Plain Python, no Django, so the importer, the evidence parser, the matching engine and the screens
all call the same functions and the same value typed two ways is one entity. Each function returns
the normalised text or raises ValueError with a message a user can act on.
"""

import re
import unicodedata
from urllib.parse import parse_qs, urlsplit

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
    # The handle is known but not where it is used (a "@name" in a chat message, say).
    "unknown": "unknown",
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
    "unknown": "Unknown platform",
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


# Web addresses that name an account: the host gives the platform, the path the user name.
PROFILE_HOSTS = {
    "instagram.com": "instagram",
    "tiktok.com": "tiktok",
    "snapchat.com": "snapchat",
    "facebook.com": "facebook",
    "fb.com": "facebook",
    "t.me": "telegram",
    "telegram.me": "telegram",
    "x.com": "x",
    "twitter.com": "x",
}
# First path segments that are the platforms' own pages (posts, groups, searches), not a user name.
_NOT_PROFILE_PATHS = frozenset(
    [
        "p",
        "reel",
        "reels",
        "stories",
        "explore",
        "accounts",
        "tv",
        "direct",
        "about",
        "help",
        "legal",
        "privacy",
        "settings",
        "login",
        "signup",
        "profile.php",
        "pages",
        "groups",
        "events",
        "watch",
        "share",
        "sharer",
        "sharer.php",
        "story.php",
        "photo.php",
        "permalink.php",
        "joinchat",
        "addstickers",
        "s",
        "i",
        "home",
        "search",
        "intent",
        "hashtag",
        "messages",
        "notifications",
    ]
)
_WHATSAPP_CHAT_HOSTS = ("wa.me", "api.whatsapp.com")


def _split_url(value: str):
    text = _fold(value)
    parts = urlsplit(text if "://" in text else "https://" + text)
    host = (parts.hostname or "").lower()
    for prefix in ("www.", "m.", "mobile."):
        host = host.removeprefix(prefix)
    return host, [segment for segment in parts.path.split("/") if segment], parts.query


def account_from_profile_url(value: str) -> tuple[str, str]:
    """(platform, user name) from a profile's address: "https://www.instagram.com/Big_Dave/" ->
    ("instagram", "big_dave"). A post, group or search page is not a profile, and neither is a
    site Harbour does not know: ValueError, saying so."""
    host, segments, _ = _split_url(value)
    platform = PROFILE_HOSTS.get(host)
    if platform is None:
        raise ValueError("This is not the address of a profile on a platform Harbour knows.")
    if platform == "snapchat":  # snapchat.com/add/<name>
        segments = segments[1:] if segments[:1] == ["add"] else []
    if len(segments) != 1 or segments[0].lower() in _NOT_PROFILE_PATHS or segments[0].startswith("+"):
        raise ValueError(f"This {PLATFORM_LABELS[platform]} address is a page or post, not a profile.")
    name = segments[0]
    if platform == "tiktok" and not name.startswith("@"):  # tiktok.com/@<name>
        raise ValueError("This TikTok address is a page or post, not a profile.")
    return platform, normalise_handle(name)


def phone_from_chat_link(value: str) -> str:
    """The phone number a WhatsApp chat link opens ("https://wa.me/447700900123"), in E.164."""
    host, segments, query = _split_url(value)
    if host not in _WHATSAPP_CHAT_HOSTS:
        raise ValueError("This is not a WhatsApp chat link.")
    number = segments[0] if host == "wa.me" and len(segments) == 1 else ""
    if host == "api.whatsapp.com":
        number = (parse_qs(query).get("phone") or [""])[0]
    if not number.isdigit():
        raise ValueError("This WhatsApp link does not name a phone number.")
    return normalise_phone("+" + number)
