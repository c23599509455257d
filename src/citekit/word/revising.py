"""`--fix` and `--diff` for Word drafts: rewrite non-canonical numbers in their runs.

A number is rewritten where it is written: the new text goes into the span of the
first run holding it, and the other runs holding it are trimmed, so every run keeps
its formatting (w:rPr). With tracked changes, the old text is deleted (w:del, its
w:t become w:delText) and the new inserted after it (w:ins, formatted as the first run
was), signed with an author and a date, for the writer to accept or reject.

Text Word computes or links is left alone and reported: a number inside a field, a
hyperlink, or an existing tracked change.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element, SubElement

from citekit.errors import InputError
from citekit.fixing import fixed_units
from citekit.legacy import UnencodableError
from citekit.word._package import Paragraph, WordFile, open_word, word_date
from citekit.word._runs import (
    _CUT_LETTER,
    Segment,
    boundary,
    covering,
    fields,
    segments,
    set_text,
)

if TYPE_CHECKING:
    from collections.abc import Collection
    from datetime import datetime
    from pathlib import Path

    from citekit.findings import Edit, Report
    from citekit.word._xml import Tree


@dataclass(frozen=True, slots=True)
class Skipped:
    """A number that was not fixed: where, what, and why ("not fixed: inside a field")."""

    label: str
    number: str
    reason: str

    def __str__(self) -> str:
        return f"{self.label}: {self.number}: {self.reason}"


@dataclass(frozen=True, slots=True)
class FixResult:
    """What `fix_word` did: how many numbers it rewrote, and those it left alone."""

    fixed: int
    skipped: tuple[Skipped, ...] = ()
    applied: tuple[Edit, ...] = dataclasses.field(default=(), compare=False)
    """The edits made: what `diff_word` shows, those skipped left out."""


@dataclass(frozen=True, slots=True)
class _Revision:
    """Who signs a tracked change, and when (Word's w:date form)."""

    author: str
    date: str


class _Fixer:
    def __init__(self, word: WordFile, revision: _Revision | None) -> None:
        self.word = word
        self.revision = revision
        self.in_field: dict[Tree, set[Element]] = {}

    def segments(self, paragraph: Paragraph) -> list[Segment]:
        tree = paragraph.tree
        if tree not in self.in_field:
            self.in_field[tree] = fields(tree.root, self.word.ns)
        return segments(paragraph.element, self.word.vocabulary, self.in_field[tree])

    def fix(self, paragraph: Paragraph, edit: Edit) -> str | None:
        """Apply one edit; None, or why it was not applied."""
        found = covering(self.segments(paragraph), edit.start, edit.end)
        if not found:
            return "not fixed: the number is not in the paragraph"
        blocked = next((s.blocked for s in found if s.blocked), None)
        if blocked is not None:
            return f"not fixed: {blocked}"
        if found[0].leaf.tag != self.word.vocabulary.t:
            return "not fixed: the number does not start with text"
        unwritable = _unwritable(found, edit)
        if unwritable is not None:
            return f"not fixed: {unwritable}"
        if self.revision is None:
            _rewrite(found, edit)
        else:
            self._track(paragraph, edit, self.revision)
        paragraph.touch()
        return None

    def _track(self, paragraph: Paragraph, edit: Edit, revision: _Revision) -> None:
        w = self.word.w
        boundary(self.segments(paragraph), edit.start, end=False)
        boundary(self.segments(paragraph), edit.end, end=True)
        found = covering(self.segments(paragraph), edit.start, edit.end)
        runs: list[tuple[Element, Element]] = []
        for segment in found:
            if not runs or runs[-1][0] is not segment.run:
                runs.append((segment.run, segment.parent))
        properties = runs[0][0].find(w("rPr"))
        stamp = {w("author"): revision.author, w("date"): revision.date}
        deletion = Element(w("del"))
        for run, parent in runs:
            for child in run:
                if child.tag == w("t"):
                    child.tag = w("delText")
            siblings = list(parent)
            index = siblings.index(run)
            if not index or siblings[index - 1] is not deletion:  # runs side by side share one
                deletion = Element(w("del"), {w("id"): str(self.word.new_id()), **stamp})
                parent.insert(index, deletion)
            parent.remove(run)
            deletion.append(run)
        insertion = Element(w("ins"), {w("id"): str(self.word.new_id()), **stamp})
        new_run = SubElement(insertion, w("r"))
        if properties is not None:
            new_run.append(copy.deepcopy(properties))
        set_text(SubElement(new_run, w("t")), found[0].written(edit.text))
        parent = runs[-1][1]
        parent.insert(list(parent).index(deletion) + 1, insertion)


def _rewrite(found: list[Segment], edit: Edit) -> None:
    """Put the new text in the first segment's span, trim the others out."""
    first, *rest = found
    text = first.leaf.text or ""
    head, tail = _index(first, edit.start), _index(first, min(edit.end, first.end))
    set_text(first.leaf, text[:head] + first.written(edit.text) + text[tail:])
    t = first.leaf.tag
    for segment in rest:
        leaf, run = segment.leaf, segment.run
        if leaf.tag == t and segment.end > edit.end:
            set_text(leaf, (leaf.text or "")[_index(segment, edit.end) :])
            continue
        run.remove(leaf)
        if run is not first.run and all(c.tag.endswith("}rPr") for c in run):
            segment.parent.remove(run)


def _unwritable(found: list[Segment], edit: Edit) -> str | None:
    """Why a legacy-font run cannot take the edit, or None: the edit cuts one of its
    letters, or its encoding has no bytes for the new text."""
    for segment in found:
        for offset in (edit.start, edit.end):
            if segment.start <= offset <= segment.end and segment.index(offset) is None:
                return f"a letter in {segment.font} would be cut"
    try:
        found[0].written(edit.text)
    except UnencodableError:
        return f"{edit.text} cannot be written in {found[0].font}"
    return None


def _index(segment: Segment, offset: int) -> int:
    index = segment.index(offset)
    if index is None:  # `_unwritable` refused the edit before
        raise InputError(_CUT_LETTER)
    return index


def fix_word(
    source: Path,
    report: Report,
    out: Path,
    *,
    track_changes: bool,
    author: str = "citekit",
    when: datetime,
) -> FixResult:
    """Write to `out` a copy of the Word draft `source` with its non-canonical numbers
    (the findings of `report` that carry an edit) rewritten in their runs.

    With `track_changes`, each fix is a tracked change signed by `author` at `when`.
    `source` is never modified; `out` may not be `source`. A number inside a field, a
    hyperlink or a tracked change is left alone and listed in the result's `skipped`.
    """
    revision = _Revision(author, word_date(when)) if track_changes else None
    skipped: list[Skipped] = []
    applied: list[Edit] = []
    with open_word(source, out) as word:
        word.check_report(report)
        fixer = _Fixer(word, revision)
        edits = sorted(
            {(f.edit, f.number) for f in report.findings if f.edit is not None},
            key=lambda pair: (pair[0].unit, -pair[0].start),
        )
        for edit, number in edits:  # from the end of each paragraph, so offsets hold
            paragraph = word.paragraphs[edit.unit]
            reason = fixer.fix(paragraph, edit)
            if reason is None:
                applied.append(edit)
                continue
            label = paragraph.unit.location.label if paragraph.unit.location else ""
            written = paragraph.unit.raw[edit.start : edit.end]
            skipped.append(Skipped(label, written or number, reason))
        word.write(out)
    return FixResult(len(applied), tuple(skipped), tuple(applied))


def diff_word(report: Report, applied: Collection[Edit] | None = None) -> str:
    """What fixing would change in a Word draft, paragraph by paragraph: every edit, or
    those `applied` (what `fix_word` would make, leaving out numbers in fields).

    Each changed paragraph is a hunk headed by its place ("@@ body ¶5 @@"), its text
    before ("-") and after ("+"); a line break in a paragraph reads as a space.
    """
    if applied is not None:
        kept = tuple(f for f in report.findings if f.edit is None or f.edit in applied)
        report = dataclasses.replace(report, findings=kept)
    path = report.draft.path
    out = []
    for index, fixed in sorted(fixed_units(report).items()):
        unit = report.draft.units[index]
        label = unit.location.label if unit.location is not None else str(index + 1)
        before = unit.raw.replace("\n", " ")
        after = fixed.replace("\n", " ")
        out.append(f"@@ {label} @@\n-{before}\n+{after}\n")
    if not out:
        return ""
    return f"--- a/{path}\n+++ b/{path}\n" + "".join(out)
