"""A bitext project on disk: English articles in ``docs/en``, segment files in ``locales/LANG``.

Every command works on a project root; this module knows where its files are
and reads one at a time (what each English file is: ``bitext.project.sitefiles``).
The docs folder and the source language are the project's ``Layout``, read
once from its mkdocs.yml (``docs_dir``, the i18n plugin's default language);
``docs`` and ``en`` when it says nothing.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import filelock

from bitext.core.errors import BitextError
from bitext.core.files import Snapshot, atomic_write, read_text
from bitext.core.model import DOCS_DIR, SOURCE_LANGUAGE, Finding, SegmentFile
from bitext.core.severity import Severity
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


LOCK = ".cache/bitext/lock"  # held by every command that writes the project (git-ignored with .cache/)
# Seconds a writing command waits for another one to finish; BITEXT_LOCK_TIMEOUT overrides it.
LOCK_TIMEOUT = 60.0

# A well-formed BCP 47 language tag (RFC 5646 section 2.1, without the irregular grandfathered
# tags). A tag from a corpus becomes a folder name under locales/, so it is checked against the
# grammar rather than cleaned: a regex of the RFC's ABNF keeps slashes, dots and anything else a
# path could use out, and needs no registry data (langcodes would also accept tags it can only guess).
_ALNUM = "[a-z0-9]"
_LANGUAGE_TAG = re.compile(
    r"(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})"  # language, extlang
    r"(?:-[a-z]{4})?"  # script
    r"(?:-(?:[a-z]{2}|[0-9]{3}))?"  # region
    rf"(?:-(?:{_ALNUM}{{5,8}}|[0-9]{_ALNUM}{{3}}))*"  # variants
    rf"(?:-[a-wyz0-9](?:-{_ALNUM}{{2,8}})+)*"  # extensions
    rf"(?:-x(?:-{_ALNUM}{{1,8}})+)?",  # private use
    re.IGNORECASE,
)


def is_language_tag(tag: str) -> bool:
    """Whether ``tag`` is a well-formed BCP 47 tag (``_`` accepted for ``-``, as locale names write it)."""
    return _LANGUAGE_TAG.fullmatch(tag.replace("_", "-")) is not None


def language_dir(tag: str) -> str:
    """The ``locales/`` folder for a BCP 47 tag: ``ko-KR`` → ``ko``; ``zh-TW`` → ``zh-tw``.

    The region is dropped unless the language is written differently per
    region (Chinese scripts, Portuguese and Serbian variants).  Anything that
    is not a language tag is a ValueError: it never becomes a path.
    """
    if not is_language_tag(tag):
        raise ValueError(f"{tag!r} is not a BCP 47 language tag")
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
        """An English article's text; a byte order mark is allowed (MkDocs reads pages as utf-8-sig) and dropped."""
        path = self.english_path(rel)
        return read_text(path, self.display(path), bom=True)

    def read_segments(self, rel: str, lang: str) -> SegmentFile | None:
        return self.load_segments(rel, lang)[0]

    def read_listed_segments(self, rel: str, lang: str) -> SegmentFile:
        """A segment file that ``segment_files`` listed; a BitextError if it has gone since."""
        found = self.read_segments(rel, lang)
        if found is None:
            path = self.segment_path(rel, lang)
            raise BitextError.at(self.display(path), 1, "the segment file was removed while it was being read", "gone")
        return found

    def load_segments(self, rel: str, lang: str) -> tuple[SegmentFile | None, Snapshot]:
        """A segment file (None when there is none) and the snapshot to write it back with."""
        path = self.segment_path(rel, lang)
        try:
            data = path.read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            return None, Snapshot.of(None)
        return xliff.loads(data, self.display(path)), Snapshot.of(data)

    def write(self, path: Path, data: str | bytes, expect: Snapshot | None = None) -> bool:
        """Write a file of the project (atomic_write), refusing any path that leads out of the root."""
        return atomic_write(path, data, root=self.root, expect=expect, display=self.display(path))

    @contextmanager
    def write_lock(self, timeout: float | None = None) -> Iterator[None]:
        """Hold the project's write lock: one writing command (update, import-sxs, align) at a time.

        Waits up to ``timeout`` seconds (LOCK_TIMEOUT, or BITEXT_LOCK_TIMEOUT)
        for another command to finish, then raises a BitextError naming the lock file.
        """
        if timeout is None:
            timeout = float(os.environ.get("BITEXT_LOCK_TIMEOUT", LOCK_TIMEOUT))
        path = self.root / LOCK
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = filelock.FileLock(path, timeout=timeout)
        try:
            lock.acquire()
        except filelock.Timeout:
            raise BitextError.at(
                LOCK,
                1,
                f"another bitext command (update, import-sxs, align) is writing this project; "
                f"gave up after waiting {timeout:g} s; run this one when it is done",
                "locked",
            ) from None
        try:
            yield
        finally:
            lock.release()

    def missing_source(self, rel: str, lang: str, severity: Severity, consequence: str) -> Finding:
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
