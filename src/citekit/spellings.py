"""Lookup tables derived from `vocabulary`: what the parser, scanner and loader consult.

Nothing here is written by hand: each table is computed from the one vocabulary, keyed by
the folded spelling (`folding.fold`) that the parser and scanner compare. Alternations
are sorted longest first in code, so "quyet dinh" is tried before "quy" + rest and
"QĐNS" before "QĐ".
"""

from __future__ import annotations

from collections.abc import Iterable

from citekit.folding import fold
from citekit.vocabulary import (
    CAPITALISED_ONLY,
    ISSUERS,
    LOCAL_ISSUER_WORDS,
    PARTY_CODES,
    STATE_CODES,
    Family,
    Kind,
)


def _folded(text: str) -> str:
    return " ".join(fold(text).split())


def longest_first(words: Iterable[str]) -> tuple[str, ...]:
    """Distinct `words`, longest first (ties alphabetical), as an alternation needs them."""
    return tuple(sorted(dict.fromkeys(words), key=lambda w: (-len(w), w)))


KIND_BY_WORD: dict[str, Kind] = {_folded(kind.value): kind for kind in Kind}
"""Folded kind word -> kind: "quy dinh" -> Kind.QUY_DINH."""

KIND_WORDS: tuple[str, ...] = longest_first(KIND_BY_WORD)
"""Folded kind words, longest first: "chuong trinh", "quyet dinh", ..."""

CAPITALISED_WORDS: frozenset[str] = frozenset(_folded(kind.value) for kind in CAPITALISED_ONLY)
"""Folded kind words that count only capitalised: "luat", "bo luat"."""

KIND_BY_VALUE: dict[str, Kind] = {kind.value: kind for kind in Kind}
"""A catalogue's kind field -> kind: "Quy định" -> Kind.QUY_DINH."""

PARTY_CODE_SPELLING: dict[str, str] = {fold(spec.code): spec.code for spec in PARTY_CODES}
"""Folded Party kind code -> canonical spelling: "qd" -> "QĐ", "ctr" -> "CTr"."""

PARTY_CODE_WORDS: tuple[str, ...] = longest_first(PARTY_CODE_SPELLING)
"""Folded Party kind codes, longest first: "qdns", "qdi", ..."""

PARTY_CODES_UPPER: tuple[str, ...] = longest_first(spec.code.upper() for spec in PARTY_CODES)
"""Party kind codes in upper case, longest first, for case-blind patterns: "QĐNS", "QĐI"."""

LEAD_CODES: tuple[str, ...] = tuple(spec.code for spec in PARTY_CODES if spec.leads)
"""Codes drafts also write before a serial, as a kind word: "QĐ 148", "KL 14"."""

ISSUER_SPELLING: dict[str, str] = {fold(issuer.code): issuer.code for issuer in ISSUERS}
"""Folded issuer code -> canonical spelling: "btctw" -> "BTCTW", "dukcqtw" -> "ĐUKCQTW"."""

STATE_CODE_SPELLING: dict[str, str] = {fold(spec.code): spec.code for spec in STATE_CODES}
"""Folded State kind code -> canonical spelling: "nd" -> "NĐ", "ttr" -> "TTr"."""

PARTY_ISSUER_CODES: frozenset[str] = frozenset(
    fold(issuer.code) for issuer in ISSUERS if issuer.family is Family.PARTY
)
"""Folded codes of Party issuers, central and local: "tw", "btctw", "tu", "dd"."""

LOCAL_ISSUER_LEADS: tuple[str, ...] = longest_first(_folded(w) for w in LOCAL_ISSUER_WORDS)
"""Folded words that start a local issuer's name, longest first: "ban thuong vu tinh uy"."""

ISSUER_BY_NAME: dict[str, str] = {
    _folded(written): issuer.name
    for issuer in ISSUERS
    if issuer.name
    for written in (issuer.name, *issuer.aliases)
}
"""Folded name or alias -> full name: "van phong trung uong" -> "Văn phòng Trung ương Đảng"."""

NAMED_ISSUERS: frozenset[str] = frozenset(ISSUER_BY_NAME.values())
"""The full names of the bodies the vocabulary names: "Bộ Chính trị", "Chính phủ"."""

ISSUER_NAME_WORDS: tuple[str, ...] = longest_first(ISSUER_BY_NAME)
"""Folded issuer names, longest first, so "... trung uong dang" is tried before "... trung uong"."""
