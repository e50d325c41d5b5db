"""Hòa Bình 1153/QĐ-UBND, Phụ lục IV (xã), B. Chỉ số đánh giá — the decision's own words as a Word annex.

``data/hoabinh-1153-phuluc4.psv`` (not ``.txt``: `make run` takes every .txt under
samples/ for a report) is the body's DVCTT clause (Phần V.4.2) and the annex's
heading and table copied from seed 001 (rows ``STT | Chỉ số | Điểm tối đa | Cách tính điểm | Tài liệu kiểm
chứng |``; lines without a code continue the method of the row above, as the
source printed them in rows of their own).  The Word table keeps that layout:
each method line in its own row with the code, name, maximum and evidence
cells merged down over them.  Nothing is reworded: this is what the importer
meets in a real decision (typos such as ``cấp Úy`` and ``Tỷ , lệ`` included).
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from . import docxkit as dk

DATA = Path(__file__).resolve().parent / "data" / "hoabinh-1153-phuluc4.psv"
CODE = re.compile(r"^(\d{1,2}(?:\.\d{1,2})?)\s*\|")


def rows(text: str) -> tuple[str, list[str], list[list[str]]]:
    """(the body's DVCTT clause, heading lines, table rows as [code, name, max, [method lines], evidence])."""
    lines = text.splitlines()
    clause, head = lines[0], lines[1:4]
    out: list[list] = []
    for line in lines[4:]:
        if line.startswith("B. "):
            continue
        m = CODE.match(line)
        if m:
            cells = [c.strip() for c in line.split("|")]
            code, name, mx = cells[0], cells[1], cells[2] if len(cells) > 2 else ""
            method = cells[3] if len(cells) > 3 else ""
            evidence = cells[4] if len(cells) > 4 else ""
            out.append([code, name, mx, [method] if method else [], evidence])
        elif out:
            piece = " ".join(c.strip() for c in line.split("|") if c.strip())
            if piece:
                out[-1][3].append(piece)
    return clause, head, out


def build(path: Path) -> Path:
    clause, head, table = rows(DATA.read_text(encoding="utf-8"))
    doc = dk.new_document(dk.PageSetup(landscape=True, size=12, left_cm=2.0),
                          dk.Meta("UBND tỉnh Hòa Bình", "Quyết định 1153/QĐ-UBND", dt.datetime(2023, 6, 1, 8, 0)))
    dk.para(doc, "ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH", bold=True, align="center")
    dk.para(doc, "Số: 1153/QĐ-UBND", align="center")
    dk.para(doc, "Hòa Bình, ngày 01 tháng 6 năm 2023", italic=True, align="center")
    # the decision's body (Phần V.4) states the DVCTT substitution; the annex's table does not
    dk.para(doc, "V.4. Cách tính điểm đối với một số trường hợp", bold=True)
    dk.para(doc, clause, align="justify")
    doc.add_page_break()
    for n, line in enumerate(head):
        dk.para(doc, line, bold=n < 2, italic=n == 2, align="center")
    w = [1.4, 6.8, 1.8, 8.0, 3.0]
    t = dk.grid_table(doc, w)
    hdr = dk.add_row(t, w)
    for c, s in zip(hdr.cells, ["STT", "Chỉ số", "Điểm tối đa", "Cách tính điểm", "Tài liệu kiểm chứng"]):
        dk.set_cell(c, s, bold=True, align="center")
    dk.repeat_header(hdr)
    for code, name, mx, method, evidence in table:
        pillar = "." not in code
        rws = [dk.add_row(t, w) for _ in range(max(1, len(method)))]
        dk.set_cell(rws[0].cells[0], code, bold=pillar)
        dk.set_cell(rws[0].cells[1], name, bold=pillar)
        dk.set_cell(rws[0].cells[2], mx, bold=pillar, align="center")
        dk.set_cell(rws[0].cells[4], evidence)
        for r, line in zip(rws, method):
            dk.set_cell(r.cells[3], line)
        if len(rws) > 1:
            for col in (0, 1, 2, 4):
                rws[0].cells[col].merge(rws[-1].cells[col])
    return dk.save(doc, path)
