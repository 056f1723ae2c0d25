"""Segmentation of English Markdown into translatable sentences, with positions.

``sentences(english)`` finds every piece of an article a translator must
translate: the sentences of paragraphs, list items, headings, pipe-table and
HTML-table cells, block quotes (DocFX alerts ``> [!NOTE]``), Material
admonitions and content tabs, and the translatable front-matter values.
Each sentence is the exact slice of the article it comes from, inline markup
included, so compile and export can put translations back in place.  Code
blocks, raw HTML, URLs and link targets are never translatable text.

Blocks come from markdown-it-py (CommonMark + GFM tables), sentence
boundaries from pysbd.  markdown-it only tells which lines a block spans, so
mapping its inline content back to character offsets, and the Material
admonitions it does not know, are done by hand here.  Before pysbd sees a
block, inline code, HTML tags, URLs, dotted names (``web.config``,
``5.7.705``, ``U.S.``), links and bold text are masked with letters of the
same length so no boundary falls inside them; ``<br>`` and block-level tags
inside a cell end a sentence.  That is how Microsoft's segmenter treats
them, and the corpus' translations follow it.  Two more of its habits are
kept: a sentence that is only a link or an image is translated as its text,
and a FAQ label ("A.") is a sentence of its own.  Text without a Latin
letter once code, URLs and tags are out (numbers, a command) is not
translatable.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt

from bitext.core import frontmatter, markup


@dataclass(frozen=True)
class Sentence:
    """One translatable piece: ``english[start:end]`` (body) or a front-matter value (``key``)."""

    start: int
    end: int
    text: str
    key: str | None = None


@dataclass(frozen=True)
class Run:
    """Inline text that sentences are cut from: one paragraph, heading or table cell.

    ``pieces`` are the source ranges of its lines (a paragraph inside a list or
    block quote loses its indentation and ``>`` markers between lines).
    """

    pieces: tuple[tuple[int, int], ...]

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]


def sentences(english: str, path: str = "") -> list[Sentence]:
    """Every translatable sentence of an article, front matter first, in document order."""
    out = front_matter(english, path)
    for run in runs(english):
        out.extend(split(english, run))
    return out


def front_matter(english: str, path: str = "") -> list[Sentence]:
    """The translatable front-matter values (whole values: a title is one unit).

    Raises a BitextError naming ``path`` and the line of an invalid value.
    """
    fm = frontmatter.split(english)
    if fm is None:
        return []
    out = []
    offset = 4
    for block in fm.blocks:
        if block.key in frontmatter.TRANSLATABLE_KEYS:
            value = frontmatter.value(block, path)
            if isinstance(value, str) and value.strip():
                out.append(Sentence(offset, offset + len(block.text), value, block.key))
        offset += len(block.text)
    return out


# ---------------------------------------------------------------- blocks


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table").disable("inline")


# Lines that open an indented container markdown-it does not know:
# Material admonitions (!!! / ??? / ???+) and pymdownx.tabbed content tabs (===).
_CONTAINER = re.compile(r"(?P<marker>!!!|\?\?\?\+?|===\+?)[ \t]+(?P<rest>.*?)[ \t]*$")
_TITLE = re.compile(r'(?:[\w-]+(?:[ \t]+[\w-]+)*[ \t]*)?"(?P<title>[^"]*)"$')
# DocFX block-quote markers: ``> [!NOTE]``, ``> [!div class="..."]``, ``> [!VIDEO url]``.
_DOCFX_MARKER = re.compile(r"\[!(?:[A-Za-z]+)\b[^\]\n]*\][ \t]*(?:\n|$)")
_INCLUDE = re.compile(r"\[!INCLUDE\s*\[[^\]]*\]\([^)]*\)\]", re.I)
# HTML elements whose content is a block of its own: a sentence never spans them.
_HTML_BLOCKS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "caption",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "br",
        "img",
        "iframe",
        "video",
        "source",
        "object",
        "embed",
        "input",
    }
)
_HTML_OPAQUE = frozenset({"pre", "code", "script", "style", "textarea", "kbd", "samp", "var"})


class _View:
    """Lines of a (sub)document and where each starts in the article.

    A sub-document is the indented body of an admonition, handed to markdown-it
    without its indentation; its characters stay contiguous on each line.
    """

    def __init__(self, english: str, starts: list[int], lines: list[str]):
        self.english = english
        self.starts = starts
        self.lines = lines

    @classmethod
    def whole(cls, english: str, offset: int) -> _View:
        starts, lines = [], []
        pos = offset
        for line in english[offset:].split("\n"):
            starts.append(pos)
            lines.append(line)
            pos += len(line) + 1
        return cls(english, starts, lines)

    def text(self) -> str:
        return "\n".join(self.lines)

    def sub(self, first: int, last: int, indent: int) -> _View:
        starts, lines = [], []
        for i in range(first, last):
            line = self.lines[i]
            cut = min(indent, len(line) - len(line.lstrip(" ")))
            starts.append(self.starts[i] + cut)
            lines.append(line[cut:])
        return _View(self.english, starts, lines)


def runs(english: str) -> list[Run]:
    """The inline runs of the article body, in document order."""
    return list(_runs(english))


# update and align both ask for the runs of the same article: parse it once.
@lru_cache(maxsize=4)
def _runs(english: str) -> tuple[Run, ...]:
    fm = frontmatter.split(english)
    offset = fm.end if fm else 0
    out: list[Run] = []
    _walk(_View.whole(english, offset), out, _tokens(english[offset:]))
    return tuple(out)


def code_blocks(english: str) -> list[tuple[int, str]]:
    """The fenced and indented code blocks of the article body: (first line, content), from the runs' own parse."""
    fm = frontmatter.split(english)
    offset = fm.end if fm else 0
    before = english.count("\n", 0, offset)
    return [
        (before + tok.map[0] + 1, tok.content)
        for tok in _tokens(english[offset:])
        if tok.type in ("fence", "code_block") and tok.map
    ]


