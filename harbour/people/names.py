"""Name keys for search: a normalised form and a phonetic key, so near spellings find each other.

Plain Python, no Django. The phonetic key is a small English-oriented scheme (in the family of
Soundex and Metaphone) tuned for the spellings practitioners meet: Katie / Caty, Mohammed /
Muhammad, Jon / John, Smith / Smyth, Aisha / Ayesha.
"""

import re
import unicodedata

_NON_LETTERS = re.compile(r"[^a-z]+")
_REWRITES = [
    (re.compile(r"ph"), "f"),
    (re.compile(r"ck"), "k"),
    (re.compile(r"sch"), "sk"),
    (re.compile(r"(?:sh|ch)"), "x"),
    (re.compile(r"c(?=[eiy])"), "s"),
    (re.compile(r"[cq]"), "k"),
    (re.compile(r"^kn"), "n"),
    (re.compile(r"^wr"), "r"),
    (re.compile(r"dg"), "j"),
    (re.compile(r"gh"), "g"),
    (re.compile(r"z"), "s"),
    (re.compile(r"v"), "f"),
    (re.compile(r"y"), "i"),
]
_VOWELS = set("aeiou")


def normalise(text: str) -> str:
    """Lower case, accents removed, only the letters a-z kept."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    return _NON_LETTERS.sub("", ascii_only)


def tokens(text: str) -> list[str]:
    """The name parts of `text`, each normalised; hyphens and apostrophes join, spaces split."""
    parts = re.split(r"[\s,]+", (text or "").replace("-", " ").strip())
    return [n for n in (normalise(p) for p in parts) if n]


def phonetic(text: str) -> str:
    word = normalise(text)
    if not word:
        return ""
    for pattern, replacement in _REWRITES:
        word = pattern.sub(replacement, word)
    first, rest = word[0], word[1:]
    key = "a" if first in _VOWELS else first
    # 'h' and 'w' carry no sound of their own after the first letter.
    consonants = [ch for ch in rest if ch not in _VOWELS and ch not in "hw"]
    for ch in consonants:
        if key[-1] != ch:
            key += ch
    return key.upper()
