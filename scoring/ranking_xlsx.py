"""The ranking table as the .xlsx a district prints and signs.

Sheets: ``Xếp hạng`` (the table: a title row, bold Vietnamese headers, points as 0.00), ``Biểu đồ``
(the chart, a sheet of its own so it prints whole on one page), ``Ghi chú`` (provisional points
and rows without figures), ``Bản được tính`` (which report counted for each unit).

Provisional points (``scoring.accepted``) are marked the one way everything marks them
(``PROV_MARK`` after the number, ``mark_cells``): the pillar cells holding some and the total;
the title says the table holds provisional points so no one signs it by mistake.  Every sheet
prints on A4 landscape, one page wide, with its header rows repeated on each page.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from rulesets.numbers import vn_number
from scoring.batch import COL_NAME, COL_PROV, COL_RANK, COL_TOTAL, COL_TT, NOT_PILLARS, TITLE

PROV_MARK = "*"
PROV_NOTE = ("(*) Điểm tạm tính: chỉ số đọc chưa chắc chắn, hoặc chỉ số chấm thủ công chưa có người rà soát "
             "chấm (tính theo điểm tự chấm, không quá điểm tối đa). Cần rà soát xong trước khi ký ban hành.")
COL_CRITERIA = "Số tiêu chí đạt"     # the total's header for a pass/fail set
COL_UNSETTLED = "Tiêu chí chưa kết luận (tạm tính)"     # a pass/fail set's provisional column


def pillar_columns(df: pd.DataFrame) -> list[str]:
    return [str(c) for c in df.columns if c not in NOT_PILLARS]


def mark_cells(df: pd.DataFrame) -> set[tuple[int, str]]:
    """(row index, column name) of the cells holding provisional points: what the workbook and
    the decision mark."""
    prov = df.attrs.get("provisional") or {}
    out = set()
    for i, name in enumerate(df[COL_NAME] if COL_NAME in df.columns else []):
        p = prov.get(name)
        if not p:
            continue
        out.update((i, col) for col in p.get("pillars") or {})
        out.add((i, COL_TOTAL))
    return out


def header_of(df: pd.DataFrame, col: str) -> str:
    """A column's header as printed: a pass/fail set counts criteria, not points."""
    if df.attrs.get("scored") is False:
        return {COL_TOTAL: COL_CRITERIA, COL_PROV: COL_UNSETTLED}.get(col, str(col))
    return str(col)


def warning_line(df: pd.DataFrame, see: str = "xem trang Ghi chú") -> str | None:
    """The title area's line when the table holds provisional points."""
    prov = df.attrs.get("provisional") or {}
    if not prov:
        return None
    return f"BẢNG CÒN ĐIỂM TẠM TÍNH ({PROV_MARK}) ở {len(prov)} đơn vị — chưa dùng để ký ban hành; {see}."


def _print_setup(ws, title_rows: str | None) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0      # one page wide, as long as it runs
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    if title_rows:
        ws.print_title_rows = title_rows