# runs and code_blocks of the same article share its parse.
@lru_cache(maxsize=4)
def _tokens(text: str) -> list:
    return _parser().parse(text)


def _walk(view: _View, out: list[Run], tokens: list | None = None) -> None:
    if tokens is None:
        tokens = _parser().parse(view.text())
    skip_to = -1
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.map and tok.map[0] < skip_to:
            i += 1
            continue
        if tok.type == "paragraph_open" and tok.map:
            first = tok.map[0]
            m = _CONTAINER.match(view.lines[first].lstrip(" "))
            if m:
                skip_to = _container(view, first, m, out)
                i += 1
                continue
        if tok.type == "inline" and tok.map:
            parent = tokens[i - 1].type if i else ""
            if parent == "heading_open":
                _heading(view, tok, out)
            elif parent == "paragraph_open":
                _paragraph(view, tok, out)
        elif tok.type == "table_open" and tok.map:
            _table(view, tok.map, out)
            skip_to = tok.map[1]
        elif tok.type == "html_block" and tok.map:
            _html(view, tok.map, out)
        i += 1


def _container(view: _View, first: int, m: re.Match, out: list[Run]) -> int:
    """An admonition or content tab: its quoted title, then its indented body."""
    line = view.lines[first]
    title = _TITLE.match(m.group("rest"))
    if title and title.group("title").strip():
        start = view.starts[first] + len(line) - len(m.group("rest")) - (len(line) - len(line.rstrip()))
        start += title.start("title")
        out.append(Run(((start, start + len(title.group("title"))),)))
    indent = len(line) - len(line.lstrip(" "))
    last = first + 1
    while last < len(view.lines):
        text = view.lines[last]
        if text.strip() and len(text) - len(text.lstrip(" ")) < indent + 4:
            break
        last += 1
    _walk(view.sub(first + 1, last, indent + 4), out)
    return last


def _content_pieces(view: _View, first: int, content: str) -> list[tuple[int, int]]:
    """Source ranges of the lines of an inline token's content (one per line)."""
    pieces = []
    for j, part in enumerate(content.split("\n")):
        line = view.lines[first + j]
        stripped = line.rstrip()
        part_r = part.rstrip()
        if stripped.endswith(part_r):
            col = len(stripped) - len(part_r)
        else:
            col = line.rfind(part_r)
            if col == -1:
                return []
        start = view.starts[first + j] + col
        pieces.append((start, start + len(part_r)))
    return pieces


def _paragraph(view: _View, tok, out: list[Run]) -> None:
    content = tok.content
    marker = _DOCFX_MARKER.match(content)
    pieces = _content_pieces(view, tok.map[0], content)
    if marker:
        # The alert marker sits on its own line (or the whole paragraph is one).
        drop = content.count("\n", 0, marker.end())
        pieces = pieces[drop:] if content[marker.end() - 1 : marker.end()] == "\n" else []
    if pieces:
        out.append(Run(tuple(pieces)))


def _heading(view: _View, tok, out: list[Run]) -> None:
    pieces = _content_pieces(view, tok.map[0], tok.content)
    if pieces:
        out.append(Run(tuple(pieces)))


def _table(view: _View, span: list[int], out: list[Run]) -> None:
    for n in range(span[0], span[1]):
        if n == span[0] + 1:
            continue  # the delimiter row
        line = view.lines[n]
        base = view.starts[n]
        cells = table_cells(line)
        for a, b in cells:
            while a < b and line[a] in " \t":
                a += 1
            while b > a and line[b - 1] in " \t":
                b -= 1
            if a < b:
                out.append(Run(((base + a, base + b),)))


