"""citekit: look up and check citations of Vietnamese Party documents.

The library is importable without the CLI:

>>> from citekit import load_catalogue, lookup, builtin_path
>>> result = lookup(load_catalogue([builtin_path()]), "148 qd tw")
>>> result.matches[0].document.number
'148-QĐ/TW'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from citekit.catalogue import Catalogue, builtin_path, load_catalogue
    from citekit.citation import cite
    from citekit.docnumber import DocNumber, normalize_number, parse_number
    from citekit.errors import CatalogueError, CitekitError, InputError, UsageError
    from citekit.matching import Match, Result, Status, search
    from citekit.model import Document, Kind
    from citekit.queries import lookup

_EXPORTS = {
    "Catalogue": "catalogue",
    "builtin_path": "catalogue",
    "load_catalogue": "catalogue",
    "cite": "citation",
    "DocNumber": "docnumber",
    "normalize_number": "docnumber",
    "parse_number": "docnumber",
    "CatalogueError": "errors",
    "CitekitError": "errors",
    "InputError": "errors",
    "UsageError": "errors",
    "Match": "matching",
    "Result": "matching",
    "Status": "matching",
    "lookup": "queries",
    "search": "matching",
    "Document": "model",
    "Kind": "model",
}


def __getattr__(name: str) -> Any:
    """The public API, imported on first use so `citekit` itself starts fast."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'citekit' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"citekit.{module}"), name)


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
