"""citekit: look up and check citations of Vietnamese Party documents.

The library is importable without the CLI:

>>> from citekit import load_catalogue, lookup, builtin_path
>>> result = lookup(load_catalogue([builtin_path()]), "148 qd tw")
>>> result.matches[0].document.number
'148-QĐ/TW'
>>> from citekit import check_text
>>> [finding.message for finding in check_text("Quy định số 148-QD/TW").findings]
['write 148-QĐ/TW, not 148-QD/TW']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from citekit.catalogue import Catalogue, builtin_path, load_catalogue
    from citekit.citation import cite
    from citekit.docnumber import DocNumber, normalize_number, parse_number
    from citekit.errors import CatalogueError, CitekitError, InputError, UsageError
    from citekit.findings import Finding, Report, check_path, check_text
    from citekit.matching import Match, Result, Status, search
    from citekit.model import Document, Kind
    from citekit.queries import lookup
    from citekit.units import Position

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
    "Finding": "findings",
    "Report": "findings",
    "check_path": "findings",
    "check_text": "findings",
    "Match": "matching",
    "Result": "matching",
    "Status": "matching",
    "lookup": "queries",
    "search": "matching",
    "Document": "model",
    "Kind": "model",
    "Position": "units",
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
    "Finding",
    "InputError",
    "Kind",
    "Match",
    "Position",
    "Report",
    "Result",
    "Status",
    "UsageError",
    "__version__",
    "builtin_path",
    "check_path",
    "check_text",
    "cite",
    "load_catalogue",
    "lookup",
    "normalize_number",
    "parse_number",
    "search",
]
