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
from dataclasses import dataclass
from pathlib import Path

from bitext.search import acronyms as acronyms_
from bitext.search import latin, synonyms
from bitext.search.korean import EMPTY_STEMS, Analyzer
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
    texts: list[str] = []
    owners: list[tuple[int, str, int]] = []  # (page, field, section)
    sections_of: list[list[Section]] = []
    for p, page in enumerate(pages):
        sections = page.sections or [Section("", "", 1, "")]
        sections_of.append(sections)
        texts += [page.title, page.description]
        owners += [(p, TITLE, 0), (p, DESCRIPTION, 0)]
        for s, section in enumerate(sections):
            if section.heading:
                texts.append(section.heading)
                owners.append((p, HEADING, s))
            texts.append(section.text)
            owners.append((p, BODY, s))

    analysis = korean.analyse(texts) if korean is not None else None
    expander = acronyms_.Expander(acronyms if acronyms is not None else acronyms_.find(texts))
    counts: list[defaultdict[str, Counter[str]]] = [defaultdict(Counter) for _ in pages]  # page → field → term counts
    weights: list[defaultdict[str, Counter[int]]] = [defaultdict(Counter) for _ in pages]  # page → term → weights
    for i, (p, where, s) in enumerate(owners):
        found = list(latin.terms(texts[i]))
        if analysis is not None:
            found += analysis.terms(i)
        found += expander.terms(texts[i])
        counts[p][where].update(found)
        if where == HEADING:
            counts[p][BODY].update(found)  # a heading is body text too
        if where in (HEADING, BODY):
            weight = _HEADING_WEIGHT if where == HEADING else 1
            for term in found:
                weights[p][term][s] += weight

    vocabulary = sorted({t for fields in counts for c in fields.values() for t in c})
    term_id = {t: k for k, t in enumerate(vocabulary)}
    postings: list[list[tuple[int, int, int]]] = [[] for _ in vocabulary]
    for p, fields in enumerate(counts):
        body, title, heading, description = fields[BODY], fields[TITLE], fields[HEADING], fields[DESCRIPTION]
        for term in set(body) | set(title) | set(heading) | set(description):
            code = (
                (min(body[term], _TF_MAX) << 3)
                | ((term in title) << 2)
                | ((term in heading) << 1)
                | (term in description)
            )
            by_section = weights[p].get(term)
            best = min(by_section.items(), key=lambda kv: (-kv[1], kv[0]))[0] if by_section else 0
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
    chunks = {p: _chunks(sections) for p, sections in enumerate(sections_of)}
    meta = {
        "v": FORMAT,
        "lang": lang,
        "n": len(pages),
        "chunks": {str(p): starts for p, starts in chunks.items() if len(starts) > 1},
        "pages": [[page.url, page.title] for page in pages],
        "len": [sum(fields[BODY].values()) for fields in counts],
        "tlen": [len(fields[TITLE]) for fields in counts],
        "vocab": "\n".join(vocabulary),
        "tails": tails,
        "exc": exceptions,
        "empty": sorted(EMPTY_STEMS) if analysis is not None else [],
        "stop": sorted(latin.STOP_WORDS),
        "syn": {
            word: [t for t in found if t in term_id] for word, found in synonyms.table(lang, extra_synonyms).items()
        },
    }
    serialized = _dumps(meta)
    meta["id"] = hashlib.sha1(serialized.encode("utf-8") + bytes(blob)).hexdigest()[:12]

    if out_dir.exists():
        shutil.rmtree(out_dir)
    (out_dir / "text").mkdir(parents=True)
    (out_dir / "post.bin").write_bytes(bytes(blob))
    meta_text = _dumps(meta)
    (out_dir / "meta.json").write_text(meta_text, encoding="utf-8")
    for p, sections in enumerate(sections_of):
        starts = chunks[p]
        for c, (start, end) in enumerate(zip(starts, [*starts[1:], len(sections)], strict=False)):
            name = f"{p}" if len(starts) == 1 else f"{p}-{c}"
            (out_dir / "text" / f"{name}.json").write_text(
                _dumps([[s.anchor, s.heading, s.text] for s in sections[start:end]]), encoding="utf-8"
            )
    return IndexStats(
        lang,
        len(pages),
        len(vocabulary),
        sum(len(p) for p in postings),
        len(meta_text.encode("utf-8")) + len(blob),
        sum(len(s) for s in sections_of),
        len(tails),
        len(exceptions),
    )
