"""Read Word (.docx) drafts: the text of every paragraph, and where the paragraph stands.

A .docx is a zip of XML parts. They are read with the standard library (zipfile and
ElementTree), not python-docx: python-docx reads neither footnotes nor endnotes, skips
paragraphs inside content controls, and took 1.8 s where this reader takes 0.7 s on a
document of 25,000 paragraphs (10 MB of XML).

Every paragraph becomes a `Unit` of the `Draft`, in this order: the body (its tables
where they stand, nested tables inside their cells), then headers, footers, footnotes
and endnotes. Its text joins the w:t of all its runs, so a number Word split across
runs ("148-" bold, "QĐ/TW" italic) reads whole; a tab reads as "\\t", a line break as
"\\n", a non-breaking hyphen as "-", and a soft hyphen as nothing. Deleted text
(tracked changes), field codes and text boxes are not read. Each paragraph is one line
of the draft, numbered through the whole file, for suppression comments.

The reader distrusts its input: a part whose uncompressed size passes `MAX_BYTES` (a
zip bomb), parts holding more than `MAX_TAGS` tags or a file of more than
`MAX_PARAGRAPHS` paragraphs (a bomb of empty elements), and XML with a DOCTYPE or entity
declarations are refused, as are the old binary .doc format and password-protected
files; so is anything zipfile or expat cannot decode (a corrupt member, an encoding
expat does not know). Each is a one-line `InputError`.
"""

from __future__ import annotations

import errno
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import IO, TYPE_CHECKING
from xml.etree import ElementTree

from citekit import legacy
from citekit.drafts import Draft, Format, refused
from citekit.errors import InputError
from citekit.opening import open_file
from citekit.units import Unit

if TYPE_CHECKING:
    import zipfile
    from xml.etree.ElementTree import Element

MAX_BYTES = 200 * 1024 * 1024
"""At most this much uncompressed XML is read from one Word file."""
MAX_TAGS = 1_000_000
"""At most this many XML tags (counted as "<") in the parts read from one Word file: a
tree costs about 100 bytes an element, so 20 MB of `<w:p/>` (31 KB zipped) would take
a gigabyte. A real document has 30,000 to 60,000 tags per megabyte of XML: 1,000,000
is 15 to 30 MB of it, thousands of pages."""
MAX_PARAGRAPHS = 100_000
"""At most this many paragraphs in one Word file (a 1,000-page report has 30,000)."""

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
"""An OLE compound file: a Word 97-2003 .doc, or an encrypted (password-protected) .docx."""
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
"""The stream an encrypted .docx keeps its zip in; its name is in the OLE directory."""
_MAIN = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_ORDER = {"default": 0, "first": 1, "even": 2}
"""Header and footer kinds within one section, in the order they are numbered."""


class Part(str, Enum):
    """Where a paragraph is: `table` is a table of the body (tables elsewhere keep their part)."""

    BODY = "body"
    TABLE = "table"
    HEADER = "header"
    FOOTER = "footer"
    FOOTNOTE = "footnote"
    ENDNOTE = "endnote"


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell: the table's number within what holds it, the row and cell, 1-based."""

    table: int
    row: int
    cell: int

    def __str__(self) -> str:
        return f"table {self.table} row {self.row} cell {self.cell}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Location:
    """Where a paragraph stands in a Word file.

    `paragraph` counts paragraphs (empty ones too) within what holds it: the body (not
    counting paragraphs in tables), one table cell, one header or footer, one note.
    `part_number` numbers headers, footers, footnotes and endnotes; `cells` runs from the
    outermost table to the innermost, empty outside tables.
    """

    part: Part
    paragraph: int
    part_number: int | None = None
    cells: tuple[Cell, ...] = ()

    @property
    def label(self) -> str:
        """What a Word user can act on.

        Examples: "body ¶12", "table 1 row 2 cell 3 ¶1", "footnote 2 ¶1",
        "table 2 row 1 cell 1 > table 1 row 2 cell 2 ¶1", "header 1 table 1 row 1 cell 1 ¶2".
        """
        pieces = []
        if self.part is Part.BODY:
            pieces.append("body")
        elif self.part is not Part.TABLE:
            pieces.append(f"{self.part.value} {self.part_number}")
        if self.cells:
            pieces.append(" > ".join(str(cell) for cell in self.cells))
        pieces.append(f"¶{self.paragraph}")
        return " ".join(pieces)


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    """The tags the reader looks for, in one WordprocessingML namespace."""

    p: str
    tbl: str
    tr: str
    tc: str
    t: str
    wrappers: frozenset[str]
    chars: dict[str, str]
    skip: frozenset[str]
    r: str = ""
    fonts: tuple[str, ...] = ()  # w:rPr/w:rFonts, and its ascii and hAnsi attributes


