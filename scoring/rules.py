"""Points for one indicator from one row's figures, for every rule kind in ``RULE_KINDS``.

Pure functions over ``(rule dict, figures dict, max points)``.  A rule that cannot be
applied from the figures gives ``None`` (never a guess): the engine then leaves the
row's computed points empty instead of inventing a mismatch.

Figures are what ``Row.figures()`` gives: ``ratio``, ``numerator``, ``denominator``,
``answer``, ``option``, ``count``, ``amount`` plus named facts (``leader``,
``section``, ``articles``, ``per_month``, ``per_week``, ``one_stop_wifi``, ...).
"""
from __future__ import annotations

from typing import Callable

from rulesets.vocab import strip_accents
from rulesets.formula import rate_counts
from rulesets.model import Indicator
from scoring.figures import (  # noqa: F401  (re-exported: the rules' vocabulary)
    WEEKS_PER_MONTH, fact_value, norm_text, rate_of, raw_rate, truth_of,
)

# kinds whose points come from a rate (printed ratio, else numerator/denominator)
RATE_KINDS = ("rate", "rate_threshold", "bands")


# ---------------------------------------------------------------- rule kinds

def _rate(rule: dict, figures: dict, mx: float, part: bool) -> float | None:
    r = rate_of(figures)
    return None if r is None else r * mx


def _rate_threshold(rule: dict, figures: dict, mx: float, part: bool) -> float | None:
    r, t = rate_of(figures), float(rule["threshold"])
    if r is None:
        return None
    return mx if t <= 0 or r >= t else r / t * mx


def _bands(rule: dict, figures: dict, mx: float, part: bool) -> float | None:
    r = rate_of(figures)
    if r is None:
        return None
    for band in rule["bands"]:
        lo = float(band["min"])
        reached = r >= lo - 1e-9 if band.get("inclusive", True) else r > lo + 1e-9
        if reached:
            pts = band["points"]
            return mx if pts == "max" else r * mx if pts == "rate" else float(pts) * mx
    return 0.0


def _yes_no(rule: dict, figures: dict, mx: float, part: bool) -> float | None:
    fact = rule.get("fact")
    v = truth_of(figures.get(fact)) if fact else None
    # a part's fact is its own; the row's answer speaks for the whole row, not for one part
    if v is None and not (fact and part):
        v = truth_of(figures.get("answer"))
    return None if v is None else (mx if v else 0.0)


def _matched_options(options: list[dict], text: str, fold: Callable[[str], str]) -> set[int]:
    """Options whose phrases occur in ``text``, longest phrases first and without overlaps:
    in "Phó Chủ tịch" the phrase "Chủ tịch" is part of a longer match and does not count,
    in "Chưa có chuyên mục riêng" neither does "chuyên mục riêng"."""
    hits = []
    for n, o in enumerate(options):
        for w in o.get("match") or ():
            w = fold(norm_text(w))
            start = text.find(w) if w else -1
            while start >= 0:
                hits.append((len(w), start, start + len(w), n))
                start = text.find(w, start + 1)
    taken: list[tuple[int, int]] = []
    found = set()
    for _, s, e, n in sorted(hits, key=lambda h: (-h[0], h[1])):
        if all(e <= ts or s >= te for ts, te in taken):
            taken.append((s, e))
            found.add(n)
    return found


def _find_option(rule: dict, figures: dict) -> dict | None:
    options = rule["options"]
    by_key = {norm_text(o["key"]): o for o in options}
    fact = rule.get("fact")
    candidates = [figures.get(fact) if fact else None, figures.get("option"), figures.get("answer")]
    for c in candidates:
        if isinstance(c, str) and norm_text(c) in by_key:
            return by_key[norm_text(c)]
    texts = [norm_text(c) for c in candidates if isinstance(c, str) and c.strip()]
    for fold in (lambda s: s, strip_accents):
        for t in texts:
            found = _matched_options(options, fold(t), fold)
            if found:
                # "Trưởng ban là Chủ tịch, Phó ban là Phó Chủ tịch": the best stated option counts
                return options[max(found, key=lambda i: (float(options[i]["fraction"]), -i))]
    if any(norm_text(c) == "no" for c in candidates if isinstance(c, str)):
        zero = [o for o in options if float(o["fraction"]) == 0]
        return zero[0] if zero else None
    return None


def _options(rule: dict, figures: dict, mx: float, part: bool) -> float | None:
    o = _find_option(rule, figures)
    return None if o is None else float(o["fraction"]) * mx


def _tiers(rule: dict, figures: dict, mx: float, part: bool) -> float | None:
    v = fact_value(figures, rule["fact"])
    if v is None:
        return None
    for tier in rule["tiers"]:
        if v >= float(tier["min"]) - 1e-9:
            return float(tier["fraction"]) * mx
    return 0.0


def _per_item(rule: dict, figures: dict, mx: float, part: bool) -> float | None:
    base = truth_of(figures.get(rule["base_fact"]))
    items = fact_value(figures, rule["item_fact"])
    if base is None and items is None:
        return None
    pts = (float(rule["base_fraction"]) * mx if base else 0.0)
    pts += min((items or 0.0) * float(rule["points_per_item"]), float(rule["items_cap_points"]))
    return min(pts, mx)


def _sub_figures(figures: dict, name: str | None) -> dict:
    """A part's own figures: a nested dict ``figures[name]`` or keys ``name_x`` / ``name.x``."""
    if not name:
        return figures
    nested = figures.get(name)
    if isinstance(nested, dict):
        return nested
    out = {}
    for sep in ("_", "."):
        p = name if name.endswith(sep) else name + sep
        out.update({k[len(p):]: v for k, v in figures.items() if isinstance(k, str) and k.startswith(p)})
    return out


