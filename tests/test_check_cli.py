"""`citekit check` and `citekit refs` through CliRunner: every format, every exit code."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import Cli, write_tree
from typer.testing import Result

from citekit.catalogue import Catalogue
from citekit.codes import Code, Severity
from citekit.errors import UsageError
from citekit.findings import Finding
from citekit.output.check import finding_line, github, use_colour
from citekit.units import Position

ERRORS = (
    "Mở đầu.\n"
    "Thực hiện Quy định số 145-QĐ/TW ngày 15-5-2024 của Bộ Chính trị và\n"
    "Quyết định số 71-QD/TW của Bộ Chính trị.\n"
)
WARNINGS = "Kết luận số 9-KL/BTCTW của Ban Tổ chức Trung ương.\n"
CLEAN = "Quy định số 148-QĐ/TW ngày 23-5-2024 của Bộ Chính trị.\n"

JSON_KEYS = [
    "path",
    "line",
    "column",
    "end_line",
    "end_column",
    "code",
    "severity",
    "message",
    "number",
    "expected",
    "found",
]


# --- text ----------------------------------------------------------------------------------


def test_text_format_with_errors_exits_1(cli: Cli, here: Path) -> None:
    write_tree(here, {"draft.md": ERRORS})
    result = cli("check", "draft.md")
    assert result.exit_code == 1
    assert result.stdout == (
        "draft.md:2:23: wrong-date 145-QĐ/TW is dated 10-5-2024, not 15-5-2024\n"
        "draft.md:3:15: non-canonical-number write 71-QĐ/TW, not 71-QD/TW\n"
        "Found 1 error and 1 warning (1 file, 2 citations).\n"
    )
    assert result.stderr == ""


def test_clean_draft_exits_0(cli: Cli, here: Path) -> None:
    write_tree(here, {"draft.md": CLEAN})
    result = cli("check", "draft.md")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "All citations verified (1 file, 1 citation).\n",
        "",
    )


def test_a_draft_without_citations_is_clean(cli: Cli, here: Path) -> None:
    write_tree(here, {"a.md": "148 người, giai đoạn 2022-2026, tỷ lệ 27/30.\n", "b.txt": ""})
    result = cli("check", "a.md", "b.txt")
    assert (result.exit_code, result.stdout) == (
        0,
        "All citations verified (2 files, 0 citations).\n",
    )


def test_warnings_only_exit_0_without_strict(cli: Cli, here: Path) -> None:
    write_tree(here, {"draft.md": WARNINGS})
    result = cli("check", "draft.md")
    assert result.exit_code == 0
    assert result.stdout == (
        "draft.md:1:13: non-canonical-number write 09-KL/BTCTW, not 9-KL/BTCTW\n"
        "Found 0 errors and 1 warning (1 file, 1 citation).\n"
    )


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_warnings_only_exit_1_with_strict(cli: Cli, here: Path, fmt: str) -> None:
    write_tree(here, {"draft.md": WARNINGS})
    assert cli("check", "--strict", "--format", fmt, "draft.md").exit_code == 1
    assert cli("check", "--format", fmt, "draft.md").exit_code == 0


def test_strict_on_a_clean_draft_exits_0(cli: Cli, here: Path) -> None:
    write_tree(here, {"draft.md": CLEAN})
    assert cli("check", "--strict", "draft.md").exit_code == 0


def test_several_files_and_the_summary(cli: Cli, here: Path) -> None:
    write_tree(here, {"a.md": ERRORS, "b.md": WARNINGS, "c.md": CLEAN})
    result = cli("check", "a.md", "b.md", "c.md")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "Found 1 error and 2 warnings (3 files, 4 citations)."
    assert [line.split(":")[0] for line in result.stdout.splitlines()[:-1]] == [
        "a.md",
        "a.md",
        "b.md",
    ]


# --- json ----------------------------------------------------------------------------------


def test_json_format_has_every_key(cli: Cli, here: Path) -> None:
    write_tree(here, {"draft.md": ERRORS})
    result = cli("check", "--format", "json", "draft.md")
    assert result.exit_code == 1
    found = json.loads(result.stdout)
    assert [list(item) for item in found] == [JSON_KEYS, JSON_KEYS]
    assert found == [
        {
            "path": "draft.md",
            "line": 2,
            "column": 23,
            "end_line": 2,
            "end_column": 47,
            "code": "wrong-date",
            "severity": "error",
            "message": "145-QĐ/TW is dated 10-5-2024, not 15-5-2024",
            "number": "145-QĐ/TW",
            "expected": "2024-05-10",
            "found": "15-5-2024",
        },
        {
            "path": "draft.md",
            "line": 3,
            "column": 15,
            "end_line": 3,
            "end_column": 23,
            "code": "non-canonical-number",
            "severity": "warning",
            "message": "write 71-QĐ/TW, not 71-QD/TW",
            "number": "71-QĐ/TW",
            "expected": "71-QĐ/TW",
            "found": "71-QD/TW",
        },
    ]
    # Vietnamese stays readable in the JSON, not \\u-escaped.
    assert "145-QĐ/TW" in result.stdout


def test_json_unknown_document_without_suggestion_has_null_expected(cli: Cli, here: Path) -> None:
    write_tree(here, {"d.md": "Hướng dẫn 27-HD/TW\n"})
    result = cli("check", "-f", "json", "d.md")
    [item] = json.loads(result.stdout)
    assert (item["code"], item["expected"], item["found"]) == (
        "unknown-document",
        None,
        "27-HD/TW",
    )


def test_json_of_a_clean_draft_is_an_empty_array(cli: Cli, here: Path) -> None:
    write_tree(here, {"draft.md": CLEAN})
    result = cli("check", "--format", "json", "draft.md")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])
    assert "All citations verified" not in result.stdout  # no summary to spoil the JSON


# --- github --------------------------------------------------------------------------------


def test_github_annotations(cli: Cli, here: Path) -> None:
    write_tree(here, {"draft.md": ERRORS})
    result = cli("check", "--format", "github", "draft.md")
    assert result.exit_code == 1
    assert result.stdout == (
        "::error file=draft.md,line=2,col=23,endLine=2,endColumn=47,"
        "title=citekit wrong-date::145-QĐ/TW is dated 10-5-2024, not 15-5-2024\n"
        "::warning file=draft.md,line=3,col=15,endLine=3,endColumn=23,"
        "title=citekit non-canonical-number::write 71-QĐ/TW, not 71-QD/TW\n"
    )


def test_github_of_a_clean_draft_prints_nothing(cli: Cli, here: Path) -> None:
    write_tree(here, {"draft.md": CLEAN})
    result = cli("check", "--format", "github", "draft.md")
    assert (result.exit_code, result.stdout) == (0, "")


def test_github_escapes_properties_and_message() -> None:
    finding = Finding(
        path="dir,1/a:b%.md",
        position=Position(1, 2, 3, 4),
        code=Code.WRONG_DATE,
        severity=Severity.ERROR,
        message="50% sai\r\nhai dòng: a, b",
        number="1-QĐ/TW",
    )
    assert github(finding) == (
        "::error file=dir%2C1/a%3Ab%25.md,line=1,col=2,endLine=3,endColumn=4,"
        "title=citekit wrong-date::50%25 sai%0D%0Ahai dòng: a, b"
    )


# --- colour --------------------------------------------------------------------------------


class _Tty:
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_without_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_colour(_Tty()) is True
    assert use_colour(object()) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_colour(_Tty()) is False


def test_coloured_and_plain_finding_lines() -> None:
    finding = Finding(
        path="a.md",
        position=Position(1, 2, 1, 9),
        code=Code.NON_CANONICAL_NUMBER,
        severity=Severity.WARNING,
        message="write 71-QĐ/TW, not 71-QD/TW",
        number="71-QĐ/TW",
    )
    assert finding_line(finding) == "a.md:1:2: non-canonical-number write 71-QĐ/TW, not 71-QD/TW"
    assert finding_line(finding, colour=True) == (
        "\033[1ma.md:1:2:\033[0m \033[33mnon-canonical-number\033[0m write 71-QĐ/TW, not 71-QD/TW"
    )


def test_no_colour_codes_in_captured_output(cli: Cli, here: Path) -> None:
    write_tree(here, {"draft.md": ERRORS})
    assert "\033[" not in cli("check", "draft.md").stdout


# --- exit code 2 ---------------------------------------------------------------------------


def test_a_missing_path_exits_2(cli: Cli, here: Path) -> None:
    result = cli("check", "nope.md")
    assert result.exit_code == 2
    assert result.stderr == "citekit: error: nope.md: no such file\n"


def test_a_missing_path_among_good_ones_still_reports_and_exits_2(cli: Cli, here: Path) -> None:
    write_tree(here, {"a.md": ERRORS})
    result = cli("check", "a.md", "nope.md")
    assert result.exit_code == 2
    assert result.stdout.startswith("a.md:2:23: wrong-date ")
    assert result.stderr == "citekit: error: nope.md: no such file\n"


def test_a_missing_path_is_not_called_verified(cli: Cli, here: Path) -> None:
    result = cli("check", "nope.md")
    assert result.stdout == (
        "Found 0 errors and 0 warnings (0 files, 0 citations; 1 file could not be read).\n"
    )


def test_a_file_that_is_not_utf8_exits_2(cli: Cli, here: Path) -> None:
    write_tree(here, {"legacy.md": b"Quy \xf0\xfbnh\n"})
    result = cli("check", "legacy.md")
    assert result.exit_code == 2
    assert result.stderr == (
        "citekit: error: legacy.md:1: not UTF-8 (byte 0xf0); a legacy Vietnamese encoding? "
        "Name it with --encoding tcvn3|vni|viscii|cp1258, or convert the file to UTF-8\n"
    )


def test_a_binary_file_is_skipped_with_a_note(cli: Cli, here: Path) -> None:
    write_tree(here, {"image.md": b"\x89PNG\r\n\x1a\n\x00\x00"})
    result = cli("check", "image.md")
    assert result.exit_code == 0
    assert result.stderr == "citekit: note: image.md: binary file, skipped\n"
    assert result.stdout == "All citations verified (0 files, 0 citations).\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "--format", "xml", "d.md"], "Invalid value for '--format'"),
        (["check", "--bogus", "d.md"], "No such option"),
        (["check"], "Missing argument"),
        (["refs", "--format", "text", "d.md"], "Invalid value for '--format'"),
        (["refs"], "Missing argument"),
    ],
)
def test_a_bad_option_exits_2(cli: Cli, here: Path, args: list[str], message: str) -> None:
    write_tree(here, {"d.md": ERRORS})
    result = cli(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_base_without_changed_only_exits_2(cli: Cli, here: Path) -> None:
    write_tree(here, {"d.md": ERRORS})
    result = cli("check", "--base", "HEAD", "d.md")
    assert result.exit_code == 2
    assert result.stderr == "citekit: error: --base goes with --changed-only\n"


def test_a_missing_catalogue_exits_2(cli: Cli, here: Path) -> None:
    write_tree(here, {"d.md": CLEAN})
    result = cli("check", "--catalogue", "none.yaml", "d.md")
    assert result.exit_code == 2
    assert result.stderr.startswith("citekit: error: ")


def test_a_user_catalogue_on_the_command_line(cli: Cli, here: Path, user_catalogue: Path) -> None:
    write_tree(here, {"d.md": "Chỉ thị số 35-CT/TW ngày 30-5-2019 của Bộ Chính trị.\n"})
    assert cli("check", "d.md").exit_code == 1
    result = cli("check", "--catalogue", str(user_catalogue), "d.md")
    assert (result.exit_code, result.stdout) == (
        0,
        "All citations verified (1 file, 1 citation).\n",
    )
    only_user = cli("check", "--no-builtin", "-c", str(user_catalogue), "-f", "json", "d.md")
    assert json.loads(only_user.stdout) == []


# --- directories ---------------------------------------------------------------------------


def test_directories_are_walked_skipping_git_and_gitignored(cli: Cli, here: Path) -> None:
    write_tree(
        here,
        {
            "drafts/.gitignore": "build/\nscratch.md\n",
            "drafts/a.md": WARNINGS,
            "drafts/z.txt": WARNINGS,
            "drafts/.git/COMMIT_EDITMSG.md": WARNINGS,
            "drafts/build/out.md": WARNINGS,
            "drafts/scratch.md": WARNINGS,
            "drafts/notes.yaml": WARNINGS,
            "drafts/sub/.gitignore": "*.txt\n",
            "drafts/sub/b.markdown": WARNINGS,
            "drafts/sub/c.txt": WARNINGS,
            "drafts/sub/deeper/scratch.md": WARNINGS,
        },
    )
    result = cli("check", "drafts")
    assert result.exit_code == 0
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [
        "drafts/a.md",
        "drafts/z.txt",
        "drafts/sub/b.markdown",
        "Found 0 errors and 3 warnings (3 files, 3 citations).",
    ]


def test_a_negated_gitignore_pattern_keeps_a_file(cli: Cli, here: Path) -> None:
    write_tree(here, {".gitignore": "*.md\n!keep.md\n", "drop.md": WARNINGS, "keep.md": WARNINGS})
    assert [line.split(":")[0] for line in cli("check", ".").stdout.splitlines()] == [
        "keep.md",
        "Found 0 errors and 1 warning (1 file, 1 citation).",
    ]


def test_gitignore_files_above_the_walked_folder_count_inside_a_work_tree(
    cli: Cli, here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(
        here,
        {
            "repo/.git/HEAD": "ref: refs/heads/main\n",
            "repo/.gitignore": "build/\n*.tmp.md\n",
            "repo/docs/.gitignore": "private/\n",
            "repo/docs/q3/ok.md": WARNINGS,
            "repo/docs/q3/a.tmp.md": WARNINGS,
            "repo/docs/q3/build/out.md": WARNINGS,
            "repo/docs/q3/private/x.md": WARNINGS,
        },
    )
    expected = ["ok.md", "Found 0 errors and 1 warning (1 file, 1 citation)."]
    walked = cli("check", "repo/docs/q3").stdout.splitlines()
    assert [line.split(":")[0].rsplit("/", 1)[-1] for line in walked] == expected
    monkeypatch.chdir(here / "repo" / "docs" / "q3")
    assert [line.split(":")[0] for line in cli("check", ".").stdout.splitlines()] == expected
    monkeypatch.chdir(here / "repo" / "docs" / "q3" / "build")
    assert cli("check", "..").stdout == (
        "../ok.md:1:13: non-canonical-number write 09-KL/BTCTW, not 9-KL/BTCTW\n"
        "Found 0 errors and 1 warning (1 file, 1 citation).\n"
    )


def test_gitignore_files_above_the_walked_folder_do_not_count_outside_a_work_tree(
    cli: Cli, here: Path
) -> None:
    if any((folder / ".git").exists() for folder in (here, *here.parents)):
        pytest.skip("the temporary folder is inside a git work tree")
    write_tree(here, {".gitignore": "build/\n", "docs/build/out.md": WARNINGS})
    assert cli("check", "docs").stdout.splitlines()[0].startswith("docs/build/out.md:1:13:")


@pytest.fixture
def git_tree(here: Path) -> Callable[..., None]:
    """`git init` in the test's folder, then run git commands there."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=here, check=True, capture_output=True)

    git("init", "-q")
    return git


