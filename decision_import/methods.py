"""A decision's scoring-method text (``Cách tính điểm``) → a rule of ``rulesets.model``.

The text is read as a sequence of *clauses* ``condition: outcome``, where the
outcome is what the decisions write for points: ``Điểm tối đa``, ``1/2*Điểm tối
đa``, ``0,7*Điểm tối đa``, ``0 điểm``, ``Điểm = (a/b)*Điểm tối đa``, ``Điểm =
Tỷ lệ/85%*Điểm tối đa``.  Cutting at outcomes rather than at line ends keeps
the reading the same whether a PDF or OCR wrapped the cell's lines or not.

A kind is returned only when every clause is accounted for by that kind; any
clause left over, or two readings that disagree, gives ``manual`` with the
whole text kept, so a reviewer settles it (``dti rulesets check``) — a guess is
never written as a rule.  Numbers and rates are read by ``matchers.figures``,
answer words by ``matchers.answers`` (one vocabulary for the whole product).
"""
from __future__ import annotations

import re

from matchers.answers import extract_facts
from matchers.figures import NUM, find_rates, parse_number
from matchers.normalize import clean
# the clause reader, the formula and the band/tier readers live in their own modules;
# Clause, clauses and manual stay importable from here
from decision_import.clauses import _MAXW, Clause, _f, _negated, _share, clauses, manual
from decision_import.methods_bands import _bands, _full_rate, _rate, _threshold, _tiers
from decision_import.methods_formula import _lettered, _with_formula

__all__ = ["Clause", "clauses", "manual", "recognise"]


# "Đơn vị không có DVCTT: …", "Trường hợp đơn vị chưa cung cấp dịch vụ công trực tuyến: …"
_NO_DVCTT = re.compile(r"(?:-\s*)?(?:Trường hợp\s+)?(?:các\s+)?(?:cơ quan,?\s+)?đơn vị\s+(?:không|chưa)\s+"
                       r"(?:có|cung cấp|triển khai)\s+(?:DVCTT|dịch vụ công trực tuyến)(?:\s*\(DVCTT\))?", re.I)


def recognise(text: str, max_points: float | None = None) -> dict:
    """The rule the method text states, or ``manual`` with the text and why.

    ``max_points`` (the indicator's maximum) lets points written as numbers be read."""
    t = re.sub(r"(?<=\w)-\s+(?=\w)", "-", re.sub(r"\s+", " ", clean(text))).strip()
    rest, inputs, formula = _lettered(t)
    if formula is None:
        return _with_formula(_recognise(t, max_points), inputs, formula, t)
    return _with_formula(_recognise(rest, max_points), inputs, formula, t)


def _recognise(text: str, mx: float | None = None) -> dict:
    # one line: a PDF or OCR wraps a cell's lines anywhere ("Min-\nMax", "Điểm tối\nđa")
    t = re.sub(r"(?<=\w)-\s+(?=\w)", "-", re.sub(r"\s+", " ", clean(text))).strip()
    if not t:
        return {"kind": "manual", "note": "Quyết định không ghi cách tính điểm"}
    f = _f(t)
    sub = _NO_DVCTT.search(t)
    if sub:
        # Hòa Bình V.4.2: the indicator's own rule, replaced for units without DVCTT by the
        # share of points the unit reached on the other indicators of the pillar
        own, instead = t[:sub.start()], _f(t[sub.end():])
        if not (re.search(r"\bty le\b", instead) and re.search(r"chi so (?:khac|con lai)|ngoai chi so", instead)):
            return manual(t, "Có cách tính riêng cho đơn vị không có DVCTT nhưng không phải thay bằng tỷ lệ điểm "
                             "các chỉ số khác")
        inner = _recognise(own, mx)
        if inner["kind"] == "manual":
            return manual(t, "Có quy định thay thế DVCTT nhưng không nhận ra cách tính chính")
        return {"kind": "dvctt_substitution", "rule": inner}
    if "min-max" in f or "min - max" in f or "chuan hoa min" in f:
        return _minmax(t, f, mx)
    if ("khong dat" in f or "khong cham diem" in f) and not clauses(t)[0]:
        return _pass_fail(t)
    cls, rest = clauses(t, mx)
    if not cls:
        return manual(t, "Không thấy kết quả điểm (Điểm tối đa, n*Điểm tối đa, 0 điểm)")
    if re.search(r"\(\s*[12]\s*\)", t) or "moi " in f and re.search(r"duoc (?:tinh )?\d", f):
        return (_sum(t) or _per_item(t, mx) or _numbered_parts(t, mx)
                or manual(t, "Điểm gồm nhiều phần cộng lại ((1) + (2)): cần người nhập công thức"))
    if rest and not re.fullmatch(r"[\W\d]*", rest):
        return manual(t, f"Còn đoạn chưa hiểu sau kết quả cuối: «{rest[:60]}»")
    for reader in (_rate, _threshold, _bands, _tiers, _leader, _full_rate, _parts_yes_no, _yes_no):
        rule = reader(cls)
        if rule is not None:
            return rule
    return manual(t, "Không nhận ra dạng quy tắc")


