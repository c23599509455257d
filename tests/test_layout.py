"""The pipeline has no back-edges: no module imports one that comes later in it."""

from __future__ import annotations

import ast

import pytest
from helpers import ROOT

SOURCE = ROOT / "src" / "citekit"


def imports_of(module: str) -> set[str]:
    """Every citekit module `module` imports, at the top, lazily or for type checking."""
    tree = ast.parse((SOURCE / f"{module}.py").read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "citekit":
                found.update(alias.name for alias in node.names)
            elif node.module.startswith("citekit."):
                found.add(node.module.removeprefix("citekit."))
        elif isinstance(node, ast.Import):
            found.update(
                a.name.removeprefix("citekit.") for a in node.names if a.name.startswith("citekit.")
            )
    return found


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
