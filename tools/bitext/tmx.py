"""Translation memory export: the project's translations as TMX 1.4b, for any CAT tool.

One ``<tu>`` per distinct source/target pair, as a CAT tool's TM holds them:
a sentence translated the same way in twenty articles is one entry, and one
translated two ways is two.  Each entry names where it was first found
(``tuid`` = ``REL.md#unit``, props ``x-file``/``x-unit``), how often it
occurs (``x-occurrences``) and its XLIFF state, so a CAT tool or a reviewer
can weigh it: machine translations carry ``x-state-qualifier`` =
``mt-suggestion``, translations of removed English (the archive) carry
``x-archived``.  Units without a published translation are left out.

Segment text is Markdown kept as text, as in the segment files (datatype
``x-markdown``).  The file carries no creation date, so exporting unchanged
translations gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from . import __version__
from .errors import BitextError
from .files import atomic_write
from .model import MACHINE_QUALIFIERS, Finding, Segment
from .project import Project

ADMIN_LANG = "en"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass
class Entry:
    """One translation-memory unit: a source/target pair and where it was first seen."""

    source: str
    target: str
    article: str
    unit: str
    state: str | None
    state_qualifier: str | None
    archived: bool
    occurrences: int = 1


@dataclass
class TmxResult:
    target_language: str = ""  # as the segment files declare it (ko-KR)
    entries: int = 0
    units: int = 0  # trans-units that went into the entries
    machine: int = 0  # entries that are machine translations
    files: int = 0
    written: bool = False
    findings: list[Finding] = field(default_factory=list)


def exportable(segment: Segment, *, machine: bool = True) -> bool:
    """A unit worth remembering: English and a translation of it that is published.

    A ``needs-review-translation`` target is left out: after an English edit
    it is the translation of the old sentence, not of this source.
    """
    if not segment.source.strip() or segment.usable_target() is None:
        return False
    return machine or not segment.is_machine_translated


def collect(project: Project, lang: str, *, machine: bool = True) -> tuple[list[Entry], TmxResult]:
    """The distinct pairs of a language, in article and unit order; unreadable files become findings."""
    result = TmxResult()
    entries: dict[tuple[str, str], Entry] = {}
    for rel in project.segment_files(lang):
        try:
            sf = project.read_segments(rel, lang)
        except BitextError as exc:
            result.findings.extend(exc.findings)
            continue
        result.files += 1
        result.target_language = result.target_language or sf.target_language
        for archived, units in ((False, sf.segments), (True, sf.archive)):
            for seg in units:
                if not exportable(seg, machine=machine):
                    continue
                result.units += 1
                key = (seg.source, seg.target)
                if key in entries:
                    entries[key].occurrences += 1
                else:
                    entries[key] = Entry(seg.source, seg.target, rel, seg.id, seg.state, seg.state_qualifier,
                                         archived)
    result.entries = len(entries)
    result.machine = sum(1 for e in entries.values() if e.state_qualifier in MACHINE_QUALIFIERS)
    return list(entries.values()), result


def dumps(entries: Iterable[Entry], target_language: str, source_language: str = "en") -> bytes:
    """TMX 1.4b for ``entries``; a character XML cannot hold raises a BitextError naming the unit."""
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(root, "header", {"creationtool": "bitext", "creationtoolversion": __version__,
                                      "segtype": "sentence", "o-tmf": "bitext-xliff", "adminlang": ADMIN_LANG,
                                      "srclang": source_language, "datatype": "x-markdown"})
    body = etree.SubElement(root, "body")
    for e in entries:
        tu = etree.SubElement(body, "tu", tuid=f"{e.article}#{e.unit}")
        props = [("x-file", e.article), ("x-unit", e.unit)]
        if e.occurrences > 1:
            props.append(("x-occurrences", str(e.occurrences)))
        if e.state:
            props.append(("x-state", e.state))
        if e.state_qualifier:
            props.append(("x-state-qualifier", e.state_qualifier))
        if e.archived:
            props.append(("x-archived", "yes"))
        try:
            for kind, value in props:
                etree.SubElement(tu, "prop", type=kind).text = value
            for language, text in ((source_language, e.source), (target_language, e.target)):
                tuv = etree.SubElement(tu, "tuv", {XML_LANG: language})
                etree.SubElement(tuv, "seg").text = text
        except ValueError as exc:
            raise BitextError.at(e.article, 1, f"unit {e.unit}: cannot be stored in TMX: {exc}", "xml-char") from None
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def export_tm(project: Project, lang: str, out: Path, *, machine: bool = True) -> TmxResult:
    """Write the translation memory of ``lang`` (a ``locales/`` folder) to ``out``, atomically."""
    entries, result = collect(project, lang, machine=machine)
    result.written = atomic_write(out, dumps(entries, result.target_language or lang))
    return result
