"""Translation QA: checks that compare each trans-unit's target with its source.

Modelled on Translate Toolkit's checks (``translate.filters.checks``): one
function per check, its docstring's first line says what it catches, and it
yields one message per problem in a unit.  Unlike pofilter the checks know
that segments are Markdown: links, code spans, emphasis and raw HTML are
found with ``bitext.core.markup`` and markdown-it, so "https://x)를" is a link
followed by a particle, not a changed URL.

Severities are configurable per check (``error``, ``warning``, ``info``,
``off``); a translator silences a check on one unit with a note
``<note from="bitext-check">ignore CHECK[, CHECK]</note>``, as Weblate's
``ignore-*`` flags do.  Only units whose translation is or may become
published are checked: ``new``/``needs-translation`` targets are proposals.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt

from bitext.core import markup
from bitext.core.errors import BitextError
from bitext.core.files import read_text
from bitext.core.model import OFF, UNTRANSLATED_STATES, Finding, Segment, parse_severity, plural
from bitext.project import settings
from bitext.project.project import Project

IGNORE_NOTE = "bitext-check"


@dataclass(frozen=True)
class Check:
    name: str
    func: Callable[[Pair], Iterable[str]]
    severity: str  # the default; projects override it
    # False for checks that judge the target alone: they also run on units
    # whose English is empty (front matter Microsoft translated without source).
    needs_source: bool = True

    @property
    def purpose(self) -> str:
        return (self.func.__doc__ or "").strip().splitlines()[0].replace("``", "")


CHECKS: dict[str, Check] = {}


def check(name: str, severity: str, *, needs_source: bool = True):
    """Register a check function under ``name`` with its default severity."""

    def register(func):
        CHECKS[name] = Check(name, func, severity, needs_source)
        return func

    return register


# --- what a side of a unit contains ------------------------------------------------------------

# Only the inline rules that decide where emphasis is: code, escapes, links, HTML.
_MD = MarkdownIt("zero").enable(
    ["emphasis", "backticks", "escape", "link", "image", "autolink", "html_inline", "entity"]
)
# A number or code: a GUID, or letters before, digits with separators, letters
# after, and a magnitude word ("2 million", Korean "200만", "5천").
_NUMBER = re.compile(
    r"(?<![A-Za-z0-9.])(?:(?P<guid>[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12})"
    r"|(?P<before>[A-Za-z]*)(?P<digits>\d+(?:[.:,]\d+)*)(?P<after>[A-Za-z]*)"
    r"(?:(?P<korean>[천만억])|\s(?P<english>thousand|million|billion)\b)?)"
)
# name.ext: the extension all lower or all upper case ("subscription.If" is a missing space).
_FILE_NAME = re.compile(
    r"(?<![\w.@/-])[A-Za-z0-9][\w-]*(?:\.[\w-]+)*\.(?:[a-z][a-z0-9]{1,4}|[A-Z][A-Z0-9]{1,4})"
    r"(?![\w.])"
)
_CAPITALIZED = re.compile(r"\b[A-Z][A-Za-z]+\b")
_NAME_BEFORE = re.compile(r"\b([A-Z][A-Za-z]+) $")
# A word with a number attached ("Office365", "Windows10"), written either way in translations.
_NAMED_CODE = re.compile(r"[a-z]{3,}\d+")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_MAGNITUDE = {"천": 10**3, "만": 10**4, "억": 10**8, "thousand": 10**3, "million": 10**6, "billion": 10**9}
# Letters after a number that make it a quantity, not a code: "10GB" is "10 GB".
_UNITS = frozenset(
    ["b", "kb", "mb", "gb", "tb", "pb", "bps", "kbps", "mbps", "gbps", "ms", "px", "pt", "em", "cm", "mm", "km"]
)
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})
_PLACEHOLDER = re.compile(r"\\?<([A-Za-z_][\w.-]*)\\?>|\{[A-Za-z_0-9][\w.]*\}|%[A-Za-z_][\w]*%")
# A placeholder in words ("\<site name\>"): its words may be translated, its brackets stay.
_PROSE_PLACEHOLDER = re.compile(r"\\<[^<>\n]*?[^\W\d_][^<>\n]*?\\?>")
_ESCAPED_MARKER = re.compile(r"\\[*_]")
_EMPTY_EMPHASIS = re.compile(r"(?:\\?\*){4,}|(?:\\?_){4,}")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_LATIN_OR_DIGITS = re.compile(r"[A-Za-z]+|\d+")
# A letter of a non-Latin script (Hangul, kana, Han, Cyrillic ...); Latin letters.
_OWN_LETTER = re.compile(r"[^\W\d_\x00-\u024f]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]+")
_DOUBLE_SPACE = re.compile(r"(?<=\S)  +(?=\S)")
# Search-query operators: a unit with them is a query, kept in English on purpose.
_QUERY_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR", "ONEAR"})
_HTML_ELEMENTS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "br",
        "code",
        "del",
        "div",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    ]
)
# English words that only occur in running prose: a unit whose target repeats
# a source with them was left untranslated, not kept on purpose (names, keywords).
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "to",
        "of",
        "in",
        "on",
        "for",
        "and",
        "or",
        "is",
        "are",
        "was",
        "be",
        "can",
        "you",
        "your",
        "this",
        "that",
        "these",
        "with",
        "from",
        "by",
        "it",
        "not",
        "if",
        "when",
        "how",
        "what",
        "which",
        "will",
        "must",
        "should",
    ]
)


def _number_value(m: re.Match) -> str | None:
    """The value a number token must keep in translation; None for ordinals ("1st" is a word)."""
    if m["guid"]:
        return m["guid"].lower()
    before, digits, after = m["before"], m["digits"], m["after"].lower()
    if before or (after and after not in _UNITS | _ORDINAL_SUFFIXES):
        return (before + digits + after).lower()
    if after in _ORDINAL_SUFFIXES:
        return None
    digits = _THOUSANDS.sub("", digits)
    magnitude = _MAGNITUDE.get(m["korean"] or (m["english"] or "").lower())
    if magnitude and re.fullmatch(r"\d+(?:\.\d+)?", digits):
        return str(round(float(digits) * magnitude))
    return digits


_MASK = "\ufffc"  # stands in for masked markup: not a space, not a letter, not a digit


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with the given character ranges replaced by one mask character each."""
    pieces = []
    pos = 0
    for start, end in sorted(spans):
        if start < pos:
            continue
        pieces.append(text[pos:start])
        pieces.append(_MASK)
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


