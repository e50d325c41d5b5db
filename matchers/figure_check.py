"""A row's own arithmetic as a checksum of the figures OCR read for it.

On a scan, a count read a digit wrong ("22" as "27") or a thousands dot lost
("7.845" as "7845") carries no sign of doubt, yet it makes the row accuse the
commune: its counts exceed their whole, or its self-score no longer follows
the rule from them.  Before such a row accuses anyone, the figures cell the
recomputation rests on is read again from the page's pixels, several ways
(``reread``: given by the caller, which owns the files):

- a way that reads the same numbers confirms the first reading: the flag stands;
- two confident ways that agree on other numbers, which make the arithmetic
  hold (the counts within their whole, the rule giving the printed self-score),
  correct the row, which keeps both readings in its reasons
  (``corrected-by-checksum``);
- anything else leaves the figures unsure: the row goes to review with the
  arithmetic shown, and no flag rests on them.

Every other row with counts (or a rate printed alone) gets the same re-read as a
second opinion: a confident re-read of other counts sends it to review, since a
misread count often moves the points by less than any sum can see.  Two repairs
rest on the row's printed rate: counts whose slash the reading lost
("7.0078.489 người, đạt 82,54%") are split where the rate says, and a rate
printed on the row that its counts give is kept as the row's rate.

Matchers never score: the rule's recomputation is given too (``compute``).
"""
from __future__ import annotations

import re
from typing import Callable

from extractors.document import Cell, Document
from matchers.checksum import MIN_AGREE, MIN_CONF, TAG
from matchers.figures import find_rates, numbers
from matchers.report import Report, Row
from matchers.trust import OCR_FORMATS, ReviewConfig, add_reason
from rulesets.model import Indicator, Ruleset
from rulesets.numbers import vn_number

EPS = 0.1 + 1e-9          # as scoring's POINTS_EPS
ROUNDING = 0.0051         # a rate printed to the percent (or finer) and its counts
MAX_CELLS = 120           # figures cells re-read per report at most (one strip per way in all)
_COUNTS = ("numerator", "denominator")

# ([(page, cell box)], settled(i, text, confidence)) -> per cell, the ways' readings
# [(text, confidence)]; a cell whose reading ``settled`` accepts need not be read the other ways
Reread = Callable[[list, Callable], list[list[tuple[str, float]]]]
# (row, indicator) -> the points the rule gives the row's figures, None when it gives none
Compute = Callable[[Row, Indicator], "float | None"]


def _accuses(row: Row, ind: Indicator, compute: Compute) -> str | None:
    """What the row's figures would accuse the commune of, in words, or None."""
    a, b = row.numerator, row.denominator
    if a is not None and b is not None and a > b + 1e-9:
        return f"tử số {vn_number(a)} lớn hơn mẫu số {vn_number(b)}"
    got = compute(row, ind)
    if row.claimed_points is not None and got is not None and abs(row.claimed_points - got) > EPS:
        return (f"tự chấm {vn_number(row.claimed_points)} điểm nhưng theo số liệu đọc được "
                f"({_figs(row)}) được {vn_number(got)} điểm")
    return None


def _figs(row: Row) -> str:
    parts = []
    if row.numerator is not None and row.denominator is not None:
        parts.append(f"{vn_number(row.numerator)}/{vn_number(row.denominator)}")
    if row.ratio is not None:
        parts.append(f"{vn_number(row.ratio * 100)}%")
    if row.count is not None:
        parts.append(vn_number(row.count))
    return ", ".join(parts) or "không có số liệu"


def _used(row: Row) -> list[float]:
    """The counts a rate is computed from (a count alone, "2 lần/tháng", has no arithmetic of its own)."""
    if row.numerator is None or row.denominator is None:
        # a rate printed alone ("95%"): its digits are what the rule reads
        return [round(row.ratio * 100, 4)] if row.ratio is not None and row.numerator is None else []
    return [row.numerator, row.denominator]


def _rate_agrees(row: Row) -> bool:
    """Counts that give the rate printed beside them to its last printed digit (80,27 % from
    5.980/7.450; a misread 5.960 gives 80,00 %): two figures read apart that agree."""
    a, b, r = row.numerator, row.denominator, row.ratio
    if a is None or not b or r is None:
        return False
    pct = f"{round(r * 100, 4):.4f}".rstrip("0").rstrip(".")
    places = len(pct.split(".")[1]) if "." in pct else 0
    return abs(a / b - r) * 100 <= 0.5 * 10 ** -places + 1e-9


