"""GraphQL executable documents — operations and fragments — read without graphql-core.

Resolvers only need to read `info.selectionSetGraphQL`: which fields are selected, with which
arguments. graphql-core does that, but importing it added about 90 ms to each handler's import
with compiled bytecode, and about 185 ms from a Lambda zip, which carries none — for the parser
alone of a full GraphQL implementation (docs/PERFORMANCE.md). This module is the part Retro
needs: the lexical grammar and the executable definitions of the GraphQL specification, as
graphql-core 3.3 reads them (empty selection sets and descriptions on operations, fragments
and variables allowed; every token, escape and block-string rule the same). Type-system
definitions (SDL) are refused: a selection set never contains them. Nesting deeper than
graphql-core's limit is a DocumentError here (graphql-core raises RecursionError).
tests/perf/test_optimisations.py holds the two parsers equal.

The result is a small tree: `Field`, `InlineFragment`, `FragmentSpread`; argument values are
Python values with `Variable` where the text names a variable ($name).
"""

import re
from typing import Any, NamedTuple

__all__ = [
    "MAX_NESTING",
    "Document",
    "DocumentError",
    "Field",
    "FragmentSpread",
    "InlineFragment",
    "Node",
    "Variable",
    "parse_document",
]

MAX_NESTING = 200  # as graphql-core: selection sets, lists, objects and list types


class DocumentError(ValueError):
    """The text is not an executable GraphQL document; the message says where and why."""


# NamedTuples rather than dataclasses: the same immutable records, built at import in a tenth
# of the time (about 0.05 ms each instead of 0.4 ms) — this module is on every cold start.
class Variable(NamedTuple):
    name: str


class Field(NamedTuple):
    name: str
    arguments: tuple[tuple[str, Any], ...]
    selections: "tuple[Node, ...] | None"


class InlineFragment(NamedTuple):
    selections: "tuple[Node, ...]"


class FragmentSpread(NamedTuple):
    name: str


Node = Field | InlineFragment | FragmentSpread


class Document(NamedTuple):
    operations: tuple[tuple[Node, ...], ...]  # each operation's selections, in order
    fragments: dict[str, tuple[Node, ...]]  # by name; a later definition wins


# -- lexical grammar -------------------------------------------------------------------------
# Token kinds: a punctuator's own text ("{", "...", ...), or NAME, INT, FLOAT, STRING, EOF.
NAME, INT, FLOAT, STRING, EOF = "Name", "Int", "Float", "String", "<EOF>"

_IGNORED = re.compile(
    r"(?:[ \t,\ufeff\n\r]+|#(?:[^\n\r\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*)+"
)
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_NAME_START = frozenset("_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_DIGITS = frozenset("0123456789")
_NOT_AFTER_NUMBER = _NAME_START | _DIGITS | {"."}
_PUNCTUATORS = frozenset("!$&():=@[]{|}")
_PLAIN = re.compile(r'[^"\\\n\r\ud800-\udfff]+')

_ESCAPED = {'"': '"', "/": "/", "\\": "\\", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}

Token = tuple[str, Any, int]  # kind, value, position


def _error(position: int, message: str) -> DocumentError:
    return DocumentError(f"Syntax Error: {message} (at character {position + 1})")


def _is_pair(text: str, i: int) -> bool:
    """A surrogate pair at `i` (one supplementary character in a UTF-16 view of the text)."""
    return "\ud800" <= text[i] <= "\udbff" and "\udc00" <= text[i + 1 : i + 2] <= "\udfff"


def _hex(char: str) -> int:
    if "0" <= char <= "9":
        return ord(char) - 48
    if "A" <= char <= "F":
        return ord(char) - 55
    if "a" <= char <= "f":
        return ord(char) - 87
    return -1


def _hex4(text: str, i: int) -> int:
    """Four hex digits at `i` as a number; negative if any is not a hex digit or is missing."""
    digits = text[i : i + 4]
    if len(digits) < 4:
        return -1
    return _hex(digits[0]) << 12 | _hex(digits[1]) << 8 | _hex(digits[2]) << 4 | _hex(digits[3])


def _scalar(code: int) -> bool:
    return 0 <= code <= 0xD7FF or 0xE000 <= code <= 0x10FFFF


def _escape(text: str, i: int) -> tuple[str, int]:
    """The character a backslash escape at `i` stands for, and the escape's length."""
    kind = text[i + 1 : i + 2]
    if kind != "u":
        value = _ESCAPED.get(kind)
        if value is None:
            raise _error(i, f"Invalid character escape sequence: '{text[i : i + 2]}'.")
        return value, 2
    if text[i + 2 : i + 3] == "{":  # \u{1F600}: 1 or more hex digits, at most 12 characters
        point, size, limit = 0, 3, min(12, len(text) - i)
        while size < limit:
            char = text[i + size]
            size += 1
            if char == "}":
                if size < 5 or not _scalar(point):
                    break
                return chr(point), size
            point = (point << 4) | _hex(char)
            if point < 0:
                break
        raise _error(i, f"Invalid Unicode escape sequence: '{text[i : i + size]}'.")
    code = _hex4(text, i + 2)
    if _scalar(code):
        return chr(code), 6
    if 0xD800 <= code <= 0xDBFF and text[i + 6 : i + 8] == "\\u":  # a pair of escapes
        trailing = _hex4(text, i + 8)
        if 0xDC00 <= trailing <= 0xDFFF:
            pair = (chr(code) + chr(trailing)).encode("utf-16", "surrogatepass")
            return pair.decode("utf-16"), 12
    raise _error(i, f"Invalid Unicode escape sequence: '{text[i : i + 6]}'.")


def _string(text: str, start: int) -> tuple[str, int]:
    """A "quoted" string at `start`: its value and the position after it."""
    i, parts = start + 1, []
    while True:
        chunk = _PLAIN.match(text, i)
        if chunk:
            parts.append(chunk.group())
            i = chunk.end()
        char = text[i : i + 1]
        if char == '"':
            return "".join(parts), i + 1
        if char == "\\":
            value, size = _escape(text, i)
            parts.append(value)
            i += size
        elif char in ("", "\n", "\r"):
            raise _error(i, "Unterminated string.")
        elif _is_pair(text, i):
            parts.append(text[i : i + 2])
            i += 2
        else:
            raise _error(i, f"Invalid character within String: U+{ord(char):04X}.")


def _dedent(lines: list[str]) -> list[str]:
    """The spec's BlockStringValue(): common indent off (all but line 1), blank ends off."""
    common, first, last = None, None, -1
    for n, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" \t"))
        if indent == len(line):
            continue
        first = n if first is None else first
        last = n
        if n and (common is None or indent < common):
            common = indent
    cut = [line[common:] if n and common is not None else line for n, line in enumerate(lines)]
    return cut[first or 0 : last + 1]


