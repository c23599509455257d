"""A .docx opened for editing: its paragraphs in the order citekit reads them, new
comments, and the copy written out.

The paragraphs are found with `citekit.wordfiles`' own walk over the same parsed parts,
and checked against the text it reads, so that a finding's unit and its paragraph agree.
The copy keeps every zip member the edit does not touch, content byte for byte, in the
same order, with the same dates and compression.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import secrets
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from citekit.errors import InputError, UsageError
from citekit.fixing import write_atomic
from citekit.word._xml import WORD_NAMESPACES, Tree, parse, serialize
from citekit.wordfiles import (
    _blocks,
    _headers_and_footers,
    _main_part,
    _notes,
    _Package,
    _read_package,
    _text,
    _Vocabulary,
    _vocabulary,
    _within,
    read_word,
)

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from citekit.drafts import Draft
    from citekit.findings import Report
    from citekit.units import Unit

CONTENT_TYPES = "[Content_Types].xml"
_COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
_COMMENTS_REL = {
    WORD_NAMESPACES[
        0
    ]: "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments",
    WORD_NAMESPACES[1]: "http://purl.oclc.org/ooxml/officeDocument/relationships/comments",
}
_ROOT_NAME = re.compile(rb"<(?![?!])([^\s/>]+)")
"""The first tag that is neither a declaration nor a comment: the root's qualified name."""


class _Parts(_Package):
    """wordfiles' package, its XML parts parsed for editing, each once."""

    def __init__(self, archive: zipfile.ZipFile, name: str) -> None:
        super().__init__(archive, name)
        self.trees: dict[str, Tree] = {}

    def xml(self, part: str) -> Element | None:
        tree = self.tree(part)
        return None if tree is None else tree.root

    def tree(self, part: str) -> Tree | None:
        key = part.lower()
        if key not in self.trees:
            data = self.read(part)
            if data is None:
                return None
            self.trees[key] = parse(data, part, self.name)
        return self.trees[key]


class Paragraph:
    """A paragraph of the file: its element, the part holding it, and its unit."""

    __slots__ = ("element", "tree", "unit")

    def __init__(self, element: Element, tree: Tree, unit: Unit) -> None:
        self.element = element
        self.tree = tree
        self.unit = unit

    def touch(self) -> None:
        """Mark the paragraph changed, so that writing the file rewrites it."""
        self.tree.changed.add(self.element)


def _walk(container: Element, vocabulary: _Vocabulary) -> Iterator[Element]:
    """The paragraphs of a body, cell, header or note, in wordfiles' reading order."""
    for block in _blocks(container, vocabulary):
        if block.tag == vocabulary.p:
            yield block
            continue
        for row in _within(block, vocabulary.tr, vocabulary.wrappers):
            for cell in _within(row, vocabulary.tc, vocabulary.wrappers):
                yield from _walk(cell, vocabulary)