@lru_cache(maxsize=4)
def _vocabulary(ns: str) -> _Vocabulary:
    def w(local: str) -> str:
        return f"{{{ns}}}{local}"

    return _Vocabulary(
        p=w("p"),
        tbl=w("tbl"),
        tr=w("tr"),
        tc=w("tc"),
        t=w("t"),
        r=w("r"),
        fonts=(f"{w('rPr')}/{w('rFonts')}", w("ascii"), w("hAnsi")),
        # Content controls and custom XML wrap paragraphs, tables, rows and cells.
        wrappers=frozenset({w("sdt"), w("sdtContent"), w("customXml")}),
        chars={
            w("tab"): "\t",
            w("ptab"): "\t",
            w("br"): "\n",
            w("cr"): "\n",
            w("noBreakHyphen"): "-",
            w("softHyphen"): "",
        },
        # Properties (w:pPr holds tab stops, also named w:tab), deleted and moved-away
        # text, drawings and text boxes (their paragraphs are not this paragraph's), and
        # the fallback copy of alternate content.
        skip=frozenset(
            {w(name) for name in ("pPr", "rPr", "del", "moveFrom", "sdtPr", "sdtEndPr")}
            | {w(name) for name in ("drawing", "pict", "object", "txbxContent")}
            | {f"{_MC}Fallback"}
        ),
    )


def _text(paragraph: Element, vocabulary: _Vocabulary) -> str:
    """The text of a paragraph's runs, hyperlinks, fields and content controls, joined."""
    out: list[str] = []
    t, chars, skip, r = vocabulary.t, vocabulary.chars, vocabulary.skip, vocabulary.r
    stack = [iter(paragraph)]
    font: str | None = None  # the legacy font of the run being read, if any
    while stack:
        for child in stack[-1]:
            tag = child.tag
            if tag == r:
                font = _legacy_font(child, vocabulary)
            if tag == t:
                text = child.text or ""
                out.append(legacy.from_font_text(text, font) if font and text else text)
            elif tag in chars:
                out.append(chars[tag])
            elif tag not in skip and len(child):
                stack.append(iter(child))
                break
        else:
            stack.pop()
    return "".join(out)


def _legacy_font(run: Element, vocabulary: _Vocabulary) -> str | None:
    """The run's font when it is a legacy Vietnamese one (.VnTime, VNI-Times, VISCII):
    its text is then that encoding's bytes shown as Windows characters."""
    path, ascii_, h_ansi = vocabulary.fonts
    fonts = run.find(path)
    if fonts is None:
        return None
    name = fonts.get(ascii_) or fonts.get(h_ansi)
    return name if name and legacy.legacy_font(name) else None


