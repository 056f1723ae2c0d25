"""Errors that point at a place in a file: ``path:line: what is wrong``."""

from __future__ import annotations

from bitext.core.model import Finding


class BitextError(Exception):
    """One or more problems in an input file; nothing was written for it."""

    def __init__(self, findings: list[Finding] | Finding):
        self.findings = [findings] if isinstance(findings, Finding) else list(findings)
        super().__init__("\n".join(str(f) for f in self.findings))

    @classmethod
    def at(cls, path: str, line: int, message: str, code: str = "") -> BitextError:
        return cls(Finding(path, line, message, code=code))
