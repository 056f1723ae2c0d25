"""One language's search index, written as static files for the browser worker.

Files in the index folder (``search/bitext/<lang>/`` of the site):

``meta.json``
    pages ``[url, title]``, body lengths, title term counts, the vocabulary
    (sorted, ``\\n``-joined), the Korean query tables (tails, exceptions), stop
    words, query synonyms, and ``id``, a hash of the index the worker appends
    to every other URL so a rebuilt site is never read from a stale cache.
``post.bin``
    for each term of the vocabulary in order: the number of pages, then per
    page (ascending) three varints: page delta, ``body tf << 3 | title << 2 |
    heading << 1 | description``, and the section where the term weighs most
    (a heading counts three times), which a result links to.
``text/P.json``
    ``[[anchor, heading, text], ...]``, the sections of page P, fetched only
    for the results shown, to make their snippets.  A long page is cut into
    files of about ``CHUNK`` characters, ``text/P-0.json``, ``text/P-1.json``
    …, and ``meta.json``'s ``chunks`` gives the first section of each.

Nothing here depends on MkDocs: ``build`` takes ``sections.Page`` objects.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bitext.search import acronyms as acronyms_
from bitext.search import latin, synonyms
from bitext.search.korean import EMPTY_STEMS, Analysis, Analyzer, Counts, Probes, Reading, count_texts
from bitext.search.sections import Page, Section

FORMAT = 1
TITLE, HEADING, DESCRIPTION, BODY = "title", "heading", "description", "body"
_TF_MAX = 4095
CHUNK = 6_000  # characters per text file (18 KB of Korean): a snippet never fetches a whole long page
_HEADING_WEIGHT = 3


@dataclass
class IndexStats:
    lang: str
    pages: int
    terms: int
    postings: int
    bytes: int  # meta.json + post.bin: what a first search downloads, besides the worker
    sections: int
    tails: int = 0
    exceptions: int = 0


def _varint(n: int, out: bytearray) -> None:
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)


def _chunks(sections: list[Section]) -> list[int]:
    """The first section of each text file of a page."""
    starts, size = [0], 0
    for s, section in enumerate(sections):
        length = len(section.heading) + len(section.text)
        if size and size + length > CHUNK:
            starts.append(s)
            size = 0
        size += length
    return starts


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def build(
    pages: list[Page],
    lang: str,
    out_dir: Path,
    *,
    acronyms: dict[str, str] | None = None,
    extra_synonyms: dict[str, list[str]] | None = None,
    korean: Analyzer | None = None,
) -> IndexStats:
    """Write the index of ``pages`` (all in ``lang``) to ``out_dir``, replacing what was there.

    ``korean`` analyses the Korean text (kiwipiepy); without it only Latin
    tokens are indexed.  ``acronyms`` is ``acronyms.find``'s table (learned
    from the whole docset, so every language shares it).
    """
    return Index(lang, korean).build(pages, out_dir, acronyms=acronyms, extra_synonyms=extra_synonyms)


class Cancelled(Exception):
    """``Index.build`` stopped because its ``stop`` said so; the folder is as it was."""


@dataclass
class _PageTerms:
    """What one page adds to the index: each term's (code, best section), its body length, its title's terms."""

    postings: dict[str, tuple[int, int]]
    length: int
    title_terms: int
    probes: Probes | None  # what its Korean terms asked of the docset


def _fields(page: Page) -> tuple[list[str], list[tuple[str, int]], list[Section]]:
    """The texts of a page's fields, the (field, section) each belongs to, and its sections."""
    sections = page.sections or [Section("", "", 1, "")]
    texts, owners = [page.title, page.description], [(TITLE, 0), (DESCRIPTION, 0)]
    for s, section in enumerate(sections):
        if section.heading:
            texts.append(section.heading)
            owners.append((HEADING, s))
        texts.append(section.text)
        owners.append((BODY, s))
    return texts, owners, sections


def texts(page: Page) -> list[str]:
    """Every text of ``page`` an index analyses: what a Korean analyzer can read ahead (``Analyzer.read_ahead``)."""
    return _fields(page)[0]


