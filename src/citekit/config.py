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
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from citekit.codes import DEFAULT_SEVERITY, Code, Severity
from citekit.errors import CitekitError

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
        from pathspec import GitIgnoreSpec

        return GitIgnoreSpec.from_lines(self.exclude).match_file(relative)


def _codes(values: Any, where: str, key: str) -> list[Code]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ConfigError(f"{where}: '{key}' must be a list of codes")
    try:
        return [Code(v) for v in values]
    except ValueError as exc:
        raise ConfigError(f"{where}: '{key}': {exc}; known: {_known()}") from None


def _known() -> str:
    return ", ".join(c.value for c in Code)


def build(table: Any, path: Path) -> Config:
    """Validate a configuration table read from `path`."""
    where = str(path)
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: the citekit configuration must be a table")
    unknown = sorted(set(table) - KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key '{unknown[0]}'; known: {', '.join(sorted(KEYS))}")
    catalogues = table.get("catalogues", [])
    exclude = table.get("exclude", [])
    for key, value in (("catalogues", catalogues), ("exclude", exclude)):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: '{key}' must be a list of strings")
    severity_table = table.get("severity", {})
    if not isinstance(severity_table, dict):
        raise ConfigError(f"{where}: 'severity' must be a table of code = level")
    severity = {}
    for code, level in severity_table.items():
        (checked,) = _codes([code], where, "severity")
        if level not in ("error", "warning"):
            raise ConfigError(f"{where}: severity of {code} must be 'error' or 'warning'")
        severity[checked] = Severity(level)
    builtin = table.get("builtin", True)
    if not isinstance(builtin, bool):
        raise ConfigError(f"{where}: 'builtin' must be true or false")
    return Config(
        path=path,
        catalogues=tuple((path.parent / c) for c in catalogues),
        builtin=builtin,
        ignore=frozenset(_codes(table.get("ignore", []), where, "ignore")),
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
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    return data.get("tool", {}).get("citekit")


def _read_yaml(path: Path) -> Any:
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}".splitlines()[0]) from None


@lru_cache(maxsize=256)
def for_directory(directory: Path) -> Config:
    """The configuration that governs drafts in `directory`."""
    for folder in (directory, *directory.parents):
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            table = _read_pyproject(pyproject)
            if table is not None:
                return build(table, pyproject)
        dotfile = folder / YAML_NAME
        if dotfile.is_file():
            return build(_read_yaml(dotfile), dotfile)
    return Config()


def for_file(path: Path) -> Config:
    """The configuration for one draft (stdin: the current directory's)."""
    # realpath, not Path.resolve: it never raises, even on a symlink loop (which
    # Path.resolve does before Python 3.13); reading the file then reports the loop.
    folder = Path.cwd() if str(path) == "-" else Path(os.path.realpath(path)).parent
    return for_directory(folder)
