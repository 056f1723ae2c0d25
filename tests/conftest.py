"""Shared fixtures: paths to ../shared (seed, corpus, schemas) and small projects."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BITEXT_SHARED", REPO.parent / "shared"))
SEED = SHARED / "seed" / "fix-error-code-5-7-7xx-in-exchange-online.md"
CORPUS = SHARED / "corpus" / "o365seccomp-ko"
SCHEMA = SHARED / "schemas" / "xliff-core-1.2-strict.xsd"


# The fixture that makes a test a tier's: a test using it must carry the marker, so that
# ``-m "not browser and not corpus"`` never launches Chromium or reads the corpus.
TIER_FIXTURES = {"browser": "browser", "corpus": "corpus"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    unmarked = [
        f"{item.nodeid} uses the {fixture!r} fixture: mark it @pytest.mark.{marker}"
        for item in items
        for fixture, marker in TIER_FIXTURES.items()
        if fixture in getattr(item, "fixturenames", ()) and item.get_closest_marker(marker) is None
    ]
    if unmarked:
        raise pytest.UsageError("\n".join(unmarked))


def _require(path: Path) -> Path:
    if not path.exists():
        pytest.fail(f"{path} is missing: the tests read ../shared beside the repository (or set BITEXT_SHARED)")
    return path


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return _require(SEED)


@pytest.fixture(scope="session")
def corpus() -> Path:
    return _require(CORPUS)


@pytest.fixture(scope="session")
def xliff_schema():
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(_require(SCHEMA))))


def run_bitext(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the installed command line, as a user would."""
    return subprocess.run([sys.executable, "-m", "bitext", *args], cwd=cwd, capture_output=True, text=True, check=False)


@pytest.fixture
def seed_project(tmp_path: Path, seed_path: Path) -> Path:
    """A project with the seed article imported."""
    root = tmp_path / "project"
    src = tmp_path / "sxs"
    src.mkdir()
    shutil.copy(seed_path, src / seed_path.name)
    result = run_bitext("import-sxs", str(src), "--root", str(root))
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="module")
def base_url(tmp_path_factory, seed_path):
    """The fixture site of site_helpers, built once per session, served on 127.0.0.1."""
    from site_helpers import built_fixture_site, serve

    _, site = built_fixture_site(tmp_path_factory, seed_path)
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    from site_helpers import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def korean_analyzer():
    """kiwipiepy loaded once per session: its model takes seconds to load, as in one ``mkdocs serve``."""
    from bitext.search.korean import Analyzer

    return Analyzer()


@pytest.fixture(scope="session")
def corpus_project(tmp_path_factory, corpus: Path) -> Path:
    """The whole corpus imported once per test session."""
    root = tmp_path_factory.mktemp("corpus-project")
    result = run_bitext("import-sxs", str(corpus / "sxs"), "--root", str(root))
    assert result.returncode == 0, result.stderr
    return root
