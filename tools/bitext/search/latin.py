"""Terms of Latin-script text: English words, identifiers, status codes, cmdlets, header tokens.

A token is ``[A-Za-z0-9]+`` joined by ``. _ : -`` (``5.7.705``, ``SFV:SPM``,
``Set-HostedContentFilterPolicy``, ``web.config``).  A compound token is
indexed whole (so a cmdlet never drowns in pages about "Set up …") and by its
parts; a part of three or more camel-case pieces gives the pieces too
(``HostedContentFilterPolicy`` → hosted, content, filter, policy).  Plain
words go through a light English stemmer.

The browser repeats this analysis on queries: every rule here has its twin,
under the same name, in ``assets/search-worker.js`` (``tests/test_search_parity.py``
runs both over the same tokens).  Snowball and friends would conflate more,
but the worker would need the same stemmer in JavaScript; a dozen suffix
rules written twice are easier to keep identical.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache

TOKEN = re.compile(r"[A-Za-z0-9]+(?:[._:\-][A-Za-z0-9]+)*")
SEPARATOR = re.compile(r"[._:\-]")
CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")

STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "by",
        "can",
        "could",
        "do",
        "does",
        "did",
        "for",
        "from",
        "has",
        "have",
        "had",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "their",
        "there",
        "these",
        "this",
        "those",
        "to",
        "was",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "my",
        "me",
        "we",
        "our",
        "us",
        "they",
        "them",
        "he",
        "she",
        "his",
        "her",
        "not",
        "no",
        "so",
        "than",
        "then",
        "too",
        "very",
        "just",
        "about",
        "also",
    ]
)


def stem(word: str) -> str:
    """Plural, -ed, -ing and a final -e removed: configure(s|d), configuring → configur."""
    if len(word) <= 3 or not word.isascii() or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("es") and len(word) > 4 and (word[-3] in "sxz" or word.endswith(("ches", "shes"))):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ied") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("ing") and len(word) > 5 and _has_vowel(word[:-3]):
        word = _undouble(word[:-3])
    elif word.endswith("ed") and len(word) > 4 and _has_vowel(word[:-2]):
        word = _undouble(word[:-2])
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def _has_vowel(text: str) -> bool:
    return any(c in "aeiouy" for c in text)


def _undouble(text: str) -> str:
    if len(text) > 2 and text[-1] == text[-2] and text[-1] not in "aeioulsz":
        return text[:-1]
    return text


def word_term(word: str) -> str:
    """A lower-case part as indexed: words stemmed, numbers and codes as they are."""
    return stem(word) if word.isalpha() else word


def _camel(token: str) -> list[str]:
    pieces = CAMEL.findall(token)
    if len(pieces) >= 3 and len(token) >= 8:
        return [word_term(p.lower()) for p in pieces]
    return []


def token_terms(token: str) -> list[tuple[str, bool]]:
    """``(term, whole)`` pairs of one token as written (case kept for camel-case pieces).

    The first pair is the token itself (``whole`` = True); compounds add their
    parts, hyphenated words their parts glued (anti-spam → antispam).
    """
    low = token.lower()
    parts = SEPARATOR.split(token)
    if len(parts) == 1:
        return [(word_term(low), True)] + [(t, False) for t in _camel(token)]
    out = [(low, True)]
    if "-" in token and all(p.isalpha() for p in parts):
        out.append(("".join(p.lower() for p in parts), False))
    for part in parts:
        out.append((word_term(part.lower()), False))
        out += [(t, False) for t in _camel(part)]
    return out


@cache
def _indexed(token: str) -> tuple[str, ...]:
    if token.lower() in STOP_WORDS:
        return ()
    return tuple(term for term, _ in token_terms(token) if term and term not in STOP_WORDS)


def terms(text: str) -> Iterator[str]:
    """Every term of the Latin tokens of ``text``, stop words left out."""
    for match in TOKEN.finditer(unicodedata.normalize("NFKC", text)):
        yield from _indexed(match.group(0))
