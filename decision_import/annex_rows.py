"""Rows of an annex table by their role, not their template: the helpers of ``decision_import.annex_table``.

- a code (``1.1``, ``II``, ``II.3``) and a pillar's heading (``NHẬN THỨC SỐ (100 điểm)``, a name
  in capitals) with its maximum;

- a total (``TỔNG ĐIỂM``, ``Tổng cộng``, OCR-damaged) or subtotal (``Cộng``) row by its words,
  or a row of points alone that is the pillars' sum;
- an STT written in one cell with its name (``1. Nhận thức số: (60 điểm)``, ``b) Dịch vụ công``);
- a method cell merged down over a run of indicators (also when a page break cut it);
- a row with no readable numeral inside a pillar's run of codes (a sub-group), a wrapped code
  that follows its predecessor (``3.1`` over ``0`` after 3.9);
- the maxima not printed in a column (``decision_import.maxima``) and the sub-groups' sums, settled
  once every table of the annex is read.
"""
from __future__ import annotations

import re

from rapidfuzz import fuzz

from decision_import.annex_draft import Draft, fold
from decision_import.maxima import from_method, repair_unit_digit, share_pillars
from extractors.document import Cell
from matchers.figures import parse_points
from matchers.normalize import clean, parse_code


_TOTAL_WORDS = ("tong cong", "tong diem", "tong so diem", "tong so", "tong")
_SUBTOTAL = re.compile(r"^cong(?:\s*[:.]?\s*(?:[ivx]+|\d{1,2})?|\s+(?:tru cot|chi so|muc|phan|nhom)\b.*)$")


def _sum_role(texts: list[str]) -> str | None:
    """A total (``TỔNG ĐIỂM``, ``Tổng cộng``) or subtotal (``Cộng``) row by its words, OCR-damaged
    too (``TÔNG ĐIÊM``); only on rows whose STT is not a code (an indicator may be named
    ``Tổng kinh phí …``).  Short cells only: a sentence starting ``Tổng`` is not a label."""
    for t in texts:
        f = re.sub(r"[^a-z0-9 ]", "", fold(t)).strip()
        if not f or len(f) > 30:
            continue
        if re.match(r"tong(?: cong| diem| so)?\b", f) or any(fuzz.ratio(f, w) >= 80 for w in _TOTAL_WORDS[:3]):
            return "total"
        if _SUBTOTAL.match(f):
            return "subtotal"
    return None


def _closes_total(d: Draft, pts: float) -> bool:
    known = [p.max_points for p in d.pillars]
    return bool(known) and None not in known and abs(sum(known) - pts) < 1e-6


def _seen(cells: list[Cell]) -> str:
    """The row as it was read, for a person: its cells joined."""
    return " | ".join(" ".join(c.text.split()) for c in cells if c.text.strip())[:300]


_LEAD = re.compile(r"^((?:[IVX]+|\d{1,2})(?:\.\d{1,2})*\.?|[a-zđ]\))[.):]?\s+(\S.*)$", re.S)


def _lead(row: dict[str, str]) -> tuple[str, str]:
    """(STT, name): ``1. Nhận thức số: (60 điểm)`` written in one cell across the table is STT
    ``1`` and name ``Nhận thức số: (60 điểm)``."""
    code, name = row.get("code", ""), row.get("name", "")
    m = _LEAD.match(" ".join(code.split()))
    if not m or not re.search(r"[^\W\d_]{3}", m.group(2)):
        return code, name
    if not name.strip() and not row.get("method", "").strip():
        return m.group(1).rstrip("."), m.group(2).rstrip(" :")
    if m.group(1).endswith(")"):     # OCR split "b) Dịch vụ công | trực tuyến (170 điểm)" over two cells
        return m.group(1), f"{m.group(2)} {name}".strip()
    return code, name


def _merged_down(rows: list[list[Cell]], roles: dict[int, str]) -> dict[int, str]:
    """{row index: method text} for rows under a method cell merged down over them."""
    out: dict[int, str] = {}
    last: tuple[str, int] | None = None      # (text, first row after the run)
    for n, row in enumerate(rows):
        for c in row:
            if c.rowspan > 1 and roles.get(c.col) == "method" and c.text.strip():
                for k in range(n + 1, n + c.rowspan):
                    out[k] = clean(c.text)
                last = (clean(c.text), n + c.rowspan)
            elif roles.get(c.col) == "method" and not c.text.strip() and last and last[1] == n \
                    and n and c.page != (rows[n - 1][0].page if rows[n - 1] else c.page):
                # a page break cut the merged cell: its rest on this page is empty
                for k in range(n, n + c.rowspan):
                    out[k] = last[0]
                last = (last[0], n + c.rowspan)
    return out


