"""Text folding: the accent- and case-blind form that matching and scanning compare.

`fold` maps each character to exactly one character, so an offset in the folded text is
the same offset in the input. That lets the scanner match patterns on folded text and
report positions in what the user wrote.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# NFKD does not decompose Đ/đ (they are letters of their own), and Ð (U+00D0, Icelandic
# eth) looks the same in most fonts, so people type it for Đ.
_D_LIKE = {"Đ": "d", "đ": "d", "Ð": "d", "ð": "d"}
# Every dash people type or paste between serial and code; all fold to ASCII "-".
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"


@lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    """One character's folded form: lower case, no diacritics, Đ as d, dashes as -."""
    if char in _D_LIKE:
        return _D_LIKE[char]
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


def fold_words(text: str) -> str:
    """Fold text to its words alone, for title search: punctuation becomes space."""
    from citekit.regexes import NON_WORD  # title search only: lookups by number skip it

    return NON_WORD.sub(" ", fold(nfc(text))).strip()
