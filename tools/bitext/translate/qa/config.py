"""The ``check:`` options of the ``bitext`` plugin entry (``bitext check``).

Declared as an MkDocs ``Config`` class: ``mkdocs build`` validates it with the
rest of the plugin's options, and ``bitext check`` validates the same class
from mkdocs.yml.  A check's default severity is declared with the check
(``checks.CHECKS``).
"""

from __future__ import annotations

from bitext.project.options import Options, SeverityMap
from bitext.translate.qa.checks import CHECKS


class CheckConfig(Options):
    """``check:``: ``severity: {check: level}`` overrides a check's default severity."""

    prefix = "check"
    severity = SeverityMap("check", lambda: CHECKS)
