"""Suppression comments, as prose linters have them.

- `citekit: ignore` in a Markdown/HTML comment or at the end of a line silences that line;
- `citekit: ignore[wrong-date]` (or several codes, comma-separated) silences those codes;
- `citekit: ignore-next-line` (optionally with codes) silences the line after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A suppression comment: "citekit: ignore", "citekit: ignore[wrong-date, wrong-kind]",
# "citekit: ignore-next-line".
SUPPRESS = re.compile(
    r"citekit:\s{0,3}(?P<what>ignore-next-line|ignore)(?:\[(?P<codes>[a-z\-, ]{1,200})\])?"
)

ALL = frozenset({"*"})


@dataclass(frozen=True, slots=True)
class Suppressions:
    """Which codes are silenced on which 1-based line ("*" is every code)."""

    by_line: dict[int, frozenset[str]] = field(default_factory=dict)

    def silences(self, line: int, code: str) -> bool:
        codes = self.by_line.get(line)
        return codes is not None and ("*" in codes or code in codes)

    def add(self, raw: str, first: int = 1) -> None:
        """Note the comments in `raw`, a text whose first line is line `first` (a piece
        of a draft read a piece at a time: a comment silences the line after it, which
        the next piece may hold, so each piece is added before it is checked)."""
        if "citekit:" not in raw:
            return
        by_line = self.by_line
        for index, line in enumerate(raw.split("\n"), start=first):
            if "citekit:" not in line:
                continue
            for match in SUPPRESS.finditer(line):
                codes = (
                    frozenset(c.strip() for c in match["codes"].split(",") if c.strip())
                    if match["codes"]
                    else ALL
                )
                target = index + 1 if match["what"] == "ignore-next-line" else index
                by_line[target] = by_line.get(target, frozenset()) | codes


def find(raw: str) -> Suppressions:
    """The suppression comments in a text as written."""
    found = Suppressions()
    found.add(raw)
    return found