def walked(result: Result) -> list[str]:
    return [line.split(":")[0] for line in result.stdout.splitlines()[:-1]]


def test_inside_a_work_tree_git_decides_what_is_walked(
    cli: Cli, here: Path, git_tree: Callable[..., None]
) -> None:
    write_tree(
        here,
        {
            ".gitignore": "*.md\n",
            "sub/.gitignore": "!keep.md\n",
            "sub/keep.md": WARNINGS,
            "sub/drop.md": WARNINGS,
            "local.txt": WARNINGS,
            "notes.txt": WARNINGS,
            "sub/deeper/a.txt": WARNINGS,
            "tracked.md": WARNINGS,
            "gone.txt": WARNINGS,
        },
    )
    (here / ".git" / "info").mkdir(exist_ok=True)
    (here / ".git" / "info" / "exclude").write_text("local.txt\n", encoding="utf-8")
    git_tree("add", "-f", "tracked.md", "gone.txt")  # a tracked file is never ignored
    (here / "gone.txt").unlink()  # tracked, but no longer in the work tree
    expected = ["notes.txt", "tracked.md", "sub/keep.md", "sub/deeper/a.txt"]
    assert walked(cli("check", ".")) == expected
    assert walked(cli("check", "sub")) == ["sub/keep.md", "sub/deeper/a.txt"]


