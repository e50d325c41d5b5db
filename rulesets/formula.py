"""Declared formulas of the rulesets: a small, safe arithmetic language.

A decision defines composite rates over lettered quantities ("a = Tổng số DVCTT
một phần; …; Tỷ lệ = (c+d)/(a+b)").  The ruleset writes that as data:

    rule: {kind: rate, rate: "(c + d) / (a + b)",
           inputs: {a: "Tổng số DVCTT một phần", b: "…", c: "…", d: "…"}}

and the matcher keeps a report's ``a = 45; b = 50; c = …`` as named facts on the
row.  Grammar: numbers, input names (letters/underscores), ``+ - * /``, unary
minus, parentheses.  Nothing else parses (no calls, no attributes): a formula is
data, never code, so ``eval`` is never used.  A rate formula's top-level operator
is a division; its two sides are the rate's numerator and denominator, which is
what the report's counts behind the rate are.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z_0-9]*)|(?P<op>[-+*/()]))")


class FormulaError(ValueError):
    """A formula that does not parse (the message says where)."""


@dataclass(frozen=True)
class Node:
    op: str                      # "num", "name", "+", "-", "*", "/", "neg"
    value: float | str | None = None
    left: "Node | None" = None
    right: "Node | None" = None


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise FormulaError(f"ký tự không hiểu ở vị trí {pos}: {text[pos:pos + 10]!r}")
        kind = m.lastgroup
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


class _Parser:
    # expr := term (("+"|"-") term)* ; term := unary (("*"|"/") unary)* ;
    # unary := "-" unary | atom ; atom := num | name | "(" expr ")"
    def __init__(self, text: str):
        self.toks, self.i, self.text = _tokens(text), 0, text

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> tuple[str, str]:
        t = self.peek()
        if t is None:
            raise FormulaError(f"công thức dừng giữa chừng: {self.text!r}")
        self.i += 1
        return t

    def expr(self) -> Node:
        return self._left(self.term, "+-")

    def term(self) -> Node:
        return self._left(self.unary, "*/")

    def _left(self, operand, ops: str) -> Node:
        """Operators of one precedence, left to right: ``a - b - c`` is ``(a - b) - c``."""
        node = operand()
        while (t := self.peek()) and t[1] in ops and t[0] == "op":
            self.take()
            node = Node(t[1], None, node, operand())
        return node

    def unary(self) -> Node:
        t = self.peek()
        if t == ("op", "-"):
            self.take()
            return Node("neg", None, self.unary())
        return self.atom()

    def atom(self) -> Node:
        kind, val = self.take()
        if kind == "num":
            return Node("num", float(val))
        if kind == "name":
            return Node("name", val)
        if val == "(":
            node = self.expr()
            if self.take() != ("op", ")"):
                raise FormulaError(f"thiếu dấu ')' trong {self.text!r}")
            return node
        raise FormulaError(f"không mong gặp {val!r} trong {self.text!r}")


@lru_cache(maxsize=512)
def parse(text: str) -> Node:
    if not isinstance(text, str) or not text.strip():
        raise FormulaError("công thức rỗng")
    p = _Parser(text)
    node = p.expr()
    if p.peek() is not None:
        raise FormulaError(f"thừa {p.peek()[1]!r} sau công thức {text!r}")
    return node


def names(node: Node) -> set[str]:
    if node.op == "name":
        return {str(node.value)}
    return set().union(*(names(n) for n in (node.left, node.right) if n is not None))


def evaluate(node: Node, env: dict) -> float | None:
    """The value, or None when an input is missing or a division is by zero."""
    if node.op == "num":
        return float(node.value)
    if node.op == "name":
        v = env.get(node.value)
        return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None
    a = evaluate(node.left, env)
    if node.op == "neg":
        return None if a is None else -a
    b = evaluate(node.right, env)
    if a is None or b is None:
        return None
    if node.op == "+":
        return a + b
    if node.op == "-":
        return a - b
    if node.op == "*":
        return a * b
    return None if b == 0 else a / b


def ratio_parts(text: str) -> tuple[Node, Node]:
    """The numerator and denominator of a rate formula (its top-level division)."""
    node = parse(text)
    if node.op != "/":
        raise FormulaError(f"công thức tỷ lệ phải có dạng tử / mẫu (gặp {text!r})")
    return node.left, node.right


def rate_counts(text: str, env: dict) -> tuple[float, float] | None:
    """(numerator, denominator) of a rate formula over ``env``; None when an input is missing."""
    num, den = ratio_parts(text)
    a, b = evaluate(num, env), evaluate(den, env)
    return None if a is None or b is None else (a, b)
