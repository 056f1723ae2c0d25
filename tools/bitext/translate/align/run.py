"""``bitext align`` for a whole project: every English article with a translation in a folder.

A translation is ``FROM/REL.md`` for ``docs/en/REL.md`` (the layout of
localized documentation repositories).  Each article is aligned in memory;
a file that cannot be read (invalid UTF-8, not text, a link out of the
folder) or aligned becomes a ``file:line`` finding and the others go
through.  Files are written atomically once their article is done.  A
large project is aligned by two forked processes (articles are independent);
the parent writes every file.
"""

from __future__ import annotations

import dataclasses
import gc
import multiprocessing
import multiprocessing.pool
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bitext.core.errors import BitextError
from bitext.core.files import ABSENT, BOM, OutsideRoot, Snapshot, decode_utf8, inside
from bitext.core.model import Finding
from bitext.core.severity import Severity
from bitext.formats import sxs, xliff
from bitext.project.history import Repository
from bitext.project.project import Project
from bitext.project.sitefiles import SiteFiles
from bitext.translate.align.cut import Endings
from bitext.translate.align.lexicon import Lexicon
from bitext.translate.align.merge import MOVES, ArticleAlignment, Taught, align_article, project_learning, taught
from bitext.translate.align.provenance import EnglishHistory, Provenance, origin
from bitext.translate.tm import TranslationMemory


@dataclass
class AlignResult:
    language: str
    source: str  # the translation folder as shown in messages
    # Each article's report.  Its segment file is written, not kept: ``segment_file`` holds only the
    # file's header (language, fingerprint), not its units.
    articles: list[ArticleAlignment] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    without_translation: int = 0  # English articles with no FROM/REL.md

    def total(self, name: str) -> int:
        return sum(getattr(a, name) for a in self.articles)

    def moves(self) -> Counter:
        total: Counter = Counter()
        for a in self.articles:
            total.update(a.moves)
        return total

    def provenance(self) -> dict[str, int]:
        """Articles per provenance of their translation (``current``, ``older``, ``unknown``)."""
        found = Counter(str(a.origin.provenance) for a in self.articles)
        return {str(p): found.get(str(p), 0) for p in Provenance}

    def as_json(self) -> dict:
        return {
            "language": self.language,
            "from": self.source,
            "articles": [a.as_json() for a in self.articles],
            "summary": {
                "articles": len(self.articles),
                "written": sum(a.modified for a in self.articles),
                "without_translation": self.without_translation,
                "moves": {k: self.moves().get(k, 0) for k in MOVES},
                "provenance": self.provenance(),
                "held_for_review": self.total("held"),
                **{
                    name: self.total(name)
                    for name in ("translated", "review", "untranslated", "unaligned", "kept", "replaced")
                },
            },
            "findings": [
                {"path": f.path, "line": f.line, "code": f.code, "severity": f.severity, "message": f.message}
                for f in self.findings
            ],
        }


def read_translation(path: Path, display: str) -> str:
    """A translated Markdown file as text: UTF-8 (a byte order mark and CRLF line ends are accepted)."""
    data = path.read_bytes()
    text = decode_utf8(data.removeprefix(BOM), display)
    nul = text.find("\x00")
    if nul != -1:
        raise BitextError.at(display, text.count("\n", 0, nul) + 1, "not a Markdown text file (NUL byte)", "not-text")
    return text.replace("\r\n", "\n")


def align_language(
    project: Project,
    lang: str,
    source: Path,
    *,
    write: bool = True,
    force: bool = False,
    progress: Callable[[Iterable], Iterable] = lambda it: it,
) -> AlignResult:
    """Align ``source/REL.md`` to every English article ``docs/en/REL.md`` into ``locales/LANG``.

    Writing holds the project's write lock (one writing command at a time), and
    a segment file saved by someone else since it was read is not overwritten:
    it is reported (``changed-on-disk``) and left for the next run.
    """
    with _rare_gc_rounds():
        if not write:
            return _align_language(project, lang, source, write=False, force=force, progress=progress)
        with project.write_lock():
            return _align_language(project, lang, source, write=True, force=force, progress=progress)


