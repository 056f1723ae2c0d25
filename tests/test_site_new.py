"""``bitext new DIR``: a ready site that builds, for Korean or another language."""

from __future__ import annotations

import pytest
import yaml

from conftest import run_bitext
from site_helpers import mkdocs, page


def _config(root):
    # mkdocs.yml may hold tags such as !ENV; ours does not, so plain YAML reads it.
    return yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_new_site_has_everything_and_builds_empty(tmp_path):
    root = tmp_path / "docs-site"
    result = run_bitext("new", str(root))
    assert result.returncode == 0, result.stderr
    assert "bitext import-sxs PATH --root" in result.stdout
    for path in ("mkdocs.yml", "docs/en", "locales/ko", "overrides/main.html", ".gitignore"):
        assert (root / path).exists(), path
    config = _config(root)
    assert config["site_name"] == "docs-site"
    names = [next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]]
    assert names == ["search", "i18n", "redirects", "bitext"]
    i18n = config["plugins"][1]["i18n"]
    assert i18n["docs_structure"] == "folder"
    assert [(lang["locale"], lang.get("default", False)) for lang in i18n["languages"]] == [("en", True), ("ko", False)]
    assert config["theme"]["font"] is False
    built = mkdocs(root, "build")
    assert built.returncode == 0, built.stderr
    assert "문제 해결" in page(root / "site", "ko") and "Troubleshooting" in page(root / "site", "")


def test_new_site_for_another_language(tmp_path):
    root = tmp_path / "ja-site"
    assert run_bitext("new", str(root), "--lang", "ja-JP", "--name", "サイト").returncode == 0
    config = _config(root)
    assert config["site_name"] == "サイト"
    assert config["plugins"][1]["i18n"]["languages"][1]["locale"] == "ja"
    assert (root / "locales" / "ja").is_dir()


def test_new_never_overwrites_a_site(tmp_path):
    root = tmp_path / "existing"
    root.mkdir()
    (root / "mkdocs.yml").write_text("site_name: mine\n", encoding="utf-8")
    result = run_bitext("new", str(root))
    assert result.returncode == 1
    assert f"{root / 'mkdocs.yml'}:1: exists:" in result.stderr
    assert (root / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: mine\n"
    assert not (root / "docs").exists()


def test_the_docs_folder_is_the_one_mkdocs_yml_names(tmp_path, seed_path):
    # docs_dir and the i18n default language are read once, from mkdocs.yml, by every command
    # and by the build: nothing assumes docs/en.
    root = tmp_path / "site"
    assert run_bitext("new", str(root)).returncode == 0
    (root / "docs").rename(root / "content")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "docs_dir: docs\n" in text
    config.write_text(text.replace("docs_dir: docs\n", "docs_dir: content\n"), encoding="utf-8")
    src = tmp_path / "sxs"
    src.mkdir()
    (src / seed_path.name).write_bytes(seed_path.read_bytes())
    result = run_bitext("import-sxs", str(src), "--root", str(root))
    assert result.returncode == 0, result.stderr
    assert (root / "content/en" / seed_path.name).is_file() and not (root / "docs").exists()
    xlf = (root / "locales/ko" / seed_path.name).with_suffix(".xlf").read_text(encoding="utf-8")
    assert f'href="../../content/en/{seed_path.name}"' in xlf
    update = run_bitext("update", "--root", str(root), "--dry-run")
    assert update.returncode == 0 and "0 segment files to update" in update.stdout, update.stdout + update.stderr
    links = run_bitext("links", "--root", str(root))
    assert "checked pages: en 1, ko 1;" in links.stdout, links.stdout + links.stderr
    built = mkdocs(root, "build")
    assert built.returncode == 0, built.stderr
    korean = page(root / "site", f"ko/{seed_path.stem}")
    assert "테 넌 트가 임계값 제한을 초과 했습니다" in korean and 'lang="en"' in korean
