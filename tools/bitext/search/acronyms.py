"""Acronyms the docs define, so a page that writes the long form is found by the acronym.

Docs introduce an acronym once (``Exchange Online Protection (EOP)``) and
then use either form; readers type the short one (``EOP``, ``DKIM 설정``).
``find`` learns the pairs a docset writes out at least twice; ``Expander``
adds the acronym term wherever the long form stands, in either language
(machine translation keeps product names in English).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from bitext.search.latin import CAMEL, word_term

# "(EOP)", then the up to eight words before it; looking back from each parenthesis is much
# faster than one pattern scanning every word of the docs for a definition ahead.
_PARENTHESIS = re.compile(r"\(([A-Z][A-Za-z]{1,7})\)")
_WORDS_BEFORE = re.compile(r"(?<![A-Za-z-])[A-Za-z][A-Za-z-]*(?:[ \t]+[A-Za-z][A-Za-z-]*){0,7}[ \t]*$")
_SMALL_WORDS = frozenset({"of", "and", "for", "the", "to", "in", "on", "a", "an", "with", "by", "&"})


def _initials(words: list[str]) -> str:
    out: list[str] = []
    for word in words:
        for piece in word.split("-"):
            if not piece:
                continue
            caps = CAMEL.findall(piece)
            out.extend(c[0].lower() for c in (caps if len(caps) > 1 and piece[0].isupper() else [piece]))
    return "".join(out)


def find(texts: Iterable[str], min_count: int = 2) -> dict[str, str]:
    """``{long form (lower-case words, one space apart): acronym}`` defined ``min_count`` times or more."""
    seen: Counter[tuple[str, str]] = Counter()
    for text in texts:
        text = unicodedata.normalize("NFKC", text)
        for m in _PARENTHESIS.finditer(text):
            before = _WORDS_BEFORE.search(text, max(0, m.start() - 160), m.start())
            if before is None:
                continue
            words, acronym = before.group(0).split(), m.group(1)
            if sum(c.isupper() for c in acronym) < 2:
                continue
            short = acronym.lower()
            if acronym.endswith("s") and acronym[:-1].isupper():
                short = short[:-1]  # plural: DLPs
            for k in range(1, len(words) + 1):
                candidate = words[-k:]
                if candidate[0].lower() in _SMALL_WORDS:
                    continue
                core = [w for w in candidate if w.lower() not in _SMALL_WORDS]
                if len(candidate) >= 2 and _initials(core) == short:
                    seen[(" ".join(w.lower() for w in candidate), short)] += 1
                    break
    return {long: short for (long, short), count in sorted(seen.items()) if count >= min_count}


class Expander:
    """The acronym terms of the long forms written in a text."""

    def __init__(self, acronyms: dict[str, str]):
        self.acronyms = dict(acronyms)
        self.pattern = None
        if self.acronyms:
            forms = sorted(self.acronyms, key=len, reverse=True)
            alternatives = "|".join(r"[ \t]+".join(re.escape(w) for w in form.split(" ")) for form in forms)
            # Matched in the lower-cased text: much faster than a case-insensitive pattern.
            self.pattern = re.compile(rf"(?<![a-z0-9])({alternatives})(?![a-z0-9])")

    def terms(self, text: str) -> list[str]:
        if self.pattern is None:
            return []
        out = []
        for m in self.pattern.finditer(unicodedata.normalize("NFKC", text).lower()):
            short = self.acronyms.get(" ".join(m.group(1).split()))
            if short:
                out.append(word_term(short))
        return out
