"""No lost work and no file outside the project (issue 11): races, locks, modes, hostile corpora.

Every test runs the real command line (or the library it wraps) on a real
project: the seed article imported with ``bitext import-sxs``.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from lxml import etree, html

from bitext import cli
from bitext.core.errors import BitextError
from bitext.core.files import BOM, OutsideRoot, atomic_write, inside
from bitext.formats import xliff
from bitext.project.project import LOCK, Project, is_language_tag
from bitext.translate import update
from bitext.translate.align import run as align_run
from conftest import run_bitext
from site_helpers import mkdocs, pair

SEED = "fix-error-code-5-7-7xx-in-exchange-online"
XLF = f"locales/ko/{SEED}.xlf"


def edit_english(root: Path) -> Path:
    """An edit a writer makes: ``update`` has to rewrite the seed's segment file."""
    english = root / f"docs/en/{SEED}.md"
    english.write_text(english.read_text(encoding="utf-8") + "\nA brand new closing sentence.\n", encoding="utf-8")
    return english


def save_in_another_process(path: Path, old: str, new: str) -> None:
    """A translator's editor saving ``path``: a separate process replaces ``old`` by ``new`` in it."""
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        path = Path(sys.argv[1])
        text = path.read_text(encoding="utf-8")
        assert sys.argv[2] in text
        path.write_text(text.replace(sys.argv[2], sys.argv[3], 1), encoding="utf-8")
        """
    )
    subprocess.run([sys.executable, "-c", script, str(path), old, new], check=True)


def bitext_env(**extra: str) -> dict[str, str]:
    return {**os.environ, **extra}


# -- lost saves and the write lock ---------------------------------------------------------------


def test_a_save_during_update_survives_and_is_reported(seed_project, monkeypatch, capsys):
    """The translator saves the segment file after ``update`` read it and before it writes it back."""
    edit_english(seed_project)
    segment_file = seed_project / XLF
    first_target = xliff.loads(segment_file.read_bytes(), XLF).body_segments()[0].target
    saved = "번역가가 방금 저장한 제목"
    real = update.update_article

    def update_article_while_the_translator_saves(english, old, **kwargs):
        if kwargs["path"] == f"{SEED}.md":
            save_in_another_process(segment_file, f">{first_target}</target>", f">{saved}</target>")
        return real(english, old, **kwargs)

    monkeypatch.setattr(update, "update_article", update_article_while_the_translator_saves)
    status = cli.main(["update", "--root", str(seed_project)])
    err = capsys.readouterr().err
    assert status == 1
    assert f"{XLF}:1: changed-on-disk: changed on disk while bitext was working" in err
    text = segment_file.read_text(encoding="utf-8")
    assert f">{saved}</target>" in text  # the save survived
    assert "A brand new closing sentence." not in text  # and update did not touch the file
    assert not list(seed_project.rglob("*.tmp"))

    monkeypatch.setattr(update, "update_article", real)
    result = run_bitext("update", "--root", str(seed_project))  # the next run takes the file in
    assert result.returncode == 0, result.stderr
    text = segment_file.read_text(encoding="utf-8")
    assert f">{saved}</target>" in text and "A brand new closing sentence." in text


def test_update_does_not_create_a_segment_file_someone_else_created_meanwhile(seed_project, monkeypatch, capsys):
    (seed_project / "docs/en/new.md").write_text("# New\n\nA new article.\n", encoding="utf-8")
    created = seed_project / "locales/ko/new.xlf"
    real = update.update_article

    def someone_creates_it(english, old, **kwargs):
        if kwargs["path"] == "new.md":
            created.write_text("a translator's own file\n", encoding="utf-8")
        return real(english, old, **kwargs)

    monkeypatch.setattr(update, "update_article", someone_creates_it)
    assert cli.main(["update", "--root", str(seed_project)]) == 1
    assert "locales/ko/new.xlf:1: changed-on-disk:" in capsys.readouterr().err
    assert created.read_text(encoding="utf-8") == "a translator's own file\n"


def test_a_second_writer_waits_for_the_lock_then_gives_up_with_a_message(seed_project):
    edit_english(seed_project)
    before = (seed_project / XLF).read_bytes()
    with Project(seed_project).write_lock():
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "bitext", "update", "--root", str(seed_project)],
            capture_output=True,
            text=True,
            env=bitext_env(BITEXT_LOCK_TIMEOUT="1"),
            check=False,
        )
        waited = time.monotonic() - started
        assert result.returncode == 1
        assert f"{LOCK}:1: locked: another bitext command (update, import-sxs, align) is writing" in result.stderr
        assert "gave up after waiting 1 s" in result.stderr
        assert waited >= 1
        assert (seed_project / XLF).read_bytes() == before

        result = run_bitext("import-sxs", str(seed_project / "docs"), "--root", str(seed_project))
        assert result.returncode == 1 and "locked:" in result.stderr
    assert run_bitext("update", "--root", str(seed_project)).returncode == 0  # the lock is free again


def test_align_holds_the_lock_and_never_overwrites_a_file_saved_meanwhile(seed_project, tmp_path, monkeypatch, capsys):
    """``align`` is a writer like ``update``: it waits for the lock, and a segment file created or saved
    between its read and its write is left as it is and reported."""
    translated = tmp_path / "ko"
    assert run_bitext("compile", "--lang", "ko", "--out", str(translated), "--root", str(seed_project)).returncode == 0
    (seed_project / XLF).unlink()
    with Project(seed_project).write_lock():
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "bitext",
                "align",
                "--lang",
                "ko",
                "--from",
                str(translated),
                "--root",
                str(seed_project),
            ],
            capture_output=True,
            text=True,
            env=bitext_env(BITEXT_LOCK_TIMEOUT="1"),
            check=False,
        )
        assert result.returncode == 1 and "locked:" in result.stderr
        assert not (seed_project / XLF).exists()

    real = align_run.align_article

    def the_translator_saves_meanwhile(*args, **kwargs):
        (seed_project / XLF).write_text("a translator's own file\n", encoding="utf-8")
        return real(*args, **kwargs)

    monkeypatch.setattr(align_run, "align_article", the_translator_saves_meanwhile)
    status = cli.main(["align", "--lang", "ko", "--from", str(translated), "--root", str(seed_project)])
    assert status == 1
    assert f"{XLF}:1: changed-on-disk:" in capsys.readouterr().err
    assert (seed_project / XLF).read_text(encoding="utf-8") == "a translator's own file\n"


def test_two_writers_run_one_after_the_other(seed_project, tmp_path):
    """A real second command: it waits while the first holds the lock and runs when it is released."""
    edit_english(seed_project)
    release = tmp_path / "release"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from bitext.project.project import Project\n"
            "with Project(Path(sys.argv[1])).write_lock():\n"
            "    print('held', flush=True)\n"
            "    while not Path(sys.argv[2]).exists(): time.sleep(0.05)\n",
            str(seed_project),
            str(release),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    second = subprocess.Popen(
        [sys.executable, "-m", "bitext", "update", "--root", str(seed_project)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=bitext_env(BITEXT_LOCK_TIMEOUT="60"),
    )
    time.sleep(1.5)
    assert second.poll() is None  # waiting for the lock
    assert "A brand new closing sentence." not in (seed_project / XLF).read_text(encoding="utf-8")
    release.touch()
    out, err = second.communicate(timeout=60)
    holder.wait(timeout=10)
    assert second.returncode == 0, err
    assert "1 segment file updated" in out
    assert "A brand new closing sentence." in (seed_project / XLF).read_text(encoding="utf-8")


# -- what CAT tools put into segment files --------------------------------------------------------


def test_comments_processing_instructions_and_foreign_attributes_survive_update(seed_project):
    segment_file = seed_project / XLF
    text = segment_file.read_text(encoding="utf-8")
    first = xliff.loads(text.encode(), XLF).body_segments()[0]
    unit_open = f'<trans-unit id="{first.id}" xml:space="preserve">'
    assert unit_open in text and f">{first.target}</target>" in text
    text = text.replace(
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">',
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:mq="MQXliff" version="1.2">',
    )
    text = text.replace('datatype="x-markdown">', 'datatype="x-markdown" mq:fileid="f-7">', 1)
    text = text.replace("</header>", "<!-- exported by memoQ --><?memoq-project id=42?></header>", 1)
    head, tail = text.split(unit_open)
    tail = tail.replace(
        f">{first.target}</target>", f">{first.target}<!-- check the tone --><?memoq lock?></target><?qa ok?>", 1
    )
    text = (
        head
        + f'<trans-unit id="{first.id}" xml:space="preserve" mq:status="ManuallyConfirmed" mq:lastchangedby="kim">'
        + "<!-- reviewed by kim -->"
        + tail
    )
    segment_file.write_text(text, encoding="utf-8")
    edit_english(seed_project)

    result = run_bitext("update", "--root", str(seed_project))
    assert result.returncode == 0, result.stderr
    assert "1 segment file updated" in result.stdout
    rewritten = segment_file.read_text(encoding="utf-8")
    assert "A brand new closing sentence." in rewritten  # it was rewritten
    root = etree.fromstring(rewritten.encode())
    ns = {"x": xliff.NS}
    assert root.find("x:file", ns).get("{MQXliff}fileid") == "f-7"
    header = root.find("x:file/x:header", ns)
    assert [c.text for c in header if c.tag is etree.Comment] == [" exported by memoQ "]
    assert [(c.target, c.text) for c in header if c.tag is etree.PI] == [("memoq-project", "id=42")]
    unit = root.find(f".//x:trans-unit[@id='{first.id}']", ns)
    assert unit.get("{MQXliff}status") == "ManuallyConfirmed" and unit.get("{MQXliff}lastchangedby") == "kim"
    assert [c.text for c in unit if c.tag is etree.Comment] == [" reviewed by kim "]
    assert [c.target for c in unit if c.tag is etree.PI] == ["qa"]
    target = unit.find("x:target", ns)
    assert "".join(target.itertext()) == first.target
    assert [c.text for c in target if c.tag is etree.Comment] == [" check the tone "]
    assert [c.target for c in target if c.tag is etree.PI] == ["memoq"]
    # A second update has nothing to do and changes no byte of it.
    assert run_bitext("update", "--root", str(seed_project)).returncode == 0
    assert segment_file.read_text(encoding="utf-8") == rewritten


# -- file modes -----------------------------------------------------------------------------------


def test_update_keeps_the_mode_of_a_segment_file_and_new_files_follow_the_umask(seed_project):
    segment_file = seed_project / XLF
    segment_file.chmod(0o644)
    edit_english(seed_project)
    (seed_project / "docs/en/new.md").write_text("# New\n\nA new article.\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bitext", "update", "--root", str(seed_project)],
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=lambda: os.umask(0o027),
    )
    assert result.returncode == 0, result.stderr
    assert "A brand new closing sentence." in segment_file.read_text(encoding="utf-8")
    assert stat.S_IMODE(segment_file.stat().st_mode) == 0o644
    assert stat.S_IMODE((seed_project / "locales/ko/new.xlf").stat().st_mode) == 0o640

    segment_file.chmod(0o664)
    edit_english(seed_project)
    assert run_bitext("update", "--root", str(seed_project)).returncode == 0
    assert stat.S_IMODE(segment_file.stat().st_mode) == 0o664


# -- hostile corpora --------------------------------------------------------------------------------


def _sxs(locale: str, ko: str, en: str) -> str:
    return f'---\ntitle: {ko}\nms.contentlocale: {locale}\nms.locfileid: "1"\n---\n\n# {pair("t-101", ko, en)}\n'


def test_a_control_character_in_one_file_is_a_finding_at_its_line_and_the_others_are_imported(tmp_path):
    corpus = tmp_path / "sxs"
    corpus.mkdir()
    good = _sxs("ko-KR", "제목", "Title")
    (corpus / "a.md").write_text(good, encoding="utf-8")
    bad = good + "\n" + pair("t-102", "널\x00문자와 \x1b이스케이프", "NUL and ESC") + "\n"
    (corpus / "b.md").write_text(bad, encoding="utf-8")
    (corpus / "c.md").write_text(good, encoding="utf-8")
    root = tmp_path / "project"
    result = run_bitext("import-sxs", str(corpus), "--root", str(root))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    line = bad.count("\n", 0, bad.index("\x00")) + 1
    column = bad.index("\x00") - bad.rindex("\n", 0, bad.index("\x00"))
    assert result.stderr.splitlines() == [
        f"{corpus / 'b.md'}:{line}:{column}: control-char: control character U+0000 "
        "(a segment file cannot store it); remove it"
    ]
    assert (root / "locales/ko/a.xlf").is_file() and (root / "locales/ko/c.xlf").is_file()
    assert not (root / "locales/ko/b.xlf").exists() and not (root / "docs/en/b.md").exists()
    assert "imported 2 articles" in result.stdout


def test_the_xliff_writer_refuses_control_characters_with_an_error_not_a_crash():
    from bitext.core.model import Segment, SegmentFile

    sf = SegmentFile("a.md", "ko-KR", segments=[Segment("u1", "Title", "제\x1b목", "translated")])
    with pytest.raises(BitextError) as exc:
        xliff.dumps(sf)
    assert "xml-char: character U+001B cannot be stored in XML" in str(exc.value)


def test_symlinks_leaving_the_corpus_are_refused_and_reported(tmp_path):
    outside = tmp_path / "secret"
    outside.mkdir()
    (outside / "passwd").write_text("root:x:0:0\n", encoding="utf-8")
    corpus = tmp_path / "sxs"
    (corpus / "media").mkdir(parents=True)
    (corpus / "a.md").write_text(_sxs("ko-KR", "제목", "Title"), encoding="utf-8")
    (corpus / "media" / "real.png").write_bytes(b"\x89PNG real")
    (corpus / "media" / "logo.png").symlink_to(outside / "passwd")
    (corpus / "media" / "etc-passwd.png").symlink_to("/etc/passwd")
    (corpus / "media" / "alias.png").symlink_to("real.png")  # stays inside: copied
    (corpus / "leak").symlink_to(outside, target_is_directory=True)
    root = tmp_path / "project"
    result = run_bitext("import-sxs", str(corpus), "--root", str(root))
    assert result.returncode == 1
    findings = sorted(result.stderr.splitlines())
    assert findings == sorted(
        [
            f"{corpus / 'leak'}:1: symlink: symbolic link to {outside} leads outside the imported folder; not imported",
            f"{corpus / 'media/etc-passwd.png'}:1: symlink: symbolic link to /etc/passwd leads outside the "
            "imported folder; not imported",
            f"{corpus / 'media/logo.png'}:1: symlink: symbolic link to {outside / 'passwd'} leads outside the "
            "imported folder; not imported",
        ]
    )
    docs = root / "docs/en"
    assert not (docs / "media/logo.png").exists() and not (docs / "media/etc-passwd.png").exists()
    assert not (docs / "leak").exists()
    assert (docs / "media/alias.png").read_bytes() == b"\x89PNG real" and (docs / "a.md").is_file()
    assert not any("root:x:0:0" in p.read_text(errors="replace") for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize("locale", ["../../../x", "/tmp/bitext-absolute", "ko-KR/../../x", "ko KR", "..", "ko-"])
def test_a_language_code_that_is_not_a_bcp47_tag_never_becomes_a_path(tmp_path, locale):
    corpus = tmp_path / "sxs"
    corpus.mkdir()
    (corpus / "a.md").write_text(_sxs(locale, "제목", "Title"), encoding="utf-8")
    (corpus / "b.md").write_text(_sxs("ko-KR", "제목", "Title"), encoding="utf-8")
    root = tmp_path / "deep" / "er" / "project"
    root.mkdir(parents=True)
    before = sorted(tmp_path.rglob("*"))
    result = run_bitext("import-sxs", str(corpus), "--root", str(root))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{corpus / 'a.md'}:3: language: ms.contentlocale {locale!r} is not a BCP 47 language tag"
    ]
    created = sorted(set(tmp_path.rglob("*")) - set(before))
    assert all(p == root or root in p.parents for p in created), created
    assert [p.relative_to(root / "locales").as_posix() for p in (root / "locales").rglob("*.xlf")] == ["ko/b.xlf"]
    assert not Path("/tmp/bitext-absolute").exists()


def test_language_tags():
    assert all(map(is_language_tag, ["ko", "ko-KR", "zh-Hant-TW", "pt_BR", "sr-Latn-RS", "de-CH-1996", "en-x-dev"]))
    assert not any(map(is_language_tag, ["", "../x", "/etc", "ko/KR", "ko-KR/..", "k", "ko--KR", "ko\x00"]))
    result = run_bitext("update", "--lang", "../../x", "--root", ".")
    assert result.returncode == 2 and "is not a BCP 47 language tag" in result.stderr


def test_no_write_leaves_the_project_root(tmp_path):
    root = tmp_path / "project"
    (root / "locales").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "locales" / "ko").symlink_to(outside, target_is_directory=True)
    project = Project(root)
    with pytest.raises(OutsideRoot):
        project.write(root / "locales/ko/a.xlf", "x")
    with pytest.raises(OutsideRoot):
        project.write(root / "locales/../../escape.xlf", "x")
    with pytest.raises(OutsideRoot):
        atomic_write(root / "docs/../../escape.md", "x", root=root)
    assert list(outside.iterdir()) == [] and not (tmp_path / "escape.xlf").exists()
    assert inside(root, root / "docs/en/a.md") == (root / "docs/en/a.md").resolve()
    project.write(root / "docs/en/a.md", "fine\n")
    assert (root / "docs/en/a.md").read_text(encoding="utf-8") == "fine\n"


def test_relative_paths_are_checked_from_the_current_folder(tmp_path, monkeypatch):
    """``--out out`` and ``--root .`` are relative: the check must look at the folder written to."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "out" / "link").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    with pytest.raises(OutsideRoot):
        atomic_write(Path("out/link/x.md"), "x", root=Path("out"))
    assert list((tmp_path / "elsewhere").iterdir()) == []
    assert atomic_write(Path("out/x.md"), "x", root=Path("out"))
    assert (tmp_path / "out/x.md").read_text(encoding="utf-8") == "x"


