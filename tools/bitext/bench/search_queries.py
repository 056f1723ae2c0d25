"""Reader-style queries generated from the corpus at run time (never committed: no corpus text in the repository).

Each query is made from one page of ``corpus/en`` or ``corpus/ko`` and expects
that page (Korean URLs under ``ko/``).  A hash of the query text puts it in
the ``tune`` or the ``test`` half, so the halves are disjoint and stable:
develop on one, judge on the other.

English kinds: ``title-en`` (page titles, sometimes shortened or lower-cased),
``phrase-en`` (the content words of a heading only one page has),
``sentence-en`` (3-4 rare words of a sentence only one page has), ``code``
(status codes, ``550 5.7.750``, header tokens ``SFV:SPM``), ``cmdlet``,
``cmdlet-part`` (a cmdlet's noun, or its words).  Korean kinds: ``title-ko``,
``phrase-ko``, ``particle-ko`` (the heading's words with particles and
endings changed: 테넌트 → 테넌트가, 설정 → 설정하려면), ``spacing-ko`` (two nouns
glued, or a word the page spells with machine-translation spacing, 테 넌 트,
typed whole), ``acronym-ko`` (an acronym with Korean nouns), ``code`` and
``cmdlet`` on Korean pages.  For codes and cmdlets the expected page is the
one naming it in a heading, else the page with most mentions when it has at
least twice the runner-up (ambiguous ones are dropped).
"""

from __future__ import annotations

import collections
import hashlib
import math
import random
import re
from pathlib import Path

from bitext.lang.ko import HANGUL, SYLLABLES

EN_STOP = set(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "this",
        "to",
        "was",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "you",
        "your",
        "my",
        "me",
        "we",
        "us",
        "not",
        "no",
        "yes",
        "also",
        "about",
        "after",
        "all",
        "any",
        "before",
        "between",
        "both",
        "each",
        "more",
        "most",
        "other",
        "some",
        "such",
        "than",
        "them",
        "they",
        "those",
        "through",
        "under",
        "up",
        "using",
        "use",
        "used",
        "via",
        "within",
        "without",
        "see",
        "following",
        "learn",
        "information",
        "overview",
        "topic",
        "article",
        "office",
        "365",
        "microsoft",
    ]
)
CMDLET = re.compile(
    r"\b(?:Get|Set|New|Remove|Enable|Disable|Add|Start|Stop|Test|Search|Export|Import|Update|Connect|Install|Invoke|Grant|Revoke|Restore|Release|Preview|Resume|Suspend|Register|Validate|Complete|Clear)-[A-Z][A-Za-z]{3,}\b"
)
CODE = re.compile(r"(?<![\w.])(?:\d{3} )?[245]\.\d\.\d{1,3}(?![\w.])")
HEADER_TOKEN = re.compile(r"(?<![\w:])(?:[A-Z]{2,5}):(?:[A-Z0-9]{2,6})(?![\w:])")
ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")


def front_matter(text):
    m = re.match(r"---\n(.*?)\n---\n", text, re.S)
    fm, body = {}, text
    if m:
        body = text[m.end() :]
        for line in m.group(1).splitlines():
            mm = re.match(r"(title|description):\s*(.*)$", line)
            if mm:
                fm[mm.group(1)] = mm.group(2).strip().strip('"').strip("'")
    return fm, body


def clean_inline(s):
    s = re.sub(r"<a name=\"[^\"]*\"></a>", "", s)
    s = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", s)
    s = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", s)
    s = re.sub(r"<[^>]+>", "", s)
    s = re.sub(r"[*_`]+", "", s)
    s = re.sub(r"\s+", " ", s)
    return s.strip()


def load(corpus, lang):
    pages = {}
    for p in sorted((corpus / lang).rglob("*.md")):
        rel = p.relative_to(corpus / lang).as_posix()
        if rel in ("TOC.md", "index.md") or rel.startswith("includes/"):
            continue
        fm, body = front_matter(p.read_text(encoding="utf-8"))
        url = rel[:-3] + "/"
        if lang != "en":
            url = f"{lang}/{url}"
        heads, paras = [], []
        in_code = False
        for line in body.splitlines():
            if line.strip().startswith("```"):
                in_code = not in_code
                continue
            m = re.match(r"^(#{1,6})\s+(.*)$", line)
            if m and not in_code:
                heads.append((len(m.group(1)), clean_inline(m.group(2))))
            elif not in_code and line.strip() and not line.lstrip().startswith(("|", ">", "!", "<")):
                paras.append(clean_inline(re.sub(r"^\s*(?:[-*+]|\d+\.)\s+", "", line)))
        pages[url] = dict(rel=rel, title=clean_inline(fm.get("title", "")), heads=heads, paras=paras, raw=body)
    return pages


