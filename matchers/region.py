"""Whether the part of a scanned page where a missing row would stand was read surely.

An indicator without a row is ``missing-indicator`` (a letter to the commune) only
when the reading could have seen it: on an OCR'd page the row would stand between
the rows of its neighbours in the ruleset's order.  If anything in that band was
read poorly (a cell or line under the sure threshold, disputed by the second read,
ink with no text), or a row stands there that matched no indicator, the row may be
printed and lost: the indicator goes to review instead.
"""
from __future__ import annotations

from extractors.document import Document, Line, Table
from matchers.report import Row
from rulesets.model import Ruleset

QUALITY = 0.9      # a page whose share of surely read cells is under this was read poorly


def _pos(row: Row) -> tuple[int, float, float] | None:
    if row.source.page is None or row.source.bbox is None:
        return None
    return row.source.page, row.source.bbox[1], row.source.bbox[3]


def _band(doc: Document, ruleset: Ruleset, code: str, rows: list[Row]):
    """[(page, top, bottom)] between the found neighbours of ``code`` (whole pages at the ends),
    in the document's page order; None when the neighbours stand the wrong way round."""
    order = [i.code for i in ruleset.indicators]
    at = {r.indicator: _pos(r) for r in rows if r.indicator and _pos(r) is not None}
    k = order.index(code)
    prev = next((at[c] for c in reversed(order[:k]) if c in at), None)
    nxt = next((at[c] for c in order[k + 1:] if c in at), None)
    first = prev[0] if prev else (nxt[0] if nxt else None)
    last = nxt[0] if nxt else (prev[0] if prev else None)
    if first is None:
        return []
    # the pages in the order the document was read (photographed pages put back in order)
    seq = [p.number for p in doc.pages]
    if first not in seq or last not in seq:
        return []
    i, j = seq.index(first), seq.index(last)
    if j < i or (prev and nxt and i == j and nxt[2] <= prev[1]):
        return None     # the neighbours stand in the wrong order: where the row would be is unknown
    out = []
    for p in seq[i:j + 1]:
        top = prev[2] if prev and p == prev[0] else float("-inf")
        bottom = nxt[1] if nxt and p == nxt[0] else float("inf")
        out.append((p, top, bottom))
    return out


def read_surely(doc: Document, ruleset: Ruleset, code: str, rows: list[Row], unmatched: list,
                sure: float) -> tuple[bool, str]:
    """(whether the band where ``code``'s row would stand was read surely, why not in words).
    ``unmatched``: (page, bbox) of rows that matched no indicator."""
    if not any(p.ocr for p in doc.pages):
        return True, ""
    pages = {p.number: p for p in doc.pages}
    band = _band(doc, ruleset, code, rows)
    if band is None:
        return False, f"các dòng quanh chỗ dòng {code} không theo thứ tự của bộ chỉ số"
    for number, top, bottom in band:
        page = pages.get(number)
        if page is None or not page.ocr:
            continue
        inside = lambda bb: bb is not None and top - 1 <= (bb[1] + bb[3]) / 2 <= bottom + 1  # noqa: E731
        if any(p == number and inside(bb) for p, bb in unmatched):
            return False, f"trang {number} có dòng không khớp chỉ số nào ở chỗ dòng {code}"
        weak = 0
        for b in page.blocks:
            items = [c for r in b.rows for c in r] if isinstance(b, Table) else [b] if isinstance(b, Line) else []
            for it in items:
                if not inside(it.bbox) or not (it.text.strip() or getattr(it, "ocr_missed", False)):
                    continue
                if it.confidence < sure or getattr(it, "disputed", False) or getattr(it, "ocr_missed", False):
                    weak += 1
        if weak:
            return False, f"vùng trang {number} quanh chỗ dòng {code} đọc kém ({weak} ô/dòng chưa chắc)"
        if top == float("-inf") and bottom == float("inf") and page.quality is not None and page.quality < QUALITY:
            return False, f"trang {number} đọc kém"
    return True, ""
