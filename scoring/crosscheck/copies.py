"""Copied between units: do two reports agree in figures and free text beyond chance?

The measure (documented in README, "Cross-report checks"):

- **Figures.** Over the indicators both reports matched, each printed figure (numerator,
  denominator, ratio, claimed points, count, amount) is weighed by how unlikely two
  independent communes are to print it by chance: its significant digits less one
  (``informativeness``).  ``2.070`` weighs 2, ``7.845`` 3, ``80,27 %`` 3; a round or boundary
  value weighs nothing (``100 %``, ``0``, ``1.000``, the row's maximum as claimed points), and
  so does a count under 20 (``8/9 thôn``) and a yes/no answer — identical "Có"/"Không"
  answers are never evidence.  A ratio computed from printed counts adds nothing the counts
  did not say, so it weighs 0 beside them.  ``share`` = weight of the agreeing figures /
  weight of the figures compared.
- **Free text.** Word 3-shingles of each row's own text (its answer and evidence cells, with
  the indicator's name and every digit removed, accents folded), less the ruleset's own
  wording (every report of a ruleset repeats it), compared by Jaccard similarity.

A value printed alike by many units of the group (a fifth of them, and at least 8: a
province-wide count every commune takes from the same list) weighs nothing either; a ring of
copies that large is not what this check is for.

A pair is a copy when ``share ≥ 0.80`` and at least 5 informative figures (weight ≥ 1) agree,
or when the free text has ≥ 40 shingles on each side with Jaccard ≥ 0.80 and the figures do
not disagree (share ≥ 0.5, or none compared).  Why: an informative figure agrees by chance
with odds of 1 in 10 at the very most (a count ≥ 20 with two significant digits); five such
agreements happen by chance less than once in 100,000 pairs, while a clerk who reuses a
file and changes a few figures (a near-copy) keeps well over 80 % of them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
import unicodedata
from functools import lru_cache

from rulesets.vocab import strip_accents

FIGURES = ("numerator", "denominator", "ratio", "claimed_points", "count", "amount")
MIN_SHARE = 0.80
MIN_AGREE = 5
TEXT_JACCARD = 0.80
TEXT_MIN_SHINGLES = 40
SMALL_COUNT = 20


def significant_digits(v: float, decimals: int = 2) -> int:
    """Digits of ``v`` written with at most ``decimals`` decimals, leading and trailing zeros left
    out: 2070 -> 3 (207), 80.27 -> 4, 0.05 -> 1."""
    return len(f"{abs(float(v)):.{decimals}f}".replace(".", "").strip("0"))


def informativeness(field_name: str, value, row: dict) -> float:
    """How much an agreement on this value says: significant digits less one, 0 for the values
    communes print alike without copying (see the module's docstring)."""
    if value is None or isinstance(value, bool):
        return 0.0
    v = abs(float(value))
    if field_name == "ratio":
        if row.get("numerator") is not None and row.get("denominator") is not None:
            return 0.0
        return float(max(0, significant_digits(v * 100) - 1)) if 0 < v != 1 else 0.0
    if field_name == "claimed_points":
        mx = row.get("max_points")
        if v == 0 or (mx is not None and abs(v - float(mx)) < 1e-9):
            return 0.0
        return float(max(0, significant_digits(v) - 1))
    if field_name in ("numerator", "denominator", "count") and v < SMALL_COUNT:
        return 0.0
    return float(max(0, significant_digits(v) - 1))


def _same(a, b) -> bool:
    return a is not None and b is not None and abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)))


_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    # every precomposed Latin letter Vietnamese uses, to its bare letter: str.translate folds a
    # row's text at C speed (strip_accents per character is what 100,000 rows cannot afford)
    chars = [chr(c) for c in range(0xC0, 0x250)] + [chr(c) for c in range(0x1E00, 0x1F00)]
    return {ord(c): strip_accents(c) for c in chars if strip_accents(c) != c}


def words(text: str | None) -> list[str]:
    t = unicodedata.normalize("NFC", text or "").lower().translate(_fold_table())
    return _WORD.findall(t)


def shingles(text: str | None, n: int = 3) -> set[str]:
    w = words(text)
    return {" ".join(w[i:i + n]) for i in range(len(w) - n + 1)}


