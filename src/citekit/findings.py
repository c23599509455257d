"""Check one draft: scan it, check each citation, place the problems at file:line:col.

A Word draft is checked paragraph by paragraph: a finding's line is the paragraph's
number, its column the offset in the paragraph, and it carries the paragraph's
`Location` and a short quote of the sentence, since a Word user has no line numbers.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, overload

from citekit import suppression
from citekit.checking import Problem, Resolution, check
from citekit.codes import Code, Severity
from citekit.config import Config
from citekit.drafts import Draft, nfc_with_offsets
from citekit.scanning import scan

if TYPE_CHECKING:
    from citekit.catalogue import Catalogue
    from citekit.scanning import Citation, Span
    from citekit.wordfiles import Location, WordDraft

QUOTE_WIDTH = 80
"""About how long a Word finding's quote of its sentence is, in characters."""


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace raw[start:end] with `text` (offsets in the text as written)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """A problem placed in a file; line and column are 1-based, end exclusive."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: Code
    severity: Severity
    message: str
    number: str
    expected: str | None = None
    found: str | None = None
    edit: Edit | None = field(default=None, compare=False)
    where: Location | None = None  # in a Word draft: the paragraph's place
    quote: str | None = None  # in a Word draft: the sentence around the number


@dataclass(frozen=True, slots=True)
class DraftReport:
    """Everything `check` and `refs` learn from one draft."""

    draft: Draft
    findings: tuple[Finding, ...]
    resolutions: tuple[Resolution, ...]

    def line_of(self, span: Span) -> int:
        return self.draft.position(span.start)[0]


@dataclass(frozen=True, slots=True)
class WordReport:
    """Everything `check` and `refs` learn from one Word draft.

    `places[i]` is the paragraph where `resolutions[i]` was cited.
    """

    draft: WordDraft
    findings: tuple[Finding, ...]
    resolutions: tuple[Resolution, ...]
    places: tuple[Location, ...]


def _edit(draft: Draft, span: Span, text: str) -> Edit:
    if draft.is_nfd:
        text = unicodedata.normalize("NFD", text)
    return Edit(draft.raw_offset(span.start), draft.raw_offset(span.end), text)


_Verdict = tuple["Citation", Resolution, list[Problem]]


def _respan(first: Citation, citation: Citation, span: Span) -> Span:
    """The span in `citation` that plays the part `span` played in `first`."""
    if span == first.date_span and citation.date_span is not None:
        return citation.date_span
    if span == first.issuer_span and citation.issuer_span is not None:
        return citation.issuer_span
    return citation.span


def _checked(
    catalogue: Catalogue, citation: Citation, seen: dict[tuple[object, ...], _Verdict]
) -> tuple[Resolution, list[Problem]]:
    """`check`, once per distinct citation text: a long draft repeats its citations."""
    key = (
        citation.written,
        citation.kind,
        citation.number.code,
        citation.date_written,
        citation.issuer_written,
    )
    verdict = seen.get(key)
    if verdict is None:
        resolution, problems = check(catalogue, citation)
        seen[key] = (citation, resolution, problems)
        return resolution, problems
    first, resolution, problems = verdict
    again = Resolution(citation, resolution.document, resolution.confident)
    if not problems:
        return again, problems
    return again, [replace(p, span=_respan(first, citation, p.span)) for p in problems]


@overload
def check_draft(
    draft: Draft,
    catalogue: Catalogue,
    config: Config | None = None,
    *,
    lines: set[int] | None = None,
) -> DraftReport: ...


@overload
def check_draft(
    draft: WordDraft, catalogue: Catalogue, config: Config | None = None, *, lines: None = None
) -> WordReport: ...


def check_draft(
    draft: Draft | WordDraft,
    catalogue: Catalogue,
    config: Config | None = None,
    *,
    lines: set[int] | None = None,
) -> DraftReport | WordReport:
    """Findings for one draft. `lines`, when given, keeps only findings on those lines."""
    if not isinstance(draft, Draft):  # wordfiles is imported only when a Word file is read
        return check_word(draft, catalogue, config)
    config = config or Config()
    silenced = suppression.find(draft.raw)
    findings = []
    resolutions = []
    seen: dict[tuple[object, ...], _Verdict] = {}
    for citation in scan(draft.text):
        resolution, problems = _checked(catalogue, citation, seen)
        if citation.bare and resolution.document is None:
            continue  # "kế hoạch 5 năm", "Quyết định 999": a kind word and a number, no citation
        resolutions.append(resolution)
        for problem in problems:
            line, column = draft.position(citation.span.start)
            if problem.code in config.ignore or silenced.silences(line, problem.code.value):
                continue
            if lines is not None and line not in lines:
                continue
            # Line and column point at the number; the end covers the part that is wrong.
            end_line, end_column = draft.position(max(problem.span.end, citation.span.end))
            edit = None
            if problem.code is Code.NON_CANONICAL_NUMBER and problem.expected:
                edit = _edit(draft, citation.span, problem.expected)
            findings.append(
                Finding(
                    path=draft.path,
                    line=line,
                    column=column,
                    end_line=end_line,
                    end_column=end_column,
                    code=problem.code,
                    severity=config.severity_of(problem.code),
                    message=problem.message,
                    number=problem.number,
                    expected=problem.expected,
                    found=problem.found,
                    edit=edit,
                )
            )
    return DraftReport(draft, tuple(findings), tuple(resolutions))


def check_word(draft: WordDraft, catalogue: Catalogue, config: Config | None = None) -> WordReport:
    """Findings for one Word draft, each paragraph scanned on its own.

    A citation never runs from one paragraph (or cell) into the next. Suppression
    comments work as in text, a paragraph counting as a line.
    """
    config = config or Config()
    silenced = suppression.find("\n".join(u.text.replace("\n", " ") for u in draft.units))
    findings = []
    resolutions = []
    places = []
    seen: dict[tuple[object, ...], _Verdict] = {}
    for index, unit in enumerate(draft.units, start=1):
        text, to_raw = nfc_with_offsets(unit.text)
        for citation in scan(text):
            resolution, problems = _checked(catalogue, citation, seen)
            if citation.bare and resolution.document is None:
                continue
            resolutions.append(resolution)
            places.append(unit.location)
            for problem in problems:
                if problem.code in config.ignore or silenced.silences(index, problem.code.value):
                    continue
                start = citation.span.start
                end = max(problem.span.end, citation.span.end)
                if to_raw is not None:
                    start, end = to_raw[start], to_raw[end]
                paragraph = unit.location.paragraph
                findings.append(
                    Finding(
                        path=draft.path,
                        line=paragraph,
                        column=start + 1,
                        end_line=paragraph,
                        end_column=end + 1,
                        code=problem.code,
                        severity=config.severity_of(problem.code),
                        message=problem.message,
                        number=problem.number,
                        expected=problem.expected,
                        found=problem.found,
                        where=unit.location,
                        quote=excerpt(unit.text, start, end),
                    )
                )
    return WordReport(draft, tuple(findings), tuple(resolutions), tuple(places))


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
