/*
 * bitext search worker: the engine behind Material for MkDocs' own search box.
 *
 * Speaks Material's worker protocol (SETUP 0, READY 1, QUERY 2, RESULT 3), so
 * Material's search box and result list render the results unchanged.  It
 * ignores the index Material hands it in SETUP and loads its own language's
 * index, written by bitext.search.index (`search-worker.js?lang=ko`):
 *   search/bitext/ko/meta.json, post.bin      on SETUP (on the first query with &lazy=1)
 *   search/bitext/ko/text/P.json              for the snippets of the results shown
 * The analysis functions (stem, wordTerm, tokenTerms, segment) are twins of
 * bitext.search.latin and bitext.search.korean, rule for rule; the Korean
 * model never leaves the build.
 */
"use strict";

const params = new URL(self.location.href).searchParams;
const LANG = params.get("lang") || "en";
const LAZY = params.get("lazy") === "1";
// The worker is published at assets/bitext/, the indexes at search/bitext/<lang>/.
const BASE = new URL(`../../search/bitext/${encodeURIComponent(LANG)}/`, self.location.href);

/* ---------------------------------------------------------------- analysis */
const LATIN_RE = /[A-Za-z0-9]+(?:[._:\-][A-Za-z0-9]+)*/g;
const SEP_RE = /[._:\-]/;
const CAMEL_RE = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g;
const EOJEOL_RE = /[\uac00-\ud7a3]+/g;
const HANGUL_RE = /[\uac00-\ud7a3]/;
let STOP = new Set();

function hasVowel(s) { return /[aeiouy]/.test(s); }
function undouble(s) {
  if (s.length > 2 && s[s.length - 1] === s[s.length - 2] && !"aeioulsz".includes(s[s.length - 1]))
    return s.slice(0, -1);
  return s;
}
function stem(w) {
  if (w.length <= 3 || !/^[a-z]+$/.test(w)) return w;
  if (w.endsWith("ies") && w.length > 4) w = w.slice(0, -3) + "y";
  else if (w.endsWith("es") && w.length > 4 && ("sxz".includes(w[w.length - 3]) || w.endsWith("ches") || w.endsWith("shes"))) w = w.slice(0, -2);
  else if (w.endsWith("s") && !(w.endsWith("ss") || w.endsWith("us") || w.endsWith("is"))) w = w.slice(0, -1);
  if (w.endsWith("ied") && w.length > 4) w = w.slice(0, -3) + "y";
  else if (w.endsWith("ing") && w.length > 5 && hasVowel(w.slice(0, -3))) w = undouble(w.slice(0, -3));
  else if (w.endsWith("ed") && w.length > 4 && hasVowel(w.slice(0, -2))) w = undouble(w.slice(0, -2));
  if (w.endsWith("e") && w.length > 3) w = w.slice(0, -1);
  return w;
}
function wordTerm(w) { return /^[a-z]+$/.test(w) ? stem(w) : w; }
function camel(tok) {
  const pieces = tok.match(CAMEL_RE) || [];
  if (pieces.length >= 3 && tok.length >= 8) return pieces.map(p => wordTerm(p.toLowerCase()));
  return [];
}
/* [term, primary] pairs for one identifier-ish token (original case) */
function tokenTerms(tok) {
  const out = [];
  const low = tok.toLowerCase();
  const parts = tok.split(SEP_RE);
  if (parts.length === 1) {
    out.push([wordTerm(low), true]);
    for (const t of camel(tok)) out.push([t, false]);
    return out;
  }
  out.push([low, true]);
  if (tok.includes("-") && parts.every(p => /^[A-Za-z]+$/.test(p)))
    out.push([parts.map(p => p.toLowerCase()).join(""), false]);
  for (const p of parts) {
    out.push([wordTerm(p.toLowerCase()), false]);
    for (const t of camel(p)) out.push([t, false]);
  }
  return out;
}
function normalize(s) { return s.normalize("NFKC"); }

