"""The README's examples are real: each `$ citekit ...` block is run and compared."""

from __future__ import annotations

import re
import shlex

import pytest
from helpers import ROOT, SHIPPED_PATH, invoke

from citekit import catalogue

BLOCK = re.compile(r"```console\n\$ citekit (?P<command>[^\n]*)\n(?P<output>.*?)```", re.S)
EXAMPLES = [(m["command"], m["output"]) for m in BLOCK.finditer((ROOT / "README.md").read_text())]


def test_the_readme_has_examples_of_every_command() -> None:
    commands = {shlex.split(command)[0] for command, _ in EXAMPLES}
    assert commands >= {"lookup", "search", "list", "cite", "check", "refs", "catalogue"}


@pytest.mark.parametrize(("command", "output"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_readme_example(command: str, output: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run with the shipped catalogue, as a reader of the README would."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(catalogue, "builtin_path", SHIPPED_PATH)
    result = invoke(*shlex.split(command))
    assert result.stdout == output
