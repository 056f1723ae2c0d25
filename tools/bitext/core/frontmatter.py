"""Front matter: an article's YAML header, kept as raw per-key blocks.

Articles are rewritten key by key (a translated ``title`` replaces the English
one, localisation metadata is appended), so the header is split into the raw
text of each top-level key rather than parsed and re-dumped: untouched keys
keep their exact bytes.  PyYAML parses the values and renders the ones we
replace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from bitext.core.errors import BitextError

TRANSLATABLE_KEYS = ("title", "description", "keywords")

_KEY = re.compile(r"([^\s#:\-'\"][^:\n]*?|'[^'\n]*'|\"[^\"\n]*\"):(?=[ \t]|$)")


@dataclass
class Block:
    """The raw lines of one top-level key (``key`` is None for leading comments)."""

    key: str | None
    text: str  # every line ends with "\n"
    line: int  # 1-based line of the block's first line in the article


@dataclass
class FrontMatter:
    blocks: list[Block]
    closing: str  # "---\n", or "---" when the file ends right after the fence
    end: int  # offset of the body in the article

    def get(self, key: str) -> Block | None:
        for block in self.blocks:
            if block.key == key:
                return block
        return None


def split(text: str) -> FrontMatter | None:
    """The front matter of ``text`` split into key blocks, or None if it has none."""
    if not text.startswith("---\n"):
        return None
    pos = 4
    line = 2
    blocks: list[Block] = []
    while True:
        nl = text.find("\n", pos)
        raw = text[pos:] if nl == -1 else text[pos : nl + 1]
        if raw.rstrip("\n") == "---":
            return FrontMatter(blocks, raw, pos + len(raw))
        if nl == -1:
            return None  # no closing fence: not front matter, just a thematic break
        m = _KEY.match(raw)
        if m:
            key = m.group(1)
            if key[:1] in "'\"":
                key = key[1:-1]
            blocks.append(Block(key, raw, line))
        elif blocks:
            blocks[-1].text += raw
        else:
            blocks.append(Block(None, raw, line))
        pos = nl + 1
        line += 1


def value(block: Block, path: str):
    """The parsed value of a key block."""
    try:
        data = yaml.safe_load(block.text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        offset = mark.line if mark is not None else 0
        raise BitextError.at(
            path, block.line + offset, f"front matter key {block.key!r}: invalid YAML ({exc})", "front-matter"
        ) from None
    if not isinstance(data, dict) or len(data) != 1:
        raise BitextError.at(
            path, block.line, f"front matter key {block.key!r} is not a single mapping entry", "front-matter"
        )
    return next(iter(data.values()))


def quoting(block: Block) -> str | None:
    """``"`` when a block's value is double-quoted, else None.

    Only double quotes are a writer's choice worth keeping: PyYAML, left to
    itself, writes plain or single-quoted scalars exactly where Microsoft's
    files do, and a translation may need quotes its source does not.
    """
    if ":" not in block.text:  # the leading-comments block
        return None
    return '"' if block.text.split(":", 1)[1].lstrip(" \t").startswith('"') else None


def render(key: str, text: str, quote: str | None = None) -> str:
    """One ``key: value`` block: in ``quote`` when given (see ``quoting``), else quoted only where YAML
    needs it."""
    if quote is None:
        return yaml.safe_dump({key: text}, allow_unicode=True, width=float("inf"), sort_keys=False)
    return f"{key}: " + yaml.safe_dump(text, default_style=quote, allow_unicode=True, width=float("inf"))
