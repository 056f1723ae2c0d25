"""bitext tm export: valid TMX 1.4b that Translate Toolkit reads, one entry per distinct pair."""

from __future__ import annotations

import io

import pytest
from lxml import etree

from bitext.formats import xliff
from conftest import run_bitext
from test_qa import make_project, unit

# The content model of TMX 1.4b (LISA) for the elements bitext writes, as a DTD.
TMX_DTD = """
<!ELEMENT tmx (header, body)>
<!ATTLIST tmx version CDATA #REQUIRED>
<!ELEMENT header (note|prop|ude)*>
<!ATTLIST header creationtool CDATA #REQUIRED creationtoolversion CDATA #REQUIRED
  segtype (block|paragraph|sentence|phrase) #REQUIRED o-tmf CDATA #REQUIRED adminlang CDATA #REQUIRED
  srclang CDATA #REQUIRED datatype CDATA #REQUIRED o-encoding CDATA #IMPLIED creationdate CDATA #IMPLIED>
<!ELEMENT ude (map*)>
<!ELEMENT map EMPTY>
<!ELEMENT note (#PCDATA)>
<!ELEMENT prop (#PCDATA)>
<!ATTLIST prop type CDATA #REQUIRED>
<!ELEMENT body (tu*)>
<!ELEMENT tu ((note|prop)*, tuv+)>
<!ATTLIST tu tuid CDATA #IMPLIED srclang CDATA #IMPLIED>
<!ELEMENT tuv ((note|prop)*, seg)>
<!ATTLIST tuv xml:lang CDATA #REQUIRED>
<!ELEMENT seg (#PCDATA)>
"""


def _valid(path) -> etree._ElementTree:
    tree = etree.parse(str(path))
    dtd = etree.DTD(io.StringIO(TMX_DTD))
    assert dtd.validate(tree), dtd.error_log
    return tree


def _props(tu) -> dict[str, str]:
    return {p.get("type"): p.text for p in tu.findall("prop")}


def test_export_is_valid_deduplicated_and_read_by_translate_toolkit(tmp_path):
    from translate.storage import tmx as tt_tmx

    mt = {"state_qualifier": "mt-suggestion"}
    root = make_project(
        tmp_path,
        {
            "a.md": [
                unit("a1", "Click **OK** & <br/> go.", "**확인**을 클릭하고 <br/> 이동합니다.", **mt),
                unit("a2", "Save the file.", "파일을 저장합니다."),
                unit("a3", "Untranslated.", None, state=None),
                unit("a4", "Proposal only.", "제안", state="needs-translation"),
                unit("a5", "Changed English.", "옛 영어의 번역", state="needs-review-translation"),
            ],
            "sub/b.md": [
                unit("b1", "Save the file.", "파일을 저장합니다."),
                unit("b2", "Save the file.", "파일 저장"),
                unit("b3", "", "설명", key="description"),
            ],
        },
    )
    path = root / "locales/ko/sub/b.xlf"
    sf = xliff.load(path)
    sf.archive.append(unit("old", "Removed sentence.", "삭제된 문장"))
    path.write_text(xliff.dumps(sf), encoding="utf-8")

    out = tmp_path / "out" / "ko.tmx"
    result = run_bitext("tm", "export", "--lang", "ko", "-o", str(out), "--root", str(root))
    assert result.returncode == 0, result.stderr
    assert "exported 4 translation units (1 machine translation) from 5 segments in 2 files" in result.stdout
    tree = _valid(out)
    header = tree.find("header")
    assert (header.get("srclang"), header.get("segtype"), header.get("datatype")) == ("en", "sentence", "x-markdown")
    tus = tree.findall("body/tu")
    assert [tu.get("tuid") for tu in tus] == ["a.md#a1", "a.md#a2", "sub/b.md#b2", "sub/b.md#old"]
    assert _props(tus[0]) == {
        "x-file": "a.md",
        "x-unit": "a1",
        "x-state": "translated",
        "x-state-qualifier": "mt-suggestion",
    }
    assert _props(tus[1])["x-occurrences"] == "2"
    assert _props(tus[3])["x-archived"] == "yes"

    store = tt_tmx.tmxfile.parsefile(str(out))
    assert [(u.source, u.target) for u in store.units] == [
        ("Click **OK** & <br/> go.", "**확인**을 클릭하고 <br/> 이동합니다."),
        ("Save the file.", "파일을 저장합니다."),
        ("Save the file.", "파일 저장"),
        ("Removed sentence.", "삭제된 문장"),
    ]
    assert store.units[0].getlanguageNode(lang="ko-KR") is not None

    before = out.read_bytes()
    result = run_bitext("tm", "export", "--lang", "ko", "-o", str(out), "--root", str(root), "--no-mt")
    assert result.returncode == 0
    assert [tu.get("tuid") for tu in _valid(out).findall("body/tu")] == ["a.md#a2", "sub/b.md#b2", "sub/b.md#old"]
    assert out.read_bytes() != before


def test_unwritable_output_leaves_no_file(tmp_path):
    root = make_project(tmp_path, {"a.md": [unit("a1", "Save.", "저장")]})
    (tmp_path / "blocker").write_text("a file, not a folder", encoding="utf-8")
    result = run_bitext("tm", "export", "--lang", "ko", "-o", str(tmp_path / "blocker" / "ko.tmx"), "--root", str(root))
    assert result.returncode == 1 and "cannot write" in result.stderr
    assert (tmp_path / "blocker").read_text(encoding="utf-8") == "a file, not a folder"


@pytest.mark.corpus
def test_corpus_memory_holds_every_distinct_pair(corpus_project, tmp_path):
    from translate.storage import tmx as tt_tmx

    out = tmp_path / "ko.tmx"
    result = run_bitext("tm", "export", "--lang", "ko", "-o", str(out), "--root", str(corpus_project))
    assert result.returncode == 0, result.stderr
    pairs = set()
    for path in sorted((corpus_project / "locales" / "ko").rglob("*.xlf")):
        pairs.update((s.source, s.target) for s in xliff.load(path).segments if s.source.strip() and s.target)
    tree = _valid(out)
    store = tt_tmx.tmxfile.parsefile(str(out))
    assert {(u.source, u.target) for u in store.units} == pairs
    assert len(store.units) == len(pairs) == len(tree.findall("body/tu"))