def table_cells(line: str) -> list[tuple[int, int]]:
    """Column ranges of a pipe-table row's cells.

    A pipe inside a code span stays in its cell, as in Python-Markdown (the
    site's renderer) and DocFX (the corpus' own), though not in GFM.
    """
    code = markup.code_spans(line)
    bounds = [
        i
        for i, c in enumerate(line)
        if c == "|" and not markup.escaped(line, i) and not any(a < i < b for a, b in code)
    ]
    stripped = line.strip()
    edges = [-1, *bounds, len(line)]
    cells = [(edges[k] + 1, edges[k + 1]) for k in range(len(edges) - 1)]
    if stripped.startswith("|"):
        cells = cells[1:]
    if stripped.endswith("|") and not stripped.endswith("\\|") and cells:
        cells = cells[:-1]
    return cells


def _html(view: _View, span: list[int], out: list[Run]) -> None:
    """Text between block-level tags of a raw HTML block (table cells, paragraphs)."""
    start = view.starts[span[0]]
    last = min(span[1], len(view.lines)) - 1
    end = view.starts[last] + len(view.lines[last])
    text = view.english[start:end]
    pos = 0
    opaque = None
    for tag in markup.html_tags(text, []):
        if opaque is not None:
            if tag.closing and tag.name == opaque:
                opaque = None
                pos = tag.end
            continue
        if tag.name in _HTML_OPAQUE and not tag.closing:
            _html_text(start, text, pos, tag.start, out)
            opaque = tag.name
            continue
        if tag.name in _HTML_BLOCKS or tag.name in ("!--", "!"):
            _html_text(start, text, pos, tag.start, out)
            pos = tag.end
    if opaque is None:
        _html_text(start, text, pos, len(text), out)


def _html_text(base: int, text: str, a: int, b: int, out: list[Run]) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if a < b:
        out.append(Run(((base + a, base + b),)))


# ---------------------------------------------------------------- sentences

# Tags that end a sentence inside inline text (a pipe-table cell holding several lines or paragraphs).
_BREAK = re.compile(r"</?(?:br|p|li|ul|ol|div|h[1-6])\b[^>]*>", re.I)
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_DOTTED = re.compile(r"(?<![\w.])(?:[\w-]+\.)+[\w-]+|(?<![\w.])\.[A-Za-z0-9]+\b")
# What every dotted name (and initialism) holds: a "." right before a word character or "-".  A sentence's
# stop before a space has none, and the dotted names' search tries every place of the text.
_DOT_WORD = re.compile(r"\.[\w-]")
# What every masked part holds: a code span's backtick, a tag's "<", a link's "[", bold's "*" or "_", a bare
# URL's start, a dotted name's ``_DOT_WORD``.
_MASKED = re.compile(rf"[`<\[*_]|://|(?i:www)\.|{_DOT_WORD.pattern}")
# U.S., C.F.R.: initialisms end no sentence.
_INITIALISM = re.compile(r"(?<![\w.])(?:[A-Za-z]\.){2,}(?!\w)")
# What every initialism holds, found faster than the initialism itself (its look-behind is tried everywhere).
_TWO_INITIALS = re.compile(r"[A-Za-z]\.[A-Za-z]\.")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_BOUNDARY = re.compile(r"[.!?\u2026][\"'\u2019\u201d)\]*_]*\s")


class _Text:
    """The text of a run as the splitter sees it, with the article offset of each character."""

    def __init__(self, english: str, pieces: list[tuple[int, int]]):
        parts: list[str] = []
        self.spans: list[tuple[int, int]] = []
        pos = 0
        for a, b in pieces:
            if parts:
                parts.append(" ")
                pos += 1
            self.spans.append((pos, a))
            parts.append(english[a:b])
            pos += b - a
        self.text = "".join(parts)
        self._keys = [p for p, _ in self.spans]

    def source(self, i: int) -> int:
        k = bisect_right(self._keys, i) - 1
        return self.spans[k][1] + i - self.spans[k][0]


def split(english: str, run: Run) -> list[Sentence]:
    """The sentences of one run, as article slices."""
    view = _Text(english, list(run.pieces))
    text = view.text
    out = []
    for a, b in _chunks(text):
        for s, e in _sentences(text, a, b):
            start, end = view.source(s), view.source(e - 1) + 1
            out.append(Sentence(start, end, english[start:end]))
    return out


def _chunks(text: str, breaks: list[int] | None = None) -> list[tuple[int, int]]:
    """Parts of a run between hard boundaries (``<br>`` tags outside code, and ``breaks``)."""
    cuts = [(at, at + 1) for at in breaks or []]
    if "<" in text:
        code = markup.code_spans(text)
        cuts += [m.span() for m in _BREAK.finditer(text) if not any(s <= m.start() < e for s, e in code)]
    out = []
    pos = 0
    for start, end in sorted(cuts):
        out.append((pos, start))
        pos = end
    out.append((pos, len(text)))
    return out


def _sentences(text: str, a: int, b: int) -> list[tuple[int, int]]:
    chunk = text[a:b]
    masked = _mask(chunk)
    label = _LABEL.match(masked)
    skip = label.end() if label else 0
    bounds = [(0, label.end(1))] if label else []
    if not _BOUNDARY.search(masked, skip):
        bounds.append((skip, len(chunk)))
    else:
        bounds.extend((s + skip, e + skip) for s, e in _pysbd(masked[skip:]))
    out = []
    for s, e in bounds:
        s, e = _link_text(chunk, *_trim(chunk, s, e))
        if s < e and _translatable(chunk[s:e]):
            out.append((a + s, a + e))
    return out