class _lazy:
    """A computed-once attribute: functools.cached_property without its lock, which
    costs more than most of these computations (Python before 3.12 takes it on each first access)."""

    def __init__(self, func):
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.func(obj)
        return value


class Side:
    """One side of a unit (source or target) with its inline markup found once, on demand."""

    def __init__(self, text: str):
        self.text = text

    @_lazy
    def code(self) -> list[tuple[int, int]]:
        return markup.code_spans(self.text)

    @_lazy
    def links(self) -> list[markup.Link]:
        return markup.links(self.text, self.code)

    @_lazy
    def tags(self) -> list[markup.Tag]:
        return markup.html_tags(self.text, self.code)

    @_lazy
    def autolinks(self) -> list[tuple[int, int, str]]:
        return markup.autolinks(self.text, self.code)

    @_lazy
    def code_texts(self) -> Counter:
        return Counter(self.text[s:e].strip("`").strip() for s, e in self.code)

    @_lazy
    def markup_spans(self) -> list[tuple[int, int]]:
        """Where the text is markup, not words: code spans, link destinations, tags, autolinks."""
        spans = list(self.code)
        spans += [(link.text_end, link.end) for link in self.links]
        spans += [(t.start, t.end) for t in self.tags]
        spans += [(s, e) for s, e, _ in self.autolinks]
        return spans

    @_lazy
    def prose(self) -> str:
        """The translatable words: markup and bare URLs masked."""
        return markup.BARE_URL.sub(_MASK, _blank(self.text, self.markup_spans))

    @_lazy
    def numbers(self) -> dict[str, set[str]]:
        """Numbers and codes with digits (``5.7.705``, ``E5``) as values ("50,000" = "5만" = "50000"),
        each with the names it follows ("Office" for "Office 365"; "" when it follows no name)."""
        found: dict[str, set[str]] = {}
        for m in _NUMBER.finditer(self.prose):
            value = _number_value(m)
            if value:
                name = _NAME_BEFORE.search(self.prose, 0, m.start())
                found.setdefault(value, set()).add(name.group(1) if name else "")
        return found

    @_lazy
    def code_numbers(self) -> set[str]:
        """Numbers inside code spans: a number the translation moved into code is still there."""
        return {value for code in self.code_texts for m in _NUMBER.finditer(code) if (value := _number_value(m))}

    @_lazy
    def placeholders(self) -> Counter:
        """``<Name>``, ``{0}``, ``%NAME%`` outside code; ``<b>``-like HTML elements are tags, not placeholders."""
        found = Counter()
        for m in _PLACEHOLDER.finditer(_blank(self.text, self.code)):
            if m.group(1):
                if m.group(1).lower() not in _HTML_ELEMENTS:
                    found[f"<{m.group(1)}>"] += 1
            else:
                found[m.group()] += 1
        return found

    @_lazy
    def prose_placeholders(self) -> int:
        return len(_PROSE_PLACEHOLDER.findall(self.prose))

    @_lazy
    def emphasis(self) -> Counter:
        """Emphasis spans CommonMark sees: ``{'strong': n, 'em': m}``."""
        if "*" not in self.text and "_" not in self.text:
            return Counter()
        tokens = _MD.parseInline(self.text)[0].children or []
        return Counter("strong" if t.tag == "strong" else "em" for t in tokens if t.type in ("strong_open", "em_open"))

    @_lazy
    def words(self) -> list[str]:
        return _WORD.findall(self.prose)


