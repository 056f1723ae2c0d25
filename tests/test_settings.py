"""Reading the bitext plugin's options from a real-world mkdocs.yml, tags and INHERIT included."""

from __future__ import annotations

import pytest

from bitext.core.errors import BitextError
from bitext.project import settings
from bitext.project.project import Layout, Project

MKDOCS_YML = """\
INHERIT: base.yml
site_name: !ENV [BITEXT_TEST_SITE, "Fallback"]
docs_dir: !relative $config_dir/docs
markdown_extensions:
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
plugins:
  - search
  - i18n:
      languages: [{locale: en, default: true}, {locale: ko}]
  - bitext:
      check:
        severity:
          glossary: off
          numbers: !ENV [BITEXT_TEST_LEVEL, warning]
"""

BASE_YML = """\
theme: {name: material}
plugins:
  - bitext:
      links:
        base_url: https://docs.example.com/
"""


def test_reads_plugin_options_through_mkdocs_tags_and_inherit(tmp_path, monkeypatch):
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (tmp_path / "base.yml").write_text(BASE_YML, encoding="utf-8")
    monkeypatch.setenv("BITEXT_TEST_LEVEL", "error")
    config = settings.load(tmp_path / "mkdocs.yml")
    assert config["site_name"] == "Fallback"
    assert config["theme"] == {"name": "material"}
    assert settings.section(tmp_path, "check") == {"severity": {"glossary": False, "numbers": "error"}}
    # INHERIT merges plugin lists as MkDocs does: the child's list replaces the parent's.
    assert settings.section(tmp_path, "links") == {}


def test_plugins_as_a_mapping_and_without_options(tmp_path):
    (tmp_path / "mkdocs.yaml").write_text(
        "plugins:\n  search: {}\n  bitext:\n    links: {base_url: /x/}\n", encoding="utf-8"
    )
    assert settings.section(tmp_path, "links") == {"base_url": "/x/"}
    (tmp_path / "mkdocs.yaml").write_text("plugins:\n  - bitext\n", encoding="utf-8")
    assert settings.section(tmp_path, "check") == {}


def test_no_config_means_no_options(tmp_path):
    assert settings.find_config(tmp_path) is None
    assert settings.section(tmp_path, "check") == {}


def test_bad_yaml_names_the_line(tmp_path):
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - bitext:\n    check: [unclosed\n", encoding="utf-8"
    )
    with pytest.raises(BitextError) as exc:
        settings.section(tmp_path, "check")
    assert str(exc.value).startswith("mkdocs.yml:")
    assert exc.value.findings[0].line >= 4


def test_option_of_the_wrong_shape(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("plugins:\n  - bitext:\n      check: strict\n", encoding="utf-8")
    with pytest.raises(BitextError, match="check: must be a mapping"):
        settings.section(tmp_path, "check")


def test_inherit_loop_is_an_error(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("INHERIT: other.yml\n", encoding="utf-8")
    (tmp_path / "other.yml").write_text("INHERIT: mkdocs.yml\n", encoding="utf-8")
    with pytest.raises(BitextError, match="inherits from itself"):
        settings.load(tmp_path / "mkdocs.yml")


def test_plugins_lists_every_plugin_with_its_options():
    listed = {"plugins": ["search", {"i18n": {"docs_structure": "folder"}}, {"bitext": None}, "search"]}
    assert settings.plugins(listed) == {"search": {}, "i18n": {"docs_structure": "folder"}, "bitext": {}}
    assert settings.plugins({"plugins": {"bitext": {"home_page": "start.md"}}}) == {"bitext": {"home_page": "start.md"}}
    assert settings.plugins({}) == {} and settings.plugin_options({}, "bitext") == {}


def test_layout_is_docs_dir_and_the_i18n_default_language(tmp_path):
    assert Layout.read(tmp_path) == Layout("docs", "en")  # no mkdocs.yml: the defaults
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "docs_dir: pages/\nplugins:\n  - i18n:\n      languages:\n        - locale: ko\n"
        "        - locale: en-us\n          default: true\n",
        encoding="utf-8",
    )
    project = Project.open(tmp_path)
    assert project.layout == Layout("pages", "en-us") and project.source_language == "en-us"
    assert project.docs_dir == tmp_path / "pages" / "en-us"
    config.write_text("docs_dir: !relative $config_dir/site/docs\nplugins: [i18n]\n", encoding="utf-8")
    assert Layout.read(tmp_path) == Layout("site/docs", "en")
    config.write_text("docs_dir: site/docs\n", encoding="utf-8")  # not a bitext site: the default layout
    assert Layout.read(tmp_path) == Layout("docs", "en")
    config.write_text("docs_dir: ../elsewhere\nplugins: [i18n]\n", encoding="utf-8")
    with pytest.raises(BitextError, match=r"mkdocs.yml:1: config: docs_dir '../elsewhere' is outside the project"):
        Layout.read(tmp_path)
