"""Benchmark citekit against its targets; every figure is measured in this one run.

    python bench/run.py [--runs 10] [--quick]

It generates its inputs in a temporary directory (a 100,000-entry catalogue, a catalogue
ten times the built-in one's size, a 20 MB draft and its copies with 1% and with all of
its lines in NFD, a 100 MB draft, pathological 1 MB drafts, and a git repository of 2,000
drafts, about 40 MB, whose last commit edits 10 of them), then runs each command as a
subprocess, the commands of one comparison interleaved, and reports medians and their
ratios, peak memory (max RSS, each command measured by a launcher of its own) and
absolute medians. The peers codespell and typos (`pip install codespell typos`) are run
on the same files, side by side; a peer
that is not installed is skipped with a note. `--quick` shrinks the inputs to try the
script. Run it with the citekit under test installed (not editable) in the current
Python's venv.
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
from dataclasses import dataclass, field
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

# Exit codes that mean "ran to the end": citekit 1 = problems found, codespell 65 =
# misspellings found, typos 2 = typos found.
CITEKIT_OK = (0, 1)
PEER_OK = {"codespell": (0, 65), "typos": (0, 2)}


@dataclass
class Sample:
    seconds: float
    code: int
    stderr: str = ""


@dataclass
class Cmd:
    argv: list[str]
    ok: tuple[int, ...] = CITEKIT_OK
    cwd: Path | None = None


WARNINGS: list[str] = []


def run(cmd: Cmd, env: dict[str, str]) -> Sample:
    """Run a command, its output discarded; its wall time (its memory: `peak_kb`).

    stderr goes to a file, not a pipe, so a chatty child cannot block on a full pipe
    while we wait for it; its tail is kept when the exit code is not an expected one.
    """
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(
            cmd.argv, env=env, cwd=cmd.cwd, stdout=subprocess.DEVNULL, stderr=err
        )
        _, status, _ = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = code = os.waitstatus_to_exitcode(status)
        tail = ""
        if code not in cmd.ok:
            err.seek(0)
            tail = err.read()[-600:].decode("utf-8", "replace")
    return Sample(seconds, code, tail)


# Linux keeps a process's peak memory across exec, and a child starts as a copy of its
# parent: a child of this script would report at least this script's own memory (which
# holds the generated inputs). Peaks are therefore measured by a small launcher that
# starts the command itself and reports the command's own peak.
_LAUNCHER = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[2:], cwd=sys.argv[1] or None,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


def peak_kb(cmd: Cmd, env: dict[str, str]) -> int:
    """The command's peak memory (max RSS, KB), measured apart from this script's."""
    argv = [sys.executable, "-c", _LAUNCHER, str(cmd.cwd or ""), *cmd.argv]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
    code, kilobytes = done.stdout.split()
    if int(code) not in cmd.ok:
        WARNINGS.append(f"peak memory: exit {code}: {' '.join(cmd.argv)}")
    return int(kilobytes)


def interleaved(
    commands: dict[str, Cmd], env: dict[str, str], runs: int, warmup: bool = True
) -> dict[str, list[Sample]]:
    """Each command `runs` times, taking turns, after one untimed warm-up run each."""
    if warmup:
        for cmd in commands.values():
            run(cmd, env)
    samples: dict[str, list[Sample]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            samples[name].append(run(cmd, env))
    for name, cmd in commands.items():
        bad = [s for s in samples[name] if s.code not in cmd.ok]
        if bad:
            note = (
                f"{name}: {len(bad)} of {len(samples[name])} runs exited {bad[0].code}: "
                f"{' '.join(cmd.argv)}\n    {bad[0].stderr.strip()}"
            )
            WARNINGS.append(note)
            print(f"warning: {note}", flush=True)
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

    def add(self, figure: str, measured: str, target: str, ok: bool | None) -> None:
        """A row; `ok` None is a figure reported for information, with no verdict."""
        verdict = "info" if ok is None else "met" if ok else "MISSED"
        self.rows.append((figure, measured, target, verdict))

    def skip(self, figure: str, why: str, target: str) -> None:
        self.rows.append((figure, why, target, "skipped"))

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
    peers: dict[str, str]  # name -> executable, the installed ones only
    count: int
    catalogue: Path
    grown: Path  # ten times the built-in catalogue, to go beside it
    grown_count: int
    builtin_count: int
    drafts: dict[str, Path]  # the 20 MB draft and its NFD copies
    citations: int
    huge: Path
    mini: Path
    pathological: dict[str, Path]
    repo: Path
    repo_files: int
    repo_bytes: int
    changed: int
    absolute: list[tuple[str, float]] = field(default_factory=list)

    def ck(self, *args: str, cwd: Path | None = None) -> Cmd:
        return Cmd([self.citekit, *args], CITEKIT_OK, cwd)

    def peer(self, name: str, *args: str, cwd: Path | None = None) -> Cmd:
        return Cmd([self.peers[name], *args], PEER_OK[name], cwd)


def mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def missing_peers(i: Inputs, report: Report, figure: str, target: str) -> None:
    for name in PEER_OK:
        if name not in i.peers:
            report.skip(f"{figure} ÷ {name}", f"{name} not installed", target)


# 3. Start-up, with the grown catalogue beside the built-in one.
def startup(i: Inputs, report: Report) -> None:
    print(f"start-up: {i.runs} interleaved runs ...", flush=True)
    lookup = ["lookup", "148-QĐ/TW", "--format", "plain"]
    samples = interleaved(
        {
            "typer": Cmd([sys.executable, str(i.mini), "148-QĐ/TW"], (0,)),
            "lookup": i.ck(*lookup),
            "grown": i.ck(*lookup, "--catalogue", str(i.grown)),
        },
        i.env,
        i.runs,
    )
    typer, plain, grown = (median(samples[k]) for k in ("typer", "lookup", "grown"))
    ratio = plain / typer
    report.add("start-up: lookup ÷ minimal Typer app", f"{ratio:.2f}×", "≤ 1.10×", ratio <= 1.10)
    moved = grown / plain
    figure = f"start-up: lookup + {i.grown_count:,}-entry catalogue ÷ lookup"
    report.add(figure, f"{moved:.2f}×", "≤ 1.05× (not moved)", moved <= 1.05)
    ratio = grown / typer
    figure = f"start-up: lookup + {i.grown_count:,}-entry catalogue ÷ Typer app"
    report.add(figure, f"{ratio:.2f}×", "≤ 1.10×", ratio <= 1.10)
    i.absolute.append(("minimal Typer app", typer))
    i.absolute.append((f"lookup 148-QĐ/TW (built-in, {i.builtin_count} entries)", plain))
    i.absolute.append((f"lookup 148-QĐ/TW + {i.grown_count:,} entries", grown))


# 5. Cold load of the large catalogue, and lookups in it.
def scale(i: Inputs, report: Report) -> None:
    number = str(generate.documents(i.count)[i.count // 2]["number"])
    big = ["--no-builtin", "--catalogue", str(i.catalogue)]
    print("scale: cold loads on an empty cache ...", flush=True)
    colds = []
    for _ in range(3):
        shutil.rmtree(i.work / "cache", ignore_errors=True)
        colds.append(run(i.ck("lookup", *big, number, "--format", "plain"), i.env))
    bad = [s for s in colds if s.code not in CITEKIT_OK]  # 1: the number is ambiguous
    if bad:
        WARNINGS.append(f"cold load: exit {bad[0].code}: {bad[0].stderr.strip()}")
    cold = statistics.median(s.seconds for s in colds)
    report.add(f"cold load of {i.count:,} entries", f"{cold:.2f} s", "≤ 5 s", cold <= 5)
    print(f"scale: {i.runs} interleaved warm runs ...", flush=True)
    query = "bảo vệ chính trị nội bộ cấp tỉnh"
    samples = interleaved(
        {
            "builtin": i.ck("lookup", "148-QĐ/TW", "--format", "plain"),
            "exact": i.ck("lookup", *big, number, "--format", "plain"),
            "title": i.ck("search", *big, query, "--format", "plain"),
        },
        i.env,
        i.runs,
    )
    base = median(samples["builtin"])
    exact = median(samples["exact"]) / base
    title = median(samples["title"]) / base
    report.add(f"exact lookup in {i.count:,} ÷ built-in", f"{exact:.2f}×", "≤ 1.5×", exact <= 1.5)
    report.add(f"title search in {i.count:,} ÷ built-in", f"{title:.2f}×", "≤ 1.5×", title <= 1.5)
    shutil.rmtree(i.work / "cache", ignore_errors=True)  # a cold load, then warm ones
    peaks = [peak_kb(i.ck("lookup", *big, number, "--format", "plain"), i.env)]
    peaks += [peak_kb(i.ck("search", *big, query, "--format", "plain"), i.env)]
    peak = max(peaks) / 1024
    report.add("peak memory, large catalogue", f"{peak:.0f} MB", "≤ 300 MB", peak <= 300)
    i.absolute.append((f"cold load, {i.count:,} entries", cold))
    i.absolute.append((f"exact lookup, {i.count:,} entries", median(samples["exact"])))
    i.absolute.append((f"title search, {i.count:,} entries", median(samples["title"])))


# 1. Check throughput on the large draft, in NFC, 1% NFD and all NFD, beside the peers.
def checking(i: Inputs, report: Report) -> None:
    commands: dict[str, Cmd] = {}
    for variant, path in i.drafts.items():
        commands[f"citekit {variant}"] = i.ck("check", str(path))
        for name in i.peers:
            commands[f"{name} {variant}"] = i.peer(name, str(path))
    print(f"check: {i.runs} interleaved runs on the large drafts ...", flush=True)
    samples = interleaved(commands, i.env, i.runs)
    for variant, path in i.drafts.items():
        size = path.stat().st_size
        own = median(samples[f"citekit {variant}"])
        speed = size / 1_000_000 / own
        figure = f"check of the {variant} ({mb(size)}, {i.citations:,} citations)"
        report.add(figure, f"{speed:.1f} MB/s", "≥ 20 MB/s", speed >= 20)
        i.absolute.append((f"check, {variant}", own))
        if "codespell" in i.peers:
            ratio = own / median(samples[f"codespell {variant}"])
            figure = f"check ÷ codespell, {variant}"
            report.add(figure, f"{ratio:.2f}×", "≤ 1.0×", ratio <= 1.0)
        if "typos" in i.peers:
            ratio = own / median(samples[f"typos {variant}"])
            report.add(f"check ÷ typos, {variant}", f"{ratio:.2f}×", "floor (compiled)", None)
        for name in i.peers:
            i.absolute.append((f"{name}, {variant}", median(samples[f"{name} {variant}"])))
    missing_peers(i, report, "check", "side by side")
    for name, path in i.pathological.items():
        runs = max(3, i.runs // 3)
        seconds = median(interleaved({"p": i.ck("check", str(path))}, i.env, runs)["p"])
        report.add(f"check of {name}", f"{seconds:.2f} s", "< 1 s", seconds < 1)


# 2 and 6. A repository of drafts: check ., --changed-only, harvest, beside the peers.
def repository(i: Inputs, report: Report) -> None:
    repo = i.repo
    harvested = i.work / "harvested.yaml"
    commands = {
        "check": i.ck("check", ".", cwd=repo),
        **{name: i.peer(name, ".", cwd=repo) for name in i.peers},
        "harvest": i.ck("catalogue", "harvest", ".", "-o", str(harvested), cwd=repo),
        "changed": i.ck("check", "--changed-only", "--base", "HEAD~1", ".", cwd=repo),
        "lookup": i.ck("lookup", "148-QĐ/TW", "--format", "plain", cwd=repo),
    }
    print(f"repository: {i.runs} interleaved runs on {i.repo_files:,} drafts ...", flush=True)
    samples = interleaved(commands, i.env, i.runs)
    check = median(samples["check"])
    tree = f"{i.repo_files:,} drafts, {mb(i.repo_bytes)}"
    speed = i.repo_bytes / 1_000_000 / check
    report.add(f"check . ({tree})", f"{speed:.1f} MB/s", "(throughput)", None)
    if "codespell" in i.peers:
        ratio = check / median(samples["codespell"])
        report.add("check . ÷ codespell .", f"{ratio:.2f}×", "≤ 1.0×", ratio <= 1.0)
    if "typos" in i.peers:
        ratio = check / median(samples["typos"])
        report.add("check . ÷ typos .", f"{ratio:.2f}×", "floor (compiled)", None)
    missing_peers(i, report, "check .", "side by side")
    changed = median(samples["changed"])
    ratio = changed / median(samples["lookup"])
    figure = f"check --changed-only ({i.changed} drafts changed) ÷ lookup"
    report.add(figure, f"{ratio:.2f}×", "≤ 1.2×", ratio <= 1.2)
    harvest = median(samples["harvest"])
    ratio = check / harvest  # harvest's throughput ÷ check's
    figure = f"harvest throughput ÷ check's ({i.repo_bytes / 1e6 / harvest:.1f} MB/s)"
    report.add(figure, f"{ratio:.2f}×", "≥ 0.5×", ratio >= 0.5)
    for name in ("check", *i.peers, "changed", "harvest", "lookup"):
        label = {
            "check": "check .",
            "changed": "check --changed-only",
            "harvest": "catalogue harvest .",
            "lookup": "lookup (in the repository)",
        }.get(name, f"{name} .")
        i.absolute.append((f"{label}, {tree}", median(samples[name])))


# 4. Peak memory checking the 100 MB draft, in every output format.
def memory(i: Inputs, report: Report) -> None:
    size = i.huge.stat().st_size
    runs = max(1, min(3, i.runs))
    commands = {fmt: i.ck("check", "--format", fmt, str(i.huge)) for fmt in FORMATS}
    print(f"memory: {runs} interleaved runs per format on {mb(size)} ...", flush=True)
    samples = interleaved(commands, i.env, runs, warmup=False)
    for fmt in FORMATS:
        peak = max(peak_kb(commands[fmt], i.env) for _ in range(runs)) * 1024
        ratio = peak / size
        figure = f"peak memory, check {mb(size)} --format {fmt}"
        report.add(figure, f"{peak / 1e6:.0f} MB = {ratio:.2f}×", "< 2.5× the file", ratio < 2.5)
        i.absolute.append((f"check {mb(size)} --format {fmt}", median(samples[fmt])))


FORMATS = ("plain", "json", "github")


def find(name: str) -> str | None:
    return shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)


PATHOLOGICAL = {
    "1 MB of 1-1-1-1…": "1-" * 500_000,
    "1 MB of 'Quy định số ' repeated": "Quy định số " * 80_000,
    "a 1 MB line, no newline": ("Quy định số 148-QĐ/TW ngày 23-5-2024 của Bộ Chính trị; " * 20_000)[
        :1_000_000
    ],
    "1 MB of State numbers": "Nghị định số 1/2024/NĐ-CP-CP-CP; " * 30_000,
    "1 MB of '/2024/' and '/A-B'": "1/2024/1/2024/A-B/C-D/" * 45_000,
    "1 MB of short forms": "Quy định 144, (Quy định 69/2022) " * 30_000,
    "1 MB of a list after a kind word": "các Quy định số " + "1-QĐ/TW, " * 110_000,
    "1 MB of markup gaps": "Quy định số 148-QĐ/TW ** _ [^1] ** " * 28_000,
    "1 MB of issuers before": "Ngày 8-7-2024, Ban Bí thư ban hành " * 28_000,
}


def prepare(work: Path, citekit: str, peers: dict[str, str], args: argparse.Namespace) -> Inputs:
    """Generate every input in `work`."""
    from citekit.catalogue import builtin_path
    from citekit.loading import load_file

    count = 10_000 if args.quick else 100_000
    megabytes = 2.0 if args.quick else 20.0
    huge_copies = 5  # the 100 MB draft is the 20 MB one five times over
    repo_files = 200 if args.quick else 2_000
    repo_draft_mb = 0.02  # 2,000 x 20 KB = 40 MB
    env = {**os.environ, "CITEKIT_CACHE_DIR": str(work / "cache"), "NO_COLOR": "1"}
    env.pop("CITEKIT_CATALOGUE", None)

    big = work / "catalogue.yaml"
    generate.write_catalogue(big, count)
    builtin_count = len(load_file(builtin_path()))
    grown = work / "grown.yaml"
    # Ten times the built-in catalogue; serials from 1,000 on keep its numbers apart.
    generate.write_catalogue(grown, 10 * builtin_count, seed=23, first=1_000)
    draft = work / "draft.md"
    citations = generate.write_draft(draft, megabytes)
    size = f"{megabytes:.0f} MB draft"
    drafts = {size: draft}
    for label, fraction in ((f"{size}, 1% of lines NFD", 0.01), (f"{size}, all NFD", 1.0)):
        drafts[label] = work / f"draft-nfd-{fraction}.md"
        generate.write_nfd(draft, drafts[label], fraction)
    huge = work / "huge.md"
    with huge.open("wb") as out:
        data = draft.read_bytes()
        for _ in range(huge_copies):
            out.write(data)
    mini = work / "mini_typer.py"
    mini.write_text(MINIMAL_TYPER_APP, encoding="utf-8")
    patho = {}
    for index, (name, text) in enumerate(PATHOLOGICAL.items()):
        patho[name] = work / f"patho{index}.md"
        patho[name].write_text(text, encoding="utf-8")
    repo = work / "repo"
    repo_bytes, _, touched = generate.write_repository(repo, repo_files, repo_draft_mb)
    return Inputs(
        work=work,
        citekit=citekit,
        env=env,
        runs=args.runs,
        peers=peers,
        count=count,
        catalogue=big,
        grown=grown,
        grown_count=10 * builtin_count,
        builtin_count=builtin_count,
        drafts=drafts,
        citations=citations,
        huge=huge,
        mini=mini,
        pathological=patho,
        repo=repo,
        repo_files=repo_files,
        repo_bytes=repo_bytes,
        changed=len(touched),
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=10, help="timed runs per command (>= 10)")
    parser.add_argument(
        "--quick", action="store_true", help="smaller inputs, for trying the script"
    )
    args = parser.parse_args()
    citekit = find("citekit")
    if citekit is None:
        sys.exit("bench: no citekit executable next to this Python; pip install . first")
    print(f"machine: {machine()}")
    print(f"citekit: {citekit}")
    peers = {}
    for name in PEER_OK:
        path = find(name)
        if path is None:
            print(f"note: {name} is not installed (pip install {name}); its rows are skipped")
            continue
        peers[name] = path
        version = subprocess.run([path, "--version"], check=False, capture_output=True, text=True)
        print(f"{name}: {path} ({version.stdout.strip() or version.stderr.strip()})")

    with tempfile.TemporaryDirectory(prefix="citekit-bench-") as tmp:
        print("generating inputs ...", flush=True)
        inputs = prepare(Path(tmp), citekit, peers, args)
        report = Report()
        startup(inputs, report)
        scale(inputs, report)
        checking(inputs, report)
        repository(inputs, report)
        memory(inputs, report)

        print()
        report.print()
        print()
        print(f"Absolute medians on {machine()}:")
        for name, seconds in inputs.absolute:
            print(f"  {name:<58} {seconds * 1000:8.0f} ms")
        if WARNINGS:
            print()
            print("Runs that did not exit as expected (their figures are suspect):")
            for note in WARNINGS:
                print(f"  {note}")


if __name__ == "__main__":
    main()