def _within(parent: Element, tag: str, wrappers: frozenset[str]) -> Iterator[Element]:
    """Children of `parent` with `tag`, also those wrapped in content controls."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in wrappers:
            yield from _within(child, tag, wrappers)


def _blocks(container: Element, vocabulary: _Vocabulary) -> Iterator[Element]:
    for child in container:
        if child.tag in (vocabulary.p, vocabulary.tbl):
            yield child
        elif child.tag in vocabulary.wrappers:
            yield from _blocks(child, vocabulary)


def _units(
    container: Element,
    vocabulary: _Vocabulary,
    where: Location,
    out: list[Unit],
) -> None:
    """Append the paragraphs of `container` (a body, cell, header or note) to `out`.

    `where` gives the part, its number and the cells around the container.
    """
    paragraphs = tables = 0
    for block in _blocks(container, vocabulary):
        if block.tag == vocabulary.p:
            paragraphs += 1
            if len(out) >= MAX_PARAGRAPHS:
                raise _TooManyParagraphs
            location = Location(
                part=where.part,
                paragraph=paragraphs,
                part_number=where.part_number,
                cells=where.cells,
            )
            out.append(Unit.paragraph(_text(block, vocabulary), location, len(out) + 1))
            continue
        tables += 1
        part = Part.TABLE if where.part is Part.BODY else where.part
        rows = _within(block, vocabulary.tr, vocabulary.wrappers)
        for row_number, row in enumerate(rows, start=1):
            cells = _within(row, vocabulary.tc, vocabulary.wrappers)
            for cell_number, cell in enumerate(cells, start=1):
                inner = Location(
                    part=part,
                    paragraph=0,
                    part_number=where.part_number,
                    cells=(*where.cells, Cell(tables, row_number, cell_number)),
                )
                _units(cell, vocabulary, inner, out)


class _TooManyParagraphs(Exception):
    """Raised by `_units` past `MAX_PARAGRAPHS`."""


class _Doctype(Exception):
    """Raised by the parser's tree builder at a DOCTYPE declaration."""


class _RefuseDoctype(ElementTree.TreeBuilder):
    """ElementTree's tree builder, stopping the parse at a DOCTYPE declaration."""

    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise _Doctype(name)


class _Package:
    """The zip: parts read by name (case-blind, as OPC names are), within a byte budget."""

    def __init__(self, archive: zipfile.ZipFile, name: str) -> None:
        self.archive = archive
        self.name = name
        self.members = {info.filename.lower(): info for info in archive.infolist()}
        self.budget = MAX_BYTES
        self.tags = MAX_TAGS

    def read(self, part: str) -> bytes | None:
        info = self.members.get(part.lower())
        if info is None:
            return None
        if info.file_size > self.budget:
            raise InputError(
                f"{self.name}: {part} unpacks to more than {MAX_BYTES // 2**20} MB in all; "
                "refused (a zip bomb?)"
            )
        # The size the zip declares can lie, but zipfile never unpacks more than it
        # (and then checks the CRC), so the budget holds.
        data = self.archive.read(info)
        self.budget -= len(data)
        return data

    def xml(self, part: str) -> Element | None:
        """The part's XML tree; a DOCTYPE is refused by the parser itself.

        ElementTree expands internal entities ("billion laughs"), and entities can only
        be declared in a DOCTYPE, which a Word part never has. Expat reports the DOCTYPE
        however it is encoded (UTF-8, UTF-16, a declared 8-bit encoding), before any
        entity is declared or expanded, and `_RefuseDoctype` stops the parse there.
        """
        data = self.read(part)
        if data is None:
            return None
        # Every element starts with "<" (text holds it as &lt;), so this bounds the
        # elements before expat builds any: counting is 100 times faster than parsing.
        self.tags -= data.count(b"<")
        if self.tags < 0:
            raise InputError(
                f"{self.name}: more than {MAX_TAGS:,} XML tags in all; refused (a zip bomb?)"
            )
        parser = ElementTree.XMLParser(target=_RefuseDoctype())
        try:
            parser.feed(data)
            root: Element = parser.close()
        except (LookupError, ValueError) as exc:  # x-bogus, UTF-7: expat cannot decode it
            reason = " ".join(str(exc).split())[:80]
            raise InputError(
                f"{self.name}: corrupt Word file: {part} cannot be decoded ({reason})"
            ) from None
        except _Doctype:
            raise InputError(
                f"{self.name}: {part} declares a DOCTYPE or entities; refused"
            ) from None
        except ElementTree.ParseError as exc:
            line, column = exc.position  # expat counts columns from 0
            raise InputError(
                f"{self.name}: corrupt Word file: {part} is not well-formed XML "
                f"(line {line}, column {column + 1})"
            ) from None
        return root

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """A part's relationships: id -> (type's last word, target part name)."""
        folder, base = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
        out: dict[str, tuple[str, str]] = {}
        if root is None:
            return out
        for rel in root.iter(f"{_RELS}Relationship"):
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External" or not target:
                continue
            if target.startswith("/"):
                name = target.lstrip("/")
            else:
                name = posixpath.normpath(posixpath.join(folder, target))
            kind = rel.get("Type", "").rsplit("/", 1)[-1]
            out[rel.get("Id", "")] = (kind, name)
        return out


