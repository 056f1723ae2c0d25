"""The XLIFF 1.2 segment store: schema validity, stability, safety, a real client."""

from __future__ import annotations

import difflib

import pytest
from lxml import etree

from bitext.core.errors import BitextError
from bitext.core.model import AltTrans, Note, Segment, SegmentFile
from bitext.formats import sxs, xliff


@pytest.fixture
def seed_file(seed_path) -> SegmentFile:
    return sxs.parse(seed_path.read_text(encoding="utf-8"), seed_path.name).segment_file


def test_valid_against_strict_schema(seed_file, xliff_schema):
    doc = etree.fromstring(xliff.dumps(seed_file).encode())
    assert xliff_schema.validate(doc), xliff_schema.error_log


def test_file_attributes_and_units(seed_file):
    text = xliff.dumps(seed_file)
    assert not text.count("<!DOCTYPE")
    doc = etree.fromstring(text.encode())
    f = doc.find(f"{{{xliff.NS}}}file")
    assert f.attrib == {
        "original": "fix-error-code-5-7-7xx-in-exchange-online.md",
        "source-language": "en",
        "target-language": "ko-KR",
        "datatype": "x-markdown",
    }
    unit = doc.find(f".//{{{xliff.NS}}}trans-unit[@id='a4f7d-104']")
    assert unit.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
    target = unit.find(f"{{{xliff.NS}}}target")
    assert target.get("state") == "translated" and target.get("state-qualifier") == "mt-suggestion"
    assert "테 넌 트" in text  # Hangul as characters, not character references
    assert "ms.locfileid" in f.find(f"{{{xliff.NS}}}header").xpath("string()")


def test_inline_markdown_stays_in_the_text(seed_file):
    unit = next(s for s in seed_file.segments if "[Add a domain to Office 365]" in s.source)
    assert "(https://docs.microsoft.com/office365/admin/setup/add-domain)" in unit.source
    reread = xliff.loads(xliff.dumps(seed_file).encode(), "x.xlf")
    assert next(s for s in reread.segments if s.id == unit.id).source == unit.source


def test_rewriting_changes_no_byte(seed_file):
    text = xliff.dumps(seed_file)
    assert xliff.dumps(xliff.loads(text.encode(), "x.xlf")) == text


def test_one_translation_edit_is_one_line_diff(seed_file):
    before = xliff.dumps(seed_file)
    seed_file.segments[5].target = "고친 번역입니다."
    after = xliff.dumps(seed_file)
    changed = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0, lineterm="")
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert len(changed) == 2 and "고친 번역입니다." in changed[1]


def test_everything_in_the_model_survives(tmp_path):
    sf = SegmentFile("a/b.md", "ja-JP", skeleton_hash="abc123", metadata='ms.locfileid: "1"\n')
    sf.segments = [
        Segment(
            "title",
            "Title & <more>",
            "題名",
            "translated",
            line=2,
            column=1,
            key="title",
            notes=[Note("a note", "bitext"), Note("translator note")],
        ),
        Segment("s-1", " leading\ttab\rcr ", None, line=5, column=3, approved=True),
        Segment(
            "s-2",
            "x",
            "",
            "needs-translation",
            line=6,
            column=1,
            alternatives=[AltTrans("old x", "古い", 82, "bitext-update")],
        ),
    ]
    sf.archive = [Segment("s-0", "gone", "消えた", "translated", line=1, column=1)]
    text = xliff.dumps(sf)
    back = xliff.loads(text.encode(), "b.xlf")
    for seg in back.segments + back.archive:
        seg.xliff_line = 0
    assert back == sf
    assert "../../../docs/en/a/b.md" in text


