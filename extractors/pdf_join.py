"""Join a table that continues on the next page into one ``Table``.

A report's indicator table runs over several pages; the matchers want one
table.  A page's last table continues on the next page when nothing but a
page number sits between them and both have the same columns (same count,
same x positions).  Header rows repeated on the new page are dropped; a row
that Word/LibreOffice split across the page break (its first cell, the STT,
left empty on the new page) is glued back onto the row it belongs to.

OCR'd pages are joined after they are read (``join_ocr_continuations``), and
only where the new page's table does not repeat the header: a photographed
continuation page is matched to the previous page's ruling by where its
columns stand across the table (each photo has its own scale, offset and
perspective, so points do not compare), and without the join its rows had no
header to tell which column is the self-score.
"""
from __future__ import annotations

import re
from difflib import SequenceMatcher

from .document import Cell, Line, Page, Table

_X_TOL = 4.0        # points
_REL_TOL = 0.025    # share of the table's width, for OCR'd pages
_MARGIN = 0.1       # share of the page height counted as header/footer band
_SHORT = 12         # a line this short between two parts is a page number


def join_continued_tables(pages: list[Page]) -> None:
    _join(pages, lambda a, b, _nxt: same_columns(a, b))


def join_ocr_continuations(pages: list[Page]) -> list[int] | None:
    """Join the tables of OCR'd continuation pages that have no header row of
    their own onto the previous page's table, by relative column positions.
    Pages whose table repeats its header are left as they were read.

    Pages photographed out of order are first put back in the order their indicator
    codes run (``page_order``), in place; returns that order (page numbers) when it
    changed, else None."""
    order = page_order(pages)
    if order is not None:
        at = {p.number: p for p in pages}
        pages[:] = [at[n] for n in order]

    def fits(a: Table, b: Table, nxt: Page) -> bool:
        return nxt.ocr and not _repeats_header(a, b) and same_columns_relative(a, b)
    _join(pages, fits)
    return order


_CODE = re.compile(r"^\s*(\d{1,2}(?:\s*\.\s*\d{1,2}){0,3})\s*\.?\s*$")
_LEAST_CODES = 3       # a page with fewer codes than this says nothing about its place
_IN_ORDER = 0.8        # share of a page's consecutive codes that must rise (one misread aside): one list


def _page_codes(page: Page) -> list[tuple[int, ...]]:
    """The indicator codes printed in the first column of the page's tables, top to bottom."""
    out = []
    for blk in page.blocks:
        if not isinstance(blk, Table):
            continue
        for row in blk.rows:
            first = next((c for c in row if c.col == 0), None)
            m = _CODE.match(first.text) if first is not None and first.text else None
            if m:
                out.append(tuple(int(x) for x in re.findall(r"\d+", m.group(1))))
    return out


def page_order(pages: list[Page]) -> list[int] | None:
    """Page numbers in the order their tables' codes run, when the pages were photographed
    (or scanned) out of it; None when they are in order or the codes do not prove another.

    A report prints its indicators in the decision's order, so the codes rise from page to
    page.  Pages with a few codes each, every one rising within itself, that do not rise
    from one page to the next, are put in the order of their codes; pages without codes
    (a title page, the signatures) keep their places.  Proven only when, in the new order,
    each page's codes (but for an OCR misread or two: the 20th and 80th percentiles) all come
    before the next page's."""
    coded = []                  # (slot, page, its codes' low and high percentile)
    for slot, p in enumerate(pages):
        codes = _page_codes(p)
        if len(codes) < _LEAST_CODES or not p.ocr:
            continue
        falls = sum(a >= b for a, b in zip(codes, codes[1:]))
        if falls > max(1, (1 - _IN_ORDER) * (len(codes) - 1)):
            return None         # codes that restart or jump within a page: not one list
        s = sorted(codes)
        coded.append((slot, p, s[int(0.2 * (len(s) - 1))], s[int(round(0.8 * (len(s) - 1)))]))
    if len(coded) < 2:
        return None
    ranked = sorted(coded, key=lambda c: (c[2], c[3]))
    if [c[1].number for c in ranked] == [c[1].number for c in coded]:
        return None
    if any(a[3] >= b[2] for a, b in zip(ranked, ranked[1:])):
        return None             # the pages' codes overlap: no order is proven
    out = [p.number for p in pages]
    for (slot, _, _, _), (_, p, _, _) in zip(coded, ranked):
        out[slot] = p.number
    return out