def norm(s):
    return re.sub(r"\W+", " ", s.lower()).strip()


def _heading_counts(pages) -> collections.Counter:
    """How many pages have each (normalized) heading: a heading of one page only makes a query."""
    counts: collections.Counter[str] = collections.Counter()
    for p in pages.values():
        counts.update({norm(h) for _, h in p["heads"]})
    return counts


def en_words(s):
    return re.findall(r"[A-Za-z][A-Za-z0-9'-]*[A-Za-z0-9]|[A-Za-z]", s)


def dominant(counter_by_page, heading_pages):
    """Expected page for a token: the one page naming it in a heading, else a dominant page."""
    if len(heading_pages) == 1:
        return next(iter(heading_pages))
    if len(heading_pages) > 1:
        return None
    top = counter_by_page.most_common(2)
    if not top:
        return None
    if len(top) == 1:
        return top[0][0]
    if top[0][1] >= 2 * top[1][1] and top[0][1] >= 3:
        return top[0][0]
    return None


def token_queries(pages, rx, kind, rnd, n, lang):
    counts: collections.defaultdict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    inhead = collections.defaultdict(set)
    for url, pg in pages.items():
        for m in rx.finditer(pg["raw"]):
            counts[m.group(0)][url] += 1
        for _, h in pg["heads"]:
            for m in rx.finditer(h):
                inhead[m.group(0)].add(url)
    out = []
    for tok in sorted(counts):
        exp = dominant(counts[tok], inhead.get(tok, set()))
        if exp:
            out.append((lang, tok, exp, kind))
    rnd.shuffle(out)
    return out[:n]


class Spec:
    """How many pages contain all the words of a query (surface match, no analysis)."""

    def __init__(self, pages, lang):
        self.lang = lang
        self.texts = {
            u: (p["title"] + "\n" + "\n".join(h for _, h in p["heads"]) + "\n" + p["raw"]).lower()
            for u, p in pages.items()
        }
        self.cache = {}

    def has(self, text, w):
        w = w.lower()
        if self.lang == "en":
            return re.search(r"(?<![a-z0-9])" + re.escape(w) + r"(?![a-z0-9])", text) is not None
        return w in text

    def count(self, words):
        return sum(1 for t in self.texts.values() if all(self.has(t, w) for w in words))


def gen_en(pages, rnd):
    out = []
    spec = Spec(pages, "en")
    # titles
    tcount = collections.Counter(norm(p["title"]) for p in pages.values())
    titled = [(u, p["title"]) for u, p in pages.items() if p["title"] and tcount[norm(p["title"])] == 1]
    rnd.shuffle(titled)
    for u, t in titled[:60]:
        q = t
        r = rnd.random()
        if r < 0.4:
            q = re.sub(
                r"\b(in|for|with) (Office 365|Microsoft 365|Exchange Online Protection|EOP|Exchange Online)\b.*$", "", q
            ).strip()
            q = re.sub(r"^(How to|Learn how to|Use|Using)\s+", "", q, flags=re.I)
        if r > 0.7:
            q = q.lower()
        q = q.rstrip(" .?:")
        if len(q) >= 4:
            out.append(("en", q, u, "title-en"))
    # headings unique to a page: all content words (max 6), specific enough
    hcount = _heading_counts(pages)
    cands = []
    for u, p in pages.items():
        for lvl, h in p["heads"]:
            if lvl < 2 or hcount[norm(h)] != 1:
                continue
            words: list[str] = []
            for w in en_words(h):
                if w.lower() not in EN_STOP and w.lower() not in [x.lower() for x in words]:
                    words.append(w)
            if len(words) >= 2:
                cands.append((u, words[:6]))
    rnd.shuffle(cands)
    n = 0
    for u, words in cands:
        if n >= 70:
            break
        if spec.count(words) > 8:
            continue
        q = " ".join(words)
        if rnd.random() < 0.6:
            q = q.lower()
        out.append(("en", q, u, "phrase-en"))
        n += 1
    # sentences unique to a page -> 3-4 content words, specific (<= 3 pages hold them all)
    df: collections.Counter[str] = collections.Counter()
    for p in pages.values():
        df.update({w.lower() for para in p["paras"] for w in en_words(para)})
    N = len(pages)
    scount = collections.Counter(norm(s) for p in pages.values() for s in p["paras"])
    sc = []
    for u, p in pages.items():
        for s in p["paras"]:
            if scount[norm(s)] != 1 or len(s) < 60:
                continue
            words = [w for w in en_words(s) if w.lower() not in EN_STOP and len(w) > 2]
            if len(words) >= 5:
                sc.append((u, words))
    rnd.shuffle(sc)
    n = 0
    for u, words in sc:
        if n >= 60:
            break
        k = rnd.choice([3, 3, 4])
        # Sorted before the random draws: the same sets on every run, whatever the hash seed.
        scored = sorted(sorted({w.lower() for w in words}), key=lambda w: -math.log(N / (1 + df[w])) + 2 * rnd.random())
        keep = set(scored[:k])
        q, seen = [], set()
        for w in words:
            lw = w.lower()
            if lw in keep and lw not in seen:
                q.append(lw)
                seen.add(lw)
        if spec.count(q) > 3:
            continue
        out.append(("en", " ".join(q), u, "sentence-en"))
        n += 1
    out += token_queries(pages, CODE, "code", rnd, 25, "en")
    out += token_queries(pages, HEADER_TOKEN, "code", rnd, 10, "en")
    cm = token_queries(pages, CMDLET, "cmdlet", rnd, 60, "en")
    out += cm[:40]
    for _lang, q, u, _ in cm[40:]:
        noun = q.split("-", 1)[1]
        if rnd.random() < 0.5:
            out.append(("en", noun, u, "cmdlet-part"))
        else:
            out.append(("en", " ".join(re.findall(r"[A-Z][a-z0-9]*", noun)).lower(), u, "cmdlet-part"))
    return out


