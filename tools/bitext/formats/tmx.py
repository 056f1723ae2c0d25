"""TMX 1.4b: a translation memory as any CAT tool reads it (``bitext.translate.tm`` collects the entries).

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
from dataclasses import dataclass

from lxml import etree

from bitext import __version__
from bitext.core.errors import BitextError
from bitext.core.model import SOURCE_LANGUAGE

ADMIN_LANG = "en"  # the language of the header's own text, not of the entries
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


def dumps(entries: Iterable[Entry], target_language: str, source_language: str = SOURCE_LANGUAGE) -> bytes:
    """TMX 1.4b for ``entries``; a character XML cannot hold raises a BitextError naming the unit."""
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(
        root,
        "header",
        {
            "creationtool": "bitext",
            "creationtoolversion": __version__,
            "segtype": "sentence",
            "o-tmf": "bitext-xliff",
            "adminlang": ADMIN_LANG,
            "srclang": source_language,
            "datatype": "x-markdown",
        },
    )
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
