"""The checks: the registry ``CHECKS``, filled by the ``@check`` decorator, and one function per check.

Each check takes a ``Pair`` and yields one message per problem; its
docstring's first line is its purpose, as ``bitext check --list`` shows it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from bitext.core.compile import guard_target
from bitext.core.severity import Severity
from bitext.lang import ko
from bitext.translate.qa.pair import MASK, OWN_LETTER, Pair, Side


@dataclass(frozen=True)
class Check:
    name: str
    func: Callable[[Pair], Iterable[str]]
    severity: Severity  # the default; projects override it
    # False for checks that judge the target alone: they also run on units
    # whose English is empty (front matter Microsoft translated without source).
    needs_source: bool = True

    @property
    def purpose(self) -> str:
        return (self.func.__doc__ or "").strip().splitlines()[0].replace("``", "")


CHECKS: dict[str, Check] = {}


def check(name: str, severity: Severity, *, needs_source: bool = True):
    """Register a check function under ``name`` with its default severity."""

    def register(func):
        CHECKS[name] = Check(name, func, severity, needs_source)
        return func

    return register


# name.ext: the extension all lower or all upper case ("subscription.If" is a missing space).
_FILE_NAME = re.compile(
    r"(?<![\w.@/-])[A-Za-z0-9][\w-]*(?:\.[\w-]+)*\.(?:[a-z][a-z0-9]{1,4}|[A-Z][A-Z0-9]{1,4})"
    r"(?![\w.])"
)
# A word with a number attached ("Office365", "Windows10"), written either way in translations.
_NAMED_CODE = re.compile(r"[a-z]{3,}\d+")
_ESCAPED_MARKER = re.compile(r"\\[*_]")
_EMPTY_EMPHASIS = re.compile(r"(?:\\?\*){4,}|(?:\\?_){4,}")
_LATIN_OR_DIGITS = re.compile(r"[A-Za-z]+|\d+")
_DOUBLE_SPACE = re.compile(r"(?<=\S)  +(?=\S)")
# Search-query operators: a unit with them is a query, kept in English on purpose.
_QUERY_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR", "ONEAR"})
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


# How much a message shows: items listed before "and N more", characters quoted each side of a
# problem, characters of a whole target quoted.
_LISTED = 5
_CONTEXT = 12
_QUOTED = 60


def _listing(items: Iterable[str]) -> str:
    items = list(items)
    shown = ", ".join(items[:_LISTED])
    return shown + (f" and {len(items) - _LISTED} more" if len(items) > _LISTED else "")


@check("markup", Severity.ERROR, needs_source=False)
def injected_markup(pair: Pair) -> Iterator[str]:
    """Elements, attributes, script URLs, comments or references the target would add to the page."""
    refused = pair.resources.refused.get(id(pair.segment))
    if refused is None:  # not placed in its English: judged alone
        published, problems = guard_target(pair.source.text, pair.target.text, pair.resources.guard)
        refused = [f"{p}; {'English shown' if published is None else 'shown as text'}" for p in problems]
    if refused:
        whats = [m.rpartition("; ")[0] for m in refused]
        verdict = refused[0].rpartition("; ")[2]
        yield f"{_listing(dict.fromkeys(whats))}; the build {_VERDICTS.get(verdict, verdict)}"


_VERDICTS = {"shown as text": "shows it as text", "English shown": "publishes the English"}


@check("tags", Severity.WARNING)
def missing_tags(pair: Pair) -> Iterator[str]:
    """HTML tags of the source that the target dropped (line breaks, anchors, superscripts)."""
    missing = Counter(t.signature for t in pair.source.tags) - Counter(t.signature for t in pair.target.tags)
    if missing:
        names = [f"<{'/' if closing else ''}{name}>" for name, closing, _ in sorted(missing.elements())]
        yield f"target lacks {_listing(names)} of the source"


@check("links", Severity.ERROR)
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


@check("link-locale", Severity.WARNING)
def link_locale(pair: Pair) -> Iterator[str]:
    """Links the translation points at another locale (``/en-us/`` → ``/ko-kr/``)."""
    for issue in pair.link_issues:
        if issue.kind == "localized":
            yield f"link target localized: {issue.source} → {issue.target}"


@check("code", Severity.ERROR)
def inline_code(pair: Pair) -> Iterator[str]:
    """Inline code spans that the target dropped, added or changed (code is never translated)."""
    source, target = pair.source.code_texts, pair.target.code_texts
    missing = sorted((source - target).elements())
    extra = sorted((target - source).elements())
    if missing:
        yield "target lacks code " + _listing(f"`{c}`" for c in missing)
    if extra:
        yield "target has code not in the source: " + _listing(f"`{c}`" for c in extra)


@check("empty-emphasis", Severity.ERROR)
def empty_emphasis(pair: Pair) -> Iterator[str]:
    """Emphasis markers left without text (``****``), as machine translation leaves them."""
    if _empty_emphasis(pair.target) > _empty_emphasis(pair.source):
        found = _EMPTY_EMPHASIS.findall(pair.target.prose)[0]  # the count above says there is one
        yield f"empty emphasis {found!r}: readers see the asterisks, the emphasized words moved out"


def _empty_emphasis(side: Side) -> int:
    return (
        len(_EMPTY_EMPHASIS.findall(side.prose))
        if "**" in side.text or "__" in side.text or "\\*\\*" in side.text or "\\_\\_" in side.text
        else 0
    )


@check("emphasis", Severity.WARNING)
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


@check("numbers", Severity.WARNING)
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


@check("filenames", Severity.WARNING)
def filenames(pair: Pair) -> Iterator[str]:
    """File and domain names of the source (``Results.csv``, ``contoso.com``) mangled or dropped."""
    target = pair.target.prose.lower() + " " + " ".join(pair.target.code_texts).lower()
    missing = sorted({m.group() for m in _FILE_NAME.finditer(pair.source.prose) if m.group().lower() not in target})
    if missing:
        yield "target lacks " + _listing(missing)


@check("placeholders", Severity.ERROR)
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


@check("untranslated", Severity.ERROR)
def untranslated(pair: Pair) -> Iterator[str]:
    """A target marked translated that is empty: the English is published instead."""
    if not pair.target.text.strip():
        yield f"target is empty but its state is {pair.segment.state or 'unset'}"


@check("unchanged", Severity.WARNING)
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


@check("whitespace", Severity.WARNING)
def whitespace(pair: Pair) -> Iterator[str]:
    """Leading or trailing whitespace that differs from the source."""
    s, t = pair.source.text, pair.target.text
    if s[: len(s) - len(s.lstrip())] != t[: len(t) - len(t.lstrip())]:
        yield "leading whitespace differs from the source"
    if s[len(s.rstrip()) :] != t[len(t.rstrip()) :]:
        yield "trailing whitespace differs from the source"


@check("doublespacing", Severity.WARNING, needs_source=False)
def doublespacing(pair: Pair) -> Iterator[str]:
    """Doubled spaces between words of the target that the source does not have."""
    found = [m.start() for m in _DOUBLE_SPACE.finditer(pair.target.prose)]
    if len(found) > len(_DOUBLE_SPACE.findall(pair.source.prose)):
        at = found[0]
        context = pair.target.prose[max(0, at - _CONTEXT) : at + len("  ") + _CONTEXT].replace(MASK, "…").strip()
        yield f"doubled space in {context!r}"


@check("ko-spacing", Severity.WARNING, needs_source=False)
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
    for match in ko.SPLIT_SYLLABLES.finditer(text):
        chain = ko.split_pieces(match)
        found = _word_in_chain(chain, vocabulary) if len(chain) >= ko.SPLIT_MIN_PIECES else None
        if found:
            start, end, word = found
            yield text[start:end], word


def _word_in_chain(chain: list[tuple[str, int, int]], vocabulary: frozenset[str]) -> tuple[int, int, str] | None:
    """The word spelled by the most pieces (``SPLIT_MIN_PIECES`` or more) of ``chain``, particles cut off."""
    for pieces in range(len(chain), ko.SPLIT_MIN_PIECES - 1, -1):
        for a in range(len(chain) - pieces + 1):
            b = a + pieces - 1
            head = "".join(piece for piece, _, _ in chain[a:b])
            last = chain[b][0]
            for cut in range(1, len(last) + 1):
                if head + last[:cut] in vocabulary:
                    return chain[a][1], chain[b][1] + cut, head + last[:cut]
    return None


@check("glossary", Severity.WARNING)
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


@check("misaligned", Severity.ERROR)
def misaligned(pair: Pair) -> Iterator[str]:
    """A target that belongs to another source: no word of the language, nothing in common."""
    if not pair.resources.own_script or not pair.source.words:
        return
    target = pair.target.prose
    if OWN_LETTER.search(target):
        return
    tokens = {t.lower() for t in _LATIN_OR_DIGITS.findall(target)}
    if tokens and not tokens & {t.lower() for t in _LATIN_OR_DIGITS.findall(pair.source.prose)}:
        yield f"target {pair.target.text.strip()[:_QUOTED]!r} shares no word or number with the source"
