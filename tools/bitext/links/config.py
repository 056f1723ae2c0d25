"""The ``links:`` options of the ``bitext`` plugin entry (``bitext links`` and the build's link check).

Declared as MkDocs ``Config`` classes: ``mkdocs build`` validates them, and
``bitext links`` validates the same classes from mkdocs.yml.  Each option's
default is written here and nowhere else.
"""

from __future__ import annotations

import re
from typing import TypeVar

from mkdocs.config import config_options as c
from mkdocs.config.base import BaseConfigOption, ValidationError

from bitext.core.severity import Severity
from bitext.project.options import Options, SeverityMap

USER_AGENT = "bitext-links/0.1 (documentation link checker)"
# A day: how long a cached verdict on an external URL stays valid.
DAY = 86400.0

# Default severity of each finding code.  A few codes are raised with a lower
# severity in some cases (a link a translator added, a 403 answer); a
# configured severity applies to every finding of its code.
CODES = {
    "missing-page": Severity.ERROR,
    "missing-image": Severity.ERROR,
    "missing-file": Severity.ERROR,
    "missing-include": Severity.ERROR,
    "missing-anchor": Severity.ERROR,
    "case-mismatch": Severity.ERROR,
    "link-parity": Severity.ERROR,
    "markup-injection": Severity.ERROR,
    "anchor-parity": Severity.WARNING,
    "bad-url": Severity.ERROR,
    "broken-redirect": Severity.ERROR,
    "redirect-loop": Severity.ERROR,
    "absolute-link": Severity.WARNING,
    "empty-link": Severity.WARNING,
    "untranslated-page": Severity.INFO,
    "external-4xx": Severity.ERROR,
    "external-5xx": Severity.WARNING,
    "external-error": Severity.WARNING,
    "external-refused": Severity.ERROR,
}


_N = TypeVar("_N", int, float)


class Amount(BaseConfigOption[_N]):
    """A non-negative number: a count (``int``) or a quantity such as seconds (``float``, an integer allowed)."""

    def __init__(self, kind: type[_N], default: _N) -> None:
        super().__init__()
        self.kind: type[_N] = kind
        self.default = default

    def run_validation(self, value: object) -> _N:
        allowed = (int,) if self.kind is int else (int, float)
        if isinstance(value, bool) or not isinstance(value, allowed) or value < 0:
            raise ValidationError(f"must be a non-negative {'integer' if self.kind is int else 'number'}")
        return self.kind(value)


class Pattern(c.Type[str]):
    """A regular expression, compiled once when the options are read so a bad one is reported there."""

    def __init__(self) -> None:
        super().__init__(str)

    def run_validation(self, value: object) -> str:
        pattern = super().run_validation(value)
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValidationError(f"invalid regular expression {pattern!r}: {exc}") from None
        return pattern


class HttpConfig(Options):
    """``links: http:``: how external URLs are fetched (``bitext.links.http``)."""

    prefix = "links.http"
    concurrency = Amount(int, 8)  # requests at a time
    timeout = Amount(float, 10.0)  # seconds, per connection attempt and per read
    deadline = Amount(float, 30.0)  # seconds, wall clock, for one URL: every attempt, redirect and byte
    retries = Amount(int, 2)  # extra attempts after a transient failure
    backoff = Amount(float, 1.0)  # seconds before the first retry; doubles each time
    max_wait = Amount(float, 30.0)  # longest Retry-After honoured, in seconds
    host_interval = Amount(float, 0.5)  # seconds between two request starts to one host
    cache = c.Type(str, default=".cache/bitext/links.json")  # relative to the project root; "" = no cache
    cache_max_age = Amount(float, DAY)  # seconds a cached verdict stays valid
    user_agent = c.Type(str, default=USER_AGENT)
    accept = c.ListOfItems(c.Type(int), default=[])  # extra status codes that count as working (e.g. 403)
    allow_hosts = c.ListOfItems(c.Type(str), default=[])  # internal host names that may be fetched (intranet.example)
    translated = c.Type(bool, default=False)  # also fetch URLs that only translations have (not the English)


class LinksConfig(Options):
    """``links:``: what ``bitext links`` and the build's link check do."""

    prefix = "links"
    # Where the docset is published (https://host/docs/): absolute links under it are page links.
    base_urls = c.ListOfItems(c.Type(str), default=[])
    exclude = c.ListOfItems(Pattern(), default=[])  # regular expressions of URLs never fetched
    external = c.Type(bool, default=False)  # fetch external URLs (the CLI's --external)
    build = c.Type(bool, default=True)  # run during mkdocs build / serve
    http = c.SubConfig(HttpConfig)
    severity = SeverityMap("finding code", lambda: CODES)
