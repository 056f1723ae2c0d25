"""Script injection from segment files (issue 11): hostile translations in a real site, opened in Chromium.

One site is built (``bitext new``, English articles, segment files written by
the real XLIFF writer, ``mkdocs build``) whose Korean targets carry the
issue's payloads and the classic lists: script/img/svg/iframe/object/embed/
base/meta/form/style vectors, entity- and whitespace-obfuscated script URLs,
attribute-breaking quotes, unclosed tags, comments, autolinks, reference
links, attribute lists, admonition and DocFX alert text, table cells,
headings, front-matter title and description, includes.  Every payload calls
``pwn(ID)`` or ``alert(ID)``.

Each Korean page is loaded with no interaction, then every element of its
content gets mouse, focus and click events.  Nothing may run, and the page's
content may hold no ``on*`` attribute and no script URL its English page
does not have.  An English page with a trusted inline handler proves that
the harness sees script when it runs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bitext.core.model import Segment, SegmentFile
from bitext.core.skeleton import fingerprint
from bitext.formats import xliff
from conftest import run_bitext
from site_helpers import mkdocs, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def js(pid: str) -> str:
    return f"pwn('{pid}')"


# page -> [(unit id, English line with {} where the source goes, source, hostile target)]
INLINE = [
    ("i01", "{}", "![x](a.png)", '![x](nonexistent.png){: x onerror="' + js("i01") + '"}'),
    ("i02", "{}", "**bold** text", '**굵게**{: x onclick="' + js("i02") + '"} 텍스트'),
    ("i03", "{}", "*italic* text", '*기울임*{:x onmouseover="' + js("i03") + '"} 텍스트'),
    ("i04", "{}", "Plain i04.", f'<x_y tabindex="0" autofocus onfocus="{js("i04")}">본문</x_y>'),
    ("i05", "{}", "Plain i05.", f'<x:y onmouseover="{js("i05")}">본문</x:y>'),
    ("i06", "{}", "A <b>bold</b> word.", f'<b 1=">" onmouseover="{js("i06")}">굵은</b> 단어.'),
    (
        "i07",
        "{}",
        'See <a href="https://example.org/">this</a>.',
        f'<a href="https://example.org/" 1=">" onfocus="{js("i07")}" autofocus>이것</a>을 보세요.',
    ),
    ("i08", "{}", "[Click][r1] here.", f"[클릭][r1]\n[r1]: javascript:{js('i08')}"),
    ("i09", "{}", "Plain i09.", f"[클릭][r2] 그리고 [r2]: javascript:{js('i09')}"),
    ("i10", "{}", "Plain i10.", f"<x_y\ttabindex=0 autofocus\nonfocus={js('i10')}>본문</x_y>"),
    ("i11", "{}", "Plain i11.", f'<p onmouseover="{js("i11")}">문단</p>'),
    ("i12", "{}", "Plain i12.", f'<div onmouseover="{js("i12")}">열린 div'),
]
HTML = [
    ("h01", "{}", "Plain h01.", f"<script>{js('h01')}</script>"),
    ("h02", "{}", "Plain h02.", f"<img src=x onerror={js('h02')}>"),
    ("h03", "{}", "Plain h03.", f'<svg onload="{js("h03")}"></svg>'),
    ("h04", "{}", "Plain h04.", f"<svg/onload={js('h04')}>"),
    ("h05", "{}", "Plain h05.", f'<iframe src="javascript:{js("h05")}"></iframe>'),
    ("h06", "{}", "Plain h06.", f'<iframe srcdoc="&lt;script&gt;parent.{js("h06")}&lt;/script&gt;"></iframe>'),
    ("h07", "{}", "Plain h07.", f'<object data="javascript:{js("h07")}"></object>'),
    ("h08", "{}", "Plain h08.", f'<embed src="javascript:{js("h08")}">'),
    ("h09", "{}", "Plain h09.", f'<base href="javascript:{js("h09")}//">'),
    ("h10", "{}", "Plain h10.", f'<form action="javascript:{js("h10")}"><button>보내기</button></form>'),
    ("h11", "{}", "Plain h11.", f"<style>@import 'javascript:{js('h11')}';</style>스타일"),
    ("h12", "{}", "Plain h12.", f'<details open ontoggle="{js("h12")}"><summary>요약</summary></details>'),
    ("h13", "{}", "Plain h13.", f'<video><source onerror="{js("h13")}"></video>'),
    ("h14", "{}", "Plain h14.", f'<body onload="{js("h14")}">'),
    ("h15", "{}", "Plain h15.", f'<input autofocus onfocus="{js("h15")}">'),
    ("h16", "{}", "Plain h16.", f'<math><mtext><table><mglyph><style><img src=x onerror="{js("h16")}">'),
    ("h17", "{}", "Plain h17.", f'<noscript><p title="</noscript><img src=x onerror={js("h17")}>">'),
    ("h18", "{}", "Plain h18.", f"<!--><img src=x onerror={js('h18')}>-->"),
    ("h19", "{}", "Plain h19.", f"<img src=x onerror={js('h19')} "),
    ("h20", "{}", "Plain h20.", f'<a href="#" onclick="{js("h20")}">링크</a>'),
    ("h21", "{}", "Plain h21.", f'<meta http-equiv="refresh" content="0;url=javascript:{js("h21")}">'),
    ("h22", "{}", "Plain h22.", f"<marquee onstart={js('h22')}>글</marquee>"),
    ("h23", "{}", "Plain h23.", f'<select autofocus onfocus="{js("h23")}"><option>1</option></select>'),
]
URLS = [
    ("u01", "{}", "Plain u01.", f"[클릭](javascript:{js('u01')})"),
    ("u02", "{}", "Plain u02.", f"[클릭](JaVaScRiPt:{js('u02')})"),
    ("u03", "{}", "Plain u03.", f"[클릭](java&#10;script:{js('u03')})"),
    ("u04", "{}", "Plain u04.", f"[클릭](&#106;avascript:{js('u04')})"),
    ("u05", "{}", "Plain u05.", f"[클릭](<javascript:{js('u05')}>)"),
    ("u06", "{}", "Plain u06.", f"<javascript:{js('u06')}>"),
    ("u07", "{}", "Plain u07.", f'<a href="&#x6A;avascript&colon;{js("u07")}">링크</a>'),
    ("u08", "{}", "Plain u08.", f'<a href=" &#14; javascript:{js("u08")}">링크</a>'),
    ("u09", "{}", "Plain u09.", '<a href="vbscript:msgbox(1)">링크</a>'),
    ("u10", "{}", "Plain u10.", f'<a href="data:text/html,&lt;script&gt;{js("u10")}&lt;/script&gt;">링크</a>'),
    ("u11", "{}", "Plain u11.", "[클릭](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    (
        "u12",
        "{}",
        "See [docs](https://example.org/).",
        f'[문서](https://example.org/ "a\\" onmouseover=\\"{js("u12")}")를 보세요.',
    ),
    ("u13", "{}", "See [docs](https://example.org/).", f"[문서](https://example.org/){{: onclick={js('u13')}}}"),
    ("u14", "{}", "Plain u14.", f"![그림](javascript:{js('u14')})"),
    ("u15", "{}", "Plain u15.", f'<a href="java\tscript:{js("u15")}">링크</a>'),
]
BLOCKS = [
    ("b01", "## {}", "Section", f'구역 {{: onclick="{js("b01")}"}}'),
    ("b02", "## {}", "Other section", f"다른 구역 <img src=x onerror={js('b02')}>"),
    ("b03", "| Item | {} |", "Cell", f'<x_y onmouseover="{js("b03")}">셀</x_y>'),
    ("b04", "| Item | {} |", "Cell two", f"셀 | <img src=x onerror={js('b04')}>"),
    ("b05", '!!! note "{}"', "Note title", f'x" onclick="{js("b05")}'),
    ("b06", "    {}", "Note body.", f"<img src=x onerror={js('b06')}>"),
    ("b07", "> {}", "Quoted text.", f"인용 <img src=x onerror={js('b07')}>"),
    ("b08", "1. {}", "Step one.", f'첫 단계. {{: onclick="{js("b08")}"}}'),
    ("b09", "- {}", "Bullet.", f"항목\n\n<script>{js('b09')}</script>"),
    ("b10", "<td>{}</td>", "HTML cell", f'<x_y onmouseover="{js("b10")}">셀</x_y>'),
]
# The title page: its h1 becomes the page title, which Material prints through striptags.
TITLE = [
    ("t01", "# {}", "Page `code` title", f"제목 `</title><script>{js('t01')}</script>`"),
    ("t02", "{}", "Plain t02.", "&lt;/title&gt;&lt;img src=x onerror=pwn('t02')&gt;"),
]
INCLUDED = [("c01", "{}", "Included sentence.", f"포함된 <img src=x onerror={js('c01')}>")]
FRONT = {
    "title": ("Front page", f"</title><script>{js('f01')}</script>"),
    "description": ("About", f'"><img src=x onerror={js("f02")}>'),
}

PAGES: dict[str, list[tuple[str, str, str, str]]] = {
    "inline.md": INLINE,
    "html.md": HTML,
    "urls.md": URLS,
    "blocks.md": BLOCKS,
    "title.md": TITLE,
}


def _english(units, extra: str = "") -> str:
    lines = []
    for _, line, source, _ in units:
        if line.startswith("| "):
            lines += ["| Item | Value |", "|---|---|", line.replace("{}", source)]
        elif line.startswith("<td>"):
            lines += ["<table><tr>", line.replace("{}", source), "</tr></table>"]
        else:
            lines.append(line.replace("{}", source))
        lines.append("")
    return "\n".join(lines) + extra


def _segment_file(rel: str, english: str, units, front: dict | None = None) -> SegmentFile:
    segments = []
    for key, (source, target) in (front or {}).items():
        at = english.index(f"{key}: {source}") + len(key) + 2
        segments.append(Segment(key, source, target, "translated", line=english.count("\n", 0, at) + 1, key=key))
    pos = 0
    for uid, _, source, target in units:
        at = english.index(source, pos)
        pos = at + len(source)
        line, column = english.count("\n", 0, at) + 1, at - english.rfind("\n", 0, at)
        segments.append(Segment(uid, source, target, "translated", line=line, column=column))
    return SegmentFile(rel, "ko-KR", segments=segments, skeleton_hash=fingerprint(english))


def _write(root: Path, rel: str, english: str, sf: SegmentFile) -> None:
    (root / "docs" / "en" / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / "docs" / "en" / rel).write_text(english, encoding="utf-8")
    xlf = (root / "locales" / "ko" / rel).with_suffix(".xlf")
    xlf.parent.mkdir(parents=True, exist_ok=True)
    xlf.write_text(xliff.dumps(sf), encoding="utf-8")


@pytest.fixture(scope="module")
def attack_site(tmp_path_factory):
    """(project root, built site, build output): every payload in one build."""
    root = tmp_path_factory.mktemp("attacks") / "site"
    result = run_bitext("new", str(root), "--name", "Attacks")
    assert result.returncode == 0, result.stderr
    for rel, units in PAGES.items():
        extra = "\n[r1]: https://example.org/one\n" if rel == "inline.md" else ""
        english = _english(units, extra)
        english = f"# {rel[:-3].title()}\n\n" + english if rel != "title.md" else english
        _write(root, rel, english, _segment_file(rel, english, units))
    front = "---\n" + "".join(f"{k}: {v[0]}\n" for k, v in FRONT.items()) + "---\n# Front\n\nFront body.\n"
    _write(root, "front.md", front, _segment_file("front.md", front, [], FRONT))
    include_page = "# Include\n\nBefore.\n\n[!INCLUDE [part](includes/part.md)]\n"
    (root / "docs" / "en" / "include.md").write_text(include_page, encoding="utf-8")
    part = _english(INCLUDED)
    _write(root, "includes/part.md", part, _segment_file("includes/part.md", part, INCLUDED))
    canary = '# Canary\n\nTrusted English: <img src="missing.png" onerror="pwn(\'canary\')">\n'
    (root / "docs" / "en" / "canary.md").write_text(canary, encoding="utf-8")
    built = mkdocs(root, "build")
    assert built.returncode == 0, built.stderr
    return root, root / "site", built.stderr


_EXERCISE = """() => {
  const root = document.querySelector("article") || document.body;
  // Real links would leave the page; script URLs (whatever their spelling) must still be followed.
  document.addEventListener("click", e => {
    const a = e.target.closest && e.target.closest("a[href]");
    if (a && (a.protocol === "http:" || a.protocol === "https:")) e.preventDefault();
  }, true);
  const kinds = ["pointerover", "mouseover", "mouseenter", "mousemove", "mousedown", "mouseup"];
  for (const el of Array.from(root.querySelectorAll("*"))) {
    for (const type of kinds) el.dispatchEvent(new MouseEvent(type, {bubbles: true}));
    if (typeof el.focus === "function") el.focus();
    if (typeof el.click === "function") el.click();
    el.dispatchEvent(new FocusEvent("blur"));
  }
}"""

_CAPABILITIES = """() => {
  const root = document.querySelector("article") || document.body;
  const found = [];
  for (const el of root.querySelectorAll("*")) {
    for (const attr of el.getAttributeNames()) {
      if (attr.toLowerCase().startsWith("on")) found.push(el.localName + "[" + attr + "]");
      if (["href", "src", "action", "formaction", "data", "srcdoc", "xlink:href"].includes(attr)) {
        let scheme = "";
        try { scheme = new URL(el.getAttribute(attr), location.href).protocol; } catch (e) { scheme = "?"; }
        if (!["http:", "https:", "mailto:", "tel:", "ftp:"].includes(scheme) || attr === "srcdoc")
          found.push(el.localName + "[" + attr + "=" + scheme + "]");
      }
    }
    if (["script", "iframe", "object", "embed", "base", "meta", "form", "style"].includes(el.localName))
      found.push(el.localName);
  }
  return found;
}"""


def _visit(browser, url: str) -> tuple[list[str], list[str], list[str]]:
    """(payloads that ran, dialogs, capabilities of the content) of one page, loaded then exercised."""
    context = browser.new_context()
    page = context.new_page()
    ran: list[str] = []
    dialogs: list[str] = []
    page.expose_function("pwn", lambda pid: ran.append(str(pid)))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: ran.append("console:" + message.text) if "pwn" in message.text else None)
    loaded: list[bool] = []
    # Once the page is there, no other document loads in its tab (a script URL needs no request).
    page.route(
        "**/*",
        lambda route: route.abort() if loaded and route.request.is_navigation_request() else route.continue_(),
    )
    page.goto(url, wait_until="load")
    loaded.append(True)
    page.wait_for_timeout(300)
    capabilities = page.evaluate(_CAPABILITIES)
    page.evaluate(_EXERCISE)
    page.wait_for_timeout(500)
    context.close()
    return ran, dialogs, capabilities


@pytest.fixture(scope="module")
def visited(attack_site, browser):
    """Every attacked page in both languages: {(lang, page): (ran, dialogs, capabilities)}."""
    _, site, _ = attack_site
    pages = [*(rel[:-3] for rel in PAGES), "front", "include", "canary", ""]
    found = {}
    with serve(site) as base:
        for name in pages:
            for lang, prefix in (("en", ""), ("ko", "ko/")):
                found[lang, name] = _visit(browser, f"{base}{prefix}{name}{'/' if name else ''}")
    return found


def test_the_harness_sees_script_that_runs(visited):
    ran, _, capabilities = visited["en", "canary"]
    assert ran == ["canary"] and "img[onerror]" in capabilities


@pytest.mark.parametrize("name", [*(rel[:-3] for rel in PAGES), "front", "include", "canary", ""])
def test_no_payload_runs_on_the_korean_page(visited, name):
    ran, dialogs, _ = visited["ko", name]
    assert (ran, dialogs) == ([], [])


@pytest.mark.parametrize("name", [*(rel[:-3] for rel in PAGES), "front", "include", ""])
def test_korean_content_has_nothing_the_english_lacks(visited, name):
    _, _, english = visited["en", name]
    _, _, korean = visited["ko", name]
    assert set(korean) <= set(english), sorted(set(korean) - set(english))


# Payloads the renderer itself shows as text: nothing to report (and nothing ran, above).
INERT = {
    "b05": "an admonition title is text",
    "h19": "an unclosed tag is text",
    "i09": "a reference definition starts a line",
    "i10": "a tag broken by a new line is text",
    "t01": "code is text (the page title is made plain by the plugin)",
    "t02": "character references are text",
    "u12": "a quote in a link title stays in the title",
}


def test_the_build_and_check_report_every_payload_unit(attack_site):
    root, _, log = attack_site
    units = {uid for units in [*PAGES.values(), INCLUDED] for uid, *_ in units} | set(FRONT)
    warned = {uid for uid in units if f"markup-injection: unit {uid}:" in log}
    assert warned == units - set(INERT), sorted((units - set(INERT)) ^ warned)
    check = run_bitext("check", "--root", str(root), "--only", "markup", "--format", "json")
    assert check.returncode == 1
    assert {f["unit"] for f in json.loads(check.stdout)} == warned


def test_a_strict_build_fails(attack_site, tmp_path):
    root, _, _ = attack_site
    strict = mkdocs(root, "build", "--strict", site_dir=tmp_path / "strict")
    assert strict.returncode != 0 and "markup-injection" in strict.stderr


def test_a_warm_rebuild_keeps_titles_plain(attack_site, tmp_path):
    root, _, _ = attack_site
    warm = mkdocs(root, "build", site_dir=tmp_path / "warm")  # pages restored from the first build's cache
    assert warm.returncode == 0, warm.stderr
    html = (tmp_path / "warm" / "ko" / "title" / "index.html").read_text(encoding="utf-8")
    assert "<script>pwn" not in html and "</title><script>" not in html