# The pysbd release whose code ``_quick_abbreviations`` and ``_quick_lists`` follow.
PYSBD_RELEASE = "0.3.4"


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False)
    # The quick paths repeat methods of this pysbd release but for their skips; another release runs as it is.
    if pysbd.__version__ == PYSBD_RELEASE:
        segmenter.language_module = _quick_lists(_quick_abbreviations(segmenter.language_module))
    return segmenter


_BEFORE_STOP = re.compile(r"([a-z]+)\.")


def _quick_abbreviations(language: Any) -> Any:
    """pysbd's ``language`` with an abbreviation search that skips what cannot change the text.

    For every one of its ~190 abbreviations that occurs in a line, pysbd runs
    regular expressions whose only effect is to turn a "." right after the
    abbreviation into "∯" (no sentence ends there).  An abbreviation of letters
    that no "." follows in the line cannot change it, and is skipped; the rest
    is pysbd 0.3.4's own loop.  Its search for abbreviations with periods
    inside runs only where a "." stands before a letter, its rules for a
    possessive, "Co. KG" and single capitals only where a "." follows a capital,
    "Co" or comes before "'", and those for a.m., p.m. and an abbreviation
    ending a sentence only where one was marked ("∯").  The
    sentences stay pysbd's (a test compares).
    """
    from pysbd.utils import Text

    abbreviations = [
        (a.strip(), a.strip().isascii() and a.strip().isalpha()) for a in language.Abbreviation.ABBREVIATIONS
    ]
    longest = max(len(a) for a, _ in abbreviations)

    class Replacer(language.AbbreviationReplacer):
        text: str

        def search_for_abbreviations_in_string(self, text: str) -> str:
            if "." not in text:
                return text
            lowered = text.lower()
            # Every run of letters just before a ".", by its endings: "this." holds "is." and "s.".
            stops = {run[-k:] for run in _BEFORE_STOP.findall(lowered) for k in range(1, min(len(run), longest) + 1)}
            for stripped, letters in abbreviations:
                if stripped not in (stops if letters else lowered):
                    continue
                found = re.findall(rf"(?:^|\s|\r|\n){stripped}", text, flags=re.IGNORECASE)
                if not found:
                    continue
                next_word_start = r"(?<={" + str(re.escape(stripped)) + "} ).{1}"
                char_array = re.findall(next_word_start, text)
                for ind, match in enumerate(found):
                    text = self.scan_for_replacements(text, match, ind, char_array)
            return text

        def replace(self) -> str:
            # pysbd 0.3.4's own, each group of rules skipped when the text lacks what all of them need.
            if _SINGLE_LETTER_STOP.search(self.text):
                self.text = Text(self.text).apply(
                    self.lang.PossessiveAbbreviationRule,
                    self.lang.KommanditgesellschaftRule,
                    *self.lang.SingleLetterAbbreviationRules.All,
                )
            self.text = "".join(self.search_for_abbreviations_in_string(line) for line in self.text.splitlines(True))
            self.replace_multi_period_abbreviations()
            if "\u222f" in self.text:  # the a.m./p.m. rules turn an abbreviation's "∯" back into a stop
                self.text = Text(self.text).apply(*self.lang.AmPmRules.All)
            self.text = self.replace_abbreviation_as_sentence_boundary()
            return self.text

        def replace_multi_period_abbreviations(self) -> None:
            if _DOTTED_LETTER.search(self.text):
                super().replace_multi_period_abbreviations()

        def replace_abbreviation_as_sentence_boundary(self) -> str:
            # Its search is for an abbreviation's "∯" before a word that starts sentences.
            return super().replace_abbreviation_as_sentence_boundary() if "\u222f" in self.text else self.text

    return type(language.__name__, (language,), {"AbbreviationReplacer": Replacer})


# What each of pysbd's list searches needs in the text: a letter alone before a "." (a. b. / i. ii.),
# a digit before a "." (1. 2.); the others need a ")".
_LETTER_STOP = re.compile(r"(?<!\S)[a-z]\.")
_DIGIT_STOP = re.compile(r"\d\.")
# pysbd 0.3.4's rules for a line break and for ellipses, and what each needs in a text to match.
_ELLIPSIS_RULES = [
    r"\n",
    r"(\s\.){3}\s",
    r"(?<=[a-z])(\.\s){3}\.($|\\n)",
    r"(?<=\S)\.{3}(?=\.\s[A-Z])",
    r"\.\.\.(?=\s+[A-Z])",
    r"\.\.\.",
]
_ELLIPSIS = re.compile(r"\n|\.\.\.|\.\s\.")
# What pysbd 0.3.4's other rules need in a text to match: a "." next to a digit (numbers), three of "!?" in a
# row (continuous punctuation), a "." or "∯" before a digit or "[" (numbered references), a "." before an ASCII
# word character or after "°" (e-mail addresses and dotted words, geo-locations, file formats), a "." before a
# letter in any case (abbreviations with periods inside, searched ignoring case).
_NUMBER_STOP = re.compile(r"\d\.|\.\d")
_THREE_MARKS = re.compile(r"[!?]{3}")
_STOP_REFERENCE = re.compile(r"[.\u222f][\[\d]")
_STOP_WORD = re.compile(r"\.[a-zA-Z0-9_]|\u00b0\.")
_DOTTED_LETTER = re.compile(r"\.[a-z]", re.IGNORECASE)
# What pysbd 0.3.4's rules for a possessive ("Inc.'s"), "Co. KG" and a single capital's stop ("J. Smith") need.
_SINGLE_LETTER_STOP = re.compile(r"\.'|Co\.|[A-Z]\.")


