"""Patterns compiled once per machine (`citekit.precompiled`): the same patterns as
`re.compile` makes, read back by a later run, and never trusted when damaged."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import DATA

from citekit import precompiled, regexes
from citekit.regexes import _LazyPattern

PATTERNS = {
    name: value._args for name, value in vars(regexes).items() if isinstance(value, _LazyPattern)
}
SAMPLE = (DATA / "corpus").glob("*.md")


def test_the_scanner_patterns_are_all_there() -> None:
    assert {"CITATION_START", "LEAD_TAIL", "NUMBER", "ISSUER_BEFORE"} <= set(PATTERNS)


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_a_pattern_compiled_here_is_the_one_re_compiles(name: str) -> None:
    pattern, flags = PATTERNS[name]
    ours, theirs = precompiled.compile(pattern, flags), re.compile(pattern, flags)
    assert (ours.pattern, ours.flags, ours.groups) == (theirs.pattern, theirs.flags, theirs.groups)
    assert ours.groupindex == theirs.groupindex
    for path in sorted(SAMPLE)[:4]:
        text = path.read_text(encoding="utf-8")
        found = [(m.span(), m.groupdict()) for m in ours.finditer(text)]
        assert found == [(m.span(), m.groupdict()) for m in theirs.finditer(text)]


_RUN = """
import sys, time
from citekit import precompiled
if sys.argv[1] == "refuse-compiling":  # only what was kept can be used
    import re
    precompiled._compiled = re.compile = None
pattern = precompiled.compile(r"(?P<serial>\\d+)-(?P<code>[A-ZĐ]+)/TW" + "(?:x)?" * 500, 0)
print(pattern.search("Quy định số 148-QĐ/TW").group("serial", "code"))
"""


def _run(cache: Path, mode: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _RUN, mode or "-"],
        env={**os.environ, "CITEKIT_CACHE_DIR": str(cache), **env},
        capture_output=True,
        text=True,
        check=False,
    )


def _kept(cache: Path) -> list[Path]:
    return sorted(cache.glob("patterns-*.bin"))


def test_a_later_run_uses_the_code_an_earlier_run_kept(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert _run(cache, "refuse-compiling").returncode != 0  # nothing kept: must compile
    first = _run(cache)
    assert first.stdout.strip() == "('148', 'QĐ')", first.stderr
    assert len(_kept(cache)) == 1
    second = _run(cache, "refuse-compiling")
    assert second.stdout.strip() == "('148', 'QĐ')", second.stderr


def test_no_cache_means_nothing_kept(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert _run(cache, CITEKIT_NO_CACHE="1").stdout.strip() == "('148', 'QĐ')"
    assert _kept(cache) == []


@pytest.mark.parametrize("damage", ["flip a byte", "truncate", "foreign header"])
def test_a_damaged_file_is_ignored_and_rewritten(tmp_path: Path, damage: str) -> None:
    cache = tmp_path / "cache"
    _run(cache)
    (kept,) = _kept(cache)
    data = bytearray(kept.read_bytes())
    if damage == "flip a byte":
        data[-40] ^= 0xFF
    elif damage == "truncate":
        data = data[: len(data) // 2]
    else:
        data[:7] = b"garbage"
    kept.write_bytes(bytes(data))
    assert _run(cache, "refuse-compiling").returncode != 0  # not trusted
    assert _run(cache).stdout.strip() == "('148', 'QĐ')"
    assert _run(cache, "refuse-compiling").returncode == 0  # rewritten whole


def test_code_the_engine_refuses_is_compiled_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that passes its checksum but holds code `_sre` rejects (a crafted one):
    the engine's own check refuses it, and the pattern is compiled as usual."""
    monkeypatch.setenv("CITEKIT_CACHE_DIR", str(tmp_path))
    big = "a+b" + "(?:c)?" * 500
    entry = precompiled._compiled(big, 0)
    bad = (entry[0], [9999, *entry[1]], *entry[2:])
    kept = precompiled._Kept()
    kept.entries()[(big, 0)] = bad
    monkeypatch.setattr(precompiled, "_KEPT", kept)
    assert precompiled.compile(big).fullmatch("aab")
    assert kept.entries()[(big, 0)] == entry


def test_a_short_pattern_is_compiled_as_usual_and_nothing_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the scanner's large patterns are worth keeping: a lookup, which uses only
    short ones, neither reads nor writes the file."""
    monkeypatch.setenv("CITEKIT_CACHE_DIR", str(tmp_path))
    kept = precompiled._Kept()
    monkeypatch.setattr(precompiled, "_KEPT", kept)
    assert precompiled.compile("a+b").fullmatch("aab")
    assert kept._entries is None  # never loaded
    scanner = ("CITATION_START", "LEAD_TAIL", "NUMBER", "ISSUER_BEFORE")
    assert all(len(PATTERNS[name][0]) >= precompiled.WORTH_KEEPING for name in scanner)


def test_a_fifo_in_place_of_the_file_is_not_waited_on(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    _run(cache)
    (kept,) = _kept(cache)
    kept.unlink()
    os.mkfifo(kept)
    done = subprocess.run(
        [sys.executable, "-c", _RUN, "-"],
        env={**os.environ, "CITEKIT_CACHE_DIR": str(cache)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.stdout.strip() == "('148', 'QĐ')"
