"""Import, export and compile throughput on the corpus (issue: core pipeline)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from bitext.bench import bitext, measure


def run(corpus: Path) -> int:
    sxs = corpus / "sxs"
    articles = sum(1 for _ in sxs.rglob("*.md"))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        stages = [
            ("import-sxs", bitext("import-sxs", str(sxs), "--root", str(root))),
            (
                "compile --lang ko",
                bitext("compile", "--lang", "ko", "--out", str(Path(tmp) / "ko"), "--root", str(root)),
            ),
            (
                "export-sxs --lang ko",
                bitext("export-sxs", "--lang", "ko", "--out", str(Path(tmp) / "sxs"), "--root", str(root)),
            ),
        ]
        print(f"corpus: {corpus} ({articles} Markdown files)")
        failed = 0
        for name, argv in stages:
            result = measure(argv)
            failed |= result.returncode
            print(
                f"{name:22s} {result.seconds:6.2f} s  {articles / result.seconds:7.0f} files/s  "
                f"peak {result.max_rss_mb:5.0f} MB  exit {result.returncode}  "
                f"| {result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ''}"
            )
    return failed
