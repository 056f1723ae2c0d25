"""``python -m bitext.bench NAME [--corpus DIR]``: the benchmarks below print their figures."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from . import default_corpus

BENCHMARKS = {
    "core": "bitext.bench.core",
    "update": "bitext.bench.update",
    "qa": "bitext.bench.qa",
    "pofilter": "bitext.bench.pofilter",
    "links": "bitext.bench.links",
    "links-mkdocs": "bitext.bench.links_mkdocs",
    "site": "bitext.bench.site",
}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bitext.bench")
    parser.add_argument("name", choices=sorted(BENCHMARKS))
    parser.add_argument("--corpus", type=Path, default=None, help="corpus folder (default: ../shared/corpus/...)")
    args = parser.parse_args()
    module = importlib.import_module(BENCHMARKS[args.name])
    return module.run(args.corpus or default_corpus())


if __name__ == "__main__":
    sys.exit(main())