def test_validates_with_archive_and_alternatives(xliff_schema):
    sf = SegmentFile("b.md", "ko-KR", skeleton_hash="ff")
    sf.segments = [
        Segment(
            "s-2",
            "x",
            "y",
            "needs-review-translation",
            line=1,
            column=1,
            alternatives=[AltTrans("old", "옛", 80, "bitext-update")],
        )
    ]
    sf.archive = [Segment("s-0", "gone", "사라짐", "translated", line=1, column=1)]
    assert xliff_schema.validate(etree.fromstring(xliff.dumps(sf).encode())), xliff_schema.error_log


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><file original="a.md" source-language="en"
target-language="ko" datatype="x-markdown"><body><trans-unit id="1"><source>&xxe;</source></trans-unit></body></file></xliff>
"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><file original="a.md" source-language="en"
target-language="ko" datatype="x-markdown"><body><trans-unit id="1"><source>&lol3;</source></trans-unit></body></file></xliff>
"""


@pytest.mark.parametrize("payload", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
def test_entities_and_dtds_are_rejected(payload):
    with pytest.raises(BitextError) as exc:
        xliff.loads(payload, "evil.xlf")
    assert str(exc.value).startswith("evil.xlf:2: dtd:")


def test_parser_never_resolves_entities_even_past_the_check():
    root = etree.fromstring(XXE, xliff.parser())
    assert "root:" not in "".join(root.itertext())


def test_malformed_xml_names_the_line():
    with pytest.raises(BitextError) as exc:
        xliff.loads(b'<?xml version="1.0"?>\n<xliff>\n<file>\n</xliff>\n', "bad.xlf")
    assert str(exc.value).startswith("bad.xlf:4: xml:")


def test_inline_xliff_elements_are_refused():
    data = (
        b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><file original="a.md" '
        b'source-language="en" target-language="ko" datatype="x-markdown"><body>\n<trans-unit id="1">'
        b'<source>a <g id="1">b</g></source></trans-unit></body></file></xliff>'
    )
    with pytest.raises(BitextError, match=r"bad.xlf:2: xliff-inline"):
        xliff.loads(data, "bad.xlf")


def test_translate_toolkit_reads_the_same_units(tmp_path, seed_file):
    from translate.storage import factory

    path = tmp_path / "seed.xlf"
    path.write_text(xliff.dumps(seed_file), encoding="utf-8")
    store = factory.getobject(str(path))
    units = [u for u in store.units if not u.isheader()]
    assert [(u.getid().split("\x04")[-1], u.source, u.target) for u in units] == [
        (s.id, s.source, s.target) for s in seed_file.segments
    ]
    located = units[3]
    assert located.getlocations() == [f"{seed_file.original}:{seed_file.segments[3].line}"]


CAT_TOOL_FILE = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">
  <file original="a.md" source-language="en" target-language="ko-KR" datatype="x-markdown" tool-id="cat" date="2026-11-01T10:00:00Z">
    <header>
      <skl><external-file href="../../docs/en/a.md" crc="abc"/></skl>
      <tool tool-id="cat" tool-name="Some CAT tool" tool-version="9"/>
      <note from="pm">Deadline: Friday</note>
    </header>
    <body>
      <trans-unit id="u1" xml:space="preserve" maxwidth="40" size-unit="char" translate="no">
        <source xml:lang="en">Keep &lt;b&gt;this&lt;/b&gt;.</source>
        <seg-source><mrk mtype="seg" mid="1">Keep &lt;b&gt;this&lt;/b&gt;.</mrk></seg-source>
        <target state="final" xml:lang="ko-KR" equiv-trans="yes">이것을 유지하세요.</target>
        <note priority="2" annotates="target" from="reviewer">checked</note>
        <note from="translator">plain note</note>
        <alt-trans alttranstype="proposal" match-quality="90"><source>Keep it.</source><target>유지.</target></alt-trans>
        <context-group purpose="information"><context context-type="x-screen">S1</context></context-group>
        <count-group name="words"><count count-type="x-words" unit="word">2</count></count-group>
        <context-group purpose="location"><context context-type="sourcefile">a.md</context><context context-type="linenumber">3</context><context context-type="x-column">1</context></context-group>
      </trans-unit>
    </body>
  </file>
</xliff>
"""


def test_what_a_cat_tool_adds_survives_a_rewrite(xliff_schema):
    first = xliff.dumps(xliff.loads(CAT_TOOL_FILE.encode(), "a.xlf"))
    assert xliff.dumps(xliff.loads(first.encode(), "a.xlf")) == first  # stable from the first rewrite on
    assert xliff_schema.validate(etree.fromstring(first.encode())), xliff_schema.error_log
    for kept in (
        'tool-id="cat"',
        'date="2026-11-01T10:00:00Z"',
        '<tool tool-id="cat" tool-name="Some CAT tool"',
        '<note from="pm">Deadline: Friday</note>',
        'maxwidth="40"',
        'size-unit="char"',
        'translate="no"',
        '<source xml:lang="en">',
        '<seg-source><mrk mtype="seg" mid="1">',
        'equiv-trans="yes"',
        '<note priority="2" annotates="target" from="reviewer">checked</note>',
        'alttranstype="proposal"',
        '<context-group purpose="information">',
        '<count-group name="words">',
    ):
        assert kept in first, kept
    unit = xliff.loads(first.encode(), "a.xlf").segments[0]
    assert (unit.source, unit.target, unit.line, unit.notes) == (
        "Keep <b>this</b>.",
        "이것을 유지하세요.",
        3,
        [Note("plain note", "translator")],
    )


def test_target_positions_point_into_the_units_own_target(tmp_path):
    # A CAT tool may write <alt-trans> (with its own <target>) before the unit's target; entities
    # are one character of text but several of the file.
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">\n'
        '<file original="a.md" source-language="en" target-language="ko-KR" datatype="x-markdown"><body>\n'
        '<trans-unit id="u1" xml:space="preserve">\n'
        "<source>A &amp; B, see [a](a.md)</source>\n"
        "<alt-trans><source>old</source><target>[a](a.md) old</target></alt-trans>\n"
        '<target state="translated">A &amp; B,\n[a](a.md) 참조</target>\n'
        "</trans-unit></body></file></xliff>\n"
    )
    path = tmp_path / "a.xlf"
    path.write_text(text, encoding="utf-8")
    seg = xliff.load(path).segments[0]
    assert seg.target_line == 7
    lines = text.splitlines()
    positions = xliff.TargetPositions(path)
    assert positions.position(seg, 0) == (7, lines[6].index("A &amp;") + 1)
    assert positions.position(seg, seg.target.index("B")) == (7, lines[6].index("B,") + 1)
    assert positions.position(seg, seg.target.index("[a]")) == (8, 1)