def _main_part(package: _Package) -> str:
    for kind, name in package.relationships("").values():
        if kind == "officeDocument":
            return name
    return "word/document.xml"


def _relationship_id(element: Element) -> str:
    """The r:id of a reference, in the transitional or the strict namespace."""
    return next((v for k, v in element.attrib.items() if k.endswith("}id")), "")


def _headers_and_footers(
    root: Element, ns: str, rels: dict[str, tuple[str, str]]
) -> list[tuple[Part, str]]:
    """Headers, then footers, each by section, then default, first page, even page."""
    parts = {f"{{{ns}}}headerReference": Part.HEADER, f"{{{ns}}}footerReference": Part.FOOTER}
    found: list[tuple[bool, int, int, Part, str]] = []
    for section, properties in enumerate(root.iter(f"{{{ns}}}sectPr")):
        for reference in properties:
            part = parts.get(reference.tag)
            rel = rels.get(_relationship_id(reference))
            if part is None or rel is None:
                continue
            kind = _ORDER.get(reference.get(f"{{{ns}}}type", "default"), 3)
            found.append((part is Part.FOOTER, section, kind, part, rel[1]))
    seen: set[str] = set()
    ordered = []
    for *_, part, name in sorted(found):
        if name not in seen:
            seen.add(name)
            ordered.append((part, name))
    return ordered


def _notes(
    package: _Package, root: Element, ns: str, rels: dict[str, tuple[str, str]], kind: str
) -> list[tuple[int, Element]]:
    """Footnotes or endnotes, numbered in the order the document refers to them.

    Separators are left out; a note nothing refers to is numbered after the others.
    """
    name = next((target for k, target in rels.values() if k == kind + "s"), None)
    notes = package.xml(name) if name else None
    if notes is None:
        return []
    order: dict[str, int] = {}
    for reference in root.iter(f"{{{ns}}}{kind}Reference"):
        order.setdefault(reference.get(f"{{{ns}}}id", ""), len(order))
    real = [
        note
        for note in notes
        if note.tag == f"{{{ns}}}{kind}" and note.get(f"{{{ns}}}type") in (None, "normal")
    ]
    real.sort(key=lambda note: order.get(note.get(f"{{{ns}}}id", ""), len(order)))
    return list(enumerate(real, start=1))


def _read_package(package: _Package) -> Draft:
    try:
        return _read_parts(package)
    except _TooManyParagraphs:
        raise InputError(
            f"{package.name}: more than {MAX_PARAGRAPHS:,} paragraphs; refused (a zip bomb?)"
        ) from None


