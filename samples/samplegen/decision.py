"""Decision documents (Quyết định … Phụ lục) made from the built-in rulesets.

`dti rulesets import` is measured on these: each annex is the ruleset's table as
a province would print it, in the two layouts the seeds show
- ``rows``   (Hòa Bình 1153/QĐ-UBND): STT | Chỉ số | Điểm tối đa | Cách tính điểm |
  Tài liệu kiểm chứng; each line of the method in its own table row, with the
  code, name and maximum cells merged down over them; pillar rows carry the
  pillar's maximum; points written ``20`` or ``20đ``;
- ``inline`` (Hưng Yên): STT | Nội dung | Cách tính điểm | Điểm; the pillar row is
  one merged cell ``NHẬN THỨC SỐ (100 điểm)``; the method in one cell; points
  written ``(20 điểm)``.
The method text is the rule in the decisions' own wording (by default ``rulesets.wording``:
``a = …; b = …; Điểm = (a/b)*Điểm tối đa``, ``Tỷ lệ >= 85%: Điểm tối đa``,
``1/2*Điểm tối đa``), so that the importer reads prose, not our YAML.  A rule
with no machine form (``manual``) prints its note, as the decision would.
``wording="other"`` phrases the rules the other ways provinces write them
(``samplegen.wording_other``), so the measure is not only of our own wording.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from rulesets.model import Ruleset
from rulesets.wording import method_lines, num

from . import docxkit as dk
from . import wording_other

WORDINGS = {"sheet": method_lines, "other": wording_other.method_lines}

LEVEL_WORDS = {"xa": "UBND CÁC XÃ, PHƯỜNG, THỊ TRẤN", "huyen": "UBND CÁC HUYỆN, THÀNH PHỐ",
               "so": "CÁC SỞ, BAN, NGÀNH"}
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def _points(v: float | None, style: str) -> str:
    if v is None:
        return "-"
    return {"plain": num(v), "d": f"{num(v)}đ", "paren": f"({num(v)} điểm)"}[style]


def _annex_heading(doc, rs: Ruleset, annex: str) -> None:
    dk.para(doc, f"PHỤ LỤC {annex}", bold=True, align="center")
    dk.para(doc, "BỘ CHỈ SỐ VÀ CÁCH TÍNH ĐIỂM ĐÁNH GIÁ MỨC ĐỘ CHUYỂN ĐỔI SỐ CỦA " + LEVEL_WORDS[rs.level],
            bold=True, align="center")
    dk.para(doc, f"(Ban hành kèm theo {rs.title.split(',')[0]} – tỉnh {rs.province})", italic=True, align="center")


def _children(rs: Ruleset):
    """(pillar, [(group or None, indicator)]) in the ruleset's order."""
    for p in rs.pillars:
        yield p, [i for i in rs.indicators if i.pillar == p.code and not (i.code == p.code and i.is_manual
                                                                           and i.max_points is None)]


def _rows_table(doc, rs: Ruleset, points: str, method_lines=method_lines) -> None:
    w = [1.4, 6.2, 1.8, 6.8, 2.8]
    t = dk.grid_table(doc, w)
    hdr = dk.add_row(t, w)
    for c, s in zip(hdr.cells, ["STT", "Chỉ số", "Điểm tối đa", "Cách tính điểm", "Tài liệu kiểm chứng"]):
        dk.set_cell(c, s, bold=True, align="center")
    dk.repeat_header(hdr)
    for n, (p, inds) in enumerate(_children(rs)):
        r = dk.add_row(t, w)
        dk.set_cell(r.cells[0], p.roman or p.code, bold=True)
        dk.set_cell(r.cells[1], p.name, bold=True)
        dk.set_cell(r.cells[2], _points(p.max_points, points), bold=True)
        r.cells[3].merge(r.cells[4])
        group = None
        for ind in inds:
            if ind.group and ind.group != group:
                group = ind.group
                g = dk.add_row(t, w)
                g.cells[0].merge(g.cells[4])
                dk.set_cell(g.cells[0], group, italic=True)
            lines = [] if ind.heading else method_lines(ind)
            rows = [dk.add_row(t, w) for _ in range(max(1, len(lines)))]
            dk.set_cell(rows[0].cells[0], ind.code)
            dk.set_cell(rows[0].cells[1], ind.name)
            dk.set_cell(rows[0].cells[2], "" if ind.heading else _points(ind.max_points, points), align="center")
            dk.set_cell(rows[0].cells[4], "" if ind.heading else "Văn bản, tài liệu chứng minh")
            for row, line in zip(rows, lines):
                dk.set_cell(row.cells[3], ("- " if len(lines) > 1 else "") + line)
            if len(rows) > 1:   # code, name, max and evidence merged down over the method's rows
                for col in (0, 1, 2, 4):
                    rows[0].cells[col].merge(rows[-1].cells[col])
    if rs.total is not None:
        r = dk.add_row(t, w)
        dk.set_cell(r.cells[1], "TỔNG ĐIỂM", bold=True)
        dk.set_cell(r.cells[2], _points(rs.total, points), bold=True, align="center")


