"""``bitext links`` on the whole corpus, English and Korean, offline (issue 5: ≤ 15 s)."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections import Counter
from pathlib import Path

from bitext.bench import bitext, measure

# The docset's public address: absolute links to it are pages of the corpus.
CORPUS_BASE_URL = "https://docs.microsoft.com/office365/securitycompliance/"


def add_docset_files(corpus: Path, root: Path) -> None:
    """What the corpus site has besides the imported articles: its redirect map and English TOC."""
    shutil.copy(corpus / "redirection.json", root / ".openpublishing.redirection.json")
    shutil.copy(corpus / "en" / "TOC.md", root / "docs" / "en" / "TOC.md")


def import_corpus(corpus: Path, root: Path) -> None:
    result = measure(bitext("import-sxs", str(corpus / "sxs"), "--root", str(root)))
    if result.returncode:
        raise SystemExit(f"import failed:\n{result.stderr}")
    add_docset_files(corpus, root)


def run(corpus: Path) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        import_corpus(corpus, root)
        argv = bitext("links", "--root", str(root), "--base-url", CORPUS_BASE_URL)
        text = measure(argv)
        data = measure([*argv, "--format", "json"])
    findings = json.loads(data.stdout)
    print(f"corpus: {corpus}")
    print(f"bitext links (text)  {text.seconds:6.2f} s  peak {text.max_rss_mb:5.0f} MB  exit {text.returncode}")
    print(f"bitext links (json)  {data.seconds:6.2f} s  peak {data.max_rss_mb:5.0f} MB  exit {data.returncode}")
    for line in text.stdout.strip().splitlines()[-2:]:
        print("  " + line)
    by_lang = Counter((f["lang"], f["code"]) for f in findings)
    for (lang, code), n in sorted(by_lang.items()):
        print(f"  {lang:3s} {code:18s} {n:5d}")
    budget = 15.0
    print(f"target ≤ {budget:.0f} s: {'met' if text.seconds <= budget else 'MISSED'} ({text.seconds:.2f} s)")
    return 0 if text.returncode in (0, 1) else text.returncode