@dataclass
class Term:
    """A glossary entry: an English term and the translations it must get."""

    source: str
    targets: tuple[str, ...]
    pattern: re.Pattern = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Plural and possessive forms are the same term.
        self.pattern = re.compile(r"(?<![\w-])" + re.escape(self.source) + r"(?:s|es|'s)?(?![\w-])", re.I)


@dataclass
class Resources:
    """What checks need beyond one unit: the glossary and the project's own spelling of words."""

    language: str
    glossary: list[Term] = field(default_factory=list)
    # Words of three or more syllables written without spaces somewhere in the
    # project's translations (and the glossary's): the spelling a split-up
    # "테 넌 트" is compared with.
    vocabulary: frozenset[str] = frozenset()
    # True when the language is written in another script than English (most
    # targets have its letters): then a target without them is a copy, not a translation.
    own_script: bool = False
    # Capitalized words the translations keep in English at least half as often
    # as the sources have them ("Office", "Exchange"; not "Step", "August").
    kept_names: frozenset[str] = frozenset()
    any_term: re.Pattern = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.any_term = re.compile("|".join(t.pattern.pattern for t in self.glossary) or "(?!)", re.I)


class Pair:
    """The unit being checked: its source and target sides and the project's resources."""

    def __init__(self, segment: Segment, resources: Resources):
        self.segment = segment
        self.source = Side(segment.source)
        self.target = Side(segment.target or "")
        self.resources = resources

    @_lazy
    def link_issues(self) -> list[markup.ParityIssue]:
        """How the target's destinations differ from the source's (what ``bitext links`` reports too)."""
        return markup.link_parity(self.source.text, self.target.text)


# --- the checks ---------------------------------------------------------------------------------


def _listing(items: Iterable[str], limit: int = 5) -> str:
    items = list(items)
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


@check("markup", "error", needs_source=False)
def injected_markup(pair: Pair) -> Iterator[str]:
    """HTML, comments, remote images or script URLs in the target that the source does not have."""
    found = markup.injected_markup(pair.source.text, pair.target.text)
    if found:
        what = list(dict.fromkeys(inj.what for inj in found))
        yield f"{_listing(what)}; the compiler shows it as text"


@check("tags", "warning")
def missing_tags(pair: Pair) -> Iterator[str]:
    """HTML tags of the source that the target dropped (line breaks, anchors, superscripts)."""
    missing = Counter(t.signature for t in pair.source.tags) - Counter(t.signature for t in pair.target.tags)
    if missing:
        names = [f"<{'/' if closing else ''}{name}>" for name, closing, _ in sorted(missing.elements())]
        yield f"target lacks {_listing(names)} of the source"


