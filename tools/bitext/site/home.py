"""The troubleshooting home page: the error and status codes the articles document.

Codes are found in the English text of the rendered pages (``find_codes``; a
machine translation can mangle a code, ``5.7.7 xx``), so every code links to
the real id of the section that mentions it; section ids are the English
ones in both languages, and the titles shown are those of the language being
read.  An SMTP enhanced status code (RFC 3463) is ``class.subject.detail``
with class 2, 4 or 5; docs also name a family of them (``5.7.7xx``).  The
same shape is a version or a clause number elsewhere, so a code counts on a
page about mail delivery (NDRs, status codes, SMTP) or after a reply code.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

CODE = re.compile(r"(?<![\w./-])([245]\.\d{1,3}\.\d[\dx]{0,2})(?![\w]|\.\d)")
# x.y.z is also a version (4.4.0) or a clause number (5.2.1): a code counts on a page about
# mail delivery, or right after an SMTP reply code ("450 4.7.25").
_MAIL_CONTEXT = re.compile(r"\b(?:NDRs?|non-?delivery|DSNs?|status codes?|error codes?|SMTP|bounced?)\b", re.I)
_REPLY_CODE = re.compile(r"\b[245]\d\d[ -]$")
_HEADING = re.compile(r"<h[1-6]\b[^>]*?\bid=\"([^\"]+)\"")
# A translation: from a sentence's opening tag to its original (sentences never nest).
_TRANSLATION = re.compile(
    r'(?<=<span class="bt" tabindex="0">).*?(?=<span class="bt-s")'
    r'|(?<=<span class="bt bt-mt" tabindex="0">).*?(?=<span class="bt-s")',
    re.S,
)
HOME_ID, CODES_ID = "troubleshooting", "error-and-status-codes"
_TAG = re.compile(r"<[^>]*>")  # text "<" is always escaped in rendered HTML


@dataclass(frozen=True)
class Section:
    """Where a code is documented: a page and the heading above the mention."""

    page: str  # the page's Markdown path as MkDocs knows it, e.g. en/x.md
    anchor: str | None  # id of the heading above the mention; None before the first heading


@dataclass
class Titles:
    """How a section is shown in one language: its page's title and heading label."""

    page: str
    section: str | None  # None: the section is the page's own title (its h1)


@dataclass
class CodeIndex:
    """Code → the sections that mention it, in reading order."""

    codes: dict[str, list[Section]] = field(default_factory=dict)

    def add(self, code: str, section: Section) -> None:
        sections = self.codes.setdefault(code, [])
        if section not in sections:
            sections.append(section)

    def sorted(self) -> list[tuple[str, list[Section]]]:
        # Numeric order; a family (5.7.7xx) before its members.
        return sorted(
            self.codes.items(),
            key=lambda item: [int(p) if p.isdigit() else -1 for p in item[0].replace("x", ".x").split(".")],
        )


def find_codes(content: str, page: str, index: CodeIndex) -> None:
    """Add the codes mentioned in the text of a page's HTML (not in its attributes) to ``index``.

    On a side-by-side page the translations are skipped: the English the page
    holds (originals, untranslated sentences, everything outside sentences) is
    the English page's text, so every language finds the same codes.
    """
    if not CODE.search(content):
        return
    content = _TRANSLATION.sub("", content)
    about_mail = _MAIL_CONTEXT.search(_TAG.sub(" ", content)) is not None
    headings = [(m.start(), m.group(1)) for m in _HEADING.finditer(content)]
    next_heading, anchor, pos = 0, None, 0
    for tag in _TAG.finditer(content + "<>"):
        for m in CODE.finditer(content, pos, tag.start()):
            if not about_mail and not _REPLY_CODE.search(content, max(pos, m.start() - 4), m.start()):
                continue
            while next_heading < len(headings) and headings[next_heading][0] <= m.start():
                anchor = headings[next_heading][1]
                next_heading += 1
            index.add(m.group(1), Section(page, anchor))
        pos = tag.end()


def home_markdown(
    index: CodeIndex, text: dict[str, str], link: Callable[[Section], str], titles: Callable[[Section], Titles | None]
) -> str:
    """The home page: what the site is, then a table of every code and where it is documented.

    ``link(section)`` gives the Markdown link target of a section, ``titles``
    its titles in the page's language (None: the page is not built).
    """
    # Fixed ids (attr_list), the same in every language, as on every other page.
    lines = [
        f"# {text['home_title']} {{#{HOME_ID}}}",
        "",
        text["home_intro"],
        "",
        f"## {text['codes_heading']} {{#{CODES_ID}}}",
        "",
    ]
    entries = index.sorted()
    if not entries:
        lines.append(text["no_codes"])
        return "\n".join(lines) + "\n"
    lines += [
        text["codes_intro"],
        "",
        f"| {text['code']} | {text['article']} | {text['section']} |",
        "| --- | --- | --- |",
    ]
    for code, sections in entries:
        shown = [(section, title) for section in sections if (title := titles(section)) is not None]
        for n, (section, title) in enumerate(shown):
            first = f"`{code}`" if n == 0 else ""
            page = f"[{_cell(title.page)}]({link(Section(section.page, None))})"
            where = f"[{_cell(title.section)}]({link(section)})" if title.section else ""
            lines.append(f"| {first} | {page} | {where} |")
    return "\n".join(lines) + "\n"


def _cell(text: str | None) -> str:
    return html.escape(text or "", quote=False).replace("|", "\\|").replace("[", "\\[").replace("]", "\\]")
