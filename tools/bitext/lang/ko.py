"""Korean: Hangul syllables, the magnitude words of numbers, and words machine translation splits up.

QA compares numbers across "50,000" and "5만" and flags a word split into
syllables (``테 넌 트``); search indexes the same split word under the noun
it spells.  Both read these facts here.
"""

from __future__ import annotations

import re

# Precomposed Hangul syllables (가 … 힣), for character classes.
SYLLABLES = "\uac00-\ud7a3"
HANGUL = re.compile(f"[{SYLLABLES}]")
# A run of syllables: a word without the Latin letters, digits or punctuation attached to it.
HANGUL_RUN = re.compile(f"[{SYLLABLES}]+")

# Number words written after digits: "5천" is 5,000, "200만" 2,000,000, "3억" 300,000,000.
MAGNITUDES = {"천": 10**3, "만": 10**4, "억": 10**8}

# Single syllables each followed by one space, then a run, as machine translation splits words: 테 넌 트가.
SPLIT_SYLLABLES = re.compile(f"(?<![{SYLLABLES}])(?:[{SYLLABLES}] )+[{SYLLABLES}]+")
# Three pieces or more are one word split up; two are often two words (각 사용자, 전 세계).
SPLIT_MIN_PIECES = 3


def split_pieces(match: re.Match[str]) -> list[tuple[str, int, int]]:
    """The pieces of a ``SPLIT_SYLLABLES`` match: (text, start, end) in the searched string."""
    pieces = []
    pos = match.start()
    for piece in match.group().split(" "):
        pieces.append((piece, pos, pos + len(piece)))
        pos += len(piece) + 1
    return pieces
