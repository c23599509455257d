"""Where a paragraph's text lies in its runs, and cutting runs at a text offset.

`segments` walks a paragraph as `citekit.wordfiles` reads it (its vocabulary says which
elements are text, which read as a character, which are skipped), and gives each piece
of text its offset in the paragraph's text, its element and the run holding it. The
walk is checked against wordfiles' own text of the paragraph, so the offsets of a
finding and of a run agree.

A piece of text may not be rewritten where Word computes or links it: inside a field
(w:fldSimple, or between a w:fldChar begin and end), a hyperlink, or a tracked change.

A run in a legacy font (.VnTime, VNI-Times) holds legacy bytes; its segments count
offsets in the decoded text, `Segment.index` maps them back to the run's own characters
and `Segment.written` encodes new text the way the run holds it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING

from citekit import legacy
from citekit.errors import InputError
from citekit.word._xml import SPACE
from citekit.wordfiles import _legacy_font, _text, _Vocabulary

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

_BLOCKED = {
    "fldSimple": "inside a field",
    "hyperlink": "inside a hyperlink",
    "ins": "inside a tracked change",
    "moveTo": "inside a tracked change",
}
"""What a piece of text inside these elements cannot be fixed for."""


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of a paragraph's text: [start, end) in the text, and where it is written.

    `leaf` is a w:t, or an element read as one character (a tab, a break, a
    non-breaking hyphen) or none (a soft hyphen). `path` runs from the paragraph down
    to the leaf's parent, the run (w:r) holding it. `blocked` says why it may not be
    rewritten, or is None. `font` is the run's legacy font, or None for Unicode text.
    """

    start: int
    end: int
    leaf: Element
    path: tuple[Element, ...]
    blocked: str | None
    font: str | None = None

    def index(self, offset: int) -> int | None:
        """Where paragraph offset `offset` (within the segment) falls in the leaf's own
        text, or None where it cuts a letter a legacy font writes in several bytes."""
        split = offset - self.start
        raw = self.leaf.text or ""
        if self.font is None or not raw:
            return split
        decoded = legacy.from_font_text(raw, self.font)
        # The decoded length never shrinks as bytes are added: the last prefix of `split`
        # letters takes in every mark byte of its last letter.
        low, high = 0, len(raw)
        while low < high:
            middle = (low + high + 1) // 2
            if len(legacy.from_font_text(raw[:middle], self.font)) <= split:
                low = middle
            else:
                high = middle - 1
        return low if legacy.from_font_text(raw[:low], self.font) == decoded[:split] else None

    def written(self, text: str) -> str:
        """`text` as this segment's run holds it (raises `UnencodableError`)."""
        return text if self.font is None else legacy.to_font_text(text, self.font)

    @property
    def run(self) -> Element:
        return self.path[-1]

    @property
    def parent(self) -> Element:
        """What holds the run: the paragraph, a hyperlink, a content control, a revision."""
        return self.path[-2]


def fields(root: Element, w: str) -> set[Element]:
    """The runs of a part that stand between a field's begin and end (nested fields too)."""
    run, char, kind = f"{{{w}}}r", f"{{{w}}}fldChar", f"{{{w}}}fldCharType"
    depth = 0
    inside: set[Element] = set()
    for element in root.iter(run):
        marks = [c.get(kind) for c in element if c.tag == char]
        if not marks and depth:
            inside.add(element)
        for mark in marks:
            if mark == "begin":
                depth += 1
            elif mark == "end" and depth:
                depth -= 1
    return inside


