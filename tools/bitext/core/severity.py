"""How much a finding matters: ``error``, ``warning``, ``info``, or ``off`` to silence a kind of finding.

One vocabulary for every stage (QA checks, link findings, the build's
findings) and for every place a severity is configured (mkdocs.yml, the
command line), ordered like MkDocs' ``InclusionLevel``: ``at_least`` says
whether a finding reaches a threshold (``--strict`` fails on warnings too).
"""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    OFF = "off"

    @classmethod
    def parse(cls, value: object) -> Severity:
        """A severity as configured; YAML reads an unquoted ``off`` as false, so false is off.

        Anything else raises ValueError saying what is accepted.
        """
        if value is False:
            return cls.OFF
        if isinstance(value, str) and value in cls._value2member_map_:
            return cls(value)
        raise ValueError(f"unknown severity {value!r} (use {', '.join(cls)})")

    @property
    def rank(self) -> int:
        """Higher matters more; ``off`` ranks below everything."""
        return _RANK[self]

    def at_least(self, threshold: Severity) -> bool:
        return self.rank >= threshold.rank


_RANK = {Severity.OFF: 0, Severity.INFO: 1, Severity.WARNING: 2, Severity.ERROR: 3}