/* Korean query word -> vocabulary terms (DP; twin of bitext.search.korean.segment) */
function segment(w, has, tails, empty = new Set(), maxPiece = 12) {
  const n = w.length, INF = 1e9;
  const best = new Array(n + 1).fill(INF), back = new Array(n + 1).fill(null);
  best[0] = 0;
  for (let i = 0; i < n; i++) {
    if (best[i] >= INF) continue;
    for (let j = i + 1; j <= Math.min(n, i + maxPiece); j++) {
      const piece = w.slice(i, j);
      if (has(piece)) {
        const c = best[i] + 1.0;
        if (c < best[j]) { best[j] = c; back[j] = [i, "v"]; }
      } else if (empty.has(piece) && (j === n || tails.has(w.slice(j)))) {
        const c = best[i] + 1.0;
        if (c < best[j]) { best[j] = c; back[j] = [i, "e"]; }
      }
      if (j === n && tails.has(piece) && (i > 0 || !has(w))) {
        const c = best[i] + 0.3 + 0.05 * (j - i);
        if (c < best[j]) { best[j] = c; back[j] = [i, "t"]; }
      }
    }
    const c = best[i] + 2.5;
    if (c < best[i + 1]) { best[i + 1] = c; back[i + 1] = [i, "u"]; }
  }
  const pieces = [];
  for (let j = n; j > 0;) { const [i, kind] = back[j]; pieces.push([w.slice(i, j), kind]); j = i; }
  pieces.reverse();
  const terms = [], unknown = [];
  let run = "";
  for (const [p, kind] of pieces) {
    if (kind === "u") { run += p; continue; }
    if (run) { unknown.push(run); run = ""; }
    if (kind === "v") terms.push(p);
  }
  if (run) unknown.push(run);
  return [terms, unknown];
}

/* ---------------------------------------------------------------- index */
let IDX = null;
let loading = null;

function readVarints(buf) {
  // decode the whole postings blob into flat typed arrays
  const u8 = new Uint8Array(buf);
  let pos = 0;
  function v() {
    let x = 0, shift = 0, b;
    do { b = u8[pos++]; x += (b & 0x7f) * Math.pow(2, shift); shift += 7; } while (b & 0x80);
    return x;
  }
  return { v, done: () => pos >= u8.length };
}

async function load() {
  if (loading) return loading;
  loading = (async () => {
    // meta.json is revalidated on every load; its id names the version of everything else.
    const meta = await fetch(new URL("meta.json", BASE), { cache: "no-cache" }).then(r => r.json());
    const bin = await fetch(new URL(`post.bin?v=${meta.id}`, BASE)).then(r => r.arrayBuffer());
    const vocab = meta.vocab.split("\n");
    const T = vocab.length, N = meta.n;
    const start = new Uint32Array(T + 1);
    const rd = readVarints(bin);
    const pages = [], codes = [], secs = [];
    for (let t = 0; t < T; t++) {
      start[t] = pages.length;
      const n = rd.v();
      let prev = 0;
      for (let k = 0; k < n; k++) { prev += rd.v(); pages.push(prev); codes.push(rd.v()); secs.push(rd.v()); }
    }
    start[T] = pages.length;
    const id = new Map();
    vocab.forEach((t, i) => id.set(t, i));
    const len = Float64Array.from(meta.len);
    const avg = len.reduce((a, b) => a + b, 0) / Math.max(1, N);
    STOP = new Set(meta.stop || []);
    IDX = {
      meta, vocab, id, N, start, pages: Uint32Array.from(pages), codes: Uint32Array.from(codes),
      secs: Uint16Array.from(secs),
      len, avg, tlen: meta.tlen, tails: new Set(meta.tails || []), exc: meta.exc || {}, empty: new Set(meta.empty || []),
      texts: new Map(), syn: meta.syn || {}
    };
    return IDX;
  })();
  return loading;
}

function df(t) { return IDX.start[t + 1] - IDX.start[t]; }
function idf(t) { const d = df(t); return Math.log(1 + (IDX.N - d + 0.5) / (d + 0.5)); }