def test_a_work_tree_with_odd_file_names(
    cli: Cli, here: Path, git_tree: Callable[..., None]
) -> None:
    """Names git would quote, or read as pathspec magic, are listed as they are."""
    names = ["[ab].md", "*.md", ":(glob)x.md", "tên có dấu.md", "tab\there.md"]
    write_tree(here, dict.fromkeys(names, WARNINGS))
    findings = json.loads(cli("check", "--format", "json", ".").stdout)
    assert sorted(finding["path"] for finding in findings) == sorted(names)


def test_a_gitignored_file_named_explicitly_is_checked(cli: Cli, here: Path) -> None:
    write_tree(here, {".gitignore": "scratch.md\n", "scratch.md": WARNINGS})
    assert cli("check", ".").stdout == "All citations verified (0 files, 0 citations).\n"
    assert cli("check", "scratch.md").stdout.startswith("scratch.md:1:13: non-canonical-number")


def test_a_directory_and_a_file_together(cli: Cli, here: Path) -> None:
    write_tree(here, {"d/a.md": ERRORS, "b.md": WARNINGS})
    result = cli("check", "b.md", "d")
    assert [line.split(":")[0] for line in result.stdout.splitlines()[:-1]] == [
        "b.md",
        "d/a.md",
        "d/a.md",
    ]


