"""The schema of a ruleset file's pieces: field checks and rule checks.

Every check raises ``RulesetError`` through a ``Ctx`` that knows the file and the
indicator (or pillar) being read, so messages name file, code and field.
Rule parameters and their checks are each kind's own (``rulesets.kinds``): ``check_rule``
asks the registry.  ``RULE_PARAMS``, ``RATE_FORMULA_KINDS`` and ``MINMAX_VALUES`` are read
from the registry for the callers that list them.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rulesets.formula import FormulaError, names, ratio_parts

# a sum of lettered quantities in a note ("(c+d)/(a+b)", "a + b/2") is a formula: it must be declared
_NOTE_FORMULA = re.compile(r"(?<![\w/])[a-h]\s*\+\s*[a-h](?![\w])")


class RulesetError(ValueError):
    """A ruleset file that does not follow the schema."""


class Ctx:
    """Where we are in the file, so every message names file, code and field."""

    def __init__(self, path: Path, where: str):
        self.path, self.where = path, where

    def fail(self, field: str, msg: str) -> RulesetError:
        return RulesetError(f"{self.path.name}: {self.where}, trường {field}: {msg}")


def is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def as_code(ctx: Ctx, field: str, v: Any) -> str:
    # ints are lossless ("3" written as 3); floats are not ("1.10" becomes 1.1)
    if isinstance(v, str) and v.strip():
        return v.strip()
    if isinstance(v, int) and not isinstance(v, bool):
        return str(v)
    raise ctx.fail(field, f"mã phải là chuỗi trong ngoặc kép, vd \"1.1\" (gặp {v!r})")


def as_str(ctx: Ctx, field: str, v: Any, optional: bool = False) -> str | None:
    if v is None and optional:
        return None
    if not isinstance(v, str) or not v.strip():
        raise ctx.fail(field, f"phải là chuỗi không rỗng (gặp {v!r})")
    return v


def as_str_list(ctx: Ctx, field: str, v: Any) -> tuple[str, ...]:
    if v is None:
        return ()
    if not isinstance(v, list) or not all(isinstance(s, str) and s.strip() for s in v):
        raise ctx.fail(field, f"phải là danh sách chuỗi (gặp {v!r})")
    return tuple(v)


def as_max(ctx: Ctx, field: str, v: Any) -> float | None:
    if v is None:
        return None
    if not is_num(v) or v < 0:
        raise ctx.fail(field, f"phải là số không âm hoặc null (gặp {v!r})")
    return float(v)


def as_fraction(ctx: Ctx, field: str, v: Any) -> float:
    if not is_num(v) or not (0 <= v <= 1):
        raise ctx.fail(field, f"phải là tỷ lệ 0..1, vd 0.85 cho 85% (gặp {v!r})")
    return float(v)


def check_keys(ctx: Ctx, prefix: str, d: Any, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
    if not isinstance(d, dict):
        raise ctx.fail(prefix or "(khối)", f"phải là một ánh xạ key: value (gặp {type(d).__name__})")
    for k in d:
        if k not in required and k not in optional:
            raise ctx.fail(f"{prefix}{k}", f"khóa không biết; dùng được: {', '.join(required + optional)}")
    for k in required:
        if k not in d:
            raise ctx.fail(f"{prefix}{k}", "thiếu trường bắt buộc")


def check_rule(ctx: Ctx, rule: Any, field: str = "rule") -> dict[str, Any]:
    """Validate one rule (recursively) against its kind in the registry; returns it unchanged."""
    from rulesets.kinds import check
    return check(ctx, rule, field)


def _rate_formula(ctx: Ctx, p: str, rule: dict) -> None:
    """``rate`` is a division over the names ``inputs`` declares, each with the decision's wording."""
    text = as_str(ctx, p + "rate", rule.get("rate"))
    inputs = rule.get("inputs")
    if not isinstance(inputs, dict) or not inputs or not all(
            isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in inputs.items()):
        raise ctx.fail(p + "inputs", "phải là ánh xạ tên → ý nghĩa theo quyết định, vd {a: \"Tổng số DVCTT\"}")
    try:
        num, den = ratio_parts(text)
    except FormulaError as e:
        raise ctx.fail(p + "rate", str(e)) from None
    used = names(num) | names(den)
    if used != set(inputs):
        raise ctx.fail(p + "inputs", f"phải khai báo đúng các tên công thức dùng: {sorted(used)} "
                                     f"(gặp {sorted(inputs)})")


def rule_declares_formula(rule: Any) -> bool:
    if not isinstance(rule, Mapping):
        return False
    if "rate" in rule:
        return True
    subs = [p.get("rule") for p in rule.get("parts") or () if isinstance(p, Mapping)] + [rule.get("rule")]
    return any(rule_declares_formula(r) for r in subs if r)


def check_note_formula(ctx: Ctx, rule: Any, notes: list[str | None]) -> None:
    """No rule lives only in a note: a lettered formula in a note needs a declared ``rate``.

    A ``manual`` rule scores nothing: its note keeps the decision's words for a person."""
    from rulesets.kinds import registry
    if isinstance(rule, Mapping) and registry.kind_of(rule) == registry.DEFAULT:
        return
    for field, note in zip(("note", "rule.note"), notes):
        if note and _NOTE_FORMULA.search(note) and not rule_declares_formula(rule):
            raise ctx.fail(field, f"ghi chú có công thức ({_NOTE_FORMULA.search(note).group()}) "
                                  "nhưng quy tắc không khai báo 'rate' + 'inputs'")


def nonempty_list(ctx: Ctx, field: str, v: Any) -> list:
    if not isinstance(v, list) or not v:
        raise ctx.fail(field, f"phải là danh sách không rỗng (gặp {v!r})")
    return v


def _descending(ctx: Ctx, field: str, mins: list[float]) -> None:
    if any(a < b for a, b in zip(mins, mins[1:])):
        raise ctx.fail(field, f"phải xếp từ cao xuống thấp theo min (gặp {mins})")




def __getattr__(name: str) -> Any:
    # the kinds' lists, read from the registry (``rulesets.kinds``) for callers that name them
    from rulesets import kinds
    if name == "RULE_PARAMS":
        return {k: (tuple(m.REQUIRED), tuple(m.OPTIONAL)) for k, m in kinds.KINDS.items()}
    if name == "RATE_FORMULA_KINDS":
        return tuple(k for k in kinds.KINDS if kinds.reads_rate(k))
    if name == "MINMAX_VALUES":
        return kinds.module("minmax").VALUES
    raise AttributeError(name)
