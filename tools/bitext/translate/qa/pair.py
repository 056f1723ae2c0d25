"""The unit being checked: its source and target sides with their markup found once, and the
project-wide resources (glossary, vocabulary, kept names) the checks compare them with."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from bitext.core import markup
from bitext.core.guard import MarkupGuard, guard_for
from bitext.core.model import Segment
from bitext.lang import ko
from bitext.translate.qa.glossary import Term

# Only the inline rules that decide where emphasis is: code, escapes, links, HTML.
_MD = MarkdownIt("zero").enable(
    ["emphasis", "backticks", "escape", "link", "image", "autolink", "html_inline", "entity"]
)
# A number or code: a GUID, or letters before, digits with separators, letters
# after, and a magnitude word ("2 million", Korean "200만", "5천").
_NUMBER = re.compile(
    r"(?<![A-Za-z0-9.])(?:(?P<guid>[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12})"
    r"|(?P<before>[A-Za-z]*)(?P<digits>\d+(?:[.:,]\d+)*)(?P<after>[A-Za-z]*)"
    rf"(?:(?P<korean>[{''.join(ko.MAGNITUDES)}])|\s(?P<english>thousand|million|billion)\b)?)"
)
_NAME_BEFORE = re.compile(r"\b([A-Z][A-Za-z]+) $")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_MAGNITUDE = {**ko.MAGNITUDES, "thousand": 10**3, "million": 10**6, "billion": 10**9}
# Letters after a number that make it a quantity, not a code: "10GB" is "10 GB".
_UNITS = frozenset(
    ["b", "kb", "mb", "gb", "tb", "pb", "bps", "kbps", "mbps", "gbps", "ms", "px", "pt", "em", "cm", "mm", "km"]
)
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})
_PLACEHOLDER = re.compile(r"\\?<([A-Za-z_][\w.-]*)\\?>|\{[A-Za-z_0-9][\w.]*\}|%[A-Za-z_][\w]*%")
# A placeholder in words ("\<site name\>"): its words may be translated, its brackets stay.
_PROSE_PLACEHOLDER = re.compile(r"\\<[^<>\n]*?[^\W\d_][^<>\n]*?\\?>")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# A letter of a non-Latin script (Hangul, kana, Han, Cyrillic ...).
OWN_LETTER = re.compile(r"[^\W\d_\x00-\u024f]")
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


MASK = "\ufffc"  # stands in for masked markup: not a space, not a letter, not a digit


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with the given character ranges replaced by one mask character each."""
    pieces = []
    pos = 0
    for start, end in sorted(spans):
        if start < pos:
            continue
        pieces.append(text[pos:start])
        pieces.append(MASK)
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
        return markup.BARE_URL.sub(MASK, _blank(self.text, self.markup_spans))

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
        found: Counter[str] = Counter()
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
    # The site's markup guard, and what it refused in each unit the compiler placed in its
    # English article (keyed by ``id()`` of the unit; messages as the build reports them).
    guard: MarkupGuard = field(default_factory=guard_for)
    refused: dict[int, list[str]] = field(default_factory=dict)
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