# -- English Markdown with a byte order mark ----------------------------------------------------------


def test_english_with_a_bom_is_read_like_mkdocs_and_keeps_its_bom(seed_project, tmp_path):
    english = edit_english(seed_project)
    english.write_bytes(BOM + english.read_bytes())
    result = run_bitext("update", "--root", str(seed_project))
    assert result.returncode == 0, result.stderr
    assert "bom" not in result.stderr
    assert "A brand new closing sentence." in (seed_project / XLF).read_text(encoding="utf-8")

    result = run_bitext("compile", "--lang", "ko", "--out", str(tmp_path / "ko"), "--root", str(seed_project))
    assert result.returncode == 0, result.stderr
    compiled = (tmp_path / "ko" / f"{SEED}.md").read_text(encoding="utf-8")
    assert compiled.startswith("---\n") and "A brand new closing sentence." in compiled

    result = run_bitext("links", "--root", str(seed_project))
    assert "bom" not in result.stdout + result.stderr

    # Re-importing the article (--force) rewrites the English: the BOM stays.
    sxs_dir = tmp_path / "export"
    assert run_bitext("export-sxs", "--lang", "ko", "--out", str(sxs_dir), "--root", str(seed_project)).returncode == 0
    result = run_bitext("import-sxs", str(sxs_dir), "--force", "--root", str(seed_project))
    assert result.returncode == 0, result.stderr
    assert english.read_bytes().startswith(BOM + b"---\n")
    assert english.read_bytes().count(BOM) == 1


