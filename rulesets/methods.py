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

import dataclasses
import re
from dataclasses import dataclass

from matchers.answers import extract_facts
from matchers.figures import NUM, find_rates, parse_number
from matchers.normalize import clean, strip_accents
from rulesets.formula import FormulaError, names, ratio_parts
from rulesets.vocab import fold_keep, frequency
from rulesets.formula import _tokens as formula_tokens

_TIMES = r"\s*[*x×.]?\s*"
# the key words with the accents OCR loses or swaps ("Tỷ lê", "Điêm tôi đa")
_TYLE = r"T[ỷỳýyỹỵ]\s*l[ệêeéèẹểế]"
_DIEM = r"[ĐD]i[ểêeếềệ]m"
_MAXW = _DIEM + r"\s*t[ốôoồổộ]i\s*[đd]a"
# outcomes, longest forms first (a plain "Điểm tối đa" is inside all the others)
_OUTCOME = re.compile(
    r"(?P<over>(?:" + _DIEM + r"\s*[=:]\s*)?" + _TYLE + r"\s*/\s*(?P<t>" + NUM + r")\s*%" + _TIMES + _MAXW + r")"
    r"|(?P<rate>(?:" + _DIEM + r"\s*[=:]\s*)?(?:" + _TYLE + r"|\(\s*a\s*/\s*b\s*\)|a\s*/\s*b)\s*[*x×]\s*(?:" + _MAXW
    + r"|(?P<rmax>" + NUM + r")\s*(?:điểm|đ)(?!\w)))"
    r"|(?P<frac>(?P<n>\d+)\s*/\s*(?P<d>\d+)" + _TIMES + _MAXW + r")"
    r"|(?P<dec>(?P<v>0[.,]\d+)" + _TIMES + _MAXW + r")"
    r"|(?P<max>" + _MAXW + r")"
    r"|(?P<zero>(?<![\d.,])0\s*(?:" + _DIEM + r"|đ(?!\w))|không\s+có\s+điểm|không\s+tính\s+điểm)"
    # points written as a number ("20 điểm", "10đ"): a share of the indicator's maximum, when known
    # ("5 điểm wifi", "3 điểm công cộng" are places, not points: the word after must end the clause)
    r"|(?P<abs>(?<![\d.,/%])(?P<pv>" + NUM + r")\s*(?:điểm|đ)(?!\w)(?=\s*(?:[;,.)\]\n–-]|$|(?-i:[A-ZĐÀ-Ỹ]))))", re.I)


@dataclass
class Clause:
    cond: str            # text before the outcome ("Tỷ lệ >= 85%")
    points: object       # 1.0, a fraction, 0.0, "rate" or ("over", threshold)


def clauses(text: str, max_points: float | None = None) -> tuple[list[Clause], str]:
    """The clauses and what is left after the last outcome.

    Points written as a number (``Có: 10đ``, ``Đạt 100%: 20 điểm``) are that share of
    ``max_points``; without a maximum, or above it, they are ``"unknown"`` and no reader
    takes the text."""
    t = re.sub(r"\s+", " ", clean(text))
    out, pos = [], 0
    for m in _OUTCOME.finditer(t):
        cond = t[pos:m.start()].strip(" -–+;:.,")
        if m.group("over"):
            pts: object = ("over", round(parse_number(m.group("t")) / 100, 6))
        elif m.group("rate"):
            pts = "rate" if m.group("rmax") is None or _share(m.group("rmax"), max_points) == 1.0 else "unknown"
        elif m.group("frac"):
            pts = int(m.group("n")) / int(m.group("d"))
        elif m.group("dec"):
            pts = parse_number(m.group("v"))
        elif m.group("max"):
            pts = 1.0
        elif m.group("abs"):
            pts = _share(m.group("pv"), max_points)
        else:
            pts = 0.0
        out.append(Clause(cond, pts))
        pos = m.end()
    return out, t[pos:].strip(" -–+;:.,")


def _share(v: str, max_points: float | None) -> object:
    x = parse_number(v)
    if x is None or not max_points or x > max_points + 1e-9:
        return "unknown"
    return round(x / max_points, 6)


