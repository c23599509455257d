"""Make docs/annotate.png: the annotated test draft, as LibreOffice Writer shows it.

    python docs/annotate_png.py

Annotates tests/data/word/libreoffice.docx with the installed `citekit`, opens the copy
in LibreOffice Writer on a virtual screen (Xvfb), and saves a screenshot of the page and
its comments in the margin. Headless LibreOffice 7.4 exports comments to PDF only as
markers (it has no "comments in margin" export), so the picture is taken of Writer's own
window. Needs, besides citekit: Debian's `xvfb`, `xdotool`, `x11-apps` (xwd), `netpbm`
and the full `libreoffice-writer` (the `-nogui` one has no window to show).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DRAFT = HERE.parent / "tests" / "data" / "word" / "libreoffice.docx"
OUT = HERE / "annotate.png"
WINDOW = (1400, 1000)
CROP = ("-left", "150", "-top", "115", "-width", "1040", "-height", "520")
"""The page's text and the comment margin, in a window of `WINDOW` at 100% zoom."""

NO_SPELLING = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Linguistic/SpellChecking">
<prop oor:name="IsSpellAuto" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc">
<prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""
"""A fresh LibreOffice profile with the red spelling underlines off (no Vietnamese
dictionary is installed, so every word would be underlined)."""


def need(*tools: str) -> None:
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        sys.exit(f"annotate_png: missing {', '.join(missing)}; see this script's docstring")


def main() -> None:
    need("citekit", "soffice", "Xvfb", "xdotool", "xwd", "xwdtopnm", "pnmcut", "pnmtopng")
    with tempfile.TemporaryDirectory(prefix="citekit-png-") as tmp:
        work = Path(tmp)
        annotated = work / "draft.citekit.docx"
        done = subprocess.run(
            ["citekit", "check", str(DRAFT), "--annotate", str(annotated)], check=False
        )
        if done.returncode not in (0, 1) or not annotated.exists():
            sys.exit("annotate_png: citekit --annotate failed")
        profile = work / "profile" / "user"
        profile.mkdir(parents=True)
        (profile / "registrymodifications.xcu").write_text(NO_SPELLING, encoding="utf-8")

        read, write = os.pipe()
        xvfb = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{WINDOW[0]}x{WINDOW[1]}x24"],
            pass_fds=(write,),
            stderr=subprocess.DEVNULL,
        )
        os.close(write)
        with os.fdopen(read) as pipe:
            env = {**os.environ, "DISPLAY": ":" + pipe.readline().strip()}
        writer = subprocess.Popen(
            [
                "soffice",
                f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--norestore",
                "--nologo",
                str(annotated),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            found = subprocess.run(
                ["xdotool", "search", "--sync", "--name", annotated.name],
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=True,
            )
            window = found.stdout.split()[0]
            size = [str(n) for n in WINDOW]
            subprocess.run(
                ["xdotool", "windowmove", window, "0", "0", "windowsize", window, *size],
                env=env,
                check=True,
            )
            time.sleep(8)  # Writer lays the page and the comments out again at the new size
            shot = work / "shot.xwd"
            subprocess.run(["xwd", "-root", "-out", str(shot)], env=env, check=True)
            pnm = subprocess.run(["xwdtopnm", str(shot)], capture_output=True, check=True).stdout
            cut = subprocess.run(
                ["pnmcut", *CROP], input=pnm, capture_output=True, check=True
            ).stdout
            png = subprocess.run(["pnmtopng"], input=cut, capture_output=True, check=True)
            OUT.write_bytes(png.stdout)
        finally:
            writer.kill()
            xvfb.kill()
            writer.wait()
            xvfb.wait()
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