def row_text(row: dict) -> str:
    """A row's own words: its evidence/answer cells without the indicator's name."""
    text = " ".join(t for t in (row.get("evidence"), row.get("option")) if t)
    label = row.get("label") or ""
    if label and label in text:
        text = text.replace(label, " ")
    return text


def text_shingles(rows: list[dict], template: set[str]) -> set[str]:
    out: set[str] = set()
    for r in rows:
        out |= shingles(row_text(r))
    return out - template


def template_shingles(texts) -> set[str]:
    """The ruleset's own wording (indicator names, aliases, pillar names) as shingles."""
    out: set[str] = set()
    for t in texts:
        out |= shingles(t)
    return out


def by_indicator(rows: list[dict]) -> dict[str, dict]:
    """Each indicator's first row (a duplicate row is another flag's business)."""
    out: dict[str, dict] = {}
    for r in rows:
        if r.get("indicator"):
            out.setdefault(r["indicator"], r)
    return out


@dataclass
class Agreement:
    share: float                  # informative weight agreeing / compared
    agree: int                    # informative figures (weight >= 1) that agree
    compared: int                 # informative figures compared
    jaccard: float | None         # free-text similarity, None when too little text
    shingles: tuple[int, int]
    pairs: list[dict] = field(default_factory=list)     # indicator, positions, agreeing and differing fields

    @property
    def copied(self) -> bool:
        if self.share >= MIN_SHARE and self.agree >= MIN_AGREE:
            return True
        return (self.jaccard is not None and self.jaccard >= TEXT_JACCARD
                and (self.compared == 0 or self.share >= 0.5))


def compare(rows_a: list[dict], rows_b: list[dict], text_a: set[str] | None = None,
            text_b: set[str] | None = None, common: set | frozenset = frozenset()) -> Agreement:
    """How far report A's rows agree with report B's (``text_*``: their ``text_shingles``;
    ``common``: ``figure_keys`` many units print alike, e.g. a province-wide count of online
    services, which weigh nothing)."""
    a_by, b_by = by_indicator(rows_a), by_indicator(rows_b)
    got = total = 0.0
    agree = compared = 0
    pairs = []
    for code in sorted(a_by.keys() & b_by.keys(), key=_code_key):
        ra, rb = a_by[code], b_by[code]
        same_f, diff_f, weight_here = [], [], 0.0
        for f in FIGURES:
            va, vb = ra.get(f), rb.get(f)
            if va is None or vb is None:
                continue
            w = max(informativeness(f, va, ra), informativeness(f, vb, rb))
            if w <= 0 or (common and (code, f, round(float(va), 6)) in common):
                continue
            total += w
            compared += w >= 1
            if _same(va, vb):
                got += w
                agree += w >= 1
                same_f.append(f)
                weight_here += w
            else:
                diff_f.append(f)
        if same_f or diff_f:
            pairs.append({"indicator": code, "this": ra.get("position"), "other": rb.get("position"),
                          "same": same_f, "differ": diff_f, "weight": round(weight_here, 2)})
    jac = None
    if text_a is not None and text_b is not None and min(len(text_a), len(text_b)) >= TEXT_MIN_SHINGLES:
        jac = len(text_a & text_b) / len(text_a | text_b)
    # what a reviewer should look at first: the changed figures of a near-copy, then the heaviest agreements
    pairs.sort(key=lambda p: (not p["differ"], -p["weight"]))
    return Agreement(share=got / total if total else 0.0, agree=agree, compared=compared, jaccard=jac,
                     shingles=(len(text_a or ()), len(text_b or ())), pairs=pairs)


def figure_keys(rows: list[dict]) -> set[tuple]:
    """The informative figures of a report as keys (indicator, field, value): what two copies
    share, for finding candidate pairs without comparing every pair."""
    out = set()
    for code, r in by_indicator(rows).items():
        for f in FIGURES:
            v = r.get(f)
            if v is not None and informativeness(f, v, r) >= 1:
                out.add((code, f, round(float(v), 6)))
    return out


def _code_key(code: str):
    return [int(p) if p.isdigit() else 0 for p in code.split(".")]
