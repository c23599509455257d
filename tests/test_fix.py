"""--fix and --diff: only the numbers change, byte for byte; the write is atomic."""

from __future__ import annotations

import codecs
import errno
import os
import shutil
import stat
import subprocess
import unicodedata
from pathlib import Path
from typing import Any, NoReturn

import pytest
from helpers import Cli, invoke

from citekit import fixing
from citekit.catalogue import Catalogue
from citekit.drafts import decode, read_draft
from citekit.errors import InputError
from citekit.findings import Edit, check_draft

DRAFT = (
    "# Báo cáo quý III\n"
    "\n"
    "Thực hiện Quyết định số 71-QD/TW ngày 18-7-2022 của Bộ Chính trị về tổng biên\n"
    "chế; Kết luận số\n"
    "9-KL/BTCTW của Ban Tổ chức Trung ương và Quy định số 145-QĐ/TW ngày 10-5-2024.\n"
    "Tỷ lệ đạt 27/30, nhiệm kỳ 2020-2025.\n"
    "Kết thúc."  # no line ending at the end of the file
)
FIXED = DRAFT.replace("71-QD/TW", "71-QĐ/TW").replace("9-KL/BTCTW", "09-KL/BTCTW")


def encode(text: str, *, newline: str = "\n", form: str = "NFC", encoding: str = "utf-8") -> bytes:
    """The draft as an editor might save it."""
    text = unicodedata.normalize(form, text).replace("\n", newline)
    bom = {
        "utf-8-sig": codecs.BOM_UTF8,
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE,
    }.get(encoding, b"")
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    return bom + text.encode(codec)


