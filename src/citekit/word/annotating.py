"""`--annotate`: a copy of a Word draft with a review comment on each finding.

Each comment is anchored on the citation: from the number to the end of what is wrong
(the date, the issuer), the finding's position. Runs are cut where the citation starts
and ends, keeping their formatting, so that the comment marks the citation and nothing
else. Word keeps no comments in headers and footers: a finding there is commented at
the start of the body, the comment naming where it is. Existing comments are kept; the
new ones get ids no other annotation of the file uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element, SubElement

from citekit.errors import UsageError
from citekit.word._package import Paragraph, WordFile, open_word, word_date
from citekit.word._runs import boundary, covering, fields, segments, set_text
from citekit.wordfiles import Part

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from citekit.findings import Finding, Report
    from citekit.word._xml import Tree

_NO_COMMENTS = (Part.HEADER, Part.FOOTER)
"""Parts Word keeps no comments in."""


def _xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold."""
    return "".join(c for c in text if c in "\t\n\r" or (c >= " " and c not in "\ufffe\uffff"))


def comment_text(finding: Finding) -> str:
    """What a comment says: the problem and its fix, and the check that found it."""
    return _xml_safe(f"{finding.message} [citekit: {finding.code.value}]")


class _Annotator:
    def __init__(self, word: WordFile, author: str, date: str) -> None:
        self.word = word
        self.author = author
        self.initials = "".join(part[0] for part in author.split()).upper()[:8] or "C"
        self.date = date
        self.in_field: dict[Tree, set[Element]] = {}
        self.at_start_count = 0

    def comment(self, text: str) -> int:
        """Add a comment saying `text`; its id."""
        w = self.word.w
        number = self.word.new_id()
        attributes = {w("id"): str(number), w("author"): self.author, w("date"): self.date}
        attributes[w("initials")] = self.initials
        comment = Element(w("comment"), attributes)
        paragraph = SubElement(comment, w("p"))
        SubElement(SubElement(paragraph, w("r")), w("annotationRef"))
        set_text(SubElement(SubElement(paragraph, w("r")), w("t")), text)
        self.word.comments.append(comment)
        return number

    def place(self, paragraph: Paragraph) -> None:
        """Note that `paragraph` changed and holds a comment's reference."""
        paragraph.touch()
        self.word.commented.add(paragraph.tree.part)

    def markers(self, number: int) -> tuple[Element, Element, Element]:
        """The range start and end of comment `number`, and the run that refers to it."""
        w = self.word.w
        reference = Element(w("r"))
        SubElement(reference, w("commentReference"), {w("id"): str(number)})
        return (
            Element(w("commentRangeStart"), {w("id"): str(number)}),
            Element(w("commentRangeEnd"), {w("id"): str(number)}),
            reference,
        )

    def at_start(self, paragraph: Paragraph, text: str) -> None:
        """Comment on a point: the start of the paragraph's content."""
        element = paragraph.element
        first = 1 if len(element) and element[0].tag == self.word.w("pPr") else 0
        first += self.at_start_count  # after the ones put there before, in order
        for offset, marker in enumerate(self.markers(self.comment(text))):
            element.insert(first + offset, marker)
        self.at_start_count += 3
        self.place(paragraph)

    def on_span(self, paragraph: Paragraph, start: int, end: int, text: str) -> bool:
        """Comment on the paragraph's text [start, end); False if it is not there."""
        if not 0 <= start < end <= len(paragraph.unit.raw):
            return False
        vocabulary = self.word.vocabulary
        tree = paragraph.tree
        if tree not in self.in_field:
            self.in_field[tree] = fields(tree.root, self.word.ns)
        in_field = self.in_field[tree]
        boundary(segments(paragraph.element, vocabulary, in_field), start, end=False)
        boundary(segments(paragraph.element, vocabulary, in_field), end, end=True)
        found = segments(paragraph.element, vocabulary, in_field)
        inside = [s for s in covering(found, start, end) if s.start != s.end]
        first, last = inside[0], inside[-1]
        range_start, range_end, reference = self.markers(self.comment(text))
        _insert(first.path, first.leaf, range_start, after=False)
        _insert(last.path, last.leaf, range_end, after=True)
        # The reference run stands in the paragraph itself, after what holds the run.
        top = last.path[1] if len(last.path) > 1 else last.leaf
        anchor = range_end if top is last.path[-1] and len(last.path) > 1 else top
        children = list(paragraph.element)
        paragraph.element.insert(children.index(anchor) + 1, reference)
        self.place(paragraph)
        return True


def _insert(path: tuple[Element, ...], leaf: Element, marker: Element, *, after: bool) -> None:
    """Put `marker` beside the run holding `leaf` (beside `leaf`, if it is in no run)."""
    holder, item = (path[-2], path[-1]) if len(path) > 1 else (path[0], leaf)
    holder.insert(list(holder).index(item) + (1 if after else 0), marker)


def annotate(
    source: Path, report: Report, out: Path, *, author: str = "citekit", when: datetime
) -> int:
    """Write to `out` a copy of the Word draft `source` with a comment on each finding of
    `report` (made from `source`); the number of comments written.

    `author` and `when` sign the comments. `source` is never modified; `out` may not be
    `source`. A report made from other text than `source` holds is an `InputError`.
    """
    with open_word(source, out) as word:
        word.check_report(report)
        annotator = _Annotator(word, author, word_date(when))
        body = next(
            (
                p
                for p in word.paragraphs
                if p.unit.location and p.unit.location.part in (Part.BODY, Part.TABLE)
            ),
            None,
        )
        written = 0
        for finding in report.findings:
            location = finding.position.location
            if location is None:
                raise UsageError(f"{report.draft.path}: not a Word draft; nothing to annotate")
            index = word.by_location.get(location)
            if index is None:
                continue
            text = comment_text(finding)
            if location.part in _NO_COMMENTS:
                if body is None:
                    continue
                annotator.at_start(body, f"{location.label}: {text}")
                written += 1
                continue
            start, end = finding.position.column - 1, finding.position.end_column - 1
            written += annotator.on_span(word.paragraphs[index], start, end, text)
        word.write(out)
    return written