_PART = re.compile(r"\(\s*(\d)\s*\)\s*(?P<label>[^()]*?)\s*\(\s*(?P<share>" + NUM + r")\s*%\s*" + _MAXW
                   + r"\s*\)\s*:?(?P<body>.*?)(?=\(\s*\d\s*\)|$)", re.I | re.S)


def _sum(t: str) -> dict | None:
    """``(1) Label (60% Điểm tối đa): Có: Điểm tối đa; Chưa: 0 điểm (2) …``: a sum of
    yes/no parts, each reading the fact the answer reader finds in the part's label
    (``IPv6`` → ipv6, ``chức năng`` → functional).  Anything else: None (manual)."""
    body = re.split(r"(?i)Điểm\s*=\s*\(1\)", t)[0]
    parts = []
    for m in _PART.finditer(body):
        rule = recognise(m.group("body"))
        facts = [k for k, v in extract_facts(m.group("label")).items() if isinstance(v, bool)]
        if rule.get("kind") != "yes_no" or len(facts) != 1:
            return None
        parts.append({"share": round(parse_number(m.group("share")) / 100, 6), "name": m.group("label").strip(),
                      "rule": {"kind": "yes_no", "fact": facts[0]}})
    if len(parts) < 2 or abs(sum(p["share"] for p in parts) - 1) > 1e-6:
        return None
    return {"kind": "sum", "parts": parts}


_PER_ITEM = re.compile(
    r"^[\s-]*(?:\(\s*1\s*\))?\s*(?P<base>.+?)[\s;,.-]*(?:\(\s*2\s*\))?\s*M[ỗôo]i\s+(?P<item>.+?)\s+(?:được\s+)?(?:tính\s+)?(?P<ppi>" + NUM
    + r")\s*(?:điểm|đ)\b\s*[(,;]?\s*t[ốôo]i\s*[đd]a\s*(?P<cap>" + NUM + r")\s*(?:điểm|đ)\b\s*\)?\s*[.;]?\s*(?P<rest>.*)$",
    re.I)


def _per_item(t: str, mx: float | None = None) -> dict | None:
    """``(1) Có wifi tại Bộ phận một cửa: 1/2*Điểm tối đa (2) Mỗi điểm … được tính 2 điểm (Tối
    đa 5 điểm) - Điểm = (1) + (2)``: a yes/no base and points per item with a cap.  The base is
    the one yes/no fact the answer reader finds in its words; the items are what it counts
    (``N điểm wifi`` → other_points, else a plain count).  A remark in brackets is kept in
    the rule's words only; anything else left over: None."""
    m = _PER_ITEM.search(t)
    if not m:
        return None
    rest = re.sub(r"\((?!\s*\d\s*\))[^()]*\)", " ", m.group("rest"))            # "(Điểm wifi do xã đầu tư)"
    if not re.fullmatch(r"[\s.;-]*(?:Điểm\s*=\s*\(\s*1\s*\)\s*\+?\s*\(\s*2\s*\)\s*)?[\s.;]*", rest, re.I):
        return None
    cls, left = clauses(m.group("base"), mx)
    if len(cls) != 1 or not isinstance(cls[0].points, float) or left or not 0 < cls[0].points < 1:
        return None
    facts = [k for k, v in extract_facts(cls[0].cond).items() if isinstance(v, bool)]
    if len(facts) != 1 or re.search(r"\bchua\b|\bkhong\b", _f(cls[0].cond)):
        return None
    item = _f(m.group("item"))
    # "wif": OCR reads "wifi" as "wifñ", "wif1"
    item_fact = "other_points" if "wif" in item.replace(" ", "") and re.search(r"\bdiem\b", item) else "count"
    return {"kind": "per_item", "base_fact": facts[0], "base_fraction": cls[0].points, "item_fact": item_fact,
            "points_per_item": parse_number(m.group("ppi")), "items_cap_points": parse_number(m.group("cap"))}


def _numbered_parts(t: str, mx: float | None = None) -> dict | None:
    """``(1) Đáp ứng …: 4/5*Điểm tối đa (2) Đã chuyển IPv6: 1/5*Điểm tối đa - Điểm = (1) (2) - Chưa
    …: 0 điểm``: the same yes/no parts as without the numbers, or None."""
    bare = re.sub(r"(?i)-?\s*Điểm\s*=\s*\(\s*1\s*\)\s*\+?\s*\(\s*2\s*\)", " ", t)
    bare = re.sub(r"\(\s*[12]\s*\)", " - ", bare)
    if re.search(r"\(\s*\d\s*\)", bare):
        return None
    cls, rest = clauses(bare, mx)
    if rest and not re.fullmatch(r"[\W\d]*", rest):
        return None
    return _parts_yes_no(cls)


