"""``python -m bitext.bench {core,site} [--corpus DIR]``"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from . import default_corpus

BENCHMARKS = {"core": "bitext.bench.core", "site": "bitext.bench.site"}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bitext.bench")
    parser.add_argument("name", choices=sorted(BENCHMARKS))
    parser.add_argument("--corpus", type=Path, default=None, help="corpus folder (default: ../shared/corpus/...)")
    args = parser.parse_args()
    module = importlib.import_module(BENCHMARKS[args.name])
    return module.run(args.corpus or default_corpus())


if __name__ == "__main__":
    sys.exit(main())
