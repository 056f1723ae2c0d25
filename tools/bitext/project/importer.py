"""Import and export of Microsoft's bilingual sxs files, for a whole project.

``import_sxs`` turns bilingual files into ``docs/en/REL.md`` + ``locales/LANG/REL.xlf``
and copies the other files (images, docfx config) beside the English;
``export_sxs`` writes the bilingual files back.  A file with a defect is
reported and left out; the others go through.

A corpus is input (an archive, a git repository): a symbolic link that leads
out of it is refused, never followed; a language code becomes a folder name
only when it is a BCP 47 tag; and every write stays inside the project.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bitext.core.errors import BitextError
from bitext.core.files import BOM, Snapshot, atomic_write, decode_strict, has_bom
from bitext.core.model import Finding
from bitext.core.severity import Severity
from bitext.formats import sxs, xliff
from bitext.project.project import Project, is_language_tag, language_dir
from bitext.project.sitefiles import SiteFiles


@dataclass
class ImportResult:
    articles: int = 0
    segments: int = 0  # body segments (sentence pairs)
    front_matter: int = 0  # translated front-matter values
    assets: int = 0
    languages: set[str] = field(default_factory=set)
    skipped: list[str] = field(default_factory=list)
    redirects: list[str] = field(default_factory=list)  # skipped files kept as English redirect stubs
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return len({f.path for f in self.findings if f.severity == Severity.ERROR})


def _inputs(paths: Iterable[Path], findings: list[Finding]) -> list[tuple[Path, str]]:
    """(file, path relative to the import) for every file named or below a named folder.

    Below a folder, a symbolic link is followed only when it stays inside
    that folder; one that leaves it is reported and skipped, and a linked
    folder is not walked (its files are imported where they really are).
    """
    found = []
    for path in paths:
        if not path.is_dir():
            found.append((path, path.name))
            continue
        base = path.resolve()
        for folder, dirs, files in os.walk(path):
            here = Path(folder)
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in [d for d in dirs if (here / d).is_symlink()]:
                dirs.remove(name)
                if not _within(here / name, base):
                    findings.append(_outside(here / name))
            for name in sorted(f for f in files if not f.startswith(".")):
                file = here / name
                if file.is_symlink() and not _within(file, base):
                    findings.append(_outside(file))
                elif file.is_file():
                    found.append((file, file.relative_to(path).as_posix()))
    return sorted(found, key=lambda item: item[1])


def _within(link: Path, base: Path) -> bool:
    target = link.resolve()
    return target == base or base in target.parents


def _outside(link: Path) -> Finding:
    return Finding(
        str(link),
        1,
        f"symbolic link to {os.readlink(link)} leads outside the imported folder; not imported",
        code="symlink",
    )


def _language_line(text: str) -> int:
    """The line of ``ms.contentlocale`` in a bilingual file (1 when it cannot be found)."""
    at = text.find("\nms.contentlocale:")
    return text.count("\n", 0, at) + 2 if at != -1 else 1


def import_sxs(
    paths: Iterable[Path],
    project: Project,
    *,
    language: str | None = None,
    force: bool = False,
    progress: Callable[[Iterable], Iterable] = lambda it: it,
) -> ImportResult:
    """Import bilingual files; an article whose English or segment file already exists with
    other content is refused (it would lose edits and translations) unless ``force``.

    Holds the project's write lock while it writes."""
    with project.write_lock():
        return _import(paths, project, language, force, progress)