@pytest.mark.slow
def test_a_site_with_a_bom_article_builds_in_both_languages(tmp_path, seed_path):
    root = tmp_path / "site"
    assert run_bitext("new", str(root), "--name", "BOM site").returncode == 0
    corpus = tmp_path / "sxs"
    corpus.mkdir()
    shutil.copy(seed_path, corpus / f"{SEED}.md")
    assert run_bitext("import-sxs", str(corpus), "--root", str(root)).returncode == 0
    english = root / f"docs/en/{SEED}.md"
    english.write_bytes(BOM + english.read_bytes())
    result = mkdocs(root, "build")
    assert result.returncode == 0, result.stderr
    # The seed links to two articles the site does not have; nothing else is reported.
    warnings = [line for line in result.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))]
    assert len(warnings) == 2 and all("missing-page" in line for line in warnings), warnings
    ko = (root / f"site/ko/{SEED}/index.html").read_text(encoding="utf-8")
    en = (root / f"site/{SEED}/index.html").read_text(encoding="utf-8")
    assert "\ufeff" not in ko and "\ufeff" not in en
    assert "Exchange Online에서" in ko and "Fix email delivery issues" in en


# -- redirect stubs ---------------------------------------------------------------------------------

INJECTED = [
    ("external.md", 'https://www.example.com/a"+alert(document.domain)+"'),
    ("fragment.md", 'page.md#x"+alert(document.domain)+"'),
    ("closing.md", "https://www.example.com/</script><script>alert(document.domain)</script>"),
]
# Spaces around a URL are not part of it (a browser's URL parser drops them): neither encoded nor reported.
SPACED = ("spaced.md", "https://www.example.com/x ")
# Where each redirect page sends the reader: the target, percent-encoded.
ENCODED = {
    "spaced.md": "https://www.example.com/x",
    "external.md": "https://www.example.com/a%22+alert(document.domain)+%22",
    "fragment.md": "../page/",  # a stub's target is resolved to its page: the fragment goes
    "closing.md": "https://www.example.com/%3C/script%3E%3Cscript%3Ealert(document.domain)%3C/script%3E",
}