@check("links", "error")
def links(pair: Pair) -> Iterator[str]:
    """Link, image and URL destinations that the target dropped, added or changed."""
    issues = [i for i in pair.link_issues if i.kind != "localized"]
    missing = sorted(i.source for i in issues if i.source)
    extra = sorted(i.target for i in issues if i.target)
    if len(missing) == len(extra) == 1:
        yield f"link target changed: {missing[0]} → {extra[0]}"
        return
    if missing:
        yield "target lacks " + _listing(missing)
    if extra:
        yield "target has link targets not in the source: " + _listing(extra)


@check("link-locale", "warning")
def link_locale(pair: Pair) -> Iterator[str]:
    """Links the translation points at another locale (``/en-us/`` → ``/ko-kr/``)."""
    for issue in pair.link_issues:
        if issue.kind == "localized":
            yield f"link target localized: {issue.source} → {issue.target}"


@check("code", "error")
def inline_code(pair: Pair) -> Iterator[str]:
    """Inline code spans that the target dropped, added or changed (code is never translated)."""
    source, target = pair.source.code_texts, pair.target.code_texts
    missing = sorted((source - target).elements())
    extra = sorted((target - source).elements())
    if missing:
        yield "target lacks code " + _listing(f"`{c}`" for c in missing)
    if extra:
        yield "target has code not in the source: " + _listing(f"`{c}`" for c in extra)


@check("empty-emphasis", "error")
def empty_emphasis(pair: Pair) -> Iterator[str]:
    """Emphasis markers left without text (``****``), as machine translation leaves them."""
    if _empty_emphasis(pair.target) > _empty_emphasis(pair.source):
        found = _EMPTY_EMPHASIS.search(pair.target.prose).group()
        yield f"empty emphasis {found!r}: readers see the asterisks, the emphasized words moved out"


def _empty_emphasis(side: Side) -> int:
    return (
        len(_EMPTY_EMPHASIS.findall(side.prose))
        if "**" in side.text or "__" in side.text or "\\*\\*" in side.text or "\\_\\_" in side.text
        else 0
    )


@check("emphasis", "warning")
def emphasis(pair: Pair) -> Iterator[str]:
    """Bold and italic spans that differ in number between source and target."""
    if _empty_emphasis(pair.target) > _empty_emphasis(pair.source):
        return  # empty-emphasis says why
    source, target = pair.source.emphasis, pair.target.emphasis
    differ = [
        f"{label}: source {source[kind]}, target {target[kind]}"
        for kind, label in (("strong", "bold"), ("em", "italic"))
        if source[kind] != target[kind]
    ]
    if differ:
        why = ""
        if _ESCAPED_MARKER.findall(pair.target.prose) > _ESCAPED_MARKER.findall(pair.source.prose):
            why = " (the target's escaped markers show as asterisks)"
        elif "_AMP_" in pair.target.text and "_AMP_" not in pair.source.text:
            why = " (machine translation wrote '&' as _AMP_)"
        yield "emphasis spans differ: " + "; ".join(differ) + why


@check("numbers", "warning")
def numbers(pair: Pair) -> Iterator[str]:
    """Numbers and codes of the source (``5.7.705``, ``550``, ``E5``) missing from the target."""
    target = pair.target.numbers.keys() | pair.target.code_numbers
    compact = pair.target.prose.replace(" ", "").lower()
    missing = []
    for value, names in pair.source.numbers.items():
        if value in target or (_NAMED_CODE.fullmatch(value) and value in compact):
            continue
        # "Office 365 Security & Compliance Center" may be localized as a whole
        # ("보안 및 준수 센터"): the number of a product name the translations
        # keep in English is only missing where its name remains ("Step 7" is
        # not such a name: "Step" is always translated).
        kept = pair.resources.kept_names
        if names and all(n in kept and n not in pair.target.prose for n in names):
            continue
        missing.append(value)
    if missing:
        yield "target lacks " + _listing(sorted(missing))


@check("filenames", "warning")
def filenames(pair: Pair) -> Iterator[str]:
    """File and domain names of the source (``Results.csv``, ``contoso.com``) mangled or dropped."""
    target = pair.target.prose.lower() + " " + " ".join(pair.target.code_texts).lower()
    missing = sorted({m.group() for m in _FILE_NAME.finditer(pair.source.prose) if m.group().lower() not in target})
    if missing:
        yield "target lacks " + _listing(missing)