def _parts_yes_no(cls: list[Clause]) -> dict | None:
    """``Đáp ứng yêu cầu chức năng …: 3/5*Điểm tối đa - Đã chuyển đổi sang IPv6: 2/5*Điểm tối đa -
    Chưa đáp ứng, chưa chuyển đổi: 0 điểm``: a sum of yes/no parts, each the one yes/no fact the
    answer reader finds in its words; the shares add up to the maximum."""
    parts, zero = [], 0
    for c in cls:
        if not isinstance(c.points, float) or re.search(r"\d\s*%", c.cond):
            return None
        if c.points == 0.0:
            zero += 1
            if not _negated(c.cond):
                return None
            continue
        facts = [k for k, v in extract_facts(c.cond).items() if isinstance(v, bool) and v]
        if len(facts) != 1 or _negated(c.cond) or not 0 < c.points < 1:
            return None
        parts.append({"share": c.points, "name": c.cond.strip(" -–+;:."), "rule": {"kind": "yes_no", "fact": facts[0]}})
    if len(parts) < 2 or zero > 1 or abs(sum(p["share"] for p in parts) - 1) > 1e-6 \
            or len({p["rule"]["fact"] for p in parts}) != len(parts):
        return None
    return {"kind": "sum", "parts": parts}


_ROLES = r"(Phó\s+)?(Chủ tịch|Giám đốc|Bí thư|Thủ trưởng|Chánh Văn phòng)"


def _leader(cls: list[Clause]) -> dict | None:
    """Chair / deputy / none of the steering committee (the answer reader knows these keys)."""
    opts = {}
    for c in cls:
        if not isinstance(c.points, float):
            return None
        f = _f(c.cond)
        if re.search(r"\bchua\b|khong phai|khong co", f):
            key, words = "none", ["Chưa có Ban chỉ đạo", "Chưa thành lập", "không phải"]
        elif re.search(r"\bpho\b|cap pho", f):
            key = "deputy"
            words = sorted({"Phó " + m.group(2) for m in re.finditer(_ROLES, c.cond)}) + ["cấp phó"]
        elif re.search(r"chu tich|giam doc|bi thu|thu truong|nguoi dung dau", f):
            key = "chair"
            words = sorted({m.group(2) for m in re.finditer(_ROLES, c.cond)}) + ["người đứng đầu"]
        else:
            return None
        if key in opts or "truong ban" not in f and key != "none":
            return None
        opts[key] = {"key": key, "match": words, "fraction": c.points}
    if set(opts) != {"chair", "deputy", "none"}:
        return None
    # "Phó Chủ tịch" contains "Chủ tịch": the deputy and negative options are tried first
    return {"kind": "options", "fact": "leader", "options": [opts["deputy"], opts["none"], opts["chair"]]}


def _yes_no(cls: list[Clause]) -> dict | None:
    if len(cls) != 2 or sorted(c.points for c in cls if isinstance(c.points, float)) != [0.0, 1.0]:
        return None
    if any(re.search(r"\d", c.cond) for c in cls):
        return None
    yes = next(c for c in cls if c.points == 1.0)
    if re.search(r"\bchua\b|\bkhong\b", _f(yes.cond)):
        return None
    return {"kind": "yes_no"}


_QUANTITY = (("ratio", r"ty le"), ("amount", r"trieu dong|kinh phi|gia tri"), ("count", r"so luong"))


def _minmax(t: str, f: str, mx: float | None = None) -> dict:
    """``Chuẩn hóa Min-Max theo tỷ lệ … cao nhất: Điểm tối đa`` or ``Đơn vị có tỷ lệ cao nhất được
    20 điểm; các đơn vị khác … Min-Max``: the quantity normalised and whether more is better."""
    best = r"(cao nhat|thap nhat)\s*(?::|duoc|dat)?\s*(diem toi da|(" + NUM + r")\s*diem)"
    values = {v for v, rx in _QUANTITY if re.search(r"min-max theo (?:" + rx + ")", f)
              or re.search(r"(?:" + rx + r")[^.;:]{0,25}?" + best, f)}
    if len(values) != 1:
        return manual(t, "Min-Max: không rõ đại lượng được chuẩn hóa")
    ends = {m.group(1) for m in re.finditer(best, f)
            if m.group(3) is None or _share(m.group(3), mx) == 1.0}
    if len(ends) != 1:
        return manual(t, "Min-Max: không rõ giá trị cao hay thấp là tốt")
    return {"kind": "minmax", "value": values.pop(), "higher_is_better": ends.pop() == "cao nhat"}


def _pass_fail(t: str) -> dict:
    rates = find_rates(t)
    if not rates:
        return {"kind": "pass_fail"}
    if len(rates) == 1 and rates[0].op == "≥":
        return {"kind": "pass_fail", "threshold": rates[0].value}
    return manual(t, "Tiêu chí đạt/không đạt với ngưỡng chưa rõ")
