"""Site search on the corpus site: bitext's engine against plain Material search, same pages, same queries.

    python -m bitext.bench search [--queries TSV ...] [--generated] [--reuse] [--material-fill] [--out JSONL]

Builds the corpus site as ``bench site`` does (``bitext new`` + the imported
corpus + its TOC and redirects; search by ``bitext.search``) and the plain
mkdocs-static-i18n + Material site of the same pages (one combined lunr
index), then types every query into each site's search box in headless
Chromium (``search_harness``) and prints recall@5 and MRR@5 overall, per
language, per kind and per query set, the queries with other-language pages
in their top 5, the bytes of the first search per language and the latency
from the last keystroke to the results.  Default queries:
``../shared/queries/search-dev.tsv``; ``--generated`` adds the sets
``search_queries`` makes from the corpus.  Sites are built in ``--work``
(default ``.cache/bitext/bench-search``); ``--reuse`` keeps sites built
before.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bitext.bench import measure
from bitext.bench import search_harness as harness
from bitext.bench.site import MKDOCS, _baseline_site, _corpus_site, _env


def parse_options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bitext.bench search")
    parser.add_argument("--queries", type=Path, nargs="+", default=None, help="query TSV files")
    parser.add_argument("--generated", action="store_true", help="add the query sets generated from the corpus")
    parser.add_argument("--work", type=Path, default=Path(".cache/bitext/bench-search"))
    parser.add_argument("--reuse", action="store_true", help="use the sites a previous run built in --work")
    parser.add_argument("--engines", default="bitext,material")
    parser.add_argument(
        "--material-fill",
        action="store_true",
        help="set each query at once on the Material site (typing queues seconds of lunr searches)",
    )
    parser.add_argument("--out", type=Path, help="every query's outcome, as JSON lines")
    return parser.parse_args(argv)


def _build(name: str, make, work: Path, reuse: bool) -> Path:
    root = work / name
    site = root / "site"
    if reuse and (site / "404.html").is_file():
        print(f"{name}: reusing {site}")
        return site
    if root.exists():
        shutil.rmtree(root)
    make(root)
    result = measure([*MKDOCS, "build", "-q"], cwd=root, env=_env())
    print(f"{name}: built in {result.seconds:.1f} s (exit {result.returncode})")
    if result.returncode:
        raise SystemExit(result.stderr[-3000:])
    return site


def run(corpus: Path, options: argparse.Namespace | None = None) -> int:
    options = options or parse_options([])
    files = options.queries or [corpus.parent.parent / "queries" / "search-dev.tsv"]
    queries = harness.read_queries(files)
    work = options.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        if options.generated:
            from bitext.bench.search_queries import generate

            for half, rows in generate(corpus).items():
                path = Path(tmp) / f"generated-{half}.tsv"
                path.write_text(
                    "lang\tquery\texpected\tkind\n" + "".join("\t".join(r) + "\n" for r in rows), encoding="utf-8"
                )
                queries += harness.read_queries([path])
    print(f"{len(queries)} queries ({', '.join(sorted({q.set for q in queries}))})")
    engines = options.engines.split(",")
    bitext_site = _build("bitext", lambda root: _corpus_site(corpus, root), work, options.reuse)
    sites = {"bitext": bitext_site}
    if "material" in engines:
        sites["material"] = _build(
            "material", lambda root: _baseline_site(bitext_site.parent, root), work, options.reuse
        )
    runs = []
    for engine in engines:
        start = time.perf_counter()
        fill = engine == "material" and options.material_fill
        runs.append(harness.run(sites[engine], queries, engine, fill=fill))
        print(f"{engine}: {len(queries)} queries in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    print(harness.report(runs))
    if options.out:
        harness.write_outcomes(options.out, runs)
    return 0