VARIANTS = {
    "lf": {},
    "crlf": {"newline": "\r\n"},
    "cr-lf-nfd": {"newline": "\r\n", "form": "NFD"},
    "nfd": {"form": "NFD"},
    "utf-8-bom": {"encoding": "utf-8-sig"},
    "utf-8-bom-crlf": {"encoding": "utf-8-sig", "newline": "\r\n"},
    "utf-16-le-bom": {"encoding": "utf-16-le"},
    "utf-16-be-bom-crlf": {"encoding": "utf-16-be", "newline": "\r\n"},
    "utf-16-le-bom-nfd": {"encoding": "utf-16-le", "form": "NFD"},
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_fix_round_trip_changes_only_the_numbers(cli: Cli, here: Path, variant: str) -> None:
    options = VARIANTS[variant]
    before = encode(DRAFT, **options)
    expected = encode(FIXED, **options)
    assert before != expected
    path = here / "draft.md"
    path.write_bytes(before)

    result = cli("check", "--fix", "draft.md")

    assert result.stdout == "Fixed 2 numbers.\nAll citations verified (1 file, 3 citations).\n"
    assert result.exit_code == 0
    after = path.read_bytes()
    assert after == expected
    # Byte for byte: the only difference is the two rewritten numbers.
    assert len(after) - len(before) == len(encode("Đ0", **options)) - len(encode("D", **options))
    assert os.listdir(here) == ["draft.md"]  # no temporary file left behind


@pytest.mark.parametrize("variant", VARIANTS)
def test_fix_is_idempotent(cli: Cli, here: Path, variant: str) -> None:
    path = here / "draft.md"
    path.write_bytes(encode(FIXED, **VARIANTS[variant]))
    result = cli("check", "--fix", "draft.md")
    assert result.stdout == "Fixed 0 numbers.\nAll citations verified (1 file, 3 citations).\n"
    assert path.read_bytes() == encode(FIXED, **VARIANTS[variant])


def test_the_decoded_draft_remembers_how_it_was_written() -> None:
    for variant, options in VARIANTS.items():
        data = encode(DRAFT, **options)
        draft = decode(data, "d.md")
        assert draft.encode(draft.raw) == data, variant
        assert draft.units[0].is_nfd is (options.get("form") == "NFD"), variant


def test_nfd_fix_keeps_every_other_character_decomposed(builtin: Catalogue) -> None:
    raw = unicodedata.normalize("NFD", "Quyết định số 71-QD/TW của Bộ Chính trị.\n")
    report = check_draft(decode(raw.encode(), "d.md"), builtin)
    fixed = fixing.fixed_text(report)
    assert fixed == raw.replace("71-QD/TW", "71-QĐ/TW")
    assert fixed is not None
    assert unicodedata.is_normalized("NFD", fixed)
    [finding] = report.findings
    assert finding.edit == Edit(raw.index("71-"), raw.index("71-") + 8, "71-QĐ/TW")


def test_diff_writes_nothing_and_prints_a_unified_diff(cli: Cli, here: Path) -> None:
    path = here / "draft.md"
    path.write_bytes(encode(DRAFT))
    before = path.stat()

    result = cli("check", "--diff", "draft.md")

    assert result.exit_code == 0
    assert result.stdout == (
        "--- a/draft.md\n"
        "+++ b/draft.md\n"
        "@@ -1,7 +1,7 @@\n"
        " # Báo cáo quý III\n"
        " \n"
        "-Thực hiện Quyết định số 71-QD/TW ngày 18-7-2022 của Bộ Chính trị về tổng biên\n"
        "+Thực hiện Quyết định số 71-QĐ/TW ngày 18-7-2022 của Bộ Chính trị về tổng biên\n"
        " chế; Kết luận số\n"
        "-9-KL/BTCTW của Ban Tổ chức Trung ương và Quy định số 145-QĐ/TW ngày 10-5-2024.\n"
        "+09-KL/BTCTW của Ban Tổ chức Trung ương và Quy định số 145-QĐ/TW ngày 10-5-2024.\n"
        " Tỷ lệ đạt 27/30, nhiệm kỳ 2020-2025.\n"
        " Kết thúc.\n"
        "\\ No newline at end of file\n"
    )
    assert path.read_bytes() == encode(DRAFT)
    after = path.stat()
    assert (after.st_mtime_ns, after.st_ino) == (before.st_mtime_ns, before.st_ino)
    assert os.listdir(here) == ["draft.md"]


def test_diff_of_a_crlf_file_keeps_its_line_endings(cli: Cli, here: Path) -> None:
    (here / "d.md").write_bytes(b"Intro\r\nQuy\xe1\xba\xbft \xc4\x91\xe1\xbb\x8bnh 71-QD/TW.\r\n")
    result = cli("check", "--diff", "d.md")
    assert result.stdout_bytes == (
        b"--- a/d.md\n+++ b/d.md\n@@ -1,2 +1,2 @@\n Intro\r\n"
        b"-Quy\xe1\xba\xbft \xc4\x91\xe1\xbb\x8bnh 71-QD/TW.\r\n"
        b"+Quy\xe1\xba\xbft \xc4\x91\xe1\xbb\x8bnh 71-Q\xc4\x90/TW.\r\n"
    )


def test_diff_marks_a_changed_last_line_without_a_line_ending(cli: Cli, here: Path) -> None:
    (here / "d.md").write_text("Mở đầu.\nKết luận 9-KL/BTCTW", encoding="utf-8")
    result = cli("check", "--diff", "d.md")
    assert result.stdout == (
        "--- a/d.md\n+++ b/d.md\n@@ -1,2 +1,2 @@\n Mở đầu.\n"
        "-Kết luận 9-KL/BTCTW\n\\ No newline at end of file\n"
        "+Kết luận 09-KL/BTCTW\n\\ No newline at end of file\n"
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("variant", ["lf", "crlf", "nfd"])
def test_the_diff_applies_with_git_apply(cli: Cli, here: Path, variant: str) -> None:
    """`--diff | git apply` gives what --fix writes."""
    options = VARIANTS[variant]
    path = here / "draft.md"
    path.write_bytes(encode(DRAFT, **options))
    patch = cli("check", "--diff", "draft.md").stdout_bytes
    (here / "fix.patch").write_bytes(patch)
    applied = subprocess.run(
        ["git", "apply", "--unsafe-paths", "fix.patch"],
        cwd=here,
        capture_output=True,
        text=True,
        check=False,
    )
    assert applied.returncode == 0, applied.stderr
    assert path.read_bytes() == encode(FIXED, **options)


def test_diff_with_nothing_to_fix_prints_nothing(cli: Cli, here: Path) -> None:
    (here / "d.md").write_text("Quyết định số 71-QĐ/TW.\n", encoding="utf-8")
    result = cli("check", "--diff", "d.md")
    assert (result.exit_code, result.stdout) == (0, "")


def test_diff_exit_code_still_counts_errors(cli: Cli, here: Path) -> None:
    (here / "d.md").write_text(
        "Quyết định số 71-QD/TW ngày 18-7-2023 của Bộ Chính trị.\n", encoding="utf-8"
    )
    result = cli("check", "--diff", "d.md")
    assert result.exit_code == 1
    assert "+Quyết định số 71-QĐ/TW ngày 18-7-2023" in result.stdout


def test_diff_reads_stdin(cli: Cli, here: Path) -> None:
    result = cli("check", "--diff", "-", stdin="Kết luận 9-KL/BTCTW\n")
    assert result.exit_code == 0
    assert result.stdout == (
        "--- a/<stdin>\n+++ b/<stdin>\n@@ -1 +1 @@\n-Kết luận 9-KL/BTCTW\n+Kết luận 09-KL/BTCTW\n"
    )


def test_fix_cannot_rewrite_stdin(cli: Cli, here: Path) -> None:
    result = cli("check", "--fix", "-", stdin="Kết luận 9-KL/BTCTW\n")
    assert result.exit_code == 2
    assert result.stderr == "citekit: error: --fix cannot rewrite stdin; use --diff\n"


def test_fix_and_diff_exclude_each_other(cli: Cli, here: Path) -> None:
    (here / "d.md").write_text("Kết luận 9-KL/BTCTW\n", encoding="utf-8")
    result = cli("check", "--fix", "--diff", "d.md")
    assert result.exit_code == 2
    assert result.stderr == "citekit: error: --fix and --diff exclude each other\n"
    assert (here / "d.md").read_text(encoding="utf-8") == "Kết luận 9-KL/BTCTW\n"


def test_fix_never_changes_a_date_an_issuer_a_kind_or_an_unknown_number(
    cli: Cli, here: Path
) -> None:
    text = (
        "Quyết định số 71-QD/TW ngày 18-7-2023 của Ban Bí thư.\n"
        "Quyết định số 142-QĐ/TW ngày 23-4-2024.\n"
        "Quy định số 149-QD/TW và Quy định số 148 ngày 1-1-2024.\n"
    )
    path = here / "d.md"
    path.write_text(text, encoding="utf-8")

    result = cli("check", "--fix", "d.md")

    assert path.read_text(encoding="utf-8") == text.replace("71-QD/TW", "71-QĐ/TW")
    assert result.exit_code == 1
    assert result.stdout == (
        "d.md:1:15: wrong-date 71-QĐ/TW is dated 18-7-2022, not 18-7-2023\n"
        "d.md:1:15: wrong-issuer 71-QĐ/TW was issued by Bộ Chính trị, not Ban Bí thư\n"
        "d.md:2:15: wrong-kind 142-QĐ/TW is a Quy định, not a Quyết định\n"
        "d.md:3:13: unknown-document 149-QĐ/TW is in no catalogue; "
        "did you mean 148-QĐ/TW, 147-QĐ/TW, 146-QĐ/TW?\n"
        "d.md:3:38: wrong-date 148-QĐ/TW is dated 23-5-2024, not 1-1-2024\n"
        "Fixed 1 number.\n"
        "Found 4 errors and 1 warning (1 file, 4 citations: 0 verified, 1 not verifiable).\n"
    )


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664, 0o755])
def test_fix_keeps_the_permissions(cli: Cli, here: Path, mode: int) -> None:
    path = here / "d.md"
    path.write_text("Kết luận 9-KL/BTCTW\n", encoding="utf-8")
    path.chmod(mode)
    result = cli("check", "--fix", "d.md")
    assert result.exit_code == 0
    assert path.read_text(encoding="utf-8") == "Kết luận 09-KL/BTCTW\n"
    assert stat.S_IMODE(path.stat().st_mode) == mode