class Index:
    """One language's index, made again after edits (``mkdocs serve``): the same files as ``build`` makes.

    A page's terms depend on its own text and on what the whole docset says
    (the acronyms table, the Korean statistics that repair compound nouns and
    split syllables: ``korean.Analysis.context``).  Each page's terms are kept
    with the context they were made in, each page's Korean statistics with its
    text, and the files as last written: after an edit, only the pages whose
    text or context changed are analysed again, and only the files whose bytes
    changed are written.  The vocabulary, postings and query tables are made
    again from the kept pages every time.
    """

    def __init__(self, lang: str, korean: Analyzer | None = None):
        self.lang = lang
        self.korean = korean
        self._context: tuple | None = None
        self._terms: dict[tuple, _PageTerms] = {}  # by the page's texts and their fields, in self._context
        self._counts: dict[tuple[str, ...], Counts] = {}  # by the page's texts
        self._texts: dict[tuple, list[str]] = {}  # by the page's sections: its text files' contents
        self._folder: Path | None = None
        self._written: dict[str, bytes] = {}  # what the folder holds, as this index wrote it
        self.analysed = 0  # pages whose terms the last build made (the others were kept)

    @property
    def empty(self) -> bool:
        """No page analysed yet: the next build analyses every page."""
        return not self._terms

    def adopt(self, out_dir: Path, files: dict[str, bytes]) -> None:
        """``out_dir`` holds ``files``, written by another (a build cache): the next build writes what differs."""
        self._folder, self._written = out_dir, dict(files)

    def build(
        self,
        pages: list[Page],
        out_dir: Path,
        *,
        acronyms: dict[str, str] | None = None,
        extra_synonyms: dict[str, list[str]] | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> IndexStats:
        """Write the index of ``pages`` to ``out_dir``; ``stop`` is asked between pages (``Cancelled``)."""
        fields = [_fields(page) for page in pages]
        texts = [text for page_texts, _, _ in fields for text in page_texts]
        analysis = None
        if self.korean is not None:
            analysis = self.korean.analyse(texts, lambda readings: self._page_counts(fields, readings))
        table = acronyms if acronyms is not None else acronyms_.find(texts)
        expander = acronyms_.Expander(table)
        context = (table, analysis.context() if analysis is not None else None)
        kept = self._terms
        if context != self._context:
            old = self._context
            if old is None or old[0] != table or analysis is None:
                kept = {}
            else:  # the Korean statistics changed: keep the pages whose terms did not ask about what changed
                affected = analysis.changed(old[1])
                kept = {key: entry for key, entry in kept.items() if entry.probes and not affected(entry.probes)}
        terms: dict[tuple, _PageTerms] = {}
        entries = []
        self.analysed = 0
        for page_texts, owners, _ in fields:
            if stop is not None and stop():
                raise Cancelled
            key = (tuple(page_texts), tuple(owners))
            entry = terms.get(key) or kept.get(key)
            if entry is None:
                probes = self._counts[key[0]].probes if analysis is not None else None
                entry = _page_terms(page_texts, owners, analysis, expander, probes)
                self.analysed += 1
            terms[key] = entry
            entries.append(entry)
        self._context, self._terms = context, terms

        vocabulary = sorted({t for entry in entries for t in entry.postings})
        term_id = {t: k for k, t in enumerate(vocabulary)}
        postings: list[list[tuple[int, int, int]]] = [[] for _ in vocabulary]
        for p, entry in enumerate(entries):
            for term, (code, best) in entry.postings.items():
                postings[term_id[term]].append((p, code, best))
        blob = bytearray()
        for plist in postings:
            _varint(len(plist), blob)
            previous = 0
            for p, code, best in plist:  # pages ascending: they were added page by page
                _varint(p - previous, blob)
                previous = p
                _varint(code, blob)
                _varint(best, blob)

        tails, exceptions = analysis.query_tables(set(vocabulary)) if analysis is not None else ([], {})
        chunks = {p: _chunks(sections) for p, (_, _, sections) in enumerate(fields)}
        meta = {
            "v": FORMAT,
            "lang": self.lang,
            "n": len(pages),
            "chunks": {str(p): starts for p, starts in chunks.items() if len(starts) > 1},
            "pages": [[page.url, page.title] for page in pages],
            "len": [entry.length for entry in entries],
            "tlen": [entry.title_terms for entry in entries],
            "vocab": "\n".join(vocabulary),
            "tails": tails,
            "exc": exceptions,
            "empty": sorted(EMPTY_STEMS) if analysis is not None else [],
            "stop": sorted(latin.STOP_WORDS),
            "syn": {
                word: [t for t in found if t in term_id]
                for word, found in synonyms.table(self.lang, extra_synonyms).items()
            },
        }
        serialized = _dumps(meta)
        meta["id"] = hashlib.sha1(serialized.encode("utf-8") + bytes(blob)).hexdigest()[:12]
        meta_text = _dumps(meta)
        files = {"post.bin": bytes(blob), "meta.json": meta_text.encode("utf-8")}
        text_files: dict[tuple, list[str]] = {}
        for p, (_, _, sections) in enumerate(fields):
            shown = tuple((s.anchor, s.heading, s.text) for s in sections)
            contents = text_files.get(shown) or self._texts.get(shown)
            if contents is None:
                starts = chunks[p]
                contents = [
                    _dumps([[s.anchor, s.heading, s.text] for s in sections[start:end]])
                    for start, end in zip(starts, [*starts[1:], len(sections)], strict=False)
                ]
            text_files[shown] = contents
            for c, content in enumerate(contents):
                name = f"{p}" if len(contents) == 1 else f"{p}-{c}"
                files[f"text/{name}.json"] = content.encode("utf-8")
        self._texts = text_files
        if stop is not None and stop():
            raise Cancelled
        self._write(out_dir, files)
        return IndexStats(
            self.lang,
            len(pages),
            len(vocabulary),
            sum(len(p) for p in postings),
            len(files["meta.json"]) + len(blob),
            sum(len(sections) for _, _, sections in fields),
            len(tails),
            len(exceptions),
        )

    def _page_counts(self, fields: list, readings: dict[str, Reading]) -> list[Counts]:
        counts: dict[tuple[str, ...], Counts] = {}
        out = []
        for page_texts, _, _ in fields:
            key = tuple(page_texts)
            found = counts.get(key) or self._counts.get(key)
            if found is None:
                found = count_texts(page_texts, readings)
            counts[key] = found
            out.append(found)
        self._counts = counts
        return out

    def _write(self, out_dir: Path, files: dict[str, bytes]) -> None:
        """The folder holds ``files`` and nothing else: written whole, or only what changed since the last time."""
        if self._folder != out_dir or not out_dir.is_dir():
            if out_dir.exists():
                shutil.rmtree(out_dir)
            self._written = {}
        (out_dir / "text").mkdir(parents=True, exist_ok=True)
        for name in [name for name in self._written if name not in files]:
            (out_dir / name).unlink(missing_ok=True)
        for name, data in files.items():
            path = out_dir / name
            if self._written.get(name) != data or not path.is_file():
                path.write_bytes(data)
        self._folder, self._written = out_dir, files


def _page_terms(
    texts: list[str],
    owners: list[tuple[str, int]],
    analysis: Analysis | None,
    expander: acronyms_.Expander,
    probes: Probes | None,
) -> _PageTerms:
    counts: defaultdict[str, Counter[str]] = defaultdict(Counter)  # field → term counts
    weights: defaultdict[str, Counter[int]] = defaultdict(Counter)  # term → section → weight
    for text, (where, s) in zip(texts, owners, strict=True):
        found = list(latin.terms(text))
        if analysis is not None:
            found += analysis.text_terms(text)
        found += expander.terms(text)
        counts[where].update(found)
        if where == HEADING:
            counts[BODY].update(found)  # a heading is body text too
        if where in (HEADING, BODY):
            weight = _HEADING_WEIGHT if where == HEADING else 1
            for term in found:
                weights[term][s] += weight
    body, title, heading, description = counts[BODY], counts[TITLE], counts[HEADING], counts[DESCRIPTION]
    postings = {}
    for term in set(body) | set(title) | set(heading) | set(description):
        code = (
            (min(body[term], _TF_MAX) << 3) | ((term in title) << 2) | ((term in heading) << 1) | (term in description)
        )
        by_section = weights.get(term)
        best = min(by_section.items(), key=lambda kv: (-kv[1], kv[0]))[0] if by_section else 0
        postings[term] = (code, best)
    return _PageTerms(postings, sum(body.values()), len(title), probes)
