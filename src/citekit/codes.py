"""The codes a check reports, and how severe each is unless configured otherwise.

Codes are stable: scripts, `ignore` and `severity` settings and suppression comments name
them. The checker and the configuration both read this vocabulary, so neither imports the
other for it.
"""

from __future__ import annotations

from enum import Enum


class Code(str, Enum):
    UNKNOWN_DOCUMENT = "unknown-document"
    WRONG_DATE = "wrong-date"
    WRONG_ISSUER = "wrong-issuer"
    WRONG_KIND = "wrong-kind"
    NON_CANONICAL_NUMBER = "non-canonical-number"


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


DEFAULT_SEVERITY = {
    Code.UNKNOWN_DOCUMENT: Severity.ERROR,
    Code.WRONG_DATE: Severity.ERROR,
    Code.WRONG_ISSUER: Severity.ERROR,
    Code.WRONG_KIND: Severity.ERROR,
    Code.NON_CANONICAL_NUMBER: Severity.WARNING,
}
