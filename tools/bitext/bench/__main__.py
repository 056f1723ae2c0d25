"""``python -m bitext.bench NAME [--corpus DIR]``: the benchmarks below print their figures."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from bitext.bench import default_corpus

BENCHMARKS = {
    "align": "bitext.bench.align",
    "core": "bitext.bench.core",
    "update": "bitext.bench.update",
    "qa": "bitext.bench.qa",
    "pofilter": "bitext.bench.pofilter",
    "links": "bitext.bench.links",
    "links-mkdocs": "bitext.bench.links_mkdocs",
    "site": "bitext.bench.site",
    "serve": "bitext.bench.serve",
    "search": "bitext.bench.search",
}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bitext.bench")
    parser.add_argument("name", choices=sorted(BENCHMARKS))
    parser.add_argument("--corpus", type=Path, default=None, help="corpus folder (default: ../shared/corpus/...)")
    args, extra = parser.parse_known_args()
    module = importlib.import_module(BENCHMARKS[args.name])
    if not extra:
        return module.run(args.corpus or default_corpus())
    if not hasattr(module, "parse_options"):  # benchmarks with options of their own parse them
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return module.run(args.corpus or default_corpus(), module.parse_options(extra))


if __name__ == "__main__":
    sys.exit(main())
