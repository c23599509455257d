"""Checking in worker processes: the same output as one process, whatever the workers do."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import DATA, executable, subprocess_env, write_tree

from citekit import batch, handout, parallel
from citekit.batch import BatchOptions, stream_paths

pytestmark = pytest.mark.skipif(not parallel.available(), reason="workers are forked on Linux")


def _square(item: int) -> int:
    return item * item


@pytest.mark.parametrize("workers", [1, 2, 3])
@pytest.mark.parametrize(
    "mine",
    [[False] * 200, [True] * 5, [i % 3 == 0 for i in range(100)], [False, True, False]],
    ids=["all theirs", "all mine", "every third mine", "one mine"],
)
def test_results_come_in_the_items_order(workers: int, mine: list[bool]) -> None:
    items = [None if own else i for i, own in enumerate(mine)]
    expected = [None if own else i * i for i, own in enumerate(mine)]
    assert list(parallel.ordered(_square, items, workers=workers)) == expected


def test_items_are_read_at_most_a_window_ahead() -> None:
    """A long draft's pieces are read as the workers need them, never all at once."""
    read: list[int] = []

    def items() -> Iterator[int]:
        for item in range(40):
            read.append(item)
            yield item

    for done, result in enumerate(parallel.ordered(_square, items(), workers=2, window=5)):
        assert result == done * done
        assert len(read) <= done + 1 + 5
    assert len(read) == 40


def _slow_first(item: int) -> int:
    if item == 0:
        time.sleep(0.3)  # the others finish first, and wait their turn
    return item


def test_a_slow_item_holds_back_only_its_own_place() -> None:
    assert list(parallel.ordered(_slow_first, range(10), workers=2)) == list(range(10))


def _fails_on_three(item: int) -> int:
    if item == 0:
        time.sleep(0.3)  # item 3 fails before item 0 is done
    if item == 3:
        raise ValueError(f"item {item}")
    return item


def test_an_exception_in_a_worker_is_raised_in_the_caller_in_its_turn() -> None:
    results = parallel.ordered(_fails_on_three, range(6), workers=2)
    assert [next(results) for _ in range(3)] == [0, 1, 2]
    with pytest.raises(ValueError, match="item 3"):
        next(results)


PARENT = os.getpid()


def _dies_from_four(item: int) -> tuple[int, bool]:
    """A worker killed on any item from 4 (as by the OOM killer); the caller's own run
    survives, and is slow enough there that the workers are handed such items."""
    if item >= 4:
        if os.getpid() != PARENT:
            os._exit(9)
        time.sleep(0.05)
    return item, os.getpid() == PARENT


def test_what_a_dead_worker_leaves_is_done_by_the_caller() -> None:
    results = list(parallel.ordered(_dies_from_four, range(12), workers=2))
    assert [item for item, _ in results] == list(range(12))  # type: ignore[misc]
    assert all(here for _, here in results[4:])  # type: ignore[misc]


def _where(item: int) -> tuple[int, int]:
    time.sleep(0.01)
    return item, os.getpid()


@pytest.mark.parametrize("workers", [1, 2])
def test_the_caller_runs_items_while_it_waits(workers: int) -> None:
    """The caller takes items no worker has while it waits: `workers` workers and the
    caller keep that many CPUs and one busy, the results still in order."""
    results = list(parallel.ordered(_where, range(60), workers=workers))
    assert [item for item, _ in results] == list(range(60))
    where = {pid for _, pid in results}
    assert PARENT in where
    assert len(where) == workers + 1


def _endless(item: int) -> int:
    if item == 2:
        time.sleep(60)
    return item


def test_stopping_early_ends_the_workers() -> None:
    """A consumer that stops (a closed pipe, Ctrl-C) does not wait for work in hand."""
    started = time.monotonic()
    results = parallel.ordered(_endless, range(8), workers=2)
    assert [next(results), next(results)] == [0, 1]
    results.close()
    assert time.monotonic() - started < 10
    import multiprocessing

    assert multiprocessing.active_children() == []