def _align_language(
    project: Project,
    lang: str,
    source: Path,
    *,
    write: bool,
    force: bool,
    progress: Callable[[Iterable], Iterable],
) -> AlignResult:
    result = AlignResult(lang, str(source))
    files = SiteFiles.read(project)
    for problems in files.unreadable.values():
        result.findings.extend(problems)
    articles = sorted(files.texts)  # redirect stubs and TOCs: nothing to translate
    existing = []
    for rel in project.segment_files(lang):
        try:
            found = project.read_segments(rel, lang)
        except BitextError:
            continue  # reported when its article is aligned
        if found is not None:
            existing.append((project.display(project.segment_path(rel, lang)), found))
    memory = TranslationMemory.of(existing)
    known = set(files.files)
    for path in sorted(source.rglob("*.md")):
        rel = path.relative_to(source).as_posix()
        if rel not in known and path.is_file() and path.name.lower() != "toc.md":
            result.findings.append(
                Finding(
                    str(path),
                    1,
                    f"no English article {project.display(project.english_path(rel))}; not aligned",
                    Severity.WARNING,
                    "missing-source",
                    lang=lang,
                )
            )
    todo = []
    for rel in articles:
        if (source / rel).is_file():
            todo.append(rel)
        else:
            result.without_translation += 1
    _CURRENT.append(
        _Job(
            project,
            lang,
            source,
            force,
            write,
            memory,
            {rel: files.texts[rel] for rel in todo},
            Repository.of(project.root),
        )
    )
    done: dict[str, tuple[ArticleAlignment | None, list[Finding]]] = {}
    parallel = len(todo) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1
    try:
        if len(todo) >= PROJECT_FROM:
            sampled = project_sample(todo)
            if parallel:
                # Largest first (both cores busy to the end), learned in the sample's order.
                largest = sorted(sampled, key=lambda rel: -len(files.texts[rel]))
                with _pool() as pool:
                    by_article = dict(zip(largest, pool.imap(_taught_by, largest), strict=True))
                learned = [by_article[rel] for rel in sampled]
            else:
                learned = [_taught_by(rel) for rel in sampled]
            _CURRENT[-1].lexicon, _CURRENT[-1].endings = project_learning(learned)
        if parallel:
            # Largest first, one at a time: the last article a worker takes is a small one,
            # so both cores stay busy to the end.  Each file is written as it comes.
            largest = sorted(todo, key=lambda rel: -len(files.texts[rel]))
            with _pool() as pool:
                for rel, outcome in zip(largest, progress(pool.imap(_align_one, largest)), strict=True):
                    done[rel] = _save(project, rel, lang, *outcome)
        else:
            for rel in progress(todo):
                done[rel] = _save(project, rel, lang, *_align_one(rel))
    finally:
        _CURRENT.pop()
    for rel in todo:
        article, findings = done[rel]
        result.findings.extend(findings)
        if article is not None:
            result.articles.append(article)
    return result


def _save(
    project: Project,
    rel: str,
    lang: str,
    article: ArticleAlignment | None,
    snapshot: Snapshot,
    findings: list[Finding],
    data: str | None,
) -> tuple[ArticleAlignment | None, list[Finding]]:
    """Write an aligned article's segment file (``data``, when it changed), unless changed on disk since read."""
    if article is not None and data is not None:
        try:
            project.write(project.segment_path(rel, lang), data, expect=snapshot)
        except BitextError as exc:
            return None, [*findings, *exc.findings]
    return article, findings


# From this many articles on, two processes align them (the machine's two cores).
PARALLEL_FROM = 40


def _pool() -> multiprocessing.pool.Pool:
    """Two forked workers that leave what they inherit out of the garbage collector's rounds."""
    return multiprocessing.get_context("fork").Pool(min(os.cpu_count() or 1, 2), initializer=gc.freeze)


# Collections of the youngest generation every 100,000 allocations instead of 700 (as a site build's).
_GC_THRESHOLD = (100_000, 50, 1000)


@contextmanager
def _rare_gc_rounds() -> Iterator[None]:
    """Rare cyclic garbage collection for a whole run (the forked workers inherit it).

    Articles are aligned with the collector off (``_no_gc_rounds``); what they
    keep (reports, segment files, the caches of sentences' features and words)
    is young when it is switched on again, and at the default thresholds the
    collector walks it after nearly every article, and everything alive every
    tenth time: 1.7 of 31 s CPU on the corpus, one core, against 0.5 s.
    """
    was = gc.get_threshold()
    gc.set_threshold(*_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*was)