/* vocabulary terms starting with `prefix` (most frequent first) */
function prefixTerms(prefix, limit = 40) {
  const v = IDX.vocab;
  let lo = 0, hi = v.length;
  while (lo < hi) { const m = (lo + hi) >> 1; if (v[m] < prefix) lo = m + 1; else hi = m; }
  const out = [];
  for (let i = lo; i < v.length && v[i].startsWith(prefix); i++) out.push(i);
  out.sort((a, b) => df(b) - df(a));
  return out.slice(0, limit);
}

/* vocabulary terms within one edit of w (typos in longer Latin words) */
function within1(a, b) {
  const la = a.length, lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0, j = 0, edits = 0;
  while (i < la && j < lb) {
    if (a[i] === b[j]) { i++; j++; continue; }
    if (++edits > 1) return false;
    if (la > lb) i++; else if (lb > la) j++; else if (a[i + 1] === b[j] && a[i] === b[j + 1]) { i += 2; j += 2; } else { i++; j++; }
  }
  return edits + (la - i) + (lb - j) <= 1;
}
function fuzzyTerms(w, limit = 8) {
  const out = [];
  if (w.length < 5 || !/^[a-z]+$/.test(w)) return out;
  const v = IDX.vocab;
  for (let i = 0; i < v.length; i++) {
    const t = v[i];
    if (t[0] === w[0] && Math.abs(t.length - w.length) <= 2 && (within1(w, t) || within1(stem(w), t))) out.push(i);
  }
  out.sort((a, b) => df(b) - df(a));
  return out.slice(0, limit);
}
function synonyms(word, alts, w = 0.9) {
  const have = new Set(alts.map(a => a[0]));
  for (const t of (IDX.syn[word] || [])) {
    const i = IDX.id.get(t);
    if (i !== undefined && !have.has(i)) { alts.push([i, w]); have.add(i); }
  }
  return alts;
}

/* ---------------------------------------------------------------- query */
/* A query is a list of groups; a group is one thing the reader asked for (a word,
 * a code, a cmdlet, a Korean content morpheme); alternatives = [termId, weight]. */
