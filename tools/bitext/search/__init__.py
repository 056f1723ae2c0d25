"""Site search per language: a static index built with a real Korean analyzer, a worker for Material's search box.

Readers search the way errors and habits make them: ``550 5.7.750``,
``Set-HostedContentFilterPolicy``, ``SFV:SPM``, ``DKIM을 설정하려면``, ``테넌트``
on pages machine translation wrote ``테 넌 트``.  The build analyses each
language's pages (``sections`` → ``latin`` / ``korean`` / ``acronyms`` →
``index``) and writes a small index per language; the browser downloads only
its own language's index and repeats the query side of the analysis in
``assets/search-worker.js`` with the tables the build wrote (no model).

This package knows nothing of MkDocs; ``bitext.site.plugin`` feeds it the
rendered pages and points Material's search at the worker.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

WORKER_SOURCE = Path(__file__).parent / "assets" / "search-worker.js"
INDEX_DIR = "search/bitext"  # the index of language L is in INDEX_DIR/L/ of the site


@cache
def worker() -> tuple[str, str]:
    """``(site path, source)`` of the worker, named by a hash of its source so that caches never serve an old one."""
    source = WORKER_SOURCE.read_text(encoding="utf-8")
    digest = hashlib.sha1(source.encode("utf-8")).hexdigest()[:8]
    return f"assets/bitext/search.{digest}.js", source