def _inline_table(doc, rs: Ruleset, points: str, method_lines=method_lines) -> None:
    w = [1.4, 7.4, 7.6, 2.6]
    t = dk.grid_table(doc, w)
    hdr = dk.add_row(t, w)
    for c, s in zip(hdr.cells, ["TT", "Nội dung chỉ số", "Phương pháp đánh giá", "Điểm"]):
        dk.set_cell(c, s, bold=True, align="center")
    dk.repeat_header(hdr)
    for p, inds in _children(rs):
        r = dk.add_row(t, w)
        dk.set_cell(r.cells[0], p.roman or ROMAN[int(p.code) - 1], bold=True)
        r.cells[1].merge(r.cells[3])
        tail = "" if p.max_points is None else f" ({num(p.max_points)} điểm)"
        dk.set_cell(r.cells[1], p.name.upper() + tail, bold=True)
        group = None
        for ind in inds:
            if ind.group and ind.group != group:
                group = ind.group
                g = dk.add_row(t, w)
                g.cells[0].merge(g.cells[3])
                dk.set_cell(g.cells[0], group, italic=True)
            r = dk.add_row(t, w)
            dk.set_cell(r.cells[0], ind.code)
            dk.set_cell(r.cells[1], ind.name)
            dk.set_cell(r.cells[2], "" if ind.heading else "\n".join(method_lines(ind)))
            dk.set_cell(r.cells[3], "" if ind.heading else _points(ind.max_points, points), align="center")
    if rs.total is not None:
        r = dk.add_row(t, w)
        r.cells[0].merge(r.cells[2])
        dk.set_cell(r.cells[0], "Tổng cộng", bold=True)
        dk.set_cell(r.cells[3], _points(rs.total, points), bold=True, align="center")


def write_decision(rulesets: list[Ruleset], path: Path, *, layout: str = "rows", points: str = "plain",
                   number: str = "1153/QĐ-UBND", wording: str = "sheet") -> Path:
    """One decision with an annex per ruleset (several levels → several annexes).

    ``wording``: ``sheet`` (``rulesets.wording``, what the importer was written against)
    or ``other`` (``samplegen.wording_other``, the other ways the provinces write rules)."""
    doc = dk.new_document(dk.PageSetup(landscape=True, size=12, left_cm=2.0),
                          dk.Meta("UBND tỉnh", f"Quyết định {number}", dt.datetime(2023, 6, 1, 8, 0)))
    rs0 = rulesets[0]
    dk.para(doc, f"ỦY BAN NHÂN DÂN TỈNH {rs0.province.upper()}", bold=True, align="center")
    dk.para(doc, f"Số: {number}", align="center")
    dk.para(doc, f"{rs0.province}, ngày 15 tháng 3 năm {rs0.year}", italic=True, align="center")
    dk.para(doc, "QUYẾT ĐỊNH", bold=True, align="center")
    dk.para(doc, "Ban hành Bộ chỉ số đánh giá mức độ chuyển đổi số", bold=True, align="center")
    for n, rs in enumerate(rulesets):
        doc.add_page_break()
        _annex_heading(doc, rs, ROMAN[n + 1])
        (_rows_table if layout == "rows" else _inline_table)(doc, rs, points, WORDINGS[wording])
    return dk.save(doc, path)


# The measured corpus: (file stem, rulesets (one annex each), layout, points style, decision number)
CORPUS = [
    ("hoabinh-2023", ["hoabinh-2023-so", "hoabinh-2023-huyen", "hoabinh-2023-xa"], "rows", "d", "1153/QĐ-UBND"),
    ("hungyen-2024", ["hungyen-2024-xa"], "inline", "paren", "1234/QĐ-UBND"),
    ("phutho-2022", ["phutho-2022-xa"], "rows", "plain", "2000/QĐ-UBND"),
    ("thuathienhue-2020", ["thuathienhue-2020-xa"], "inline", "paren", "300/QĐ-UBND"),
    ("dienbien-2022", ["dienbien-2022-xa"], "rows", "plain", "2877/QĐ-UBND"),
]
