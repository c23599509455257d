"""The codes a check reports, and how severe each is unless configured otherwise.

Codes are stable: scripts, `ignore` and `severity` settings and suppression comments name
them. The checker and the configuration both read this vocabulary, so neither imports the
other for it.
"""

from __future__ import annotations

from enum import Enum


class Code(str, Enum):
    UNKNOWN_DOCUMENT = "unknown-document"
    WRONG_NUMBER = "wrong-number"
    WRONG_DATE = "wrong-date"
    WRONG_ISSUER = "wrong-issuer"
    WRONG_KIND = "wrong-kind"
    NON_CANONICAL_NUMBER = "non-canonical-number"
    INCONSISTENT_CITATION = "inconsistent-citation"
    POSSIBLE_NAMESAKE = "possible-namesake"
    SUPERSEDED = "superseded"


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


DEFAULT_SEVERITY = {
    # A correct citation of a document the catalogue lacks must not fail a commit: teams
    # whose catalogue is complete for their needs set it to error.
    Code.UNKNOWN_DOCUMENT: Severity.WARNING,
    Code.WRONG_NUMBER: Severity.ERROR,
    Code.WRONG_DATE: Severity.ERROR,
    Code.WRONG_ISSUER: Severity.ERROR,
    Code.WRONG_KIND: Severity.ERROR,
    Code.NON_CANONICAL_NUMBER: Severity.WARNING,
    Code.INCONSISTENT_CITATION: Severity.ERROR,
    Code.POSSIBLE_NAMESAKE: Severity.WARNING,
    Code.SUPERSEDED: Severity.WARNING,
}


class Verdict(str, Enum):
    """What checking made of one citation, as `refs` lists it."""

    VERIFIED = "verified"  # in a catalogue, and what the draft says of it agrees
    WRONG = "wrong"  # a finding says what is wrong with it
    NOT_IN_CATALOGUE = "not-in-catalogue"  # a full number no catalogue holds
    PARTIAL = "partial"  # a short form ("Quy định 144") the draft and catalogue do not resolve


NOT_WRONG = frozenset({Code.UNKNOWN_DOCUMENT, Code.SUPERSEDED})
"""Findings that do not make a citation wrong: it may be right, or was right when written."""
