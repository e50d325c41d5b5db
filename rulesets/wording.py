"""A rule in the words a decision uses (``a = …; b = …; Điểm = (a/b)*Điểm tối đa``).

Used where a person checks a ruleset against the decision side by side
(`dti rulesets sheet`) and by the sample decisions (samples/samplegen/decision.py).
``decision_import.methods`` reads this wording back; the two are kept in step by the
import tests.
"""
from __future__ import annotations

from fractions import Fraction

from rulesets.model import Indicator

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


UNITS = {"articles": "tin, bài", "per_month": "lần/tháng", "per_week": "lần/tuần", "amount": "triệu đồng",
         "count": "đơn vị"}


FACT_WORDS = {"one_stop_wifi": "hệ thống wifi công cộng miễn phí tại Bộ phận một cửa",
              "other_points": "điểm công cộng khác có wifi miễn phí"}


def method_lines(ind: Indicator) -> list[str]:
    """The scoring method of one indicator, as lines of decision prose."""
    return _lines(ind.rule, ind)


def formula_text(f: str) -> str:
    """The schema's ``(c + d) / (a + b)`` as the decisions print it: ``(c+d)/(a+b)``."""
    return f.replace(" ", "")


def _inputs(r: dict) -> list[str]:
    """A declared formula's lettered inputs, one line each (``a = Tổng số …;``)."""
    return [f"{n} = {desc};" for n, desc in (r.get("inputs") or {}).items()]


def _ratio(r: dict) -> list[str]:
    """What the rate is: the declared formula with its inputs, or the plain ``a/b``."""
    if r.get("rate"):
        return _inputs(r) + [f"Tỷ lệ = {formula_text(r['rate'])}"]
    return ["Tỷ lệ = a/b"]


def _lines(r: dict, ind: Indicator) -> list[str]:
    k = r["kind"]
    if k == "rate":
        if r.get("rate"):
            return _inputs(r) + [f"Điểm = ({formula_text(r['rate'])})*Điểm tối đa"]
        return ["a = Số lượng đạt yêu cầu của chỉ số", "b = Tổng số tương ứng", "Điểm = (a/b)*Điểm tối đa"]
    if k == "rate_threshold":
        t = pct(r["threshold"])
        return _ratio(r) + [f"Tỷ lệ >= {t}: Điểm tối đa", f"Tỷ lệ < {t}: Điểm = Tỷ lệ/{t}*Điểm tối đa"]
    if k == "bands":
        out = _ratio(r)
        for b in r["bands"]:
            op = ">=" if b.get("inclusive", True) else ">"
            pts = {"max": "Điểm tối đa", "rate": "Điểm = Tỷ lệ*Điểm tối đa"}.get(b["points"]) \
                if isinstance(b["points"], str) else share(b["points"])
            out.append(f"Tỷ lệ {op} {pct(b['min'])}: {pts}" if b["min"] > 0 else f"Các trường hợp còn lại: {pts}")
        if r["bands"][-1]["min"] > 0:
            low = r["bands"][-1]
            out.append(f"Tỷ lệ {'<' if low.get('inclusive', True) else '<='} {pct(low['min'])}: 0 điểm")
        return out
    if k == "yes_no":
        return ["Đã có/Đã thực hiện: Điểm tối đa", "Chưa có/Chưa thực hiện: 0 điểm"]
    if k == "options" and r.get("fact") == "leader":
        words = {"chair": "Trưởng ban là người đứng đầu (Chủ tịch/Giám đốc)",
                 "deputy": "Trưởng ban là cấp phó (Phó Chủ tịch/Phó Giám đốc)",
                 "none": "Chưa có Ban chỉ đạo hoặc Trưởng ban không phải lãnh đạo"}
        order = sorted(r["options"], key=lambda o: -o["fraction"])
        return [f"{words[o['key']]}: {share(o['fraction'])}" for o in order]
    if k == "options":
        return [f"{' / '.join(o.get('match') or [o['key']])}: {share(o['fraction'])}" for o in r["options"]]
    if k == "tiers":
        unit = UNITS.get(r["fact"], "đơn vị")
        out, upper = [], None
        for t in r["tiers"]:
            lo = num(t["min"])
            if upper is None:
                out.append(f"Từ {lo} {unit} trở lên: {share(t['fraction'])}")
            else:
                out.append(f"Từ {lo} đến dưới {num(upper)} {unit}: {share(t['fraction'])}")
            upper = t["min"]
        out.append(f"Dưới {num(upper)} {unit}: 0 điểm")
        return out
    if k == "per_item":
        base, item = FACT_WORDS.get(r["base_fact"], r["base_fact"]), FACT_WORDS.get(r["item_fact"], r["item_fact"])
        return [f"(1) Có {base}: {share(r['base_fraction'])}",
                f"(2) Mỗi {item} được tính {num(r['points_per_item'])} điểm "
                f"(Tối đa {num(r['items_cap_points'])} điểm)", "Điểm = (1) + (2)"]
    if k in ("sum", "weighted"):
        key = "share" if k == "sum" else "weight"
        out = []
        for n, p in enumerate(r["parts"], 1):
            sub = "; ".join(_lines(p["rule"], ind))
            out.append(f"({n}) {p.get('name', '')} ({pct(p[key])} Điểm tối đa): {sub}")
        out.append("Điểm = " + " + ".join(f"({n})" for n in range(1, len(r["parts"]) + 1)))
        return out
    if k == "minmax":
        better = "cao nhất" if r.get("higher_is_better", True) else "thấp nhất"
        what = {"ratio": "tỷ lệ", "amount": "giá trị (triệu đồng)", "count": "số lượng"}[r["value"]]
        return (_ratio(r) if r.get("rate") else []) + [f"Chuẩn hóa Min-Max theo {what} giữa các đơn vị",
                f"Đơn vị có {what} {better}: Điểm tối đa",
                "Đơn vị khác: Điểm = (Giá trị - Min)/(Max - Min)*Điểm tối đa"]
    if k == "dvctt_substitution":
        return _lines(r["rule"], ind) + [
            "Đơn vị không có DVCTT: điểm chỉ số tính theo tỷ lệ điểm đạt/điểm tối đa của các chỉ số khác "
            "trong trụ cột (Phần V.4 mục 2)"]
    if k == "pass_fail":
        if "threshold" in r:
            return [f"Đạt: tỷ lệ >= {pct(r['threshold'])}", "Không đạt: các trường hợp còn lại"]
        return ["Đạt/Không đạt (không chấm điểm)"]
    # manual: the decision's own words, as kept in the note
    return [r.get("note") or "Theo hướng dẫn của Sở"]