def _read_parts(package: _Package) -> Draft:
    main = _main_part(package)
    root = package.xml(main)
    if root is None:
        raise InputError(f"{package.name}: not a Word document: it has no {main}")
    ns = root.tag[1 : root.tag.find("}")] if root.tag.startswith("{") else _MAIN
    body = root.find(f"{{{ns}}}body")
    if body is None:
        raise InputError(f"{package.name}: not a Word document: {main} has no body")
    vocabulary = _vocabulary(ns)
    rels = package.relationships(main)
    out: list[Unit] = []
    _units(body, vocabulary, Location(part=Part.BODY, paragraph=0), out)
    counts = {Part.HEADER: 0, Part.FOOTER: 0}
    for part, name in _headers_and_footers(root, ns, rels):
        element = package.xml(name)
        if element is not None:
            counts[part] += 1
            where = Location(part=part, paragraph=0, part_number=counts[part])
            _units(element, vocabulary, where, out)
    for part, kind in ((Part.FOOTNOTE, "footnote"), (Part.ENDNOTE, "endnote")):
        for number, note in _notes(package, root, ns, rels, kind):
            _units(note, vocabulary, Location(part=part, paragraph=0, part_number=number), out)
    return Draft(package.name, tuple(out), Format.WORD)


def _refuse_ole(handle: IO[bytes], name: str) -> InputError:
    data = handle.read(MAX_BYTES)
    if _ENCRYPTED in data:
        return InputError(
            f"{name}: password-protected Word file; citekit cannot read encrypted documents "
            "(remove the password in Word and save again)"
        )
    return InputError(
        f"{name}: a Word 97-2003 .doc file; citekit reads .docx only "
        "(open it in Word and save it as .docx)"
    )


def read_word_stream(handle: IO[bytes], name: str) -> Draft:
    """Read a Word draft from a seekable binary stream; `name` names it in messages."""
    import lzma
    import zipfile
    import zlib

    magic = handle.read(8)
    handle.seek(0)
    if magic == _OLE_MAGIC:
        raise _refuse_ole(handle, name)
    if not magic.startswith(_ZIP_MAGIC):
        raise InputError(f"{name}: not a Word file: a .docx is a zip archive, and this is not one")
    try:
        with zipfile.ZipFile(handle) as archive:
            return _read_package(_Package(archive, name))
    # RecursionError and NotImplementedError (a compression method zipfile does not
    # know) are RuntimeErrors too, so they come before it.
    except RecursionError:
        raise InputError(f"{name}: tables or content controls nested too deeply") from None
    # ValueError: an offset before the start of the data, in memory (a file says EINVAL).
    except (
        zipfile.BadZipFile,
        zlib.error,
        lzma.LZMAError,
        EOFError,
        NotImplementedError,
        ValueError,
    ) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise InputError(f"{name}: corrupt Word file: {reason}") from None
    except OSError as exc:
        # bz2 says "Invalid data stream" (no errno), a member's offset past the start
        # of the file makes the seek fail with EINVAL: the zip's fault, not the disk's.
        if exc.errno not in (None, errno.EINVAL):
            raise
        reason = exc.strerror or " ".join(str(exc).split()) or type(exc).__name__
        raise InputError(f"{name}: corrupt Word file: {reason}") from None
    except RuntimeError:  # zipfile's word for a member that needs a password
        raise InputError(f"{name}: corrupt Word file: its parts are password-protected") from None


def read_word(path: Path) -> Draft:
    """Read a .docx draft; a .doc converted by LibreOffice first, its locations still
    naming the .doc (a password-protected file is an `InputError`)."""
    name = str(path)
    if path.suffix.lower() == ".doc":
        import dataclasses
        import tempfile

        from citekit.docconvert import convert_doc

        with tempfile.TemporaryDirectory(prefix="citekit-doc-") as work:
            draft = read_word(convert_doc(path, Path(work)))
        return dataclasses.replace(draft, path=name)
    try:
        handle, _ = open_file(path)
        with handle:
            return read_word_stream(handle, name)
    except OSError as exc:
        raise refused(name, exc) from None