# --- stdin ---------------------------------------------------------------------------------


def test_dash_reads_stdin(cli: Cli, here: Path) -> None:
    result = cli("check", "-", stdin=ERRORS)
    assert result.exit_code == 1
    assert result.stdout == (
        "<stdin>:2:23: wrong-date 145-QĐ/TW is dated 10-5-2024, not 15-5-2024\n"
        "<stdin>:3:15: non-canonical-number write 71-QĐ/TW, not 71-QD/TW\n"
        "Found 1 error and 1 warning (1 file, 2 citations).\n"
    )


def test_stdin_with_a_bom_and_crlf(cli: Cli, here: Path) -> None:
    data = b"\xef\xbb\xbf" + ERRORS.replace("\n", "\r\n").encode()
    result = cli("check", "-f", "json", "-", stdin=data)
    assert [(f["line"], f["column"], f["end_column"]) for f in json.loads(result.stdout)] == [
        (2, 23, 47),
        (3, 15, 23),
    ]


def test_stdin_that_is_not_utf8_exits_2(cli: Cli, here: Path) -> None:
    result = cli("check", "-", stdin=b"ok\n\xff\n")
    assert result.exit_code == 2
    assert result.stderr.startswith("citekit: error: <stdin>:2: not UTF-8 (byte 0xff)")