def _cell(doc: Document, row: Row) -> tuple[int, Cell] | None:
    """(page, the cell of the row's band whose numbers give the row's counts)."""
    if row.source.page is None or row.source.bbox is None:
        return None
    want = _used(row)
    if not want:
        return None
    _x0, y0, _x1, y1 = row.source.bbox
    best = None
    for t in doc.tables():
        for r in t.rows:
            for c in r:
                page = c.page or t.page
                if page != row.source.page or c.bbox is None or not (y0 - 1 <= (c.bbox[1] + c.bbox[3]) / 2 <= y1 + 1):
                    continue
                if row.numerator is None and "%" not in c.text:
                    continue        # a rate alone stands in its own cell, with its sign
                vals = [v for v, _s, _e in numbers(c.text)]
                hits = sum(any(abs(v - w) < 1e-6 for v in vals) for w in want)
                if hits == len(want) and (best is None or len(c.text) < len(best[1].text)):
                    best = (page, c)
    return best


def _nums(text: str) -> list[float]:
    return [round(v, 4) for v, _s, _e in numbers(text)]


def _confirms(first: list[float], text: str, conf: float) -> bool:
    """A re-read that reads the first reading's numbers again, fairly surely, confirms it."""
    return _nums(text) == first and conf >= MIN_CONF - 0.15


def _verdict(first: list[float], reads: list[tuple[str, float]]) -> tuple[str, list[float] | None, str]:
    """("confirmed" | "other" | "unsure", the other numbers, their text)."""
    votes: dict[tuple, list[tuple[str, float]]] = {}
    for text, conf in reads:
        got = _nums(text)
        if _confirms(first, text, conf):
            return "confirmed", None, text
        if conf >= MIN_CONF and len(got) == len(first):
            votes.setdefault(tuple(got), []).append((text, conf))
    agreed = [k for k, v in votes.items() if len(v) >= MIN_AGREE]
    if len(agreed) == 1:
        return "other", list(agreed[0]), votes[agreed[0]][0][0]
    return "unsure", None, ""


def _with(row: Row, first: list[float], other: list[float]) -> dict[str, float]:
    """The row's counts with the re-read's numbers in place of those they replace."""
    swap = {a: b for a, b in zip(first, other) if abs(a - b) > 1e-9}
    out = {}
    for f in _COUNTS:
        v = getattr(row, f)
        if v is not None:
            for a, b in swap.items():
                if abs(v - a) < 1e-6:
                    out[f] = b
    if row.numerator is None and row.ratio is not None:
        for a, b in swap.items():
            if abs(row.ratio * 100 - a) < 1e-4:
                out["ratio"] = round(b / 100, 6)
    return out


def check(doc: Document, report: Report, ruleset: Ruleset, reread: Reread, compute: Compute,
          config: ReviewConfig | None = None) -> int:
    """Re-read the figures cell of every OCR'd table row with counts: a row that would accuse
    is confirmed, corrected or sent to review (above); any other row whose re-read agrees on
    other numbers than the first reading has its figures unsure (a second opinion: a misread
    count often moves the points too little for any sum to see).  Returns rows corrected."""
    config = config or ReviewConfig()
    if report.format not in OCR_FORMATS:
        return 0
    fixed = sum(_lost_slash(r, config) for r in report.rows)
    if report.layout == "narrative":
        return fixed
    for r in report.rows:
        _printed_rate(r)
    todo: list[tuple[Row, Indicator, str | None, int, Cell]] = []
    for r in report.rows:
        ind = ruleset.indicator(r.indicator) if r.indicator else None
        if ind is None or ind.heading or not _used(r):
            continue
        why = _accuses(r, ind, compute)
        if why is None and _rate_agrees(r):
            continue            # counts and a rate printed beside them agree: read twice already
        loc = _cell(doc, r)
        if loc is not None:
            todo.append((r, ind, why, *loc))
    if not todo or len(todo) > MAX_CELLS:
        return fixed
    # every figures cell of the document in one batch: one tesseract call per way in all
    firsts = [_nums(it[4].text) for it in todo]
    # a row that accuses nobody needs one confident second opinion; only an accusing row (or
    # one whose first re-read was unsure) is read the other ways, to confirm or correct it
    reads = reread([(it[3], it[4].bbox) for it in todo],
                   lambda i, text, conf: (todo[i][2] is None and conf >= MIN_CONF) or _confirms(firsts[i], text, conf))
    for (row, ind, why, _p, cell), rs in zip(todo, reads):
        if not rs:
            continue          # no pixels kept: the first reading stands as before
        first = _nums(cell.text)
        verdict, other, text = _verdict(first, rs)
        if verdict == "confirmed":
            continue
        if why is None:
            # a second opinion: one confident way that reads other counts than the first
            # reading (none reading them again) makes them unsure; no flag would send the row
            # to review, so the two readings do
            against = next((t for t, c in rs if c >= MIN_CONF and len(_nums(t)) == len(first)
                            and _with(row, first, _nums(t))), None)
            if against is not None:
                _doubt(row, cell, "số liệu đọc hai lần khác nhau", f"được “{against.strip()}”", config)
                _queue(report, row, config)
        elif verdict == "other":
            fixed += _try(row, ind, cell, first, other, text, compute, why, config)
            _printed_rate(row)          # the corrected counts may now give the rate printed beside them
        else:
            _doubt(row, cell, why, "không ra cùng các số", config)
    return fixed