@check("placeholders", "error")
def placeholders(pair: Pair) -> Iterator[str]:
    """Placeholders such as ``<YourTenantName>``, ``{0}`` or ``%PATH%`` translated or dropped."""
    missing = sorted((pair.source.placeholders - pair.target.placeholders).elements())
    if missing:
        yield "target lacks " + _listing(missing)
    elif pair.target.prose_placeholders < pair.source.prose_placeholders:
        yield (
            f"a placeholder in \\<…\\> lost its brackets or words: source has "
            f"{pair.source.prose_placeholders}, target {pair.target.prose_placeholders}"
        )


@check("untranslated", "error")
def untranslated(pair: Pair) -> Iterator[str]:
    """A target marked translated that is empty: the English is published instead."""
    if not pair.target.text.strip():
        yield f"target is empty but its state is {pair.segment.state or 'unset'}"


@check("unchanged", "warning")
def unchanged(pair: Pair) -> Iterator[str]:
    """A target identical to an English sentence: prose left untranslated."""
    if pair.target.text == pair.source.text and pair.resources.own_script and _english_prose(pair.source):
        yield "target is the English source"


def _english_prose(side: Side) -> bool:
    """Running English text, not a name, keyword list or query that stays as it is."""
    words = side.words
    if len(words) < 4 or not words[0][0].isupper() or any(w in _QUERY_OPERATORS for w in words):
        return False
    # Names ("CipherCloud for Salesforce Chatter") have one such word; sentences more.
    return len({w for w in words if w in _FUNCTION_WORDS}) >= 2


@check("whitespace", "warning")
def whitespace(pair: Pair) -> Iterator[str]:
    """Leading or trailing whitespace that differs from the source."""
    s, t = pair.source.text, pair.target.text
    if s[: len(s) - len(s.lstrip())] != t[: len(t) - len(t.lstrip())]:
        yield "leading whitespace differs from the source"
    if s[len(s.rstrip()) :] != t[len(t.rstrip()) :]:
        yield "trailing whitespace differs from the source"


@check("doublespacing", "warning", needs_source=False)
def doublespacing(pair: Pair) -> Iterator[str]:
    """Doubled spaces between words of the target that the source does not have."""
    found = [m.start() for m in _DOUBLE_SPACE.finditer(pair.target.prose)]
    if len(found) > len(_DOUBLE_SPACE.findall(pair.source.prose)):
        at = found[0]
        context = pair.target.prose[max(0, at - 12) : at + 14].replace(_MASK, "…").strip()
        yield f"doubled space in {context!r}"


@check("ko-spacing", "warning", needs_source=False)
def korean_spacing(pair: Pair) -> Iterator[str]:
    """A Korean word split into syllables (``테 넌 트``), as machine translation leaves them."""
    found = list(split_words(pair.target.prose, pair.resources.vocabulary))
    if found:
        yield _listing(f"{split!r} is the word {word!r} split into syllables" for split, word in found)


def split_words(text: str, vocabulary: frozenset[str]) -> Iterator[tuple[str, str]]:
    """(split text, word) for each known word written with a space between every syllable.

    Hand-written: Korean spacing correctors need a language model; this only
    asks whether single syllables separated by spaces, joined, spell a word
    the project writes without spaces elsewhere (or its glossary has).
    """
    if not vocabulary:
        return
    runs = [(m.group(), m.start(), m.end()) for m in _HANGUL_RUN.finditer(text)]
    i = 0
    while i < len(runs):
        # A chain: single syllables, each followed by exactly one space, then any Hangul run.
        j = i
        while j + 1 < len(runs) and len(runs[j][0]) == 1 and text[runs[j][2] : runs[j + 1][1]] == " ":
            j += 1
        found = _word_in_chain(runs[i : j + 1], vocabulary) if j - i >= 2 else None
        if found:
            start, end, word = found
            yield text[start:end], word
        i = max(j, i + 1)


