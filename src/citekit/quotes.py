"""Quote the sentence around a citation, for a reader who has no line numbers to go by."""

from __future__ import annotations

QUOTE_WIDTH = 80
"""About how long a quote of a sentence is, in characters."""


def _starts_sentence(text: str, at: int) -> bool:
    """Whether a sentence starts at `at`: the text's start, or a blank after ".", "?", "!".

    A full stop before a letter or digit ("1.148", "TP.HCM") ends nothing.
    """
    return at == 0 or (text[at - 1] in ".?!" and text[at].isspace())


def _ends_sentence(text: str, at: int) -> bool:
    """Whether a sentence ends just before `at`: the text's end, or ".", "?", "!" and a blank."""
    return at == len(text) or (text[at - 1] in ".?!" and text[at].isspace())


def excerpt(text: str, start: int, end: int, width: int = QUOTE_WIDTH) -> str:
    """The sentence around text[start:end], cut at words to about `width` characters.

    Runs of blanks (tabs, line breaks) read as one space; "…" marks a cut. The sentence
    is looked for no further than `width` either side: a quote is never longer.
    """
    first, floor = start, max(0, start - width)
    while first > floor and not _starts_sentence(text, first):
        first -= 1
    last, ceiling = end, min(len(text), end + width)
    while last < ceiling and not _ends_sentence(text, last):
        last += 1
    room = max(width - (end - start), 0)
    left = min(room // 2, start - first)
    right = min(room - left, last - end)
    left = min(room - right, start - first)
    cut_left, cut_right = start - left, end + right
    if cut_left > first:  # cut after a blank, or else at the number
        blank = next((i for i in range(cut_left, start) if text[i].isspace()), start)
        cut_left = min(blank + 1, start)
    if cut_right < last:  # cut before a blank, or else after the number
        blank = next((i for i in range(cut_right, end, -1) if text[i - 1].isspace()), end)
        cut_right = max(blank - 1, end)
    quote = " ".join(text[cut_left:cut_right].split())
    opened = "" if _starts_sentence(text, cut_left) else "…"
    closed = "" if _ends_sentence(text, cut_right) else "…"
    return opened + quote + closed