def _block_string(text: str, start: int) -> tuple[str, int]:
    """A \"\"\"block string\"\"\" at `start`: its value and the position after it."""
    i, lines, line = start + 3, [], []
    while True:
        chunk = _PLAIN.match(text, i)
        if chunk:
            line.append(chunk.group())
            i = chunk.end()
        char = text[i : i + 1]
        if char == '"':
            if text[i + 1 : i + 3] == '""':
                lines.append("".join(line))
                return "\n".join(_dedent(lines)), i + 3
            line.append(char)
            i += 1
        elif char == "\\":
            escaped = text[i + 1 : i + 4] == '"""'
            line.append('"""' if escaped else char)
            i += 4 if escaped else 1
        elif char in ("\n", "\r"):
            lines.append("".join(line))
            line = []
            i += 2 if text[i : i + 2] == "\r\n" else 1
        elif char == "":
            raise _error(i, "Unterminated string.")
        elif _is_pair(text, i):
            line.append(text[i : i + 2])
            i += 2
        else:
            raise _error(i, f"Invalid character within String: U+{ord(char):04X}.")


def tokens(text: str) -> list[Token]:
    """The tokens of `text` (whitespace, commas and comments dropped), ending with EOF."""
    found: list[Token] = []
    i, end = 0, len(text)
    while True:
        ignored = _IGNORED.match(text, i)
        if ignored:
            i = ignored.end()
        if i >= end:
            found.append((EOF, None, end))
            return found
        char = text[i]
        if char in _PUNCTUATORS:
            found.append((char, None, i))
            i += 1
        elif (name := _NAME.match(text, i)) is not None:
            found.append((NAME, name.group(), i))
            i = name.end()
        elif char == "-" or char in _DIGITS:
            number = _NUMBER.match(text, i)
            after = number.end() if number else i + 1
            following = text[after : after + 1]
            if number is None or following in _NOT_AFTER_NUMBER:
                raise _error(after, "Invalid number.")
            kind = FLOAT if number.group(1) or number.group(2) else INT
            found.append((kind, number.group(), i))
            i = after
        elif char == '"':
            read = _block_string if text[i + 1 : i + 3] == '""' else _string
            value, after = read(text, i)
            found.append((STRING, value, i))
            i = after
        elif text.startswith("...", i):
            found.append(("...", None, i))
            i += 3
        else:
            shown = f"'{char}'" if " " <= char <= "~" else f"U+{ord(char):04X}"
            raise _error(i, f"Unexpected character: {shown}.")


