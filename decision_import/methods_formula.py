"""Lettered inputs and a decision's own formula (``a = …; b = …; Tỷ lệ = (a+b)/c``) on a rule.

Its own module because the formula is read apart from the clauses: it is taken out of
the text first (``_lettered``), the rest is read as any rate, and the formula is then
declared on the rule that reads a rate (``_with_formula``) — or the whole is ``manual``
when the formula and the rule do not fit together.
"""
from __future__ import annotations

import re

from rulesets import kinds
from decision_import.clauses import _DIEM, _MAXW, _TYLE, manual
from rulesets.formula import FormulaError, names, ratio_parts
from rulesets.formula import _tokens as formula_tokens


# lettered inputs: "a = Tổng số DVCTT một phần; b= …" (a description runs to the next
# letter, to the formula or to a "- " bullet); the formula: "Tỷ lệ = (c+d)/(a+b)" or
# "Điểm = ((a+b)/c)*Điểm tối đa"
_LETTER = r"(?<![\w/()])(?P<n>[a-h])\s*=\s*"
_EXPR = r"([(\s]*[a-h\d][a-h\d\s()+*/.,]*?[a-h\d)])"
_FORMULA = re.compile(
    r"(?P<tyle>" + _TYLE + r"(?:\s+[^=:;.\n<>≥≤]{0,40}?)?\s*=\s*" + _EXPR.replace("(", "(?P<e>", 1) + r"(?=\s*(?:[.;,]|-\s|\s" + _DIEM + r"|\s" + _TYLE
    + r"|\s[A-ZĐ]|$)))"
    r"|(?P<diem>" + _DIEM + r"\s*=\s*" + _EXPR.replace("(", "(?P<f>", 1) + r"\s*[*x×]\s*" + _MAXW + r")", re.I)


def _expr(m: re.Match) -> str:
    return m.group("e") or m.group("f")


def _canon(expr: str) -> str:
    """A formula in the schema's spelling: ``((a+b)/c)`` -> ``(a + b) / c``."""
    toks = [v for _, v in formula_tokens(expr.replace(",", "."))]
    while toks and toks[0] == "(" and toks[-1] == ")":
        depth, whole = 0, True
        for i, t in enumerate(toks):
            depth += (t == "(") - (t == ")")
            if depth == 0 and i < len(toks) - 1:
                whole = False
                break
        if not whole:
            break
        toks = toks[1:-1]
    out = ""
    for t in toks:
        out += f" {t} " if t in "+-*/" else (" " + t if out[-1:].isalnum() and t[0].isalnum() else t)
    return re.sub(r"\s+", " ", out).strip()


def _lettered(t: str) -> tuple[str, dict | None, str | None]:
    """The text with its lettered inputs and formula taken out, the inputs and the formula.

    The formula statement is replaced by what the clause reader knows (``Điểm =
    Tỷ lệ*Điểm tối đa``; a ``Tỷ lệ = …`` line is dropped), so the rule's kind is
    read as for any rate.  Returns (text, None, None) when no letter is defined."""
    defs = list(re.finditer(_LETTER, t))
    formulas = [m for m in _FORMULA.finditer(t) if re.search(r"(?<![a-z])[a-h](?![a-z])", _expr(m))]
    if not defs and not formulas:
        return t, None, None
    inputs: dict[str, str] = {}
    cuts = []
    stops = sorted({m.start() for m in defs} | {m.start() for m in formulas}
                   | {m.start() for m in re.finditer(r"\s-\s|" + _DIEM + r"\s*[=:]|\bThang điểm\b", t, re.I)}
                   | {len(t)})
    for m in defs:
        end = next(s for s in stops if s > m.start())
        desc = t[m.end():end].strip(" ;.,-–\n")
        if m.group("n") in inputs or not desc or formulas and any(f.start() <= m.start() < f.end() for f in formulas):
            continue
        inputs[m.group("n")] = re.sub(r"\s+", " ", desc)
        cuts.append((m.start(), end, " "))
    formula = None
    for m in formulas:
        expr = _canon(_expr(m))
        if formula is not None and expr != formula:
            return t, inputs, "?"            # two different formulas: not ours to choose
        formula = expr
        cuts.append((m.start(), m.end(), " Điểm = Tỷ lệ*Điểm tối đa " if m.group("diem") else " "))
    out, pos = "", 0
    for s, e, rep in sorted(cuts):
        if s < pos:
            continue
        out += t[pos:s] + rep
        pos = e
    return re.sub(r"\s+", " ", out + t[pos:]).strip(), inputs, formula


_UNREAD = re.compile(_TYLE + r"\s*=\s*(?!\s*a\s*/\s*b(?![\w/]))\S", re.I)


def _with_formula(rule: dict, inputs: dict | None, formula: str | None, t: str) -> dict:
    """Declare the decision's formula on a rule that reads a rate (``rate`` + ``inputs``)."""
    kind = kinds.kind_of(rule)
    if kind == kinds.DEFAULT:
        return rule
    if formula is None:
        # inputs beyond a, b, or a "Tỷ lệ = …" that is not a plain a/b, and no formula read (OCR lost a
        # sign or a letter: "(a+b+c+d)/(e+?", "Tỷ lệ = ba"): the row's own a/b would score it wrong
        if inputs and (set(inputs) - {"a", "b"} or _UNREAD.search(t)):
            return manual(t, "Có các đại lượng a, b… nhưng không đọc được công thức tỷ lệ")
        return rule
    if getattr(kinds.module(kind), "WRAPS", False):
        inner = _with_formula(rule["rule"], inputs, formula, t)
        return inner if kinds.kind_of(inner) == kinds.DEFAULT else {**rule, "rule": inner}
    if formula == "?":
        return manual(t, "Hai công thức khác nhau cho cùng một tỷ lệ")
    try:
        used = names(ratio_parts(formula)[0]) | names(ratio_parts(formula)[1])
    except FormulaError:
        return manual(t, f"Công thức «{formula}» không đọc được (thiếu dấu phép tính?)")
    if not kinds.reads_rate(kind):
        return manual(t, f"Có công thức «{formula}» nhưng quy tắc không tính theo tỷ lệ")
    if formula == "a / b" and not used <= set(inputs or {}):
        return rule                   # "a/b" with a or b undefined (or its "=" lost): the row's own a/b
    if set(inputs or {}) - used:      # a defined input the formula does not use: "a / 5" for "a / b"?
        return manual(t, f"Công thức «{formula}» không dùng {', '.join(sorted(set(inputs) - used))} đã định nghĩa")
    if not used <= set(inputs or {}):
        return manual(t, f"Công thức «{formula}» dùng tên chưa được định nghĩa ({', '.join(sorted(used - set(inputs or {})))})")
    return {**rule, "rate": formula, "inputs": {n: inputs[n] for n in sorted(used)}}
