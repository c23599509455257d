"""Text folding: the accent- and case-blind form that matching and scanning compare.

`fold` maps each character to exactly one character, so an offset in the folded text is
the same offset in the input. That lets the scanner match patterns on folded text and
report positions in what the user wrote.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from citekit.vocabulary import D_LIKE, DASHES

# NFKD does not decompose Đ/đ (they are letters of their own), nor the look-alike eth:
# all fold to "d". Every dash (vocabulary.DASHES) folds to ASCII "-".


@lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    """One character's folded form: lower case, no diacritics, Đ as d, dashes as -."""
    if char in D_LIKE:
        return "d"
    if char in DASHES:
        return "-"
    if char.isascii():
        return char.lower()
    base = unicodedata.normalize("NFKD", char)
    first = base[0] if base else char
    if unicodedata.combining(first):
        # A lone combining mark (NFD input): keep the length, drop the mark.
        return " " if first == char else first
    lowered = first.lower()
    return lowered[0] if lowered else first


class _FoldTable(dict[int, str]):
    """A `str.translate` table that folds each character on first sight."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = fold_char(chr(code))
        return folded


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Fold `text` character by character; the result has the same length."""
    if text.isascii():
        return text.lower()
    return text.translate(_TABLE)


def nfc(text: str) -> str:
    """The NFC form of `text` (catalogue data and comparisons are NFC)."""
    return unicodedata.normalize("NFC", text)


def fold_query(text: str) -> str:
    """Fold free text for comparison: NFC first, so NFD input folds like NFC."""
    return " ".join(fold(nfc(text)).split())


class _WordTable(dict[int, str]):
    """A `str.translate` table that folds each character, and makes a space of one
    that folds to no letter or digit (punctuation, spaces, "_")."""

    def __missing__(self, code: int) -> str:
        folded = fold_char(chr(code))
        kept = self[code] = folded if folded.isalnum() else " "
        return kept


_WORDS = _WordTable()


def fold_words(text: str) -> str:
    """Fold text to its words alone, for title search: the words folded, one space
    between each two. One pass over the text: a catalogue folds every title it holds."""
    return " ".join(nfc(text).translate(_WORDS).split())
