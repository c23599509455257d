"""Score the scanner on the hand-annotated corpus: recall and precision per family.

    python bench/corpus.py [CORPUS_DIR]

The corpus (tests/data/corpus/) is realistic drafts written for the project, and
annotations.yaml lists every citation they hold: file, line, the number as written,
family (party/state), form (full/short/serial-year), and the kind, date and issuer
written with it. A citation counts as found when the scanner reports the same number
text on the same line; anything else it reports is a false citation. The facts read
with each found citation (kind, date, issuer, family, issuer code) are scored too.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from citekit.drafts import read_draft
from citekit.scanning import Citation, scan

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "corpus"


@dataclass
class Score:
    """Counts for one family (or all): expected, found, missed, false, and facts read."""

    expected: int = 0
    found: int = 0
    false: int = 0
    facts: Counter[str] = field(default_factory=Counter)
    facts_right: Counter[str] = field(default_factory=Counter)
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0


def _date(citation: Citation) -> str | None:
    if citation.date is not None:
        return citation.date.isoformat()
    if citation.year is not None:
        return str(citation.year)
    if citation.day_month is not None:
        day, month = citation.day_month
        return f"--{month:02d}-{day:02d}"
    return None


def _facts(citation: Citation) -> dict[str, object]:
    number = citation.number
    family = number.family.value if number.family else None
    code = None
    if not citation.bare:
        code = number.issuer
    return {
        "family": family,
        "kind": citation.kind.value if citation.kind else None,
        "date": _date(citation),
        "issuer": citation.issuer_written,
        "issuer_code": code,
    }


def found_in(path: Path) -> list[tuple[int, str, Citation]]:
    """(line, number as written, citation) for every citation the scanner reports."""
    draft = read_draft(path)
    out = []
    for unit in draft.units:
        for citation in scan(unit.text):
            out.append((unit.line_of(citation.span.start), citation.written, citation))
    return out


def score(corpus: Path = CORPUS) -> dict[str, Score]:
    """Scores per family ("party", "state") and for "all"."""
    annotations = yaml.safe_load((corpus / "annotations.yaml").read_text(encoding="utf-8"))
    scores = {"party": Score(), "state": Score(), "all": Score()}
    for name, expected in annotations.items():
        found = found_in(corpus / name)
        unclaimed = Counter((line, written) for line, written, _ in found)
        by_key: dict[tuple[int, str], list[Citation]] = {}
        for line, written, citation in found:
            by_key.setdefault((line, written), []).append(citation)
        for entry in expected:
            key = (entry["line"], str(entry["number"]))
            family = scores[entry["family"]]
            for score_ in (family, scores["all"]):
                score_.expected += 1
            label = f"{name}:{entry['line']}: {entry['number']}"
            if unclaimed[key] <= 0:
                family.missed.append(label)
                scores["all"].missed.append(label)
                continue
            unclaimed[key] -= 1
            citation = by_key[key].pop(0)
            for score_ in (family, scores["all"]):
                score_.found += 1
            facts = _facts(citation)
            wanted = {
                "family": entry["family"],
                "kind": entry.get("kind"),
                "date": str(entry["date"]) if entry.get("date") is not None else None,
                "issuer": entry.get("issuer"),
                "issuer_code": entry.get("issuer_code"),
            }
            for fact, value in wanted.items():
                if fact == "family" and entry["form"] != "full":
                    continue  # a short form says nothing of its family
                for score_ in (family, scores["all"]):
                    score_.facts[fact] += 1
                if _same(fact, facts[fact], value):
                    for score_ in (family, scores["all"]):
                        score_.facts_right[fact] += 1
                else:
                    scores["all"].wrong.append(f"{label}: {fact} {facts[fact]!r} != {value!r}")
        for (line, written), left in unclaimed.items():
            if left > 0:
                scores["all"].false += left
                citation = by_key[line, written][0]
                family_name = citation.number.family.value if citation.number.family else "party"
                scores[family_name].false += left
                scores["all"].wrong.append(f"{name}:{line}: {written}: not a citation")
    return scores


def _same(fact: str, got: object, want: object) -> bool:
    if fact == "issuer" and isinstance(got, str) and isinstance(want, str):
        return " ".join(got.split()) == " ".join(want.split())
    return got == want


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS
    scores = score(corpus)
    print(f"{'family':<8}{'cited':>7}{'found':>7}{'recall':>9}{'false':>7}   facts right")
    for name, s in scores.items():
        facts = "  ".join(
            f"{fact} {s.facts_right[fact]}/{s.facts[fact]}" for fact in sorted(s.facts)
        )
        print(f"{name:<8}{s.expected:>7}{s.found:>7}{s.recall:>9.1%}{s.false:>7}   {facts}")
    for line in scores["all"].missed:
        print(f"missed: {line}")
    for line in scores["all"].wrong:
        print(f"wrong:  {line}")


if __name__ == "__main__":
    main()