function analyseQuery(raw) {
  const text = normalize(raw);
  const endsOpen = !/\s$/.test(raw);           // the last word may still be typed
  const toks = [];
  for (const m of text.matchAll(LATIN_RE)) toks.push({ s: m[0], at: m.index, latin: true });
  for (const m of text.matchAll(EOJEOL_RE)) toks.push({ s: m[0], at: m.index, latin: false });
  toks.sort((a, b) => a.at - b.at);
  const groups = [];
  const lastAt = toks.length ? toks[toks.length - 1].at : -1;
  const nonStop = toks.filter(t => !(t.latin && STOP.has(t.s.toLowerCase()))).length;
  function add(label, alts, kind, last, whole = true) {
    if (!alts.length) return;
    if (last) groups.prefixOnly = !whole;      // the last word matched only as a prefix: still typed
    const key = alts.map(a => a[0]).sort().join(",");
    if (groups.some(g => g.key === key)) return;
    groups.push({ label, alts, key, kind });
  }
  function withPrefix(alts, prefix, w) {
    const have = new Set(alts.map(a => a[0]));
    for (const t of prefixTerms(prefix)) if (!have.has(t)) alts.push([t, w]);
    return alts;
  }
  for (const tok of toks) {
    const last = tok.at === lastAt && endsOpen;
    if (tok.latin) {
      const low = tok.s.toLowerCase();
      if (STOP.has(low) && nonStop > 0) continue;
      const terms = tokenTerms(tok.s);
      const [whole] = terms[0];
      const wid = IDX.id.get(whole);
      if (terms.length === 1 || SEP_RE.test(tok.s) === false) {
        // plain word (maybe camel-case identifier)
        let alts = wid !== undefined ? [[wid, 1.0]] : [];
        alts = synonyms(low, alts);
        let exact = alts.length > 0;
        if (last || wid === undefined) alts = withPrefix(alts, low, wid === undefined ? 0.8 : 0.6);
        if (!alts.length) { for (const t of fuzzyTerms(low)) alts.push([t, 0.6]); exact = alts.length > 0; }
        if (!alts.length) {                      // unknown word: camel-case / letter-digit pieces (Office365)
          let pieces = terms.slice(1).map(([t]) => t);
          if (!pieces.length) { const ld = low.match(/[a-z]+|[0-9]+/g) || []; if (ld.length > 1) pieces = ld.map(wordTerm); }
          for (const t of pieces) { const i = IDX.id.get(t); if (i !== undefined) add(t, [[i, 1.0]], "part"); }
          groups.missing = (groups.missing || []).concat([low]);
          continue;
        }
        add(low, alts, "latin", last, exact);
      } else {
        // compound: cmdlet, code, header token — whole first, parts only as a fallback
        let alts = wid !== undefined ? [[wid, 1.0]] : [];
        alts = synonyms(low, alts);
        const exact = alts.length > 0;
        if (last || wid === undefined) alts = withPrefix(alts, low, 0.8);
        // Verb-Noun: a page whose machine translation dropped or translated the verb
        // (Set-X → X, New-X → 새-X) still names the noun; it ranks after the whole cmdlet.
        const cmdlet = /^[A-Za-z]+-([A-Za-z]{6,})$/.exec(tok.s);
        if (alts.length && cmdlet) {
          const nid = IDX.id.get(wordTerm(cmdlet[1].toLowerCase()));
          if (nid !== undefined && !alts.some(a => a[0] === nid)) alts.push([nid, W.cmdletNoun]);
        }
        if (alts.length) {
          add(low, alts, "compound", last, exact);
          // its parts re-rank the pages holding the compound (the page about SFV:* headers,
          // about *-HostedContentFilterPolicy cmdlets) but never match on their own
          const g = groups[groups.length - 1];
          if (g && g.label === low) {
            g.aux = [];
            for (const [t] of terms.slice(1)) {
              const i = IDX.id.get(t);
              if (i !== undefined && !STOP.has(t) && !g.aux.includes(i) && i !== wid) g.aux.push(i);
            }
          }
          continue;
        }
        const parts = [];
        for (const [t, prim] of terms.slice(1)) {
          const i = IDX.id.get(t);
          if (i !== undefined && !STOP.has(t)) parts.push([t, i]);
        }
        if (!parts.length) groups.missing = (groups.missing || []).concat([low]);
        for (const [t, i] of parts) add(t, [[i, 1.0]], "part");
      }
    } else {
      const w = tok.s;
      const prev = toks[toks.indexOf(tok) - 1];
      if (prev && prev.latin && prev.at + prev.s.length === tok.at && IDX.tails.has(w)) continue;  // DKIM을
      if (last && !IDX.id.has(w) && !IDX.exc[w] && IDX.syn[w] === undefined) {
        const pre = prefixTerms(w);                  // a word still being typed: 테넌 -> 테넌트
        if (pre.length) { add(w, pre.map(t => [t, 0.8]), "ko", true, false); continue; }
      }
      let terms, unknown = [];
      if (IDX.exc[w]) terms = IDX.exc[w];
      else [terms, unknown] = segment(w, t => IDX.id.has(t) || IDX.syn[t] !== undefined, IDX.tails, IDX.empty);
      terms.forEach((t, k) => {
        let alts = IDX.id.has(t) ? [[IDX.id.get(t), 1.0]] : [];
        alts = synonyms(t, alts);
        if (last && k === terms.length - 1 && !unknown.length) alts = withPrefix(alts, t, 0.5);
        add(t, alts, "ko", last && !unknown.length, true);
      });
      for (const u of unknown) {
        const alts = withPrefix([], u, 0.8);
        if (alts.length) add(u, alts, "ko", last, false);
        else groups.missing = (groups.missing || []).concat([u]);
      }
    }
  }
  return groups;
}

