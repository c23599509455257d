"""Generate benchmark inputs: a large catalogue and a large draft, deterministically.

python bench/generate.py catalogue OUT.yaml [--count 100000]
python bench/generate.py draft OUT.md [--megabytes 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

from citekit.vocabulary import ISSUERS, Kind

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


def documents(count: int, seed: int = 7) -> list[dict[str, str | int]]:
    """`count` distinct, realistic catalogue entries."""
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
        serial = serials.get(key, 0) + 1
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


def write_catalogue(path: Path, count: int) -> None:
    lines = ["schema: 1", "documents:"]
    for doc in documents(count):
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


def write_draft(path: Path, megabytes: float, catalogue_size: int = 16) -> int:
    """A Markdown draft of about `megabytes` MB citing the built-in catalogue's numbers."""
    from citekit.catalogue import builtin_path
    from citekit.loading import load_file

    rng = random.Random(11)
    docs = load_file(builtin_path())[:catalogue_size]
    target = int(megabytes * 1_000_000)
    parts: list[str] = ["# Báo cáo tổng kết công tác tổ chức xây dựng Đảng\n\n"]
    size = len(parts[0].encode())
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
    path.write_text("".join(parts), encoding="utf-8")
    return citations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("what", choices=["catalogue", "draft"])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--megabytes", type=float, default=20.0)
    args = parser.parse_args()
    if args.what == "catalogue":
        write_catalogue(args.out, args.count)
    else:
        print(write_draft(args.out, args.megabytes))


if __name__ == "__main__":
    main()
