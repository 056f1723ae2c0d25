// The search worker run by node over an index on disk (no browser): node search_node.js WORKER SITE LANG REQUEST.json
// REQUEST: {queries: [...], tokens: [...], words: [...], stems: [...], vocab: [...], tails: [...], empty: [...]}; prints the answers as JSON.
"use strict";
const fs = require("fs"), path = require("path");
const [workerFile, site, lang, requestFile] = process.argv.slice(2);
global.self = { location: { href: `http://site.test/assets/bitext/search.js?lang=${lang}` },
  addEventListener() {}, postMessage() {} };
global.fetch = async (url) => {
  const buf = fs.readFileSync(path.join(site, decodeURIComponent(new URL(url).pathname)));
  return { json: async () => JSON.parse(buf.toString("utf8")),
    arrayBuffer: async () => buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length) };
};
const worker = require(path.resolve(workerFile));
(async () => {
  const request = JSON.parse(fs.readFileSync(requestFile, "utf8"));
  const vocab = new Set(request.vocab || []), tails = new Set(request.tails || []), empty = new Set(request.empty || []);
  const out = {
    tokens: (request.tokens || []).map(t => worker.tokenTerms(t)),
    words: (request.words || []).map(w => worker.segment(w, x => vocab.has(x), tails, empty)),
    stems: (request.stems || []).map(w => worker.stem(w)),
    results: []
  };
  if ((request.queries || []).length) {
    await worker.load();
    for (const query of request.queries) out.results.push((await worker.search(query, 0)).items);
  }
  process.stdout.write(JSON.stringify(out));
})();