/* ---------------------------------------------------------------- ranking */
// Page-level BM25F: title, heading and description flags add to the body's BM25; identifiers
// (bIdent) barely normalise for length, so long reference pages keep their codes; coord^2 favours
// pages matching more of the query.  Weights set by hand on development queries; nearby values
// score the same within 0.005 MRR.
const W = { title: 2.5, heading: 1.2, desc: 0.6, k1: 1.2, b: 0.75, bIdent: 0.2, coord: 2, titleBoost: 1.0, aux: 0.5,
  phrase: 0.3, phraseTop: 50, cmdletNoun: 0.4 };

function rank(groups) {
  const N = IDX.N, G = groups.length;
  const total = new Float64Array(N), matched = new Uint8Array(N), inTitle = new Uint8Array(N);
  const mask = new Uint32Array(N);
  const titleTerms = new Float64Array(N);
  const gs = new Float64Array(N), gt = new Uint8Array(N), gtw = new Float64Array(N);
  const touched = [];
  groups.forEach((g, gi) => {
    touched.length = 0;
    const b = g.kind === "compound" ? W.bIdent : W.b;     // identifiers: long reference pages are not penalised
    for (const [t, w] of g.alts) {
      const f = idf(t);
      for (let k = IDX.start[t]; k < IDX.start[t + 1]; k++) {
        const p = IDX.pages[k], code = IDX.codes[k];
        const tf = code >>> 3, T = (code >> 2) & 1, H = (code >> 1) & 1, D = code & 1;
        const bm = tf ? tf * (W.k1 + 1) / (tf + W.k1 * (1 - b + b * IDX.len[p] / IDX.avg)) : 0;
        const s = w * f * (W.title * T + W.heading * H + W.desc * D + bm);
        if (gs[p] === 0) touched.push(p);
        if (s > gs[p]) gs[p] = s;
        if (T && w > gtw[p]) { gt[p] = 1; gtw[p] = w; }
      }
    }
    for (const t of g.aux || []) {
      const f = idf(t) * W.aux;
      for (let k = IDX.start[t]; k < IDX.start[t + 1]; k++) {
        const p = IDX.pages[k];
        if (gs[p] === 0) continue;
        const tf = IDX.codes[k] >>> 3;
        gs[p] += f * (tf ? tf * (W.k1 + 1) / (tf + W.k1 * (1 - b + b * IDX.len[p] / IDX.avg)) : 0);
      }
    }
    for (const p of touched) {
      total[p] += gs[p]; matched[p]++;
      if (gi < 32) mask[p] |= (1 << gi) >>> 0;
      if (gt[p]) { inTitle[p]++; titleTerms[p] += gtw[p]; }
      gs[p] = 0; gt[p] = 0; gtw[p] = 0;
    }
  });
  const res = [];
  for (let p = 0; p < N; p++) {
    if (!matched[p]) continue;
    const coord = Math.pow(matched[p] / G, W.coord);
    const cover = IDX.tlen[p] ? Math.min(1, titleTerms[p] / IDX.tlen[p]) : 0;
    const tb = 1 + W.titleBoost * (inTitle[p] / G) * (0.5 + 0.5 * cover);
    res.push({ p, score: total[p] * coord * tb, matched: matched[p], mask: mask[p] });
  }
  res.sort((a, b) => b.score - a.score || a.p - b.p);
  // query words that stand next to each other, in order, in a page title
  if (G > 1 && W.phrase > 0) {
    for (const r of res.slice(0, W.phraseTop)) {
      const adj = titleAdjacency(IDX.meta.pages[r.p][1], groups);
      if (adj) r.score *= 1 + W.phrase * adj / (G - 1);
    }
    res.sort((a, b) => b.score - a.score || a.p - b.p);
  }
  return res;
}

