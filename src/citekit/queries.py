"""Answer a query typed or pasted by a user, most certain evidence first.

1. the exact canonical number;
2. the number normalised from however it was typed;
3. a partial number, found when it picks out exactly one document;
4. a pasted citation ("Chỉ thị số 35-CT/TW ngày 14-6-2024 của …"): its number, its date
   choosing the term by the same rule as `citekit check` (`matching.resolve_number`);
5. a title search, blind to accents and case, tolerant of a typo.

This module comes after the scanner in the pipeline: only a pasted citation needs it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from citekit.errors import UsageError
from citekit.folding import nfc
from citekit.matching import (
    MAX_QUERY,
    MAX_SUGGESTIONS,
    Match,
    MatchKind,
    Result,
    Status,
    candidates,
    number_suggestions,
    resolve_number,
    result_of,
    title_lookup,
)
from citekit.terms import newest_first

if TYPE_CHECKING:
    from citekit.catalogue import Catalogue
    from citekit.scanning import Citation


def lookup(catalogue: Catalogue, query: str) -> Result:
    """Resolve one query; raise UsageError for an empty one."""
    text = " ".join(nfc(query).split())[:MAX_QUERY]
    if not text or not text.isprintable():
        text = "".join(c for c in text if c.isprintable()).strip()
    if not text:
        raise UsageError("empty query: type a document number or words of its title")
    exact = catalogue.by_number(text)
    if exact:
        return result_of(query, [Match(d, 100.0, MatchKind.EXACT) for d in newest_first(exact)])
    # Parsing comes after the exact match: an exact lookup never imports the parser.
    from citekit.docnumber import Form, parse_number

    number = parse_number(text)
    if number is None:
        cited = _pasted_citation(text)
        if cited is None:
            return title_lookup(catalogue, query, text)
        return _pasted_lookup(catalogue, query, text, cited)
    found = newest_first(candidates(catalogue, number))
    if number.form is Form.PARTIAL:
        matches = [Match(d, 90.0, MatchKind.PARTIAL) for d in found]
    else:
        matches = [Match(d, 100.0, MatchKind.NORMALIZED) for d in found]
    if matches:
        return result_of(query, matches)
    return result_of(query, [], number_suggestions(catalogue, number))


def _pasted_citation(text: str) -> Citation | None:
    """The full citation a pasted phrase starts with: "Kết luận số 09-KL/BTCTW của …".

    Only a citation at the start counts: "Hướng dẫn một số nội dung Chỉ thị số 35-CT/TW"
    is the title of 27-HD/BTCTW, not a citation of 35-CT/TW.
    """
    from citekit.docnumber import leading_serial
    from citekit.scanning import scan

    serial = leading_serial(text)
    if serial is None:
        return None
    cited = [c for c in scan(text) if not c.bare]
    if cited and cited[0].number.serial == serial:
        return cited[0]
    return None


def _pasted_lookup(catalogue: Catalogue, query: str, text: str, cited: Citation) -> Result:
    """A pasted citation resolves by its number and date as `citekit check` resolves it:
    found when that is certain, else ambiguous with the preferred term first. When no
    document has the number, its title words and its number both suggest."""
    choice = resolve_number(catalogue, cited.number, cited.date)
    if choice.documents:
        return result_of(query, [Match(d, 100.0, MatchKind.NORMALIZED) for d in choice.documents])
    by_title = title_lookup(catalogue, query, text)
    if by_title.status is not Status.NOT_FOUND:  # pragma: no cover - serial rule forbids
        return by_title
    suggestions: dict[object, Match] = {}
    for match in [*by_title.suggestions[:2], *number_suggestions(catalogue, cited.number)]:
        suggestions.setdefault(match.document.key, match)
    return result_of(query, [], list(suggestions.values())[:MAX_SUGGESTIONS])
