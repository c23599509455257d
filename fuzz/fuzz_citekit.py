"""Coverage-guided fuzzing of citekit's parser, scanner and catalogue loader (atheris).

    python -m pip install atheris
    mkdir -p /tmp/citekit-corpus
    python fuzz/fuzz_citekit.py /tmp/citekit-corpus fuzz/seeds -max_total_time=600 -timeout=10

libFuzzer's options follow the corpus directories: -max_total_time=SECONDS to stop,
-timeout=SECONDS for one input (citekit needs milliseconds: an input over the limit
is a hang), -rss_limit_mb=MB, -jobs=N -workers=N to run several. Inputs that reach new
code are saved in the first directory; a crash or a hang is written to crash-* or
timeout-* in the current directory, and `python fuzz/fuzz_citekit.py crash-...` replays
it. atheris is not a dependency of citekit: install it into the venv that runs this.

The first byte of an input picks the target, the rest is its input:
0 parse_number / normalize_number, 1 scan, 2 parse_catalogue, 3 decode + check_draft,
4 lookup. Property: nothing is raised but citekit's own errors (CitekitError), and the
results hold together (a normalised number normalises to itself; a citation's text
is the text at its span; a finding stands on a line of the draft).
"""

from __future__ import annotations

import sys
import unicodedata

import atheris

with atheris.instrument_imports(include=["citekit"]):
    from citekit.catalogue import Catalogue, builtin_path
    from citekit.docnumber import normalize_number, parse_number
    from citekit.drafts import decode
    from citekit.errors import CitekitError
    from citekit.findings import check_draft
    from citekit.loading import load_file, parse_catalogue
    from citekit.queries import lookup
    from citekit.scanning import scan

CATALOGUE = Catalogue(load_file(builtin_path()))


def _number(text: str) -> None:
    parse_number(text)
    normalized = normalize_number(text)
    if normalized is not None:
        assert normalize_number(normalized) == normalized, (text, normalized)


def _scan(text: str) -> None:
    text = unicodedata.normalize("NFC", text)
    for citation in scan(text):
        start, end = citation.span
        assert 0 <= start < end <= len(text), citation
        assert text[start:end] == citation.written, citation


def _check(data: bytes) -> None:
    draft = decode(data, "fuzz.md")
    lines = draft.raw.split("\n")
    for finding in check_draft(draft, CATALOGUE).findings:
        assert 1 <= finding.line <= len(lines), finding
        assert 1 <= finding.column <= len(lines[finding.line - 1]), finding


def test_one_input(data: bytes) -> None:
    if not data:
        return
    target, body = data[0] % 5, data[1:]
    text = body.decode("utf-8", "replace")
    try:
        if target == 0:
            _number(text)
        elif target == 1:
            _scan(text)
        elif target == 2:
            parse_catalogue(text, "fuzz.yaml")
        elif target == 3:
            _check(body)
        else:
            lookup(CATALOGUE, text)
    except CitekitError:
        pass


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