def _quick_lists(language: Any) -> Any:
    """pysbd's ``language`` with list-item searches that skip the texts they cannot change.

    Before it splits a text, pysbd looks for five kinds of list (a. b., (a) b),
    i. ii., 1. 2., 1) 2)) with regular expressions over the whole text: a third
    of its time.  Each needs a mark most texts lack (``_LETTER_STOP``,
    ``_DIGIT_STOP``, a ")", or a list mark of pysbd's own: "♨", "☝"); a search
    that cannot match is skipped.  Likewise, pysbd's ~17 rules that turn its
    marks back into punctuation run only on a sentence holding a mark; its
    rules for numbers, runs of "!?", numbered references, e-mail addresses,
    degrees and file extensions only on a text holding what each needs
    (``_NUMBER_STOP``, ``_THREE_MARKS``, ``_STOP_REFERENCE``, ``_STOP_WORD``); its
    line-break and ellipsis rules only on one holding what they need
    (``_ELLIPSIS``), and each of its searches for punctuation between quotes,
    brackets, parentheses or dashes only on one holding the mark it starts with.
    ``process`` and ``split_into_segments`` are pysbd 0.3.4's own but for
    these skips.  The sentences stay pysbd's (a test compares).
    """
    from pysbd.between_punctuation import BetweenPunctuation
    from pysbd.exclamation_words import ExclamationWords
    from pysbd.lists_item_replacer import ListItemReplacer
    from pysbd.processor import Processor
    from pysbd.utils import Text

    # pysbd's marks turned back into what they stand for, one rule each, in every sentence: only a sentence
    # that holds one of them is changed (when every rule is a plain string, as pysbd 0.3.4's are).
    patterns = [rule.pattern for rule in language.SubSymbolsRules.All]
    plain = all(re.escape(p).replace("\\&", "&") == p for p in patterns)
    symbols = re.compile("|".join(map(re.escape, sorted({p[0] for p in patterns})))) if plain else None

    # A line break and the ellipses (". . .", "...") pysbd marks in every sentence: rules that need a "\n",
    # a "..." or a "." a blank apart from another (when they are pysbd 0.3.4's).
    ellipses = [rule.pattern for rule in (language.SingleNewLineRule, *language.EllipsisRules.All)]
    marked = _ELLIPSIS if ellipses == _ELLIPSIS_RULES else None

    class Between(BetweenPunctuation):
        def sub_punctuation_between_quotes_and_parens(self, txt: str) -> str:
            # pysbd 0.3.4's searches in its order, each skipped when the text lacks the mark it starts with.
            for mark, sub in (
                ("'", self.sub_punctuation_between_single_quotes),
                ("\u2018", self.sub_punctuation_between_single_quote_slanted),
                ('"', self.sub_punctuation_between_double_quotes),
                ("[", self.sub_punctuation_between_square_brackets),
                ("(", self.sub_punctuation_between_parens),
                ("\u00ab", self.sub_punctuation_between_quotes_arrow),
                ("--", self.sub_punctuation_between_em_dashes),
                ("\u201c", self.sub_punctuation_between_quotes_slanted),
            ):
                if mark in txt:
                    txt = sub(txt)
            return txt

    class Lists(ListItemReplacer):
        def iterate_alphabet_array(self, regex: str, parens: bool = False, roman_numeral: bool = False) -> str:
            if ")" not in self.text if parens else not _LETTER_STOP.search(self.text):
                return self.text
            return super().iterate_alphabet_array(regex, parens, roman_numeral)

        def format_numbered_list_with_periods(self) -> None:
            if "♨" in self.text or _DIGIT_STOP.search(self.text):
                super().format_numbered_list_with_periods()

        def format_numbered_list_with_parens(self) -> None:
            if ")" in self.text or "☝" in self.text:
                super().format_numbered_list_with_parens()

    class Quick(Processor):
        text: str

        def process(self) -> Any:
            if not self.text:
                return self.text
            self.text = self.text.replace("\n", "\r")
            self.text = Lists(self.text).add_line_break()
            self.replace_abbreviations()
            if _NUMBER_STOP.search(self.text):
                self.replace_numbers()
            if _THREE_MARKS.search(self.text):
                self.replace_continuous_punctuation()
            if _STOP_REFERENCE.search(self.text):
                self.replace_periods_before_numeric_references()
            if _STOP_WORD.search(self.text):
                self.text = Text(self.text).apply(
                    self.lang.Abbreviation.WithMultiplePeriodsAndEmailRule,
                    self.lang.GeoLocationRule,
                    self.lang.FileFormatRule,
                )
            return self.split_into_segments()

        def process_text(self, txt: str) -> Any:
            # pysbd 0.3.4's own, its rules for "!" and "?" skipped in a text with neither.
            if txt[-1] not in self.lang.Punctuations:
                txt += "\u0238"
            txt = ExclamationWords.apply_rules(txt)
            txt = self.between_punctuation(txt)
            if "!" in txt or "?" in txt:
                if not re.match(self.lang.DoublePunctuationRules.DoublePunctuation, txt):
                    txt = Text(txt).apply(*self.lang.DoublePunctuationRules.All)
                txt = Text(txt).apply(self.lang.QuestionMarkInQuotationRule, *self.lang.ExclamationPointRules.All)
            txt = ListItemReplacer(txt).replace_parens()
            return self.sentence_boundary_punctuation(txt)

        def between_punctuation(self, txt: str) -> str:
            if hasattr(self.lang, "BetweenPunctuation"):
                return super().between_punctuation(txt)
            return Between(txt).replace()

        def split_into_segments(self) -> list[str]:
            self.check_for_parens_between_quotes()
            sents = self.rm_none_flatten(self.text.split("\r"))
            sents = [
                Text(s).apply(self.lang.SingleNewLineRule, *self.lang.EllipsisRules.All)
                if marked is None or marked.search(s)
                else s
                for s in sents
            ]
            sents = self.rm_none_flatten([self.check_for_punctuation(s) for s in sents])
            out: list[str] = []
            for sent in sents:
                if symbols is None or symbols.search(sent):
                    sent = Text(sent).apply(*self.lang.SubSymbolsRules.All)
                done = self.post_process_segments(sent)
                if done and isinstance(done, str):
                    out.append(done)
                elif isinstance(done, list):
                    out.extend(done)
            return [Text(s).apply(self.lang.SubSingleQuoteRule) for s in out]

    return type(language.__name__, (language,), {"Processor": Quick})


