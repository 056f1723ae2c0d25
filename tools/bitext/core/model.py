"""The data model shared by every stage: segments, segment files, articles, findings.

A *segment* is one translatable unit (a sentence, or one of Microsoft's merged
``-pNNN`` paragraph units, or a translated front-matter value).  Its ``source``
is English Markdown exactly as it sits in the English article, inline markup
included; its ``target`` is the translation.  A *segment file* holds the
segments of one article for one language, plus what the localized article
carries that the English article does not (localisation metadata).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bitext.core import states
from bitext.core.severity import Severity


@dataclass
class AltTrans:
    """A translation proposal kept beside a unit (XLIFF ``<alt-trans>``)."""

    source: str
    target: str
    match_quality: int | None = None  # percent
    origin: str | None = None


@dataclass
class Note:
    """A comment on a unit (XLIFF ``<note>``); ``author`` is its ``from``."""

    text: str
    author: str | None = None


@dataclass
class Segment:
    """One trans-unit: an English source, its translation and where it sits."""

    id: str
    source: str
    target: str | None = None
    state: str | None = None
    state_qualifier: str | None = None
    # Where the source starts in the English article (1-based line and column,
    # in characters).  For front-matter units: the line of the key, or the
    # line before which the key goes when the English article lacks it.
    line: int = 0
    column: int = 0
    key: str | None = None  # front-matter key (title, description) or None for body text
    notes: list[Note] = field(default_factory=list)
    alternatives: list[AltTrans] = field(default_factory=list)
    approved: bool | None = None
    # Line of the trans-unit in the segment file it was read from (for messages).
    xliff_line: int = 0
    # Line of its <target> start tag there: where it was read, not what the unit says.
    target_line: int = field(default=0, compare=False)
    # What a CAT tool wrote that bitext does not model, kept so that rewriting the file
    # loses nothing: attributes by element ("trans-unit", "source", "target") and child
    # elements as XML text (count-groups, other context-groups, notes with priorities ...).
    extra_attributes: dict[str, dict[str, str]] = field(default_factory=dict)
    extra_elements: list[str] = field(default_factory=list)
    # XML comments and processing instructions inside <source>/<target>: by element, the text
    # they sat in and the element's whole content as XML (written back while the text is unchanged).
    extra_markup: dict[str, tuple[str, str]] = field(default_factory=dict)

    def set_source(self, text: str) -> None:
        """Give the unit new English; a CAT tool's segmentation of the old one (<seg-source>) goes."""
        if text != self.source:
            self.extra_elements = [raw for raw in self.extra_elements if not raw.startswith("<seg-source")]
        self.source = text

    @property
    def target_finding_line(self) -> int:
        """The line a problem of the translation is reported at: its ``<target>``, else the unit, else the English."""
        return self.target_line or self.xliff_line or self.line

    @property
    def is_front_matter(self) -> bool:
        return self.key is not None

    @property
    def is_machine_translated(self) -> bool:
        return self.state_qualifier in states.MACHINE

    def usable_target(self, *, allow_review: bool = False) -> str | None:
        """The target to publish, or None when the English must be shown instead."""
        if self.target is None:
            return None
        if self.target == "" and self.source != "":
            return None
        if self.state in states.PROPOSALS:
            return None
        if self.state in states.AWAITING_REVIEW and not allow_review:
            return None
        return self.target


# The source language and docs folder a project has unless its mkdocs.yml says otherwise
# (bitext.project.project.Layout); the English is in DOCS_DIR/SOURCE_LANGUAGE, as
# mkdocs-static-i18n's folder structure keeps the default language.
SOURCE_LANGUAGE = "en"
DOCS_DIR = "docs"


@dataclass
class SegmentFile:
    """The segments of one article in one target language (one XLIFF ``<file>``)."""

    original: str  # article path relative to the English docs folder, POSIX style
    target_language: str  # BCP 47 tag as the translation declares it, e.g. ko-KR
    source_language: str = SOURCE_LANGUAGE
    # Fingerprint of the English article the segment locations refer to.
    skeleton_hash: str | None = None
    # Localisation metadata the localized article carries in its front matter
    # (``ms.locfileid: ...`` lines), kept verbatim.
    metadata: str = ""
    segments: list[Segment] = field(default_factory=list)
    # Units whose English disappeared: kept so no translation is ever lost.
    archive: list[Segment] = field(default_factory=list)
    # Attributes of <file> and header elements (XML text) bitext does not model, kept as they were.
    extra_attributes: dict[str, str] = field(default_factory=dict)
    extra_header: list[str] = field(default_factory=list)

    def body_segments(self) -> list[Segment]:
        return [s for s in self.segments if not s.is_front_matter]

    def front_matter_segments(self) -> dict[str, Segment]:
        return {s.key: s for s in self.segments if s.key is not None}


@dataclass
class Article:
    """An imported bilingual article: the English text a writer keeps and its segments."""

    path: str  # relative path, POSIX style
    english: str
    segment_file: SegmentFile


@dataclass(frozen=True)
class Finding:
    """A problem found in a file, reported as ``path:line[:column]: code: [unit ID: ]message``."""

    path: str
    line: int
    message: str
    severity: Severity = Severity.ERROR
    code: str = ""
    column: int = 0
    unit: str | None = None  # the trans-unit the problem is in, when it is in one
    lang: str = ""  # the language it concerns ("" when it concerns the project as a whole)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        if self.column:
            where += f":{self.column}"
        code = f" {self.code}:" if self.code else ""
        unit = f" unit {self.unit}:" if self.unit else ""
        return f"{where}:{code}{unit} {self.message}"


def plural(n: int, word: str) -> str:
    """A count for a report line: ``1 unit``, ``1,738 units``."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"
