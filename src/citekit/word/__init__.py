"""Edit Word drafts: review comments on findings, fixes in place (tracked or not), and
.doc files converted by LibreOffice.

Every function writes a copy and leaves the original alone. Only the parts that change
are rewritten, and in them only the paragraphs that change; every other zip member is
copied as it was.
"""

from __future__ import annotations

from citekit.docconvert import convert_doc
from citekit.word.annotating import annotate, comment_text
from citekit.word.revising import FixResult, Skipped, diff_word, fix_word

__all__ = [
    "FixResult",
    "Skipped",
    "annotate",
    "comment_text",
    "convert_doc",
    "diff_word",
    "fix_word",
]
