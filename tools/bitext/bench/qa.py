"""``bitext check``, ``stats`` and ``tm export`` on the whole corpus: time, memory, what check finds.

The project is the corpus imported with this repository's Korean glossary
(``locales/ko/glossary.tsv``), checked as a user would run it.  Target: check
≤ 20 s.  Wall time on a shared machine is pessimistic; CPU time is printed too.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections import Counter
from pathlib import Path

from bitext.bench import bitext, measure

GLOSSARY = Path(__file__).resolve().parents[3] / "locales" / "ko" / "glossary.tsv"


def corpus_project(corpus: Path, tmp: Path) -> Path:
    """The corpus imported into a new project under ``tmp``, with this repository's Korean glossary."""
    root = tmp / "project"
    imported = measure(bitext("import-sxs", str(corpus / "sxs"), "--root", str(root)))
    if imported.returncode:
        raise SystemExit(f"import failed:\n{imported.stderr}")
    shutil.copy(GLOSSARY, root / "locales" / "ko" / "glossary.tsv")
    return root


def run(corpus: Path) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = corpus_project(corpus, Path(tmp))
        failed = 0
        for name, argv in (
            ("check", bitext("check", "--root", str(root), "--format", "json")),
            ("stats", bitext("stats", "--root", str(root), "--format", "json")),
            ("tm export", bitext("tm", "export", "--lang", "ko", "-o", str(Path(tmp) / "ko.tmx"), "--root", str(root))),
        ):
            result = measure(argv)
            # check exits 1 when it finds errors, which it must on this corpus.
            failed |= result.returncode not in ((0, 1) if name == "check" else (0,))
            print(
                f"{name:10s} {result.seconds:6.2f} s wall  {result.cpu_seconds:6.2f} s CPU  "
                f"peak {result.max_rss_mb:5.0f} MB  exit {result.returncode}"
            )
            if name == "check":
                flags = json.loads(result.stdout)
                units = {(f["path"], f["unit"]) for f in flags}
                print(f"           {result.stderr.strip().splitlines()[-1]}")
                by_check = Counter(f["check"] for f in flags)
                print(
                    "           units per check: "
                    + ", ".join(
                        f"{c} {len({(f['path'], f['unit']) for f in flags if f['check'] == c}):,}"
                        for c, _ in by_check.most_common()
                    )
                )
                print(f"           units flagged: {len(units):,}")
            elif name == "stats":
                total = json.loads(result.stdout)["ko"]["total"]
                print(
                    f"           ko: {total['segments']:,} segments, {total['words']:,} words; "
                    + ", ".join(
                        f"{k} {v['segments']:,}/{v['words']:,}" for k, v in total.items() if isinstance(v, dict)
                    )
                )
            else:
                print(f"           {result.stdout.strip()}")
    return failed