def _settle_maxima(d: Draft) -> None:
    """Maxima written in the method (a line ``Tối đa 20 điểm``), then pillar shares; the
    sub-groups' printed sums checked against their indicators."""
    for i in d.indicators:
        lines, v = from_method(i.method)
        if v is not None and (i.max_points is None or abs(i.max_points - v) < 1e-6) and not i.heading:
            i.method = lines
            if i.max_points is None:
                i.max_points, i.max_from = v, "method"
    repair_unit_digit(d)
    share_pillars(d)
    if d.renumbered:
        d.problems.append((d.page, "chỉ số đánh số lại từ 1 trong mỗi trụ cột: mã ghi theo trụ cột (chỉ số 3 "
                                   "của trụ cột II là 2.3)"))
    for pg, pillar, group, pts in d.group_sums:
        got = sum(i.max_points or 0 for i in d.indicators if i.pillar == pillar and i.group == group
                  and not i.heading)
        if abs(got - pts) > 1e-6:
            d.problems.append((pg, f"nhóm «{group}» (trụ cột {pillar}) in {pts:g} điểm nhưng các chỉ số cộng "
                                   f"{got:g}: cần đối chiếu"))


def _follows(prev: str, code: str) -> bool:
    """``code`` is the indicator after ``prev`` (3.9 → 3.10)."""
    a, b = prev.rsplit(".", 1) if "." in prev else ("", prev), code.rsplit(".", 1) if "." in code else ("", code)
    return a[0] == b[0] and a[1].isdigit() and b[1].isdigit() and int(b[1]) == int(a[1]) + 1


def _inside_pillar(d: Draft, rows: list[dict[str, str]], i: int) -> bool:
    """The current pillar has indicators and the next coded row goes on numbering it."""
    if not (d.pillars and d.pillars[-1].code and d.indicators and d.indicators[-1].pillar == d.pillars[-1].code):
        return False
    for row in rows[i + 1:i + 4]:
        code = parse_code(_lead(row)[0].strip()) or ""
        if re.fullmatch(r"\d{1,2}\.\d{1,2}(?:\.\d{1,2})*", code):
            return code.startswith(d.pillars[-1].code + ".")
    return False


def _points(text: str) -> float | None:
    return parse_points(re.sub(r"[()]", "", text or "").strip())


_ROMAN_DOTTED = re.compile(r"^[IVX]+(?:\.\d{1,2})+$")
_CODE = re.compile(r"^(?:[IVX]+|\d{1,2})(?:\.\d{1,2})*\.?$")
# "NHẬN THỨC SỐ (90 điểm)" or "NHẬN THỨC SỐ: 90 điểm" / "… - 90đ"
_PILLAR_MAX = re.compile(r"(?:\(\s*(\d[\d.,]*)\s*(?:điểm|đ)\s*\)|\s[:\-–]\s*(\d[\d.,]*)\s*(?:điểm|đ)\.?"
                         r"|(?<=\w):\s*(\d[\d.,]*)\s*(?:điểm|đ)\.?)\s*$", re.I)


_POINTS_ONLY = re.compile(r"\(?\s*\d[\d.,]*\s*(?:điểm|đ)\s*\)?", re.I)


def _looks_pillar(title: str) -> bool:
    """A pillar heading: ``NHẬN THỨC SỐ (100 điểm)`` or a name in capitals."""
    letters = [ch for ch in title if ch.isalpha()]
    if sum(ch.isalpha() for ch in _PILLAR_MAX.sub("", title)) < 3:
        return False        # points alone ("(15 điểm)") name no pillar
    return bool(_PILLAR_MAX.search(title)) or (len(letters) > 6 and sum(ch.isupper() for ch in letters) > 0.8 * len(letters))


def _pillar_name(text: str) -> tuple[str, float | None]:
    m = _PILLAR_MAX.search(text)
    name = (text[:m.start()] if m else text).strip().rstrip(".:").strip()
    if name.isupper():           # "NHẬN THỨC SỐ" printed in capitals → "Nhận thức số"
        name = name[:1] + name[1:].lower()
    return name, (_points(next(g for g in m.groups() if g)) if m else None)
