"""Decision annexes in the layouts provinces publish, beyond the two of ``decision.py``.

Written from what public DTI decisions for communes and districts show (facts, not
text: Kon Tum 780/QĐ-UBND 2022, Quảng Ngãi 104/QĐ-UBND 2023, Yên Bái 1716/QĐ-UBND
2024, Nghệ An 1082/QĐ-UBND 2023, the Cao Lãnh / Đồng Tháp criteria page, seed 001):
- no ``Điểm tối đa`` column: the maximum at the end of the indicator's name,
  ``… (10đ)`` or ``… (20 điểm)`` (Cao Lãnh), or in the method (``Tối đa 20 điểm``);
- pillar rows ``1. Nhận thức số: (60 điểm)`` in one cell across the table (Cao Lãnh),
  or ``NHẬN THỨC SỐ (90 điểm)`` beside its number;
- pillars in roman numerals with indicators numbered again from 1 in each;
- a big pillar cut into lettered (``a)``) or roman sub-groups carrying their own sums;
- a heading row (``5.16``) over its sub-indicators, with no points of its own;
- method and evidence cells merged down over runs of rows that share them;
- a ``Ghi chú`` row and notes after the table, a total row ``TỔNG ĐIỂM``;
- landscape pages, the table cut in two at a page break with or without its header;
- pillars' maxima only, the indicators of a pillar sharing them equally.
The truth is the ruleset the decision is printed from (``decision_import.diff`` compares).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from rulesets.model import Indicator, Ruleset
from rulesets.wording import method_lines as sheet_lines
from rulesets.wording import num

from . import docxkit as dk
from . import wording_other

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
LETTERS = "abcdefghik"
LEVEL_WORDS = {"xa": "CẤP XÃ", "huyen": "CẤP HUYỆN", "so": "CỦA CÁC SỞ, BAN, NGÀNH"}


@dataclass(frozen=True)
class Layout:
    name: str
    columns: tuple[tuple[str, str], ...]   # (role, header): roles code, name, max, method, evidence
    max_where: str = "column"     # column | name | method_first | method_last | pillar
    suffix: str = "({n} điểm)"    # how a maximum is written after a name
    pillar: str = "cell"          # cell (code | NAME (n điểm)) | colon (one cell "1. Name: (n điểm)")
    codes: str = "dotted"         # dotted | trailing_dot | restart (I, II … pillars; 1, 2 … within)
    subgroups: str | None = None  # letter | roman: groups as sub-group rows with their own sums
    merge_runs: bool = False      # method/evidence merged down over rows that share them
    note_row: bool = False        # a "Ghi chú" row at the end of the table
    notes_after: bool = False     # notes as paragraphs after the table
    total: str | None = None      # row | para
    landscape: bool = True
    split: str | None = None      # repeat | bare: the table cut in two at a page break
    wording: str = "sheet"        # sheet | other
    header: bool = True           # False: no header row at all (the body starts at the first pillar)
    repeat_header: bool = True    # False: a table flowing over pages prints its header on the first only
    pillar_sep: str = " ({n} điểm)"   # how a pillar row writes its maximum after its name


def _lines(ind: Indicator, wording: str) -> list[str]:
    return (sheet_lines if wording == "sheet" else wording_other.method_lines)(ind)


def _pts(v: float, fmt: str) -> str:
    return fmt.format(n=num(v))


def _code(lay: Layout, pn: int, ind: Indicator, k: int) -> str:
    if lay.codes == "restart":     # numbering starts again in each pillar; a sub-indicator keeps its tail
        tail = ind.code.split(".", 1)[1] if "." in ind.code else str(k)
        return tail
    return ind.code + ("." if lay.codes == "trailing_dot" else "")


def _pillar_code(lay: Layout, pn: int, code: str) -> str:
    return ROMAN[pn] if lay.codes == "restart" else code


def _equal_share(inds: list[Indicator]) -> bool:
    ms = [i.max_points for i in inds if not i.heading]
    return bool(ms) and None not in ms and len(set(ms)) == 1


class _Writer:
    def __init__(self, doc, lay: Layout, widths: list[float]):
        self.doc, self.lay, self.w = doc, lay, widths
        self.roles = [r for r, _ in lay.columns]
        self.t = self._table()
        self.runs: dict[str, tuple] = {}       # role -> (first cell, text) of the run being merged

    def _table(self, header: bool = True):
        t = dk.grid_table(self.doc, self.w)
        if header and self.lay.header:
            hdr = dk.add_row(t, self.w)
            for c, (_, s) in zip(hdr.cells, self.lay.columns):
                dk.set_cell(c, s, bold=True, align="center")
            if self.lay.repeat_header:
                dk.repeat_header(hdr)
        return t

    def restart(self, header: bool) -> None:
        self.close_runs()
        self.doc.add_page_break()
        self.t = self._table(header)

    def row(self, cells: dict[str, str], *, bold=False, span_from: str | None = None, italic=False):
        r = dk.add_row(self.t, self.w)
        if span_from is not None:       # one cell from this role to the end of the row
            k = self.roles.index(span_from)
            r.cells[k].merge(r.cells[len(self.roles) - 1])
        for role, text in cells.items():
            if role in self.roles:
                dk.set_cell(r.cells[self.roles.index(role)], text, bold=bold, italic=italic)
        return r

    def merged(self, r, role: str, text: str) -> None:
        """Method/evidence: a cell equal to the one above is merged into it (a run)."""
        if role not in self.roles:
            return
        cell = r.cells[self.roles.index(role)]
        run = self.runs.get(role)
        if self.lay.merge_runs and run and run[1] == text and text:
            run[0].merge(cell)
            return
        dk.set_cell(cell, text)
        self.runs[role] = (cell, text)

    def close_runs(self) -> None:
        self.runs = {}


def _subgroups(inds: list[Indicator]) -> list[tuple[str | None, list[Indicator]]]:
    out: list[tuple[str | None, list[Indicator]]] = []
    for i in inds:
        if out and out[-1][0] == i.group:
            out[-1][1].append(i)
        else:
            out.append((i.group, [i]))
    return out


def annex_table(doc, rs: Ruleset, lay: Layout, widths: list[float]) -> None:
    wr = _Writer(doc, lay, widths)
    pillars = list(rs.pillars)
    cut = len(pillars) // 2 if lay.split else None
    for pn, p in enumerate(pillars):
        if cut is not None and pn == cut:
            wr.restart(header=lay.split == "repeat")
        inds = [i for i in rs.indicators if i.pillar == p.code]
        share = lay.max_where == "pillar" and _equal_share(inds) and p.max_points is not None
        pcode = _pillar_code(lay, pn, p.code)
        ptail = lay.pillar_sep.format(n=num(p.max_points)) if p.max_points is not None else ""
        wr.close_runs()
        if lay.pillar == "colon":
            wr.row({lay.columns[0][0]: f"{pcode}. {p.name}:{ptail}"}, bold=True, span_from=lay.columns[0][0])
        elif "max" in wr.roles:
            wr.row({"code": pcode, "name": p.name.upper(), "max": num(p.max_points) if p.max_points else ""},
                   bold=True)
        else:
            wr.row({"code": pcode, "name": p.name.upper() + ptail}, bold=True, span_from="name")
        groups = _subgroups(inds) if lay.subgroups else [(None, inds)]
        gn = 0
        for group, members in groups:
            if group:
                gsum = sum(i.max_points or 0 for i in members if not i.heading)
                label = LETTERS[gn] + ")" if lay.subgroups == "letter" else ROMAN[gn] + "."
                gn += 1
                wr.close_runs()
                wr.row({"code": label, "name": f"{group} ({num(gsum)} điểm)"}, bold=True, italic=True,
                       span_from="name")
            for k, ind in enumerate(members, start=1 + inds.index(members[0])):
                code = _code(lay, pn, ind, k)
                mx = ind.max_points
                name = ind.name
                lines = [] if ind.heading else _lines(ind, lay.wording)
                cells = {"code": code}
                if ind.heading or mx is None:
                    cells["max"] = ""
                elif lay.max_where == "column" or (lay.max_where == "pillar" and "max" in wr.roles and not share):
                    cells["max"] = num(mx)
                elif lay.max_where == "name" or (lay.max_where == "pillar" and not share):
                    name = f"{name} {_pts(mx, lay.suffix)}"
                elif lay.max_where == "method_first":
                    lines = [f"Tối đa {num(mx)} điểm."] + lines
                elif lay.max_where == "method_toida":     # "Điểm tối đa 20", no unit, as the first line
                    lines = [f"Điểm tối đa {num(mx)}"] + lines
                elif lay.max_where == "method_last":
                    lines = lines + [f"(tối đa {_pts(mx, '{n}đ')})"]
                cells["name"] = name
                r = wr.row(cells)
                wr.merged(r, "method", "\n".join(("- " + x if len(lines) > 1 else x) for x in lines))
                wr.merged(r, "evidence", "" if ind.heading else _evidence(ind))
    if lay.note_row:
        wr.row({lay.columns[0][0]: "Ghi chú: chỉ số có điểm tối đa chưa ấn định được đánh giá đạt/không đạt; "
                "số liệu tính đến ngày 31/10 của năm đánh giá."}, span_from=lay.columns[0][0], italic=True)
    if lay.total == "row" and rs.total is not None:
        r = dk.add_row(wr.t, widths)
        r.cells[0].merge(r.cells[1])
        dk.set_cell(r.cells[0], "TỔNG ĐIỂM", bold=True, align="center")
        rest = "max" if "max" in wr.roles else wr.roles[2]
        dk.set_cell(r.cells[wr.roles.index(rest)], f"{num(rs.total)}" + ("" if rest == "max" else " điểm"), bold=True)


def _evidence(ind: Indicator) -> str:
    words = (ind.name + " " + " ".join(str(v) for v in ind.rule.values())).lower()
    if "tỷ lệ" in words or "rate" in words:
        return "Báo cáo số liệu, danh sách kèm theo"
    return "Văn bản, tài liệu chứng minh"


def write(rs: Ruleset, path: Path, lay: Layout, *, number: str = "780/QĐ-UBND") -> Path:
    doc = dk.new_document(dk.PageSetup(landscape=lay.landscape, size=12, left_cm=2.0),
                          dk.Meta("UBND tỉnh", f"Quyết định {number}", dt.datetime(2024, 8, 23, 8, 0)))
    dk.para(doc, f"ỦY BAN NHÂN DÂN TỈNH {rs.province.upper()}", bold=True, align="center")
    dk.para(doc, f"Số: {number}", align="center")
    dk.para(doc, f"{rs.province}, ngày 23 tháng 8 năm {rs.year}", italic=True, align="center")
    dk.para(doc, "QUYẾT ĐỊNH", bold=True, align="center")
    dk.para(doc, "Ban hành Bộ chỉ số đánh giá chuyển đổi số", bold=True, align="center")
    dk.para(doc, "Điều 1. Ban hành kèm theo Quyết định này Bộ chỉ số đánh giá chuyển đổi số.", align="justify")
    doc.add_page_break()
    dk.para(doc, "PHỤ LỤC", bold=True, align="center")
    dk.para(doc, f"BỘ CHỈ SỐ ĐÁNH GIÁ CHUYỂN ĐỔI SỐ {LEVEL_WORDS[rs.level]}", bold=True, align="center")
    dk.para(doc, f"(Kèm theo Quyết định số {number} của UBND tỉnh {rs.province})", italic=True, align="center")
    n = len(lay.columns)
    widths = {3: [1.6, 9.0, 13.0], 4: [1.6, 8.0, 9.0, 5.0], 5: [1.4, 7.0, 2.0, 8.0, 4.6]}[n] if lay.landscape else \
        {3: [1.2, 6.6, 8.4], 4: [1.2, 5.6, 6.4, 3.0], 5: [1.1, 5.0, 1.6, 5.6, 2.9]}[n]
    annex_table(doc, rs, lay, widths)
    if lay.total == "para" and rs.total is not None:
        dk.para(doc, f"Tổng điểm tối đa của Bộ chỉ số: {num(rs.total)} điểm.", bold=True)
    if lay.notes_after:
        dk.para(doc, "Ghi chú:", bold=True)
        dk.para(doc, "1. Đơn vị tự đánh giá, chấm điểm và gửi kèm tài liệu kiểm chứng trước ngày 15/11 hằng năm.")
        dk.para(doc, "2. Chỉ số không có số liệu kiểm chứng được chấm 0 điểm.")
    return dk.save(doc, path)


# The layouts measured (name, ruleset the decision is printed from, layout).  The last two are
# held out: the importer is never tuned on them, only measured.
LAYOUTS: list[tuple[Layout, str]] = [
    (Layout("suffix-colon", (("code", "TT"), ("name", "Tiêu chí, chỉ số đánh giá"),
                             ("method", "Phương pháp chấm điểm"), ("evidence", "Tài liệu kiểm chứng")),
            max_where="name", suffix="({n}đ)", pillar="colon", codes="trailing_dot", merge_runs=True,
            notes_after=True, total="para", landscape=False, wording="other"), "hungyen-2024-xa"),
    (Layout("lettered-heading", (("code", "STT"), ("name", "Nội dung chỉ số"), ("method", "Cách tính điểm"),
                                 ("evidence", "Tài liệu kiểm chứng")),
            max_where="name", pillar="cell", subgroups="letter", merge_runs=True, note_row=True,
            notes_after=True, total="row", split="bare"), "phutho-2022-xa"),
    (Layout("method-restart", (("code", "Số TT"), ("name", "Tên chỉ số"), ("method", "Hướng dẫn cách tính điểm"),
                               ("evidence", "Nguồn số liệu")),
            max_where="method_first", pillar="cell", codes="restart", total="row", split="repeat",
            wording="other"), "hoabinh-2023-huyen"),
]
HELD_OUT: list[tuple[Layout, str]] = [
    (Layout("pillar-share-roman", (("code", "STT"), ("name", "Chỉ số thành phần"), ("max", "Điểm"),
                                   ("method", "Cách đánh giá, cho điểm"), ("evidence", "Ghi chú")),
            max_where="pillar", pillar="cell", subgroups="roman", merge_runs=True, total="row",
            split="bare", notes_after=True), "hoabinh-2023-so"),
    (Layout("method-last-colon", (("code", "TT"), ("method", "Cách xác định"), ("name", "Nội dung đánh giá"),
                                  ("evidence", "Hồ sơ minh chứng")),
            max_where="method_last", pillar="colon", codes="trailing_dot", merge_runs=True, total="para",
            split="repeat", landscape=False, wording="other"), "hoabinh-2023-xa"),
]

# Layouts added after the first five, each measured blind (Word, text PDF, weak scan) before the
# importer was taught anything from it (README, "Layouts provinces publish"):
# - no-header: the Cao Lãnh criteria page's table as a province prints it without any header row —
#   pillar rows "1. Nhận thức số: (100 điểm)" across the table, "(10đ)" after each name;
# - landscape-flow: a long landscape annex with a "Thang điểm" column whose header is printed on
#   the first page only, the table flowing over the next pages (Quảng Ngãi / Kon Tum style);
# - method-toida: three columns, no points column, the maximum written "Điểm tối đa 20" as the
#   method's first line and the pillar rows "NHẬN THỨC SỐ: 90 điểm" (Yên Bái / Nghệ An style).
NEW: list[tuple[Layout, str]] = [
    (Layout("no-header", (("code", "TT"), ("name", "Chỉ số"), ("method", "Cách chấm"),
                          ("evidence", "Tài liệu kiểm chứng")),
            max_where="name", suffix="({n}đ)", pillar="colon", codes="dotted", header=False, merge_runs=True,
            total="para", landscape=False), "hungyen-2024-xa"),
    (Layout("landscape-flow", (("code", "STT"), ("name", "Tiêu chí đánh giá"), ("max", "Thang điểm"),
                               ("method", "Cách thức đánh giá"), ("evidence", "Hồ sơ, tài liệu")),
            max_where="column", pillar="cell", repeat_header=False, total="row", landscape=True,
            wording="other"), "hoabinh-2023-xa"),
    (Layout("method-toida", (("code", "TT"), ("name", "Nội dung chỉ số"), ("method", "Phương pháp chấm điểm")),
            max_where="method_toida", pillar="cell", pillar_sep=": {n} điểm", total="row",
            landscape=True, note_row=True), "phutho-2022-xa"),
]
