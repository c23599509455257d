"""Check one draft: scan it, check each citation, place the problems at file:line:col."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from citekit import suppression
from citekit.checking import Code, Problem, Resolution, Severity, check
from citekit.config import Config
from citekit.scanning import scan

if TYPE_CHECKING:
    from citekit.catalogue import Catalogue
    from citekit.drafts import Draft
    from citekit.scanning import Citation, Span


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


@dataclass(frozen=True, slots=True)
class DraftReport:
    """Everything `check` and `refs` learn from one draft."""

    draft: Draft
    findings: tuple[Finding, ...]
    resolutions: tuple[Resolution, ...]

    def line_of(self, span: Span) -> int:
        return self.draft.position(span.start)[0]


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


def check_draft(
    draft: Draft,
    catalogue: Catalogue,
    config: Config | None = None,
    *,
    lines: set[int] | None = None,
) -> DraftReport:
    """Findings for one draft. `lines`, when given, keeps only findings on those lines."""
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
