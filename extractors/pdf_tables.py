"""Tables on one pdfplumber page -> ``Table`` blocks with grid positions.

Ruled tables (the usual Word-exported report) come from the drawn lines
(pdfplumber's "lines" strategy).  Only where a page has none do we look for
a table in the text alignment, and keep it only if it really looks like one:
text alignment "finds" tables in any justified prose, and a false table
would hide sentences from the matchers.  pdfplumber's own "text" strategy
cuts every multi-word cell into one column per aligned word ("Chỉ | tiêu |
số | 1"), so alignment tables are found here from column gaps instead: a
run of >= 3 visual lines that split into >= 3 segments at wide gaps, the
segments' x-ranges stacking into the same columns.
"""
from __future__ import annotations

import unicodedata
from bisect import bisect_left

from .document import Cell, Table
from .pdf_lines import make_line, split_gaps, visual_rows

LINES = {"vertical_strategy": "lines", "horizontal_strategy": "lines",
         "snap_tolerance": 3, "join_tolerance": 3, "intersection_tolerance": 3}
_TOL = 2.0  # points: cell edges closer than this are the same grid line


def nfc(s: str | None) -> str:
    return unicodedata.normalize("NFC", s or "").strip()


def find_tables(page, page_no: int, words: list[dict]) -> list[Table]:
    tables = [t for t in (_to_table(ft, page_no) for ft in page.find_tables(LINES))
              if t is not None and _is_real_ruled(t)]
    if tables:
        return tables
    return aligned_tables(words, page_no)


def aligned_tables(words: list[dict], page_no: int) -> list[Table]:
    rows = [split_gaps(r, 0.9, 8) for r in visual_rows(words)]
    out: list[Table] = []
    run: list[list[list[dict]]] = []
    for segs in rows + [[]]:   # the empty sentinel closes the last run
        if len(segs) >= 2 and (not run or _close_below(run[-1], segs)):
            run.append(segs)
            continue
        t = _run_to_table(run, page_no)
        if t is not None:
            out.append(t)
        run = [segs] if len(segs) >= 2 else []
    return out


def _close_below(prev: list[list[dict]], segs: list[list[dict]]) -> bool:
    bottom = max(w["bottom"] for s in prev for w in s)
    top = min(w["top"] for s in segs for w in s)
    height = max(w["bottom"] - w["top"] for s in segs for w in s)
    return top - bottom < 2.0 * height


def _run_to_table(run: list[list[list[dict]]], page_no: int) -> Table | None:
    if len(run) < 3:
        return None
    # columns = the union of the segments' x-ranges over all rows
    spans = sorted((min(w["x0"] for w in s), max(w["x1"] for w in s)) for r in run for s in r)
    cols: list[list[float]] = []
    for x0, x1 in spans:
        if cols and x0 <= cols[-1][1] + 1:
            cols[-1][1] = max(cols[-1][1], x1)
        else:
            cols.append([x0, x1])
    rows: list[list[Cell]] = []
    for r in run:
        by_col: dict[int, list[dict]] = {}
        for s in r:
            c = next(i for i, (a, b) in enumerate(cols) if a - 1 <= min(w["x0"] for w in s) <= b)
            by_col.setdefault(c, []).extend(s)
        rows.append([Cell(text=make_line(ws, page_no).text, bbox=make_line(ws, page_no).bbox, col=c, page=page_no)
                     for c, ws in sorted(by_col.items())])
    boxes = [c.bbox for r in rows for c in r]
    bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    t = Table(rows=rows, page=page_no, bbox=bbox, pages=[page_no])
    return t if looks_like_table(t) else None


def _to_table(ft, page_no: int) -> Table | None:
    """Grid columns/rows from the distinct cell edges; a cell spanning edges
    (pdfplumber leaves ``None`` where a spanned cell would start) gets
    colspan/rowspan instead of repeats."""
    texts = ft.extract()
    boxes = [c for r in ft.rows for c in r.cells if c is not None]
    if not boxes:
        return None
    xs = _edges([b[0] for b in boxes])
    ys = _edges([b[1] for b in boxes])
    rows: list[list[Cell]] = []
    for r_i, row in enumerate(ft.rows):
        out_row = []
        for c_i, box in enumerate(row.cells):
            if box is None:
                continue
            x0, top, x1, bottom = box
            col, colspan = _span(xs, x0, x1)
            _, rowspan = _span(ys, top, bottom)
            text = texts[r_i][c_i] if r_i < len(texts) and c_i < len(texts[r_i]) else ""
            out_row.append(Cell(text=nfc(text), bbox=_round(box), col=col, colspan=colspan,
                                rowspan=rowspan, page=page_no))
        if out_row:
            rows.append(out_row)
    if not rows:
        return None
    return Table(rows=rows, page=page_no, bbox=_round(ft.bbox), pages=[page_no])


def _edges(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _TOL:
            out.append(v)
    return out


def _span(edges: list[float], lo: float, hi: float) -> tuple[int, int]:
    """(index of the grid line the cell starts at, how many grid lines it covers)."""
    start = max(bisect_left(edges, lo + _TOL) - 1, 0)
    end = bisect_left(edges, hi - _TOL)  # edges strictly inside the cell
    return start, max(end - start, 1)


def _round(b) -> tuple[float, float, float, float]:
    return tuple(round(float(v), 2) for v in b)  # type: ignore[return-value]


def _is_real_ruled(t: Table) -> bool:
    # a framed paragraph or a signature box is a 1x1 "table": read it as text
    return len(t.rows) >= 2 and t.n_cols >= 2 and any(c.text for r in t.rows for c in r)


def _filled(row: list[Cell]) -> int:
    return sum(1 for c in row if c.text)


def looks_like_table(t: Table) -> bool:
    """>= 3 rows x >= 3 columns, most rows filling most columns, every
    column used by a fair share of rows, and short cells (prose split by
    alignment gives long fragments in few columns)."""
    n_rows, n_cols = len(t.rows), t.n_cols
    if n_rows < 3 or n_cols < 3 or n_cols > 20:
        return False
    full = sum(1 for r in t.rows if _filled(r) >= max(2, (n_cols + 1) // 2))
    if full < 0.6 * n_rows:
        return False
    used = [0] * n_cols
    for r in t.rows:
        for c in r:
            if c.text:
                used[c.col] += 1
    if min(used) < 0.25 * n_rows:
        return False
    lengths = sorted(len(c.text) for r in t.rows for c in r if c.text)
    return lengths[len(lengths) // 2] <= 40
