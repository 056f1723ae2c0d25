"""Reading the bitext plugin's options from a real-world mkdocs.yml, tags and INHERIT included, and
validating them with the plugin's Config classes: a misspelt option is an error naming it, in the
commands and in ``mkdocs build``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bitext.core.errors import BitextError
from bitext.core.severity import Severity
from bitext.project import settings
from bitext.project.project import Layout, Project
from bitext.site.plugin import config as plugin_config
from conftest import run_bitext

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
    found = settings.read(tmp_path)
    assert found.plugin_options["check"] == {"severity": {"glossary": False, "numbers": "error"}}
    # INHERIT merges plugin lists as MkDocs does: the child's list replaces the parent's.
    assert "links" not in found.plugin_options
    # Validated as the build validates them: YAML's unquoted off is off.
    validated = plugin_config.load(found)
    assert validated.check.severity == {"glossary": Severity.OFF, "numbers": Severity.ERROR}
    assert validated.links.http.timeout == 10.0 and validated.home_page == "index.md"


def test_plugins_as_a_mapping_and_without_options(tmp_path):
    (tmp_path / "mkdocs.yaml").write_text(
        "plugins:\n  search: {}\n  bitext:\n    links: {base_url: /x/}\n", encoding="utf-8"
    )
    assert settings.read(tmp_path).plugin_options == {"links": {"base_url": "/x/"}}
    (tmp_path / "mkdocs.yaml").write_text("plugins:\n  - bitext\n", encoding="utf-8")
    assert settings.read(tmp_path).plugin_options == {}
    assert plugin_config.load(settings.read(tmp_path)).check.severity == {}


def test_no_config_means_no_options(tmp_path):
    assert settings.find_config(tmp_path) is None and settings.read(tmp_path) is None
    defaults = plugin_config.load(None)
    assert defaults.check.severity == {} and defaults.links.build is True and defaults.links.http.retries == 2


def test_bad_yaml_names_the_line(tmp_path):
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - bitext:\n    check: [unclosed\n", encoding="utf-8"
    )
    with pytest.raises(BitextError) as exc:
        settings.read(tmp_path)
    assert str(exc.value).startswith("mkdocs.yml:")
    assert exc.value.findings[0].line >= 4


def test_option_of_the_wrong_shape(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("plugins:\n  - bitext:\n      check: strict\n", encoding="utf-8")
    with pytest.raises(BitextError, match=r"^mkdocs\.yml:3: config: check: .*Expected a key-value mapping"):
        plugin_config.load(settings.read(tmp_path))


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


# --- options validated by the plugin's Config classes ----------------------------------------------------

SITE = """\
site_name: x
plugins:
  - search
  - bitext:
      docset_urls: []
      check:
        severity:
          glossary: "off"
      links:
        exclude: ['^https://portal\\.example\\.com/']
        http:
          timeout: 3
validation:
  links:
    not_found: info
"""

# A misspelling, the line it is on in SITE, and how the commands and the build name it.
TYPOS = [
    ("exclude:", "exclued:", 10, "unknown links option 'exclued'"),
    ("glossary:", "glosary:", 8, "check.severity: unknown check 'glosary'"),
    ("timeout:", "timeot:", 12, "unknown links.http option 'timeot'"),
    ("docset_urls:", "docset_url:", 5, "unknown bitext option 'docset_url'"),
]


def _site(tmp_path: Path, text: str) -> Path:
    (tmp_path / "docs" / "en").mkdir(parents=True)
    (tmp_path / "docs" / "en" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    return tmp_path


def test_the_options_are_valid_as_written(tmp_path):
    config = plugin_config.load(settings.read(_site(tmp_path, SITE)))
    assert config.links.exclude == ["^https://portal\\.example\\.com/"] and config.links.http.timeout == 3.0
    assert config.links.http.concurrency == 8 and config.check.severity == {"glossary": Severity.OFF}
    for command in ("check", "links"):
        assert run_bitext(command, "--root", str(tmp_path)).returncode == 0


@pytest.mark.parametrize(("right", "wrong", "line", "message"), TYPOS)
def test_a_misspelt_option_is_an_error_naming_it_in_the_commands(tmp_path, right, wrong, line, message):
    root = _site(tmp_path, SITE.replace(right, wrong))
    with pytest.raises(BitextError) as exc:
        plugin_config.load(settings.read(root))
    assert str(exc.value).startswith(f"mkdocs.yml:{line}: config: {message}")
    for command in ("check", "links"):
        result = run_bitext(command, "--root", str(root))
        assert result.returncode == 1, command  # an input error, named by file and line
        assert result.stderr.startswith(f"mkdocs.yml:{line}: config: {message}"), result.stderr


@pytest.mark.parametrize(
    ("right", "wrong", "line", "message"),
    [
        ("timeout: 3", "timeout: -3", 12, "links.http.timeout: must be a non-negative number"),
        ("timeout: 3", "timeout: soon", 12, "links.http.timeout: must be a non-negative number"),
        ('glossary: "off"', "glossary: fatal", 8, "check.severity: glossary: unknown severity 'fatal'"),
        ("portal\\.example", "portal(", 10, "links.exclude: invalid regular expression '^https://portal("),
        ("exclude: [", "exclude: 3 #", 10, "links.exclude: Expected a list of items"),
    ],
)
def test_a_bad_value_is_an_error_naming_the_option(tmp_path, right, wrong, line, message):
    assert right in SITE
    root = _site(tmp_path, SITE.replace(right, wrong))
    with pytest.raises(BitextError) as exc:
        plugin_config.load(settings.read(root))
    assert str(exc.value).startswith(f"mkdocs.yml:{line}: config: {message}")


@pytest.mark.slow
@pytest.mark.parametrize(("right", "wrong", "line", "message"), TYPOS)
def test_a_misspelt_option_fails_mkdocs_build(tmp_path, right, wrong, line, message):
    root = _site(tmp_path, SITE.replace(right, wrong))
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=root,
        capture_output=True,
        text=True,
        env=os.environ | {"NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert result.returncode == 1 and "Aborted with a configuration error!" in result.stdout
    # The build names the option as MkDocs words it: Plugin 'bitext' option 'links': Sub-option ...
    assert "ERROR   -  Config value 'plugins': Plugin 'bitext' option " in result.stderr
    assert message.split(": ")[-1] in result.stderr
    assert not (root / "site").exists()