class WordFile:
    """A .docx opened for editing. `paragraphs[i]` is the draft's unit `i`."""

    def __init__(self, archive: zipfile.ZipFile, name: str) -> None:
        self.archive = archive
        self.name = name
        self.package = package = _Parts(archive, name)
        self.draft: Draft = _read_package(package)
        self.main = _main_part(package)
        main = package.tree(self.main)
        assert main is not None  # _read_package raised otherwise
        root = main.root
        self.ns = ns = root.tag[1 : root.tag.find("}")]
        self.vocabulary = vocabulary = _vocabulary(ns)
        self.rels = rels = package.relationships(self.main)
        found: list[tuple[Element, Tree]] = []
        body = root.find(f"{{{ns}}}body")
        assert body is not None
        found.extend((p, main) for p in _walk(body, vocabulary))
        for _, part in _headers_and_footers(root, ns, rels):
            tree = package.tree(part)
            if tree is not None:
                found.extend((p, tree) for p in _walk(tree.root, vocabulary))
        for kind in ("footnote", "endnote"):
            notes = next((target for k, target in rels.values() if k == kind + "s"), None)
            tree = package.tree(notes) if notes else None
            for _, note in _notes(package, root, ns, rels, kind) if tree else ():
                found.extend((p, tree) for p in _walk(note, vocabulary) if tree)
        units = self.draft.units
        if len(found) != len(units) or any(
            _text(p, vocabulary) != u.raw for (p, _), u in zip(found, units, strict=False)
        ):
            raise RuntimeError(f"{name}: paragraphs found out of step with citekit.wordfiles")
        self.paragraphs = [Paragraph(p, t, u) for (p, t), u in zip(found, units, strict=True)]
        self.by_location = {u.location: i for i, u in enumerate(units) if u.location}
        self.comments: list[Element] = []
        self.commented: set[str] = set()
        """The parts holding a new comment's reference."""
        self._next_id: int | None = None

    def w(self, local: str) -> str:
        """The tag or attribute `local` in the document's WordprocessingML namespace."""
        return f"{{{self.ns}}}{local}"

    def check_report(self, report: Report) -> None:
        """Refuse a report made from other text than the file holds now."""
        theirs = [unit.raw for unit in report.draft.units]
        if theirs != [unit.raw for unit in self.draft.units]:
            raise InputError(f"{self.name}: the file changed since it was checked; check it again")

    def new_id(self) -> int:
        """An annotation id (comment, insertion, deletion) no element of the file uses."""
        if self._next_id is None:
            comments = self._comments_part()
            if comments is not None:
                self.package.tree(comments)
            key = self.w("id")
            highest = 0
            for tree in self.package.trees.values():
                for element in tree.root.iter():
                    value = element.get(key, "")
                    if value.lstrip("-").isdigit():
                        highest = max(highest, int(value))
            self._next_id = highest + 1
        self._next_id += 1
        return self._next_id - 1

    def _comments_part(self) -> str | None:
        return next((target for kind, target in self.rels.values() if kind == "comments"), None)

    def _add_comments(self, replaced: dict[str, bytes], added: dict[str, bytes]) -> None:
        if not self.comments:
            return
        kind = _COMMENTS_REL.get(self.ns, _COMMENTS_REL[WORD_NAMESPACES[0]])
        part = self._comments_part()
        tree = self.package.tree(part) if part else None
        if part is not None and tree is not None:
            scope = tree.root_scope()
            fragment = "".join(serialize(c, scope) for c in self.comments)
            replaced[part.lower()] = _append(tree.data, lambda _: fragment)
        else:
            part = self._free_name("word/comments.xml")
            scope = {"w": self.ns}
            items = "".join(serialize(c, scope) for c in self.comments)
            added[part] = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
                f'<w:comments xmlns:w="{self.ns}">{items}</w:comments>'
            ).encode()
            self._relate(self.main, part, kind, replaced)
            types = self.package.read(CONTENT_TYPES)
            if types is None:
                raise InputError(f"{self.name}: corrupt Word file: it has no {CONTENT_TYPES}")
            override = f'Override PartName="/{part}" ContentType="{_COMMENTS_TYPE}"/>'
            replaced[CONTENT_TYPES.lower()] = _append(types, lambda prefix: f"<{prefix}{override}")
        # Word finds comments through the main part; LibreOffice, in a footnote or an
        # endnote, through the notes part, and fails to open the file without.
        for source in sorted(self.commented - {self.main}):
            if not any(k == "comments" for k, _ in self.package.relationships(source).values()):
                self._relate(source, part, kind, replaced)

    def _free_name(self, part: str) -> str:
        stem, extension = posixpath.splitext(part)
        number = 1
        while part.lower() in self.package.members:
            number += 1
            part = f"{stem}{number}{extension}"
        return part

    def _relate(self, source: str, part: str, kind: str, replaced: dict[str, bytes]) -> None:
        """Add a relationship of type `kind` from the part `source` to the part `part`."""
        folder, base = posixpath.split(source)
        rels_part = posixpath.join(folder, "_rels", base + ".rels")
        tree = self.package.tree(rels_part)
        taken = {e.get("Id") for e in tree.root.iter()} if tree is not None else set()
        number = len(taken) + 1
        while f"rId{number}" in taken:
            number += 1
        target = posixpath.relpath(part, folder or ".")
        item = f'Relationship Id="rId{number}" Type="{kind}" Target="{target}"/>'
        if tree is None:  # a new part, named as written
            replaced[rels_part] = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Relationships xmlns='
                f'"http://schemas.openxmlformats.org/package/2006/relationships"><{item}'
                "</Relationships>"
            ).encode()
        else:
            replaced[rels_part.lower()] = _append(tree.data, lambda prefix: f"<{prefix}{item}")

    def write(self, out: Path) -> None:
        """Write the edited copy to `out`: changed parts rewritten, the rest copied."""
        replaced: dict[str, bytes] = {}
        added: dict[str, bytes] = {}
        for key, tree in self.package.trees.items():
            if tree.changed:
                replaced[key] = tree.write()
        self._add_comments(replaced, added)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as target:
            for info in self.archive.infolist():
                key = info.filename.lower()
                data = replaced.pop(key, None)
                if data is None:
                    data = self.archive.read(info)
                target.writestr(_copy(info), data)
            for name, data in [*replaced.items(), *added.items()]:  # the new parts
                target.writestr(
                    zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED
                )
        _write_new(out, buffer.getvalue())


