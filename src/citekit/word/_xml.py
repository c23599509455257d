"""XML parts read for editing, and written back by splicing.

A part is parsed with expat into ElementTree elements (so `citekit.wordfiles` walks
them as it walks its own), noting for every paragraph where its bytes lie and which
namespace prefixes are in scope there. Writing a part back replaces only the bytes of
the paragraphs that changed, serialized with the prefixes the part already uses; every
other byte of the part stays as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from xml.etree import ElementTree
from xml.etree.ElementTree import Element
from xml.parsers import expat

from citekit.errors import InputError

XML_NS = "http://www.w3.org/XML/1998/namespace"
SPACE = f"{{{XML_NS}}}space"
WORD_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # ISO 29500 strict
)
_PARAGRAPHS = frozenset(f"{{{ns}}}p" for ns in WORD_NAMESPACES)


@dataclass(eq=False)
class Tree:
    """One parsed part: its bytes, its root, and where its paragraphs stand in the bytes.

    `spans` and `scopes` hold every w:p: its byte range, and the prefixes in scope
    where it starts (prefix -> namespace, "" for the default namespace). `declared`
    holds the namespace declarations an element writes itself. `changed` collects
    the paragraphs an edit touched; `write` re-serializes those only.
    """

    part: str
    data: bytes
    root: Element
    spans: dict[Element, tuple[int, int]]
    scopes: dict[Element, Mapping[str, str]]
    declared: dict[Element, list[tuple[str, str]]]
    changed: set[Element] = field(default_factory=set)

    def write(self) -> bytes:
        """The part's bytes with every changed paragraph re-serialized in place."""
        if not self.changed:
            return self.data
        pieces: list[bytes] = []
        position = 0
        for paragraph in sorted(self.changed, key=lambda p: self.spans[p][0]):
            start, end = self.spans[paragraph]
            pieces.append(self.data[position:start])
            text = serialize(paragraph, self.scopes[paragraph], self.declared)
            pieces.append(text.encode("utf-8"))
            position = end
        pieces.append(self.data[position:])
        return b"".join(pieces)

    def root_scope(self) -> Mapping[str, str]:
        """The prefixes the root element declares."""
        return dict(self.declared.get(self.root, []))


def _name(raw: str) -> str:
    """expat's "namespace}local" as ElementTree's "{namespace}local"."""
    return "{" + raw if "}" in raw else raw


def parse(data: bytes, part: str, name: str) -> Tree:
    """Parse `part` of the Word file `name`; a DOCTYPE or an entity is refused."""
    builder = ElementTree.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.ordered_attributes = True
    parser.buffer_text = True
    pending: list[tuple[str, str]] = []
    scope_stack: list[Mapping[str, str]] = [{}]
    starts: dict[Element, int] = {}
    spans: dict[Element, tuple[int, int]] = {}
    scopes: dict[Element, Mapping[str, str]] = {}
    declared: dict[Element, list[tuple[str, str]]] = {}

    def start_namespace(prefix: str | None, uri: str) -> None:
        pending.append((prefix or "", uri))

    def start(raw: str, attributes: list[str]) -> None:
        pairs = {_name(attributes[i]): attributes[i + 1] for i in range(0, len(attributes), 2)}
        element = builder.start(_name(raw), pairs)
        scope = scope_stack[-1]
        if element.tag in _PARAGRAPHS:
            starts[element] = parser.CurrentByteIndex
            scopes[element] = scope
        if pending:
            declared[element] = pending.copy()
            scope = {**scope, **dict(pending)}
            pending.clear()
        scope_stack.append(scope)

    def end(raw: str) -> None:
        element = builder.end(_name(raw))
        scope_stack.pop()
        begin = starts.pop(element, None)
        if begin is not None:
            index = parser.CurrentByteIndex
            # At an end tag expat stands on its "<"; after an empty element, past it.
            if data[index : index + 2] == b"</":
                index = data.index(b">", index) + 1
            spans[element] = (begin, index)

    def refuse(*_: object) -> None:
        raise InputError(f"{name}: {part} declares a DOCTYPE or entities; refused")

    parser.StartNamespaceDeclHandler = start_namespace
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise InputError(
            f"{name}: corrupt Word file: {part} is not well-formed XML "
            f"(line {exc.lineno}, column {exc.offset + 1})"
        ) from None
    root = builder.close()
    return Tree(part, data, root, spans, scopes, declared)


def _escape(text: str, attribute: bool) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\r", "&#13;")
    if attribute:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text


def serialize(
    element: Element,
    scope: Mapping[str, str],
    declared: Mapping[Element, Iterable[tuple[str, str]]] | None = None,
) -> str:
    """`element` (not its tail) as XML, naming namespaces by the prefixes in `scope`.

    Declarations in `declared` are written where they were; a namespace with no prefix
    in scope gets a new one, declared on the element that needs it.
    """
    out: list[str] = []
    _write(element, dict(scope), declared or {}, out)
    return "".join(out)


def _qualified(
    name: str, scope: dict[str, str], new: list[tuple[str, str]], attribute: bool
) -> str:
    if not name.startswith("{"):
        return name
    uri, local = name[1:].split("}", 1)
    if uri == XML_NS:
        return f"xml:{local}"
    for prefix, bound in scope.items():
        if bound == uri and (prefix or not attribute):
            return f"{prefix}:{local}" if prefix else local
    number = 0
    while f"ns{number}" in scope:
        number += 1
    prefix = f"ns{number}"
    scope[prefix] = uri
    new.append((prefix, uri))
    return f"{prefix}:{local}"


def _write(
    element: Element,
    scope: dict[str, str],
    declared: Mapping[Element, Iterable[tuple[str, str]]],
    out: list[str],
) -> None:
    own = list(declared.get(element, ()))
    scope = {**scope, **dict(own)}
    new: list[tuple[str, str]] = []
    tag = _qualified(element.tag, scope, new, attribute=False)
    attributes = [
        (_qualified(key, scope, new, attribute=True), value)
        for key, value in element.attrib.items()
    ]
    pieces = [f"<{tag}"]
    for prefix, uri in [*own, *new]:
        name = f"xmlns:{prefix}" if prefix else "xmlns"
        pieces.append(f' {name}="{_escape(uri, attribute=True)}"')
    pieces.extend(f' {key}="{_escape(value, attribute=True)}"' for key, value in attributes)
    if not len(element) and not element.text:
        out.append("".join(pieces) + "/>")
    else:
        out.append("".join(pieces) + ">")
        if element.text:
            out.append(_escape(element.text, attribute=False))
        for child in element:
            _write(child, scope, declared, out)
            if child.tail:
                out.append(_escape(child.tail, attribute=False))
        out.append(f"</{tag}>")
