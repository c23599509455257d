"""citekit: look up and check citations of Vietnamese Party documents.

The library is importable without the CLI:

>>> from citekit import load_catalogue, lookup, builtin_path
>>> result = lookup(load_catalogue([builtin_path()]), "148 qd tw")
>>> result.matches[0].document.number
'148-QĐ/TW'
"""

from __future__ import annotations

from citekit.catalogue import Catalogue, builtin_path, load_catalogue
from citekit.citation import cite
from citekit.docnumber import DocNumber, normalize_number, parse_number
from citekit.errors import CatalogueError, CitekitError, InputError, UsageError
from citekit.matching import Match, Result, Status, lookup, search
from citekit.model import Document, Kind

__version__ = "0.1.0"

__all__ = [
    "Catalogue",
    "CatalogueError",
    "CitekitError",
    "DocNumber",
    "Document",
    "InputError",
    "Kind",
    "Match",
    "Result",
    "Status",
    "UsageError",
    "__version__",
    "builtin_path",
    "cite",
    "load_catalogue",
    "lookup",
    "normalize_number",
    "parse_number",
    "search",
]
