"""Hostile and broken input, through the real CLI: never a traceback, never a lost byte.

Issue 5; docs/robustness.md lists every case here with what citekit does. Where the
process itself matters (its exit status, exactly what reaches stderr, signals, pipes,
encodings, a time bound) the installed executable runs as a subprocess with a generous
timeout: finishing under it is the proof of bounded time, never a measured speed. The
tables of cases also run in-process through Typer's CliRunner (fast, and able to
simulate what root cannot provoke: a permission denied, a file that vanishes).
"""

from __future__ import annotations

import codecs
import errno
import json
import os
import re
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import pytest
import yaml
from helpers import COLOUR, executable, invoke, subprocess_env

from citekit.yamlsafe import MAX_BYTES

CITEKIT = executable()
TIMEOUT = 20
"""Seconds one command may take. Every case needs well under one; more is a hang."""
MAX_RSS_MB = 200
"""Peak memory allowed to a command refusing a hostile catalogue (citekit needs ~32)."""

posix = pytest.mark.skipif(os.name != "posix", reason="POSIX signals, pipes and ptys")


@dataclass(frozen=True)
class Run:
    """What one command did: exit code, stdout, stderr (decoded; raw bytes kept)."""

    code: int
    out: str
    err: str
    raw_out: bytes = b""


# PYTHONUNBUFFERED would hide what users meet: output written at exit, not at once.
_SKIP = frozenset({"COLUMNS", "CITEKIT_NO_CACHE", "PYTHONUNBUFFERED"})


def _env(**extra: str) -> dict[str, str]:
    return subprocess_env(skip=_SKIP, **extra)


