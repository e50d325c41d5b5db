"""A district's batch of reports -> the ranking table (like Tủa Chùa's Phụ lục 2) and its .xlsx.

Points are the accepted points of ``scoring.accepted`` (Min-Max indicators spread over the
batch there: the best unit gets the maximum, the others ``(v - min) / (max - min) × max``).
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

import pandas as pd

from matchers.report import Report
from rulesets.model import Ruleset
from scoring.accepted import minmax_points  # noqa: F401  (part of the batch's API)
from scoring.engine import score_report

TITLE = "Kết quả đánh giá, xếp hạng mức độ chuyển đổi số của UBND các xã, phường, thị trấn"
COL_TT, COL_NAME, COL_TOTAL, COL_RANK = "TT", "Tên đơn vị", "Tổng điểm", "Xếp hạng"


def competition_ranks(totals: list[float]) -> list[int]:
    """1, 2, 2, 4: equal totals (to 2 decimals, as printed) share a rank."""
    keys = [round(t, 2) for t in totals]
    return [1 + sum(1 for o in keys if o > k) for k in keys]


def rank(reports: Iterable[Report], ruleset: Ruleset) -> pd.DataFrame:
    """The ranking of freshly read reports: each is scored, then ranked by ``rank_documents``."""
    return rank_documents([score_report(r, ruleset).to_dict() for r in reports], ruleset)


def rank_documents(docs: list[dict], ruleset: Ruleset, accepted: list | None = None) -> pd.DataFrame:
    """The ranking table: TT, Tên đơn vị, one column per pillar (by name), Tổng điểm, Xếp hạng.

    Points are the accepted points of ``scoring.accepted`` (``accepted`` when the caller already
    computed them for the same documents).  Rows without figures get 0 there;
    ``df.attrs['no_figures']`` lists them (unit -> indicator codes) for the notes sheet.
    """
    from scoring.accepted import accept_batch
    accepted = accepted if accepted is not None else accept_batch(docs, ruleset)
    records, no_figures, minmax = [], {}, {}
    for doc, acc in zip(docs, accepted):
        name = (doc.get("unit") or {}).get("name") or Path(doc.get("file") or "?").stem
        if acc.no_figures:
            no_figures[name] = list(acc.no_figures)
        for pos, (pts, basis) in acc.rows.items():
            ind = ruleset.indicator(doc["rows"][pos].get("indicator"))
            if ind is not None and ind.kind == "minmax":
                minmax.setdefault(ind.code, {})[name] = pts if basis != "no-figures" else None
        rec = {COL_NAME: name}
        rec.update({p.name: acc.pillars.get(p.code, 0.0) for p in ruleset.pillars})
        rec[COL_TOTAL] = acc.total
        records.append(rec)

    columns = [COL_TT, COL_NAME] + [p.name for p in ruleset.pillars] + [COL_TOTAL, COL_RANK]
    df = pd.DataFrame.from_records(records, columns=[c for c in columns if c not in (COL_TT, COL_RANK)])
    if df.empty:
        return pd.DataFrame(columns=columns)
    df[COL_RANK] = competition_ranks(df[COL_TOTAL].tolist())
    df = df.sort_values([COL_RANK, COL_NAME], kind="stable").reset_index(drop=True)
    df.insert(0, COL_TT, range(1, len(df) + 1))
    df.attrs["ruleset"] = ruleset.id
    df.attrs["no_figures"] = no_figures
    df.attrs["minmax"] = minmax
    return df


def write_ranking_xlsx(df: pd.DataFrame, path: str | Path, title: str | None = None,
                       versions: list[tuple] | None = None) -> Path:
    """The ranking as .xlsx: a title row, bold Vietnamese headers, points as 0.00, readable widths.
    Notes (rows without figures, which got 0) go on a second sheet, ``Ghi chú``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    path = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = "Xếp hạng"
    ncol = max(len(df.columns), 1)
    ws.cell(row=1, column=1, value=title or TITLE).font = Font(bold=True, size=13)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    ws.row_dimensions[1].height = 36
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for c, name in enumerate(df.columns, start=1):
        cell = ws.cell(row=2, column=c, value=str(name))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    points_cols = {c for c, name in enumerate(df.columns, start=1) if name not in (COL_TT, COL_NAME, COL_RANK)}
    for r, values in enumerate(df.itertuples(index=False), start=3):
        for c, v in enumerate(values, start=1):
            v = None if pd.isna(v) else (v.item() if hasattr(v, "item") else v)
            cell = ws.cell(row=r, column=c, value=v)
            cell.border = border
            if c in points_cols:
                cell.number_format = "0.00"
    for c, name in enumerate(df.columns, start=1):
        width = 6 if name in (COL_TT,) else 30 if name == COL_NAME else max(11, min(len(str(name)) * 0.75, 18))
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.row_dimensions[2].height = 45
    ws.freeze_panes = "C3"

    _add_chart(ws, df, first_row=3)

    no_figures = df.attrs.get("no_figures") or {}
    if no_figures:
        notes = wb.create_sheet("Ghi chú")
        notes.append(["Tên đơn vị", "Chỉ số thiếu số liệu, tính 0 điểm (điểm tự chấm không được cộng)"])
        for cell in notes[1]:
            cell.font = Font(bold=True)
        for unit, codes in no_figures.items():
            notes.append([unit, ", ".join(codes)])
        notes.column_dimensions["A"].width = 30
        notes.column_dimensions["B"].width = 60
    if versions:        # which report counted for each unit, and why (pipeline.submissions)
        vs = wb.create_sheet("Bản được tính")
        vs.append(["Tên đơn vị", "Báo cáo số", "Tệp", "Lý do"])
        for cell in vs[1]:
            cell.font = Font(bold=True)
        for row in versions:
            vs.append(list(row))
        for col, width in zip("ABCD", (30, 12, 40, 70)):
            vs.column_dimensions[col].width = width
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _add_chart(ws, df: pd.DataFrame, first_row: int) -> None:
    """A stacked bar per unit (its pillars' points) inside the sheet, right of the table, so
    the chart travels with the workbook (the .png beside it is for letters and slides)."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.utils import get_column_letter

    pillars = [c for c, name in enumerate(df.columns, start=1) if name not in (COL_TT, COL_NAME, COL_TOTAL, COL_RANK)]
    if df.empty or not pillars:
        return
    last = first_row + len(df) - 1
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "bar", "stacked", 100
    chart.title = "Điểm theo chỉ số chính"
    chart.y_axis.title = "Điểm"
    chart.x_axis.scaling.orientation = "maxMin"      # rank 1 on top, as in the table
    chart.add_data(Reference(ws, min_col=pillars[0], max_col=pillars[-1], min_row=first_row - 1, max_row=last),
                   titles_from_data=True)
    name_col = list(df.columns).index(COL_NAME) + 1
    chart.set_categories(Reference(ws, min_col=name_col, min_row=first_row, max_row=last))
    chart.height, chart.width = max(7.5, 0.8 * len(df) + 4), 24
    ws.add_chart(chart, f"{get_column_letter(len(df.columns) + 2)}2")
