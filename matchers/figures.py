"""Pure parsers for the figures printed in DTI report cells and sentences.

Vietnamese conventions: ``1.570`` is 1570 (dot = thousands), ``8,5`` is 8.5
(comma = decimal), but reports also write ``8.0`` and ``17.38``: a dot is a
thousands separator only when every group after it has exactly three digits.

``extract_figures(text)`` runs every parser on one cell or sentence and returns
a ``Figures``; the single parsers are public for the lead's column logic.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from .normalize import clean

# ---------------------------------------------------------------- numbers

# numbers are read by the one vocabulary (rulesets.vocab); re-exported for the matchers
from rulesets.vocab import NUM, numbers, parse_number  # noqa: E402,F401

_NUM_RX = re.compile(NUM)


# ---------------------------------------------------------------- rates

_OPS = {"≥": "≥", ">=": "≥", "=>": "≥", "≤": "≤", "<=": "≤", "=<": "≤", ">": ">", "<": "<",
        "từ": "≥", "tối thiểu": "≥", "trên": ">", "dưới": "<", "tối đa": "≤"}
_OP_RX = r"(?P<op>≥|≤|>=|<=|=>|=<|>|<|từ|tối thiểu|trên|dưới)?\s*"
_RATE_RX = re.compile(_OP_RX + r"(?P<num>" + NUM + r")\s*%", re.I)


@dataclass
class Rate:
    value: float          # fraction: 85 % -> 0.85
    op: str | None = None  # "≥", ">", "≤", "<" when printed as a threshold ("≥ 5%")
    start: int = 0
    end: int = 0


def find_rates(text: str) -> list[Rate]:
    t = clean(text)
    out = []
    for m in _RATE_RX.finditer(t):
        v = parse_number(m.group("num"))
        if v is None:
            continue
        op = m.group("op")
        out.append(Rate(round(v / 100, 6), _OPS.get(op.lower()) if op else None, m.start("num"), m.end()))
    return out


def parse_rate_ex(text: str | None, rate_context: bool = False) -> Rate | None:
    """First rate printed in ``text`` with its threshold operator, or None.

    ``"85%"`` -> 0.85; ``"Tỷ 50%"`` -> 0.5; ``"≥ 5%"`` -> 0.05 op ``≥``;
    ``"129,41%"`` -> 1.2941.  A bare fraction (``"0,85"``) counts only when the
    caller says the cell is a rate (``rate_context``) and it lies in 0..1.
    """
    t = clean(text)
    rates = find_rates(t)
    if rates:
        return rates[0]
    if rate_context:
        v = parse_number(t)
        if v is not None and 0 <= v <= 1:
            return Rate(v, None, 0, len(t))
    return None


def parse_rate(text: str | None, rate_context: bool = False) -> float | None:
    r = parse_rate_ex(text, rate_context)
    return r.value if r else None


# ---------------------------------------------------------------- fractions

@dataclass
class Fraction:
    numerator: float
    denominator: float
    ratio: float | None = None   # the rate printed next to the counts, if any
    start: int = 0
    end: int = 0


# between the two parts: "; ", ", ", "và", or OCR's stray dots ("a= 2.229;.b = 7.096");
# OCR may drop the first "=" ("a 7.845; b = 9.620") but then the "b =" must be there
_AB_RX = re.compile(r"(?<![\w])a\s*[=:]?\s*(?P<a>" + NUM + r")\s*(?:[;,.]\s*){0,3}(?:và\s*)?b\s*[=:]\s*(?P<b>"
                    + NUM + r")", re.I)
_SLASH_RX = re.compile(r"(?<![\w/.,])(?P<a>" + NUM + r")\s*/\s*(?P<b>" + NUM + r")(?![\w/]|[.,]\d)")
# words that make "x/y" a score pair rather than counts
_SCORE_AFTER = re.compile(r"^\s*(?:điểm|đ\b|\*|x\b|×)", re.I)
_SCORE_BEFORE = re.compile(r"(?:chấm|đánh giá|điểm|đạt được)\s*:?\s*$", re.I)
_COUNTED_POINTS_BEFORE = re.compile(r"%\s*\(\s*$")
_COUNTED_POINTS_AFTER = re.compile(r"^\s*điểm\s*(?:phục vụ|wi\s*-?\s*fi|bưu|truy cập|giao dịch)", re.I)


def _counted_points(before: str, after: str) -> bool:
    """"100% (3/3 điểm)" and "2/3 điểm phục vụ" count service points, not a score."""
    return bool(_COUNTED_POINTS_BEFORE.search(before[-6:]) or _COUNTED_POINTS_AFTER.match(after))


_DATE_BEFORE = re.compile(r"(?:ngày|ngay|tháng|năm)\s*$", re.I)
_POINTS_AFTER = re.compile(r"^\s*(?:điểm|đ\b)", re.I)


def pair_is_count(text: str, start: int, end: int, denominator: float | None,
                  max_hint: float | None = None) -> bool:
    """Whether the "x/y điểm" at ``text[start:end]`` counts things (service points, "4/4 điểm
    phục vụ") rather than being the self-score.  "điểm" is both a point of service and a
    score point, so the surroundings decide: a self-score word before it makes it the score;
    a self-score stated elsewhere in the text, a maximum stated elsewhere that is not y, or
    a row maximum (``max_hint``) that is not y make it counts."""
    before, after = text[:start], text[end:]
    if _counted_points(before, after):
        return True
    if _SCORE_BEFORE.search(before[-30:]):
        return False
    if any(m.end() <= start or m.start() >= end for m in _SELF_RX.finditer(text)
           if not (m.group(0).lower().startswith("đạt") and not (m.group("m") or m.group("u")))):
        return True
    stated = [parse_number(m.group("m")) for m in _MAX_RX.finditer(text) if m.end() <= start or m.start() >= end]
    if denominator is not None and any(v is not None and abs(v - denominator) > 1e-9 for v in stated):
        return True
    return denominator is not None and max_hint is not None and abs(max_hint - denominator) > 1e-9


def find_fractions(text: str, max_hint: float | None = None) -> list[Fraction]:
    """Counts printed as ``a/b`` or ``a = …; b = …`` (dates, document numbers,
    score pairs and formula fractions like ``1/2*Điểm`` are left out)."""
    t = clean(text)
    out: list[Fraction] = []
    for m in _AB_RX.finditer(t):
        a, b = parse_number(m.group("a")), parse_number(m.group("b"))
        if a is not None and b is not None:
            out.append(Fraction(a, b, None, m.start(), m.end()))
    for m in _SLASH_RX.finditer(t):
        if any(f.start <= m.start() < f.end for f in out):
            continue
        after, before = t[m.end():], t[:m.start()]
        if re.match(r"\s*/", after) or re.match(r"\s*-\s*[A-ZĐ]", after):
            continue  # 16/7/2022, 65/BC-UBND
        if _POINTS_AFTER.match(after):
            if not pair_is_count(t, m.start(), m.end(), parse_number(m.group("b")), max_hint):
                continue  # 20/20 điểm, tự chấm 8,5/10 điểm
        elif (_SCORE_AFTER.match(after) or _SCORE_BEFORE.search(before[-30:])) and not _counted_points(before, after):
            continue  # tự chấm 8,5/10, 1/2*Điểm tối đa
        if _DATE_BEFORE.search(before[-8:]):
            continue  # ngày 16/7
        a, b = parse_number(m.group("a")), parse_number(m.group("b"))
        if a is None or b is None or b == 0:
            continue
        if re.fullmatch(r"\d{1,2}", m.group("a")) and re.fullmatch(r"\d{1,2}", m.group("b")) \
                and a <= 31 and 1 <= b <= 12 and re.match(r"\s*năm\b", after):
            continue  # 16/7 năm 2022
        out.append(Fraction(a, b, None, m.start(), m.end()))
    out.sort(key=lambda f: f.start)
    rates = find_rates(t)
    for f in out:
        near = [r for r in rates if r.op is None and (abs(r.start - f.end) < 40 or abs(f.start - r.end) < 40)]
        if near:
            f.ratio = min(near, key=lambda r: min(abs(r.start - f.end), abs(f.start - r.end))).value
    return out


def parse_fraction(text: str | None) -> Fraction | None:
    """``"743/746 đạt 99,59%"`` -> 743, 746, ratio 0.9959; ``"a = 45; b = 50"`` -> 45, 50.
    None for ``16/7/2022``, ``65/BC-UBND``, ``20/20 điểm``."""
    fr = find_fractions(text or "")
    return fr[0] if fr else None


# ---------------------------------------------------------------- points

_TIMES = r"\s*(?:x|×|\*|X|nhân)\s*"
_RTM_RX = re.compile(r"(?:\(?\s*(?P<num>" + NUM + r")\s*%\s*\)?|(?P<word>t[ỷỉyi]\s*l[ệe]\s*%?))" + _TIMES
                     + r"(?P<max>" + NUM + r")(?!\s*%)", re.I)
# the other orders communes type: "10 x 82,14%", and the rate as a fraction "0,8214 x 10"
_MTR_RX = re.compile(r"(?<![\d.,])(?P<max>" + NUM + r")" + _TIMES + r"\(?\s*(?P<num>" + NUM + r")\s*%", re.I)
_FTM_RX = re.compile(r"(?<![\d.,])(?P<frac>0[.,]\d+|1[.,]0+)" + _TIMES + r"(?P<max>" + NUM + r")(?!\s*%)", re.I)


def _rate_times_max(t: str) -> tuple[float | None, float, re.Match] | None:
    for rx in (_RTM_RX, _MTR_RX, _FTM_RX):
        m = rx.search(t)
        if not m:
            continue
        mx = parse_number(m.group("max"))
        if mx is None or mx < 1:
            continue
        if rx is _FTM_RX:
            v = parse_number(m.group("frac"))
            return (None if v is None else round(v, 6)), mx, m
        if m.group("num"):
            v = parse_number(m.group("num"))
            return (round(v / 100, 6) if v is not None else None), mx, m
        return None, mx, m
    return None


def parse_rate_times_max(text: str | None) -> tuple[float | None, float] | None:
    """Hùng Sơn's points cell: ``"85% x 10"`` -> (0.85, 10); ``"82,14% x 10"`` -> (0.8214, 10);
    ``"10 x 82,14%"`` and ``"0,8214 x 10"`` likewise; ``"Tỷ lệ% x 20"`` -> (None, 20);
    ``"Tỷ 50% x 20"`` -> (0.5, 20); ``"$100\\% \\times 10$"`` -> (1.0, 10)."""
    got = _rate_times_max(clean(text))
    return None if got is None else (got[0], got[1])


def parse_points(text: str | None) -> float | None:
    """A claimed-points cell: ``"8,5"``, ``"8.0"``, ``"20"``, ``"15 điểm"``, ``"15đ"``;
    ``""``, ``"Có"``, ``"85% x 10"`` -> None (the latter is ``parse_rate_times_max``)."""
    t = clean(text)
    if not t or "%" in t:
        return None
    t = re.sub(r"\s*(?:điểm|đ)\s*\.?$", "", t, flags=re.I).strip()
    pair = re.fullmatch(r"(" + NUM + r")\s*/\s*(" + NUM + r")", t)
    if pair:  # "20/20" in a points cell: points out of max
        return parse_number(pair.group(1))
    # a narrow cell wraps a decimal: "607,5" / "8" is 607,58 (a score has at most 3 decimals)
    t = re.sub(r"^(\d+[.,]\d{1,2})\s+(\d{1,2})$", lambda m: m.group(1) + m.group(2)
               if len(m.group(1).split(",")[-1].split(".")[-1] + m.group(2)) <= 3 else m.group(0), t)
    v = parse_number(t)
    return v if v is not None and 0 <= v <= 1000 else None


_SELF_RX = re.compile(r"(?:tự\s*chấm|tự\s*đánh\s*giá|điểm\s*tự\s*đánh\s*giá|điểm\s*tự\s*chấm|đạt|chấm)"
                      r"\s*(?:được)?\s*:?\s*(?P<p>" + NUM + r")(?:\s*/\s*(?P<m>" + NUM + r"))?\s*(?P<u>điểm)?", re.I)
_MAX_RX = re.compile(r"(?:tối\s*đa|trên\s*tổng\s*số)\s*:?\s*(?P<m>" + NUM + r")\s*điểm", re.I)
_PAIR_RX = re.compile(r"(?<![\w/.,])(?P<p>" + NUM + r")\s*/\s*(?P<m>" + NUM + r")\s*điểm", re.I)


def parse_score(text: str | None, max_hint: float | None = None) -> tuple[float | None, float | None]:
    """Self-score in prose: (points, max) from ``"tự chấm 20/20 điểm"``,
    ``"điểm tự đánh giá: 30/30"``, ``"đạt 8,5/10 điểm"``,
    ``"tự chấm 16,84 điểm (tối đa 20 điểm)"``, ``"tự chấm: 20 điểm"``."""
    t = clean(text)
    pts = mx = None
    found = []
    for m in _SELF_RX.finditer(t):
        word = m.group(0).lower()
        # "đạt 85%" is a rate and "đạt 8" alone is a count: "đạt" needs "x/y" or "điểm"
        if word.startswith("đạt") and not (m.group("m") or m.group("u")):
            continue
        if t[m.end():m.end() + 1] == "%":
            continue
        found.append(m)
    # "tự chấm"/"tự đánh giá" name the self-score; "đạt 4/4 điểm" before it may count service points
    found.sort(key=lambda m: (not re.search(r"tự", m.group(0), re.I), m.start()))
    if found:
        m = found[0]
        pts = parse_number(m.group("p"))
        if m.group("m"):
            mx = parse_number(m.group("m"))
    if pts is None:
        for m in _PAIR_RX.finditer(t):
            if pair_is_count(t, m.start(), m.end(), parse_number(m.group("m")), max_hint):
                continue
            pts, mx = parse_number(m.group("p")), parse_number(m.group("m"))
            break
    if mx is None:
        m = _MAX_RX.search(t)
        if m:
            mx = parse_number(m.group("m"))
    return pts, mx


# ---------------------------------------------------------------- money, counts

_MONEY_RX = re.compile(_OP_RX + r"(?P<num>" + NUM + r")\s*(?P<unit>tỷ|tỉ|triệu|tr\b|trđ|nghìn|ngàn|đồng|vnđ|đ\b)(?!\s*lệ)", re.I)
_MONEY_SCALE = {"tỷ": 1000.0, "tỉ": 1000.0, "triệu": 1.0, "tr": 1.0, "trđ": 1.0,
                "nghìn": 0.001, "ngàn": 0.001, "đồng": 1e-6, "vnđ": 1e-6, "đ": 1e-6}


def parse_money_ex(text: str | None) -> tuple[float, str | None] | None:
    """(amount in triệu đồng, threshold op) or None."""
    t = clean(text)
    for m in _MONEY_RX.finditer(t):
        before = t[:m.start("num")]
        if re.search(r"/\s*$", before):
            continue  # "132/33.000 triệu đồng" is a fraction, not an amount
        unit = m.group("unit").lower()
        v = parse_number(m.group("num"))
        if v is None:
            continue
        if unit in ("đồng", "vnđ", "đ") and v < 1000:
            continue  # "20 đ" is points, not money
        op = m.group("op")
        return round(v * _MONEY_SCALE[unit], 6), (_OPS.get(op.lower()) if op else None)
    return None


def parse_money(text: str | None) -> float | None:
    """``"≥ 30 triệu"`` -> 30, ``"35 triệu đồng"`` -> 35, ``"1,2 tỷ đồng"`` -> 1200 (triệu đồng)."""
    r = parse_money_ex(text)
    return r[0] if r else None


DEFAULT_UNITS = ("camera", "tin, bài", "tin bài", "tin/bài", "bài viết", "tin", "bài", "lần", "điểm wifi",
                 "điểm phát wifi", "điểm", "máy tính", "máy", "màn hình", "đầu đọc", "thôn", "hộ", "người",
                 "cuộc họp", "cuộc", "trường", "doanh nghiệp", "dn", "văn bản", "hồ sơ", "dịch vụ", "tthc",
                 "hội nghị", "lớp", "ứng dụng", "phần mềm")
_PERIODS = {"ngày": "per_day", "tuần": "per_week", "tháng": "per_month", "quý": "per_quarter", "năm": "per_year"}


@dataclass
class Count:
    value: float
    unit: str | None = None      # the unit word as listed ("camera", "tin, bài", "lần")
    period: str | None = None    # per_day | per_week | per_month | per_quarter | per_year


def parse_count(text: str | None, unit_words: tuple[str, ...] | list[str] | None = None) -> Count | None:
    """``"9 camera"`` -> 9; ``"35 tin, bài/năm"`` -> 35 per_year; ``"4 lần/tháng"`` -> 4 per_month;
    ``"2 lần/tuần"``; ``"12 tin bài"``.  Only numbers followed by a unit word
    (``unit_words`` or ``DEFAULT_UNITS``); "20 điểm" (points) is not a count."""
    t = clean(text)
    units = sorted(unit_words or DEFAULT_UNITS, key=len, reverse=True)
    rx = re.compile(r"(?<![\w/.,])(?P<n>" + NUM + r")\s*(?P<u>" + "|".join(re.escape(u) for u in units)
                    + r")(?!\w)(?:\s*(?:/|trên|mỗi|một|trong)\s*(?:1\s*)?(?P<p>ngày|tuần|tháng|quý|năm))?", re.I)
    for m in rx.finditer(t):
        u = m.group("u").lower()
        after = t[m.end():]
        if u == "điểm" and not re.match(r"\s*(?:wifi|wi-fi|phục vụ|bưu|truy cập)", after, re.I):
            continue  # "20 điểm" is a score
        if re.match(r"\s*/\s*\d", after):
            continue  # "3/3 điểm" is a fraction
        v = parse_number(m.group("n"))
        if v is None:
            continue
        p = m.group("p")
        return Count(v, u, _PERIODS[p.lower()] if p else None)
    return None


# ---------------------------------------------------------------- all at once

@dataclass
class Figures:
    ratio: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    count: float | None = None
    amount: float | None = None          # triệu đồng
    points: float | None = None          # self-score read from the text
    max_points: float | None = None      # a maximum the text states ("x 10", "/10 điểm", "tối đa 20")
    factor_pct: float | None = None      # the percent of a "P% x M" cell as printed (85.0)
    answer: str | None = None            # yes | no | text (answers.normalise_answer)
    option: str | None = None
    raw: str = ""
    certainty: float = 1.0
    rate_op: str | None = None           # "≥" etc. when the rate is a threshold, not a value
    count_unit: str | None = None
    period: str | None = None
    facts: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


def extract_figures(text: str | None, rate_context: bool = False, max_hint: float | None = None) -> Figures:
    """Every figure in one cell or sentence; ``certainty`` drops when the text is ambiguous
    (several different fractions or rates, a printed rate that disagrees with its counts,
    numbers no parser used)."""
    from .answers import extract_facts, normalise_answer  # answers imports this module

    t = clean(text)
    fig = Figures(raw=t)
    if not t:
        return fig
    cert = 1.0
    used: list[tuple[int, int]] = []

    rtm = parse_rate_times_max(t)
    if rtm:
        fig.ratio, fig.max_points = rtm
        fig.factor_pct = round(rtm[0] * 100, 6) if rtm[0] is not None else None
        m = _rate_times_max(t)[2]
        used.append((m.start(), m.end()))

    fracs = find_fractions(t, max_hint)
    if fracs:
        f = fracs[0]
        fig.numerator, fig.denominator = f.numerator, f.denominator
        used += [(x.start, x.end) for x in fracs]
        if len({(x.numerator, x.denominator) for x in fracs}) > 1:
            cert = min(cert, 0.7)
        if f.ratio is not None and fig.ratio is None:
            fig.ratio = f.ratio
        if f.ratio is not None and f.denominator and abs(f.numerator / f.denominator - f.ratio) > 0.01:
            cert = min(cert, 0.8)

    rates = [r for r in find_rates(t) if not any(s <= r.start < e for s, e in used)]
    if fig.ratio is None and rates:
        fig.ratio, fig.rate_op = rates[0].value, rates[0].op
        if len({r.value for r in rates}) > 1:
            cert = min(cert, 0.8)
    elif fig.ratio is None and rate_context:
        r = parse_rate_ex(t, rate_context=True)
        if r:
            fig.ratio = r.value
            cert = min(cert, 0.8)
    used += [(r.start, r.end) for r in find_rates(t)]

    pts, mx = parse_score(t, max_hint)
    if pts is not None:
        fig.points = pts
    if mx is not None and fig.max_points is None:
        fig.max_points = mx
    elif pts is None and not rtm and not fracs and not rates:
        fig.points = parse_points(t)

    money = parse_money_ex(t)
    if money:
        fig.amount = money[0]
        fig.rate_op = fig.rate_op or money[1]

    cnt = parse_count(t)
    if cnt and not (fig.numerator is not None and cnt.value in (fig.numerator, fig.denominator)):
        fig.count, fig.count_unit, fig.period = cnt.value, cnt.unit, cnt.period

    fig.answer = normalise_answer(t)
    fig.facts = extract_facts(t)
    if fig.count is None and "count" in fig.facts:
        fig.count = fig.facts["count"]

    # digits nobody explained (not a code, date or document number) lower the certainty
    if fig.points is None and fig.ratio is None and fig.numerator is None and fig.count is None \
            and fig.amount is None and fig.answer not in ("yes", "no") \
            and re.search(r"\d", re.sub(r"\d+/\d+(?:/\d+)?|\d+/[A-ZĐ]|số\s*\d+", "", t)):
        cert = min(cert, 0.5)
    fig.certainty = cert
    return fig
