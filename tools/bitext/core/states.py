"""The translation states of a unit: XLIFF 1.2's ``state`` and ``state-qualifier`` vocabularies.

What each stage does with a state is decided here, by the groups below (as
Translate Toolkit's ``workflow.StateEnum`` and the XLIFF ``statemap`` do),
so ``update``, the translation memory, ``stats``, QA and the compiler agree:

- ``PROPOSALS``: the target is only a suggestion; output falls back to English;
- ``AWAITING_REVIEW``: published only when a site allows targets awaiting review;
- ``REVIEW``: every ``needs-review-*`` state (a progress class of its own);
- ``CONFIRMED``: a translator confirmed the target; it wins in the memory;
- ``MACHINE``: qualifiers saying the target is machine translation.

Both are ``StrEnum``: a member is its XML value, so files read and written
carry the same text as before, and a state a CAT tool wrote that is not in
the vocabulary (``x-...``) stays a plain string.
"""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    """XLIFF 1.2 ``<target state="...">``."""

    NEW = "new"
    NEEDS_TRANSLATION = "needs-translation"
    NEEDS_L10N = "needs-l10n"
    NEEDS_ADAPTATION = "needs-adaptation"
    TRANSLATED = "translated"
    NEEDS_REVIEW_TRANSLATION = "needs-review-translation"
    NEEDS_REVIEW_L10N = "needs-review-l10n"
    NEEDS_REVIEW_ADAPTATION = "needs-review-adaptation"
    FINAL = "final"
    SIGNED_OFF = "signed-off"


class Qualifier(StrEnum):
    """XLIFF 1.2 ``<target state-qualifier="...">``: how the target came to be (the values bitext writes)."""

    EXACT_MATCH = "exact-match"
    # English that differs from the memory's only in markup spelling (escapes, entities, emphasis markers).
    RENDERED_MATCH = "x-rendered-match"
    FUZZY_MATCH = "fuzzy-match"
    MT_SUGGESTION = "mt-suggestion"  # machine translation as Microsoft's corpora mark it
    LEVERAGED_MT = "leveraged-mt"  # machine translation reused from the translation memory
    ALIGNED = "x-aligned"  # paired with its source by bitext align


PROPOSALS = frozenset({State.NEW, State.NEEDS_TRANSLATION})
AWAITING_REVIEW = frozenset({State.NEEDS_REVIEW_TRANSLATION})
REVIEW = frozenset({State.NEEDS_REVIEW_TRANSLATION, State.NEEDS_REVIEW_L10N, State.NEEDS_REVIEW_ADAPTATION})
CONFIRMED = frozenset({State.FINAL, State.SIGNED_OFF})
MACHINE = frozenset({Qualifier.MT_SUGGESTION, Qualifier.LEVERAGED_MT})