def _word_in_chain(chain: list[tuple[str, int, int]], vocabulary: frozenset[str]) -> tuple[int, int, str] | None:
    """The word spelled by the most pieces (three or more) of ``chain``, particles cut off."""
    for pieces in range(len(chain), 2, -1):
        for a in range(len(chain) - pieces + 1):
            b = a + pieces - 1
            head = "".join(piece for piece, _, _ in chain[a:b])
            last = chain[b][0]
            for cut in range(1, len(last) + 1):
                if head + last[:cut] in vocabulary:
                    return chain[a][1], chain[b][1] + cut, head + last[:cut]
    return None


@check("glossary", "warning")
def glossary(pair: Pair) -> Iterator[str]:
    """A glossary term of the source not translated with the glossary's term."""
    if not pair.resources.glossary or not pair.resources.any_term.search(pair.source.prose):
        return
    for term in pair.resources.glossary:
        if term.pattern.search(pair.source.prose) and not any(t in pair.target.prose for t in term.targets):
            if term.targets == (term.source,):
                yield f"{term.source!r} stays as written"
            else:
                yield f"{term.source!r} is translated {' or '.join(repr(t) for t in term.targets)}"


@check("misaligned", "error")
def misaligned(pair: Pair) -> Iterator[str]:
    """A target that belongs to another source: no word of the language, nothing in common."""
    if not pair.resources.own_script or not pair.source.words:
        return
    target = pair.target.prose
    if _OWN_LETTER.search(target):
        return
    tokens = {t.lower() for t in _LATIN_OR_DIGITS.findall(target)}
    if tokens and not tokens & {t.lower() for t in _LATIN_OR_DIGITS.findall(pair.source.prose)}:
        yield f"target {pair.target.text.strip()[:60]!r} shares no word or number with the source"


# --- running the checks -------------------------------------------------------------------------


def as_json(flag: Finding) -> dict:
    """A flag as ``bitext check --format json`` writes it."""
    return {
        "path": flag.path,
        "line": flag.line,
        "unit": flag.unit or "",
        "check": flag.code,
        "severity": flag.severity,
        "message": flag.message,
        "lang": flag.lang,
    }


@dataclass
class Report:
    """What ``check`` found in a project: flags (findings whose code is the check), how many units were checked."""

    flags: list[Finding] = field(default_factory=list)
    units: int = 0  # units checked
    files: int = 0

    @property
    def flagged_units(self) -> int:
        return len({(f.path, f.unit) for f in self.flags if f.unit})

    @property
    def errors(self) -> int:
        return sum(1 for f in self.flags if f.severity == "error")

    def counts(self) -> Counter:
        return Counter(f.code for f in self.flags)

    def summary(self) -> str:
        """One line: units checked and flagged, errors, findings per check."""
        share = 100 * self.flagged_units / self.units if self.units else 0.0
        counts = ", ".join(f"{name} {n:,}" for name, n in self.counts().most_common())
        return (
            f"checked {plural(self.units, 'unit')} in {plural(self.files, 'file')}: "
            f"{plural(self.flagged_units, 'unit')} flagged ({share:.1f}%), {plural(self.errors, 'error')}"
            + (f"; {counts}" if counts else "")
        )


def severities(overrides: dict[str, str] | None = None) -> dict[str, str]:
    """Each check's severity: the default, unless the project or the command line says otherwise."""
    result = {name: c.severity for name, c in CHECKS.items()}
    for name, level in (overrides or {}).items():
        if name not in CHECKS:
            raise ValueError(f"unknown check {name!r} (checks: {', '.join(sorted(CHECKS))})")
        try:
            result[name] = parse_severity(level)
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}") from None
    return result


def project_severities(root: Path, overrides: dict[str, str] | None = None) -> dict[str, str]:
    """Severities for the project at ``root``: the defaults, then mkdocs.yml's
    ``plugins: - bitext: check: severity: {check: level}``, then ``overrides``."""
    configured = settings.section(root, "check").get("severity") or {}
    if not isinstance(configured, dict):
        raise ValueError("plugins: bitext: check: severity: must map check names to levels")
    return severities({**configured, **(overrides or {})})


def ignored_checks(segment: Segment) -> set[str]:
    """Checks a translator silenced on this unit with ``<note from="bitext-check">ignore ...</note>``."""
    found: set[str] = set()
    for note in segment.notes:
        if note.author == IGNORE_NOTE and note.text.strip().startswith("ignore"):
            found.update(n.strip() for n in note.text.strip()[len("ignore") :].replace(",", " ").split())
    return found


