"""Catalogue reach: lookup by any fact, honest checking of what no catalogue holds, and a
catalogue harvested from trusted texts, through the installed CLI and in-process.

These run with the shipped catalogue (data/documents.yaml), as a user meets it.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import SHIPPED_PATH, executable, invoke, subprocess_env

from citekit import catalogue

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture(params=["runner", pytest.param("process", marks=pytest.mark.slow)])
def citekit(request: pytest.FixtureRequest, here: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """citekit with its shipped catalogue: in-process, and as the installed executable."""
    if request.param == "runner":
        monkeypatch.setattr(catalogue, "builtin_path", SHIPPED_PATH)

        def in_process(*args: str) -> tuple[int, str, str]:
            result = invoke(*args)
            return result.exit_code, result.stdout, result.stderr

        return in_process

    def installed(*args: str) -> tuple[int, str, str]:
        done = subprocess.run(
            [executable(), *args],
            cwd=here,
            env=subprocess_env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        return done.returncode, done.stdout, done.stderr

    return installed


def _numbers(out: str) -> list[str]:
    return [entry["number"] for entry in json.loads(out)]


# --- lookup by any fact people remember ---------------------------------------------------


@pytest.mark.parametrize(
    ("query", "numbers"),
    [
        ("10-5-2024", ["145-QĐ/TW"]),  # a date
        ("ngày 8/7/2024", ["179-QĐ/TW"]),
        ("145QĐ/TW", ["145-QĐ/TW"]),  # typed without separators
        ("145qdtw", ["145-QĐ/TW"]),
        ("Quy định 146 của Ban Bí thư", ["146-QĐ/TW"]),  # a number narrowed by its issuer
        ("Bộ Chính trị bồi dưỡng", ["145-QĐ/TW"]),  # an issuer and title words
        ("Chỉ thị 35 năm 2024", ["35-CT/TW"]),  # a serial and a year
    ],
)
def test_lookup_by_any_fact(citekit: Run, query: str, numbers: list[str]) -> None:
    code, out, _ = citekit("lookup", query, "--json")
    assert code == 0
    [result] = json.loads(out)
    assert [m["number"] for m in result["matches"]] == numbers


def test_a_date_with_several_documents_is_ambiguous(citekit: Run) -> None:
    code, out, _ = citekit("lookup", "14-5-2024", "--json")
    [result] = json.loads(out)
    assert result["status"] == "ambiguous"
    assert {m["number"] for m in result["matches"]} >= {"146-QĐ/TW", "147-QĐ/TW"}
    assert code == 1  # as documented: ambiguous, like not found, is exit 1


def test_a_different_serial_is_never_a_match(citekit: Run) -> None:
    _, out, _ = citekit("lookup", "Quy định 149 của Bộ Chính trị", "--json")
    [result] = json.loads(out)
    assert all(m["number"].startswith("149-") for m in result["matches"])


def test_lookup_shows_status_and_the_replacement(citekit: Run) -> None:
    code, out, _ = citekit("lookup", "148-QĐ/TW", "--format", "plain")
    assert code == 0
    assert "  status: replaced\n" in out
    assert "  replaced by 377-QĐ/TW of 8-10-2025\n" in out
    code, out, _ = citekit("lookup", "148-QĐ/TW", "--json")
    [result] = json.loads(out)
    [document] = result["matches"]
    assert document["status"] == "replaced"
    assert document["facts"]["date"] in ("one-source", "two-sources")
    assert any(r["type"] == "replaced_by" for r in document["relations"])


def test_list_filters_by_date(citekit: Run) -> None:
    code, out, _ = citekit("list", "--date", "2024-05-14", "--json")
    assert code == 0
    assert set(_numbers(out)) >= {"146-QĐ/TW", "147-QĐ/TW"}
    code, out, _ = citekit("list", "--from", "2025-10-01", "--to", "2025-10-31", "--json")
    dates = [entry["date"] for entry in json.loads(out)]
    assert dates
    assert all("2025-10-01" <= d <= "2025-10-31" for d in dates)
    code, _, err = citekit("list", "--from", "1-10-2025")
    assert code == 2
    assert err == "citekit: error: --from: '1-10-2025' is not a date (YYYY-MM-DD)\n"


# --- checking what the catalogue does not hold ------------------------------------------------


def _check(citekit: Run, here: Path, text: str, *args: str) -> tuple[int, str]:
    (here / "d.md").write_text(text, encoding="utf-8")
    code, out, _ = citekit("check", "d.md", *args)
    return code, out


def test_a_wrong_number_names_the_right_one(citekit: Run, here: Path) -> None:
    code, out = _check(citekit, here, "Quy định số 149-QĐ/TW ngày 23-5-2024 của Bộ Chính trị.\n")
    assert code == 1
    assert out.startswith(
        "d.md:1:13: wrong-number 149-QĐ/TW is in no catalogue; "
        "the Quy định of 23-5-2024 by the Bộ Chính trị is 148-QĐ/TW\n"
    )


def test_a_central_number_no_catalogue_holds_is_a_warning(citekit: Run, here: Path) -> None:
    code, out = _check(citekit, here, "Kết luận số 999-KL/TW.\n", "--as-of", "2024-01-01")
    assert code == 0
    assert "unknown-document 999-KL/TW is in no catalogue" in out


def test_unknown_document_is_an_error_where_configured(citekit: Run, here: Path) -> None:
    (here / ".citekit.yaml").write_text("severity: {unknown-document: error}\n", encoding="utf-8")
    code, _ = _check(citekit, here, "Kết luận số 999-KL/TW.\n")
    assert code == 1


def test_state_and_local_numbers_are_listed_not_reported(citekit: Run, here: Path) -> None:
    text = "Nghị định số 178/2024/NĐ-CP và Kế hoạch số 120-KH/TU của Tỉnh ủy; Quy định 999.\n"
    code, out = _check(citekit, here, text)
    assert (code, out) == (
        0,
        "No problems found (1 file, 3 citations: 0 verified, 3 not verifiable).\n",
    )
    code, out, _ = citekit("refs", "d.md", "--format", "json")
    statuses = {e["number"]: (e["status"], e["family"], e["issuer_code"]) for e in json.loads(out)}
    assert statuses == {
        "178/2024/NĐ-CP": ("not-in-catalogue", "state", "CP"),
        "120-KH/TU": ("not-in-catalogue", "party", "TU"),
        "Quy định 999": ("partial", None, None),
    }


def test_a_replaced_document_is_superseded_as_of_a_date(citekit: Run, here: Path) -> None:
    text = "Quy định số 148-QĐ/TW ngày 23-5-2024 của Bộ Chính trị.\n"
    assert _check(citekit, here, text, "--as-of", "2025-01-01")[0] == 0
    code, out = _check(citekit, here, text, "--as-of", "2025-12-31")
    assert code == 0  # a warning
    assert "superseded 148-QĐ/TW was replaced by 377-QĐ/TW of 8-10-2025" in out


def test_one_number_cited_two_ways_across_drafts(citekit: Run, here: Path) -> None:
    (here / "a.md").write_text("Kế hoạch số 120-KH/TU ngày 3-4-2025.\n", encoding="utf-8")
    (here / "b.md").write_text("Kế hoạch số 120-KH/TU ngày 5-4-2025.\n", encoding="utf-8")
    (here / "c.md").write_text("Kế hoạch số 120-KH/TU ngày 5-4-2019.\n", encoding="utf-8")
    code, out, _ = citekit("check", "a.md", "b.md", "c.md")
    assert code == 1
    assert "b.md:1:13: inconsistent-citation 120-KH/TU has date 3-4-2025 at a.md:1" in out
    assert "c.md:1:13: possible-namesake 120-KH/TU has date 3-4-2025 at a.md:1" in out


# --- harvest: an office's archive becomes its catalogue -----------------------------------------

ARCHIVE = (
    "Thực hiện Kế hoạch số 120-KH/TU ngày 17-6-2024 của Ban Thường vụ Tỉnh ủy về triển khai "
    "các quy định mới của Trung ương.\n"
    "Căn cứ Quyết định số 15-QĐ/TU ngày 23-5-2024 của Ban Thường vụ Tỉnh ủy về thành lập các "
    "tiểu ban đại hội.\n"
)
LATER = "Báo cáo theo Kế hoạch số 120-KH/TU ngày 17-6-2024 của Ban Thường vụ Tỉnh ủy.\n"
LATER_WRONG = "Báo cáo theo Kế hoạch số 120-KH/TU ngày 18-6-2024 của Ban Thường vụ Tỉnh ủy.\n"


def test_harvest_then_check_new_drafts_against_it(citekit: Run, here: Path) -> None:
    (here / "archive").mkdir()
    (here / "archive" / "q2.md").write_text(ARCHIVE, encoding="utf-8")
    code, out, err = citekit("catalogue", "harvest", "archive", "-o", "office.yaml")
    assert (code, out, err) == (0, "office.yaml: 2 documents harvested\n", "")
    assert citekit("catalogue", "check", "office.yaml")[0] == 0
    code, out, _ = citekit("lookup", "--catalogue", "office.yaml", "120-KH/TU", "--json")
    [result] = json.loads(out)
    [document] = result["matches"]
    assert document["title"] == "Kế hoạch về triển khai các quy định mới của Trung ương"
    assert document["issuer"] == "Ban Thường vụ Tỉnh ủy"
    assert document["facts"]["date"] == "harvested"
    assert document["evidence"][0]["harvested"] == "archive/q2.md:1"
    (here / "new.md").write_text(LATER, encoding="utf-8")
    assert citekit("check", "--catalogue", "office.yaml", "new.md")[0] == 0
    (here / "new.md").write_text(LATER_WRONG, encoding="utf-8")
    code, out, _ = citekit("check", "--catalogue", "office.yaml", "new.md")
    assert code == 1
    assert "wrong-date 120-KH/TU is dated 17-6-2024, not 18-6-2024" in out


def test_harvest_keeps_disagreements_as_contested(citekit: Run, here: Path) -> None:
    (here / "a.md").write_text(LATER, encoding="utf-8")
    (here / "b.md").write_text(LATER_WRONG, encoding="utf-8")
    code, _, err = citekit("catalogue", "harvest", "a.md", "b.md", "-o", "office.yaml")
    assert code == 0
    assert err == (
        "citekit: note: 120-KH/TU: date contested: 17-6-2024 (a.md:1), 18-6-2024 (b.md:1)\n"
    )
    text = (here / "office.yaml").read_text(encoding="utf-8")
    assert "contested:\n    date:\n    - '2024-06-17'\n    - '2024-06-18'" in text
