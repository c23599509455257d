"""Shared fixtures: the built-in catalogue, the in-process CLI, user catalogues."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers import DATA, SEED, Cli, invoke
from hypothesis import settings

from citekit import catalogue, gitlines
from citekit import config as configuration
from citekit.catalogue import ENV_VAR, Catalogue, load_catalogue

WriteYaml = Callable[..., Path]

# Hypothesis runs the same examples every time and never fails on time; set
# HYPOTHESIS_PROFILE=explore for a longer, randomised search.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("explore", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_configure(config: pytest.Config) -> None:
    """Catalogue caches go to a directory of this run's own, never the user's cache.

    In-process, the built-in catalogue is the fixed seed catalogue (helpers.SEED), before
    any test module is imported: expected outputs stay put as the shipped catalogue
    grows. Tests of the shipped catalogue read helpers.SHIPPED; the installed executable
    (test_installed, test_precommit) runs with the real one.
    """
    catalogue.builtin_path = lambda: SEED
    directory = tempfile.mkdtemp(prefix="citekit-test-cache-")
    os.environ["CITEKIT_CACHE_DIR"] = directory
    config.add_cleanup(lambda: shutil.rmtree(directory, ignore_errors=True))
    # Compiled patterns are written when the process ends, after that cleanup: not then.
    config.add_cleanup(lambda: os.environ.__setitem__("CITEKIT_NO_CACHE", "1"))


@pytest.fixture(autouse=True)
def _no_catalogue_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's own $CITEKIT_CATALOGUE."""
    monkeypatch.delenv(ENV_VAR, raising=False)


@pytest.fixture(autouse=True)
def _fresh_git_answers() -> None:
    """No test sees what git said of another test's repository."""
    gitlines.forget()


@pytest.fixture(autouse=True)
def _fresh_configuration() -> Iterator[None]:
    """No test sees another's cached [tool.citekit] or .citekit.yaml."""
    configuration.for_directory.cache_clear()
    yield
    configuration.for_directory.cache_clear()


@pytest.fixture
def cli() -> Cli:
    """Run citekit in-process: `helpers.invoke`, the one way tests do."""
    return invoke


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test from tmp_path, so paths in output are short."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="session")
def builtin() -> Catalogue:
    """The shipped catalogue, loaded once."""
    return load_catalogue([SEED])


@pytest.fixture(scope="session")
def two_terms() -> Catalogue:
    """The built-in catalogue plus the user's: two 35-CT/TW, of 30-5-2019 and 14-6-2024
    (and 18-NQ/TW)."""
    return load_catalogue([SEED, DATA / "user-catalogue.yaml"])


@pytest.fixture
def write_yaml(tmp_path: Path) -> WriteYaml:
    """Write YAML text (or raw bytes) to tmp_path/NAME and return the path."""

    def write(content: str | bytes, name: str = "catalogue.yaml") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write


@pytest.fixture
def user_catalogue(tmp_path: Path) -> Path:
    """A small user catalogue in tmp_path: 35-CT/TW of 30-5-2019 and 18-NQ/TW."""
    path = tmp_path / "user-catalogue.yaml"
    shutil.copyfile(DATA / "user-catalogue.yaml", path)
    return path