@pytest.fixture(scope="module")
def redirect_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("redirects") / "site"
    assert run_bitext("new", str(root), "--name", "Redirects").returncode == 0
    docs = root / "docs/en"
    (docs / "index.md").write_text("# Home\n\nWelcome.\n", encoding="utf-8")
    (docs / "page.md").write_text("# Page\n\n## x\n\nText.\n", encoding="utf-8")
    for name, url in [*INJECTED, SPACED]:
        (docs / name).write_text(f"---\nredirect_url: '{url}'\n---\n", encoding="utf-8")
    result = mkdocs(root, "build")
    assert result.returncode == 0, result.stderr
    return root


@pytest.mark.slow
def test_redirect_targets_are_encoded_on_the_generated_page(redirect_site):
    for prefix in ("", "ko/"):
        for name, _ in [*INJECTED, SPACED]:
            path = redirect_site / "site" / prefix / name.removesuffix(".md") / "index.html"
            doc = html.fromstring(path.read_bytes())
            scripts = doc.xpath("//script")
            assert len(scripts) == 1, path
            # The target stays inside the one JavaScript string of mkdocs-redirects' template, encoded.
            url = ENCODED[name]
            assert scripts[0].text == (
                f'var anchor=window.location.hash.substr(1);location.href="{url}"+(anchor?"#"+anchor:"")'
            )
            assert doc.xpath("//link[@rel='canonical']/@href") == [url]
            assert doc.xpath("//meta[@http-equiv='refresh']/@content") == [f"0; url={url}"]
            for element in doc.iter():
                assert not any(a.startswith("on") for a in element.attrib), path


