"""The registry of rule kinds: one module per kind, asked by the schema, the importer,
scoring, the review page and ``dti rulesets show``.

A kind module provides five parts (``PARTS``): ``Params`` (typed parameters),
``validate`` (the schema's checks beyond the keys), ``READERS`` (recognition of a
decision's wording), ``score`` (a row's figures → points) and ``describe`` (the
rule in Vietnamese, as a decision words it) — plus ``KIND``, ``REQUIRED``/``OPTIONAL``
keys, ``present`` (whether a row gives what the rule reads) and ``summary`` (one short
line).  Kinds register themselves in ``rulesets.kinds``; nothing else names a kind.
"""
from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType
from typing import Any

from rulesets.formula import rate_counts

PARTS = ("Params", "validate", "READERS", "score", "describe")
KINDS: dict[str, ModuleType] = {}
DEFAULT = "manual"          # a rule with no kind is a person's to settle


def register(mod: ModuleType) -> ModuleType:
    KINDS[mod.KIND] = mod
    return mod


def kind_of(rule: Any) -> str:
    return rule.get("kind", DEFAULT) if isinstance(rule, Mapping) else DEFAULT


def module(kind: str) -> ModuleType | None:
    return KINDS.get(kind)


def wraps(rule: Any) -> bool:
    """A kind around another rule (its ``rule`` is what a row scores by)."""
    return bool(getattr(KINDS.get(kind_of(rule)), "WRAPS", False))


def scored(rule: Any) -> bool:
    """Whether the rule carries points (criteria judged Đạt/Chưa đạt do not)."""
    return bool(getattr(KINDS.get(kind_of(rule)), "SCORED", True))


def batch(rule: Any) -> bool:
    """Scored across the batch (Min-Max), not from a row alone."""
    return bool(getattr(KINDS.get(kind_of(rule)), "BATCH", False))


def parse(rule: Mapping[str, Any]):
    """Typed parameters of a rule mapping (already checked); typed rules pass through."""
    from rulesets.kinds.base import Params
    if isinstance(rule, Params):
        return rule
    mod = KINDS.get(kind_of(rule))
    if mod is None:
        raise ValueError(f"loại quy tắc không biết / unknown rule kind {kind_of(rule)!r}")
    return mod.Params.from_dict(rule)


def reads_rate(kind: str) -> bool:
    """Kinds that read a rate may declare the decision's formula (``rate`` + ``inputs``)."""
    mod = KINDS.get(kind)
    return bool(mod and getattr(mod, "READS_RATE", False))


# ---------------------------------------------------------------- scoring

def with_formula(rule: Any, figures: dict) -> dict:
    """The row's figures with the counts behind the rate taken from the rule's declared
    formula (``rate: "(c + d) / (a + b)"``) when the row holds every lettered input;
    otherwise unchanged (a report printing only ``a = …; b = …`` gives a/b as printed)."""
    text = rule.get("rate") if isinstance(rule, Mapping) else None
    if not text:
        return figures
    counts = rate_counts(text, figures)
    if counts is None:
        return figures
    return {**figures, "numerator": round(counts[0], 6), "denominator": round(counts[1], 6)}


def score(rule: Any, figures: dict, max_points: float | None, part: bool = False) -> float | None:
    """Unrounded points of one rule against ``max_points``; None when the figures do not tell."""
    mod = KINDS.get(kind_of(rule))
    if mod is None:
        return None
    rule = parse(rule)
    figures = with_formula(rule, figures)
    if max_points is None:
        # the source prints no maximum: only "nothing" is known for sure ("Không" gives 0 of anything)
        v = mod.score(rule, figures, 1.0, part)
        return 0.0 if v is not None and abs(v) < 1e-12 else None
    return mod.score(rule, figures, float(max_points), part)


def present(rule: Any, figures: dict) -> bool:
    """Whether the row gives the figures the rule reads (for ``missing-figures``)."""
    mod = KINDS.get(kind_of(rule))
    if mod is None or not hasattr(mod, "present"):
        return True
    rule = parse(rule)
    return mod.present(rule, with_formula(rule, figures))


# ---------------------------------------------------------------- words

def describe(rule: Any) -> list[str]:
    """The rule in Vietnamese, as lines of decision prose (``Tỷ lệ >= 85%: Điểm tối đa``)."""
    mod = KINDS.get(kind_of(rule)) or KINDS[DEFAULT]
    return mod.describe(parse(rule) if kind_of(rule) in KINDS else rule)


def summary(rule: Any) -> str:
    """One short line per rule, for people reading a table (``dti rulesets show``)."""
    mod = KINDS.get(kind_of(rule))
    return mod.summary(parse(rule)) if mod else kind_of(rule)


# ---------------------------------------------------------------- recognition

def readers(stage: str) -> list:
    """The kinds' readers of one stage, in their declared order:
    ``whole`` reads the whole method text before it is cut into clauses (Min-Max,
    DVCTT substitution, weighted parts, pass/fail); ``parts`` reads numbered parts
    ``(1) … (2) …``; ``clauses`` reads the clauses ``condition: outcome``."""
    found = [(order, fn) for mod in KINDS.values() for st, order, fn in mod.READERS if st == stage]
    return [fn for _, fn in sorted(found, key=lambda x: x[0])]


