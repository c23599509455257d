"""Where citekit keeps what it can rebuild: the catalogue cache and compiled patterns.

$CITEKIT_CACHE_DIR, else the platform's user cache directory; CITEKIT_NO_CACHE=1 turns
every cache off. Everything in it is rebuilt when missing, and deleting it is always
safe. It must be as trusted as the catalogues: what it holds is used as read (after
checksums and shape checks that catch damage, not an attacker who may write there).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def directory() -> Path:
    """Where caches live: $CITEKIT_CACHE_DIR, else the platform's user cache dir."""
    configured = os.environ.get("CITEKIT_CACHE_DIR")
    if configured:
        return Path(configured)
    if sys.platform.startswith("linux"):  # the XDG rule, without importing platformdirs
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(base) / "citekit"
    import platformdirs

    return Path(platformdirs.user_cache_dir("citekit", appauthor=False))


def enabled() -> bool:
    """Whether caches are used (CITEKIT_NO_CACHE unset, empty or 0)."""
    return os.environ.get("CITEKIT_NO_CACHE", "") in ("", "0")