# ---------------------------------------------------------------------------- Korean
def batchim(ch):
    o = ord(ch) - 0xAC00
    return 0 <= o < 11172 and o % 28 != 0


def with_particle(word, rnd):
    last = word[-1]
    if not HANGUL.match(last):
        return word + rnd.choice(["", "의", "에서"])
    b = batchim(last)
    return word + rnd.choice(["을" if b else "를", "이" if b else "가", "의", "에서", "은" if b else "는"])


LIGHT = ("하", "되", "있", "없", "같", "이", "대하", "위하", "통하", "따르")


def analyse_heading(kiwi, h):
    """Content units of a heading: [form, kind, start, end], kind N(oun), V(erb), P(redicative noun) or L(atin)."""
    toks = kiwi.tokenize(h)
    units = []
    for i, t in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if t.tag in ("NNG", "NNP") and len(t.form) >= 2:
            pred = nxt is not None and nxt.tag in ("XSV", "XSA") and nxt.start == t.start + t.len
            units.append([t.form, "P" if pred else "N", t.start, t.start + t.len])
        elif t.tag in ("SL", "SN"):
            units.append([t.form, "L", t.start, t.start + t.len])
        elif t.tag in ("VV", "VA") and t.form not in LIGHT:
            units.append([t.form, "V", t.start, t.start + t.len])
    return units