@contextmanager
def _no_gc_rounds() -> Iterator[None]:
    """No cyclic garbage collection while one article is aligned: it makes hundreds of thousands of
    short-lived objects (features, beads, word sets), freed by reference counting, and the collector's
    rounds over them and over everything alive cost an eighth of the CPU.  An article leaves no cycles
    to speak of; the collector runs again between articles."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# From this many articles on, the word pairs and the sentence ends are learned over the project: from every
# SAMPLE_EVERY-th article (at most SAMPLE_MAX articles), a first pass over them before the alignment proper.
PROJECT_FROM = 20
SAMPLE_EVERY = 10
SAMPLE_MAX = 200


def project_sample(rels: list[str]) -> list[str]:
    """The articles whose sure pairs teach a project's word pairs: spread over all of them, a tenth at most.

    The more articles, the more of the rarer words (names, terms) that tell
    similar list items and cells apart the table knows; each costs a first
    pass before the alignment proper (~0.02 s of wall time per article on
    two cores): on the corpus every seventh article instead of every tenth
    found 21 more synthetic targets and 11 fewer real ones for ~0.8 s more,
    which the whole corpus's 15 s bound could not spare.
    """
    step = max(SAMPLE_EVERY, -(-len(rels) // SAMPLE_MAX))
    return sorted(rels)[step // 2 :: step]


@dataclass
class _Job:
    """What every article of one run shares (a forked worker inherits it)."""

    project: Project
    lang: str
    source: Path
    force: bool
    write: bool
    memory: TranslationMemory
    english: dict[str, str]
    repository: Repository | None = None  # the project's git repository: earlier English
    lexicon: Lexicon | None = None  # the project's word pairs, once learned
    endings: Endings | None = None  # how the project's translated sentences end and start, once learned


_CURRENT: list[_Job] = []  # the run in progress, set before the workers fork


def _taught_by(rel: str) -> Taught:
    """What one article of the current job teaches the project (nothing if unreadable)."""
    job = _CURRENT[-1]
    try:
        translation = _translation(job, rel)
    except BitextError:
        return Taught([], Endings())  # reported when the article is aligned
    with _no_gc_rounds():
        return taught(job.english[rel], translation, path=rel, language=job.lang)


def _translation(job: _Job, rel: str) -> str:
    """The translated Markdown of ``rel`` (a BitextError when it cannot be read or leads out of the folder)."""
    path = job.source / rel
    try:
        inside(job.source, path)
    except OutsideRoot:
        raise BitextError.at(str(path), 1, "links out of the translation folder; not followed", "outside") from None
    return read_translation(path, str(path))


def _align_one(rel: str) -> tuple[ArticleAlignment | None, Snapshot, list[Finding], str | None]:
    """One article of the current job: its alignment, what its segment file held when read and the XLIFF to write
    (None: nothing to write); or its findings."""
    job = _CURRENT[-1]
    display = str(job.source / rel)
    try:
        translation = _translation(job, rel)
        old, snapshot = job.project.load_segments(rel, job.lang)
        tag = old.target_language if old is not None else _tag(translation, job.lang)
        history = EnglishHistory(job.repository, job.project.english_path(rel)) if job.repository else None
        made_from = origin(translation, _english_bytes(job, rel), history)
        with _no_gc_rounds():
            done = align_article(
                job.english[rel],
                translation,
                old,
                path=rel,
                language=tag,
                translation_path=display,
                force=job.force,
                memory=job.memory,
                lexicon=job.lexicon,
                origin=made_from,
                endings=job.endings,
            )
        # Serialized here: in a worker, in parallel with the others.
        data = xliff.dumps(done.segment_file, job.project.layout.source_dir) if done.modified and job.write else None
    except BitextError as exc:
        return None, ABSENT, exc.findings, None
    # The units stay here: they are most of what would otherwise cross back to the parent, which needs the report.
    header = dataclasses.replace(done.segment_file, segments=[], archive=[])
    return dataclasses.replace(done, segment_file=header), snapshot, [], data


def _english_bytes(job: _Job, rel: str) -> bytes:
    """The English file as stored (its fingerprint is of the bytes); the text aligned if it cannot be read now."""
    try:
        return job.project.english_path(rel).read_bytes()
    except OSError:
        return job.english[rel].encode("utf-8")


def _tag(translation: str, lang: str) -> str:
    return sxs.language_of(translation) or lang