@pytest.mark.parametrize(
    ("sizes", "jobs", "cpus", "expected"),
    [
        ([3_000_000], None, 4, 0),  # one draft: nothing to share
        ([1_000_000, 500_000], None, 4, 0),  # under MIN_BYTES: forking costs more
        ([1_000_000] * 3, None, 4, 3),  # one per CPU, this process being one
        ([1_000_000] * 3, None, 1, 0),  # one CPU
        ([10, 10], 3, 1, 2),  # asked for: given
        ([10, 10], 1, 4, 0),  # -j 1: this process alone
        (None, None, 2, 1),  # a long draft's pieces: always worth it
        (None, 1, 2, 0),
    ],
)
def test_how_many_workers(
    monkeypatch: pytest.MonkeyPatch,
    sizes: list[int] | None,
    jobs: int | None,
    cpus: int,
    expected: int,
) -> None:
    monkeypatch.setattr(parallel, "cpus", lambda: cpus)
    assert handout.workers_for(jobs, sizes) == expected


# Drafts written for these tests, in the way offices write reports: numbers right and
# wrong, a number no catalogue holds cited with two dates in two drafts, short forms.
_OPENING = (
    "# Báo cáo kết quả thực hiện nhiệm vụ tháng {n}\n\n"
    "Thực hiện Quy định số 148-QĐ/TW ngày 23-5-2024 của Bộ Chính trị, Ban Thường vụ "
    "đã chỉ đạo rà soát; Quy định 148 được quán triệt đến chi bộ.\n\n"
)
DRAFTS = {
    "bao-cao/thang-01.md": _OPENING.format(n=1)
    + "Kế hoạch số 120-KH/TU ngày 3-4-2025 của Ban Thường vụ Tỉnh ủy được triển khai.\n",
    "bao-cao/thang-02.md": _OPENING.format(n=2)
    + "Theo Kế hoạch số 120-KH/TU ngày 5-4-2025 của Ban Thường vụ Tỉnh ủy, đã tổ chức hội nghị.\n",
    "bao-cao/thang-03.md": _OPENING.format(n=3)
    + "Quyết định số 71-QD/TW ngày 18-7-2022 của Bộ Chính trị được thực hiện nghiêm.\n"
    + "Chỉ thị số 35-CT/TW ngày 16-4-2024 của Bộ Chính trị. <!-- citekit: ignore -->\n"
    + "Quy định số 180-QĐ/TW ngày 11-7-2024 của Bộ Chính trị về chuyên gia cao cấp.\n",
    "bao-cao/thang-04.md": _OPENING.format(n=4) + "Nghị định số 178/2024/NĐ-CP được áp dụng.\n",
    "bao-cao/hinh.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "bao-cao/hong.md": "Quy định số 148-QĐ/TW\n".encode() + b"\xff\xfe tr\xe1\n",
    **{
        f"chi-bo/so-{k:02}.md": _OPENING.format(n=k)
        + f"Kế hoạch số 120-KH/TU ngày {k}-4-2025 của Ban Thường vụ Tỉnh ủy; "
        f"Quy định số 1{k:02}-QĐ/TW ngày 2-1-2024 của Ban Bí thư.\n"
        for k in range(1, 13)
    },
}


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("drafts")
    write_tree(root, DRAFTS)
    # A long draft, read a piece at a time: checked by the main process, among the others.
    paragraph = _OPENING.format(n=9) + "Kế hoạch số 120-KH/TU ngày 9-4-2025 được thực hiện.\n\n"
    long = paragraph * (1_100_000 // len(paragraph.encode()) + 1)
    (root / "chi-bo" / "so-06-dai.md").write_text(long, encoding="utf-8")
    shutil.copy(DATA / "word" / "libreoffice.docx", root / "bao-cao" / "thang-05.docx")
    return root


def _check(tree: Path, *args: str) -> tuple[int, str, str]:
    done = subprocess.run(
        [executable(), "check", *args, "."],
        cwd=tree,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=subprocess_env(),
        timeout=300,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("fmt", ["plain", "json", "github"])
def test_workers_give_the_output_of_one_process(tree: Path, fmt: str) -> None:
    """Findings, their order, the crosscheck across drafts, skipped files, the summary
    and the exit code: the same with 2 or 3 workers as in one process."""
    alone = _check(tree, "--format", fmt, "-j", "1")
    assert alone[0] == 2  # a file could not be read
    assert "inconsistent-citation" in alone[1] or "inconsistent" in alone[1]
    assert "hong.md" in alone[2]
    for jobs in ("2", "3"):
        assert _check(tree, "--format", fmt, "--jobs", jobs) == alone


def test_the_workers_do_check_the_drafts(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not a batch checked in this process alone after all: whoever checks a draft notes
    it, the one worker -j 2 starts and this process beside it."""
    notes = tmp_path / "pids"
    check_one = handout.check_one

    def noting(planned: batch.Planned, *args: object) -> handout.Outcome:
        with notes.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()} {planned.path.name}\n")
        return check_one(planned, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(handout, "check_one", noting)
    monkeypatch.chdir(tree)
    stream = stream_paths(["."], BatchOptions(jobs=2))
    findings = list(stream.findings())
    lines = [line.split() for line in notes.read_text(encoding="utf-8").splitlines()]
    workers = {pid for pid, _ in lines} - {str(os.getpid())}
    assert len(workers) == 1
    assert "so-06-dai.md" not in {name for _, name in lines}  # the long draft: here
    alone = stream_paths(["."], BatchOptions(jobs=1))
    assert list(alone.findings()) == findings
    assert (stream.files, stream.citations, stream.verdicts()) == (
        alone.files,
        alone.citations,
        alone.verdicts(),
    )


def test_jobs_must_be_a_positive_number(tree: Path) -> None:
    code, out, err = _check(tree, "-j", "0")
    assert (code, out, err) == (2, "", "citekit: error: --jobs must be at least 1, not 0\n")


# A long draft's pieces checked by workers (`citekit.handout`) give what one pass gives:
# drafts cut into many small pieces, so that short forms name full citations pieces
# back, comments silence lines across a cut, and cuts fall within lines.
SENTENCES = [
    "Thực hiện Chỉ thị số 35-CT/TW ngày 30-5-2019 của Bộ Chính trị,",
    "Chỉ thị số 35-CT/TW ngày 14-6-2024 của Bộ Chính trị được quán triệt;",
    "theo Chỉ thị 35 ngày 16-4-2024,",
    "Chỉ thị 35 đã được triển khai đầy đủ.",
    "Quy định số 148-QĐ/TW ngày 25-5-2024 của Bộ Chính trị về thẩm quyền;",
    "Quy định 148 ngày 23-5-2024 của Bộ Chính trị.",
    "Quyết định số 71-QD/TW ngày 18-7-2022 của Bộ Chính trị;",
    "Kế hoạch số 120-KH/TU ngày {day}-4-2025 của Ban Thường vụ Tỉnh ủy,",
    "Kế hoạch 120 được sơ kết.",
    "Quy định số 900-QĐ/TU ngày 2-1-2024 của Ban Thường vụ Tỉnh ủy; Quy định 900.",
    "<!-- citekit: ignore -->",
    "citekit: ignore-next-line",
    "citekit: ignore[wrong-date]",
    "Chi bộ đã họp {day} lần trong quý, thảo luận dân chủ và thống nhất cao.",
]


def _long_draft(seed: int, sentences: int = 900) -> str:
    """A draft of the sentences in a random order, joined by spaces, line ends and
    blank lines; one line in ten typed in NFD."""
    import random
    import unicodedata

    chosen = random.Random(seed)
    parts = []
    for _ in range(sentences):
        text = chosen.choice(SENTENCES).format(day=chosen.randint(1, 9))
        if chosen.random() < 0.1:
            text = unicodedata.normalize("NFD", text)
        parts.append(text + chosen.choice([" ", " ", " ", "\n", "\n", "\n\n"]))
    return "".join(parts)


@pytest.fixture(params=[0, 100, 10**9], ids=["workers", "mixed", "heavy"])
def small_pieces(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Drafts over 4 KiB read a block at a time, in pieces of about 300 characters; the
    pieces checked by the workers (`HEAVY` 0), by the stream from the first that sends
    back a citation (`HEAVY` a billion), or as the density of these drafts makes it."""
    from citekit import drafts, handout, units

    monkeypatch.setattr(drafts, "BLOCK", 4096)
    monkeypatch.setattr(units, "PIECE", 300)
    monkeypatch.setattr(drafts, "text_pieces", lambda chunks: units.text_pieces(chunks, 300))
    monkeypatch.setattr(handout, "HEAVY", request.param)


def _stream(paths: list[str], **options: object) -> tuple[list[object], tuple[object, ...]]:
    stream = stream_paths(
        paths,
        BatchOptions(catalogues=(DATA / "user-catalogue.yaml",), **options),  # type: ignore[arg-type]
    )
    findings = list(stream.findings())
    return findings, (stream.files, stream.citations, stream.verdicts(), stream.skipped)


@pytest.mark.parametrize("seed", range(4))
def test_a_long_drafts_pieces_checked_by_workers_give_one_pass(
    tmp_path: Path, small_pieces: None, seed: int
) -> None:
    draft = tmp_path / "bao-cao.md"
    draft.write_text(_long_draft(seed), encoding="utf-8")
    alone = _stream([str(draft)], jobs=1)
    assert alone[1][1] > 500  # citations: the draft is what the test is about
    assert {f.code.value for f in alone[0]} >= {  # type: ignore[attr-defined]
        "wrong-date",
        "non-canonical-number",
        "inconsistent-citation",
    }
    for jobs in (2, 3):
        assert _stream([str(draft)], jobs=jobs) == alone


def test_a_long_draft_changed_in_places_gives_one_pass(tmp_path: Path, small_pieces: None) -> None:
    """--changed-only: the lines git adds, known to the stream, not to the workers."""
    draft = tmp_path / "bao-cao.md"
    draft.write_text(_long_draft(7), encoding="utf-8")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run([*git, "add", "."], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "v1"], cwd=tmp_path, check=True)
    lines = draft.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[10:400:7] = [line.replace("2024", "2023") for line in lines[10:400:7]]
    draft.write_text("".join(lines), encoding="utf-8")
    alone = _stream([str(draft)], jobs=1, changed_only=True)
    assert 0 < len(alone[0]) < len(_stream([str(draft)], jobs=1)[0])
    assert _stream([str(draft)], jobs=2, changed_only=True) == alone


def test_a_long_draft_that_stops_decoding_part_way_gives_one_pass(
    tmp_path: Path, small_pieces: None
) -> None:
    """The findings before the bad byte, then the error: as one pass gives them."""
    draft = tmp_path / "bao-cao.md"
    text = _long_draft(3).encode()
    draft.write_bytes(text + b"\n\xff\xfe" + text[:5000])
    alone = _stream([str(draft)], jobs=1)
    assert alone[0]
    assert alone[1][0] == 0  # counted unreadable, not checked
    assert "not UTF-8" in alone[1][3][0].message  # type: ignore[index]
    assert _stream([str(draft)], jobs=2) == alone


def test_a_harvest_read_by_workers_is_the_harvest_read_alone(
    tree: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`catalogue harvest` reads texts by workers as `check` does: the same documents,
    facts, places and contested values, in the same order."""
    from citekit import harvest

    texts = tmp_path / "texts"
    shutil.copytree(tree, texts, ignore=shutil.ignore_patterns("hong.md", "hinh.md"))
    notes = tmp_path / "pids"
    sightings = harvest.sightings

    def noting(path: Path, *args: object) -> Iterator[harvest.Sighting]:
        with notes.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        return sightings(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(harvest, "sightings", noting)
    monkeypatch.setattr(handout, "MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "cpus", lambda: 2)
    together = harvest.harvest([texts])
    readers = set(notes.read_text(encoding="utf-8").split())
    assert len(readers) == 2  # one worker, and this process (the long text and more)
    assert str(os.getpid()) in readers
    monkeypatch.setattr(parallel, "available", lambda: False)
    alone = harvest.harvest([texts])
    assert len(alone) > 5
    assert together == alone
    assert harvest.to_yaml(together) == harvest.to_yaml(alone)


@pytest.mark.parametrize("tail", ["", b"\n\n\xff".decode("latin-1")], ids=["one piece", "then bad"])
def test_a_draft_of_one_piece_is_checked_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tail: str
) -> None:
    """A long draft that does not cut (a 1 MB line), or whose second piece does not
    decode, has nothing to share: no worker is started, and the output is one pass's."""
    from citekit import drafts, units

    monkeypatch.setattr(drafts, "BLOCK", 4096)
    monkeypatch.setattr(units, "PIECE", 300)
    monkeypatch.setattr(drafts, "text_pieces", lambda chunks: units.text_pieces(chunks, 300))
    draft = tmp_path / "mot-dong.md"
    line = "Quy định 144, (Quy định 69/2022), Quy định số 148-QĐ/TW ngày 25-5-2024 " * 120
    draft.write_bytes(line.encode("utf-8") + tail.encode("latin-1"))
    alone = _stream([str(draft)], jobs=1)
    assert alone[1][3] if tail else alone[1][1] == 360  # the skip, or the citations
    started: list[int] = []
    ordered = parallel.ordered

    def counted(*args: object, **kwargs: object) -> object:
        started.append(1)
        return ordered(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel, "ordered", counted)
    assert _stream([str(draft)], jobs=2) == alone
    assert started == []
    draft.write_bytes((line + "\n\n").encode("utf-8") * 3 + tail.encode("latin-1"))
    assert _stream([str(draft)], jobs=2) == _stream([str(draft)], jobs=1)
    assert started  # more pieces: shared
