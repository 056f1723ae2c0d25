"""The browser worker over a real index: written by bitext.search.index, read and searched by the worker in node.

The worker file is the one the site publishes; node runs it with ``fetch``
reading the index from disk (``search_node.js``).  Its query analysis must be
the build's, rule for rule: the parity tests run both over the same input.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bitext.lang.ko import HANGUL_RUN
from bitext.search import INDEX_DIR, index, latin
from bitext.search.korean import segment
from bitext.search.sections import Page, Section
from site_helpers import run_worker as node

EN = [
    Page(
        "fix/",
        "Fix error code 5.7.705",
        "Tenant blocked.",
        [
            Section("", "", 1, "Users get an NDR: 550 5.7.705 Access denied, tenant has exceeded threshold."),
            Section(
                "unregistered", "5.7.750 Unregistered domain", 2, "550 5.7.750 Unregistered domain email restriction."
            ),
        ],
    ),
    Page(
        "setup/",
        "Set up your tenant",
        "",
        [
            Section("", "", 1, "Set up the policy. Set up rules. Set up users. Set up mail flow."),
        ],
    ),
    Page(
        "spam/",
        "Configure spam filter policies",
        "",
        [
            Section(
                "powershell", "Use PowerShell", 2, "Run Set-HostedContentFilterPolicy to change a spam filter policy."
            ),
        ],
    ),
    Page(
        "headers/",
        "Anti-spam message headers",
        "",
        [
            Section("fields", "Fields", 2, "SFV:SPM The message was marked as spam by the spam filter."),
        ],
    ),
    Page(
        "eop/",
        "Filtering overview",
        "",
        [
            Section(
                "", "", 1, "Exchange Online Protection filters the mail of every tenant; rejected mail gets a 550 NDR."
            ),
        ],
    ),
]
KO = [
    Page(
        "ko/fix/",
        "오류 코드 5.7.705 수정",
        "",
        [
            Section("", "", 1, "테 넌 트가 임계값을 초과 했습니다. 테 넌 트의 차단을 해제 하는 방법입니다."),
        ],
    ),
    Page(
        "ko/dkim/",
        "DKIM을 사용하여 메일 유효성 검사",
        "",
        [
            Section("steps", "단계", 2, "사용자 지정 도메인에 대해 DKIM을 설정하려면 다음 단계를 수행합니다."),
        ],
    ),
    Page(
        "ko/export/",
        "검색 결과 내보내기",
        "",
        [
            Section("", "", 1, "콘텐츠 검색 결과를 내보내려면 내보내기 도구를 사용합니다. 결과를 다운로드합니다."),
        ],
    ),
    Page(
        "ko/tenant/",
        "테넌트 관리",
        "",
        [
            Section("", "", 1, "테넌트 관리자는 테넌트 설정을 변경합니다. 테넌트의 사용자를 관리합니다."),
        ],
    ),
    Page(
        "ko/filter/",
        "스팸 필터 정책 구성",
        "",
        [
            Section("", "", 1, "Set-HostedContentFilterPolicy 를 실행 하 여 정책을 변경 합니다."),
        ],
    ),
    # Machine translation dropped the cmdlet's verb, as it did across the corpus (Set-X → X, New-X → 새-x).
    Page(
        "ko/mangled/",
        "정책 변경",
        "",
        [
            Section("", "", 1, "**HostedContentFilterPolicy** 를 실행 합니다. 필터 정책이 변경 됩니다."),
        ],
    ),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory, korean_analyzer) -> Path:
    site = tmp_path_factory.mktemp("search-site")
    table = {"exchange online protection": "eop"}
    index.build(EN, "en", site / INDEX_DIR / "en", acronyms=table)
    index.build(KO, "ko", site / INDEX_DIR / "ko", acronyms=table, korean=korean_analyzer)
    return site


def _pages(items: list) -> list[str]:
    return [group[0]["location"] for group in items]


def _search(site: Path, lang: str, queries: list[str], tmp_path: Path) -> list[list]:
    return node(site, lang, {"queries": queries}, tmp_path)["results"]


def test_index_files_per_language(site):
    for lang, pages in (("en", EN), ("ko", KO)):
        folder = site / INDEX_DIR / lang
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        assert meta["lang"] == lang and [p[0] for p in meta["pages"]] == [p.url for p in pages]
        assert re.fullmatch(r"[0-9a-f]{12}", meta["id"])
        assert sorted(p.name for p in folder.glob("text/*.json")) == sorted(f"{n}.json" for n in range(len(pages)))
        first = json.loads((folder / "text" / "0.json").read_text(encoding="utf-8"))
        assert first == [[s.anchor, s.heading, s.text] for s in pages[0].sections]


def test_long_pages_are_cut_into_files_and_snippets_come_from_the_right_one(tmp_path):
    sections = [
        Section(f"part-{n}", f"Part {n}", 2, f"Paragraph {n} about mailbox number {n}. " * 100) for n in range(12)
    ]
    sections[9].text += "The quarantine notification is here."
    site = tmp_path / "site"
    stats = index.build([Page("long/", "A long page", "", sections)], "en", site / INDEX_DIR / "en")
    meta = json.loads((site / INDEX_DIR / "en" / "meta.json").read_text(encoding="utf-8"))
    starts = meta["chunks"]["0"]
    assert starts[0] == 0 and len(starts) == len(list((site / INDEX_DIR / "en" / "text").glob("0-*.json"))) > 3
    assert all(len(p.read_text(encoding="utf-8")) < 2 * index.CHUNK for p in (site / INDEX_DIR / "en").glob("text/*"))
    assert stats.sections == 12
    (result,) = node(site, "en", {"queries": ["quarantine notification"]}, tmp_path)["results"]
    assert result[0][1]["location"] == "long/#part-9"
    assert (
        "<mark data-md-highlight>quarantine</mark> <mark data-md-highlight>notification</mark>" in result[0][1]["text"]
    )


def test_codes_cmdlets_and_header_tokens(site, tmp_path):
    results = _search(
        site,
        "en",
        [
            "5.7.705",
            "550 5.7.750",
            "Set-HostedContentFilterPolicy",
            "HostedContentFilterPolicy",
            "SFV:SPM",
            "EOP",
            "set up tenant",
        ],
        tmp_path,
    )
    code, full_code, cmdlet, part, header, acronym, phrase = results
    assert _pages(code)[0] == "fix/"
    assert _pages(full_code)[0] == "fix/"
    section = full_code[0][1]
    assert section["location"] == "fix/#unregistered"
    assert "<mark data-md-highlight>5.7.750</mark>" in section["text"]
    assert _pages(cmdlet) == ["spam/"]  # whole: never the pages that only "Set up"
    assert _pages(part) == ["spam/"]
    assert _pages(header)[0] == "headers/"
    assert _pages(acronym) == ["eop/"]  # written "Exchange Online Protection" only
    assert _pages(phrase)[0] == "setup/"


def test_a_cmdlet_finds_pages_whose_translation_dropped_its_verb_after_the_whole(site, tmp_path):
    (cmdlet,) = _search(site, "ko", ["Set-HostedContentFilterPolicy"], tmp_path)
    assert _pages(cmdlet) == ["ko/filter/", "ko/mangled/"]


def test_korean_particles_endings_and_spacing(site, tmp_path):
    spaced, question, export, typing = _search(
        site, "ko", ["테넌트 ", "DKIM을 설정하려면", "내보내기", "테넌"], tmp_path
    )
    assert "ko/fix/" in _pages(spaced)[:2] and "ko/tenant/" in _pages(spaced)
    snippet = next(group for group in spaced if group[0]["location"] == "ko/fix/")
    assert "<mark data-md-highlight>테 넌 트</mark>" in json.dumps(snippet, ensure_ascii=False)
    assert _pages(question)[0] == "ko/dkim/"
    assert _pages(export)[0] == "ko/export/"
    assert set(_pages(typing)) >= {"ko/tenant/", "ko/fix/"}  # the word being typed matches by prefix


def test_each_language_has_only_its_own_pages(site, tmp_path):
    english, korean = (node(site, lang, {"queries": ["5.7.705"]}, tmp_path)["results"][0] for lang in ("en", "ko"))
    assert _pages(english) == ["fix/"] and _pages(korean) == ["ko/fix/"]


def test_worker_analysis_is_the_builds(site, tmp_path):
    """Parity: stem, tokenTerms and segment in the worker give what the build's Python gives."""
    texts = [t for page in EN + KO for t in [page.title, *(s.text for s in page.sections)]]
    texts += [
        "Get-MailboxRestoreRequest web.config 550 5.7.705 X-MS-Exchange-Organization-SCL anti-spam "
        "Office365 SharePointOnline policies configured"
    ]
    tokens = sorted({m.group(0) for t in texts for m in latin.TOKEN.finditer(t)})
    words = sorted(
        {m.group(0) for t in texts for m in HANGUL_RUN.finditer(t)}
        | {"설정하려면", "보존레이블", "테넌트가", "없어요", "수"}
    )
    meta = json.loads((site / INDEX_DIR / "ko" / "meta.json").read_text(encoding="utf-8"))
    vocab, tails, empty = meta["vocab"].split("\n"), meta["tails"], frozenset(meta["empty"])
    stems = ["policies", "configured", "blocking", "status", "addresses", "copied", "running"]
    out = node(
        site,
        "ko",
        {"tokens": tokens, "words": words, "vocab": vocab, "tails": tails, "empty": sorted(empty), "stems": stems},
        tmp_path,
    )
    assert out["stems"] == [latin.stem(w) for w in stems]
    assert out["tokens"] == [[list(pair) for pair in latin.token_terms(t)] for t in tokens]
    known = set(vocab)
    assert out["words"] == [list(segment(w, known.__contains__, set(tails), empty)) for w in words]