def test_fix_through_a_symlink_rewrites_the_target(cli: Cli, here: Path) -> None:
    real = here / "real.md"
    real.write_text("Kết luận 9-KL/BTCTW\n", encoding="utf-8")
    link = here / "link.md"
    link.symlink_to(real)
    result = cli("check", "--fix", "link.md")
    assert result.exit_code == 0
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "Kết luận 09-KL/BTCTW\n"
    assert sorted(os.listdir(here)) == ["link.md", "real.md"]


def _failing(name: str) -> object:
    def fail(*args: object, **kwargs: object) -> NoReturn:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    fail.__name__ = name
    return fail


@pytest.mark.parametrize("step", ["replace", "fsync", "chmod"])
def test_a_failed_write_leaves_the_original_and_no_temp_file(
    cli: Cli, here: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    path = here / "d.md"
    original = encode(DRAFT, newline="\r\n", encoding="utf-8-sig")
    path.write_bytes(original)
    monkeypatch.setattr(f"citekit.fixing.os.{step}", _failing(step))

    result = cli("check", "--fix", "d.md")

    assert result.exit_code == 2
    assert result.stderr == f"citekit: error: d.md: cannot write: {os.strerror(errno.ENOSPC)}\n"
    assert path.read_bytes() == original
    assert os.listdir(here) == ["d.md"]


def test_a_temp_file_that_cannot_be_made_is_an_input_error(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = here / "d.md"
    path.write_bytes(b"x")
    real_open = os.open

    def no_space(name: Any, *args: Any, **kwargs: Any) -> int:
        if str(name).endswith(".citekit-tmp"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr("citekit.fixing.os.open", no_space)
    with pytest.raises(InputError, match=r"^.*d\.md: cannot write: No space left on device$"):
        fixing.write_atomic(path, b"y")
    assert path.read_bytes() == b"x"
    assert os.listdir(here) == ["d.md"]


def test_an_interrupted_write_leaves_no_temp_file(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = here / "d.md"
    path.write_bytes(b"before")

    def interrupt(fd: int) -> NoReturn:
        raise KeyboardInterrupt

    monkeypatch.setattr("citekit.fixing.os.fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        fixing.write_atomic(path, b"after")
    assert path.read_bytes() == b"before"
    assert os.listdir(here) == ["d.md"]


def test_write_atomic_of_a_missing_file(here: Path) -> None:
    with pytest.raises(InputError, match=r"gone\.md: cannot write: No such file or directory$"):
        fixing.write_atomic(here / "gone.md", b"data")
    assert os.listdir(here) == []


def test_write_atomic_replaces_the_content(here: Path) -> None:
    path = here / "d.md"
    path.write_bytes(b"old content")
    fixing.write_atomic(path, b"new")
    assert path.read_bytes() == b"new"
    assert os.listdir(here) == ["d.md"]


def test_apply_edits_in_any_order() -> None:
    raw = "a 71-QD/TW b 9-KL/BTCTW c"
    edits = [Edit(13, 23, "09-KL/BTCTW"), Edit(2, 10, "71-QĐ/TW")]
    assert fixing.apply(raw, edits) == "a 71-QĐ/TW b 09-KL/BTCTW c"
    assert fixing.apply(raw, []) == raw


def test_fixed_text_is_none_when_nothing_changes(builtin: Catalogue, here: Path) -> None:
    path = here / "d.md"
    path.write_text("Quy định số 145-QĐ/TW ngày 15-5-2024.\n", encoding="utf-8")
    report = check_draft(read_draft(path), builtin)
    assert len(report.findings) == 1
    assert fixing.fixed_text(report) is None


# --- the file's identity and edits made meanwhile (issue: hostile input, round two) ----------

FIXABLE = "Kết luận 9-KL/BTCTW\n"
ONE_FIXED = "Kết luận 09-KL/BTCTW\n"


def test_an_edit_made_while_fix_runs_is_kept(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """D16: the file changed between the read and the rename; nothing is written."""
    path = here / "d.md"
    path.write_text(FIXABLE, encoding="utf-8")
    real = fixing.fixed_text

    def editor_saves(report: Any) -> str | None:
        path.write_text(FIXABLE + "Một dòng mới.\n", encoding="utf-8")
        return real(report)

    monkeypatch.setattr(fixing, "fixed_text", editor_saves)
    result = invoke("check", "--fix", "d.md")
    assert (result.exit_code, result.stderr) == (
        2,
        "citekit: error: d.md: changed while citekit was fixing it; nothing written\n",
    )
    assert path.read_text(encoding="utf-8") == FIXABLE + "Một dòng mới.\n"
    assert os.listdir(here) == ["d.md"]


def test_an_edit_saved_just_before_the_rename_is_kept(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stamp is checked again after the temp file is written, before the rename."""
    path = here / "d.md"
    path.write_text(FIXABLE, encoding="utf-8")
    real_fsync = os.fsync

    def editor_saves(fd: int) -> None:
        real_fsync(fd)
        path.write_text("Đã sửa tay.\n", encoding="utf-8")

    monkeypatch.setattr("citekit.fixing.os.fsync", editor_saves)
    result = invoke("check", "--fix", "d.md")
    assert result.exit_code == 2
    assert result.stderr.endswith("changed while citekit was fixing it; nothing written\n")
    assert path.read_text(encoding="utf-8") == "Đã sửa tay.\n"
    assert os.listdir(here) == ["d.md"]


root_only = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown to another user needs root"
)


@root_only
def test_fix_as_root_keeps_another_users_owner_and_group(here: Path) -> None:
    """D17: run as root on a file owned by another user it left root:root."""
    path = here / "d.md"
    path.write_text(FIXABLE, encoding="utf-8")
    os.chown(path, 1234, 5678)
    path.chmod(0o640)
    result = invoke("check", "--fix", "d.md")
    assert result.exit_code == 0
    info = path.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (1234, 5678, 0o640)
    assert path.read_text(encoding="utf-8") == ONE_FIXED


def test_fix_keeps_a_setgid_bit_after_the_chown(here: Path) -> None:
    path = here / "d.md"
    path.write_text(FIXABLE, encoding="utf-8")
    path.chmod(0o2644)
    assert invoke("check", "--fix", "d.md").exit_code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o2644


def _xattrs_supported(path: Path) -> bool:
    try:
        os.setxattr(path, "user.citekit-probe", b"1")
        os.removexattr(path, "user.citekit-probe")
    except (AttributeError, OSError):
        return False
    return True


def test_fix_keeps_extended_attributes(here: Path) -> None:
    """D17: user.* attributes (and ACLs, stored as system.posix_acl_access) were lost."""
    path = here / "d.md"
    path.write_text(FIXABLE, encoding="utf-8")
    if not _xattrs_supported(path):
        pytest.skip("this file system has no user extended attributes")
    os.setxattr(path, "user.xdg.origin.url", b"https://example.vn/du-thao")
    os.setxattr(path, "user.checksum", b"\x00\x01binary")
    acl = shutil.which("setfacl")
    if acl:
        subprocess.run([acl, "-m", "u:1234:rw", str(path)], check=True)
    before = {name: os.getxattr(path, name) for name in os.listxattr(path)}
    assert invoke("check", "--fix", "d.md").exit_code == 0
    assert path.read_text(encoding="utf-8") == ONE_FIXED
    assert {name: os.getxattr(path, name) for name in os.listxattr(path)} == before


def test_fix_refuses_a_file_with_several_hard_links(here: Path) -> None:
    """D17: the rename gave one name the new text and left the other on the old."""
    path = here / "d.md"
    path.write_text(FIXABLE, encoding="utf-8")
    os.link(path, here / "copy.md")
    result = invoke("check", "--fix", "d.md")
    assert (result.exit_code, result.stderr) == (
        2,
        "citekit: error: d.md: has 2 hard links, which a rewrite would break; nothing written\n",
    )
    assert path.read_text(encoding="utf-8") == FIXABLE
    assert os.path.samefile(path, here / "copy.md")


def test_fix_refuses_a_read_only_file(here: Path) -> None:
    """D17: a mode-444 file was rewritten (by root, or by its owner: the rename needs
    only the folder's write permission)."""
    path = here / "d.md"
    path.write_text(FIXABLE, encoding="utf-8")
    path.chmod(0o444)
    result = invoke("check", "--fix", "d.md")
    assert (result.exit_code, result.stderr) == (
        2,
        "citekit: error: d.md: not writable (mode 444); nothing written\n",
    )
    assert path.read_text(encoding="utf-8") == FIXABLE
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


def test_a_write_error_names_the_files_already_fixed(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Minor: after a write error, the files already rewritten went unreported."""
    for name in ("a.md", "b.md", "c.md"):
        (here / name).write_text(FIXABLE, encoding="utf-8")
    real_replace = os.replace

    def full_at_c(source: Any, target: Any) -> None:
        if Path(target).name == "c.md":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_replace(source, target)

    monkeypatch.setattr("citekit.fixing.os.replace", full_at_c)
    result = invoke("check", "--fix", "a.md", "b.md", "c.md")
    assert (result.exit_code, result.stderr) == (
        2,
        "citekit: error: c.md: cannot write: No space left on device (a.md, b.md already fixed)\n",
    )
    assert [(here / n).read_text(encoding="utf-8") for n in ("a.md", "b.md", "c.md")] == [
        ONE_FIXED,
        ONE_FIXED,
        FIXABLE,
    ]
