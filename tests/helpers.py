"""What several test modules share: the one in-process runner, the installed executable,
the shipped catalogue's size read from its file, and writing a tree of files."""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import yaml
from typer.testing import CliRunner, Result

from citekit import catalogue
from citekit.catalogue import ENV_VAR
from citekit.cli import app

DATA = Path(__file__).parent / "data"
SEED = DATA / "seed-catalogue.yaml"
"""The first catalogue (16 documents, schema 1): what in-process tests use as built-in,
so that their expected output does not move each time the shipped catalogue grows."""
SHIPPED = Path(__file__).resolve().parents[1] / "data" / "documents.yaml"
"""The catalogue citekit ships; tests of its content read it by this path."""
SHIPPED_PATH = catalogue.builtin_path
"""Where citekit itself finds its built-in catalogue (conftest swaps in SEED for tests)."""

Cli = Callable[..., Result]
"""The type of `invoke` and of the `cli` fixture."""
ROOT = Path(__file__).resolve().parents[1]

# An SGR sequence that sets a colour: 30-37/90-97 foreground, 40-47/100-107 background,
# 38;5;n / 38;2;r;g;b and their background forms. Bold (1) and dim (2) are not colours.
COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;[0-9;]*)?m")


def builtin_size() -> int:
    """How many entries the built-in catalogue file holds, counted by plain PyYAML."""
    with catalogue.builtin_path().open(encoding="utf-8") as handle:
        return len(yaml.safe_load(handle)["documents"])


def invoke(
    *args: str,
    stdin: str | bytes | None = None,
    env: Mapping[str, str | None] | None = None,
    prog_name: str | None = None,
) -> Result:
    """Run citekit in-process, as a user at a dumb terminal 100 columns wide without
    $CITEKIT_CATALOGUE; stdout and stderr kept apart.

    An exception a user would see as a traceback is raised here, so no test passes on one.
    """
    runner = CliRunner(
        env={"NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "100", ENV_VAR: None, **(env or {})}
    )
    result = runner.invoke(app, list(args), input=stdin, prog_name=prog_name)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def executable() -> str:
    """The venv's own citekit (beside this Python), else the one on PATH."""
    beside = Path(sys.executable).parent / ("citekit.exe" if os.name == "nt" else "citekit")
    if beside.is_file():
        return str(beside)
    return shutil.which("citekit") or str(beside)


def subprocess_env(*, skip: frozenset[str] = frozenset(), **extra: str) -> dict[str, str]:
    """The environment for the installed executable: colour off, UTF-8 stdout, no
    $CITEKIT_CATALOGUE or FORCE_COLOR, nor any name in `skip`."""
    left_out = {ENV_VAR, "FORCE_COLOR", *skip}
    env = {k: v for k, v in os.environ.items() if k not in left_out}
    # PYTHONIOENCODING=utf-8 makes stdout strict, as under an en_US.UTF-8 locale.
    env.update({"NO_COLOR": "1", "TERM": "dumb", "PYTHONIOENCODING": "utf-8"})
    env.update(extra)
    return env


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> None:
    """Write each `name: content` under `root`, making folders; text as UTF-8."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
