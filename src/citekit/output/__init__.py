"""What the commands print: one module per command family, one renderer per format.

- `lookup`: documents and lookup results (`lookup`, `search`, `list`, `cite`);
- `check`: findings and the closing summary (`check`);
- `refs`: the table of authorities (`refs`);
- `_cells`: what they share: terminal-safe text, TSV cells, JSON, Rich cells, tables.

Each family keeps a table from `Format` to its renderers, as sqlite-utils' `output_rows`
picks one: the CLI looks the format up and calls it. A renderer writes to a stream as it
goes, so a draft with a million findings is never one giant string.
"""

from __future__ import annotations

from enum import Enum


class Format(str, Enum):
    """Every output format; each command accepts those its family has renderers for."""

    table = "table"
    plain = "plain"
    json = "json"
    tsv = "tsv"
    github = "github"
