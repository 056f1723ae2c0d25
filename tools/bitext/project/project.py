"""A bitext project on disk: English articles in ``docs/en``, segment files in ``locales/LANG``.

Every command works on a project root; this module knows where its files are
and reads one at a time (what each English file is: ``bitext.project.sitefiles``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from bitext.core.files import read_text
from bitext.core.model import Finding, SegmentFile
from bitext.formats import xliff

XLF = ".xlf"
DOCS = "docs/en"  # the English articles, relative to the project root


def language_dir(tag: str) -> str:
    """The ``locales/`` folder for a BCP 47 tag: ``ko-KR`` → ``ko``; ``zh-TW`` → ``zh-tw``.

    The region is dropped unless the language is written differently per
    region (Chinese scripts, Portuguese and Serbian variants).
    """
    parts = tag.replace("_", "-").lower().split("-")
    if parts[0] in {"zh", "pt", "sr"} and len(parts) > 1:
        return "-".join(parts[:2])
    return parts[0]


@dataclass
class Project:
    root: Path
    docs_dir: Path = field(init=False)
    locales_dir: Path = field(init=False)

    def __post_init__(self) -> None:
        self.root = Path(self.root)
        self.docs_dir = self.root / DOCS
        self.locales_dir = self.root / "locales"

    def display(self, path: Path) -> str:
        """A path as shown in messages: relative to the root when it is inside it."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def languages(self) -> list[str]:
        if not self.locales_dir.is_dir():
            return []
        return sorted(p.name for p in self.locales_dir.iterdir() if p.is_dir() and not p.name.startswith("."))

    def english_path(self, rel: str) -> Path:
        return self.docs_dir / rel

    def segment_path(self, rel: str, lang: str) -> Path:
        return self.locales_dir / lang / PurePosixPath(rel).with_suffix(XLF)

    def segment_files(self, lang: str) -> list[str]:
        """Relative article paths (``REL.md``) that have a segment file in ``lang``."""
        base = self.locales_dir / lang
        if not base.is_dir():
            return []
        return sorted(p.relative_to(base).with_suffix(".md").as_posix() for p in base.rglob("*" + XLF) if p.is_file())

    def read_english(self, rel: str) -> str:
        path = self.english_path(rel)
        return read_text(path, self.display(path))

    def read_segments(self, rel: str, lang: str) -> SegmentFile | None:
        path = self.segment_path(rel, lang)
        if not path.is_file():
            return None
        return xliff.load(path, self.display(path))

    def missing_source(self, rel: str, lang: str, severity: str, consequence: str) -> Finding:
        """The finding for a segment file whose English article is gone (code ``missing-source``).

        An error where the command cannot do its work without the English
        (export), a warning where the file is kept as it is (update, the site).
        """
        return Finding(
            self.display(self.segment_path(rel, lang)),
            1,
            f"no English article {self.display(self.english_path(rel))}; {consequence}",
            severity,
            "missing-source",
            lang=lang,
        )