def _try(row: Row, ind: Indicator, cell: Cell, first: list[float], other: list[float], text: str,
         compute: Compute, why: str, config: ReviewConfig) -> int:
    new = _with(row, first, other)
    if not new:
        _doubt(row, cell, why, f"được “{text.strip()}”", config)
        return 0
    saved = {f: getattr(row, f) for f in new}
    for f, v in new.items():
        setattr(row, f, v)
    if _accuses(row, ind, compute) is None:
        add_reason(row, f"{TAG}: số liệu đọc lần đầu “{cell.text.strip()}”, đọc lại ô trên ảnh trang được "
                        f"“{text.strip()}”; với số liệu này điểm tự chấm khớp cách tính")
        if row.ratio is not None and row.numerator is not None and row.denominator:
            if abs(row.ratio - saved.get("numerator", row.numerator) / saved.get("denominator", row.denominator)) < 0.01:
                row.ratio = round(row.numerator / row.denominator, 6)   # the rate was the counts' own
        return 1
    for f, v in saved.items():
        setattr(row, f, v)
    _doubt(row, cell, why, f"được “{text.strip()}”", config)
    return 0


def _doubt(row: Row, cell: Cell, why: str, reread: str, config: ReviewConfig) -> None:
    """The figures were not confirmed: no accusation rests on them; the row shows the arithmetic."""
    add_reason(row, f"{why}; đọc lại ô số liệu “{cell.text.strip()}” {reread}: số liệu đọc chưa chắc")
    fc = dict(row.field_confidence)
    for f in (*_COUNTS, "ratio", "figures"):
        if getattr(row, f, None) is not None or f == "figures":
            fc[f] = min(fc.get(f, 1.0), round(config.sure - 0.05, 3))
    row.field_confidence = fc


def _printed_rate(row: Row) -> None:
    """A rate printed on the row (its own cell or column, kept in the row's text) that its counts
    give within the percent's rounding is the row's rate, though the reading did not place it:
    two independently read figures agreeing are no guess.  Thresholds ("Tỷ lệ > 5%") are not rates."""
    a, b = row.numerator, row.denominator
    if row.ratio is not None or a is None or not b or not row.evidence:
        return
    fits = [x.value for x in find_rates(row.evidence) if x.op is None and abs(x.value - a / b) <= ROUNDING]
    if len({round(v, 6) for v in fits}) == 1:
        row.ratio = fits[0]
        fc = dict(row.field_confidence)
        fc["ratio"] = min(fc.get("numerator", 1.0), fc.get("denominator", 1.0))
        row.field_confidence = fc


_RUN = re.compile(r"(?<![\d.,/])\d[\d.]*\d(?![\d.,]*\d)")
_WHOLE = re.compile(r"\d{1,3}(?:\.\d{3})+|\d+")


def _lost_slash(row: Row, config: ReviewConfig) -> int:
    """Counts whose slash the reading lost ("7.0078.489 người, đạt 82,54%": 7.007/8.489): a run of
    digits and dots that is no number, which exactly one split into two whole counts turns into
    the printed rate, is those counts (the rate checks the split); the row says so."""
    if row.numerator is not None or row.denominator is not None or row.ratio is None or not row.evidence:
        return 0
    for m in _RUN.finditer(row.evidence):
        tok = m.group()
        if _WHOLE.fullmatch(tok):
            continue            # a number as printed: nothing lost
        splits = []
        for i in range(1, len(tok)):
            a, b = tok[:i], tok[i:]
            if _WHOLE.fullmatch(a) and _WHOLE.fullmatch(b):
                x, y = float(a.replace(".", "")), float(b.replace(".", ""))
                if y and abs(x / y - row.ratio) <= ROUNDING:
                    splits.append((x, y, a, b))
        if len(splits) == 1:
            x, y, a, b = splits[0]
            row.numerator, row.denominator = x, y
            add_reason(row, f"{TAG}: số liệu đọc “{tok}” (mất dấu “/”), tách thành {a}/{b} thì khớp tỷ lệ "
                            f"ghi {vn_number(row.ratio * 100)}%")
            fc = dict(row.field_confidence)
            fc["numerator"] = fc["denominator"] = min(fc.get("ratio", 1.0), 0.9)
            row.field_confidence = fc
            return 1
    return 0


def _queue(report: Report, row: Row, config: ReviewConfig) -> None:
    from matchers.assemble import low_confidence_flag
    if not any(f.code == "low-confidence" and f.indicator == row.indicator for f in report.flags):
        report.flags.append(low_confidence_flag(row, config))
