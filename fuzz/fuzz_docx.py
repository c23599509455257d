"""Coverage-guided fuzzing of the Word reader alone (atheris): targets 5 and 6 of
fuzz_citekit.py, every input spent on them.

    python fuzz/fuzz_docx.py /tmp/citekit-docx-corpus fuzz/seeds -max_total_time=600

An even first byte: the rest is a .docx file's bytes; odd: a part's XML, zipped into
an otherwise valid .docx. Property: nothing is raised but citekit's own errors.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["citekit"]):
    from citekit.errors import CitekitError

from fuzz_citekit import _word, _word_part


def test_one_input(data: bytes) -> None:
    if not data:
        return
    try:
        if data[0] % 2 == 0:
            _word(data[1:])
        else:
            _word_part(data[1:])
    except CitekitError:
        pass


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
