"""The pipeline has no back-edges: no module imports one that comes later in it.

The stages are the README's code map: this test reads it, so the map cannot drift from
the code, and a new module must be placed in it.
"""

from __future__ import annotations

import ast
import re

import pytest
from helpers import ROOT

SOURCE = ROOT / "src" / "citekit"


def _stages() -> dict[str, int]:
    """Module (or sub-package) -> its stage's number, from the README's code map."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Code map", 1)[1].split("\n## ", 1)[0]
    stages = {}
    for row in re.finditer(r"^\| (\d+)\. [^|]+\| ([^|]+) \|", section, re.M):
        for module in re.findall(r"`([\w.]+)`", row[2]):
            stages[module] = int(row[1])
    return stages


STAGES = _stages()


def _modules() -> list[str]:
    """Every module of the package, a sub-package counted as one ("output", "word")."""
    names = set()
    for path in SOURCE.rglob("*.py"):
        parts = path.relative_to(SOURCE).with_suffix("").parts
        names.add(parts[0])
    return sorted(names)


def imports_of(module: str) -> set[str]:
    """Every citekit module `module` imports, at the top, lazily or for type checking."""
    root = SOURCE / module
    files = sorted(root.rglob("*.py")) if root.is_dir() else [SOURCE / f"{module}.py"]
    found: set[str] = set()
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module == "citekit":
                    found.update(alias.name for alias in node.names)
                elif node.module.startswith("citekit."):
                    found.add(node.module.removeprefix("citekit.").split(".")[0])
            elif isinstance(node, ast.Import):
                found.update(
                    a.name.removeprefix("citekit.").split(".")[0]
                    for a in node.names
                    if a.name.startswith("citekit.")
                )
    return {name for name in found if name in STAGES and name != module}


def test_every_module_is_on_the_code_map() -> None:
    assert set(_modules()) == set(STAGES)


@pytest.mark.parametrize("module", _modules())
def test_no_module_imports_a_later_stage(module: str) -> None:
    later = {name for name in imports_of(module) if STAGES[name] > STAGES[module]}
    assert not later, f"{module} (stage {STAGES[module]}) imports {sorted(later)}"


@pytest.mark.parametrize(
    ("module", "later"),
    [
        ("matching", "scanning"),  # a pasted citation is read in queries, after the scanner
        ("matching", "queries"),
        ("terms", "matching"),
        ("config", "checking"),  # the codes live in codes
        ("codes", "checking"),
        ("drafts", "walking"),
    ],
)
def test_no_back_edge(module: str, later: str) -> None:
    assert later not in imports_of(module)


def test_every_sub_package_ships_in_the_wheel() -> None:
    """pyproject lists the packages by hand: a sub-package left out would be missing from
    an installed citekit, though an editable install finds it."""
    import tomllib

    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    packages = {
        ".".join(("citekit", *p.parent.relative_to(SOURCE).parts)).rstrip(".")
        for p in SOURCE.rglob("__init__.py")
    }
    assert packages <= listed