def _import(
    paths: Iterable[Path],
    project: Project,
    language: str | None,
    force: bool,
    progress: Callable[[Iterable], Iterable],
) -> ImportResult:
    result = ImportResult()
    if language is not None and not is_language_tag(language):
        raise ValueError(f"--lang {language!r} is not a BCP 47 language tag")
    pending = []  # Markdown files without ms.contentlocale wait for the import's language
    for path, rel in progress(_inputs(paths, result.findings)):
        try:
            if path.suffix.lower() != ".md":
                project.write(project.english_path(rel), path.read_bytes())
                result.assets += 1
                continue
            text = decode_strict(path.read_bytes(), str(path), bom=True)
            if not sxs.has_pairs(text):
                result.skipped.append(str(path))
                stub = sxs.redirect_stub(text)
                if stub is not None:
                    project.write(project.english_path(rel), stub)
                    result.redirects.append(str(path))
                continue
            tag = sxs.language_of(text)
            if tag is not None and not is_language_tag(tag):
                raise BitextError.at(
                    str(path),
                    _language_line(text),
                    f"ms.contentlocale {tag!r} is not a BCP 47 language tag",
                    "language",
                )
        except BitextError as exc:
            result.findings.extend(exc.findings)
            continue
        if tag is None:
            pending.append((path, rel, text))
            continue
        result.languages.add(tag)
        _import_one(project, path, rel, text, tag, result, force)
    fallback = language
    if fallback is None and len(result.languages) == 1:
        fallback = next(iter(result.languages))
    for path, rel, text in pending:
        if fallback is None:
            why = "the import mixes languages" if result.languages else "no file of the import declares one"
            result.findings.append(
                Finding(str(path), 1, f"no ms.contentlocale and {why}: pass --lang", code="language")
            )
            continue
        _import_one(project, path, rel, text, fallback, result, force)
    return result


def _import_one(project: Project, path: Path, rel: str, text: str, tag: str, result: ImportResult, force: bool) -> None:
    try:
        article = sxs.parse(text, rel, language=tag)
        segments = article.segment_file
        segments.source_language = project.source_language
        xlf = xliff.dumps(segments, project.layout.source_dir)
    except BitextError as exc:
        for f in exc.findings:
            result.findings.append(Finding(str(path), f.line, f.message, f.severity, f.code, f.column))
        return
    english = project.english_path(rel)
    # An English article saved with a byte order mark keeps it (a Windows editor put it there).
    outputs = [
        (english, BOM + article.english.encode() if has_bom(english) else article.english.encode()),
        (project.segment_path(rel, language_dir(tag)), xlf.encode()),
    ]
    read = {out: Snapshot.take(out) for out, _ in outputs}
    if not force:
        changed = [out for out, data in outputs if read[out] not in (Snapshot.of(None), Snapshot.of(data))]
        if changed:
            what = " and ".join(project.display(out) for out in changed)
            result.findings.append(
                Finding(
                    str(path),
                    1,
                    f"{what} exist and differ from this import (edits or "
                    f"translations made since would be lost); pass --force to replace them",
                    code="would-overwrite",
                )
            )
            return
    try:
        for out, content in outputs:
            project.write(out, content, expect=read[out])
    except BitextError as exc:
        result.findings.extend(exc.findings)
        return
    result.articles += 1
    body = len(segments.body_segments())
    result.segments += body
    result.front_matter += len(segments.segments) - body


@dataclass
class ExportResult:
    articles: int = 0
    findings: list[Finding] = field(default_factory=list)


def export_sxs(
    project: Project, lang: str, out: Path, progress: Callable[[Iterable], Iterable] = lambda it: it
) -> ExportResult:
    result = ExportResult()
    files = SiteFiles.read(project)
    for rel in progress(project.segment_files(lang)):
        if rel in files.unreadable:
            result.findings.extend(files.unreadable[rel])
            continue
        if rel not in files.texts:
            result.findings.append(project.missing_source(rel, lang, Severity.ERROR, "nothing to export it with"))
            continue
        try:
            text = sxs.write(files.texts[rel], project.read_listed_segments(rel, lang))
        except BitextError as exc:
            result.findings.extend(exc.findings)
            continue
        try:
            atomic_write(out / rel, text, root=out)
        except BitextError as exc:
            result.findings.extend(exc.findings)
            continue
        result.articles += 1
    return result