def test_refs_reads_stdin(cli: Cli, here: Path) -> None:
    result = cli("refs", "-f", "tsv", "-", stdin=CLEAN)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1].split("\t")[0::6] == ["148-QĐ/TW", "1"]


# --- refs ----------------------------------------------------------------------------------

REFS_DRAFT = (
    "Theo Quy định số 148 và Quyết định số 143-QĐ/TW ngày 3-5-2024 của Ban Bí thư;\n"
    "Quy định số 148-QĐ/TW ngày 23-5-2024 của Bộ Chính trị, Kết luận số 9-KL/BTCTW,\n"
    "Quy định số 149-QĐ/TW và kế hoạch 5 năm.\n"
)


def _written(
    path: str, line: int, kind: str | None, date: str | None = None, issuer: str | None = None
) -> dict[str, object]:
    """A location in refs JSON, with what the draft wrote with the number."""
    return {
        "path": path,
        "line": line,
        "kind_written": kind,
        "date_written": date,
        "issuer_written": issuer,
    }


def test_refs_json(cli: Cli, here: Path, builtin: Catalogue) -> None:
    write_tree(here, {"d.md": REFS_DRAFT})
    result = cli("refs", "--format", "json", "d.md")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [
        {
            "number": "148-QĐ/TW",
            "kind": "Quy định",
            "date": "2024-05-23",
            "issuer": "Bộ Chính trị",
            "title": builtin.by_number("148-QĐ/TW")[0].title,
            "count": 2,
            "locations": [
                _written("d.md", 1, "Quy định"),
                _written("d.md", 2, "Quy định", "23-5-2024", "Bộ Chính trị"),
            ],
            # Cited once by a bare serial, then once in full: verified.
            "verified": "yes",
            "status": "verified",
            "family": "party",
            "issuer_code": "TW",
        },
        {
            "number": "143-QĐ/TW",
            "kind": "Quyết định",
            "date": "2024-05-03",
            "issuer": "Ban Bí thư",
            "title": "Quyết định về ban hành Quy chế làm việc mẫu của cấp ủy cấp huyện",
            "count": 1,
            "locations": [_written("d.md", 1, "Quyết định", "3-5-2024", "Ban Bí thư")],
            "verified": "yes",
            "status": "verified",
            "family": "party",
            "issuer_code": "TW",
        },
        {
            "number": "09-KL/BTCTW",
            "kind": "Kết luận",
            "date": None,
            "issuer": "Ban Tổ chức Trung ương",
            "title": None,
            "count": 1,
            "locations": [_written("d.md", 2, "Kết luận")],
            "verified": "yes",
            "status": "wrong",  # written 9-KL/BTCTW
            "family": "party",
            "issuer_code": "BTCTW",
        },
        {
            "number": "149-QĐ/TW",
            "kind": None,
            "date": None,
            "issuer": None,
            "title": None,
            "count": 1,
            "locations": [_written("d.md", 3, "Quy định")],
            "verified": "no",
            "status": "not-in-catalogue",
            "family": "party",
            "issuer_code": "TW",
        },
    ]


