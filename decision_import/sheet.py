"""A ruleset as a table a non-programmer checks side by side with the decision.

Columns: Mã | Chỉ số | Điểm tối đa | Cách tính điểm (the rule in the decision's
own wording, ``rulesets.wording``) | Ghi chú.  Pillar rows first, in bold, with
their maximum; ``manual`` rules show the decision's text kept in their note.
"""
from __future__ import annotations

import html
from pathlib import Path

from extractors.atomic import replace_atomically
from rulesets.model import Ruleset
from rulesets.wording import method_lines, num

HEADER = ["Mã", "Chỉ số", "Điểm tối đa", "Cách tính điểm", "Ghi chú"]


def rows(rs: Ruleset) -> list[tuple[bool, list[str]]]:
    """(is_pillar, cells) in the decision's order."""
    out = []
    for p in rs.pillars:
        out.append((True, [p.roman or p.code, p.name, "" if p.max_points is None else num(p.max_points), "", ""]))
        for i in rs.indicators:
            if i.pillar != p.code:
                continue
            words = "" if i.heading else "\n".join(method_lines(i))
            note = "quy tắc thủ công: cần người nhập" if i.is_manual and not i.heading else (i.note or "")
            out.append((False, [i.code, i.name, "" if i.max_points is None else num(i.max_points), words, note]))
    return out


def _replace(out: Path, write) -> Path:
    return replace_atomically(out, write, suffix=out.suffix)     # openpyxl goes by the extension


def write_xlsx(rs: Ruleset, out: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    def write(path: Path) -> None:
        wb = Workbook()
        ws = wb.active
        ws.title = "Bộ chỉ số"
        ws.append([f"{rs.title} — {rs.province}, {rs.year} (tổng {'' if rs.total is None else num(rs.total)})"])
        ws.append(HEADER)
        for c in ws[2]:
            c.font = Font(bold=True)
        for is_pillar, cells in rows(rs):
            ws.append(cells)
            for c in ws[ws.max_row]:
                c.alignment = Alignment(wrap_text=True, vertical="top")
                if is_pillar:
                    c.font = Font(bold=True)
        for col, w in zip("ABCDE", (9, 60, 11, 60, 30)):
            ws.column_dimensions[col].width = w
        ws.freeze_panes = "A3"
        wb.save(path)
    return _replace(out, write)


def write_html(rs: Ruleset, out: Path) -> Path:
    esc = lambda s: html.escape(s).replace("\n", "<br>")  # noqa: E731
    body = "".join(
        f"<tr{' class=p' if p else ''}>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>\n"
        for p, cells in rows(rs))
    page = (f"<!doctype html><html lang=vi><meta charset=utf-8><title>{esc(rs.id)}</title>"
            "<style>body{font-family:'Times New Roman',serif}table{border-collapse:collapse}"
            "td,th{border:1px solid #444;padding:4px;vertical-align:top}tr.p td{font-weight:bold;background:#eee}"
            "</style>"
            f"<h1>{esc(rs.title)}</h1><p>{esc(rs.province)}, {rs.year}, tổng "
            f"{'' if rs.total is None else num(rs.total)} điểm</p>"
            "<table><tr>" + "".join(f"<th>{h}</th>" for h in HEADER) + "</tr>\n" + body + "</table></html>\n")
    return _replace(out, lambda p: p.write_text(page, encoding="utf-8"))
