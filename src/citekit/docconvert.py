"""Word 97-2003 .doc drafts: converted to .docx by LibreOffice, then read as any .docx."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from citekit.errors import InputError

TIMEOUT = 120
"""Seconds LibreOffice may take to convert one file."""
_INSTALL = "install LibreOffice (apt install libreoffice-writer-nogui) or save the file as .docx"


def convert_doc(path: Path, workdir: Path) -> Path:
    """Convert the .doc `path` to a .docx in `workdir` with LibreOffice; the .docx's path.

    LibreOffice runs headless with a profile of its own under `workdir`, so that it
    neither waits for nor disturbs a LibreOffice the user has open. A missing
    `soffice`, a failure or a timeout is an `InputError`.
    """
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise InputError(f"{path}: a .doc file needs LibreOffice to be read: {_INSTALL}")
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    workdir.mkdir(parents=True, exist_ok=True)
    profile = (workdir / ".citekit-libreoffice").resolve().as_uri()
    command = [
        soffice,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--convert-to",
        "docx",
        "--outdir",
        str(workdir),
        str(path),
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise InputError(
            f"{path}: LibreOffice took more than {TIMEOUT} s to convert it; save it as .docx"
        ) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot run LibreOffice ({exc.strerror}): {_INSTALL}") from None
    converted = workdir / (path.stem + ".docx")
    if done.returncode != 0 or not converted.is_file():
        said = [line.strip() for line in (done.stderr + done.stdout).splitlines() if line.strip()]
        errors = [line for line in said if line.startswith("Error")] or said
        why = errors[-1] if errors else f"exit status {done.returncode}"
        raise InputError(f"{path}: LibreOffice could not convert it to .docx ({why})")
    return converted