@pytest.mark.slow
@pytest.mark.browser
def test_redirect_pages_run_no_injected_script_in_chromium(redirect_site, browser):
    context = browser.new_context()
    dialogs: list[str] = []
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    context.route("**/*", lambda route: route.abort() if route.request.url.startswith("http") else route.continue_())
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for prefix in ("", "ko/"):
        for name, _ in INJECTED:
            path = redirect_site / "site" / prefix / name.removesuffix(".md") / "index.html"
            page.goto(path.as_uri())
            page.wait_for_timeout(300)
    context.close()
    assert dialogs == []
    external = [url for url in requested if url.startswith("https://www.example.com/")]
    assert external and all('"' not in url and "<" not in url for url in external)


def test_links_reports_an_invalid_redirect_target(tmp_path):
    root = tmp_path / "site"
    assert run_bitext("new", str(root), "--name", "Redirects").returncode == 0
    docs = root / "docs/en"
    (docs / "page.md").write_text("# Page\n", encoding="utf-8")
    for name, url in [*INJECTED, SPACED]:
        (docs / name).write_text(f"---\nredirect_url: '{url}'\n---\n", encoding="utf-8")
    result = run_bitext("links", "--root", str(root))
    assert "spaced.md" not in result.stdout
    assert result.returncode == 1
    for name, url in INJECTED:
        char = '"' if '"' in url else "<"
        assert (
            f"docs/en/{name}:2:1: broken-redirect: {name} redirects to an invalid target {url!r}: "
            f"it contains {char!r}, which a URL must percent-encode"
        ) in result.stdout, result.stdout
