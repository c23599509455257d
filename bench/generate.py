"""Generate benchmark inputs deterministically: catalogues, drafts, a repository of drafts.

python bench/generate.py catalogue OUT.yaml [--count 100000]
python bench/generate.py draft OUT.md [--megabytes 20]
python bench/generate.py repository OUT_DIR [--count 2000] [--megabytes 0.02]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from citekit.vocabulary import ISSUERS, Kind

if TYPE_CHECKING:
    from citekit.model import Document

# Kinds and the issuers that issue them; codes come from the vocabulary.
KINDS = [
    (Kind.QUY_DINH, ["Bộ Chính trị", "Ban Bí thư", "Ban Chấp hành Trung ương"]),
    (Kind.QUYET_DINH, ["Bộ Chính trị", "Ban Bí thư"]),
    (Kind.CHI_THI, ["Bộ Chính trị", "Ban Bí thư"]),
    (Kind.KET_LUAN, ["Bộ Chính trị", "Ban Bí thư", "Ban Chấp hành Trung ương"]),
    (Kind.NGHI_QUYET, ["Bộ Chính trị", "Ban Chấp hành Trung ương"]),
    (Kind.HUONG_DAN, ["Ban Tổ chức Trung ương", "Văn phòng Trung ương Đảng"]),
    (Kind.THONG_BAO, ["Bộ Chính trị", "Ban Bí thư"]),
]
ISSUER_CODE = {issuer.name: issuer.code for issuer in ISSUERS if issuer.name}
SUBJECTS = [
    "công tác cán bộ",
    "tổ chức bộ máy của hệ thống chính trị",
    "chế độ bồi dưỡng, cập nhật kiến thức, kỹ năng",
    "đại hội đảng bộ các cấp",
    "biên chế các cơ quan đảng, mặt trận Tổ quốc",
    "kiểm tra, giám sát và kỷ luật của Đảng",
    "bảo vệ chính trị nội bộ",
    "quy chế làm việc mẫu của cấp ủy",
    "trách nhiệm nêu gương của cán bộ, đảng viên",
    "phát triển đảng viên trong doanh nghiệp",
    "chuyển đổi số trong các cơ quan đảng",
    "công tác dân vận của hệ thống chính trị",
]
PLACES = [
    "cấp tỉnh",
    "cấp huyện",
    "ở Trung ương",
    "trong doanh nghiệp nhà nước",
    "các tỉnh ủy, thành ủy trực thuộc Trung ương",
    "đối với cán bộ lãnh đạo, quản lý các cấp",
    "trong tình hình mới",
]
VERBS = ["về", "về tăng cường", "về đổi mới", "về nâng cao chất lượng", "về thí điểm"]
TERMS = [  # (first year, last year): serials restart each term
    (2001, 2005),
    (2006, 2010),
    (2011, 2015),
    (2016, 2020),
    (2021, 2025),
]


def documents(count: int, seed: int = 7, first: int = 1) -> list[dict[str, str | int]]:
    """`count` distinct, realistic catalogue entries; serials start at `first`."""
    rng = random.Random(seed)
    serials: dict[tuple[int, str, str], int] = {}
    out = []
    while len(out) < count:
        kind_of, issuers = rng.choice(KINDS)
        kind, code = kind_of.value, kind_of.codes[0]
        issuer = rng.choice(issuers)
        issuer_code = ISSUER_CODE[issuer]
        term = rng.randrange(len(TERMS))
        first, last = TERMS[term]
        key = (term, code, issuer_code)
        serial = serials.get(key, first - 1) + 1
        serials[key] = serial
        start = dt.date(first, 1, 1).toordinal()
        date = dt.date.fromordinal(rng.randrange(start, dt.date(last, 12, 31).toordinal()))
        title = (
            f"{kind} {rng.choice(VERBS)} {rng.choice(SUBJECTS)} {rng.choice(PLACES)}"
            f" (văn bản {serial}, khóa {term + 9})"
        )
        out.append(
            {
                "number": f"{serial:02d}-{code}/{issuer_code}",
                "kind": kind,
                "date": date.isoformat(),
                "issuer": issuer,
                "title": title,
            }
        )
    return out


def write_catalogue(path: Path, count: int, seed: int = 7, first: int = 1) -> None:
    """A catalogue of `count` entries; `first` > the built-in's serials keeps the numbers
    apart from the built-in catalogue's, for a catalogue meant to go beside it."""
    lines = ["schema: 1", "documents:"]
    for doc in documents(count, seed, first):
        lines.append(f"  - number: {doc['number']}")
        lines.append(f"    kind: {doc['kind']}")
        lines.append(f"    date: '{doc['date']}'")
        lines.append(f"    issuer: {doc['issuer']}")
        lines.append(f'    title: "{doc["title"]}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


SENTENCES = [
    "Thực hiện {cite}, các cấp ủy đã quán triệt và triển khai nghiêm túc.",
    "Căn cứ {cite}; Ban Thường vụ Tỉnh ủy ban hành kế hoạch thực hiện.",
    "Trong nhiệm kỳ 2020-2025, toàn Đảng bộ có 148 người được kết nạp, tỷ lệ 27/30 chi bộ.",
    "Theo {cite} và {cite}, việc sắp xếp bộ máy bảo đảm tiến độ.",
    "Liên hệ số điện thoại 024-3823-1234 để được hướng dẫn thêm.",
    "Các chi bộ sinh hoạt chuyên đề về xây dựng Đảng theo kế hoạch giai đoạn 2022-2026.",
]
FORMS = [
    "{kind} số {number} ngày {d}-{m}-{y} của {issuer}",
    "{kind} số {number}, ngày {d}/{m:02d}/{y} của {issuer}",
    "{kind} {number} ngày {d} tháng {m} năm {y} của {issuer} khóa XIII",
    "{kind} số {number}",
]


def builtin_documents(count: int = 16) -> list[Document]:
    """The first `count` documents of the built-in catalogue, for drafts to cite."""
    from citekit.catalogue import builtin_path
    from citekit.loading import load_file

    return load_file(builtin_path())[:count]


def draft_text(
    megabytes: float, docs: list[Document], seed: int = 11, title: bool = True
) -> tuple[str, int]:
    """A Markdown draft of about `megabytes` MB citing `docs`, and its citation count."""
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    parts: list[str] = ["# Báo cáo tổng kết công tác tổ chức xây dựng Đảng\n\n"] if title else []
    size = sum(len(part.encode()) for part in parts)
    citations = 0
    while size < target:
        paragraph = []
        for _ in range(4):
            sentence = rng.choice(SENTENCES)
            while "{cite}" in sentence:
                doc = rng.choice(docs)
                date = doc.date or dt.date(2024, 1, 1)
                cite = rng.choice(FORMS).format(
                    kind=doc.kind.value,
                    number=doc.number,
                    d=date.day,
                    m=date.month,
                    y=date.year,
                    issuer=doc.issuer,
                )
                sentence = sentence.replace("{cite}", cite, 1)
                citations += 1
            paragraph.append(sentence)
        text = " ".join(paragraph) + "\n\n"
        parts.append(text)
        size += len(text.encode())
    return "".join(parts), citations


def write_draft(path: Path, megabytes: float, catalogue_size: int = 16, seed: int = 11) -> int:
    """A Markdown draft of about `megabytes` MB citing the built-in catalogue's numbers."""
    text, citations = draft_text(megabytes, builtin_documents(catalogue_size), seed)
    path.write_text(text, encoding="utf-8")
    return citations


def write_nfd(source: Path, out: Path, fraction: float, seed: int = 13) -> int:
    """`source` with `fraction` of its non-blank lines (all of them at 1.0) decomposed to
    NFD; the number of lines decomposed."""
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    text_lines = [n for n, line in enumerate(lines) if line.strip()]
    if fraction >= 1.0:
        chosen = text_lines
    else:
        chosen = random.Random(seed).sample(text_lines, round(len(text_lines) * fraction))
    for n in chosen:
        lines[n] = unicodedata.normalize("NFD", lines[n])
    out.write_text("".join(lines), encoding="utf-8")
    return len(chosen)


def git(root: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.invalid",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.invalid",
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false", *args],
        cwd=root,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def write_repository(
    root: Path, count: int, megabytes: float, changed: int = 10, folders: int = 20
) -> tuple[int, int, list[Path]]:
    """A git repository of `count` Markdown drafts of about `megabytes` MB each, in
    `folders` folders, committed; then a second commit adding a paragraph with
    citations to `changed` of them. Returns (bytes of the drafts at HEAD, citations,
    the drafts changed)."""
    docs = builtin_documents()
    root.mkdir(parents=True, exist_ok=True)
    paths = []
    citations = 0
    for n in range(count):
        folder = root / f"bao-cao-{n % folders:02d}"
        folder.mkdir(exist_ok=True)
        path = folder / f"du-thao-{n:04d}.md"
        text, cited = draft_text(megabytes, docs, seed=1000 + n)
        path.write_text(text, encoding="utf-8")
        citations += cited
        paths.append(path)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "drafts")
    touched = random.Random(17).sample(paths, min(changed, count))
    for n, path in enumerate(touched):
        text, cited = draft_text(0.001, docs, seed=5000 + n, title=False)
        with path.open("a", encoding="utf-8") as out:
            out.write(text)
        citations += cited
    git(root, "commit", "-q", "-a", "-m", f"edit {len(touched)} drafts")
    size = sum(path.stat().st_size for path in paths)
    return size, citations, touched


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("what", choices=["catalogue", "draft", "repository"])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=None)
    parser.add_argument("--megabytes", type=float, default=None)
    args = parser.parse_args()
    if args.what == "catalogue":
        write_catalogue(args.out, args.count or 100_000)
    elif args.what == "draft":
        print(write_draft(args.out, args.megabytes or 20.0))
    else:
        size, citations, _ = write_repository(args.out, args.count or 2_000, args.megabytes or 0.02)
        print(f"{size} bytes, {citations} citations")


if __name__ == "__main__":
    main()