def recognise(reading) -> dict:
    """The rule a decision's method text states, or ``manual`` with the text and why.

    A kind is returned only when every clause is accounted for by that kind; any clause
    left over gives ``manual`` with the whole text kept, so a reviewer settles it."""
    from rulesets.kinds.manual import from_text
    t = reading.text
    if not t:
        return {"kind": DEFAULT, "note": "Quyết định không ghi cách tính điểm"}
    for fn in readers("whole"):
        rule = fn(reading)
        if rule is not None:
            return rule
    cls, rest = reading.cut(t, reading.max_points)
    if not cls:
        return from_text(t, "Không thấy kết quả điểm (Điểm tối đa, n*Điểm tối đa, 0 điểm)")
    if reading.numbered():
        for fn in readers("parts"):
            rule = fn(reading)
            if rule is not None:
                return rule
        return from_text(t, "Điểm gồm nhiều phần cộng lại ((1) + (2)): cần người nhập công thức")
    if rest and not reading.only_marks(rest):
        return from_text(t, f"Còn đoạn chưa hiểu sau kết quả cuối: «{rest[:60]}»")
    for fn in readers("clauses"):
        rule = fn(cls, reading)
        if rule is not None:
            return rule
    return from_text(t, "Không nhận ra dạng quy tắc")


# ---------------------------------------------------------------- schema

def check(ctx, rule: Any, field: str = "rule") -> dict[str, Any]:
    """Validate one rule mapping (recursively) against its kind; returns it unchanged.
    Messages name the file, the indicator and the field (``ctx``), in Vietnamese."""
    from rulesets.schema import _rate_formula, as_str, check_keys
    if not isinstance(rule, Mapping):
        raise ctx.fail(field, f"phải là ánh xạ có 'kind' (gặp {rule!r})")
    kind = rule.get("kind")
    mod = KINDS.get(kind) if isinstance(kind, str) else None
    if mod is None:
        raise ctx.fail(f"{field}.kind", f"loại quy tắc không biết {kind!r}; dùng được: {', '.join(KINDS)}")
    opt = tuple(mod.OPTIONAL) + (("rate", "inputs") if reads_rate(kind) else ())
    check_keys(ctx, f"{field}.", rule, ("kind",) + tuple(mod.REQUIRED), opt + ("note",))
    p = f"{field}."
    if "rate" in rule or "inputs" in rule:
        _rate_formula(ctx, p, rule)
    mod.validate(ctx, rule, p)
    if "note" in rule:
        as_str(ctx, p + "note", rule["note"])
    return rule


def check_parts(ctx, field: str, parts: Any, share_key: str, extra: tuple[str, ...]) -> None:
    """Parts of a composite rule: each ``{share_key: fraction, rule: {...}}``, the fractions adding to 1."""
    from rulesets.schema import as_fraction, as_str, check_keys, nonempty_list
    total = 0.0
    for n, part in enumerate(nonempty_list(ctx, field, parts)):
        f = f"{field}[{n}]"
        check_keys(ctx, f + ".", part, (share_key, "rule"), extra)
        total += as_fraction(ctx, f"{f}.{share_key}", part[share_key])
        check(ctx, part["rule"], f + ".rule")
        for k in extra:
            if k in part:
                as_str(ctx, f"{f}.{k}", part[k])
    if abs(total - 1) > 1e-3:
        raise ctx.fail(field, f"tổng {share_key} của các phần phải bằng 1 (gặp {total:g})")


def needs(rule: Any) -> list[str]:
    """The figures a rule reads from a row (``Indicator.needs`` of an imported draft)."""
    mod = KINDS.get(kind_of(rule))
    if mod is None:
        return []
    if hasattr(mod, "needs"):
        return list(mod.needs(rule))
    return list(getattr(mod, "NEEDS", []))


def asks(rule: Any) -> str:
    """What a row must give for the rule, in Vietnamese (``missing-figures``)."""
    mod = KINDS.get(kind_of(rule))
    return mod.asks(parse(rule)) if mod is not None and hasattr(mod, "asks") else "cần nội dung trả lời"


def canonical(d: dict, raw: Mapping) -> dict:
    """One spelling of a rule for comparing two (``decision_import.diff``): the kind's own ``canonical``."""
    mod = KINDS.get(kind_of(d))
    return mod.canonical(d, raw) if mod is not None and hasattr(mod, "canonical") else d


def describe_parts(parts, key: str) -> list[str]:
    from rulesets.kinds.words import pct
    out = []
    for n, p in enumerate(parts, 1):
        sub = "; ".join(describe(p.rule))
        out.append(f"({n}) {p.get('name') or ''} ({pct(p[key])} Điểm tối đa): {sub}")
    out.append("Điểm = " + " + ".join(f"({n})" for n in range(1, len(parts) + 1)))
    return out