def test_refs_tsv_is_the_default_off_a_terminal(cli: Cli, here: Path) -> None:
    write_tree(here, {"d.md": "Chỉ thị 39 và Quy định số 180-QĐ/TW.\n"})
    default = cli("refs", "d.md")
    tsv = cli("refs", "--format", "tsv", "d.md")
    assert default.stdout == tsv.stdout
    assert tsv.stdout == (
        "number\tkind\tdate\tissuer\ttitle\tcount\tlines\tverified\tstatus\tfamily\tissuer_code\n"
        "39-CT/TW\tChỉ thị\t2014-08-18\tBộ Chính trị\t"
        "Chỉ thị về tăng cường công tác bảo vệ chính trị nội bộ trong tình hình hiện nay"
        "\t1\t1\tlow\tverified\tparty\tTW\n"
        "180-QĐ/TW\tQuy định\t2024-07-11\tBan Bí thư\tQuy định về chuyên gia cao cấp"
        "\t1\t1\tyes\tverified\tparty\tTW\n"
    )


def test_refs_of_several_files_names_the_file_of_each_line(cli: Cli, here: Path) -> None:
    write_tree(here, {"a.md": "Quy định 180-QĐ/TW\n", "b.md": "\nQuy định số 180-QĐ/TW\n"})
    result = cli("refs", "-f", "tsv", "a.md", "b.md")
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows[1][0] == "180-QĐ/TW"
    assert rows[1][5:] == ["2", "a.md:1, b.md:2", "yes", "verified", "party", "TW"]
    assert len(rows) == 2
    [entry] = json.loads(cli("refs", "-f", "json", "a.md", "b.md").stdout)
    assert entry["locations"] == [
        _written("a.md", 1, "Quy định"),
        _written("b.md", 2, "Quy định"),
    ]


def test_refs_table(cli: Cli, here: Path) -> None:
    write_tree(here, {"d.md": "Quy định số 180-QĐ/TW\nHướng dẫn 28-HD/BTCTW\n"})
    result = cli("refs", "--format", "table", "d.md", env={"COLUMNS": "200"})
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("Table of authorities")
    for cell in (
        "Number",
        "Verified",
        "180-QĐ/TW",
        "Quy định",
        "11-7-2024",
        "Ban Bí thư",
        "chuyên gia cao cấp",
        "28-HD/BTCTW",
        "(in no catalogue)",
    ):
        assert cell in out, cell
    header = next(line for line in out.splitlines() if "Number" in line)
    names = [name.strip() for name in header.split("┃")]
    row = next(line for line in out.splitlines() if "180-QĐ/TW" in line)
    cells = dict(zip(names, (cell.strip() for cell in row.split("│")), strict=True))
    assert cells["Verified"] == "yes"
    assert (cells["Status"], cells["Family"], cells["Code"]) == ("verified", "party", "TW")
    row = next(line for line in out.splitlines() if "28-HD/BTCTW" in line)
    cells = dict(zip(names, (cell.strip() for cell in row.split("│")), strict=True))
    assert (cells["Verified"], cells["Status"]) == ("no", "not-in-catalogue")
    assert (cells["Family"], cells["Code"]) == ("party", "BTCTW")


def test_refs_of_a_draft_without_citations(cli: Cli, here: Path) -> None:
    write_tree(here, {"d.md": "148 người; giai đoạn 2022-2026.\n"})
    assert cli("refs", "-f", "json", "d.md").stdout == "[]\n"
    assert cli("refs", "-f", "tsv", "d.md").stdout == (
        "number\tkind\tdate\tissuer\ttitle\tcount\tlines\tverified\tstatus\tfamily\tissuer_code\n"
    )


def test_refs_exit_codes(cli: Cli, here: Path) -> None:
    write_tree(here, {"d.md": ERRORS})
    assert cli("refs", "-f", "json", "d.md").exit_code == 0  # findings are check's business
    missing = cli("refs", "-f", "json", "nope.md")
    assert missing.exit_code == 2
    assert missing.stderr == "citekit: error: nope.md: no such file\n"


# --- --changed-only in a real git repository -----------------------------------------------