def _f(s: str) -> str:
    return strip_accents(s).lower()


def manual(text: str, why: str) -> dict:
    words = re.sub(r"\s+", " ", clean(text))
    return {"kind": "manual", "note": f"{why}. Nguyên văn quyết định: {words}"}


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


_RATE_FORMULA_KINDS = ("rate", "rate_threshold", "bands", "minmax", "pass_fail")


def _with_formula(rule: dict, inputs: dict | None, formula: str | None, t: str) -> dict:
    """Declare the decision's formula on a rule that reads a rate (``rate`` + ``inputs``)."""
    if formula is None or rule["kind"] == "manual":
        return rule
    if rule["kind"] == "dvctt_substitution":
        inner = _with_formula(rule["rule"], inputs, formula, t)
        return inner if inner["kind"] == "manual" else {**rule, "rule": inner}
    if formula == "?":
        return manual(t, "Hai công thức khác nhau cho cùng một tỷ lệ")
    try:
        used = names(ratio_parts(formula)[0]) | names(ratio_parts(formula)[1])
    except FormulaError:
        return manual(t, f"Công thức «{formula}» không đọc được (thiếu dấu phép tính?)")
    if rule["kind"] not in _RATE_FORMULA_KINDS:
        return manual(t, f"Có công thức «{formula}» nhưng quy tắc không tính theo tỷ lệ")
    if formula == "a / b" and not used <= set(inputs or {}):
        return rule                   # "a/b" with a or b undefined (or its "=" lost): the row's own a/b
    if set(inputs or {}) - used:      # a defined input the formula does not use: "a / 5" for "a / b"?
        return manual(t, f"Công thức «{formula}» không dùng {', '.join(sorted(set(inputs) - used))} đã định nghĩa")
    if not used <= set(inputs or {}):
        return manual(t, f"Công thức «{formula}» dùng tên chưa được định nghĩa ({', '.join(sorted(used - set(inputs or {})))})")
    return {**rule, "rate": formula, "inputs": {n: inputs[n] for n in sorted(used)}}


# "Đơn vị không có DVCTT: …", "Trường hợp đơn vị chưa cung cấp dịch vụ công trực tuyến: …"
_NO_DVCTT = re.compile(r"(?:-\s*)?(?:Trường hợp\s+)?(?:các\s+)?(?:cơ quan,?\s+)?đơn vị\s+(?:không|chưa)\s+"
                       r"(?:có|cung cấp|triển khai)\s+(?:DVCTT|dịch vụ công trực tuyến)(?:\s*\(DVCTT\))?", re.I)


def recognise(text: str, max_points: float | None = None) -> dict:
    """The rule the method text states, or ``manual`` with the text and why.

    ``max_points`` (the indicator's maximum) lets points written as numbers be read."""
    t = re.sub(r"(?<=\w)-\s+(?=\w)", "-", re.sub(r"\s+", " ", clean(text))).strip()
    rest, inputs, formula = _lettered(t)
    if formula is None:
        return _recognise(t, max_points)
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
    item_fact = "other_points" if "wifi" in item.replace(" ", "") and re.search(r"\bdiem\b", item) else "count"
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


def _full_rate(cls: list[Clause]) -> dict | None:
    """``Phủ sóng đến 100% hộ gia đình: Điểm tối đa; Không phủ sóng tối đa: 0 điểm``, ``Tỷ lệ 100%
    đạt điểm tối đa; Không đạt tỷ lệ 100%: 0 điểm``: a yes/no whose yes is a rate of 100 %."""
    if len(cls) != 2 or sorted(c.points for c in cls if isinstance(c.points, float)) != [0.0, 1.0]:
        return None
    yes = next(c for c in cls if c.points == 1.0)
    no = next(c for c in cls if c.points == 0.0)
    ry, rn = find_rates(yes.cond), find_rates(no.cond)
    if len(ry) != 1 or abs(ry[0].value - 1) > 1e-9 or ry[0].op not in (None, "≥") or _negated(yes.cond):
        return None
    if any(abs(r.value - 1) > 1e-9 for r in rn) or not (_negated(no.cond) or any(r.op == "<" for r in rn)):
        return None
    return {"kind": "bands", "bands": [{"min": 1.0, "points": "max"}]}