def gen_ko(pages, rnd, kiwi):
    out = []
    spec = Spec(pages, "ko")
    tcount = collections.Counter(norm(p["title"]) for p in pages.values())
    titled = [
        (u, p["title"])
        for u, p in pages.items()
        if p["title"] and tcount[norm(p["title"])] == 1 and HANGUL.search(p["title"])
    ]
    rnd.shuffle(titled)
    for u, t in titled[:60]:
        q = t
        if rnd.random() < 0.4:
            q = re.sub(r"^(Office 365|Microsoft 365)\s*(에서|의)?\s*", "", q)
            q = re.sub(r"\s*(Office 365|Exchange Online Protection|EOP)\s*(에서|의)\s*", " ", q).strip()
        q = q.rstrip(" .?:")
        if len(q) >= 3:
            out.append(("ko", q, u, "title-ko"))
    hcount = _heading_counts(pages)
    cands = []
    for u, p in pages.items():
        for lvl, h in p["heads"]:
            if lvl < 2 or hcount[norm(h)] != 1 or not HANGUL.search(h):
                continue
            units = analyse_heading(kiwi, h)
            units = [x for x in units if x[1] != "L" or re.fullmatch(r"[A-Za-z][A-Za-z0-9.-]*", x[0])]
            nouns = [x for x in units if x[1] in ("N", "P")]
            if len(nouns) >= 2 and 2 <= len(units) <= 6 and spec.count([x[0] for x in units]) <= 6:
                cands.append((u, h, units))
    rnd.shuffle(cands)
    phrase: list[tuple] = []
    part: list[tuple] = []
    spacing: list[tuple] = []
    acro: list[tuple] = []
    for u, h, units in cands:
        acr = [x for x in units if x[1] == "L" and ACRONYM.fullmatch(x[0])]
        if acr and len(acro) < 30:
            acro.append(("ko", " ".join(x[0] for x in units if x[1] != "V"), u, "acronym-ko"))
            continue
        if len(phrase) < 50:
            words = [x[0] + "기" if x[1] == "V" else x[0] for x in units]
            phrase.append(("ko", " ".join(words), u, "phrase-ko"))
        elif len(part) < 45:
            words = []
            for i, (f, k, _s, _e) in enumerate(units):
                last = i == len(units) - 1
                if k == "V":
                    rieul = (ord(f[-1]) - 0xAC00) % 28 == 8
                    words.append(
                        f + rnd.choice(["려면" if (not batchim(f[-1]) or rieul) else "으려면", "는 방법", "기"])
                    )
                elif k == "P" and (last or rnd.random() < 0.3):
                    words.append(f + rnd.choice(["하려면", "하는 방법", "하기", "하기"]))
                elif k in ("N", "P") and not last and rnd.random() < 0.5:
                    words.append(with_particle(f, rnd))
                else:
                    words.append(f)
            q = " ".join(words)
            if q != " ".join(x[0] for x in units):
                part.append(("ko", q, u, "particle-ko"))
        elif len(spacing) < 25:
            # glue two nouns that stand next to each other, separated by one space, in the heading
            idx = [
                i
                for i in range(len(units) - 1)
                if units[i][1] in ("N", "P")
                and units[i + 1][1] == "N"
                and units[i + 1][2] == units[i][3] + 1
                and h[units[i][3]] == " "
                and h[units[i][2] : units[i][3]] == units[i][0]
                and h[units[i + 1][2] : units[i + 1][3]] == units[i + 1][0]
            ]
            if idx:
                i = rnd.choice(idx)
                words = [x[0] for x in units[:i]] + [units[i][0] + units[i + 1][0]] + [x[0] for x in units[i + 2 :]]
                spacing.append(("ko", " ".join(w for w in words), u, "spacing-ko"))
    # MT-spaced words in headings, queried correctly ("테 넌 트" -> 테넌트)
    mt = re.compile(rf"(?<![{SYLLABLES}])((?:[{SYLLABLES}] ){{2,}}[{SYLLABLES}])(?=[{SYLLABLES}]{{0,2}}(?:\s|$))")
    mt_c = []
    for u, p in pages.items():
        for _level, h in p["heads"]:
            if hcount[norm(h)] != 1:
                continue
            for m in mt.finditer(h):
                joined = m.group(1).replace(" ", "")
                toks = kiwi.tokenize(joined)
                if (
                    not toks
                    or toks[0].tag not in ("NNG", "NNP")
                    or len(toks[0].form) < 2
                    or not joined.startswith(toks[0].form)
                    or len(joined) - len(toks[0].form) > 1
                ):
                    continue
                joined = toks[0].form
                rest = [
                    x[0] for x in analyse_heading(kiwi, h.replace(m.group(1), joined)) if x[0] != joined and x[1] != "V"
                ][:3]
                if rest:
                    mt_c.append(("ko", " ".join([joined, *rest]), u, "spacing-ko"))
    rnd.shuffle(mt_c)
    out += phrase + part + spacing + mt_c[:15] + acro
    out += [(lang, q, u, k) for lang, q, u, k in token_queries(pages, CODE, "code", rnd, 20, "ko")]
    out += [(lang, q, u, k) for lang, q, u, k in token_queries(pages, CMDLET, "cmdlet", rnd, 30, "ko")]
    return out


def generate(corpus: Path, seed: int = 7) -> dict[str, list[tuple[str, str, str, str]]]:
    """``{"tune": rows, "test": rows}``; a row is ``(lang, query, expected, kind)``."""
    from kiwipiepy import Kiwi

    rows = gen_en(load(corpus, "en"), random.Random(seed)) + gen_ko(load(corpus, "ko"), random.Random(seed + 1), Kiwi())
    seen: set[tuple] = set()
    halves: dict[str, list] = {"tune": [], "test": []}
    for row in rows:
        key = (row[0], row[1].lower(), row[2])
        if key in seen or "\t" in row[1] or not row[1].strip():
            continue
        seen.add(key)
        digest = int(hashlib.sha1(row[1].encode()).hexdigest(), 16)
        halves["tune" if digest % 2 == 0 else "test"].append(row)
    return halves
