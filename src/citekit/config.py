"""Project configuration for `citekit check`: `[tool.citekit]` or `.citekit.yaml`.

Whichever is found first walking up from the checked file wins (at one directory,
pyproject.toml before .citekit.yaml; a pyproject.toml without the table is passed by).

    [tool.citekit]
    catalogues = ["docs/catalogue.yaml"]   # relative to the config file
    ignore = ["non-canonical-number"]      # codes never reported
    exclude = ["archive/**"]               # gitignore-style globs, relative
    severity = { wrong-issuer = "warning" }
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from citekit.codes import DEFAULT_SEVERITY, Code, Severity
from citekit.errors import CatalogueError, CitekitError

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

    from citekit.yamlsafe import Node

KEYS = frozenset({"catalogues", "ignore", "exclude", "severity", "builtin"})
YAML_NAME = ".citekit.yaml"


class ConfigError(CitekitError):
    """A configuration file is unreadable or has a wrong value."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Config:
    """Settings for the drafts under one directory."""

    path: Path | None = None
    catalogues: tuple[Path, ...] = ()
    builtin: bool = True
    ignore: frozenset[Code] = frozenset()
    exclude: tuple[str, ...] = ()
    severity: dict[Code, Severity] = field(default_factory=dict)

    def severity_of(self, code: Code) -> Severity:
        return self.severity.get(code, DEFAULT_SEVERITY[code])

    def excludes(self, path: Path) -> bool:
        """Whether an `exclude` glob matches `path` (relative to the config's folder)."""
        if not self.exclude or self.path is None:
            return False
        try:
            relative = (
                Path(os.path.realpath(path))
                .relative_to(Path(os.path.realpath(self.path.parent)))
                .as_posix()
            )
        except ValueError:
            return False
        return _exclude_spec(self.exclude).match_file(relative)


@lru_cache(maxsize=64)
def _exclude_spec(patterns: tuple[str, ...]) -> GitIgnoreSpec:
    """The compiled `exclude` globs: compiled once, not once per checked file."""
    from pathspec import GitIgnoreSpec

    return GitIgnoreSpec.from_lines(patterns)


def _codes(values: Any, where: str, key: str) -> list[Code]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ConfigError(f"{where}: '{key}' must be a list of codes")
    try:
        return [Code(v) for v in values]
    except ValueError as exc:
        raise ConfigError(f"{where}: '{key}': {exc}; known: {_known()}") from None


def _known() -> str:
    return ", ".join(c.value for c in Code)


def build(table: Any, path: Path, *, lines: Mapping[str, int] | None = None) -> Config:
    """Validate a configuration table read from `path`.

    `lines` gives the line of each key (and "" the table's own), when the reader knows
    them: errors then name `path:line`.
    """
    lines = lines or {}

    def at(key: str) -> str:
        line = lines.get(key)
        return f"{path}:{line}" if line is not None else str(path)

    if not isinstance(table, dict):
        raise ConfigError(f"{at('')}: the citekit configuration must be a table")
    unknown = sorted(set(table) - KEYS)
    if unknown:
        raise ConfigError(
            f"{at(unknown[0])}: unknown key '{unknown[0]}'; known: {', '.join(sorted(KEYS))}"
        )
    catalogues = table.get("catalogues", [])
    exclude = table.get("exclude", [])
    for key, value in (("catalogues", catalogues), ("exclude", exclude)):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{at(key)}: '{key}' must be a list of strings")
    severity_table = table.get("severity", {})
    if not isinstance(severity_table, dict):
        raise ConfigError(f"{at('severity')}: 'severity' must be a table of code = level")
    severity = {}
    for code, level in severity_table.items():
        (checked,) = _codes([code], at("severity"), "severity")
        if level not in ("error", "warning"):
            raise ConfigError(f"{at('severity')}: severity of {code} must be 'error' or 'warning'")
        severity[checked] = Severity(level)
    builtin = table.get("builtin", True)
    if not isinstance(builtin, bool):
        raise ConfigError(f"{at('builtin')}: 'builtin' must be true or false")
    return Config(
        path=path,
        catalogues=tuple((path.parent / c) for c in catalogues),
        builtin=builtin,
        ignore=frozenset(_codes(table.get("ignore", []), at("ignore"), "ignore")),
        exclude=tuple(exclude),
        severity=severity,
    )