def _negated(cond: str) -> bool:
    return re.search(r"(?:^|\s)(?:chua|khong|ko)(?:\s|$)", _f(cond)) is not None


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


def _rate(cls: list[Clause]) -> dict | None:
    if len(cls) == 1 and cls[0].points == "rate" and not find_rates(cls[0].cond):
        return {"kind": "rate"}
    return None


def _threshold(cls: list[Clause]) -> dict | None:
    overs = [c.points[1] for c in cls if isinstance(c.points, tuple)]
    if len(overs) != 1:
        return None
    t = overs[0]
    for c in cls:
        if isinstance(c.points, tuple):
            continue
        rates = find_rates(c.cond)
        # the only other clause allowed: "Tỷ lệ >= T: Điểm tối đa"
        if c.points != 1.0 or len(rates) != 1 or rates[0].op not in ("≥", ">") or abs(rates[0].value - t) > 1e-9:
            return None
    return {"kind": "rate_threshold", "threshold": t}


def _band_points(p: object) -> object:
    if p == "rate":
        return "rate"
    if p == 1.0:
        return "max"
    return p if isinstance(p, float) else None


def _range_end(cond: str, lo, r) -> bool:
    """``từ 30% đến 70%``: the second rate closes the range the first opens."""
    return r.start > lo.start and re.fullmatch(r"\s*(?:den|toi|-|–)\s*(?:duoi\s*)?", _f(cond[lo.end:r.start])) is not None


def _bands(cls: list[Clause]) -> dict | None:
    bands = []
    for c in cls:
        rates = find_rates(c.cond)
        pts = _band_points(c.points)
        if pts is None:
            return None
        lower = [r for r in rates if r.op in ("≥", ">")]
        if not lower and len(rates) == 1 and rates[0].op is None and abs(rates[0].value - 1) < 1e-9 \
                and not _negated(c.cond) and not bands:
            lower = rates = [dataclasses.replace(rates[0], op="≥")]      # "Đạt 100%": nothing is above it
        if len(lower) > 1 or lower and any(r.op is None and not _range_end(c.cond, lower[0], r) for r in rates):
            return None          # "Mức 2 > 7% (70% điểm) Mức 3 > 3% …": several bands in one clause
        if lower:
            b = {"min": lower[0].value}
            if lower[0].op == ">":
                b["inclusive"] = False
            b["points"] = pts
            bands.append(b)
        elif rates and all(r.op in ("<", "≤") for r in rates):
            if pts != 0.0:          # "dưới 50%: Tỷ lệ*Điểm tối đa" = a band from 0
                bands.append({"min": 0, "points": pts})
        elif not rates and "con lai" in _f(c.cond) and bands:
            if pts != 0.0:
                bands.append({"min": 0, "points": pts})
        else:
            return None
    if not bands:
        return None
    bands.sort(key=lambda b: -b["min"])
    return {"kind": "bands", "bands": bands}


_UNIT_FACTS = [(r"\btin\b|\bbai\b", "articles"), (r"trieu dong|ty dong", "amount")]


def _bounds(f: str) -> tuple[str, float, float | None] | None:
    """A tier's condition on folded text → (how, low, high): ``tu 10 den 19`` → ("from", 10, 19),
    ``2-3 lan`` → ("from", 2, 3), ``tu 12 … tro len`` → ("from", 12, None), ``tren 20 … tro len`` →
    ("over-up", 20, None), ``tren 20`` → ("over", 20, None), a bare ``4 lan`` → ("bare", 4, None),
    ``duoi 5`` → ("under", 5, None); None when there is not exactly one such reading.
    ``từ 10 đến dưới 20`` → ("from-below", 10, 20)."""
    nums = re.findall(NUM, f)
    if m := re.search(r"\btu\s+(" + NUM + r")\s*(?:den|-|–|toi)\s*(?:duoi\s+)?(" + NUM + r")", f):
        how, lo, hi = "from", m.group(1), m.group(2)
    elif m := re.search(r"(?<![\d.,])(" + NUM + r")\s*(?:-|–|den)\s*(" + NUM + r")\b", f):
        how, lo, hi = "from", m.group(1), m.group(2)
    elif m := re.search(r"\btu\s+(" + NUM + r")\b", f):
        how, lo, hi = "from", m.group(1), None
    elif m := re.search(r"\b(?:tren|hon)\s+(" + NUM + r")\b", f):
        how, lo, hi = ("over-up" if "tro len" in f else "over"), m.group(1), None
    elif m := re.search(r"\bduoi\s+(" + NUM + r")\b", f):
        how, lo, hi = "under", m.group(1), None
    elif len(nums) == 1:
        how, lo, hi = ("from" if "tro len" in f else "bare"), nums[0], None
    else:
        return None
    if len(nums) != 1 + (hi is not None):
        return None
    high = None if hi is None else parse_number(hi)
    if high is not None and re.search(r"\bden\s+duoi\b|\btoi\s+duoi\b", f):
        how = "from-below"                    # "đến dưới 20": the next tier starts at 20
    return how, parse_number(lo), high


