"""The segment store: one XLIFF 1.2 file per article and language.

Layout of a file (valid against the XLIFF 1.2 strict schema)::

    <file original="REL.md" source-language="en" target-language="ko-KR" datatype="x-markdown">
      <header>
        <skl><external-file href="../../docs/en/REL.md" crc="SHA1"/></skl>   the English article
        <reference><internal-file form="text/x-yaml">ms.locfileid: ...</internal-file></reference>
      </header>
      <body>
        <trans-unit id="a4f7d-103" xml:space="preserve">
          <source>English Markdown</source>
          <target state="translated" state-qualifier="mt-suggestion">번역</target>
          <context-group purpose="location">REL.md, line, column in the English article</context-group>
        </trans-unit>
        <group id="bitext-archive" restype="x-archive" translate="no">  units whose English was removed
      </body>
    </file>

The writer is hand-made rather than lxml's serializer so that the output is
byte-stable and diff-friendly: fixed attribute order, one element per line,
the location on one line, so editing one translation changes one line.  The
reader never resolves entities, loads DTDs or touches the network, and
rejects any DOCTYPE outright.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from lxml import etree

from bitext.core.errors import BitextError
from bitext.core.files import LineIndex
from bitext.core.model import DOCS_DIR, SOURCE_LANGUAGE, AltTrans, Note, Segment, SegmentFile

NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_NS = "http://www.w3.org/XML/1998/namespace"
ARCHIVE_GROUP = "bitext-archive"
# restype of the units that translate a front-matter value (their resname is the key).
FRONT_MATTER = "x-front-matter"
_Q = f"{{{NS}}}"
DEFAULT_SOURCE_DIR = f"{DOCS_DIR}/{SOURCE_LANGUAGE}"
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _attr(value: str) -> str:
    return _text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def _check_chars(value: str, where: str) -> None:
    m = _INVALID_XML.search(value)
    if m:
        raise BitextError.at(where, 1, f"character U+{ord(m.group()):04X} cannot be stored in XML", "xml-char")


def skeleton_href(original: str, source_dir: str = DEFAULT_SOURCE_DIR) -> str:
    """Relative link from ``locales/LANG/REL.xlf`` to ``SOURCE_DIR/REL.md`` (``docs/en``: the project's layout)."""
    depth = original.count("/") + 2
    return posixpath.join(*([".."] * depth), source_dir, original)


def dumps(sf: SegmentFile, source_dir: str = DEFAULT_SOURCE_DIR) -> str:
    """Serialize a segment file as XLIFF 1.2 text; ``source_dir`` holds the English it was made from."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<xliff xmlns="{NS}" version="1.2">\n',
        f'  <file original="{_attr(sf.original)}" source-language="{_attr(sf.source_language)}" '
        f'target-language="{_attr(sf.target_language)}" datatype="x-markdown"{_extra(sf.extra_attributes)}>\n',
        "    <header>\n",
    ]
    crc = f' crc="{sf.skeleton_hash}"' if sf.skeleton_hash else ""
    href = skeleton_href(sf.original, source_dir)
    out.append(f'      <skl>\n        <external-file href="{_attr(href)}"{crc}/>\n      </skl>\n')
    if sf.metadata:
        _check_chars(sf.metadata, sf.original)
        out.append(
            f'      <reference>\n        <internal-file form="text/x-yaml">{_text(sf.metadata)}'
            f"</internal-file>\n      </reference>\n"
        )
    out.extend(f"      {raw}\n" for raw in sf.extra_header)
    out.append("    </header>\n    <body>\n")
    for seg in sf.segments:
        _unit(out, seg, sf.original, "      ", archived=False)
    if sf.archive:
        out.append(f'      <group id="{ARCHIVE_GROUP}" restype="x-archive" translate="no">\n')
        for seg in sf.archive:
            _unit(out, seg, sf.original, "        ", archived=True)
        out.append("      </group>\n")
    out.append("    </body>\n  </file>\n</xliff>\n")
    return "".join(out)


def _unit(out: list[str], seg: Segment, original: str, pad: str, archived: bool) -> None:
    for value in (seg.id, seg.source, seg.target or ""):
        _check_chars(value, original)
    attrs = f'id="{_attr(seg.id)}"'
    if seg.key is not None:
        attrs += f' resname="{_attr(seg.key)}" restype="{FRONT_MATTER}"'
    if seg.approved is not None:
        attrs += f' approved="{"yes" if seg.approved else "no"}"'
    if archived:
        attrs += ' translate="no"'
    extra = seg.extra_attributes
    out.append(f'{pad}<trans-unit {attrs} xml:space="preserve"{_extra(extra.get("trans-unit", {}))}>\n')
    out.append(f"{pad}  <source{_extra(extra.get('source', {}))}>{_content(seg, 'source', seg.source)}</source>\n")
    # Schema order: <seg-source> sits between <source> and <target>; other kept elements go last.
    out.extend(f"{pad}  {raw}\n" for raw in seg.extra_elements if raw.startswith("<seg-source"))
    if seg.target is not None:
        state = f' state="{_attr(seg.state)}"' if seg.state else ""
        if seg.state_qualifier:
            state += f' state-qualifier="{_attr(seg.state_qualifier)}"'
        out.append(
            f"{pad}  <target{state}{_extra(extra.get('target', {}))}>{_content(seg, 'target', seg.target)}</target>\n"
        )
    for note in seg.notes:
        author = f' from="{_attr(note.author)}"' if note.author else ""
        out.append(f"{pad}  <note{author}>{_text(note.text)}</note>\n")
    for alt in seg.alternatives:
        quality = f' match-quality="{alt.match_quality}"' if alt.match_quality is not None else ""
        origin = f' origin="{_attr(alt.origin)}"' if alt.origin else ""
        out.append(
            f"{pad}  <alt-trans{quality}{origin}>\n{pad}    <source>{_text(alt.source)}</source>\n"
            f"{pad}    <target>{_text(alt.target)}</target>\n{pad}  </alt-trans>\n"
        )
    if seg.line:
        out.append(
            f'{pad}  <context-group purpose="location">'
            f'<context context-type="sourcefile">{_text(original)}</context>'
            f'<context context-type="linenumber">{seg.line}</context>'
            f'<context context-type="x-column">{seg.column}</context></context-group>\n'
        )
    out.extend(f"{pad}  {raw}\n" for raw in seg.extra_elements if not raw.startswith("<seg-source"))
    out.append(f"{pad}</trans-unit>\n")


def _content(seg: Segment, element: str, value: str) -> str:
    """The content of <source>/<target>: with the CAT tool's comments and processing instructions
    where they were while the text is unchanged, after the new text otherwise."""
    kept = seg.extra_markup.get(element)
    if kept is None:
        return _text(value)
    text, raw = kept
    if text == value:
        return raw
    return _text(value) + "".join(_MARKUP.findall(raw))


_MARKUP = re.compile(r"<!--.*?-->|<\?.*?\?>", re.DOTALL)


def _extra(attributes: dict[str, str]) -> str:
    return "".join(f' {name}="{_attr(value)}"' for name, value in attributes.items())


def parser() -> etree.XMLParser:
    """An XML parser for untrusted files: no entities, no DTD, no network."""
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )


def loads(data: bytes, path: str) -> SegmentFile:
    """Parse an XLIFF 1.2 segment file, or raise a BitextError naming the line."""
    found = [i for i in (data.find(b"<!DOCTYPE"), data.find(b"<!ENTITY")) if i != -1]
    if found:
        line = data.count(b"\n", 0, min(found)) + 1
        raise BitextError.at(path, line, "DOCTYPE/ENTITY declarations are not allowed in segment files", "dtd")
    try:
        root = etree.fromstring(data, parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 1
        raise BitextError.at(path, line, f"not well-formed XML: {exc.msg}", "xml") from None
    if root.getroottree().docinfo.doctype:
        raise BitextError.at(path, 1, "DOCTYPE declarations are not allowed in segment files", "dtd")
    if root.tag != _Q + "xliff":
        raise BitextError.at(
            path, root.sourceline or 1, f"root element is {root.tag!r}, expected XLIFF 1.2 <xliff>", "xliff"
        )
    files = root.findall(_Q + "file")
    if len(files) != 1:
        raise BitextError.at(path, root.sourceline or 1, f"expected one <file>, found {len(files)}", "xliff")
    f = files[0]
    for attr in ("original", "target-language"):
        if not f.get(attr):
            raise BitextError.at(path, f.sourceline, f"<file> has no {attr} attribute", "xliff")
    sf = SegmentFile(
        original=f.get("original"),
        target_language=f.get("target-language"),
        source_language=f.get("source-language", SOURCE_LANGUAGE),
        extra_attributes=_other_attributes(f, {"original", "source-language", "target-language", "datatype"}),
    )
    header = f.find(_Q + "header")
    if header is not None:
        for child in header:
            if not isinstance(child.tag, str):
                sf.extra_header.append(_raw(child))
                continue
            ext = child.find(_Q + "external-file") if child.tag == _Q + "skl" else None
            internal = child.find(_Q + "internal-file") if child.tag == _Q + "reference" else None
            if ext is not None and sf.skeleton_hash is None and not _other_attributes(ext, {"href", "crc"}):
                sf.skeleton_hash = ext.get("crc")
            elif internal is not None and not sf.metadata and internal.get("form") == "text/x-yaml":
                sf.metadata = internal.text or ""
            else:
                sf.extra_header.append(_raw(child))
    body = f.find(_Q + "body")
    if body is None:
        raise BitextError.at(path, f.sourceline, "<file> has no <body>", "xliff")
    seen: dict[str, int] = {}
    for unit in body.iter(_Q + "trans-unit"):
        parent = unit.getparent()
        archived = parent.tag == _Q + "group" and parent.get("id") == ARCHIVE_GROUP
        seg = _read_unit(unit, path, archived)
        if seg.id in seen:
            raise BitextError.at(
                path,
                unit.sourceline,
                f"duplicate trans-unit id {seg.id!r} (first on line {seen[seg.id]})",
                "duplicate-id",
            )
        seen[seg.id] = unit.sourceline
        if archived:
            sf.archive.append(seg)
        else:
            sf.segments.append(seg)
    return sf


def _inline(element, path: str, seg: Segment | None = None) -> str:
    """The text of <source>/<target>; inline XLIFF elements are not used by bitext.

    Comments and processing instructions (a CAT tool's) are not text; with
    ``seg`` they are kept in ``seg.extra_markup`` to be written back.
    """
    markup = False
    for child in element:
        if isinstance(child.tag, str):
            raise BitextError.at(
                path,
                child.sourceline,
                f"<{etree.QName(child).localname}> inside <{etree.QName(element).localname}>: "
                f"bitext keeps inline Markdown as text",
                "xliff-inline",
            )
        markup = True
    text = "".join(element.itertext())
    if markup and seg is not None:
        raw = _text(element.text or "") + "".join(
            etree.tostring(child, encoding="unicode", with_tail=False) + _text(child.tail or "") for child in element
        )
        seg.extra_markup[etree.QName(element).localname] = (text, raw)
    return text


def _read_unit(unit, path: str, archived: bool) -> Segment:
    seg_id = unit.get("id")
    if not seg_id:
        raise BitextError.at(path, unit.sourceline, "<trans-unit> without id", "xliff")
    source = unit.find(_Q + "source")
    if source is None:
        raise BitextError.at(path, unit.sourceline, f"trans-unit {seg_id!r} has no <source>", "xliff")
    seg = Segment(seg_id, "", xliff_line=unit.sourceline or 0)
    seg.source = _inline(source, path, seg)
    known = {"id", "approved", _XML_SPACE}
    if archived:
        known.add("translate")
    if unit.get("restype") == FRONT_MATTER:
        seg.key = unit.get("resname") or seg_id
        known |= {"restype", "resname"}
    _keep(seg, "trans-unit", _other_attributes(unit, known))
    _keep(seg, "source", _other_attributes(source, set()))
    target = unit.find(_Q + "target")
    if target is not None:
        seg.target = _inline(target, path, seg)
        seg.target_line = target.sourceline or 0
        seg.state = target.get("state")
        seg.state_qualifier = target.get("state-qualifier")
        _keep(seg, "target", _other_attributes(target, {"state", "state-qualifier"}))
    approved = unit.get("approved")
    if approved is not None:
        seg.approved = approved == "yes"
    for child in unit:
        tag = child.tag
        if tag in (_Q + "source", _Q + "target"):
            continue
        if not isinstance(tag, str):  # a comment or processing instruction: kept, after bitext's elements
            seg.extra_elements.append(_raw(child))
            continue
        if tag == _Q + "note" and not _other_attributes(child, {"from"}):
            seg.notes.append(Note(child.text or "", child.get("from")))
        elif tag == _Q + "alt-trans" and _plain_alt_trans(child):
            alt_source = child.find(_Q + "source")
            alt_target = child.find(_Q + "target")
            quality = child.get("match-quality")
            seg.alternatives.append(
                AltTrans(
                    _inline(alt_source, path) if alt_source is not None else "",
                    _inline(alt_target, path) if alt_target is not None else "",
                    int(quality.rstrip("%")) if quality and quality.rstrip("%").isdigit() else None,
                    child.get("origin"),
                )
            )
        elif (
            tag == _Q + "context-group"
            and child.get("purpose") == "location"
            and not seg.line
            and _location(child, seg)
        ):
            continue
        else:
            seg.extra_elements.append(_raw(child))
    if seg.line and not seg.column:
        seg.column = 1
    return seg


_XML_SPACE = f"{{{XML_NS}}}space"
_NS_DECLARATION = re.compile(rf' xmlns="{re.escape(NS)}"')


def _other_attributes(element, known: set[str]) -> dict[str, str]:
    """Attributes bitext does not model (xml:lang, phase-name, a CAT tool's own ``mq:status`` ...),
    to be written back as they were; a foreign namespace's declaration comes along with its attribute."""
    out: dict[str, str] = {}
    prefixes = None  # read only for a foreign attribute: lxml builds nsmap from every ancestor, on each call
    for name, value in element.attrib.items():
        if name in known:
            continue
        if name.startswith("{" + XML_NS + "}"):
            name = "xml:" + name.split("}", 1)[1]
        elif name.startswith("{"):
            if prefixes is None:
                prefixes = {uri: prefix for prefix, uri in element.nsmap.items() if prefix}
            uri, local = name[1:].split("}", 1)
            prefix = prefixes.get(uri) or f"ns{len(prefixes)}"
            prefixes.setdefault(uri, prefix)
            out[f"xmlns:{prefix}"] = uri
            name = f"{prefix}:{local}"
        out[name] = value
    return out


def _keep(seg: Segment, element: str, attributes: dict[str, str]) -> None:
    if attributes:
        seg.extra_attributes[element] = attributes


def _raw(element) -> str:
    """An element as XML text, without the XLIFF namespace declaration its new parent provides."""
    return _NS_DECLARATION.sub("", etree.tostring(element, encoding="unicode", with_tail=False), count=1)


def _plain_alt_trans(element) -> bool:
    """An <alt-trans> the model holds whole: match-quality, origin, one source, one target."""
    children = [c.tag for c in element if isinstance(c.tag, str)]
    return (
        not _other_attributes(element, {"match-quality", "origin"})
        and children in ([_Q + "source", _Q + "target"], [_Q + "target"])
        and all(not _other_attributes(c, set()) for c in element if isinstance(c.tag, str))
    )


def _location(group, seg: Segment) -> bool:
    """Read bitext's own location context-group; False when it holds anything else."""
    values = {}
    for context in group:
        if not isinstance(context.tag, str):
            continue
        kind = context.get("context-type")
        if kind not in ("sourcefile", "linenumber", "x-column") or kind in values:
            return False
        values[kind] = (context.text or "").strip()
    if not values.get("linenumber", "").isdigit() or not values.get("x-column", "1").isdigit():
        return False
    seg.line = int(values["linenumber"])
    seg.column = int(values.get("x-column", "1"))
    return True


def load(path, display: str | None = None) -> SegmentFile:
    with open(path, "rb") as fh:
        return loads(fh.read(), display or str(path))


class TargetPositions:
    """Line and column of a character of a unit's ``<target>`` text in the file as written.

    The reader records the line of each ``<target>`` (``Segment.target_line``);
    the column needs the file's text, read on first use: one character of text
    is one character or one entity reference (``&amp;``, ``&#13;``) in XML.
    """

    def __init__(self, path: Path):
        self.path = path
        self._text: str | None = None
        self._lines = LineIndex("")

    def _read(self) -> str:
        if self._text is None:
            try:
                self._text = self.path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                self._text = ""
            self._lines = LineIndex(self._text)
        return self._text

    def position(self, seg: Segment, offset: int) -> tuple[int, int] | None:
        """(line, column) of character ``offset`` of ``seg.target``; None when the file does not say."""
        if not seg.target_line:
            return None
        text = self._read()
        line = self._lines.offset(seg.target_line, 1)
        open_tag = text.find("<target", line) if line is not None else -1
        content = text.find(">", open_tag) + 1 if open_tag != -1 else 0
        if not content:
            return None
        pos = content
        for _ in range(offset):
            if pos >= len(text):
                return None
            pos = text.find(";", pos) + 1 if text[pos] == "&" else pos + 1
        return self._lines.position(pos)
