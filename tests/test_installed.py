"""The installed `citekit` executable, run as a subprocess from a directory with no checkout."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import COLOUR, executable, subprocess_env

pytestmark = pytest.mark.slow

CITEKIT = executable()


def test_the_executable_is_installed() -> None:
    assert Path(CITEKIT).is_file(), "pip install . puts citekit beside python or on PATH"


def _env(**extra: str) -> dict[str, str]:
    return subprocess_env(**extra)


def _run(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CITEKIT, *args],
        cwd=cwd,
        env=env or _env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def test_lookup_json_from_an_empty_directory(tmp_path: Path) -> None:
    done = _run(["lookup", "148-QĐ/TW", "--format", "json"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    [result] = json.loads(done.stdout)
    assert result["status"] == "found"
    assert result["matches"][0]["number"] == "148-QĐ/TW"
    assert result["matches"][0]["date"] == "2024-05-23"
    assert "\\u" not in done.stdout


def test_exit_codes_of_the_executable(tmp_path: Path) -> None:
    assert _run(["lookup", "149-QĐ/TW"], tmp_path).returncode == 1
    empty = _run(["lookup", ""], tmp_path)
    assert empty.returncode == 2
    assert empty.stderr.count("\n") == 1
    assert "Traceback" not in empty.stderr


def test_python_dash_m_citekit(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "citekit", "cite", "148 qd tw", "--short"],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Quy định số 148-QĐ/TW ngày 23-5-2024 của Bộ Chính trị\n"


def _pipe_to_head(args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        f"{shlex.quote(CITEKIT)} {args} | head -1",
        shell=True,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


@pytest.mark.skipif(shutil.which("head") is None, reason="needs a POSIX shell with head")
def test_list_piped_to_head(tmp_path: Path) -> None:
    done = _pipe_to_head("list", tmp_path, _env())
    assert done.returncode == 0
    assert done.stdout.startswith("09-KL/BTCTW  Kết luận  unknown")
    assert done.stdout.count("\n") == 1
    assert done.stderr == ""


@pytest.mark.skipif(shutil.which("head") is None, reason="needs a POSIX shell with head")
@pytest.mark.parametrize("fmt", ["plain", "json", "tsv", "table"])
def test_a_long_listing_piped_to_head_ends_quietly(tmp_path: Path, fmt: str) -> None:
    """Far more output than a pipe holds, so head closes the pipe while citekit writes."""
    entries = [
        f"  - number: {n}-QĐ/TW\n    kind: Quy định\n    date: '2020-01-01'\n"
        f"    issuer: Ban Bí thư\n    title: Quy định về việc thử số {n}{' rất dài' * 20}\n"
        for n in range(1000, 1800)
    ]
    big = tmp_path / "big.yaml"
    big.write_text("documents:\n" + "".join(entries), encoding="utf-8")
    done = _pipe_to_head(f"list --format {fmt}", tmp_path, _env(CITEKIT_CATALOGUE=str(big)))
    assert done.stdout.count("\n") == 1
    assert done.stderr == ""


def test_no_color_is_honoured(tmp_path: Path) -> None:
    args = ["lookup", "148-QĐ/TW", "149-QĐ/TW", "--format", "table"]
    coloured_env = _env(FORCE_COLOR="1", TERM="xterm-256color")
    del coloured_env["NO_COLOR"]
    coloured = _run(args, tmp_path, coloured_env)
    assert COLOUR.search(coloured.stdout), "FORCE_COLOR alone should colour the table"
    plain = _run(args, tmp_path, _env(FORCE_COLOR="1", NO_COLOR="1", TERM="xterm-256color"))
    assert plain.returncode == 1
    assert "148-QĐ/TW" in plain.stdout
    assert "not found" in plain.stdout
    assert not COLOUR.search(plain.stdout)


@pytest.mark.skipif(os.name != "posix", reason="needs a pseudo-terminal")
def test_table_is_the_default_on_a_terminal(tmp_path: Path) -> None:
    import pty

    controller, terminal = pty.openpty()
    with subprocess.Popen(
        [CITEKIT, "lookup", "148-QĐ/TW"],
        cwd=tmp_path,
        env=_env(TERM="xterm", COLUMNS="100", LINES="40"),
        stdin=subprocess.DEVNULL,
        stdout=terminal,
        stderr=subprocess.PIPE,
    ) as process:
        os.close(terminal)
        chunks = []
        while True:  # read as it writes, until the terminal side is closed (EIO)
            try:
                chunk = os.read(controller, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(controller)
        stderr = process.stderr.read() if process.stderr else b""
        returncode = process.wait(timeout=60)
    out = b"".join(chunks).decode("utf-8")
    assert returncode == 0, stderr
    assert "┏" in out
    assert "Number" in out
    assert "148-QĐ/TW" in out
    assert not COLOUR.search(out)