def _tiers(cls: list[Clause]) -> dict | None:
    """Count or frequency tiers: ``Từ 10 đến 19 tin bài/năm: 1/2*Điểm tối đa``, ``Trên 20 tin, bài/năm
    trở lên: Điểm tối đa``, ``Tần suất phát sóng 4 lần/1 tháng: Điểm tối đa``.  The frequency is
    the vocabulary's (``vocab.frequency``: its printed unit names the fact).  A bound written
    loosely (``trên 20 … trở lên``, a bare ``4 lần``) is read only where the next tier below
    closes just under it (``đến 19``, ``2-3 lần``); tiers must not overlap or leave a gap."""
    rows, facts = [], set()
    for c in cls:
        if "%" in c.cond or not isinstance(c.points, float):
            return None
        # "4 lần/1 tháng": the "1" is the period, not a count
        f = re.sub(r"/\s*1\s+(?=(?:ngay|tuan|thang|quy|nam)\b)", "/", fold_keep(c.cond))
        freq = frequency(c.cond) if re.search(r"\blan\b", f) else {}
        if freq:
            facts.add(next(iter(freq)))
        else:
            facts.add(next((fact for rx, fact in _UNIT_FACTS if re.search(rx, f)), "count"))
        if c.points == 0.0 and not re.search(r"\d", f):
            continue                        # "Chưa có: 0 điểm"
        b = _bounds(f)
        if b is None or b[1] is None:
            return None
        rows.append((b, c.points))
    if len(facts) != 1 or not facts <= {"articles", "count", "amount", "per_month", "per_week"}:
        return None
    whole = facts != {"amount"}               # counts are whole: "đến 19" closes under "từ 20"
    under = [b for b, p in rows if b[0] == "under"]
    if any(p != 0.0 for b, p in rows if b[0] == "under") or len(under) > 1:
        return None
    scored = sorted(((b, p) for b, p in rows if b[0] != "under"), key=lambda r: -r[0][1])
    tiers, below_hi = [], None
    for n, ((how, lo, hi), pts) in enumerate(scored):
        nxt = scored[n + 1][0] if n + 1 < len(scored) else None
        if how in ("over-up", "bare", "over"):
            # read by the tier below: "trên 20 … trở lên" / a bare "4 lần" over one ending at lo - 1;
            # "trên 20" over one ending at 20 (then 21 and more)
            end = lo - 1 if how != "over" else lo
            if not whole or n != 0 or nxt is None or nxt[0] != "from" or nxt[2] is None or abs(nxt[2] - end) > 1e-9:
                return None
            lo = end + 1
        if n > 0:                             # no gap and no overlap with the tier above
            closes = hi if how == "from-below" else (hi + 1 if whole and hi is not None else None)
            if closes is None or abs(closes - tiers[-1]["min"]) > 1e-9:
                return None
        tiers.append({"min": lo, "fraction": pts})
    if not tiers or under and abs(under[0][1] - tiers[-1]["min"]) > 1e-9:
        return None
    if any(t["fraction"] == 0.0 for t in tiers):
        return None
    return {"kind": "tiers", "fact": facts.pop(), "tiers": tiers}


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