def process(
    *args: str | bytes,
    cwd: Path,
    stdin: bytes | None = None,
    timeout: float = TIMEOUT,
    **env: str,
) -> Run:
    """Run the installed executable."""
    done = subprocess.run(
        [CITEKIT, *args],
        cwd=cwd,
        input=stdin,
        env=_env(**env),
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    out = done.stdout.decode("utf-8", "surrogateescape")
    return Run(done.returncode, out, done.stderr.decode("utf-8", "replace"), done.stdout)


def in_process(*args: str, stdin: bytes | None = None, **env: str | None) -> Run:
    """Run the app through CliRunner; an exception a user would see as a traceback
    is raised here."""
    result = invoke(*args, stdin=stdin, env=env)
    return Run(result.exit_code, result.stdout, result.stderr, result.stdout_bytes)


Cli = Callable[..., Run]


@pytest.fixture(params=["runner", pytest.param("process", marks=pytest.mark.slow)])
def both(request: pytest.FixtureRequest, here: Path) -> Cli:
    """The same command in-process (CliRunner) and as the installed executable."""
    if request.param == "runner":
        return in_process

    def run(*args: str, stdin: bytes | None = None, **env: str) -> Run:
        return process(*args, cwd=here, stdin=stdin, **env)

    return run


def assert_one_error(run: Run, message: str, code: int = 2) -> None:
    """Exit `code`, and stderr is exactly one line: citekit's error `message`."""
    assert (run.code, run.err) == (code, f"citekit: error: {message}\n")


_MEASURE = """\
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def peak_rss_mb(*args: str, cwd: Path, timeout: float = TIMEOUT) -> tuple[int, float]:
    """Run the executable with output discarded: its exit code and peak memory in MB.

    A small Python starts it and reads its peak: a child forked from this test process
    would count the test process's own memory in its peak, until it execs.
    """
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, CITEKIT, *args],
        cwd=cwd,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    code, peak = done.stdout.split()
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes or KiB
    return int(code), int(peak) / scale


# --------------------------------------------------------------------------------------
# Catalogues: exit 2, one stderr line naming the file and, where there is one, the line.

ENTRY = (
    "  - number: 148-QĐ/TW\n"
    "    kind: Quy định\n"
    "    date: '2024-05-23'\n"
    "    issuer: Bộ Chính trị\n"
    "    title: null\n"
)
VALID = "documents:\n" + ENTRY
MISPRINT = (
    "    misprints:\n      - field: date\n        printed: 16/4/2024\n        where: report\n"
)

CATALOGUES = [
    pytest.param(
        b"documents:\n\t- number: 148-QD/TW\n",
        ":2: invalid YAML: found character that cannot start any token",
        id="tab-indentation",
    ),
    pytest.param(
        'documents:\n  - number: "148-QĐ/TW\n    kind: Quy định\n'.encode(),
        ":4: invalid YAML: found unexpected end of stream",
        id="unclosed-quote",
    ),
    pytest.param(
        "documents: [\n  {number: 148-QĐ/TW,\n".encode(),
        ":3: invalid YAML: did not find expected node content",
        id="unclosed-bracket",
    ),
    pytest.param(
        "- number: 148-QĐ/TW\n  kind: Quy định\n".encode(),
        ":1: top level must be a mapping with a 'documents' list",
        id="top-level-list",
    ),
    pytest.param(
        "148-QĐ/TW\n".encode(),
        ":1: top level must be a mapping with a 'documents' list",
        id="top-level-text",
    ),
    pytest.param(
        "schema: 1\ndocuments: 148-QĐ/TW\n".encode(),
        ":2: 'documents' must be a list",
        id="documents-not-a-list",
    ),
    pytest.param(
        "documents:\n  - 148-QĐ/TW\n".encode(),
        ":2: each document must be a mapping",
        id="entry-not-a-mapping",
    ),
    pytest.param(
        "documents:\n  - number: 148-QĐ/TW\n".encode(),
        ":2: 148-QĐ/TW: missing field 'kind' (and 3 more problem(s))",
        id="missing-fields",
    ),
    pytest.param(
        (VALID + "    author: Bộ Chính trị\n").encode(),
        ":7: 148-QĐ/TW: unknown field 'author'",
        id="unknown-field",
    ),
    pytest.param(
        ("catalogue: mine\n" + VALID).encode(),
        ":1: unknown field 'catalogue'",
        id="unknown-top-level-field",
    ),
    pytest.param(
        VALID.replace("2024-05-23", "2024-02-30").encode(),
        ":4: 148-QĐ/TW: date '2024-02-30' is not a real date",
        id="impossible-date",
    ),
    pytest.param(
        VALID.replace("2024-05-23", "23-5-2024").encode(),
        ":4: 148-QĐ/TW: date '23-5-2024' is not an ISO date (yyyy-mm-dd)",
        id="date-not-iso",
    ),
    pytest.param(
        VALID.replace("2024-05-23", "٢٠٢٤-٠٥-٢٣").encode(),
        ":4: 148-QĐ/TW: date '٢٠٢٤-٠٥-٢٣' is not an ISO date (yyyy-mm-dd)",
        id="date-in-arabic-digits",
    ),
    pytest.param(
        VALID.replace("    title", "    year: '²⁰²⁴'\n    title").encode(),
        ":6: 148-QĐ/TW: year '²⁰²⁴' is not a year between 1930 and 2100",
        id="year-in-superscript-digits",
    ),
    pytest.param(
        (VALID + MISPRINT).encode(),
        ":9: 148-QĐ/TW: printed '16/4/2024' is not an ISO date (yyyy-mm-dd)",
        id="misprinted-date-not-a-date",
    ),
    pytest.param(
        ("documents:\n" + ENTRY + ENTRY).encode(),
        ":7: 148-QĐ/TW (2024-05-23) duplicates the entry at catalogue.yaml:2",
        id="duplicate",
    ),
    pytest.param(
        VALID.encode().replace("Bộ Chính trị".encode(), b"B\xf4\xf2 Chi\xecnh tri\xf2"),
        ":5: not UTF-8 (byte 0xf4 at offset 92)",
        id="non-utf-8-bytes",
    ),
    pytest.param(
        codecs.BOM_UTF16_LE + VALID.encode("utf-16-le"),
        ":1: not UTF-8 (byte 0xff at offset 0)",
        id="utf-16",
    ),
    pytest.param(b"", ": file is empty; expected 'documents:'", id="empty"),
    pytest.param(b"# nothing yet\n", ": file is empty; expected 'documents:'", id="comments-only"),
    pytest.param(
        VALID.replace("null", "nu\0ll").encode(),
        ":6: invalid YAML: character U+0000 is not allowed",
        id="nul-byte",
    ),
    pytest.param(
        b"documents: []\n---\ndocuments: []\n",
        ":2: a catalogue holds one YAML document, not several",
        id="two-yaml-documents",
    ),
    pytest.param(
        ("documents:\n  - title: " + "[" * 200 + "]" * 200 + "\n").encode(),
        ":2: YAML nested more than 50 levels deep",
        id="deep-nesting",
    ),
    pytest.param(
        b"documents: " + b"[" * 100_000 + b"\n",
        ":1: invalid YAML: exceeded maximum nesting depth",
        id="deeper-nesting",
    ),
    pytest.param(
        (VALID + '    "a\\nb\\e[31m": x\n').encode(),
        ":7: 148-QĐ/TW: unknown field 'a\\nb\\x1b[31m'",
        id="escape-sequence-in-a-key",
    ),
    pytest.param(
        b'lol: &a ["lol", "lol"]\ndocuments: [*a, *a]\n',
        ":2: YAML aliases are not allowed",
        id="alias",
    ),
]


@pytest.mark.parametrize(("content", "message"), CATALOGUES)
def test_a_broken_catalogue_is_one_error_line_with_file_and_line(
    both: Cli, here: Path, content: bytes, message: str
) -> None:
    (here / "catalogue.yaml").write_bytes(content)
    run = both("list", "--no-builtin", "--catalogue", "catalogue.yaml")
    assert run.out == ""
    assert_one_error(run, f"catalogue.yaml{message}")


@pytest.mark.parametrize(("content", "message"), CATALOGUES)
def test_catalogue_check_names_the_file_on_every_line(
    here: Path, content: bytes, message: str
) -> None:
    (here / "catalogue.yaml").write_bytes(content)
    run = in_process("catalogue", "check", "catalogue.yaml")
    assert run.code == 2
    lines = run.err.splitlines()
    assert lines[0] == f"catalogue.yaml{message}".split(" (and ")[0]
    assert all(line.startswith("catalogue.yaml") for line in lines), run.err


def test_a_broken_catalogue_in_the_environment_is_one_error_line(here: Path) -> None:
    (here / "mine.yaml").write_bytes(b"documents:\n\t- x\n")
    run = process("lookup", "148-QĐ/TW", cwd=here, CITEKIT_CATALOGUE="mine.yaml")
    assert_one_error(run, "mine.yaml:2: invalid YAML: found character that cannot start any token")


@pytest.mark.slow
def test_a_50_mb_catalogue_is_refused_in_bounded_time_and_memory(here: Path) -> None:
    big = here / "big.yaml"
    padding = b"# " + b"x" * 1021 + b"\n"
    with big.open("wb") as out:
        out.write(VALID.encode())
        for _ in range(50 * 1024):
            out.write(padding)
    size = big.stat().st_size
    assert size > 50 * 1024 * 1024
    assert_one_error(
        process("list", "--no-builtin", "--catalogue", "big.yaml", cwd=here),
        f"big.yaml: file is {size:,} bytes; catalogues are limited to 40 MiB",
    )
    code, rss = peak_rss_mb("list", "--no-builtin", "--catalogue", "big.yaml", cwd=here)
    assert (code, rss < MAX_RSS_MB) == (2, True), f"{rss:.0f} MB"


@pytest.mark.slow
def test_a_catalogue_of_nine_million_broken_entries_stops_after_a_thousand(here: Path) -> None:
    (here / "broken.yaml").write_bytes(b"documents:\n" + b"- x\n" * 9_000_000)  # 36 MB
    run = process("catalogue", "check", "broken.yaml", cwd=here)
    assert run.code == 2
    assert run.err.count("\n") == 1001
    assert run.err.endswith("broken.yaml:1001: more than 1000 problems: reading stopped here\n")
    assert_one_error(
        process("list", "--no-builtin", "--catalogue", "broken.yaml", cwd=here),
        "broken.yaml:2: each document must be a mapping (and 1000 more problem(s))",
    )
    code, rss = peak_rss_mb("list", "--no-builtin", "--catalogue", "broken.yaml", cwd=here)
    assert (code, rss < MAX_RSS_MB) == (2, True), f"{rss:.0f} MB"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_catalogue_is_read_only_to_the_limit(here: Path) -> None:
    """stat says /dev/zero is empty; reading it whole would never end."""
    assert_one_error(
        process("list", "--no-builtin", "--catalogue", "/dev/zero", cwd=here),
        f"/dev/zero: more than {MAX_BYTES:,} bytes; catalogues are limited to 40 MiB",
    )
    code, rss = peak_rss_mb("list", "--no-builtin", "--catalogue", "/dev/zero", cwd=here)
    assert (code, rss < MAX_RSS_MB) == (2, True), f"{rss:.0f} MB"


APPLY = "!!python/object/apply:os.mkdir [{marker!r}]"
"""Unsafe YAML would call os.mkdir(marker) to build this."""
PYTHON_TAGS = [
    f"documents: {APPLY}\n",
    f"documents:\n  - {APPLY}\n",
    VALID.replace("title: null", f"title: {APPLY}"),
    f"? {APPLY}\n: x\ndocuments: []\n",
    "%TAG !p! tag:yaml.org,2002:python/\n---\ndocuments: !p!object/apply:os.mkdir [{marker!r}]\n",
    "documents: !!python/object/new:pathlib.Path [{marker!r}]\n",
    "documents: !!python/name:os.mkdir\n",
]


@pytest.mark.parametrize("template", PYTHON_TAGS)
def test_tags_that_build_python_objects_are_refused_and_never_run(
    both: Cli, here: Path, template: str
) -> None:
    marker = here / "MARKER"
    payload = template.format(marker=str(marker))
    if "mkdir [" in payload:  # prove the payload live: unsafe YAML runs it
        yaml.unsafe_load(payload)
        assert marker.is_dir()
        marker.rmdir()
    (here / "evil.yaml").write_text(payload, encoding="utf-8")

    run = both("list", "--no-builtin", "--catalogue", "evil.yaml")

    assert run.code == 2
    assert re.fullmatch(r"citekit: error: evil\.yaml:\d+: YAML tag '.*' is not allowed\n", run.err)
    assert not marker.exists()


BILLION_LAUGHS = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
documents: [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def test_a_billion_laughs_costs_nothing(here: Path) -> None:
    (here / "bomb.yaml").write_text(BILLION_LAUGHS, encoding="utf-8")
    assert_one_error(
        process("list", "--no-builtin", "--catalogue", "bomb.yaml", cwd=here),
        "bomb.yaml:2: YAML aliases are not allowed",
    )
    code, rss = peak_rss_mb("list", "--no-builtin", "--catalogue", "bomb.yaml", cwd=here)
    assert (code, rss < MAX_RSS_MB) == (2, True), f"{rss:.0f} MB"


def test_a_missing_catalogue(both: Cli) -> None:
    assert_one_error(both("list", "--catalogue", "nope.yaml"), "nope.yaml: no such file")


def test_a_directory_given_as_the_catalogue(both: Cli, here: Path) -> None:
    (here / "folder").mkdir()
    assert_one_error(
        both("list", "--catalogue", "folder"), "folder: is a directory, not a catalogue file"
    )
    assert_one_error(
        both("list", CITEKIT_CATALOGUE="folder"), "folder: is a directory, not a catalogue file"
    )


def _refuse(monkeypatch: pytest.MonkeyPatch, method: str, name: str, error: int) -> None:
    """Make `os.open` (what citekit opens files with, see citekit.opening) of the file
    called `name` fail with `error`. tests/test_permissions.py provokes the real thing
    as a user without root's overrides."""
    assert method == "open"
    real = os.open

    def refusing(path: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(path).name == name:
            raise OSError(error, os.strerror(error), str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing)


def test_an_unreadable_catalogue(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (here / "secret.yaml").write_text(VALID, encoding="utf-8")
    _refuse(monkeypatch, "open", "secret.yaml", errno.EACCES)
    assert_one_error(
        in_process("list", "--no-builtin", "--catalogue", "secret.yaml", CITEKIT_NO_CACHE="1"),
        "secret.yaml: cannot read: Permission denied",
    )


def test_a_catalogue_path_too_long_for_the_system(both: Cli) -> None:
    name = "a" * 300 + ".yaml"
    assert_one_error(both("list", "--catalogue", name), f"{name}: cannot read: File name too long")


# --------------------------------------------------------------------------------------
# Drafts for check and refs: the right exit code, correct line numbers, no traceback.

DRAFT = (
    "Mở đầu.\n"
    "Thực hiện Quyết định số 71-QD/TW ngày 18-7-2022 của Bộ Chính trị.\n"
    "Quy định số 149-QĐ/TW ngày 23-5-2024 của Bộ Chính trị.\n"
)
WRONG_NUMBER = (
    "wrong-number 149-QĐ/TW is in no catalogue; "
    "the Quy định of 23-5-2024 by the Bộ Chính trị is 148-QĐ/TW"
)


def _where(raw: str, needle: str) -> str:
    """line:column (1-based, in characters as written) of `needle` in `raw`."""
    offset = raw.index(needle)
    line_start = raw.rfind("\n", 0, offset) + 1
    return f"{raw.count(chr(10), 0, offset) + 1}:{offset - line_start + 1}"


def _line(raw: str, needle: str) -> int:
    return raw.count("\n", 0, raw.index(needle)) + 1


def _findings(name: str, raw: str) -> str:
    """What `check` prints for DRAFT's two citations, written as `raw`."""
    return (
        f"{name}:{_where(raw, '71-QD/TW')}: non-canonical-number write 71-QĐ/TW, not 71-QD/TW\n"
        f"{name}:{_where(raw, '149-')}: {WRONG_NUMBER}\n"
        "Found 1 error and 1 warning (1 file, 2 citations).\n"
    )


def _refs_lines(run: Run) -> dict[str, list[int]]:
    return {
        entry["number"]: [where["line"] for where in entry["locations"]]
        for entry in json.loads(run.out)
    }


LONG_LINE = "chữ " * 500_000  # 2 MB of text on one line, before a citation
ENCODINGS: dict[str, tuple[str, bytes]] = {
    # id: (the text as written, without BOM; the bytes on disk)
    "utf-8": (DRAFT, DRAFT.encode()),
    "utf-8-bom": (DRAFT, codecs.BOM_UTF8 + DRAFT.encode()),
    "utf-16-le-bom": (DRAFT, codecs.BOM_UTF16_LE + DRAFT.encode("utf-16-le")),
    "utf-16-be-bom": (DRAFT, codecs.BOM_UTF16_BE + DRAFT.encode("utf-16-be")),
    # D8: read as UTF-16 (its BOM starts with UTF-16's), it passed with "0 citations"
    "utf-32-le-bom": (DRAFT, codecs.BOM_UTF32_LE + DRAFT.encode("utf-32-le")),
    "utf-32-be-bom": (DRAFT, codecs.BOM_UTF32_BE + DRAFT.encode("utf-32-be")),
    "crlf": (DRAFT, DRAFT.replace("\n", "\r\n").encode()),
    "utf-16-le-bom-crlf": (
        DRAFT,
        codecs.BOM_UTF16_LE + DRAFT.replace("\n", "\r\n").encode("utf-16-le"),
    ),
    "nfd": (unicodedata.normalize("NFD", DRAFT), unicodedata.normalize("NFD", DRAFT).encode()),
    "nul-bytes-after-8000": (DRAFT, DRAFT.encode() + b"x" * 9000 + b"\0\0\n"),
    "very-long-lines": (
        LONG_LINE + DRAFT.replace("\n", " ", 1),
        (LONG_LINE + DRAFT.replace("\n", " ", 1)).encode(),
    ),
    "only-cr-line-ends": (DRAFT.replace("\n", "\r"), DRAFT.replace("\n", "\r").encode()),
}


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_check_and_refs_read_every_encoding_with_correct_lines(
    both: Cli, here: Path, encoding: str
) -> None:
    raw, data = ENCODINGS[encoding]
    (here / "d.md").write_bytes(data)

    check = both("check", "d.md")
    refs = both("refs", "d.md", "--format", "json")

    assert (check.code, check.err, check.out) == (1, "", _findings("d.md", raw))
    assert (refs.code, refs.err) == (0, "")
    assert _refs_lines(refs) == {
        "71-QĐ/TW": [_line(raw, "71-QD/TW")],
        "149-QĐ/TW": [_line(raw, "149-QĐ/TW")],
    }


def test_a_binary_file_is_skipped_with_a_note_as_git_does(both: Cli, here: Path) -> None:
    (here / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR 71-QD/TW\n")
    (here / "d.md").write_text(DRAFT, encoding="utf-8")

    alone = both("check", "image.md")
    together = both("check", "image.md", "d.md")
    refs = both("refs", "image.md", "--format", "json")

    note = "citekit: note: image.md: binary file, skipped\n"
    assert (alone.code, alone.err) == (0, note)
    assert alone.out == "All citations verified (0 files, 0 citations).\n"
    assert (together.code, together.err, together.out) == (1, note, _findings("d.md", DRAFT))
    assert (refs.code, refs.err, refs.out) == (0, note, "[]\n")


def test_utf_16_without_a_bom_is_binary_as_git_sees_it(both: Cli, here: Path) -> None:
    (here / "d.md").write_bytes(DRAFT.encode("utf-16-le"))
    run = both("check", "d.md")
    assert (run.code, run.err) == (0, "citekit: note: d.md: binary file, skipped\n")


# The letters of LEGACY in two pre-Unicode Vietnamese encodings.
LEGACY = "Báo cáo\n\nQuyết định số 71-QD/TW của Bộ Chính trị.\n"
TCVN3 = {"á": 0xB8, "ế": 0xD5, "đ": 0xAE, "ị": 0xDE, "ố": 0xE8, "ủ": 0xF1, "ộ": 0xE9, "í": 0xDD}
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # Windows-1258 writes these after the letter


def windows_1258(text: str) -> bytes:
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
        out.append(base + "".join(c for c in parts if c in TONE_MARKS))
    return "".join(out).encode("cp1258")


def tcvn3(text: str) -> bytes:
    return b"".join(bytes([TCVN3[c]]) if c in TCVN3 else c.encode("ascii") for c in text)


@pytest.mark.parametrize("encode", [windows_1258, tcvn3], ids=["windows-1258", "tcvn3"])
def test_a_legacy_vietnamese_encoding_is_named_with_file_and_line(
    both: Cli, here: Path, encode: Callable[[str], bytes]
) -> None:
    data = encode(LEGACY.replace("Báo cáo", "Draft"))  # the first letter out of ASCII: line 3
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    (here / "legacy.md").write_bytes(data)
    (here / "d.md").write_text(DRAFT, encoding="utf-8")
    expected = re.compile(
        r"citekit: error: legacy\.md:3: not UTF-8 \(byte 0x[0-9a-f]{2}\); a legacy Vietnamese"
        r" encoding\? Name it with --encoding tcvn3\|vni\|viscii\|cp1258, or convert the file"
        r" to UTF-8\n"
    )

    for command in (["check"], ["refs", "--format", "json"]):
        run = both(*command, "legacy.md", "d.md")
        assert run.code == 2
        assert expected.fullmatch(run.err), run.err
    check = both("check", "legacy.md", "d.md")
    assert check.out == _findings("d.md", DRAFT).replace(
        "(1 file, 2 citations)", "(1 file, 2 citations; 1 file could not be read)"
    )


def test_a_directory_is_walked(both: Cli, here: Path) -> None:
    (here / "drafts" / "sub").mkdir(parents=True)
    (here / "drafts" / "sub" / "d.md").write_text(DRAFT, encoding="utf-8")
    (here / "drafts" / "notes.bin").write_bytes(b"\0\1\2")
    (here / "empty").mkdir()
    (here / "folder.md").mkdir()

    walked = both("check", "drafts")
    empty = both("check", "empty", "folder.md")

    name = str(Path("drafts", "sub", "d.md"))
    assert (walked.code, walked.err, walked.out) == (1, "", _findings(name, DRAFT))
    assert (empty.code, empty.err) == (0, "")
    assert empty.out == "All citations verified (0 files, 0 citations).\n"


def test_a_path_that_does_not_exist(both: Cli, here: Path) -> None:
    (here / "d.md").write_text(DRAFT, encoding="utf-8")
    check = both("check", "nope.md", "d.md")
    refs = both("refs", "nope.md")
    assert_one_error(check, "nope.md: no such file")
    assert check.out.endswith("(1 file, 2 citations; 1 file could not be read).\n")
    assert_one_error(refs, "nope.md: no such file")


def test_a_draft_path_too_long_for_the_system(both: Cli) -> None:
    name = "a" * 300 + ".md"
    assert_one_error(both("check", name), f"{name}: File name too long")


def test_permission_denied(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (here / "secret.md").write_text(DRAFT, encoding="utf-8")
    (here / "d.md").write_text(DRAFT, encoding="utf-8")
    _refuse(monkeypatch, "open", "secret.md", errno.EACCES)

    check = in_process("check", "secret.md", "d.md")
    refs = in_process("refs", "secret.md")

    assert_one_error(check, "secret.md: cannot read: Permission denied")
    assert check.out.startswith("d.md:2:25: non-canonical-number")
    assert_one_error(refs, "secret.md: cannot read: Permission denied")


def test_a_file_that_disappears_while_it_is_read(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (here / "gone.md").write_text(DRAFT, encoding="utf-8")
    _refuse(monkeypatch, "open", "gone.md", errno.ENOENT)
    assert_one_error(in_process("check", "gone.md"), "gone.md: no such file")


def test_a_file_deleted_between_the_walk_and_the_read(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from citekit import walking

    (here / "drafts").mkdir()
    for name in ("a.md", "gone.md", "z.md"):
        (here / "drafts" / name).write_text(DRAFT, encoding="utf-8")
    walk = walking.expand

    def deleting(paths: list[Path], keeping: None = None) -> Iterator[Path]:
        for path in walk(paths, keeping):
            if path.name == "gone.md":
                path.unlink()
            yield path

    monkeypatch.setattr(walking, "expand", deleting)
    run = in_process("check", "drafts")
    assert_one_error(run, f"{Path('drafts', 'gone.md')}: no such file")
    assert run.out.endswith("(2 files, 4 citations; 1 file could not be read).\n")


def test_a_symlink_loop(here: Path) -> None:
    (here / "loop.md").symlink_to("loop.md")
    assert_one_error(
        in_process("check", "loop.md"), "loop.md: cannot read: Too many levels of symbolic links"
    )


@posix
@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file names are always UTF-8")
def test_a_file_name_that_is_not_utf_8(here: Path) -> None:
    """Printed as the bytes of its name, as `ls` does, even to a strict UTF-8 stdout."""
    (here / os.fsdecode(b"b\xe1o-c\xe1o.md")).write_text(DRAFT, encoding="utf-8")
    named = process("check", b"b\xe1o-c\xe1o.md", cwd=here)
    walked = process("check", ".", cwd=here)
    assert (named.code, named.err) == (1, "")
    assert named.raw_out.startswith(b"b\xe1o-c\xe1o.md:2:25: non-canonical-number")
    assert (walked.code, walked.err, walked.raw_out) == (1, "", named.raw_out)


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
def test_an_output_encoding_without_vietnamese_letters(here: Path, encoding: str) -> None:
    """As on Windows, where a pipe gets the ANSI code page: escapes, not a crash."""
    (here / "d.md").write_text(DRAFT, encoding="utf-8")
    check = process("check", "d.md", cwd=here, PYTHONIOENCODING=encoding)
    listed = process("list", "--format", "table", cwd=here, PYTHONIOENCODING=encoding)
    assert (check.code, check.err) == (1, "")
    assert check.out.startswith("d.md:2:25: non-canonical-number write 71-Q\\u0110/TW")
    assert (listed.code, listed.err) == (0, "")
    assert "Quy \\u0111\\u1ecbnh" in listed.out


@posix
@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_draft_is_refused(here: Path) -> None:
    import resource

    def one_gib() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))

    done = subprocess.run(
        [CITEKIT, "check", "/dev/zero"],
        cwd=here,
        env=_env(),
        capture_output=True,
        preexec_fn=one_gib,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith(b"citekit: error: /dev/zero: ")
    assert done.stderr.count(b"\n") == 1


@pytest.mark.slow
def test_a_100_mb_draft(here: Path) -> None:
    filler = "Trong nhiệm kỳ 2020-2025, toàn Đảng bộ có 148 người được kết nạp, tỷ lệ 27/30.\n"
    lines = 100 * 1024 * 1024 // len(filler.encode()) + 1
    with (here / "big.md").open("w", encoding="utf-8") as out:
        last = DRAFT.splitlines(keepends=True)[-1]
        out.write(DRAFT.replace(last, ""))
        out.write(filler * lines)
        out.write(last)
    assert (here / "big.md").stat().st_size > 100 * 1024 * 1024

    run = process("check", "big.md", cwd=here, timeout=120)

    assert (run.code, run.err) == (1, "")
    assert run.out == (
        "big.md:2:25: non-canonical-number write 71-QĐ/TW, not 71-QD/TW\n"
        f"big.md:{lines + 3}:13: {WRONG_NUMBER}\n"
        "Found 1 error and 1 warning (1 file, 2 citations).\n"
    )


# --------------------------------------------------------------------------------------
# --fix under faults: a temp file beside, fsynced, renamed; never a half-written draft.
# tests/test_fix.py covers permissions, symlinks, and failures of fsync, chmod, replace.


def test_a_write_that_fails_part_way_leaves_the_original_and_no_temp_file(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = codecs.BOM_UTF8 + DRAFT.replace("\n", "\r\n").encode()
    (here / "d.md").write_bytes(original)
    real_fdopen = os.fdopen

    class DiskFillsUp:
        """A temp file on a disk that fills up after half of the draft."""

        def __init__(self, fd: int, *args: Any, **kwargs: Any) -> None:
            self.handle = real_fdopen(fd, *args, **kwargs)

        def __enter__(self) -> DiskFillsUp:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, data: bytes) -> NoReturn:
            self.handle.write(data[: len(data) // 2])
            self.handle.flush()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("citekit.fixing.os.fdopen", DiskFillsUp)

    run = in_process("check", "--fix", "d.md", CITEKIT_NO_CACHE="1")

    assert_one_error(run, "d.md: cannot write: No space left on device")
    assert (here / "d.md").read_bytes() == original
    assert os.listdir(here) == ["d.md"]


def test_permissions_are_kept_by_fix(here: Path) -> None:
    """The mode of a draft survives --fix (more modes: tests/test_fix.py)."""
    path = here / "d.md"
    path.write_text(DRAFT, encoding="utf-8")
    path.chmod(0o640)
    run = in_process("check", "--fix", "d.md")
    assert run.code == 1
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert "71-QĐ/TW" in path.read_text(encoding="utf-8")


def _big_fixable_draft(path: Path) -> tuple[bytes, bytes]:
    """A draft of about 8 MB that --fix rewrites: its bytes before, and after."""
    cited = "Quyết định số 71-QD/TW ngày 18-7-2022 của Bộ Chính trị.\n"
    prose = "Trong nhiệm kỳ 2020-2025, toàn Đảng bộ có 148 người được kết nạp.\n" * 100
    before = ((cited + prose) * 1200).encode()
    path.write_bytes(before)
    return before, before.replace(b"71-QD/TW", "71-QĐ/TW".encode())


def _temp_being_written(folder: Path) -> bool:
    """Whether a citekit temp file in `folder` has bytes in it: the write is under way."""
    for entry in os.scandir(folder):
        if entry.name.endswith(".citekit-tmp"):
            try:
                return entry.stat().st_size > 0
            except FileNotFoundError:  # renamed over the draft meanwhile
                return False
    return False


@posix
@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_fix_killed_while_it_writes(here: Path, sig: signal.Signals) -> None:
    """Killed once its temp file has bytes in it: the draft is whole, old or new.

    SIGINT lets citekit remove the temp file; SIGKILL cannot be caught, so a temp
    file (never the draft) may stay behind.
    """
    path = here / "d.md"
    before, after = _big_fixable_draft(path)
    with subprocess.Popen(
        [CITEKIT, "check", "--fix", "d.md"],
        cwd=here,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    ) as child:
        deadline = time.monotonic() + TIMEOUT
        while child.poll() is None and time.monotonic() < deadline:
            if _temp_being_written(here):
                child.send_signal(sig)
                break
            time.sleep(0.001)
        _, err = child.communicate(timeout=TIMEOUT)
    assert path.read_bytes() in (before, after)
    assert b"Traceback" not in err
    left = sorted(set(os.listdir(here)) - {"d.md"})
    if sig is signal.SIGINT:
        assert child.returncode in (0, 130)
        assert left == []
    else:
        assert all(name.endswith(".citekit-tmp") for name in left)


def test_ctrl_c_just_after_the_temp_file_is_made_leaves_none(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from citekit import fixing

    path = here / "d.md"
    path.write_bytes(b"before")
    real_open = os.open

    def open_then_interrupted(name: str, *args: Any, **kwargs: Any) -> NoReturn:
        real_open(name, *args, **kwargs)
        raise KeyboardInterrupt  # the signal lands as the temp file comes into being

    def opening(name: Any, *args: Any, **kwargs: Any) -> int:
        if str(name).endswith(".citekit-tmp"):
            open_then_interrupted(str(name), *args, **kwargs)
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(os, "open", opening)
    with pytest.raises(KeyboardInterrupt):
        fixing.write_atomic(path, b"after")
    monkeypatch.undo()
    assert path.read_bytes() == b"before"
    assert os.listdir(here) == ["d.md"]


# --------------------------------------------------------------------------------------
# Queries: a clear answer in bounded time.


@pytest.mark.parametrize(
    "query", ["", " ", "\t\n ", "\u3000", "\x01\x02", "\u202e\u200f"], ids=repr
)
def test_an_empty_query(query: str) -> None:
    assert_one_error(
        in_process("lookup", query), "empty query: type a document number or words of its title"
    )


def test_an_empty_query_from_the_real_command(here: Path) -> None:
    message = "empty query: type a document number or words of its title"
    assert_one_error(process("lookup", "  ", cwd=here), message)
    assert_one_error(process("cite", "", cwd=here), message)
    assert_one_error(process("search", " ", cwd=here), "empty search: type words of a title")
    assert_one_error(process("lookup", "-", cwd=here, stdin=b" \n\n"), "no query given on stdin")


def test_a_1_mb_query(here: Path) -> None:
    words = "quy định về chế độ bồi dưỡng "
    for query in ("a" * 2**20, (words * (2**20 // len(words)))):
        run = in_process("lookup", query)
        assert run.code in (0, 1)
        assert run.err == ""
    # The executable: argv cannot carry 1 MB on Linux, stdin can.
    for line in ("148 " * 2**18, "1-" * 2**19, "Quy định số " * 90_000, "đ" * 2**20):
        run = process("lookup", "-", cwd=here, stdin=line.encode() + b"\n")
        assert (run.code in (0, 1), run.err) == (True, ""), line[:20]


@pytest.mark.parametrize(
    ("query", "code", "shown"),
    [
        ("148-QĐ/TW\x07", 0, "148-QĐ/TW  Quy định  23-5-2024"),
        ("\x1b[31m149-QĐ/TW", 1, "\\x1b[31m149-QĐ/TW: not found"),
        ("1\x0049-QĐ/TW", 1, "1\\x0049-QĐ/TW: not found"),
        ("\u200f148-QĐ/TW\u200e", 0, "148-QĐ/TW  Quy định  23-5-2024"),
        ("\u202e149-QĐ/TW", 1, "\\u202e149-QĐ/TW: not found"),
        ("🎉", 1, "🎉: not found"),
        ("🎉 chuyên gia cao cấp 🎉", 0, "180-QĐ/TW  Quy định  11-7-2024  Ban Bí thư  [title"),
        ("\u0301\u0323", 1, "\u0301\u0323: not found"),
    ],
    ids=repr,
)
def test_control_characters_emoji_and_bidi_marks(query: str, code: int, shown: str) -> None:
    """Answered; echoed with every invisible character escaped, never raw."""
    run = in_process("lookup", query, "--format", "plain")
    assert (run.code, run.err) == (code, "")
    assert shown in run.out
    assert all(line.isprintable() for line in run.out.splitlines()), run.out


def test_a_tab_in_a_query_cannot_add_a_tsv_column() -> None:
    run = in_process("lookup", "a\tb", "--format", "tsv")
    assert [len(line.split("\t")) for line in run.out.splitlines()] == [9, 9]


def test_invalid_utf_8_on_stdin(here: Path) -> None:
    run = process("lookup", "-", cwd=here, stdin="148-QĐ/TW\n".encode() + b"\xff\xfe\n")
    assert_one_error(run, "<stdin>:2: not UTF-8")


@posix
def test_invalid_utf_8_in_the_arguments(here: Path) -> None:
    found = process("lookup", b"\xff148-Q\xc4\x90/TW", cwd=here)
    missing = process("lookup", b"\xffzzz", cwd=here)
    empty = process("lookup", b"\xff\xfe", cwd=here)
    assert (found.code, found.err) == (0, "")
    assert (missing.code, missing.err, missing.out) == (1, "", "\\udcffzzz: not found\n")
    assert_one_error(empty, "empty query: type a document number or words of its title")


# --------------------------------------------------------------------------------------
# Output and signals.


def _pipe(command: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        f"{command} | head -1",
        shell=True,
        cwd=cwd,
        input=stdin.decode() if stdin else None,
        env=_env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
        check=False,
    )


PIPED = {
    "list": ("list", None),
    "check": ("check many.md", None),
    "check-json": ("check --format json many.md", None),
    "refs": ("refs many.md --format tsv", None),
    "lookup-stdin": ("lookup - --format json", "148-QĐ/TW\n".encode() * 3000),
}


@posix
@pytest.mark.skipif(shutil.which("head") is None, reason="needs head")
@pytest.mark.parametrize("case", PIPED)
def test_output_into_a_closed_pipe_ends_quietly(here: Path, case: str) -> None:
    """`citekit ... | head -1`: far more output than a pipe holds, cut after one line."""
    many = "".join(f"Quyết định số {n}-QD/TW của Bộ Chính trị.\n" for n in range(1, 3000))
    (here / "many.md").write_text(many, encoding="utf-8")
    args, stdin = PIPED[case]
    done = _pipe(f"{shlex.quote(CITEKIT)} {args}", here, stdin)
    assert done.stdout.count("\n") == 1
    assert done.stderr == ""


@posix
@pytest.mark.parametrize("args", [["check", "d.md"], ["lookup", "148-QĐ/TW"], ["list"]])
def test_a_pipe_closed_before_anything_is_written(here: Path, args: list[str]) -> None:
    """`citekit ... | true`: the reader is gone before citekit writes a byte."""
    (here / "d.md").write_text(DRAFT, encoding="utf-8")
    with subprocess.Popen(
        [CITEKIT, *args], cwd=here, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as child:
        assert child.stdout is not None
        child.stdout.close()
        _, err = child.communicate(timeout=TIMEOUT)
    assert err == b""
    assert child.returncode == 1


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["check", "d.md"], ["lookup", "148-QĐ/TW"], ["list"]])
def test_output_to_a_full_disk_is_one_error_line(here: Path, args: list[str]) -> None:
    (here / "d.md").write_text(DRAFT, encoding="utf-8")
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [CITEKIT, *args],
            cwd=here,
            env=_env(),
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=TIMEOUT,
            check=False,
        )
    assert (done.returncode, done.stderr) == (2, b"citekit: error: No space left on device\n")


def _big_draft(megabytes: int) -> bytes:
    line = "Theo Quy định số 148-QĐ/TW ngày 23-5-2024 của Bộ Chính trị và Chỉ thị số 35-CT/TW.\n"
    return line.encode() * (megabytes * 1024 * 1024 // len(line.encode()))


@posix
@pytest.mark.slow
@pytest.mark.parametrize("when", ["reading", "scanning"])
def test_sigint_during_a_long_check_exits_130_quietly(here: Path, when: str) -> None:
    """Ctrl-C while `check -` reads its draft, or while it scans it.

    Writing more than a pipe holds returns only once citekit has read nearly all of
    it, so by then it is running `check`, past Python's start-up.
    """
    with subprocess.Popen(
        [CITEKIT, "check", "-"],
        cwd=here,
        env=_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as child:
        assert child.stdin is not None
        child.stdin.write(_big_draft(20))
        child.stdin.flush()
        if when == "scanning":
            child.stdin.close()
        child.send_signal(signal.SIGINT)
        if when == "reading":
            # Python acts on a signal that lands between two reads once read returns.
            child.stdin.close()
        child.wait(timeout=TIMEOUT)
        assert child.stdout is not None
        assert child.stderr is not None
        out, err = child.stdout.read(), child.stderr.read()
    assert child.returncode == 130
    assert (out, err) == (b"", b"")


def test_an_interrupt_in_process_exits_130(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (here / "d.md").write_text(DRAFT, encoding="utf-8")

    def interrupted(*args: object, **kwargs: object) -> NoReturn:
        raise KeyboardInterrupt

    monkeypatch.setattr("citekit.drafts.read_draft", interrupted)
    monkeypatch.setattr("citekit.queries.lookup", interrupted)
    assert in_process("check", "d.md") == Run(130, "", "", b"")
    assert in_process("lookup", "148").code == 130


def test_an_interrupt_outside_a_command_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C while Typer builds the command line, before any command runs."""
    from citekit import cli

    def interrupted() -> NoReturn:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "app", interrupted)
    monkeypatch.setattr(cli, "_tolerant_stdout", lambda: None)  # leave pytest's stdout be
    with pytest.raises(SystemExit) as caught:
        cli.main()
    assert caught.value.code == 130


def _in_a_terminal(args: list[str], cwd: Path, **env: str) -> str:
    """What citekit writes to a pseudo-terminal."""
    import pty

    controller, terminal = pty.openpty()
    with subprocess.Popen(
        [CITEKIT, *args],
        cwd=cwd,
        env=_env(TERM="xterm-256color", COLUMNS="100", **env),
        stdin=subprocess.DEVNULL,
        stdout=terminal,
        stderr=subprocess.DEVNULL,
    ) as child:
        os.close(terminal)
        chunks = []
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal side closed
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(controller)
        child.wait(timeout=TIMEOUT)
    return b"".join(chunks).decode("utf-8")


@posix
@pytest.mark.slow
def test_no_color_is_honoured_on_a_terminal(here: Path) -> None:
    (here / "d.md").write_text(DRAFT, encoding="utf-8")
    for args in (["check", "d.md"], ["list"], ["lookup", "149-QĐ/TW"]):
        coloured = _in_a_terminal(args, here, NO_COLOR="")  # empty: not set (no-color.org)
        plain = _in_a_terminal(args, here, NO_COLOR="1")
        assert COLOUR.search(coloured), f"{args}: no colour even without NO_COLOR"
        assert not COLOUR.search(plain), args
        assert "71-Q" in plain or "QĐ/TW" in plain


NARROW = [
    ["lookup", "148-QĐ/TW", "35-CT/TW", "quy che lam viec mau", "149-QĐ/TW"],
    ["list"],
    ["search", "can bo"],
]


def _words(text: str) -> set[str]:
    return set(text.split())


@pytest.mark.parametrize("args", NARROW, ids=lambda a: a[0])
def test_a_40_column_terminal_shows_vietnamese_whole(here: Path, args: list[str]) -> None:
    table = process(*args, "--format", "table", cwd=here, COLUMNS="40")
    plain = process(*args, "--format", "plain", cwd=here)
    assert table.err == ""
    for line in table.out.splitlines():
        assert unicodedata.is_normalized("NFC", line), line
        assert not line or not unicodedata.combining(line[0]), line
        assert len(line) <= 40, line
    assert _words(table.out) == _words(plain.out)


def test_refs_at_40_columns_shows_vietnamese_whole(here: Path) -> None:
    (here / "d.md").write_text(DRAFT.replace("149-", "148-"), encoding="utf-8")
    table = process("refs", "d.md", "--format", "table", cwd=here, COLUMNS="40")
    tsv = process("refs", "d.md", "--format", "tsv", cwd=here)
    title_words = _words(tsv.out.splitlines()[1].split("\t")[4])
    assert title_words <= _words(table.out)


def test_rich_markup_in_a_query_is_text() -> None:
    run = in_process("lookup", "[/x] quy che lam viec mau", "--format", "table")
    assert run.code == 1
    assert "[/x] quy che lam viec mau: ambiguous" in run.out


def test_a_query_is_never_rich_markup_in_a_narrow_table() -> None:
    run = in_process("lookup", "[/x] quy che lam viec mau", "--format", "table", COLUMNS="40")
    assert (run.code, run.err) == (1, "")
    assert run.out.startswith("[/x] quy che lam viec mau: ambiguous")


# --------------------------------------------------------------------------------------
# What reaches the terminal: file names, catalogue strings and Word quotes (D9-D11),
# odd numbers and widths (D14, D15), and memory on a huge output (D21).

HOSTILE = "\x1b]0;pwned\x07\x1b[31m\u202e\u0085\x00\nx"
"""OSC (set the window title) ended by BEL, SGR red, a bidi override, C1 NEL, NUL and a
newline: none may reach a terminal raw."""
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""A control character or bidi override, except tab and newline."""


def _clean(out: str) -> bool:
    return RAW.search(out) is None


def _strings(value: object) -> Iterator[str]:
    """Every string in a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_a_file_name_with_escapes_and_a_newline_stays_on_one_line(here: Path) -> None:
    """D9: in finding lines, refs in every format, --diff headers."""
    name = "a\x1b[31m\u202eb\nc.md"
    (here / name).write_text("Quyết định số 71-QD/TW.\n", encoding="utf-8")
    check = in_process("check", name)
    assert check.code == 0
    assert _clean(check.out)
    assert check.out.splitlines() == [
        "a\\x1b[31m\\u202eb\\nc.md:1:15: non-canonical-number write 71-QĐ/TW, not 71-QD/TW",
        "Found 0 errors and 1 warning (1 file, 1 citation).",
    ]
    github = in_process("check", "--format", "github", name).out
    assert _clean(github)
    assert github.count("\n") == 1
    for fmt in ("tsv", "plain", "table", "json"):
        refs = in_process("refs", "--format", fmt, name, "-", stdin=b"Quy\xc4\x91\xe1\xbb\x8bnh")
        assert (refs.code, _clean(refs.out)) == (0, True), fmt
    tsv = in_process("refs", "--format", "tsv", name, "-", stdin=b"71-QD/TW").out
    assert tsv.splitlines()[1].split("\t")[6] == "a\\x1b[31m\\u202eb c.md:1, <stdin>:1"
    diff = in_process("check", "--diff", name)
    assert _clean(diff.out)
    assert diff.out.splitlines()[:2] == [
        "--- a/a\\x1b[31m\\u202eb\\nc.md",
        "+++ b/a\\x1b[31m\\u202eb\\nc.md",
    ]


def test_a_catalogue_file_name_with_escapes(here: Path) -> None:
    """D9: the `catalogue check` success line."""
    name = "cat\x1b[2J\n.yaml"
    (here / name).write_text(
        "documents:\n  - number: 01-QĐ/TW\n    kind: Quy định\n    date: '2024-01-02'\n"
        "    issuer: Bộ Chính trị\n    title: null\n",
        encoding="utf-8",
    )
    run = in_process("catalogue", "check", name)
    assert (run.code, run.out) == (0, "cat\\x1b[2J\\n.yaml: 1 documents, valid\n")


@pytest.fixture
def hostile_catalogue(monkeypatch: pytest.MonkeyPatch, builtin: Any) -> None:
    """The catalogue, with 148-QĐ/TW's title, issuer, note and sources made hostile.

    Put in place of whatever the loader returns, so the test holds even once loading
    refuses such strings (D10's other half): output must be safe on its own.
    """
    import dataclasses

    from citekit import catalogue as module
    from citekit.model import Relation, RelationType

    documents = []
    for original in builtin:
        document = original
        if original.number == "148-QĐ/TW":
            document = dataclasses.replace(
                original,
                title=f"Quy định {HOSTILE}",
                issuers=(f"Bộ Chính trị{HOSTILE}",),
                relations=(Relation(RelationType.GUIDES, "35-CT/TW", note=HOSTILE),),
                sources=tuple(s._replace(publisher=f"pub{HOSTILE}") for s in original.sources),
            )
        documents.append(document)
    hostile = module.Catalogue(documents)
    monkeypatch.setattr(module, "load_catalogue", lambda *_, **__: hostile)


@pytest.mark.parametrize(
    "args",
    [
        ["lookup", "148-QĐ/TW"],
        ["lookup", "148", "149-QĐ/TW"],
        ["search", "Quy định"],
        ["list"],
        ["cite", "148-QĐ/TW"],
        ["cite", "148-QĐ/TW", "--short"],
    ],
)
@pytest.mark.parametrize("fmt", ["plain", "table", "tsv", "json"])
@pytest.mark.usefixtures("hostile_catalogue")
def test_catalogue_strings_cannot_drive_the_terminal(args: list[str], fmt: str) -> None:
    """D10: every output of names and titles escapes them; JSON keeps them as data."""
    extra = [] if args[0] == "cite" else ["--format", fmt]
    run = in_process(*args, *extra, COLUMNS="200")
    assert run.code in (0, 1), run.err
    assert _clean(run.out)
    if fmt == "json" and args[0] != "cite":
        assert any(HOSTILE in value for value in _strings(json.loads(run.out)))
    elif fmt == "tsv" and args[0] != "cite":
        widths = {len(line.split("\t")) for line in run.out.splitlines()}
        assert len(widths) == 1


@pytest.mark.usefixtures("hostile_catalogue")
def test_catalogue_strings_in_check_and_refs(here: Path) -> None:
    """D10: a wrong issuer quotes the catalogue's; refs lists its title and issuer."""
    (here / "d.md").write_text("Quy định số 148-QĐ/TW của Ban Bí thư.\n", encoding="utf-8")
    for args in (["check", "d.md"], ["check", "-f", "github", "d.md"]):
        run = in_process(*args)
        assert (run.code, _clean(run.out)) == (1, True), args
    for fmt in ("tsv", "plain", "table"):
        run = in_process("refs", "--format", fmt, "d.md", COLUMNS="200")
        assert (run.code, _clean(run.out)) == (0, True), fmt
    narrow = in_process("refs", "--format", "table", "d.md", COLUMNS="60")
    assert _clean(narrow.out)


def _docx(text: str) -> bytes:
    """A minimal Word file with one paragraph of `text`."""
    import io
    import zipfile
    from xml.sax.saxutils import escape

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = f'<w:document xmlns:w="{w}"><w:body><w:p><w:r><w:t xml:space="preserve">'
    body += f"{escape(text)}</w:t></w:r></w:p></w:body></w:document>"
    types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        "</Relationships>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("word/document.xml", body)
    return buffer.getvalue()


def test_word_quotes_are_escaped(here: Path) -> None:
    """D11: C1 controls and bidi overrides in a Word paragraph, quoted in a finding."""
    text = "Theo\u0085 Quy\u202e định số 71-QD/TW\u009b31m của\u2066 Bộ Chính trị."
    (here / "d.docx").write_bytes(_docx(text))
    run = in_process("check", "d.docx")
    assert run.code == 0, run.err
    assert _clean(run.out)
    assert "\\u202e" in run.out
    assert "\\x9b31m" in run.out
    github = in_process("check", "-f", "github", "d.docx")
    assert _clean(github.out)
    data = in_process("check", "-f", "json", "d.docx")
    assert _clean(data.out)
    [finding] = json.loads(data.out)
    assert "\u202e" in finding["quote"]
    assert "\x9b" in finding["quote"]


@pytest.mark.parametrize("limit", ["9223372036854775808", "1" + "0" * 40, "0", "-1"])
def test_an_absurd_search_limit_is_a_usage_error(limit: str) -> None:
    """D14: no OverflowError, but a clean usage error."""
    run = in_process("search", "quy dinh", "--limit", limit)
    assert run.code == 2
    assert "Invalid value for '--limit'" in run.err
    assert "Traceback" not in run.err


@pytest.mark.parametrize("columns", ["0", "-3", "abc", ""])
@pytest.mark.parametrize("args", [["lookup", "148-QĐ/TW"], ["list"], ["search", "quy"]])
def test_a_nonsense_terminal_width(args: list[str], columns: str) -> None:
    """D15: $COLUMNS=0 (or worse) on a terminal gives output, not a ValueError."""
    run = in_process(*args, "--format", "table", COLUMNS=columns)
    assert run.code == 0
    assert "148-QĐ/TW" in run.out or args[0] == "search"
    assert run.out.strip()


@posix
@pytest.mark.slow
def test_a_nonsense_terminal_width_on_a_real_terminal(here: Path) -> None:
    """D15 as users meet it: a pty, so that the table format is the default."""
    import pty

    for args in (["lookup", "148-QĐ/TW"], ["list"]):
        pid, fd = pty.fork()
        if pid == 0:  # pragma: no cover - the child
            os.chdir(here)
            os.execve(CITEKIT, [CITEKIT, *args], _env(COLUMNS="0"))
        output = b""
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0, output.decode(errors="replace")
        assert b"Traceback" not in output
        assert "148-QĐ/TW".encode() in output


HUGE_MB = 8
"""The issue's draft is 40 MB; a fifth of it shows the same, five times faster."""
HUGE_TIMEOUT = 600
"""Seconds a check of a huge draft may take under a loaded CI machine."""


@posix
@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["plain", "json", "github"])
def test_the_findings_of_a_huge_draft_are_streamed(here: Path, fmt: str) -> None:
    """D21: a 40 MB draft of one citation repeated. The output is never built whole:
    the JSON array is written an element at a time (measured beside plain and github).

    The bound is on what output adds to what checking holds, not on checking itself."""
    unit = "Quy định số 149-QĐ/TW; ".encode()
    (here / "big.md").write_bytes(unit * (HUGE_MB * 2**20 // len(unit)))
    code, peak = peak_rss_mb("check", "--format", fmt, "big.md", cwd=here, timeout=HUGE_TIMEOUT)
    assert code == 0
    text_code, text_peak = peak_rss_mb(
        "check", "--format", "plain", "--strict", "big.md", cwd=here, timeout=HUGE_TIMEOUT
    )
    assert text_code == 1
    assert peak <= text_peak * 1.15 + 20, (fmt, peak, text_peak)


DENSE_MB = 24
"""Dense drafts' size: three times `HUGE_MB`, so that a draft held whole would show."""

DENSE = {
    "unknown": "Quy định số 149-QĐ/TW; ",
    "valid": "Quy định số 148-QĐ/TW ngày 23-5-2024 của Bộ Chính trị; ",
}
"""Drafts of one citation repeated, the one in no catalogue (a finding each) and a
valid one: the densest drafts of findings, and of citations."""


@posix
@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["plain", "json", "github"])
@pytest.mark.parametrize("kind", sorted(DENSE))
def test_checking_a_dense_draft_holds_a_few_pieces_of_it(here: Path, kind: str, fmt: str) -> None:
    """D21: findings stream from scan to output; no citation, finding or report of the
    whole draft is held, nor the draft: it is read a block at a time and checked a piece
    at a time. What a draft adds to citekit's own start-up (the same command on a
    one-line draft) is what a few pieces take, about 12 MiB whatever the draft's length:
    under the draft's own size at 24 MiB, where holding its text alone would take 1.8
    times it (Python keeps Vietnamese text in 2 bytes a character). Was 31 times, then
    14, then 2.4."""
    unit = DENSE[kind].encode()
    (here / "big.md").write_bytes(unit * (DENSE_MB * 2**20 // len(unit)))
    (here / "small.md").write_bytes(unit)
    size_mb = (here / "big.md").stat().st_size / 2**20
    _, start_up = peak_rss_mb("check", "--format", fmt, "small.md", cwd=here, timeout=HUGE_TIMEOUT)
    code, peak = peak_rss_mb("check", "--format", fmt, "big.md", cwd=here, timeout=HUGE_TIMEOUT)
    assert code in (0, 1)
    assert peak - start_up < size_mb, (kind, fmt, peak, start_up, size_mb)


@posix
@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["plain", "json", "github"])
def test_checking_a_40_mb_dense_draft_peaks_under_two_and_a_half_times_its_size(
    here: Path, fmt: str
) -> None:
    """D21 as the issue measures it: the whole run's peak, start-up included, under 2.5
    times the file's size, in every output format (was 3.45 times)."""
    unit = DENSE["valid"].encode()
    (here / "big.md").write_bytes(unit * (40 * 2**20 // len(unit)))
    size_mb = (here / "big.md").stat().st_size / 2**20
    code, peak = peak_rss_mb("check", "--format", fmt, "big.md", cwd=here, timeout=HUGE_TIMEOUT)
    assert code == 0
    assert peak < 2.5 * size_mb, (fmt, peak, size_mb)
