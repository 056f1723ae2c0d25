"""What a reader sees of a sentence: the key that says two sources are "the same sentence".

Two sources that render the same are the same sentence for a translator,
however their Markdown is spelled: ``\\*\\*\\*\\*Recommendation\\*\\*\\*\\*`` and
``****Recommendation****``, ``(\\*)`` and ``(*)``, ``&amp;`` and ``&``, one
space or two.  ``comparable`` reduces a sentence to that key: entities
decoded, backslash escapes dropped, emphasis markers left out, whitespace
collapsed, and the inline markup that is not text kept as placeholders so
that a different link, code span or tag still makes a different sentence
(``[text](a.md)`` → ``text⟦a.md⟧``, `` `x` `` → ``⟦`x⟧``, ``<br/>`` → ``⟦<br>⟧``).
"""

from __future__ import annotations

import html
import re

from bitext.core import markup

_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# Emphasis markers: every * and the _ runs that open or close a word (not the _ inside my_file).
_EMPHASIS = re.compile(r"\*+|(?<![A-Za-z0-9])_+|_+(?![A-Za-z0-9])")
_HOLE = "\x00"


def comparable(text: str) -> str:
    """The sentence as a reader sees it, inline markup as placeholders (see the module docstring)."""
    code = markup.code_spans(text)
    pieces: list[tuple[int, int, str]] = [(s, e, f"⟦`{text[s:e].strip('`').strip()}⟧") for s, e in code]
    for link in markup.links(text, code):
        if link.image:
            pieces.append((link.start, link.end, f"⟦!{link.dest.strip()}⟧"))
        else:
            pieces.append((link.start, link.text_start, ""))
            pieces.append((link.text_end, link.end, f"⟦{link.dest.strip()}⟧"))
    for tag in markup.html_tags(text, code):
        if not any(s <= tag.start < e for s, e, _ in pieces):
            pieces.append((tag.start, tag.end, f"⟦<{'/' if tag.closing else ''}{tag.name}>⟧"))
    pieces.sort()
    out, pos, kept = [], 0, []
    for s, e, placeholder in pieces:
        if s < pos:
            continue  # nested in a piece already replaced (an image inside a link's text stays)
        out.append(text[pos:s])
        if placeholder:
            out.append(_HOLE)
            kept.append(placeholder)
        pos = e
    out.append(text[pos:])
    plain = _EMPHASIS.sub("", _ESCAPE.sub(r"\1", html.unescape("".join(out))))
    for placeholder in kept:
        plain = plain.replace(_HOLE, placeholder, 1)
    return " ".join(plain.split())