def _copy(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """A fresh ZipInfo with `info`'s name, date, compression and attributes."""
    copy = zipfile.ZipInfo(info.filename, info.date_time)
    copy.compress_type = info.compress_type
    copy.comment = info.comment
    copy.extra = info.extra
    copy.create_system = info.create_system
    copy.external_attr = info.external_attr
    copy.internal_attr = info.internal_attr
    return copy


def _append(data: bytes, fragment: Callable[[str], str]) -> bytes:
    """`data` (a part's XML) with `fragment(prefix)` as the root's last children.

    `prefix` is the root's own ("w:", or "" for the default namespace), for new
    children in its namespace.
    """
    match = _ROOT_NAME.search(data)
    if match is None:
        raise InputError("corrupt Word file: a part has no root element")
    qualified = match.group(1)
    prefix = qualified.decode().rpartition(":")[0]
    text = fragment(prefix + ":" if prefix else "").encode()
    stripped = data.rstrip()
    closing = b"</" + qualified + b">"
    if stripped.endswith(closing):
        cut = len(stripped) - len(closing)
        return data[:cut] + text + data[cut:]
    if stripped.endswith(b"/>"):  # an empty root: <w:comments .../>
        cut = len(stripped) - 2
        return data[:cut] + b">" + text + closing + data[len(stripped) :]
    raise InputError("corrupt Word file: a part does not end with its root's end tag")


def _write_new(out: Path, data: bytes) -> None:
    """Write `data` to `out`, atomically: over an existing file, or as a new one."""
    if out.exists():
        write_atomic(out, data)
        return
    temp = out.parent / f".{out.name}.{secrets.token_hex(6)}.citekit-tmp"
    try:
        temp.write_bytes(data)
        os.replace(temp, out)
    except BaseException as exc:
        with suppress(OSError):
            temp.unlink()
        if isinstance(exc, OSError):
            raise InputError(f"{out}: cannot write: {exc.strerror}") from None
        raise


def word_date(when: datetime) -> str:
    """`when` as Word writes a revision's or a comment's w:date (UTC if `when` is aware)."""
    if when.tzinfo is not None:
        when = when.astimezone(timezone.utc)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


@contextmanager
def open_word(source: Path, out: Path) -> Iterator[WordFile]:
    """`source` opened for editing into `out` (never `source` itself).

    The file is read by `citekit.wordfiles` first, so that a .doc, an encrypted or a
    corrupt file gets its usual one-line error.
    """
    read_word(source)
    with suppress(OSError):
        if out.exists() and out.samefile(source):
            raise UsageError(f"{out}: would overwrite the original; write the copy elsewhere")
    name = str(source)
    with zipfile.ZipFile(source) as archive:
        try:
            yield WordFile(archive, name)
        except InputError as exc:  # a message from deep in a part: say which file
            if str(exc).startswith((f"{name}:", f"{out}:")):  # already names a file
                raise
            raise InputError(f"{name}: {exc}") from None