OLD_WRONG = "Quy định số 145-QĐ/TW ngày 15-5-2024 của Bộ Chính trị."
NEW_WRONG = "Quy định số 180-QĐ/TW ngày 11-7-2024 của Bộ Chính trị."
OLD_FINDING = "draft.md:1:13: wrong-date 145-QĐ/TW is dated 10-5-2024, not 15-5-2024"
NEW_FINDING = "draft.md:3:13: wrong-issuer 180-QĐ/TW was issued by Ban Bí thư, not Bộ Chính trị"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty git repository in tmp_path/repo, the current directory."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    home = tmp_path / "home"
    home.mkdir()
    for name, value in {
        "HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
    }.items():
        monkeypatch.setenv(name, value)
    root = tmp_path / "repo"
    root.mkdir()
    monkeypatch.chdir(root)
    git(root, "init", "-q")
    return root


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=False, env=os.environ
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def commit(root: Path, message: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD")


def test_changed_only_reports_only_added_lines(cli: Cli, repo: Path) -> None:
    write_tree(repo, {"draft.md": f"{OLD_WRONG}\n\n"})
    commit(repo, "old draft")
    write_tree(repo, {"draft.md": f"{OLD_WRONG}\n\n{NEW_WRONG}\n"})

    everything = cli("check", "draft.md")
    assert everything.stdout.splitlines()[:2] == [OLD_FINDING, NEW_FINDING]

    result = cli("check", "--changed-only", "draft.md")
    assert result.exit_code == 1
    assert result.stdout == (
        f"{NEW_FINDING}\nFound 1 error and 0 warnings (1 file, 2 citations).\n"
    )


def test_changed_only_counts_staged_lines_too(cli: Cli, repo: Path) -> None:
    write_tree(repo, {"draft.md": f"{OLD_WRONG}\n\n"})
    commit(repo, "old draft")
    write_tree(repo, {"draft.md": f"{OLD_WRONG}\n\n{NEW_WRONG}\n"})
    git(repo, "add", "draft.md")
    result = cli("check", "--changed-only", "-f", "json", "draft.md")
    assert [(f["line"], f["code"]) for f in json.loads(result.stdout)] == [(3, "wrong-issuer")]


def test_changed_only_with_nothing_changed_is_clean(cli: Cli, repo: Path) -> None:
    write_tree(repo, {"draft.md": f"{OLD_WRONG}\n"})
    commit(repo, "old draft")
    result = cli("check", "--changed-only", "draft.md")
    assert (result.exit_code, result.stdout) == (
        0,  # git sees no line added: the draft is not even read
        "All citations verified (0 files, 0 citations).\n",
    )


def test_changed_only_reports_an_edited_old_line(cli: Cli, repo: Path) -> None:
    write_tree(repo, {"draft.md": f"{OLD_WRONG}\n"})
    commit(repo, "old draft")
    write_tree(repo, {"draft.md": f"{OLD_WRONG.replace('Quy định', 'Theo Quy định')}\n"})
    result = cli("check", "--changed-only", "-f", "json", "draft.md")
    assert [(f["line"], f["column"], f["code"]) for f in json.loads(result.stdout)] == [
        (1, 18, "wrong-date")
    ]


def test_changed_only_with_base(cli: Cli, repo: Path) -> None:
    write_tree(repo, {"draft.md": f"{OLD_WRONG}\n\n"})
    first = commit(repo, "old draft")
    write_tree(repo, {"draft.md": f"{OLD_WRONG}\n\n{NEW_WRONG}\n"})
    commit(repo, "new line")

    against_head = cli("check", "--changed-only", "draft.md")
    assert (against_head.exit_code, against_head.stdout) == (
        0,
        "All citations verified (0 files, 0 citations).\n",
    )
    for base in ("HEAD~1", first, first[:10]):
        result = cli("check", "--changed-only", "--base", base, "draft.md")
        assert result.exit_code == 1, base
        assert result.stdout.splitlines()[0] == NEW_FINDING


def test_changed_only_in_a_subdirectory(cli: Cli, repo: Path) -> None:
    write_tree(repo, {"docs/q3/draft.md": f"{OLD_WRONG}\n\n"})
    commit(repo, "old draft")
    write_tree(repo, {"docs/q3/draft.md": f"{OLD_WRONG}\n\n{NEW_WRONG}\n"})
    result = cli("check", "--changed-only", "docs")
    assert result.stdout.splitlines()[0] == f"docs/q3/{NEW_FINDING}"
    assert len(result.stdout.splitlines()) == 2


def test_changed_only_with_a_vietnamese_file_name(cli: Cli, repo: Path) -> None:
    write_tree(repo, {"báo cáo quý 3.md": f"{OLD_WRONG}\n\n"})
    commit(repo, "old draft")
    write_tree(repo, {"báo cáo quý 3.md": f"{OLD_WRONG}\n\n{NEW_WRONG}\n"})
    result = cli("check", "--changed-only", "báo cáo quý 3.md")
    assert result.stdout.splitlines() == [
        NEW_FINDING.replace("draft.md", "báo cáo quý 3.md"),
        "Found 1 error and 0 warnings (1 file, 2 citations).",
    ]


def test_changed_only_checks_a_new_file_whole(cli: Cli, repo: Path) -> None:
    write_tree(repo, {"other.md": "x\n"})
    commit(repo, "something else")
    write_tree(repo, {"draft.md": f"{OLD_WRONG}\n\n{NEW_WRONG}\n"})
    result = cli("check", "--changed-only", "draft.md")
    assert result.stdout.splitlines()[:2] == [OLD_FINDING, NEW_FINDING]


def test_changed_only_before_the_first_commit_checks_everything(cli: Cli, repo: Path) -> None:
    write_tree(repo, {"draft.md": f"{OLD_WRONG}\n\n{NEW_WRONG}\n"})
    git(repo, "add", "draft.md")
    result = cli("check", "--changed-only", "draft.md")
    assert result.stdout.splitlines()[:2] == [OLD_FINDING, NEW_FINDING]


def test_changed_only_with_an_unknown_base_exits_2(cli: Cli, repo: Path) -> None:
    write_tree(repo, {"draft.md": f"{OLD_WRONG}\n"})
    commit(repo, "old draft")
    result = cli("check", "--changed-only", "--base", "no-such-rev", "draft.md")
    assert result.exit_code == 2
    assert result.stderr == "citekit: error: --base no-such-rev: no such revision\n"


def test_changed_only_outside_a_repository_exits_2(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    folder = tmp_path / "plain"
    write_tree(folder, {"draft.md": f"{OLD_WRONG}\n"})
    monkeypatch.chdir(folder)
    result = cli("check", "--changed-only", "draft.md")
    assert result.exit_code == 2
    assert result.stderr == "citekit: error: draft.md: --changed-only needs a git repository\n"


def test_changed_only_reads_stdin_whole(cli: Cli, repo: Path) -> None:
    result = cli("check", "--changed-only", "-", stdin=f"{OLD_WRONG}\n")
    assert result.stdout.splitlines()[0] == (
        "<stdin>:1:13: wrong-date 145-QĐ/TW is dated 10-5-2024, not 15-5-2024"
    )


def test_findings_across_drafts_are_sorted_in(cli: Cli, here: Path) -> None:
    """A cross-draft finding stands at its place in its file, not after all the others."""
    write_tree(
        here,
        {
            "a.md": "Kế hoạch số 120-KH/TU ngày 3-4-2025 của Tỉnh ủy.\n",
            "b.md": "Kế hoạch số 120-KH/TU ngày 5-4-2025.\n\nQuyết định số 71-QD/TW.\n",
            "c.md": "Quyết định số 71-QD/TW.\n",
        },
    )
    result = cli("check", "a.md", "b.md", "c.md")
    places = [line.split(" ")[0:2] for line in result.stdout.splitlines()[:-1]]
    assert places == [
        ["b.md:1:13:", "inconsistent-citation"],
        ["b.md:3:15:", "non-canonical-number"],
        ["c.md:1:15:", "non-canonical-number"],
    ]
    as_json = json.loads(cli("check", "-f", "json", "a.md", "b.md", "c.md").stdout)
    assert [(f["path"], f["line"]) for f in as_json] == [("b.md", 1), ("b.md", 3), ("c.md", 1)]


@pytest.mark.parametrize("word", ["plain", "text", "PLAIN"])
def test_check_format_plain_and_its_old_name(cli: Cli, here: Path, word: str) -> None:
    """`plain`, as every command says; `text`, its old name, still works, unlisted."""
    write_tree(here, {"d.md": "Quyết định số 71-QD/TW.\n"})
    result = cli("check", "--format", word, "d.md")
    assert result.stdout == cli("check", "d.md").stdout
    assert "text" not in cli("check", "--help").stdout.split("--format")[1].split("\n")[0]


def test_check_format_refuses_other_words(cli: Cli, here: Path) -> None:
    result = cli("check", "--format", "tsv", "d.md")
    assert result.exit_code == 2
    assert "'tsv' is not one of 'plain', 'json', 'github'" in result.stderr


def test_the_batch_is_a_library_call(here: Path, builtin: Catalogue) -> None:
    """What `check` does, for a Python caller: no CLI, no printing."""
    from citekit.batch import BatchOptions, Skipped, check_paths

    write_tree(here, {"a.md": "Quyết định số 71-QD/TW.\n", "bin.md": "\0"})
    heard: list[Skipped] = []
    batch = check_paths(["a.md", "bin.md", "gone.md"], BatchOptions(), on_skip=heard.append)
    assert [f.code.value for f in batch.findings()] == ["non-canonical-number"]
    assert (batch.files, batch.citations, batch.unreadable) == (1, 1, 1)
    assert [(s.path, s.error) for s in heard] == [("bin.md", False), ("gone.md", True)]
    with pytest.raises(UsageError, match="--base goes with --changed-only"):
        BatchOptions(base="HEAD")
