"""A bitext project on disk: English articles in ``docs/en``, segment files in ``locales/LANG``.

Every command works on a project root; this module knows where its files are
and reads one at a time (what each English file is: ``bitext.project.sitefiles``).
The docs folder and the source language are the project's ``Layout``, read
once from its mkdocs.yml (``docs_dir``, the i18n plugin's default language);
``docs`` and ``en`` when it says nothing.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from bitext.core.errors import BitextError
from bitext.core.files import read_text
from bitext.core.model import DOCS_DIR, SOURCE_LANGUAGE, Finding, SegmentFile
from bitext.formats import xliff
from bitext.project import settings

XLF = ".xlf"
I18N_PLUGIN = "i18n"  # mkdocs-static-i18n
CONFIG_DIR = "$config_dir"


@dataclass(frozen=True)
class Layout:
    """Where a project keeps its English: ``docs_dir/source_language`` (static-i18n's folder structure)."""

    docs_dir: str = DOCS_DIR  # relative to the project root, POSIX style
    source_language: str = SOURCE_LANGUAGE

    @property
    def source_dir(self) -> str:
        """The folder of the English articles, relative to the project root (``docs/en``)."""
        return posixpath.join(self.docs_dir, self.source_language)

    @classmethod
    def of(cls, config: dict, root: Path, display: str = "mkdocs.yml") -> Layout:
        """The layout a loaded mkdocs.yml at ``root`` describes: its ``docs_dir`` and the i18n default language.

        Only a configuration with the i18n plugin (as every bitext site has)
        describes it; one without (the options of ``bitext links`` alone, say)
        leaves the default layout.
        """
        if I18N_PLUGIN not in settings.plugins(config):
            return cls()
        docs_dir = config.get("docs_dir", DOCS_DIR)
        languages = settings.plugin_options(config, I18N_PLUGIN).get("languages") or []
        default = next(
            (lang.get("locale") for lang in languages if isinstance(lang, dict) and lang.get("default") is True),
            SOURCE_LANGUAGE,
        )
        if not isinstance(docs_dir, str) or not isinstance(default, str) or not default:
            raise BitextError.at(display, 1, "docs_dir and the i18n default locale must be strings", "config")
        # MkDocs' `!relative $config_dir/docs` (read as its plain text) is the same folder.
        if docs_dir.startswith(CONFIG_DIR + "/"):
            docs_dir = docs_dir[len(CONFIG_DIR) + 1 :]
        try:
            docs = (Path(root) / docs_dir).resolve().relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            raise BitextError.at(display, 1, f"docs_dir {docs_dir!r} is outside the project", "config") from None
        return cls(docs, default)

    @classmethod
    def read(cls, root: Path) -> Layout:
        """The layout of the project at ``root``, from its mkdocs.yml (the defaults without one)."""
        path = settings.find_config(root)
        return cls() if path is None else cls.of(settings.load(path, path.name), Path(root), path.name)


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
    """A project root and its layout (``Project.open`` reads it from mkdocs.yml; the default otherwise)."""

    root: Path
    layout: Layout = field(default_factory=Layout)
    docs_dir: Path = field(init=False)  # the English articles
    locales_dir: Path = field(init=False)

    def __post_init__(self) -> None:
        self.root = Path(self.root)
        self.docs_dir = self.root / self.layout.source_dir
        self.locales_dir = self.root / "locales"

    @classmethod
    def open(cls, root: Path) -> Project:
        """The project at ``root`` with the layout its mkdocs.yml gives; a bad mkdocs.yml raises BitextError."""
        return cls(root, Layout.read(Path(root)))

    @property
    def source_language(self) -> str:
        return self.layout.source_language

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
