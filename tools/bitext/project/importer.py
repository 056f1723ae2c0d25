"""Import and export of Microsoft's bilingual sxs files, for a whole project.

``import_sxs`` turns bilingual files into ``docs/en/REL.md`` + ``locales/LANG/REL.xlf``
and copies the other files (images, docfx config) beside the English;
``export_sxs`` writes the bilingual files back.  A file with a defect is
reported and left out; the others go through.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bitext.core.errors import BitextError
from bitext.core.files import atomic_write, decode_strict
from bitext.core.model import Finding
from bitext.formats import sxs, xliff
from bitext.project.project import Project, language_dir
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
        return len({f.path for f in self.findings if f.severity == "error"})


def _inputs(paths: Iterable[Path]) -> list[tuple[Path, str]]:
    """(file, path relative to the import) for every file named or below a named folder."""
    found = []
    for path in paths:
        if path.is_dir():
            found.extend(
                (p, p.relative_to(path).as_posix())
                for p in sorted(path.rglob("*"))
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            found.append((path, path.name))
    return found


def import_sxs(
    paths: Iterable[Path],
    project: Project,
    *,
    language: str | None = None,
    force: bool = False,
    progress: Callable[[Iterable], Iterable] = lambda it: it,
) -> ImportResult:
    """Import bilingual files; an article whose English or segment file already exists with
    other content is refused (it would lose edits and translations) unless ``force``."""
    result = ImportResult()
    pending = []  # Markdown files without ms.contentlocale wait for the import's language
    for path, rel in progress(_inputs(paths)):
        if path.suffix.lower() != ".md":
            atomic_write(project.english_path(rel), path.read_bytes())
            result.assets += 1
            continue
        try:
            text = decode_strict(path.read_bytes(), str(path))
        except BitextError as exc:
            result.findings.extend(exc.findings)
            continue
        if not sxs.has_pairs(text):
            result.skipped.append(str(path))
            stub = sxs.redirect_stub(text)
            if stub is not None:
                atomic_write(project.english_path(rel), stub)
                result.redirects.append(str(path))
            continue
        tag = sxs.language_of(text)
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
    except BitextError as exc:
        for f in exc.findings:
            result.findings.append(Finding(str(path), f.line, f.message, f.severity, f.code, f.column))
        return
    segments = article.segment_file
    segments.source_language = project.source_language
    xlf = xliff.dumps(segments, project.layout.source_dir)
    outputs = [(project.english_path(rel), article.english), (project.segment_path(rel, language_dir(tag)), xlf)]
    if not force:
        changed = [out for out, text in outputs if out.exists() and out.read_text(encoding="utf-8") != text]
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
    for out, content in outputs:
        atomic_write(out, content)
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
            result.findings.append(project.missing_source(rel, lang, "error", "nothing to export it with"))
            continue
        try:
            text = sxs.write(files.texts[rel], project.read_segments(rel, lang))
        except BitextError as exc:
            result.findings.extend(exc.findings)
            continue
        atomic_write(out / rel, text)
        result.articles += 1
    return result