# -- executable definitions --------------------------------------------------------------------
_OPERATIONS = frozenset({"query", "mutation", "subscription"})


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokens(text)
        self.at = 0
        self.depth = 0

    # -- tokens
    @property
    def kind(self) -> str:
        return self.tokens[self.at][0]

    def value(self) -> Any:
        return self.tokens[self.at][1]

    def unexpected(self) -> DocumentError:
        kind, value, position = self.tokens[self.at]
        shown = f'"{value}"' if kind == STRING else (f'Name "{value}"' if kind == NAME else kind)
        if kind in (INT, FLOAT):
            shown = f"{kind} {value}"
        return _error(position, f"Unexpected {shown}.")

    def expect(self, kind: str) -> Any:
        if self.kind != kind:
            raise self.unexpected()
        value = self.value()
        self.at += 1
        return value

    def skip(self, kind: str) -> bool:
        if self.kind == kind:
            self.at += 1
            return True
        return False

    def keyword(self, word: str) -> None:
        if self.kind != NAME or self.value() != word:
            raise self.unexpected()
        self.at += 1

    def nest(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise _error(self.tokens[self.at][2], f"nested more than {MAX_NESTING} levels.")

    # -- document
    def document(self) -> Document:
        operations: list[tuple[Node, ...]] = []
        fragments: dict[str, tuple[Node, ...]] = {}
        while True:
            described = self.kind == STRING
            if self.kind == "{":
                operations.append(self.selection_set())
            else:
                self.skip(STRING)  # a description
                word = self.value() if self.kind == NAME else None
                if word in _OPERATIONS:
                    operations.append(self.operation())
                elif word == "fragment":
                    name, selections = self.fragment_definition()
                    fragments[name] = selections
                elif described and self.kind == "{":
                    raise _error(self.tokens[self.at][2], "Unexpected description.")
                else:  # type-system definitions (SDL) included: not executable
                    raise self.unexpected()
            if self.kind == EOF:
                return Document(tuple(operations), fragments)

    def operation(self) -> tuple[Node, ...]:
        self.at += 1  # query | mutation | subscription
        self.skip(NAME)
        if self.skip("("):
            while True:
                self.skip(STRING)  # a description
                self.expect("$")
                self.expect(NAME)
                self.expect(":")
                self.type_reference()
                if self.skip("="):
                    self.value_literal(const=True)
                self.directives(const=True)
                if self.skip(")"):
                    break
        self.directives(const=False)
        return self.selection_set()

    def fragment_definition(self) -> tuple[str, tuple[Node, ...]]:
        self.at += 1  # fragment
        name = self.fragment_name()
        self.keyword("on")
        self.expect(NAME)
        self.directives(const=False)
        return name, self.selection_set()

    def fragment_name(self) -> str:
        if self.kind == NAME and self.value() == "on":
            raise self.unexpected()
        name: str = self.expect(NAME)
        return name

    def type_reference(self) -> None:
        if self.skip("["):
            self.nest()
            self.type_reference()
            self.depth -= 1
            self.expect("]")
        else:
            self.expect(NAME)
        self.skip("!")

    # -- selections
    def selection_set(self) -> tuple[Node, ...]:
        self.nest()
        self.expect("{")
        found: list[Node] = []
        while not self.skip("}"):
            found.append(self.fragment() if self.kind == "..." else self.field())
        self.depth -= 1
        return tuple(found)

    def field(self) -> Field:
        name: str = self.expect(NAME)
        if self.skip(":"):  # what came first was an alias
            name = self.expect(NAME)
        arguments = self.arguments(const=False)
        self.directives(const=False)
        selections = self.selection_set() if self.kind == "{" else None
        return Field(name, arguments, selections)

    def fragment(self) -> FragmentSpread | InlineFragment:
        self.at += 1  # ...
        typed = self.kind == NAME and self.value() == "on"
        if typed:
            self.at += 1
        elif self.kind == NAME:
            spread = FragmentSpread(self.fragment_name())
            self.directives(const=False)
            return spread
        if typed:
            self.expect(NAME)
        self.directives(const=False)
        return InlineFragment(self.selection_set())

    def arguments(self, *, const: bool) -> tuple[tuple[str, Any], ...]:
        if not self.skip("("):
            return ()
        found = []
        while True:
            name = self.expect(NAME)
            self.expect(":")
            found.append((name, self.value_literal(const=const)))
            if self.skip(")"):
                return tuple(found)

    def directives(self, *, const: bool) -> None:
        while self.skip("@"):
            self.expect(NAME)
            self.arguments(const=const)

    # -- values
    def value_literal(self, *, const: bool) -> Any:
        kind, value, position = self.tokens[self.at]
        if kind in _SCALARS:
            self.at += 1
            return _SCALARS[kind](value)
        if kind == "$":
            if const:
                raise _error(position, "Unexpected variable in constant value.")
            self.at += 1
            return Variable(self.expect(NAME))
        if kind == "[":
            self.nest()
            self.at += 1
            items = []
            while not self.skip("]"):
                items.append(self.value_literal(const=const))
            self.depth -= 1
            return items
        if kind == "{":
            self.nest()
            self.at += 1
            fields = {}
            while not self.skip("}"):
                name = self.expect(NAME)
                self.expect(":")
                fields[name] = self.value_literal(const=const)
            self.depth -= 1
            return fields
        raise self.unexpected()


# A scalar token's value, as graphql-core's value_from_ast_untyped gives it.
_NAMED_VALUES: dict[str, Any] = {"true": True, "false": False, "null": None}
_SCALARS: dict[str, Any] = {
    STRING: str,
    INT: int,
    FLOAT: float,
    NAME: lambda name: _NAMED_VALUES.get(name, name),  # an enum value is its name
}


def parse_document(text: str) -> Document:
    """Read an executable GraphQL document; DocumentError if it is not one."""
    return _Parser(text).document()