def _pysbd(masked: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for sent in _segment(masked):
        core = sent.strip()
        if not core:
            continue
        at = masked.find(core, pos)
        if at == -1:  # pysbd changed the text: keep the rest whole rather than guess
            out.append((pos, len(masked)))
            return out
        out.append((at, at + len(core)))
        pos = at + len(core)
    return out


# Includes, notes and boilerplate repeat across a project's articles: the same text, the same sentences.
@lru_cache(maxsize=4096)
def _segment(text: str) -> tuple[str, ...]:
    """``Segmenter.segment(text)`` without its cost: the same sentences, whitespace after each.

    pysbd finds each sentence back in the text with a regular expression made
    from the sentence (``re.escape(sent) + r"\\s*"``), compiled anew every time
    and crowding ``re``'s cache; the same search with ``str.find`` gives the
    same spans: the first non-overlapping occurrence ending after the last one.
    """
    if not text:
        return ()
    out = []
    prior_end = 0
    for sent in _segmenter().processor(text).process():
        start = 0
        while (at := text.find(sent, start)) != -1:
            end = at + len(sent)
            while end < len(text) and text[end].isspace():
                end += 1
            if end > prior_end:
                out.append(text[at:end])
                prior_end = end
                break
            start = max(end, at + 1)
    return tuple(out)


_FINAL = ".!?"
# "A. Yes, ..." in a FAQ: the one-letter label is a sentence of its own, as Microsoft segments it.
_LABEL = re.compile(r"\s*([A-Z]\.)\s+(?=\S)")


def _fill(chars: list[str], a: int, b: int, visible: str, final: bool = False) -> None:
    """Mask ``[a, b)`` with letters that start with the case of its ``visible`` text.

    With ``final``, a sentence stop that ends the visible text is kept as the
    last character: ``**Done.**`` becomes ``Xxxxxxx.``, one boundary after it
    and none inside.
    """
    visible = visible.strip()
    chars[a:b] = ["X" if visible[:1].isupper() else "x"] + ["x"] * (b - a - 1)
    if final and visible and visible[-1] in _FINAL and b - a > 1:
        chars[b - 1] = visible[-1]


def _mask(chunk: str) -> str:
    """The chunk as pysbd sees it: code, tags, URLs, dotted names, links and bold masked."""
    if not _MASKED.search(chunk):
        return chunk.replace("\n", " ")  # nothing to mask
    chars = list(chunk.replace("\n", " "))
    code = markup.code_spans(chunk)
    for s, e in code:
        _fill(chars, s, e, chunk[s:e].strip("`"))
    for tag in markup.html_tags(chunk, code):
        _fill(chars, tag.start, tag.end, "")
    # Searched only where they can be: every bare URL starts with "://" or "www.", the rest hold ``_DOT_WORD``.
    patterns = [markup.BARE_URL] if "://" in chunk or "www." in chunk.lower() else []
    if _DOT_WORD.search(chunk):
        patterns += [_DOTTED, _INITIALISM] if _TWO_INITIALS.search(chunk) else [_DOTTED]
    for pattern in patterns:
        for m in pattern.finditer(chunk):
            _fill(chars, m.start(), m.end(), m.group())
    # Link and bold text can end a sentence ("[Do this.](url) Then ..."), unless
    # the sentence goes on in lower case ("the **Who is it?** pane").
    spans = [(link.start, link.end, chunk[link.text_start : link.text_end]) for link in markup.links(chunk, code)]
    spans += [(m.start(), m.end(), m.group(2)) for m in _STRONG.finditer("".join(chars))]
    for a, b, visible in spans:
        _fill(chars, a, b, visible, final=not chunk[b:].lstrip()[:1].islower())
    return "".join(chars)


# Markup that shows no words: an empty named anchor, a line break, a non-breaking space.
_INERT = re.compile(rf"{markup.INERT_ANCHOR.pattern}|<br\s*/?>|&nbsp;", re.I)


def _trim(chunk: str, s: int, e: int) -> tuple[int, int]:
    """Drop surrounding whitespace and empty anchors (they stay in the skeleton)."""
    while True:
        while s < e and chunk[s].isspace():
            s += 1
        while e > s and chunk[e - 1].isspace():
            e -= 1
        m = _INERT.match(chunk, s, e)
        if m:
            s = m.end()
            continue
        return s, e


def _link_text(chunk: str, s: int, e: int) -> tuple[int, int]:
    """A sentence that is one link or image is translated as its text (or alt text) only.

    The target of a "see also" list item or a screenshot stays out of the
    translator's way, as in the corpus.
    """
    if not chunk.startswith(("[", "!["), s) or chunk[e - 1 : e] != ")":
        return s, e
    found = markup.links(chunk[s:e])
    if found and found[0].start == 0 and found[0].end == e - s:
        return _trim(chunk, s + found[0].text_start, s + found[0].text_end)
    return s, e


def _translatable(text: str, *, images: bool = True) -> bool:
    """True when words are left once code, link targets, tags, URLs and includes are taken out.

    With ``images=False`` an image's alt text does not count either.
    """
    if _LATIN.search(text) is None:  # what is taken out only takes letters away
        return False
    code = markup.code_spans(text)
    holes = [m.span() for m in _INCLUDE.finditer(text)] + code
    holes += [
        (link.start if link.image and not images else link.text_end, link.end) for link in markup.links(text, code)
    ]
    holes += [(tag.start, tag.end) for tag in markup.html_tags(text, code)]
    return _LATIN.search(markup.without_bare_urls(markup.blank(text, holes))) is not None


def has_words(text: str) -> bool:
    """True when ``text`` holds words to translate (inline code, images, URLs and tags aside).

    Text between two existing units that holds no words (an icon, a code
    span) is skeleton, not a new sentence.
    """
    return _translatable(text, images=False)


def piece(english: str, start: int, end: int) -> Sentence | None:
    """``english[start:end]`` as a sentence (trimmed like ``split`` trims), or None if nothing to translate."""
    s, e = _link_text(english, *_trim(english, start, end))
    if s < e and _translatable(english[s:e]):
        return Sentence(s, e, english[s:e])
    return None


# A sentence stop in any script: Latin and CJK full stops, question and exclamation marks.
_ANY_BOUNDARY = re.compile(r"[.!?\u2026\u3002\uff01\uff1f][\"'\u2019\u201d)\]*_]*(?:\s+|$)|[\u3002\uff01\uff1f]")
_WORD = re.compile(r"[^\W\d_]")
_ALNUM = re.compile(r"[^\W_]")


def split_translation(text: str, run: Run, *, labels: bool = False) -> list[Sentence]:
    """The sentences of one run of a translation, in any language, as slices of ``text``.

    Translated Markdown has no segmenter tuned to its language, so sentences
    end at a stop followed by a space (or a CJK full stop), with the same
    masking as the English: no boundary inside code, links, bold text, URLs
    or dotted names; ``<br>`` and a hard line break always end one.  A list
    label ("a.", "2)") starts the sentence after it, except a FAQ label that
    opens the run ("A."), a sentence of its own as in the English.  A piece
    counts when a letter of any script is left once code, link targets and
    tags are out; a piece of numbers only (a table's "1", "2") is cut too,
    since a segment file may have units for them (``has_letters`` tells), and
    so is a run of plain text with neither (a brace, an ellipsis on its own
    line): an English unit may be that text too.

    ``labels``: the English has list labels as units of their own (``lone_label``;
    the English segmenter makes one of a label that opens a paragraph).  A
    label that opens a chunk or one of its lines, in any script and whatever
    its characters ("b.", "가.", a "&." machine translation made of "c."),
    is then a sentence of its own, for that unit, with or without a letter.
    """
    view = _Text(text, list(run.pieces))
    joined = view.text
    out = []
    for a, b in _chunks(joined, _hard_breaks(text, run, view)):
        chunk = joined[a:b]
        masked = _mask(chunk)
        bounds, kept = _bounds(masked, _openings(view, a, b) if labels else set())
        for s, e in bounds:
            s, e = _link_text(chunk, *_trim(chunk, s, e))
            if s < e and ((s, e) in kept or _has_letters(chunk[s:e], digits=True)):
                start, end = view.source(a + s), view.source(a + e - 1) + 1
                out.append(Sentence(start, end, text[start:end]))
    if not out:
        s, e = _trim(joined, 0, len(joined))
        if s < e and _plain(joined[s:e]):
            start, end = view.source(s), view.source(e - 1) + 1
            out.append(Sentence(start, end, text[start:end]))
    return out


def _openings(view: _Text, a: int, b: int) -> set[int]:
    """Where chunk ``[a, b)`` of ``view`` and each of its lines start (indentation aside), in the chunk: where a
    list label opens a list item, a lettered one in a paragraph's lines too."""
    found = {0}
    for at, _ in view.spans:
        if a < at < b:
            while at < b and view.text[at].isspace():
                at += 1
            found.add(at - a)
    return found


def _bounds(masked: str, opens: set[int]) -> tuple[list[tuple[int, int]], set[tuple[int, int]]]:
    """The sentences of a masked chunk, and those of them that are a list label at one of ``opens`` (offsets
    in the chunk; they are kept even without a letter)."""
    bounds: list[tuple[int, int]] = []
    kept: set[tuple[int, int]] = set()
    pos = 0
    for m in [None, *_ANY_BOUNDARY.finditer(masked)]:
        if m is not None:
            if m.end() <= pos:
                continue  # the stop of a label just taken
            if _LIST_LABEL.fullmatch(masked[pos : m.end()].strip()) and not (pos == 0 and _LABEL.match(masked)):
                continue  # a list label: the sentence goes on
            bounds.append((pos, m.end()))
            pos = m.end()
        if pos in opens and (label := _OPENING_LABEL.match(masked, pos)):
            bounds.append(label.span(1))
            kept.add(label.span(1))
            pos = label.end()
    bounds.append((pos, len(masked)))
    return bounds, kept


def _plain(text: str) -> bool:
    """True when ``text`` is text as written: no code, link, tag, include or URL."""
    code = markup.code_spans(text)
    return not (code or markup.links(text, code) or markup.html_tags(text, code) or _INCLUDE.search(text)) and (
        markup.without_bare_urls(text) == text
    )


_LIST_LABEL = re.compile(r"[A-Za-z0-9]{1,3}[.)]")
# A list label in any script: up to three characters that are no markup, then "." or ")".
_ANY_LABEL = re.compile(r"[^\s.)(\[\]*_`<>|\\!#]{1,3}[.)]")
_OPENING_LABEL = re.compile(rf"\s*({_ANY_LABEL.pattern})\s+(?=\S)")


def lone_label(text: str) -> bool:
    """True when ``text`` is a list label alone ("a.", "가.", "2)"), in any script."""
    return _ANY_LABEL.fullmatch(text.strip()) is not None


def _hard_breaks(text: str, run: Run, view: _Text) -> list[int]:
    """Offsets in the run's text where a line ends in a hard break (two spaces or a backslash)."""
    out = []
    for (_, end), (pos, _) in zip(run.pieces, view.spans[1:], strict=False):
        if text.startswith("  ", end) or text[end - 1 : end] == "\\":
            out.append(pos - 1)
    return out


def _has_letters(text: str, *, digits: bool = False) -> bool:
    letter = _ALNUM if digits else _WORD
    if letter.search(text) is None:  # what is taken out only takes letters away
        return False
    code = markup.code_spans(text)
    holes = [m.span() for m in _INCLUDE.finditer(text)] + code
    holes += [(link.text_end, link.end) for link in markup.links(text, code)]
    holes += [(tag.start, tag.end) for tag in markup.html_tags(text, code)]
    return letter.search(markup.without_bare_urls(markup.blank(text, holes))) is not None


def has_letters(text: str) -> bool:
    """True when a piece of translated text holds a letter of any script (code, links and tags aside)."""
    return _has_letters(text)


# ---------------------------------------------------------------- ids


def normalize(text: str) -> str:
    """Whitespace-normalized text: what makes two sources "the same sentence"."""
    return " ".join(text.split())


def unit_id(source: str, taken) -> str:
    """A stable id from the source text: the same sentence gets the same id on every run.

    ``taken`` is the set of ids already used in the file; a repeated sentence
    gets the next free occurrence number.
    """
    digest = hashlib.sha1(normalize(source).encode("utf-8")).hexdigest()[:10]
    base = f"s{digest}"
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
