"""Benchmark citekit against its targets; every figure is measured in this one run.

    python bench/run.py [--runs 10] [--quick]

It generates its inputs in a temporary directory (a 100,000-entry catalogue, a 20 MB
draft, three pathological 1 MB drafts), then runs each command as a subprocess, the
commands of one comparison interleaved, and reports medians and their ratios. Run it
with the citekit under test installed (not editable) in the current Python's venv.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

MINIMAL_TYPER_APP = """\
import typer

app = typer.Typer()


@app.command()
def main(arg: str) -> None:
    print(arg)


app()
"""


@dataclass
class Sample:
    seconds: float
    max_rss_kb: int
    code: int


def run(argv: list[str], env: dict[str, str]) -> Sample:
    """Run a command, its output discarded; wall time and peak memory of the child."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.stderr is not None:
        child.stderr.close()
    return Sample(seconds, usage.ru_maxrss, child.returncode)


def interleaved(
    commands: dict[str, list[str]], env: dict[str, str], runs: int
) -> dict[str, list[Sample]]:
    """Each command `runs` times, taking turns, after one untimed warm-up run each."""
    for argv in commands.values():
        run(argv, env)
    samples: dict[str, list[Sample]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            samples[name].append(run(argv, env))
    return samples


def median(samples: list[Sample]) -> float:
    return statistics.median(s.seconds for s in samples)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


class Report:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str]] = []

    def add(self, figure: str, measured: str, target: str, ok: bool) -> None:
        self.rows.append((figure, measured, target, "met" if ok else "MISSED"))

    def print(self) -> None:
        widths = [
            max(len(r[i]) for r in [("Figure", "Measured", "Target", "Verdict"), *self.rows])
            for i in range(4)
        ]
        line = "| " + " | ".join(f"{{:<{w}}}" for w in widths) + " |"
        print(line.format("Figure", "Measured", "Target", "Verdict"))
        print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        for row in self.rows:
            print(line.format(*row))


@dataclass
class Inputs:
    work: Path
    citekit: str
    env: dict[str, str]
    runs: int
    count: int
    catalogue: Path
    draft: Path
    citations: int
    mini: Path
    pathological: dict[str, Path]


Absolute = list[tuple[str, float]]


def startup(i: Inputs, report: Report, absolute: Absolute) -> None:
    print(f"start-up: {i.runs} interleaved runs ...", flush=True)
    samples = interleaved(
        {
            "typer": [sys.executable, str(i.mini), "148-QĐ/TW"],
            "citekit": [i.citekit, "lookup", "148-QĐ/TW", "--format", "plain"],
        },
        i.env,
        i.runs,
    )
    ratio = median(samples["citekit"]) / median(samples["typer"])
    report.add("start-up: lookup ÷ minimal Typer app", f"{ratio:.2f}×", "≤ 1.15×", ratio <= 1.15)
    absolute.append(("minimal Typer app", median(samples["typer"])))
    absolute.append(("citekit lookup 148-QĐ/TW (built-in)", median(samples["citekit"])))