def _sum(rule: dict, figures: dict, mx: float, part: bool) -> float | None:
    total = 0.0
    for p in rule["parts"]:
        prefix = p.get("fact_prefix")
        sub = {**figures, **_sub_figures(figures, prefix)} if prefix else figures
        v = score_rule(p["rule"], sub, float(p["share"]) * mx, part=True)
        if v is None:
            return None
        total += v
    return min(total, mx)


def _weighted(rule: dict, figures: dict, mx: float, part: bool) -> float | None:
    # a part without figures (e.g. a unit with no viên chức) drops out and the
    # others' weights are scaled up: the seeds' own note for that case
    got, weight = 0.0, 0.0
    for p in rule["parts"]:
        v = score_rule(p["rule"], _sub_figures(figures, p.get("figures")), mx, part=True)
        if v is not None:
            got += float(p["weight"]) * v
            weight += float(p["weight"])
    return None if weight == 0 else got / weight


def _none(rule: dict, figures: dict, mx: float, part: bool) -> float | None:
    return None


def _dvctt(rule: dict, figures: dict, mx: float, part: bool) -> float | None:
    # the substitution itself needs the rest of the pillar: the engine applies it
    return score_rule(rule["rule"], figures, mx, part)


KINDS: dict[str, Callable[[dict, dict, float, bool], float | None]] = {
    "rate": _rate, "rate_threshold": _rate_threshold, "bands": _bands, "yes_no": _yes_no,
    "options": _options, "tiers": _tiers, "per_item": _per_item, "sum": _sum,
    "weighted": _weighted, "minmax": _none, "dvctt_substitution": _dvctt,
    "pass_fail": _none, "manual": _none,
}


def with_formula(rule: dict, figures: dict) -> dict:
    """The row's figures with the counts behind the rate taken from the rule's declared
    formula (``rate: "(c + d) / (a + b)"``) when the row holds every lettered input;
    otherwise unchanged (a report printing only ``a = …; b = …`` gives a/b as printed)."""
    text = rule.get("rate") if isinstance(rule, dict) else None
    if not text:
        return figures
    counts = rate_counts(text, figures)
    if counts is None:
        return figures
    return {**figures, "numerator": round(counts[0], 6), "denominator": round(counts[1], 6)}


def score_rule(rule: dict, figures: dict, max_points: float | None, part: bool = False) -> float | None:
    """Unrounded points of one rule dict against ``max_points``."""
    figures = with_formula(rule, figures)
    fn = KINDS.get(rule.get("kind", "manual"))
    if fn is None:
        return None
    if max_points is None:
        # the source prints no maximum: only "nothing" is known for sure ("Không" gives 0 of anything)
        v = fn(rule, figures, 1.0, part)
        return 0.0 if v is not None and abs(v) < 1e-12 else None
    return fn(rule, figures, float(max_points), part)


def compute_points(indicator: Indicator, figures: dict) -> float | None:
    """Points the ruleset's rule gives this row's figures, rounded to 3 decimals; None if unknown."""
    if indicator.heading:
        return None
    v = score_rule(indicator.rule, figures or {}, indicator.max_points)
    return None if v is None else round(v + 0.0, 3)


def passes(indicator: Indicator, figures: dict) -> bool | None:
    """Đạt/Chưa đạt for ``pass_fail`` criteria: the rate against the threshold, else the answer;
    with no threshold, a full rate (100 %) meets whatever threshold the criterion has."""
    rule = indicator.rule
    r = raw_rate(with_formula(rule, figures))
    if r is not None and "threshold" in rule:
        return r >= float(rule["threshold"]) - 1e-9
    answer = truth_of(figures.get("answer"))
    if answer is None and r is not None and r >= 1 - 1e-9:
        return True
    return answer


# ---------------------------------------------------------------- what a rule needs

def _has(figures: dict, key: str) -> bool:
    v = figures.get(key)
    return v is not None and not (isinstance(v, str) and not v.strip())


def figures_present(rule: dict, figures: dict) -> bool:
    """Whether the row gives the figures the rule reads (for ``missing-figures``)."""
    kind = rule.get("kind", "manual")
    figures = with_formula(rule, figures)
    if kind in RATE_KINDS:
        return rate_of(figures) is not None
    if kind == "yes_no":
        return (bool(rule.get("fact")) and _has(figures, rule["fact"])) or _has(figures, "answer")
    if kind == "options":
        return any(_has(figures, k) for k in (rule.get("fact"), "option", "answer") if k)
    if kind == "tiers":
        return fact_value(figures, rule["fact"]) is not None
    if kind == "per_item":
        return _has(figures, rule["base_fact"]) or _has(figures, rule["item_fact"]) or _has(figures, "answer")
    if kind == "sum":
        return any(figures_present(p["rule"], figures) for p in rule["parts"]) or _has(figures, "answer")
    if kind == "weighted":
        return any(figures_present(p["rule"], _sub_figures(figures, p.get("figures"))) for p in rule["parts"])
    if kind == "minmax":
        value = rule.get("value", "ratio")
        return raw_rate(figures) is not None if value == "ratio" else _has(figures, value)
    if kind == "dvctt_substitution":
        return figures_present(rule["rule"], figures)
    return True     # manual, pass_fail: nothing to miss
