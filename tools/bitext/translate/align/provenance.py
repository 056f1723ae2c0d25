"""Which English a translation was made from: its fingerprint of the English compared with the English now.

Localization pipelines write into each translated file which English it was
translated from.  Microsoft's localized Markdown carries
``ms.openlocfilehash``, the SHA-1 of the English file (with CRLF line ends);
when the English file now has another hash, it was edited after the
translation was made, and no sentence of the translation can be trusted to
match the English it is aligned to.

``origin`` says ``current`` (the translation names this English), ``older``
(it names another English) or ``unknown`` (no fingerprint it recognises).
The recognised front-matter keys are the table ``FINGERPRINTS``: a key and
how to compute the fingerprint of the English file it names.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from bitext.core import frontmatter
from bitext.core.files import BOM


class Provenance(StrEnum):
    CURRENT = "current"  # made from this English
    OLDER = "older"  # made from another English: the English changed since
    UNKNOWN = "unknown"  # no fingerprint recognised


def _sha1_forms(english: bytes) -> list[str]:
    """The SHA-1 of the English file as a repository may store it: CRLF line ends (Microsoft's hash),
    LF line ends, the bytes as they are; each with and without a byte order mark (a repository may have
    dropped or added it)."""
    forms = []
    bare = english.removeprefix(BOM)
    for data in (english, bare, BOM + bare):
        lf = data.replace(b"\r\n", b"\n")
        for variant in (lf.replace(b"\n", b"\r\n"), lf, data):
            digest = hashlib.sha1(variant).hexdigest()
            if digest not in forms:
                forms.append(digest)
    return forms


_SHA1 = re.compile(r"[0-9a-f]{40}")


@dataclass(frozen=True)
class Fingerprint:
    """How one front-matter key names the English: what a valid value looks like, and the values
    the current English file would have (the first is the one shown in notes)."""

    valid: Callable[[str], bool]
    of: Callable[[bytes], list[str]]


# Front-matter key → its fingerprint of the English file.  Another convention is one entry more.
FINGERPRINTS: dict[str, Fingerprint] = {
    "ms.openlocfilehash": Fingerprint(lambda value: bool(_SHA1.fullmatch(value)), _sha1_forms),
}


@dataclass(frozen=True)
class Origin:
    provenance: Provenance
    key: str | None = None  # the front-matter key that names the English
    named: str | None = None  # the fingerprint the translation names
    english: str | None = None  # the current English file's fingerprint (in the key's main form)

    def note(self) -> str:
        """What a unit aligned from an ``older`` translation says about it."""
        return (
            f"the English changed since this translation was made ({self.key} {self.named}; "
            f"the English now is {self.english})"
        )

    def as_json(self) -> dict:
        return {"provenance": str(self.provenance), "key": self.key, "named": self.named, "english": self.english}


UNKNOWN = Origin(Provenance.UNKNOWN)


def origin(translation: str, english: bytes) -> Origin:
    """Whether ``translation`` was made from the English file whose bytes are ``english``."""
    fm = frontmatter.split(translation)
    if fm is None:
        return UNKNOWN
    for block in fm.blocks:
        fingerprint = FINGERPRINTS.get(block.key or "")
        if fingerprint is None:
            continue
        # The raw value, not YAML's reading of it: a hash of digits only would be read as a number.
        named = block.text.split(":", 1)[1].strip().strip("'\"").lower()
        if not fingerprint.valid(named):
            continue
        forms = fingerprint.of(english)
        provenance = Provenance.CURRENT if named in forms else Provenance.OLDER
        return Origin(provenance, block.key, named, forms[0])
    return UNKNOWN