function titleAdjacency(title, groups) {
  const rs = matchRanges(title, groups);
  let adj = 0;
  for (let i = 1; i < rs.length; i++) {
    const gap = title.slice(rs[i - 1][1], rs[i][0]);
    if (rs[i][2] === rs[i - 1][2] + 1 && /^[\s\-:/]*(?:[\w\uac00-\ud7a3]{1,3}[\s]+)?$/.test(gap)) adj++;
  }
  return adj;
}

/* ---------------------------------------------------------------- snippets */
/* the section of page p that most query groups point at (postings carry, per term and
 * page, the section where the term weighs most) */
function bestSection(p, groups) {
  const votes = new Map();
  for (const g of groups) {
    let best = -1, bw = 0;
    for (const [t, w] of g.alts) {
      let lo = IDX.start[t], hi = IDX.start[t + 1];
      while (lo < hi) { const m = (lo + hi) >> 1; if (IDX.pages[m] < p) lo = m + 1; else hi = m; }
      if (lo < IDX.start[t + 1] && IDX.pages[lo] === p && w * idf(t) > bw) { bw = w * idf(t); best = IDX.secs[lo]; }
    }
    if (best >= 0) votes.set(best, (votes.get(best) || 0) + 1 + bw / 100);
  }
  let sec = 0, top = -1;
  for (const [k, v] of votes) if (v > top || (v === top && k < sec)) { top = v; sec = k; }
  return sec;
}

/* the text file holding section s of page p: [file name, index of s in it] (pages of
 * several files list the first section of each in meta.chunks) */
function chunkOf(p, s) {
  const starts = IDX.meta.chunks[p];
  if (!starts) return [`${p}`, s];
  let c = 0;
  while (c + 1 < starts.length && starts[c + 1] <= s) c++;
  return [`${p}-${c}`, s - starts[c]];
}

function sectionText(p, s) {
  const [name, at] = chunkOf(p, s);
  let t = IDX.texts.get(name);
  if (!t) {
    t = fetch(new URL(`text/${name}.json?v=${IDX.meta.id}`, BASE)).then(r => r.json()).catch(() => []);
    IDX.texts.set(name, t);
  }
  return t.then(sections => sections[at] || ["", "", ""]);
}