def write(df: pd.DataFrame, path: str | Path, title: str | None = None,
          versions: list[tuple] | None = None) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    path = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = "Xếp hạng"
    ncol = max(len(df.columns), 1)
    warn = warning_line(df)
    head = (title or TITLE) + (" (xếp theo số tiêu chí đạt)" if df.attrs.get("scored") is False else "")
    ws.cell(row=1, column=1, value=head + (f"\n{warn}" if warn else ""))
    ws.cell(row=1, column=1).font = Font(bold=True, size=13, color="C00000" if warn else None)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    ws.row_dimensions[1].height = 56 if warn else 36
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for c, name in enumerate(df.columns, start=1):
        cell = ws.cell(row=2, column=c, value=header_of(df, name))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    whole = df.attrs.get("scored") is False         # criteria met are whole numbers
    points_cols = {c for c, name in enumerate(df.columns, start=1) if name not in (COL_TT, COL_NAME, COL_RANK)}
    marked = mark_cells(df)
    fill = PatternFill("solid", fgColor="FFF2CC")
    fmt = "0" if whole else "0.00"
    for r, values in enumerate(df.itertuples(index=False), start=3):
        for c, v in enumerate(values, start=1):
            v = None if pd.isna(v) else (v.item() if hasattr(v, "item") else v)
            cell = ws.cell(row=r, column=c, value=v)
            cell.border = border
            if c in points_cols:
                cell.number_format = fmt
                if (r - 3, df.columns[c - 1]) in marked:
                    cell.number_format = f'{fmt}"{PROV_MARK}"'
                    cell.fill = fill
    for c, name in enumerate(df.columns, start=1):
        width = 6 if name in (COL_TT,) else 30 if name == COL_NAME else max(11, min(len(str(name)) * 0.75, 18))
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.row_dimensions[2].height = 45
    ws.freeze_panes = "C3"
    if warn:
        r = len(df) + 4
        ws.cell(row=r, column=1, value=PROV_NOTE).font = Font(italic=True)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
        ws.cell(row=r, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[r].height = 32
    _print_setup(ws, "1:2")

    _add_chart(wb, ws, df, first_row=3)
    _notes(wb, df, Font)
    if versions:        # which report counted for each unit, and why (store.submissions)
        vs = wb.create_sheet("Bản được tính")
        vs.append(["Tên đơn vị", "Báo cáo số", "Tệp", "Lý do"])
        for cell in vs[1]:
            cell.font = Font(bold=True)
        for row in versions:
            vs.append(list(row))
        for col, width in zip("ABCD", (30, 12, 40, 70)):
            vs.column_dimensions[col].width = width
        _print_setup(vs, "1:1")
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _notes(wb, df: pd.DataFrame, Font) -> None:
    """``Ghi chú``: the units with provisional points (how much, which indicators), then the
    rows without figures, which got 0."""
    prov = df.attrs.get("provisional") or {}
    no_figures = df.attrs.get("no_figures") or {}
    if not prov and not no_figures:
        return
    notes = wb.create_sheet("Ghi chú")
    if prov:
        scored = df.attrs.get("scored") is not False
        notes.append(["Tên đơn vị", "Điểm tạm tính (trong tổng điểm)" if scored else COL_UNSETTLED,
                      "Chỉ số tạm tính, chờ người rà soát"])
        for cell in notes[notes.max_row]:
            cell.font = Font(bold=True)
        for unit, p in prov.items():
            codes = p.get("codes") or []
            notes.append([unit, vn_number(p.get("total"), fixed=True) if scored else str(len(codes)),
                          ", ".join(codes)])
        notes.append([])
    if no_figures:
        notes.append(["Tên đơn vị", "Chỉ số thiếu số liệu, tính 0 điểm (điểm tự chấm không được cộng)"])
        for cell in notes[notes.max_row]:
            cell.font = Font(bold=True)
        for unit, codes in no_figures.items():
            notes.append([unit, ", ".join(codes)])
    for col, width in zip("ABC", (30, 60, 60)):
        notes.column_dimensions[col].width = width
    _print_setup(notes, "1:1")


def _add_chart(wb, ws, df: pd.DataFrame, first_row: int) -> None:
    """A stacked bar per unit (its pillars' points) on a chart sheet of its own (``Biểu đồ``):
    printed beside the table it was cut in half; the .png beside the workbook is for letters."""
    from openpyxl.chart import BarChart, Reference

    pillars = [c for c, name in enumerate(df.columns, start=1) if name not in NOT_PILLARS]
    if df.empty or not pillars:
        return
    last = first_row + len(df) - 1
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "bar", "stacked", 100
    heading = "Điểm theo chỉ số chính" if df.attrs.get("scored") is not False else "Số tiêu chí đạt theo nhóm"
    chart.title = heading
    chart.y_axis.title = "Điểm" if df.attrs.get("scored") is not False else "Tiêu chí đạt"
    chart.x_axis.scaling.orientation = "maxMin"      # rank 1 on top, as in the table
    chart.add_data(Reference(ws, min_col=pillars[0], max_col=pillars[-1], min_row=first_row - 1, max_row=last),
                   titles_from_data=True)
    name_col = list(df.columns).index(COL_NAME) + 1
    chart.set_categories(Reference(ws, min_col=name_col, min_row=first_row, max_row=last))
    # a worksheet holding only the chart, sized to an A4 landscape page (a chart sheet of the
    # xlsx kind prints blank in LibreOffice)
    sheet = wb.create_sheet("Biểu đồ")
    sheet.cell(row=1, column=1, value=heading)
    chart.width, chart.height = 26, min(17, max(8, 0.7 * len(df) + 4))
    sheet.add_chart(chart, "A2")
    _print_setup(sheet, None)
    sheet.page_setup.fitToHeight = 1
