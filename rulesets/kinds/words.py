"""How the decisions write numbers and shares, for the kinds' Vietnamese descriptions."""
from __future__ import annotations

from fractions import Fraction


def pct(f: float) -> str:
    """0.85 -> '85%', 0.0025 -> '0,25%' (Vietnamese decimal comma)."""
    return f"{f * 100:.4g}".replace(".", ",") + "%"


def share(f: float) -> str:
    """A fraction of the maximum as the decisions write it: 'Điểm tối đa', '1/2*Điểm tối đa', '0,7*Điểm tối đa'."""
    if abs(f - 1) < 1e-9:
        return "Điểm tối đa"
    if f == 0:
        return "0 điểm"
    fr = Fraction(f).limit_denominator(12)
    if abs(float(fr) - f) < 1e-6 and fr.denominator in (2, 3, 4, 5, 8):
        return f"{fr.numerator}/{fr.denominator}*Điểm tối đa"
    return f"{f:g}".replace(".", ",") + "*Điểm tối đa"


def num(v: float) -> str:
    return f"{v:g}".replace(".", ",")


def short_pct(f: float) -> str:
    return f"{f * 100:g}%"


def formula_text(f: str) -> str:
    """The schema's ``(c + d) / (a + b)`` as the decisions print it: ``(c+d)/(a+b)``."""
    return f.replace(" ", "")


def inputs(r) -> list[str]:
    """A declared formula's lettered inputs, one line each (``a = Tổng số …;``)."""
    return [f"{n} = {desc};" for n, desc in (r.get("inputs") or {}).items()]


def ratio(r) -> list[str]:
    """What the rate is: the declared formula with its inputs, or the plain ``a/b``."""
    if r.get("rate"):
        return inputs(r) + [f"Tỷ lệ = {formula_text(r['rate'])}"]
    return ["Tỷ lệ = a/b"]


UNITS = {"articles": "tin, bài", "per_month": "lần/tháng", "per_week": "lần/tuần", "amount": "triệu đồng",
         "count": "đơn vị"}

FACT_WORDS = {"one_stop_wifi": "hệ thống wifi công cộng miễn phí tại Bộ phận một cửa",
              "other_points": "điểm công cộng khác có wifi miễn phí"}