function escapeHTML(s) {
  return s.replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/* match ranges of the query groups in a text: [[start, end, groupIndex], ...] */
function matchRanges(text, groups) {
  const ranges = [];
  const latin = new Map();          // term -> group index
  const ko = [];
  groups.forEach((g, gi) => {
    for (const [t] of g.alts) {
      const term = IDX.vocab[t];
      if (HANGUL_RE.test(term)) ko.push([term, gi]);
      else if (!latin.has(term)) latin.set(term, gi);
    }
  });
  if (latin.size) {
    const norm = normalize(text);
    for (const m of norm.matchAll(LATIN_RE)) {
      for (const [t] of tokenTerms(m[0])) {
        if (latin.has(t)) { ranges.push([m.index, m.index + m[0].length, latin.get(t)]); break; }
      }
    }
  }
  for (const [term, gi] of ko) {
    // tolerate machine-translation spacing inside the word (테 넌 트)
    const re = new RegExp(term.split("").map(c => c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(" ?"), "g");
    for (const m of text.matchAll(re)) ranges.push([m.index, m.index + m[0].length, gi]);
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const out = [];
  for (const r of ranges) if (!out.length || r[0] >= out[out.length - 1][1]) out.push(r);
  return out;
}

function groupsHit(ranges, groups) {
  let s = 0;
  const seen = new Set();
  for (const r of ranges) if (!seen.has(r[2])) { seen.add(r[2]); s += groups[r[2]].weight; }
  return s;
}

function highlight(text, ranges) {
  let out = "", pos = 0;
  for (const [a, b] of ranges) {
    out += escapeHTML(text.slice(pos, a)) + "<mark data-md-highlight>" + escapeHTML(text.slice(a, b)) + "</mark>";
    pos = b;
  }
  return out + escapeHTML(text.slice(pos));
}

const SNIPPET = 240;
function snippet(text, groups) {
  const sentences = [];
  const re = /[^\n]+?(?:[.!?。](?=\s)|\n|$)/g;
  for (const m of text.matchAll(re)) { if (m[0].trim()) sentences.push([m.index, m[0]]); }
  let best = null, bestScore = -1;
  for (const [, s] of sentences) {
    const r = matchRanges(s, groups);
    const sc = groupsHit(r, groups) + (r.length ? 0.01 : 0);
    if (sc > bestScore) { bestScore = sc; best = [s, r]; }
  }
  if (!best) return "";
  const [s, r] = best;
  if (s.length > SNIPPET) {
    const first = r.length ? r[0][0] : 0;
    const a = Math.max(0, Math.min(first - 60, s.length - SNIPPET));
    const cut = s.slice(a, a + SNIPPET);
    const shifted = matchRanges(cut, groups);
    return `<p>${a > 0 ? "… " : ""}${highlight(cut, shifted)}${a + SNIPPET < s.length ? " …" : ""}</p>`;
  }
  return `<p>${highlight(s, r)}</p>`;
}

/* ---------------------------------------------------------------- search */
let latestQuery = 0;

async function search(raw, seq) {
  if (!raw.trim()) return { items: [] };
  await load();
  const groups = analyseQuery(raw);
  if (!groups.length) return { items: [] };
  groups.forEach(g => { g.weight = Math.max(...g.alts.map(([t, w]) => w * idf(t))); });
  const ranked = rank(groups);
  if (!ranked.length) return { items: [] };
  const top = ranked[0].score;
  const shown = ranked.filter(r => r.score >= top * 0.02).slice(0, 50);
  // Section texts (snippets) are fetched for the top 10 only when the query looks settled:
  // not superseded by a newer query, and its last word is a whole indexed word (not a
  // prefix still being typed). Otherwise only already-fetched texts are used.
  const settled = seq === latestQuery && !groups.prefixOnly;
  const top10 = shown.slice(0, 10).map(r => [r.p, bestSection(r.p, groups)]);
  const texts = await Promise.all(top10.map(([p, sec]) =>
    settled || IDX.texts.has(chunkOf(p, sec)[0]) ? sectionText(p, sec) : Promise.resolve(null)));
  const items = shown.map((r, k) => {
    const [url, title] = IDX.meta.pages[r.p];
    const terms = {};
    groups.forEach((g, gi) => { terms[g.label] = gi < 32 ? !!(r.mask & (1 << gi)) : true; });
    for (const m of groups.missing || []) terms[m] = false;
    const titleHtml = highlight(title, matchRanges(title, groups));
    const doc = texts[k];
    if (!doc) return [{ location: url, title: titleHtml, text: "", score: r.score, terms }];
    const [anchor, heading, text] = doc;
    const snip = snippet(text || heading || "", groups);
    if (!anchor)
      return [{ location: url, title: titleHtml, text: snip, score: r.score, terms }];
    return [
      { location: url, title: titleHtml, text: "", score: r.score, terms },
      { location: `${url}#${anchor}`, title: highlight(heading, matchRanges(heading, groups)), text: snip, score: r.score, terms }
    ];
  });
  return { items };
}

/* ---------------------------------------------------------------- protocol */
let chain = Promise.resolve();
let seqCounter = 0;
self.addEventListener("message", ev => {
  const msg = ev.data || {};
  if (msg.type === 0) {                     // SETUP: start loading our own index, ignore Material's docs
    if (!LAZY) load().catch(e => console.warn("bitext search: index failed to load", e));
    self.postMessage({ type: 1 });          // READY: queries wait for the index below
  } else if (msg.type === 2) {              // QUERY
    const seq = ++seqCounter;
    latestQuery = seq;
    chain = chain.then(() => search(String(msg.data || ""), seq))
      .catch(e => { console.warn("bitext search:", e); return { items: [] }; })
      .then(data => self.postMessage({ type: 3, data }));
  }
});

/* node (the tests) loads this file as a module */
if (typeof module !== "undefined")
  module.exports = { stem, tokenTerms, segment, search, load };
