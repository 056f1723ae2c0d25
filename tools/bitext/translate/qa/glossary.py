"""The QA glossary: a tab-separated list of English terms and the translations they must get."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bitext.core.errors import BitextError
from bitext.core.files import read_text

# The glossary's file name in ``locales/<lang>/``.
GLOSSARY = "glossary.tsv"


@dataclass
class Term:
    """A glossary entry: an English term and the translations it must get."""

    source: str
    targets: tuple[str, ...]
    pattern: re.Pattern = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Plural and possessive forms are the same term.
        self.pattern = re.compile(r"(?<![\w-])" + re.escape(self.source) + r"(?:s|es|'s)?(?![\w-])", re.I)


def read_glossary(path: Path, display: str) -> list[Term]:
    """Terms from a tab-separated glossary: ``English<TAB>translation[<TAB>note]``; ``#`` starts a comment.

    Several translations for one term are separated by `` | ``; a term listed
    twice keeps every translation.
    """
    terms: dict[str, Term] = {}
    for number, line in enumerate(read_text(path, display).split("\n"), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) < 2 or not cells[0].strip() or not cells[1].strip():
            raise BitextError.at(display, number, "glossary lines are 'English<TAB>translation[<TAB>note]'", "glossary")
        source = cells[0].strip()
        targets = tuple(t.strip() for t in cells[1].split("|") if t.strip())
        if source.lower() in terms:
            known = terms[source.lower()]
            known.targets = known.targets + tuple(t for t in targets if t not in known.targets)
        else:
            terms[source.lower()] = Term(source, targets)
    return list(terms.values())
