"""Which English a translation was made from: its fingerprint of the English compared with the English now.

Localization pipelines write into each translated file which English it was
translated from.  Microsoft's localized Markdown carries
``ms.openlocfilehash``, the SHA-1 of the English file (with CRLF line ends);
MDN's translations carry ``l10n: sourceCommit:``, the commit of the English
repository they were made from.  When the fingerprint does not fit the
English file as it is now, the English was edited after the translation
was made, and no sentence of the translation can be trusted to match the
English it is aligned to.

``origin`` says ``current`` (the translation names this English), ``older``
(it names another English) or ``unknown`` (no fingerprint it recognises, or
one it cannot check).  When the project's git repository holds the English
the translation names, ``Origin.then`` is that English: what changed since
can then be told sentence by sentence.  The recognised front-matter keys
are the table ``FINGERPRINTS``: one entry per convention.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path

from bitext.core import frontmatter
from bitext.core.errors import BitextError
from bitext.core.files import BOM
from bitext.project.history import Repository


class Provenance(StrEnum):
    CURRENT = "current"  # made from this English
    OLDER = "older"  # made from another English: the English changed since
    UNKNOWN = "unknown"  # no fingerprint recognised, or none that can be checked


class EnglishHistory:
    """The earlier versions of one English file in the project's git repository."""

    def __init__(self, repository: Repository, path: Path):
        self.repository, self.path = repository, path

    @cached_property
    def versions(self) -> list[bytes]:
        return self.repository.versions(self.path)

    def at(self, commit: str) -> bytes | None:
        return self.repository.at(commit, self.path)


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


def _same_text(a: bytes, b: bytes) -> bool:
    """Equal but for line ends and a byte order mark."""
    return a.removeprefix(BOM).replace(b"\r\n", b"\n") == b.removeprefix(BOM).replace(b"\r\n", b"\n")


_SHA1 = re.compile(r"[0-9a-f]{40}")
_COMMIT = re.compile(r"[0-9a-f]{7,64}")


def _scalar(block: frontmatter.Block) -> str:
    # The raw value, not YAML's reading of it: a hash of digits only would be read as a number.
    return block.text.split(":", 1)[1].strip().strip("'\"").lower()


def _openlocfilehash(block: frontmatter.Block) -> str | None:
    value = _scalar(block)
    return value if _SHA1.fullmatch(value) else None


def _source_commit(block: frontmatter.Block) -> str | None:
    try:
        value = frontmatter.value(block, "")
    except BitextError:
        return None
    commit = value.get("sourceCommit") if isinstance(value, dict) else None
    commit = commit.strip().lower() if isinstance(commit, str) else ""
    return commit if _COMMIT.fullmatch(commit) else None


def _commit_english(commit: str, history: EnglishHistory | None) -> bytes | None:
    return history.at(commit) if history is not None else None


@dataclass(frozen=True)
class Fingerprint:
    """One convention of naming the English a translation was made from."""

    name: str  # as notes show it
    value: Callable[[frontmatter.Block], str | None]  # the fingerprint in the key's block (None: not one)
    # Whether the fingerprint names this English file (its bytes); None when it cannot be told.
    names: Callable[[str, bytes, EnglishHistory | None], bool | None]
    # The English file it names, from the project's history (None: not there).
    then: Callable[[str, EnglishHistory | None], bytes | None]
    # This English file's fingerprint in the same convention, for notes (None: none to show).
    now: Callable[[bytes], str | None]


def _named_commit(commit: str, english: bytes, history: EnglishHistory | None) -> bool | None:
    then = _commit_english(commit, history)
    return None if then is None else _same_text(then, english)


def _hash_in_history(value: str, history: EnglishHistory | None) -> bytes | None:
    if history is None:
        return None
    return next((v for v in history.versions if value in _sha1_forms(v)), None)


# Top-level front-matter key → how it names the English.  Another convention is one entry more.
FINGERPRINTS: dict[str, Fingerprint] = {
    "ms.openlocfilehash": Fingerprint(
        "ms.openlocfilehash",
        _openlocfilehash,
        lambda value, english, _history: value in _sha1_forms(english),
        _hash_in_history,
        lambda english: _sha1_forms(english)[0],
    ),
    "l10n": Fingerprint("l10n.sourceCommit", _source_commit, _named_commit, _commit_english, lambda _english: None),
}


@dataclass(frozen=True)
class Origin:
    provenance: Provenance
    key: str | None = None  # the fingerprint's name (its front-matter key)
    named: str | None = None  # the fingerprint the translation names
    english: str | None = None  # the current English file's fingerprint, where the convention has one
    # The English the translation was made from, when the project's history holds it (LF line ends).
    then: str | None = field(default=None, repr=False, compare=False)

    def note(self) -> str:
        """What a unit aligned from an ``older`` translation says about it."""
        now = f"; the English now is {self.english}" if self.english else ""
        return f"the English changed since this translation was made ({self.key} {self.named}{now})"

    def as_json(self) -> dict:
        return {
            "provenance": str(self.provenance),
            "key": self.key,
            "named": self.named,
            "english": self.english,
            "in_history": self.then is not None,
        }


UNKNOWN = Origin(Provenance.UNKNOWN)


def origin(translation: str, english: bytes, history: EnglishHistory | None = None) -> Origin:
    """Whether ``translation`` was made from the English file whose bytes are ``english``.

    ``history``: the English file's versions in the project's repository, to
    check fingerprints that name a commit and to find the English an
    ``older`` translation was made from.
    """
    fm = frontmatter.split(translation)
    if fm is None:
        return UNKNOWN
    for block in fm.blocks:
        fingerprint = FINGERPRINTS.get(block.key or "")
        value = fingerprint.value(block) if fingerprint is not None else None
        if fingerprint is None or value is None:
            continue
        verdict = fingerprint.names(value, english, history)
        if verdict is None:
            continue
        if verdict:
            return Origin(Provenance.CURRENT, fingerprint.name, value, fingerprint.now(english))
        then = fingerprint.then(value, history)
        return Origin(Provenance.OLDER, fingerprint.name, value, fingerprint.now(english), _text(then))
    return UNKNOWN


def _text(data: bytes | None) -> str | None:
    if data is None:
        return None
    try:
        return data.removeprefix(BOM).decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError:
        return None
