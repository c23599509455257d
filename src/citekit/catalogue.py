"""The catalogue: documents from the built-in file and the user's, indexed for lookup."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from citekit.errors import CatalogueError
from citekit.folding import fold_words
from citekit.model import Document

ENV_VAR = "CITEKIT_CATALOGUE"


def builtin_path() -> Path:
    """The shipped catalogue: inside the installed package, or data/ in a checkout."""
    installed = Path(__file__).parent / "data" / "documents.yaml"
    if installed.is_file():
        return installed
    return Path(__file__).resolve().parents[2] / "data" / "documents.yaml"


def env_paths(value: str | None = None) -> list[Path]:
    """Catalogue paths named by CITEKIT_CATALOGUE (separated by os.pathsep)."""
    raw = os.environ.get(ENV_VAR, "") if value is None else value
    return [Path(part) for part in raw.split(os.pathsep) if part.strip()]


@dataclass(frozen=True, slots=True, kw_only=True)
class Sources:
    """Which catalogue files to read: the built-in one and the user's, in order."""

    paths: tuple[Path, ...] = ()
    builtin: bool = True
    use_env: bool = True

    def resolve(self) -> list[Path]:
        chosen = [builtin_path()] if self.builtin else []
        chosen += env_paths() if self.use_env else []
        chosen += self.paths
        return chosen


class Catalogue:
    """An immutable set of documents with indexes by number and by serial."""

    __slots__ = ("_by_number", "_by_serial", "_titles", "documents")

    def __init__(self, documents: Iterable[Document]) -> None:
        self.documents: tuple[Document, ...] = tuple(documents)
        self._by_number: dict[str, list[Document]] = {}
        self._by_serial: dict[int, list[Document]] = {}
        self._titles: list[str] | None = None
        for document in self.documents:
            self._by_number.setdefault(document.number, []).append(document)
            self._by_serial.setdefault(document.serial, []).append(document)

    def __len__(self) -> int:
        return len(self.documents)

    def __iter__(self) -> Iterator[Document]:
        return iter(self.documents)

    def by_number(self, number: str) -> list[Document]:
        """Documents with exactly this canonical number (several across terms)."""
        return list(self._by_number.get(number, ()))

    def by_serial(self, serial: int) -> list[Document]:
        """Documents whose serial is `serial`, whatever their code and issuer."""
        return list(self._by_serial.get(serial, ()))

    def title_index(self) -> list[str]:
        """Folded titles, one per document in order, prepared once for fuzzy search."""
        if self._titles is None:
            self._titles = [fold_words(d.title or "") for d in self.documents]
        return self._titles

    def numbers(self) -> list[str]:
        """Every distinct number, in catalogue order."""
        return list(self._by_number)


def load_catalogue(paths: Sequence[Path]) -> Catalogue:
    """Load the given catalogue files into one catalogue; duplicates across files fail."""
    from citekit.loading import duplicates, load_file

    if not paths:
        raise CatalogueError.plain("no catalogue: --no-builtin needs --catalogue or $" + ENV_VAR)
    documents: list[Document] = []
    for path in paths:
        documents.extend(load_file(path))
    problems = duplicates(documents)
    if problems:
        raise CatalogueError(problems)
    return Catalogue(documents)
