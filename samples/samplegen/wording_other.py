"""A second wording of the rules, independent of ``rulesets.wording`` (which the importer
was written against), for measuring `dti rulesets import` without circularity.

Each rule kind is phrased the other ways the provinces' decisions write it (seed 001
Hòa Bình 1153, seed 002 Hưng Yên and the other provinces' annexes):
- points as numbers of the indicator's maximum rather than ``Điểm tối đa``
  (``Có: 10đ; Không: 0đ``, ``Đạt 100%: 20 điểm; dưới 100%: 0 điểm``);
- thresholds as ``Đạt từ 85% trở lên``, ranges as ``từ 50% đến dưới 70%``;
- counts and frequencies as ``Đạt 20 tin, bài trở lên``, ``từ 10 đến 19 tin, bài``,
  ``4 lần/tháng trở lên``;
- rates as ``Điểm = Tỷ lệ × 20 điểm``; lettered inputs after ``Trong đó:``;
- per-item points as ``Mỗi … được 2 điểm, tối đa 5 điểm``;
- yes/no parts as one line each with their points;
- the DVCTT substitution as ``Trường hợp đơn vị chưa cung cấp DVCTT: …``.
Nothing here is read back by the product; only the measure uses it
(``samples/measure_import.py``, rows marked *other wording*).
"""
from __future__ import annotations

from rulesets.model import Indicator


def _n(v: float) -> str:
    return f"{v:g}".replace(".", ",")


def _p(f: float) -> str:
    return f"{f * 100:.4g}".replace(".", ",") + "%"


def _pts(f: float, mx: float | None) -> str:
    """A fraction of the maximum as points: '20 điểm', '10đ' style is chosen by the caller."""
    if mx is None:
        return "Điểm tối đa" if f == 1 else (f"{_n(f)} × Điểm tối đa" if f else "0 điểm")
    return f"{_n(round(f * mx, 4))} điểm"


UNIT = {"articles": "tin, bài", "count": "lượt", "per_month": "lần/tháng", "per_week": "lần/tuần",
        "amount": "triệu đồng"}
ITEM = {"other_points": "điểm công cộng khác có wifi miễn phí", "count": "đơn vị"}
BASE = {"one_stop_wifi": "Có wifi miễn phí tại Bộ phận một cửa"}
FACT = {"functional": "Đáp ứng yêu cầu chức năng, tính năng kỹ thuật", "ipv6": "Đã chuyển đổi sang IPv6"}


def method_lines(ind: Indicator) -> list[str]:
    return _lines(ind.rule, ind.max_points)


def _rate_intro(r: dict) -> list[str]:
    if not r.get("rate"):
        return []
    ins = "; ".join(f"{k} = {v}" for k, v in r["inputs"].items())
    return [f"Trong đó: {ins}.", f"Tỷ lệ = {r['rate'].replace(' ', '')}."]


