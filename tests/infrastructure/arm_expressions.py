"""A parser for ARM template expressions: `"[format('{0}-x', parameters('a'))]"`.

Parsing every expression in a template proves it is well formed and lets the tests find
each `parameters('x')` and `variables('x')` it uses; arm_deployment.py evaluates them.
Grammar (the subset of ARM's that templates use): calls, string and integer literals,
property access (`.name`) and indexing (`[0]`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


class ExpressionError(ValueError):
    pass


@dataclass(frozen=True)
class Literal:
    value: str | int


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Property:
    target: Node
    name: str


@dataclass(frozen=True)
class Index:
    target: Node
    index: Node


Node = Literal | Call | Property | Index

_TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<number>-?\d+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<punct>[(),.\[\]]))"
)


def is_expression(text: str) -> bool:
    # "[[..." is ARM's escape for a literal string that starts with a bracket.
    return text.startswith("[") and text.endswith("]") and not text.startswith("[[")


def parse_template_string(text: str) -> Node:
    """A template string: an expression when bracketed, otherwise a literal."""
    if is_expression(text):
        return parse(text[1:-1])
    return Literal(text[1:] if text.startswith("[[") else text)


def parse(source: str) -> Node:
    parser = _Parser(list(_tokens(source)), source)
    node = parser.expression()
    if parser.position != len(parser.tokens):
        raise ExpressionError(f"unexpected {parser.peek()!r} in {source!r}")
    return node


def walk(node: Node) -> Iterator[Node]:
    yield node
    if isinstance(node, Call):
        for arg in node.args:
            yield from walk(arg)
    elif isinstance(node, Property):
        yield from walk(node.target)
    elif isinstance(node, Index):
        yield from walk(node.target)
        yield from walk(node.index)


def template_strings(value: Any) -> Iterator[str]:
    """Every string in a JSON value (keys included: ARM evaluates neither, but a bracketed
    key would be a mistake worth seeing)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from template_strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from template_strings(item)


def _tokens(source: str) -> Iterator[tuple[str, str]]:
    position = 0
    while position < len(source):
        if source[position:].strip() == "":
            return
        match = _TOKEN.match(source, position)
        if not match or match.lastgroup is None:
            raise ExpressionError(f"cannot read {source[position:]!r} in {source!r}")
        yield match.lastgroup, match.group(match.lastgroup)
        position = match.end()


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], source: str) -> None:
        self.tokens = tokens
        self.position = 0
        self.source = source

    def peek(self) -> str:
        return self.tokens[self.position][1] if self.position < len(self.tokens) else "the end"

    def take(self, expected: str | None = None) -> tuple[str, str]:
        if self.position >= len(self.tokens):
            raise ExpressionError(f"{self.source!r} ends too soon")
        token = self.tokens[self.position]
        if expected is not None and token[1] != expected:
            raise ExpressionError(f"expected {expected!r}, found {token[1]!r} in {self.source!r}")
        self.position += 1
        return token

    def expression(self) -> Node:
        node = self.primary()
        while self.position < len(self.tokens) and self.peek() in (".", "["):
            if self.take()[1] == ".":
                kind, name = self.take()
                if kind != "name":
                    raise ExpressionError(f"a property name must follow '.' in {self.source!r}")
                node = Property(node, name)
            else:
                node = Index(node, self.expression())
                self.take("]")
        return node

    def primary(self) -> Node:
        kind, text = self.take()
        if kind == "string":
            return Literal(text[1:-1].replace("''", "'"))
        if kind == "number":
            return Literal(int(text))
        if kind != "name":
            raise ExpressionError(f"unexpected {text!r} in {self.source!r}")
        self.take("(")
        args: list[Node] = []
        while self.peek() != ")":
            args.append(self.expression())
            if self.peek() == ",":
                self.take(",")
        self.take(")")
        return Call(text, tuple(args))