def segments(paragraph: Element, vocabulary: _Vocabulary, in_field: set[Element]) -> list[Segment]:
    """The pieces of the paragraph's text, in order, as wordfiles reads it."""
    out: list[Segment] = []
    t, chars, skip = vocabulary.t, vocabulary.chars, vocabulary.skip
    w = vocabulary.p[: -len("p")]
    blockers = {w + local: reason for local, reason in _BLOCKED.items()}
    run_tag = w + "r"
    offset = 0
    pieces: list[str] = []
    path = [paragraph]
    stack = [iter(paragraph)]
    while stack:
        for child in stack[-1]:
            tag = child.tag
            if tag == t or tag in chars:
                parent = path[-1]
                font = _legacy_font(parent, vocabulary) if tag == t else None
                text = (child.text or "") if tag == t else chars[tag]
                if font is not None and text:
                    text = legacy.from_font_text(text, font)
                blocked = next((blockers[e.tag] for e in path if e.tag in blockers), None)
                if parent.tag != run_tag:
                    blocked = blocked or "in an unusual place"
                elif blocked is None and parent in in_field:
                    blocked = "inside a field"
                out.append(Segment(offset, offset + len(text), child, tuple(path), blocked, font))
                pieces.append(text)
                offset += len(text)
            elif tag not in skip and len(child):
                stack.append(iter(child))
                path.append(child)
                break
        else:
            stack.pop()
            path.pop()
    if "".join(pieces) != _text(paragraph, vocabulary):  # the walks disagree: never guess
        raise InputError(
            "a paragraph's text could not be matched to its place in the file; "
            "annotate or fix it by hand"
        )
    return out


_CUT_LETTER = "a letter in an old Vietnamese font (.VnTime, VNI-Times) would be cut; fix it by hand"


def covering(found: list[Segment], start: int, end: int) -> list[Segment]:
    """The segments holding text of [start, end), and those of no text strictly inside."""
    return [
        s
        for s in found
        if (s.start < end and s.end > start) or (s.start == s.end and start < s.start < end)
    ]


def set_text(leaf: Element, text: str) -> None:
    """Give a w:t (or w:delText) its text, preserving spaces at its ends."""
    leaf.text = text
    if text != text.strip() or "  " in text:
        leaf.set(SPACE, "preserve")


def _cut_text(segment: Segment, offset: int) -> Element:
    """Cut the segment's w:t at paragraph offset `offset`: two w:t, the second returned."""
    leaf, run = segment.leaf, segment.run
    split = segment.index(offset)
    if split is None:
        raise InputError(_CUT_LETTER)
    text = leaf.text or ""
    second = copy.copy(leaf)  # a shallow copy: same tag and attributes, no children
    second.tail = None
    set_text(leaf, text[:split])
    set_text(second, text[split:])
    run.insert(list(run).index(leaf) + 1, second)
    return second


def _is_property(element: Element) -> bool:
    return element.tag.endswith("}rPr")


def _move_to_new_run(segment: Segment, first: int) -> None:
    """Move the run's children from index `first` on into a new run right after it."""
    run, parent = segment.run, segment.parent
    children = list(run)
    if not any(not _is_property(c) for c in children[:first]) or first >= len(children):
        return
    new = copy.copy(run)  # same tag and attributes
    for child in list(new):
        new.remove(child)
    new.tail = None
    for child in children:
        if _is_property(child):
            new.append(copy.deepcopy(child))
            break
    for child in children[first:]:
        run.remove(child)
        new.append(child)
    parent.insert(list(parent).index(run) + 1, new)


def boundary(found: list[Segment], offset: int, *, end: bool) -> None:
    """Make the text at `offset` start a run (`end` False) or end one (`end` True),
    cutting a w:t and its run where needed. The segments are stale afterwards.
    """
    for segment in found:
        if segment.start == segment.end or segment.blocked == "in an unusual place":
            continue
        inside = (
            segment.start < offset <= segment.end if end else segment.start <= offset < segment.end
        )
        if not inside:
            continue
        run = segment.run
        if segment.start < offset < segment.end:
            second = _cut_text(segment, offset)
            index = list(run).index(second)
        else:
            index = list(run).index(segment.leaf) + (1 if end else 0)
        _move_to_new_run(segment, index)
        return