def _lines(r: dict, mx: float | None) -> list[str]:
    k = r["kind"]
    if k == "rate":
        return _rate_intro(r) + [f"Điểm = Tỷ lệ × {_n(mx)} điểm" if mx else "Điểm = Tỷ lệ × Điểm tối đa"]
    if k == "rate_threshold":
        t = _p(r["threshold"])
        return _rate_intro(r) + [f"Đạt từ {t} trở lên: {_pts(1, mx)};",
                                 f"Dưới {t}: Điểm = Tỷ lệ/{t} × Điểm tối đa"]
    if k == "bands":
        out, upper = _rate_intro(r), None
        for b in r["bands"]:
            pts = {"max": _pts(1, mx), "rate": "Điểm = Tỷ lệ × Điểm tối đa"}.get(b["points"]) \
                if isinstance(b["points"], str) else _pts(b["points"], mx)
            low = b["min"]
            if low == 0:
                cond = "Các trường hợp còn lại"
            elif low == 1 and upper is None and b.get("inclusive", True):
                cond = "Đạt 100%"
            elif upper is None:
                cond = f"Đạt từ {_p(low)} trở lên" if b.get("inclusive", True) else f"Trên {_p(low)}"
            else:
                cond = (f"Từ {_p(low)} đến dưới {_p(upper)}" if b.get("inclusive", True)
                        else f"Trên {_p(low)} đến {_p(upper)}")
            out.append(f"{cond}: {pts};")
            upper = low
        if r["bands"][-1]["min"] > 0:
            out.append(f"Dưới {_p(r['bands'][-1]['min'])}: 0 điểm")
        return out
    if k == "yes_no":
        return [f"Có: {_n(mx)}đ; Không: 0đ" if mx else "Có: Điểm tối đa; Không: 0 điểm"]
    if k == "options" and r.get("fact") == "leader":
        who = {"chair": "Trưởng ban là Chủ tịch UBND", "deputy": "Trưởng ban là Phó Chủ tịch UBND",
               "none": "Chưa thành lập Ban chỉ đạo"}
        return [f"{who[o['key']]}: {_pts(o['fraction'], mx)};"
                for o in sorted(r["options"], key=lambda o: -o["fraction"])]
    if k == "options":
        return [f"{', '.join(o.get('match') or [o['key']])}: {_pts(o['fraction'], mx)};" for o in r["options"]]
    if k == "tiers":
        unit = UNIT.get(r["fact"], "lượt")
        whole = r["fact"] != "amount" and all(float(t["min"]).is_integer() for t in r["tiers"])
        out, upper = [], None
        for t in r["tiers"]:
            lo = t["min"]
            if upper is None:
                out.append(f"Đạt {_n(lo)} {unit} trở lên: {_pts(t['fraction'], mx)};")
            elif whole:
                out.append(f"Từ {_n(lo)} đến {_n(upper - 1)} {unit}: {_pts(t['fraction'], mx)};")
            else:
                out.append(f"Từ {_n(lo)} đến dưới {_n(upper)} {unit}: {_pts(t['fraction'], mx)};")
            upper = lo
        out.append(f"Dưới {_n(upper)} {unit}: 0 điểm")
        return out
    if k == "per_item":
        base = BASE.get(r["base_fact"], r["base_fact"])
        item = ITEM.get(r["item_fact"], r["item_fact"])
        return [f"{base}: {_pts(r['base_fraction'], mx)};",
                f"Mỗi {item} được {_n(r['points_per_item'])} điểm, tối đa {_n(r['items_cap_points'])} điểm"]
    if k == "sum" and all(p["rule"]["kind"] == "yes_no" and p["rule"].get("fact") in FACT for p in r["parts"]):
        return [f"{FACT[p['rule']['fact']]}: {_pts(p['share'], mx)};" for p in r["parts"]] + \
            ["Chưa đáp ứng, chưa chuyển đổi: 0 điểm"]
    if k in ("sum", "weighted"):
        key = "share" if k == "sum" else "weight"
        out = [f"Điểm gồm {len(r['parts'])} phần:"]
        for p in r["parts"]:
            out.append(f"- {p.get('name', '')} ({_p(p[key])} số điểm): " + " ".join(_lines(p["rule"], None)))
        return out
    if k == "minmax":
        what = {"ratio": "tỷ lệ", "amount": "giá trị (triệu đồng)", "count": "số lượng"}[r["value"]]
        best = "cao nhất" if r.get("higher_is_better", True) else "thấp nhất"
        return _rate_intro(r) + [f"Đơn vị có {what} {best} được {_pts(1, mx)}; các đơn vị khác tính điểm "
                                 f"theo phương pháp chuẩn hóa Min-Max."]
    if k == "dvctt_substitution":
        return _lines(r["rule"], mx) + ["Trường hợp đơn vị chưa cung cấp DVCTT: điểm chỉ số tính theo tỷ lệ điểm "
                                        "đạt được của các chỉ số còn lại trong trụ cột."]
    if k == "pass_fail":
        if "threshold" in r:
            return [f"Đánh giá Đạt/Không đạt: Đạt khi tỷ lệ từ {_p(r['threshold'])} trở lên."]
        return ["Đánh giá Đạt/Không đạt, không chấm điểm."]
    return [r.get("note") or "Theo hướng dẫn của Sở Thông tin và Truyền thông"]