def checkable(segment: Segment) -> bool:
    """Units whose target is published or reviewed; untranslated proposals are not checked."""
    return segment.target is not None and segment.state not in UNTRANSLATED_STATES


def check_segment(segment: Segment, resources: Resources, levels: dict[str, str]) -> Iterator[tuple[str, str]]:
    """(check, message) for every problem found in one unit."""
    pair = Pair(segment, resources)
    skip = ignored_checks(segment)
    has_source = bool(segment.source.strip())
    for name, c in CHECKS.items():
        if levels[name] == OFF or name in skip or (c.needs_source and not has_source):
            continue
        for message in c.func(pair):
            yield name, message


def read_glossary(path: Path, display: str) -> list[Term]:
    """Terms from a tab-separated glossary: ``English<TAB>translation[<TAB>note]``; ``#`` starts a comment.

    Several translations for one term are separated by `` | ``; a term listed
    twice keeps every translation.
    """
    terms: dict[str, Term] = {}
    for number, line in enumerate(read_text(path, display).split("\n"), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) < 2 or not cells[0].strip() or not cells[1].strip():
            raise BitextError.at(display, number, "glossary lines are 'English<TAB>translation[<TAB>note]'", "glossary")
        source = cells[0].strip()
        targets = tuple(t.strip() for t in cells[1].split("|") if t.strip())
        if source.lower() in terms:
            known = terms[source.lower()]
            known.targets = known.targets + tuple(t for t in targets if t not in known.targets)
        else:
            terms[source.lower()] = Term(source, targets)
    return list(terms.values())


GLOSSARY = "glossary.tsv"


def build_resources(language: str, segments: Iterable[Segment], glossary: list[Term]) -> Resources:
    """The language's resources, learnt from every target of the project plus the glossary."""
    words: set[str] = set()
    in_source: Counter = Counter()
    in_target: Counter = Counter()
    own = latin = 0
    for seg in segments:
        text = seg.target or ""
        words.update(w for w in _HANGUL_RUN.findall(text) if len(w) >= 3)
        if _OWN_LETTER.search(text):
            own += 1
        elif _LATIN_LETTER.search(text):
            latin += 1
        in_source.update(_CAPITALIZED.findall(seg.source))
        in_target.update(_CAPITALIZED.findall(text))
    words.update(t for term in glossary for t in term.targets if _HANGUL_RUN.fullmatch(t) and len(t) >= 3)
    kept = frozenset(w for w, n in in_target.items() if n >= 2 and 2 * n >= in_source[w])
    return Resources(language, glossary, frozenset(words), 0 < own >= latin, kept)


def check_project(
    project: Project, languages: Iterable[str], levels: dict[str, str], only: set[str] | None = None
) -> Report:
    """Run the checks ``levels`` enables (those in ``only``, if given) on every checkable unit of
    ``languages``; unreadable segment files and glossary lines become error flags."""
    report = Report()
    active = {name: level if only is None or name in only else OFF for name, level in levels.items()}

    def unreadable(exc: BitextError, lang: str) -> None:
        report.flags.extend(
            dataclasses.replace(f, code=f.code or "xliff", severity="error", lang=lang) for f in exc.findings
        )

    for lang in languages:
        files = []
        for rel in project.segment_files(lang):
            try:
                files.append((project.display(project.segment_path(rel, lang)), project.read_segments(rel, lang)))
            except BitextError as exc:
                unreadable(exc, lang)
        report.files += len(files)
        terms: list[Term] = []
        glossary_path = project.locales_dir / lang / GLOSSARY
        if glossary_path.is_file():
            try:
                terms = read_glossary(glossary_path, project.display(glossary_path))
            except BitextError as exc:
                unreadable(exc, lang)
        resources = build_resources(lang, (s for _, sf in files for s in sf.segments), terms)
        for display, sf in files:
            for seg in filter(checkable, sf.segments):
                report.units += 1
                for name, message in check_segment(seg, resources, active):
                    report.flags.append(
                        Finding(display, seg.xliff_line, message, active[name], name, unit=seg.id, lang=lang)
                    )
    return report