def _join(pages: list[Page], fits) -> None:
    carry: Table | None = None  # a joined table that still runs to the bottom of the last page
    for prev, nxt in zip(pages, pages[1:]):
        a = carry or _last_table(prev)
        carry = None
        b = _first_table(nxt)
        if a is None or b is None or not fits(a, b, nxt):
            continue
        rows = _drop_repeated_header(a, b.rows)
        if rows and _is_split_row(a.rows[-1], rows[0]):
            _glue(a.rows[-1], rows.pop(0))
        a.rows.extend(rows)
        for p in b.pages or [b.page]:
            if p not in a.pages:
                a.pages.append(p)
        ends_page = _last_table(nxt) is b
        nxt.blocks.remove(b)
        if ends_page:
            carry = a


def _last_table(page: Page) -> Table | None:
    for blk in reversed(page.blocks):
        if isinstance(blk, Table):
            return blk
        if not _ignorable(blk, page, top=False):
            return None
    return None


def _first_table(page: Page) -> Table | None:
    for blk in page.blocks:
        if isinstance(blk, Table):
            return blk
        if not _ignorable(blk, page, top=True):
            return None
    return None


def _ignorable(line: Line, page: Page, top: bool) -> bool:
    if len(line.text) <= _SHORT:
        return True
    if line.bbox is None or not page.height:
        return False
    return line.bbox[3] < page.height * _MARGIN if top else line.bbox[1] > page.height * (1 - _MARGIN)


def col_edges(t: Table) -> dict[int, float]:
    """x0 of each grid column, from the cells that start there."""
    edges: dict[int, float] = {}
    for r in t.rows:
        for c in r:
            if c.bbox is not None and c.col not in edges:
                edges[c.col] = c.bbox[0]
    return edges


def _edges_agree(ea: dict[int, float], eb: dict[int, float], n_cols: int, least: int, tol: float) -> bool:
    """Enough columns in common (all but one, at least ``least``), each within ``tol``."""
    common = set(ea) & set(eb)
    if len(common) < max(least, n_cols - 1):
        return False
    return all(abs(ea[k] - eb[k]) <= tol for k in common)


def same_columns(a: Table, b: Table) -> bool:
    if a.n_cols != b.n_cols:
        return False
    return _edges_agree(col_edges(a), col_edges(b), a.n_cols, 2, _X_TOL)


def rel_edges(t: Table) -> dict[int, float]:
    """x0 of each grid column as a share of the table's width, from its left edge."""
    edges = col_edges(t)
    right = max((c.bbox[2] for r in t.rows for c in r if c.bbox is not None), default=None)
    if not edges or right is None:
        return {}
    left = min(edges.values())
    width = right - left
    return {k: (x - left) / width for k, x in edges.items()} if width > 0 else {}


def same_columns_relative(a: Table, b: Table) -> bool:
    """Same columns at the same places across the table, whatever each page's scale."""
    if a.n_cols != b.n_cols or a.n_cols < 3:
        return False
    return _edges_agree(rel_edges(a), rel_edges(b), a.n_cols, 3, _REL_TOL)


def _row_text(row: list[Cell]) -> str:
    return " ".join(" ".join(c.text.split()).lower() for c in row)


def _repeats_header(a: Table, b: Table) -> bool:
    """The new page's first row reads like the table's first row (its header),
    allowing for OCR's misreadings."""
    if not a.rows or not b.rows:
        return False
    ha, hb = _row_text(a.rows[0]), _row_text(b.rows[0])
    return bool(ha) and SequenceMatcher(None, ha, hb).ratio() >= 0.6


def _key(row: list[Cell]) -> tuple:
    return tuple((c.col, " ".join(c.text.split()).lower()) for c in row)


def _drop_repeated_header(a: Table, rows: list[list[Cell]]) -> list[list[Cell]]:
    rows = list(rows)
    i = 0
    while rows and i < min(len(a.rows), 4) and _key(rows[0]) == _key(a.rows[i]):
        rows.pop(0)
        i += 1
    return rows


def _is_split_row(last: list[Cell], first: list[Cell]) -> bool:
    # the continuation of a split row has no text in the first column (STT),
    # while the row it continues has one
    lead_a = next((c for c in last if c.col == 0), None)
    lead_b = next((c for c in first if c.col == 0), None)
    if lead_a is None or not lead_a.text or (lead_b is not None and lead_b.text):
        return False
    # only text that overflowed: every filled cell continues text above it,
    # as a sentence going on in lower case or the tail of a long text.
    # "Không | 0" under "Có | 30" is an option row, not overflow.
    by_col = {c.col: c for c in last}
    filled = [c for c in first if c.text]
    return bool(filled) and all(
        c.col in by_col and by_col[c.col].text and (c.text[0].islower() or len(by_col[c.col].text) > 25)
        for c in filled)


def _glue(last: list[Cell], cont: list[Cell]) -> None:
    by_col = {c.col: c for c in last}
    for c in cont:
        if not c.text:
            continue
        target = by_col.get(c.col)
        if target is None:
            last.append(c)
        else:
            target.text = f"{target.text}\n{c.text}" if target.text else c.text
    last.sort(key=lambda c: c.col)