def scale(i: Inputs, report: Report, absolute: Absolute) -> None:
    number = str(generate.documents(i.count)[i.count // 2]["number"])
    big = ["--no-builtin", "--catalogue", str(i.catalogue)]
    print("scale: cold loads on an empty cache ...", flush=True)
    colds = []
    for _ in range(3):
        shutil.rmtree(i.work / "cache", ignore_errors=True)
        colds.append(run([i.citekit, "lookup", *big, number, "--format", "plain"], i.env))
    cold = statistics.median(s.seconds for s in colds)
    report.add(f"cold load of {i.count:,} entries", f"{cold:.2f} s", "≤ 10 s", cold <= 10)
    print(f"scale: {i.runs} interleaved warm runs ...", flush=True)
    query = "bảo vệ chính trị nội bộ cấp tỉnh"
    samples = interleaved(
        {
            "builtin": [i.citekit, "lookup", "148-QĐ/TW", "--format", "plain"],
            "exact": [i.citekit, "lookup", *big, number, "--format", "plain"],
            "title": [i.citekit, "search", *big, query, "--format", "plain"],
        },
        i.env,
        i.runs,
    )
    base = median(samples["builtin"])
    exact = median(samples["exact"]) / base
    title = median(samples["title"]) / base
    report.add(f"exact lookup in {i.count:,} ÷ built-in", f"{exact:.2f}×", "≤ 1.5×", exact <= 1.5)
    report.add(f"title search in {i.count:,} ÷ built-in", f"{title:.2f}×", "≤ 1.5×", title <= 1.5)
    runs = [*colds, *samples["exact"], *samples["title"]]
    peak = max(s.max_rss_kb for s in runs) / 1024
    report.add("peak memory, large catalogue", f"{peak:.0f} MB", "≤ 300 MB", peak <= 300)
    absolute.append((f"cold load, {i.count:,} entries", cold))
    absolute.append((f"exact lookup, {i.count:,} entries", median(samples["exact"])))
    absolute.append((f"title search, {i.count:,} entries", median(samples["title"])))


def checking(i: Inputs, report: Report, absolute: Absolute) -> None:
    print(f"check: {i.runs} runs on the large draft ...", flush=True)
    samples = interleaved({"check": [i.citekit, "check", str(i.draft)]}, i.env, i.runs)["check"]
    size = i.draft.stat().st_size / 1_000_000
    speed = size / median(samples)
    figure = f"check of a {size:.0f} MB draft ({i.citations:,} citations)"
    report.add(figure, f"{speed:.1f} MB/s", "≥ 10 MB/s", speed >= 10)
    absolute.append((f"check, {size:.0f} MB draft", median(samples)))
    for name, path in i.pathological.items():
        runs = max(3, i.runs // 3)
        seconds = median(interleaved({"p": [i.citekit, "check", str(path)]}, i.env, runs)["p"])
        report.add(f"check of {name}", f"{seconds:.2f} s", "< 1 s", seconds < 1)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=10, help="timed runs per command (>= 10)")
    parser.add_argument(
        "--quick", action="store_true", help="smaller inputs, for trying the script"
    )
    args = parser.parse_args()
    citekit = shutil.which("citekit", path=str(Path(sys.executable).parent)) or shutil.which(
        "citekit"
    )
    if citekit is None:
        sys.exit("bench: no citekit executable next to this Python; pip install . first")
    count = 10_000 if args.quick else 100_000
    megabytes = 2.0 if args.quick else 20.0

    with tempfile.TemporaryDirectory(prefix="citekit-bench-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "CITEKIT_CACHE_DIR": str(work / "cache"), "NO_COLOR": "1"}
        env.pop("CITEKIT_CATALOGUE", None)
        print(f"machine: {machine()}")
        print(f"citekit: {citekit}")
        print("generating inputs ...", flush=True)
        big = work / "catalogue.yaml"
        generate.write_catalogue(big, count)
        draft = work / "draft.md"
        citations = generate.write_draft(draft, megabytes)
        mini = work / "mini_typer.py"
        mini.write_text(MINIMAL_TYPER_APP, encoding="utf-8")
        pathological = {
            "1 MB of 1-1-1-1…": "1-" * 500_000,
            "1 MB of 'Quy định số ' repeated": "Quy định số " * 80_000,
            "a 1 MB line, no newline": (
                "Quy định số 148-QĐ/TW ngày 23-5-2024 của Bộ Chính trị; " * 20_000
            )[:1_000_000],
            "1 MB of State numbers": "Nghị định số 1/2024/NĐ-CP-CP-CP; " * 30_000,
            "1 MB of '/2024/' and '/A-B'": "1/2024/1/2024/A-B/C-D/" * 45_000,
            "1 MB of short forms": "Quy định 144, (Quy định 69/2022) " * 30_000,
            "1 MB of a list after a kind word": "các Quy định số " + "1-QĐ/TW, " * 110_000,
            "1 MB of markup gaps": "Quy định số 148-QĐ/TW ** _ [^1] ** " * 28_000,
            "1 MB of issuers before": "Ngày 8-7-2024, Ban Bí thư ban hành " * 28_000,
        }
        patho = {}
        for index, (name, text) in enumerate(pathological.items()):
            patho[name] = work / f"patho{index}.md"
            patho[name].write_text(text, encoding="utf-8")

        report = Report()
        absolute: list[tuple[str, float]] = []
        inputs = Inputs(work, citekit, env, args.runs, count, big, draft, citations, mini, patho)
        startup(inputs, report, absolute)
        scale(inputs, report, absolute)
        checking(inputs, report, absolute)

        print()
        report.print()
        print()
        print(f"Absolute medians on {machine()}:")
        for name, seconds in absolute:
            print(f"  {name:<40} {seconds * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
