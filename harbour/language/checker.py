"""Child-centred language: find victim-blaming and adultifying wording in free text, say why it matters and
offer wording to use instead.

Plain Python with no Django, so the web screens, the API, `harbour check-language` and the benchmark all
run the same code: `Lexicon.default().check(text)` returns `Finding`s. The words are data (the default
lexicon in lexicon/default.json, which administrators extend in the database); this module is the small
engine that reads them. No statistical model: every flag can be traced to a pattern and a rule.

How a text is checked
1. Tokenize into words, numbers, clitics ('s, n't, 're) and punctuation, with character offsets, and group
   the tokens into sentences. Curly apostrophes count as straight ones; case is ignored.
2. Match each entry's patterns over the tokens (the pattern language is below). Where matches overlap the
   longest wins, so "engaging in risky behaviour" is one finding, not two.
3. Keep a match only when it is about the child, by the entry's `about_child` rules:
   - subject: the nearest person mentioned before the phrase in its sentence must not be an adult or a
     place ("the officer put himself at risk", "the group is recruiting children" are not flagged);
   - possessor: whose word it is ("the offender's girlfriend", "her mother's boyfriend" and "the man ...
     his girlfriend" are not the child's);
   - requires_adult: an adult must be in view: an age of 18 or more ("her 24-year-old boyfriend", "aged
     30", "in his twenties") or words such as "older" and "adult"; an age under 18 (a peer) rules it out;
   - negation: "cannot consent", "is not sexually active" are not flagged;
   and the entry's exceptions ("consented to a medical examination" is not about abuse). Nothing inside a
   quotation is flagged ("...", '...', curly quotes, or a line starting with ">"): a child's own words are
   recorded as they said them.
4. Fill each alternative's slots so the suggestion fits the sentence: "she was putting herself at risk"
   offers "was at risk from others", "he has put himself at risk" offers "has been at risk from others".

Pattern language (one pattern is a string of elements separated by spaces):
    word            a literal word (lower case); write clitics apart: "harm 's way"
    a|b|c           any one of these
    {class}         a word class from the lexicon's "classes" (e.g. {self}: herself, himself, themselves...),
                    or every form of a verb from its "verbs" table ({put}: put, puts, putting...)
    /regex/         a token matching the regular expression (e.g. /\\d{2}-years?-old/)
    x? x* x+        optional; zero to five; one to five
    ~N              a gap of up to N tokens (never across a sentence end)
    name=element    capture what the element matched, for the alternatives
Leading optional elements (usually `aux={aux}*`, the auxiliary verbs before the main verb) are matched
backwards from the first required element and included in the span, so the replacement carries the tense.

Alternative slots: {be} (the copula in the matched tense: is, was, has been, will be...), {beprog}
(progressive passive: is being, was, has been...), {obj} {subj} {poss} (her/she/her, him/he/his,
them/they/their for the person the phrase is about), {text:name} (a capture as written), {rest:name}
(everything after a capture to the end of the match, as written).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DEFAULT_LEXICON_PATH = Path(__file__).resolve().parent / "lexicon" / "default.json"

CATEGORIES = {
    "victim_blaming": "Victim-blaming",
    "adultifying": "Adultifying",
    "implied_consent": "Implies consent",
    "criminalising": "Criminalising",
}
ABOUT_CHILD_RULES = {
    "subject": "Not when the nearest person before it is an adult or a place",
    "possessor": "Not when it belongs to someone else (the offender's, her mother's, his, for an adult)",
    "requires_adult": "Only when an adult is in view (aged 18 or more, older, adult)",
    "negation": "Not when negated (cannot, not, never)",
}
REPEAT_MAX = 5

# Grammar for the tense of suggestions. Not lexicon data: these are how English auxiliaries work.
COPULA_FINITE = frozenset({"is", "are", "am", "was", "were", "'s", "'re", "'m"})
COPULA_NONFINITE = frozenset({"be", "been", "being"})
PERFECT = frozenset({"has", "have", "had", "having", "'ve", "'d"})
MODAL = frozenset({"will", "would", "could", "can", "may", "might", "should", "must", "shall", "'ll", "to", "cannot"})
DO_FORMS = {"does": "is", "do": "are", "did": "was"}
SIGNIFICANT_AUX = COPULA_FINITE | COPULA_NONFINITE | PERFECT | MODAL | frozenset(DO_FORMS)
PLURAL_FORMS = {"is": "are", "was": "were", "has": "have"}
VERB_FORMS = ("base", "third", "past", "gerund", "participle")
N_T_STEMS = {"ca": "can", "wo": "will", "sha": "shall"}
PRONOUN_FORMS = {  # gender -> (subject, object, possessive)
    "f": ("she", "her", "her"),
    "m": ("he", "him", "his"),
    "n": ("they", "them", "their"),
}
REFLEXIVE_GENDER = {"herself": "f", "himself": "m", "themselves": "n", "themself": "n", "theirselves": "n"}
CLITICS = frozenset({"n't", "'s", "'re", "'ve", "'ll", "'d", "'m"})
SENTENCE_END = frozenset({".", "!", "?", ";", "…"})
QUOTE_PAIRS = {'"': '"', "“": "”", "«": "»", "„": "“"}

TOKEN_RE = re.compile(
    r"""(?P<num>\d+(?:[.:,]\d+)+)
      | (?P<word>[^\W_]+(?:-[^\W_]+)*)
      | (?P<clitic>['’](?:s|re|ve|ll|d|m|t)(?![^\W_]))
      | (?P<punct>\S)""",
    re.VERBOSE | re.IGNORECASE,
)
AGE_TOKEN_RE = re.compile(r"(\d{1,2})(?:-?(?:years?|yrs?)-?old|yo|y/o)")
NUMBER_RE = re.compile(r"\d{1,2}")
SLOT_RE = re.compile(r"\{(?P<slot>[a-z]+)(?::(?P<name>[a-z_][a-z0-9_]*))?\}")
ELEMENT_RE = re.compile(r"(?:(?P<cap>[a-z_][a-z0-9_]*)=)?(?P<body>.+?)(?P<q>[?*+])?")


class LexiconError(ValueError):
    """A lexicon entry that cannot be used; `field` names the part (patterns, alternatives...)."""

    def __init__(self, message: str, *, field: str = "", entry: str = ""):
        self.field = field
        self.entry = entry
        where = " ".join(part for part in (f"entry {entry}" if entry else "", field) if part)
        super().__init__(f"{where}: {message}" if where else message)
        self.message = message


# --- Tokens ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class Token:
    text: str
    norm: str
    start: int
    end: int
    kind: str  # word, num, clitic, punct
    sentence: int = 0


def _norm(text: str) -> str:
    return text.replace("’", "'").lower()


def tokenize(text: str) -> list[Token]:
    """Words, numbers, clitics and punctuation with their offsets; "didn't" is "did" + "n't"."""
    tokens: list[Token] = []
    for m in TOKEN_RE.finditer(text):
        kind = m.lastgroup or "punct"
        token = Token(m.group(), _norm(m.group()), m.start(), m.end(), kind)
        if kind == "clitic" and token.norm == "'t" and tokens:
            prev = tokens[-1]
            if prev.kind == "word" and prev.end == token.start and prev.norm.endswith("n") and len(prev.norm) > 1:
                # didn't -> did + n't; can't -> can + n't
                stem = prev.norm[:-1]
                tokens[-1] = Token(prev.text[:-1], N_T_STEMS.get(stem, stem), prev.start, prev.end - 1, "word")
                token = Token(text[prev.end - 1 : token.end], "n't", prev.end - 1, token.end, "clitic")
        tokens.append(token)
    return tokens


# --- Lexicon compilation --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Element:
    words: frozenset[str]
    regexes: tuple[re.Pattern, ...]
    min: int
    max: int
    gap: bool
    capture: str | None

    def accepts(self, token: Token) -> bool:
        if self.gap:
            return True
        return token.norm in self.words or any(r.fullmatch(token.norm) for r in self.regexes)


@dataclass(frozen=True, slots=True)
class Pattern:
    source: str
    prefix: tuple[Element, ...]  # optional elements before the first required one, matched backwards
    core: tuple[Element, ...]

    @property
    def captures(self) -> set[str]:
        return {e.capture for e in self.prefix + self.core if e.capture}


@dataclass(frozen=True, slots=True)
class Rule:
    patterns: tuple[Pattern, ...]
    alternatives: tuple[str, ...]
    about_child: frozenset[str] | None = None  # None: the entry's rules


@dataclass(frozen=True)
class Entry:
    id: str
    term: str
    category: str
    explanation: str
    about_child: frozenset[str]
    rules: tuple[Rule, ...]
    not_after: frozenset[str] = frozenset()
    after_window: int = 6
    source: Mapping = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Finding:
    """One phrase to reconsider: where it is, what it matched, what to say instead, and why."""

    start: int
    end: int
    text: str
    term_id: str
    term: str
    category: str
    alternatives: tuple[str, ...]
    explanation: str
    line: int = 1
    column: int = 1

    @property
    def category_label(self) -> str:
        return CATEGORIES.get(self.category, self.category)

    def to_dict(self) -> dict:
        return {
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "text": self.text,
            "term_id": self.term_id,
            "term": self.term,
            "category": self.category,
            "alternatives": list(self.alternatives),
            "explanation": self.explanation,
        }


def _word_list(values: Iterable[str]) -> frozenset[str]:
    return frozenset(_norm(v) for v in values)


class _Grammar:
    """The lexicon's word classes, verb tables and context word lists, ready for lookups."""

    def __init__(self, data: Mapping):
        self.verbs: dict[str, list[str]] = {k: [_norm(f) for f in v] for k, v in data.get("verbs", {}).items()}
        for name, forms in self.verbs.items():
            if len(forms) != len(VERB_FORMS):
                raise LexiconError(f"verb {name} needs {len(VERB_FORMS)} forms: {', '.join(VERB_FORMS)}")
        self.verb_forms: dict[str, set[str]] = {}
        for forms in self.verbs.values():
            for kind, form in zip(VERB_FORMS, forms, strict=True):
                self.verb_forms.setdefault(form, set()).add(kind)
        self.classes: dict[str, tuple[frozenset[str], tuple[re.Pattern, ...]]] = {}
        for name, members in data.get("classes", {}).items():
            words, regexes = set(), []
            for member in members:
                if member.startswith("@"):
                    if member[1:] not in self.verbs:
                        raise LexiconError(f"class {name} refers to unknown verb {member}")
                    words.update(self.verbs[member[1:]])
                elif len(member) > 2 and member.startswith("/") and member.endswith("/"):
                    regexes.append(_compile_regex(member[1:-1]))
                else:
                    words.add(_norm(member))
            self.classes[name] = (frozenset(words), tuple(regexes))
        context = data.get("context", {})
        self.child_nouns = _word_list(context.get("child_nouns", ()))
        self.young_nouns = _word_list(context.get("young_nouns", ()))
        self.other_nouns = {w: g for g, words in context.get("other_nouns", {}).items() for w in _word_list(words)}
        self.non_person_nouns = _word_list(context.get("non_person_nouns", ()))
        self.titles = {w: g for g, words in context.get("titles", {}).items() for w in _word_list(words)}
        self.pronouns = {w: g for g, words in context.get("pronouns", {}).items() for w in _word_list(words)}
        self.possessive_pronouns = {_norm(k): v for k, v in context.get("possessive_pronouns", {}).items()}
        self.negators = _word_list(context.get("negators", ()))
        self.adult_words = _word_list(context.get("adult_words", ()))
        self.age_words = {_norm(k): int(v) for k, v in context.get("age_words", {}).items()}
        self.age_before = _word_list(context.get("age_before", ()))
        self.modifiers = _word_list(context.get("modifiers", ()))
        self.agent_determiners = _word_list(context.get("agent_determiners", ()))
        self.professional_nouns = _word_list(context.get("professional_nouns", ()))
        self.abbreviations = _word_list(context.get("abbreviations", ()))
        known = set(context.get("common_words", ()))
        for words, _ in self.classes.values():
            known.update(words)
        for forms in self.verbs.values():
            known.update(forms)
        known.update(self.child_nouns, self.other_nouns, self.non_person_nouns, self.titles, self.pronouns)
        known.update(self.negators, self.modifiers)
        self.known_words = _word_list(known)

    def element(self, source: str, *, entry: str) -> Element:
        m = ELEMENT_RE.fullmatch(source)
        if not m:
            raise LexiconError(f"cannot read {source!r}", field="patterns", entry=entry)
        body, quantifier, capture = m.group("body"), m.group("q"), m.group("cap")
        low, high = {"?": (0, 1), "*": (0, REPEAT_MAX), "+": (1, REPEAT_MAX), None: (1, 1)}[quantifier]
        if re.fullmatch(r"~\d+", body):
            if quantifier:
                raise LexiconError(f"a gap takes no {quantifier}: {source!r}", field="patterns", entry=entry)
            return Element(frozenset(), (), 0, int(body[1:]), True, capture)
        words: set[str] = set()
        regexes: list[re.Pattern] = []
        for atom in body.split("|"):
            if not atom:
                raise LexiconError(f"empty alternative in {source!r}", field="patterns", entry=entry)
            if atom.startswith("{") and atom.endswith("}"):
                name = atom[1:-1]
                if name in self.classes:
                    class_words, class_regexes = self.classes[name]
                    words.update(class_words)
                    regexes.extend(class_regexes)
                elif name in self.verbs:
                    words.update(self.verbs[name])
                else:
                    raise LexiconError(f"unknown word class {atom}", field="patterns", entry=entry)
            elif len(atom) > 2 and atom.startswith("/") and atom.endswith("/"):
                try:
                    regexes.append(_compile_regex(atom[1:-1]))
                except LexiconError as error:
                    raise LexiconError(error.message, field="patterns", entry=entry) from None
            elif _norm(atom) in CLITICS:
                words.add(_norm(atom))  # "wo n't engage", "harm 's way"
            else:
                parts = tokenize(atom)
                if len(parts) != 1 or parts[0].end - parts[0].start != len(atom):
                    raise LexiconError(
                        f"{atom!r} is more than one word: separate the words with spaces", field="patterns", entry=entry
                    )
                words.add(parts[0].norm)
        return Element(frozenset(words), tuple(regexes), low, high, False, capture)

    def pattern(self, source: str, *, entry: str) -> Pattern:
        elements = [self.element(part, entry=entry) for part in source.split()]
        if not elements:
            raise LexiconError("a pattern is empty", field="patterns", entry=entry)
        first = next((i for i, e in enumerate(elements) if e.min > 0 and not e.gap), None)
        if first is None:
            raise LexiconError(f"{source!r} needs at least one required word", field="patterns", entry=entry)
        if any(e.gap for e in elements[:first]) or elements[-1].gap:
            raise LexiconError(f"{source!r} cannot start or end with a gap", field="patterns", entry=entry)
        return Pattern(source, tuple(elements[:first]), tuple(elements[first:]))


def _compile_regex(source: str) -> re.Pattern:
    try:
        return re.compile(source)
    except re.error as error:
        raise LexiconError(f"bad regular expression /{source}/: {error}") from None


def _alternative_problem(template: str, captures: set[str]) -> str | None:
    for m in SLOT_RE.finditer(template):
        slot, name = m.group("slot"), m.group("name")
        if slot in ("text", "rest"):
            if not name:
                return f"{{{slot}:NAME}} needs a capture name"
            if name not in captures:
                return f"{m.group()} refers to a capture no pattern has ({', '.join(sorted(captures)) or 'none'})"
        elif slot not in ("be", "beprog", "obj", "subj", "poss") or name:
            return f"unknown slot {m.group()}"
    return None


def compile_entry(grammar: _Grammar, data: Mapping) -> Entry:
    """One entry (from the JSON file or the database) checked and compiled; LexiconError names the field."""
    entry_id = str(data.get("id", "")).strip()
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,59}", entry_id):
        raise LexiconError("use lower-case letters, digits and hyphens (at most 60)", field="id", entry=entry_id)
    category = data.get("category", "")
    if category not in CATEGORIES:
        raise LexiconError(f"choose one of {', '.join(CATEGORIES)}", field="category", entry=entry_id)
    about = frozenset(data.get("about_child", ()))
    unknown = about - set(ABOUT_CHILD_RULES)
    if unknown:
        raise LexiconError(f"unknown rule(s) {', '.join(sorted(unknown))}", field="about_child", entry=entry_id)
    if not str(data.get("explanation", "")).strip():
        raise LexiconError("explain why the wording matters", field="explanation", entry=entry_id)
    rules = []
    for rule in data.get("rules", ()):
        patterns = tuple(grammar.pattern(p, entry=entry_id) for p in rule.get("patterns", ()) if p.strip())
        alternatives = tuple(a.strip() for a in rule.get("alternatives", ()) if a.strip())
        if not patterns:
            raise LexiconError("give at least one pattern", field="patterns", entry=entry_id)
        if not alternatives:
            raise LexiconError("give at least one alternative", field="alternatives", entry=entry_id)
        captures = set().union(*(p.captures for p in patterns))
        for alternative in alternatives:
            problem = _alternative_problem(alternative, captures)
            if problem:
                raise LexiconError(f"{alternative!r}: {problem}", field="alternatives", entry=entry_id)
        rule_about = rule.get("about_child")
        if rule_about is not None:
            unknown = set(rule_about) - set(ABOUT_CHILD_RULES)
            if unknown:
                raise LexiconError(f"unknown rule(s) {', '.join(sorted(unknown))}", field="about_child", entry=entry_id)
        rules.append(Rule(patterns, alternatives, None if rule_about is None else frozenset(rule_about)))
    if not rules:
        raise LexiconError("give at least one pattern", field="patterns", entry=entry_id)
    exceptions = data.get("exceptions") or {}
    return Entry(
        id=entry_id,
        term=str(data.get("term") or entry_id).strip(),
        category=category,
        explanation=str(data["explanation"]).strip(),
        about_child=about,
        rules=tuple(rules),
        not_after=_word_list(exceptions.get("after", ())),
        after_window=int(exceptions.get("after_window", 6)),
        source=data,
    )


# --- Matching -------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Candidate:
    entry_index: int
    entry: Entry
    rule: Rule
    first: int  # token index, inclusive
    last: int  # token index, exclusive
    head: int  # first required token
    captures: dict[str, tuple[int, int]]


class _Text:
    """A tokenized text with its sentences and quoted stretches."""

    def __init__(self, text: str, grammar: _Grammar):
        self.text = text
        self.tokens = tokenize(text)
        self.sentences = self._sentences(grammar)
        self.quoted = _quoted_ranges(text)

    def _sentences(self, grammar: _Grammar) -> list[tuple[int, int]]:
        tokens, text = self.tokens, self.text
        spans, start = [], 0
        for i, token in enumerate(tokens):
            ends = token.norm in SENTENCE_END and not (
                token.norm == "." and i > 0 and tokens[i - 1].norm in grammar.abbreviations
            )
            if not ends and i + 1 < len(tokens):
                between = text[token.end : tokens[i + 1].start]
                ends = bool(re.search(r"\n[ \t]*\n", between)) or (
                    "\n" in between and tokens[i + 1].norm in ("-", "*", "•", ">")
                )
            if ends or i + 1 == len(tokens):
                spans.append((start, i + 1))
                start = i + 1
        for index, (a, b) in enumerate(spans):
            for token in tokens[a:b]:
                token.sentence = index
        return spans

    def sentence_of(self, i: int) -> tuple[int, int]:
        return self.sentences[self.tokens[i].sentence]

    def is_quoted(self, start: int, end: int) -> bool:
        return any(a < end and start < b for a, b in self.quoted)


def _quoted_ranges(text: str) -> list[tuple[int, int]]:
    """Stretches of the text inside quotation marks, or on lines starting with ">" (quoted words)."""
    ranges = [(m.start(), m.end()) for m in re.finditer(r"(?m)^[ \t]*>.*$", text)]
    paragraph_ends = [m.start() for m in re.finditer(r"\n[ \t]*\n", text)] + [len(text)]

    def paragraph_end(i: int) -> int:
        return next(e for e in paragraph_ends if e >= i)

    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        close = None
        if ch in QUOTE_PAIRS:
            close = QUOTE_PAIRS[ch]
        elif ch in "'‘" and (i == 0 or not text[i - 1].isalnum()) and i + 1 < n and not text[i + 1].isspace():
            close = "'’" if ch == "'" else "’"
        if close is None:
            i += 1
            continue
        j = i + 1
        end = paragraph_end(i)
        while j < end:
            if text[j] in close and (close not in ("'’", "’") or j + 1 >= n or not text[j + 1].isalpha()):
                break
            j += 1
        if close in ("'’", "’") and j >= end:
            i += 1  # an apostrophe, not an opening quote
            continue
        ranges.append((i, min(j + 1, n)))
        i = j + 1
    return ranges


def _match_core(elements, k, tokens, i, limit, captures):
    if k == len(elements):
        return i, captures
    element = elements[k]
    if element.gap:
        for n in range(0, element.max + 1):  # gaps are lazy: the shortest match wins
            if i + n > limit:
                break
            found = _match_core(
                elements, k + 1, tokens, i + n, limit, _with(captures, element.capture, i, i + n) if n else captures
            )
            if found:
                return found
        return None
    n = 0
    while n < element.max and i + n < limit and element.accepts(tokens[i + n]):
        n += 1
    while n >= element.min:  # repeats are greedy
        found = _match_core(
            elements, k + 1, tokens, i + n, limit, _with(captures, element.capture, i, i + n) if n else captures
        )
        if found:
            return found
        n -= 1
    return None


def _with(captures: dict, name: str | None, a: int, b: int) -> dict:
    if not name:
        return captures
    updated = dict(captures)
    updated[name] = (a, b)
    return updated


class Lexicon:
    """A compiled lexicon: the default file, optionally merged with entries from the database."""

    def __init__(self, data: Mapping, extra_entries: Iterable[Mapping] = ()):
        self.data = data
        self.grammar = _Grammar(data)
        by_id: dict[str, Mapping] = {}
        for raw in data.get("entries", ()):
            by_id[raw["id"]] = raw
        for raw in extra_entries:  # database entries: add a term, extend or reword a default one, switch it off
            if not raw.get("active", True):
                by_id.pop(raw["id"], None)
            elif raw["id"] in by_id:
                by_id[raw["id"]] = merge_entry(by_id[raw["id"]], raw)
            else:
                by_id[raw["id"]] = raw
        self.entries: list[Entry] = [compile_entry(self.grammar, raw) for raw in by_id.values()]
        self._index: dict[str, list[tuple[int, Rule, Pattern]]] = {}
        self._unindexed: list[tuple[int, Rule, Pattern]] = []
        for index, entry in enumerate(self.entries):
            for rule in entry.rules:
                for pattern in rule.patterns:
                    head = pattern.core[0]
                    if head.regexes:
                        self._unindexed.append((index, rule, pattern))
                    for word in head.words:
                        self._index.setdefault(word, []).append((index, rule, pattern))

    @classmethod
    def default(cls) -> Lexicon:
        return _default_lexicon()

    @classmethod
    def from_file(cls, path: Path | str, extra_entries: Iterable[Mapping] = ()) -> Lexicon:
        return cls(load_lexicon_data(path), extra_entries)

    def with_entries(self, extra_entries: Iterable[Mapping]) -> Lexicon:
        return Lexicon(self.data, extra_entries)

    def validate_entry(self, data: Mapping) -> Entry:
        """Check an entry an administrator wrote against this lexicon's classes; raises LexiconError."""
        return compile_entry(self.grammar, data)

    def entry(self, entry_id: str) -> Entry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    # -- checking --

    def check(self, text: str) -> list[Finding]:
        if not text or not text.strip():
            return []
        doc = _Text(text, self.grammar)
        candidates = [c for c in self._candidates(doc) if self._about_child(doc, c)]
        # Overlaps: the longest phrase wins; then the earlier, then the entry listed first.
        candidates.sort(key=lambda c: (-(c.last - c.first), c.first, c.entry_index))
        taken: list[_Candidate] = []
        for candidate in candidates:
            if all(candidate.last <= t.first or t.last <= candidate.first for t in taken):
                taken.append(candidate)
        taken.sort(key=lambda c: c.first)
        return [self._finding(doc, c) for c in taken]

    def _candidates(self, doc: _Text):
        tokens = doc.tokens
        for i, token in enumerate(tokens):
            options = self._index.get(token.norm, [])
            if self._unindexed:
                options = options + [o for o in self._unindexed if o[2].core[0].accepts(token)]
            if not options:
                continue
            sentence_start, sentence_end = doc.sentence_of(i)
            for entry_index, rule, pattern in options:
                found = _match_core(pattern.core, 0, tokens, i, sentence_end, {})
                if not found:
                    continue
                last, captures = found
                first = i
                for element in reversed(pattern.prefix):
                    n = 0
                    while (
                        n < element.max and first - n - 1 >= sentence_start and element.accepts(tokens[first - n - 1])
                    ):
                        n += 1
                    if n:
                        if element.capture:
                            captures = _with(captures, element.capture, first - n, first)
                        first -= n
                candidate = _Candidate(entry_index, self.entries[entry_index], rule, first, last, i, captures)
                if not doc.is_quoted(tokens[first].start, tokens[last - 1].end):
                    yield candidate

    def _about_child(self, doc: _Text, c: _Candidate) -> bool:
        rules = c.entry.about_child if c.rule.about_child is None else c.rule.about_child
        if c.entry.not_after and self._followed_by(doc, c, c.entry.not_after, c.entry.after_window):
            return False
        if "negation" in rules and self._negated(doc, c):
            return False
        if "possessor" in rules and not self._possessor_is_child(doc, c):
            return False
        if "subject" in rules and not self._subject_is_child(doc, c, noun_phrase="possessor" in rules):
            return False
        return not ("requires_adult" in rules and not self._adult_in_view(doc, c))

    def _followed_by(self, doc: _Text, c: _Candidate, words: frozenset[str], window: int) -> bool:
        _, end = doc.sentence_of(c.head)
        return any(t.norm in words for t in doc.tokens[c.last : min(end, c.last + window)])

    def _negated(self, doc: _Text, c: _Candidate) -> bool:
        start, _ = doc.sentence_of(c.head)
        return any(t.norm in self.grammar.negators for t in doc.tokens[max(start, c.first - 4) : c.last])

    # Who a word refers to: ("child" | "other" (an adult) | "thing" (a group, place or plan) | None, gender).
    def _referent(self, doc: _Text, j: int, *, sentence_start: int) -> tuple[str | None, str]:
        g = self.grammar
        token = doc.tokens[j]
        norm = token.norm
        if norm in g.pronouns:
            return "child", g.pronouns[norm]
        if norm in g.child_nouns:
            return "child", "n"
        if norm in g.young_nouns and j > sentence_start and doc.tokens[j - 1].norm == "young":
            return "child", "n"
        if norm in g.other_nouns:
            return "other", g.other_nouns[norm]
        if norm in g.non_person_nouns:
            return "thing", "n"
        age = self._age_at(doc, j)
        if age is not None and token.kind == "word" and AGE_TOKEN_RE.fullmatch(norm):
            return ("child" if age < 18 else "other"), "n"
        if token.kind == "word" and token.text[:1].isupper() and j > sentence_start and norm not in g.known_words:
            title = doc.tokens[j - 1].norm if j > sentence_start else ""
            if title in g.titles:
                return "other", g.titles[title]
            return "child", "n"  # a name: records are about children unless they say otherwise
        return None, "n"

    def _is_possessive(self, doc: _Text, j: int, limit: int) -> bool:
        """Whether token j is an owner: "offender" in "offender's", "parents" in "parents'"."""
        tokens = doc.tokens
        if j + 1 >= limit or tokens[j + 1].start != tokens[j].end:
            return False
        nxt = tokens[j + 1].norm
        return (nxt == "'s" and tokens[j].norm not in self.grammar.pronouns) or (
            nxt == "'" and tokens[j].norm.endswith("s")
        )

    def _skip_modifiers(self, doc: _Text, j: int, start: int) -> int:
        """Step back over the words describing a noun: "her [24-year-old] boyfriend", "[older] boyfriend"."""
        tokens = doc.tokens
        while j >= start and (
            tokens[j].norm in self.grammar.modifiers or tokens[j].kind == "num" or self._age_at(doc, j) is not None
        ):
            j -= 1
        return j

    def _subject_is_child(self, doc: _Text, c: _Candidate, *, noun_phrase: bool) -> bool:
        start, _ = doc.sentence_of(c.head)
        if any(doc.tokens[j].norm in self.grammar.child_nouns for j in range(c.first, c.head + 1)):
            return True  # the phrase names the child itself: "child prostitute"
        # A noun phrase ("her 24-year-old boyfriend"): its describing words are not the subject.
        first = self._skip_modifiers(doc, c.first - 1, start) if noun_phrase else c.first - 1
        for j in range(first, start - 1, -1):
            if self._is_possessive(doc, j, c.first):
                continue  # "Katie's mother ...": the owner is not the subject
            kind, _ = self._referent(doc, j, sentence_start=start)
            if kind and not self._is_agent(doc, j, start):
                return kind == "child"
        return True

    def _is_agent(self, doc: _Text, j: int, start: int) -> bool:
        """Whether token j is the agent of a passive ("described by school as..."), so not the subject."""
        k = j - 1
        while k >= start and doc.tokens[k].norm in self.grammar.agent_determiners:
            k -= 1
        return k >= start and doc.tokens[k].norm == "by"

    def _possessor_is_child(self, doc: _Text, c: _Candidate) -> bool:
        tokens, g = doc.tokens, self.grammar
        start, _ = doc.sentence_of(c.head)
        if "poss" in c.captures:
            j = c.captures["poss"][0]
        else:
            j = self._skip_modifiers(doc, c.head - 1, start)
            if j - 1 >= start and (
                tokens[j].norm == "'s" or (tokens[j].norm == "'" and tokens[j - 1].norm.endswith("s"))
            ):
                # "Katie's boyfriend" is the child's; "the offender's", "her sister's", "her parents'" are not.
                owner = j - 1
                kind, _ = self._referent(doc, owner, sentence_start=start)
                return kind == "child" or (kind is None and tokens[owner].text[:1].isupper())
        if j < start or tokens[j].norm not in g.possessive_pronouns:
            return True
        gender = g.possessive_pronouns[tokens[j].norm]
        # "his" / "her": whose? The nearest person before it of the same gender ("she describes the 19-year-old
        # as her boyfriend"); failing that, the nearest person of any compatible gender ("the suspect ... his").
        candidates = []
        for k in range(j - 1, start - 1, -1):
            if self._is_possessive(doc, k, j):
                continue
            kind, noun_gender = self._referent(doc, k, sentence_start=start)
            if kind not in ("child", "other") or (gender != "n" and noun_gender not in ("n", gender)):
                continue
            if kind == "other" and tokens[k].norm in g.professional_nouns:
                continue  # "he told the officer his girlfriend...": officers are rarely the owner
            candidates.append((kind, noun_gender))
        for kind, noun_gender in candidates:
            if gender == "n" or noun_gender == gender:
                return kind == "child"
        return not candidates or candidates[0][0] == "child"

    def _age_at(self, doc: _Text, j: int) -> int | None:
        """The age token j states, if it states one: "24-year-old", "aged 24", "(24)", "24 years", "thirties"."""
        tokens, g = doc.tokens, self.grammar
        norm = tokens[j].norm
        m = AGE_TOKEN_RE.fullmatch(norm)
        if m:
            return int(m.group(1))
        if norm in g.age_words:
            return g.age_words[norm]
        if NUMBER_RE.fullmatch(norm):
            nxt = tokens[j + 1].norm if j + 1 < len(tokens) else ""
            prev = tokens[j - 1].norm if j > 0 else ""
            if nxt in ("year", "years", "yrs", "yr", "yo") or nxt.startswith("year-") or prev in g.age_before:
                return int(norm)
            if prev == "(" and nxt == ")":
                return int(norm)
        return None

    def _adult_in_view(self, doc: _Text, c: _Candidate, window: int = 8) -> bool:
        start, end = doc.sentence_of(c.head)
        lo, hi = max(start, c.first - window), min(end, c.last + window)
        nearest_age: tuple[int, int] | None = None
        adult_word = False
        for j in range(lo, hi):
            age = self._age_at(doc, j)
            if age is not None:
                distance = c.first - j if j < c.first else (j - c.last + 1 if j >= c.last else 0)
                if nearest_age is None or distance < nearest_age[0]:
                    nearest_age = (distance, age)
            elif doc.tokens[j].norm in self.grammar.adult_words:
                adult_word = True
        if nearest_age is not None:
            return nearest_age[1] >= 18  # a stated age decides: under 18 is a peer
        return adult_word

    # -- suggestions --

    def _finding(self, doc: _Text, c: _Candidate) -> Finding:
        tokens = doc.tokens
        start, end = tokens[c.first].start, tokens[c.last - 1].end
        matched = doc.text[start:end]
        alternatives = []
        for template in c.rule.alternatives:
            rendered = _match_case(self._render(doc, c, template), matched)
            if rendered and rendered.lower() != matched.lower() and rendered not in alternatives:
                alternatives.append(rendered)
        line = doc.text.count("\n", 0, start) + 1
        column = start - (doc.text.rfind("\n", 0, start) + 1) + 1
        return Finding(
            start=start,
            end=end,
            text=matched,
            term_id=c.entry.id,
            term=c.entry.term,
            category=c.entry.category,
            alternatives=tuple(alternatives),
            explanation=c.entry.explanation,
            line=line,
            column=column,
        )

    def _render(self, doc: _Text, c: _Candidate, template: str) -> str:
        text = doc.text
        tokens = doc.tokens

        def captured(name: str) -> str:
            if name not in c.captures:
                return ""
            a, b = c.captures[name]
            return text[tokens[a].start : tokens[b - 1].end]

        def slot(m: re.Match) -> str:
            name, capture = m.group("slot"), m.group("name")
            if name == "text":
                return captured(capture)
            if name == "rest":
                if capture not in c.captures:
                    return ""
                b = c.captures[capture][1]
                return text[tokens[b - 1].end : tokens[c.last - 1].end]
            if name in ("be", "beprog"):
                be, beprog = self._tense(doc, c)
                return be if name == "be" else beprog
            subject, obj, poss = PRONOUN_FORMS[self._gender(doc, c)]
            return {"subj": subject, "obj": obj, "poss": poss}[name]

        rendered = SLOT_RE.sub(slot, template)
        rendered = re.sub(r"\s+([,.;:])", r"\1", re.sub(r"\s{2,}", " ", rendered))
        return rendered.strip()

    def _gender(self, doc: _Text, c: _Candidate) -> str:
        g = self.grammar
        for name in ("self", "poss", "pron"):
            if name in c.captures:
                word = doc.tokens[c.captures[name][0]].norm
                gender = REFLEXIVE_GENDER.get(word) or g.pronouns.get(word)
                if gender:
                    return gender
        start, _ = doc.sentence_of(c.head)
        for j in range(c.first - 1, start - 1, -1):
            if doc.tokens[j].norm in g.pronouns and doc.tokens[j].norm not in ("i", "me", "my", "you", "your"):
                return g.pronouns[doc.tokens[j].norm]
        return "n"

    def _plural(self, doc: _Text, c: _Candidate) -> bool:
        if "self" in c.captures and doc.tokens[c.captures["self"][0]].norm in ("themselves", "ourselves"):
            return True
        start, _ = doc.sentence_of(c.head)
        return c.first > start and doc.tokens[c.first - 1].norm in ("they", "we", "you")

    def _tense(self, doc: _Text, c: _Candidate) -> tuple[str, str]:
        """The copula and the progressive passive that keep the matched phrase's tense."""
        tokens, text = doc.tokens, doc.text
        aux_tokens = tokens[c.captures["aux"][0] : c.captures["aux"][1]] if "aux" in c.captures else []
        significant = [t for t in aux_tokens if t.norm in SIGNIFICANT_AUX]
        if significant:
            aux_text = text[aux_tokens[0].start : aux_tokens[-1].end]
            last = significant[-1].norm
            if last in COPULA_FINITE:
                return aux_text, f"{aux_text} being"
            if last in COPULA_NONFINITE:
                return aux_text, aux_text
            if last in PERFECT:
                return f"{aux_text} been", f"{aux_text} been"
            if last in MODAL:
                return f"{aux_text} be", f"{aux_text} be"
            done = text[aux_tokens[0].start : significant[-1].start] + DO_FORMS[last]
            return done, done + ("" if last == "did" else " being")
        form = self._verb_form(doc, c)
        be, beprog = {
            "third": ("is", "is being"),
            "past": ("was", "was"),
            "participle": ("was", "was"),
            "gerund": ("being", "being"),
            "base": ("are", "are being"),
        }.get(form, ("", "being"))
        if self._plural(doc, c):
            be = " ".join(PLURAL_FORMS.get(w, w) for w in be.split())
            beprog = " ".join(PLURAL_FORMS.get(w, w) for w in beprog.split())
        if aux_tokens:  # adverbs only ("she repeatedly puts herself..."): keep them after the first word
            adverbs = text[aux_tokens[0].start : aux_tokens[-1].end]
            be = _insert_after_first(be, adverbs)
            beprog = _insert_after_first(beprog, adverbs)
        return be, beprog

    def _verb_form(self, doc: _Text, c: _Candidate) -> str | None:
        if "v" not in c.captures:
            return None
        kinds = self.grammar.verb_forms.get(doc.tokens[c.captures["v"][0]].norm, set())
        for kind in ("third", "gerund", "past", "participle", "base"):
            if kind in kinds:
                return kind
        return None


def merge_entry(default: Mapping, extra: Mapping) -> dict:
    """A default entry as an administrator changed it: their wording, category, explanation and rules replace
    the default's; their patterns are added as one more rule; their exception words are added. The default
    patterns themselves stay (they are tested against the labelled sentences)."""
    merged = dict(default)
    for key in ("term", "category", "explanation"):
        if str(extra.get(key, "")).strip():
            merged[key] = extra[key]
    if "about_child" in extra:
        merged["about_child"] = list(extra["about_child"])
    after = list((default.get("exceptions") or {}).get("after", ()))
    after += [w for w in (extra.get("exceptions") or {}).get("after", ()) if w not in after]
    merged["exceptions"] = {**(default.get("exceptions") or {}), "after": after}
    extra_rules = [r for r in extra.get("rules", ()) if any(p.strip() for p in r.get("patterns", ()))]
    merged["rules"] = list(default.get("rules", ())) + extra_rules
    return merged


def _insert_after_first(phrase: str, words: str) -> str:
    if not phrase:
        return words
    first, _, rest = phrase.partition(" ")
    return " ".join(p for p in (first, words, rest) if p)


def _match_case(replacement: str, original: str) -> str:
    if not replacement:
        return replacement
    letters = [ch for ch in original if ch.isalpha()]
    if len(letters) > 3 and all(ch.isupper() for ch in letters):
        return replacement.upper()
    if original[:1].isupper() and replacement[:1].islower():
        return replacement[0].upper() + replacement[1:]
    return replacement


def load_lexicon_data(path: Path | str = DEFAULT_LEXICON_PATH) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


@cache
def _default_lexicon() -> Lexicon:
    return Lexicon(load_lexicon_data(DEFAULT_LEXICON_PATH))


def check(text: str, lexicon: Lexicon | None = None) -> list[Finding]:
    """Findings in `text` with the given lexicon (the default one if none)."""
    return (lexicon or Lexicon.default()).check(text)
