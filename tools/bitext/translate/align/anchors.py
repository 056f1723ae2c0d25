"""What a sentence keeps in any translation: the anchors alignment leans on.

Inline code, link and image targets, numbers, error codes, cmdlets, file
and product names are written the same in every language, so a translated
sentence shares them with its English; an untranslated sentence (a keyword
list, a name) shares its whole text.  ``features`` collects them (as a
multiset, lower-cased) with the sentence's visible length; the aligner
scores a pair by the anchors both sides share and those only one side has.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from bitext.core import markup

# A number, a version or an error code: 5.7.705, 50,000, 2019, 0x80070005.
# Only ASCII letters bound it: a translation glues its own script to numbers ("365에").
_NUMBER = re.compile(r"(?<![A-Za-z0-9_.])(?:0x[0-9a-f]+|\d+(?:[.,:/]\d+)*)(?![A-Za-z0-9_])", re.I)
# A name kept as written: an acronym, CamelCase, a cmdlet (Set-Mailbox), a file or
# domain name (web.config) or extension (.MP3), a product name with a capital; plain lower-case words
# are translated and are no anchor.
_NAME = re.compile(r"(?<![A-Za-z0-9_.-])\.?[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*")
# What makes a name's rest (ASCII: _NAME's tail) an anchor: a capital, a digit, a "_" or a ".".
_MARKED = re.compile(r"[A-Z0-9_.]")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)")
WEAK = "~"  # prefix of anchors whose absence from a translation says little
# Prefix of the whole visible text: a sentence left untranslated (a keyword list, a name) equals its English.
SAME = "="


def strong(anchors: Counter) -> Counter:
    """The anchors whose absence from a translation says something (``WEAK`` ones and whole texts aside)."""
    return Counter(dict(strong_items(anchors)))


def strong_items(anchors: Counter) -> list[tuple[str, int]]:
    """``strong`` as a list of (anchor, count) in the anchors' order, without building a Counter."""
    return [(key, n) for key, n in anchors.items() if not key.startswith(_SOFT)]


_SOFT = (WEAK, SAME)


@dataclass
class Features:
    anchors: Counter = field(default_factory=Counter)
    length: int = 0  # visible characters: link targets, tags and markup left out
    # The aligner's sums over the strong anchors, kept once computed (anchors are not changed after).
    totals: tuple[int, float] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def join(cls, parts: list[Features]) -> Features:
        total: Counter = Counter()
        for part in parts:
            total.update(part.anchors)
        return cls(total, sum(p.length for p in parts))


# The same sentence recurs: an include's or a note's in many articles, a text read as a sentence and as a word.
# Its features are shared, which is safe: nothing changes a Features once made (``totals`` follows from ``anchors``).
@lru_cache(maxsize=1 << 15)
def features(text: str) -> Features:
    anchors: Counter = Counter()
    code = markup.code_spans(text)
    holes = list(code)
    for s, e in code:
        anchors["`" + text[s:e].strip("`").strip().lower()] += 1
    for link in markup.links(text, code):
        dest = markup.without_locale(link.dest.strip().lower().rstrip("/"))
        if dest:
            anchors["@" + dest] += 1
        holes.append((link.text_end, link.end))
    for tag in markup.html_tags(text, code):
        holes.append((tag.start, tag.end))
    visible = _EMPHASIS.sub("", markup.blank(text, holes))
    if "://" in visible or "www." in visible.lower():  # what every bare URL starts with
        for m in markup.BARE_URL.finditer(visible):
            anchors["@" + m.group().lower().rstrip("/")] += 1
        visible = markup.BARE_URL.sub(" ", visible)
    for m in _NUMBER.finditer(visible):
        number = m.group().replace(",", "")
        # One digit is as often a word in one language and a numeral in the other ("first" / "1 단계").
        anchors[(WEAK if len(number) == 1 else "") + "#" + number] += 1
    for word in _NAME.findall(visible):
        if word.islower() and word.isalpha():
            continue  # a plain word, the most common kind: translated, no anchor
        if word[0] == "." or _MARKED.search(word, 1) or ("-" in word and word[0].isupper()):
            anchors[word.lower()] += 1  # an acronym, CamelCase, a cmdlet, a file or domain name
        elif word[0].isupper():
            anchors[WEAK + word.lower()] += 1  # a capitalized word: a name, or just a sentence's first word
    words = " ".join(visible.split())
    if words:
        anchors[SAME + words.lower()] += 1
    return Features(anchors, len(words))