def _read_pyproject(path: Path) -> Any:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise _not_utf_8(str(path), exc) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    except RecursionError:  # tomllib recurses once per level of nested arrays or tables
        raise ConfigError(f"{path}: cannot read: nested too deeply") from None
    return data.get("tool", {}).get("citekit")


_BOOLEANS = {
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
}
"""YAML 1.2's spellings of a boolean, the only ones `builtin` takes."""


def _plain(node: Node, name: str) -> Any:
    """A YAML node as plain values: text, None, lists and dicts (a key twice is refused)."""
    from citekit import yamlsafe

    if isinstance(node, yamlsafe.Scalar):
        return None if node.null else node.value
    if isinstance(node, yamlsafe.Sequence):
        return [_plain(item, name) for item in node.items]
    assert isinstance(node, yamlsafe.Mapping)
    table: dict[Any, Any] = {}
    for key, value in node.items:
        if not isinstance(key, yamlsafe.Scalar) or key.null:
            raise ConfigError(f"{name}:{key.line}: a key must be a plain string")
        if key.value in table:
            raise ConfigError(f"{name}:{key.line}: '{key.value}' is given twice")
        table[key.value] = _plain(value, name)
    return table


def read_yaml(path: Path) -> tuple[Any, dict[str, int]]:
    """The table in a `.citekit.yaml`, and the line of each of its keys ("" the table's).

    Read like a catalogue (`yamlsafe`): no aliases, no tags, nesting capped, errors
    with their line; every scalar is text, but `builtin: true` or `false`.
    """
    from citekit import yamlsafe

    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"{name}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise _not_utf_8(name, exc) from None
    try:
        root = yamlsafe.compose(text, name)
    except CatalogueError as exc:
        message = str(exc.problems[0]).replace("a catalogue holds", "a configuration holds")
        raise ConfigError(message) from None
    if root is None:
        return {}, {}
    table = _plain(root, name)
    lines = {"": root.line}
    if isinstance(root, yamlsafe.Mapping):
        lines.update((k.value, k.line) for k, _ in root.items if isinstance(k, yamlsafe.Scalar))
    if (
        isinstance(table, dict)
        and isinstance(table.get("builtin"), str)
        and table["builtin"] in _BOOLEANS
    ):
        table["builtin"] = _BOOLEANS[table["builtin"]]
    return table, lines


@lru_cache(maxsize=256)
def for_directory(directory: Path) -> Config:
    """The configuration that governs drafts in `directory`."""
    for folder in (directory, *directory.parents):
        pyproject = folder / "pyproject.toml"
        # os.path.isfile never raises: a folder this user cannot search has no config.
        if os.path.isfile(pyproject):
            table = _read_pyproject(pyproject)
            if table is not None:
                return build(table, pyproject)
        dotfile = folder / YAML_NAME
        if os.path.isfile(dotfile):
            table, lines = read_yaml(dotfile)
            return build(table, dotfile, lines=lines)
    return Config()


def for_file(path: Path) -> Config:
    """The configuration for one draft (stdin: the current directory's)."""
    # realpath, not Path.resolve: it never raises, even on a symlink loop (which
    # Path.resolve does before Python 3.13); reading the file then reports the loop.
    folder = Path.cwd() if str(path) == "-" else Path(os.path.realpath(path)).parent
    return for_directory(folder)


def _not_utf_8(name: str, exc: UnicodeDecodeError) -> ConfigError:
    """A settings file that is not UTF-8, named by its line and first bad byte."""
    data = bytes(exc.object)
    line = data.count(b"\n", 0, exc.start) + 1
    return ConfigError(f"{name}:{line}: not UTF-8 (byte 0x{data[exc.start]:02x})")
