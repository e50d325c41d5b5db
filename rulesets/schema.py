"""The schema of a ruleset file's pieces: field checks and rule checks.

Every check raises ``RulesetError`` through a ``Ctx`` that knows the file and the
indicator (or pillar) being read, so messages name file, code and field.
Rule parameters per kind follow ``rulesets.model.RULE_KINDS``; ``yes_no`` may name
the ``fact`` it reads (inside ``sum`` parts: ``{kind: yes_no, fact: ipv6}``).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from rulesets.formula import FormulaError, names, ratio_parts
from rulesets.model import RULE_KINDS

# kind -> (required params, optional params); "note" is allowed on every rule
RULE_PARAMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "rate": ((), ()),
    "rate_threshold": (("threshold",), ()),
    "bands": (("bands",), ()),
    "yes_no": ((), ("fact",)),
    "options": (("options",), ("fact",)),
    "tiers": (("fact", "tiers"), ()),
    "per_item": (("base_fact", "base_fraction", "item_fact", "points_per_item", "items_cap_points"), ()),
    "sum": (("parts",), ()),
    "weighted": (("parts",), ()),
    "minmax": (("value",), ("higher_is_better",)),
    "dvctt_substitution": (("rule",), ()),
    "pass_fail": ((), ("threshold",)),
    "manual": (("note",), ()),
}
MINMAX_VALUES = ("ratio", "amount", "count")
# kinds that read a rate may declare it: rate: "(c + d) / (a + b)", inputs: {a: "…", …}
RATE_FORMULA_KINDS = ("rate", "rate_threshold", "bands", "minmax", "pass_fail")
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
    """Validate one rule (recursively); returns it unchanged."""
    if not isinstance(rule, dict):
        raise ctx.fail(field, f"phải là ánh xạ có 'kind' (gặp {rule!r})")
    kind = rule.get("kind")
    if kind not in RULE_PARAMS:
        raise ctx.fail(f"{field}.kind", f"loại quy tắc không biết {kind!r}; dùng được: {', '.join(RULE_KINDS)}")
    req, opt = RULE_PARAMS[kind]
    if kind in RATE_FORMULA_KINDS:
        opt = opt + ("rate", "inputs")
    check_keys(ctx, f"{field}.", rule, ("kind",) + req, opt + ("note",))
    p = f"{field}."
    if "rate" in rule or "inputs" in rule:
        _rate_formula(ctx, p, rule)
    if kind in ("rate_threshold", "pass_fail") and "threshold" in rule:
        as_fraction(ctx, p + "threshold", rule["threshold"])
    elif kind == "bands":
        _bands(ctx, p + "bands", rule["bands"])
    elif kind == "options":
        _options(ctx, p + "options", rule["options"])
    elif kind == "tiers":
        as_str(ctx, p + "fact", rule["fact"])
        _tiers(ctx, p + "tiers", rule["tiers"])
    elif kind == "per_item":
        as_str(ctx, p + "base_fact", rule["base_fact"])
        as_str(ctx, p + "item_fact", rule["item_fact"])
        as_fraction(ctx, p + "base_fraction", rule["base_fraction"])
        for k in ("points_per_item", "items_cap_points"):
            if not is_num(rule[k]) or rule[k] < 0:
                raise ctx.fail(p + k, f"phải là số không âm (gặp {rule[k]!r})")
    elif kind in ("sum", "weighted"):
        _parts(ctx, p + "parts", rule["parts"], "share" if kind == "sum" else "weight")
    elif kind == "minmax":
        if rule["value"] not in MINMAX_VALUES:
            raise ctx.fail(p + "value", f"phải là một trong {', '.join(MINMAX_VALUES)} (gặp {rule['value']!r})")
        if "higher_is_better" in rule and not isinstance(rule["higher_is_better"], bool):
            raise ctx.fail(p + "higher_is_better", "phải là true/false")
    elif kind == "dvctt_substitution":
        if isinstance(rule["rule"], dict) and rule["rule"].get("kind") == "dvctt_substitution":
            raise ctx.fail(p + "rule", "không lồng dvctt_substitution trong chính nó")
        check_rule(ctx, rule["rule"], p + "rule")
    elif kind == "manual":
        as_str(ctx, p + "note", rule["note"])
    if "note" in rule:
        as_str(ctx, p + "note", rule["note"])
    return rule


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
    if not isinstance(rule, dict):
        return False
    if "rate" in rule:
        return True
    subs = [p.get("rule") for p in rule.get("parts") or () if isinstance(p, dict)] + [rule.get("rule")]
    return any(rule_declares_formula(r) for r in subs if r)


def check_note_formula(ctx: Ctx, rule: Any, notes: list[str | None]) -> None:
    """No rule lives only in a note: a lettered formula in a note needs a declared ``rate``.

    A ``manual`` rule scores nothing: its note keeps the decision's words for a person."""
    if isinstance(rule, dict) and rule.get("kind") == "manual":
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


def _bands(ctx: Ctx, field: str, bands: Any) -> None:
    mins = []
    for n, b in enumerate(nonempty_list(ctx, field, bands)):
        f = f"{field}[{n}]"
        check_keys(ctx, f + ".", b, ("min", "points"), ("inclusive",))
        mins.append(as_fraction(ctx, f + ".min", b["min"]))
        if "inclusive" in b and not isinstance(b["inclusive"], bool):
            raise ctx.fail(f + ".inclusive", "phải là true/false")
        if b["points"] not in ("max", "rate"):
            as_fraction(ctx, f + ".points", b["points"])
    _descending(ctx, field, mins)


def _options(ctx: Ctx, field: str, options: Any) -> None:
    keys = set()
    for n, o in enumerate(nonempty_list(ctx, field, options)):
        f = f"{field}[{n}]"
        check_keys(ctx, f + ".", o, ("key", "fraction"), ("match",))
        key = as_str(ctx, f + ".key", o["key"])
        if key in keys:
            raise ctx.fail(f + ".key", f"trùng khóa {key!r}")
        keys.add(key)
        as_str_list(ctx, f + ".match", o.get("match"))
        as_fraction(ctx, f + ".fraction", o["fraction"])


def _tiers(ctx: Ctx, field: str, tiers: Any) -> None:
    mins = []
    for n, t in enumerate(nonempty_list(ctx, field, tiers)):
        f = f"{field}[{n}]"
        check_keys(ctx, f + ".", t, ("min", "fraction"), ())
        if not is_num(t["min"]) or t["min"] < 0:
            raise ctx.fail(f + ".min", f"phải là số không âm (gặp {t['min']!r})")
        mins.append(t["min"])
        as_fraction(ctx, f + ".fraction", t["fraction"])
    _descending(ctx, field, mins)


def _parts(ctx: Ctx, field: str, parts: Any, share_key: str) -> None:
    total = 0.0
    extra = ("fact_prefix", "name") if share_key == "share" else ("figures", "name")
    for n, part in enumerate(nonempty_list(ctx, field, parts)):
        f = f"{field}[{n}]"
        check_keys(ctx, f + ".", part, (share_key, "rule"), extra)
        total += as_fraction(ctx, f"{f}.{share_key}", part[share_key])
        check_rule(ctx, part["rule"], f + ".rule")
        for k in extra:
            if k in part:
                as_str(ctx, f"{f}.{k}", part[k])
    if abs(total - 1) > 1e-3:
        raise ctx.fail(field, f"tổng {share_key} của các phần phải bằng 1 (gặp {total:g})")
