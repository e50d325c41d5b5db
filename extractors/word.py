"""Word (.docx) -> Document, walking the body XML in document order.

Choices (why):
- One ``Line`` per paragraph (soft line breaks kept as ``\\n``, tabs as
  ``\\t``): a paragraph is the sentence unit the matchers need.
- Word has no pages; everything goes on page 1 except that explicit page
  breaks (``w:br w:type="page"``, ``pageBreakBefore``) start a new page.
- Header text and text boxes (where communes put their unit name and the
  document number) come first on page 1, before the body, marked in
  ``Line.style["source"]`` as ``header`` / ``textbox``.
- Merged cells appear once: ``gridSpan`` gives ``colspan``, ``vMerge`` gives
  ``rowspan``; continuation cells are not repeated.
- A nested table is flattened into the text of the cell holding it, one
  line per nested row, cells joined by `` | ``: the outer grid (the report's
  indicator table) stays intact and the nested figures stay in their row.
- Deleted tracked changes, field codes and the VML fallback copy of text
  boxes are skipped (they would duplicate or resurrect text).
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

from .document import Cell, Document, Line, Page, Table

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PAGE_BREAK = "\f"
_FALSE = {"0", "false", "off", "none"}


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def read_docx(path: Path, sha256: str, fmt: str = "docx", shown_path: str | None = None) -> Document:
    import docx  # python-docx; imported here so `dti --help` stays fast

    d = docx.Document(str(path))
    styles = _StyleProps(d)
    doc = Document(path=shown_path or str(path), sha256=sha256, format=fmt)
    top: list[Line] = []
    for hdr in _header_elements(d):
        top.extend(_lines_of(hdr, styles, "header"))
        for box in _textboxes(hdr):
            top.extend(_lines_of(box, styles, "header"))
    for box in _textboxes(d.element.body):
        top.extend(_lines_of(box, styles, "textbox"))
    pages: list[Page] = [Page(number=1, blocks=list(_dedupe(top)))]
    for el in _content(d.element.body):
        if el.tag == W + "p":
            parts = _para_text(el).split(PAGE_BREAK)
            if _page_break_before(el) and pages[-1].blocks:
                pages.append(Page(number=len(pages) + 1))
            for k, part in enumerate(parts):
                if k:
                    pages.append(Page(number=len(pages) + 1))
                line = _make_line(el, part, styles, "body", pages[-1].number)
                if line:
                    pages[-1].blocks.append(line)
        elif el.tag == W + "tbl":
            table = _table(el, pages[-1].number)
            if table.rows:
                pages[-1].blocks.append(table)
    doc.pages = [p for p in pages if p.blocks] or [Page(number=1)]
    for i, p in enumerate(doc.pages, 1):  # renumber after dropping empty pages
        p.number = i
        for b in p.blocks:
            b.page = i
            if isinstance(b, Table):
                b.pages = [i]
    return doc


def _content(parent):
    """Block-level children, looking through content controls and custom XML."""
    for el in parent:
        if el.tag in (W + "p", W + "tbl"):
            yield el
        elif el.tag in (W + "sdt", W + "customXml", W + "sdtContent", W + "ins", W + "smartTag"):
            yield from _content(el)


def _header_elements(d):
    seen: set[str] = set()
    order = {"first": 0, "default": 1, "even": 2}
    for sect in d.element.body.iter(W + "sectPr"):
        refs = sorted(sect.findall(W + "headerReference"), key=lambda r: order.get(r.get(W + "type"), 3))
        for ref in refs:
            rid = ref.get(R_ID)
            part = d.part.related_parts.get(rid)
            if part is None or str(part.partname) in seen:
                continue
            seen.add(str(part.partname))
            yield part.element


def _textboxes(root):
    for box in root.iter(W + "txbxContent"):
        if not any(a.tag == MC_FALLBACK for a in box.iterancestors()):
            yield box


def _lines_of(container, styles, source: str) -> list[Line]:
    """Every paragraph of a header or text box; its tables read row by row."""
    out: list[Line] = []
    for el in _content(container):
        if el.tag == W + "p":
            line = _make_line(el, _para_text(el).replace(PAGE_BREAK, " "), styles, source, 1)
            if line:
                out.append(line)
        else:
            for row in _table(el, 1).rows:
                text = " | ".join(c.text for c in row if c.text)
                if text:
                    out.append(Line(text=text, page=1, style={"source": source}))
    return out


def _dedupe(lines: list[Line]):
    seen: set[str] = set()
    for ln in lines:
        if ln.text not in seen:
            seen.add(ln.text)
            yield ln


def _make_line(p, text: str, styles, source: str, page: int) -> Line | None:
    text = nfc(text).strip()
    if not text:
        return None
    style = {"source": source, **styles.paragraph(p)}
    return Line(text=text, page=page, bbox=None, confidence=1.0, style=style)


def _page_break_before(p) -> bool:
    ppr = p.find(W + "pPr")
    el = ppr.find(W + "pageBreakBefore") if ppr is not None else None
    return el is not None and el.get(W + "val", "1").lower() not in _FALSE


def _para_text(p) -> str:
    out: list[str] = []
    _walk_text(p, out)
    return "".join(out)


def _walk_text(el, out: list[str]) -> None:
    for ch in el:
        tag = ch.tag
        if tag == W + "t":
            out.append(ch.text or "")
        elif tag == W + "tab":
            out.append("\t")
        elif tag in (W + "br", W + "cr"):
            out.append(PAGE_BREAK if ch.get(W + "type") == "page" else "\n")
        elif tag == W + "noBreakHyphen":
            out.append("-")
        elif tag in (W + "txbxContent", MC_FALLBACK, W + "del", W + "moveFrom", W + "pPr", W + "rPr"):
            continue
        elif isinstance(tag, str):
            _walk_text(ch, out)


def _table(tbl, page: int) -> Table:
    rows: list[list[Cell]] = []
    above: dict[int, Cell] = {}        # grid column -> cell that may continue downwards
    for tr in tbl.iter(W + "tr"):
        if _nearest_tbl(tr) is not tbl:  # a nested table's row
            continue
        col = _grid_before(tr)
        row: list[Cell] = []
        for tc in _cells(tr):
            tcpr = tc.find(W + "tcPr")
            span = _int_attr(tcpr, "gridSpan", 1)
            vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
            hmerge = tcpr.find(W + "hMerge") if tcpr is not None else None
            if hmerge is not None and hmerge.get(W + "val") != "restart" and row:
                row[-1].colspan += span
            elif vmerge is not None and vmerge.get(W + "val") != "restart" and col in above:
                above[col].rowspan += 1
            else:
                cell = Cell(text=_cell_text(tc), col=col, colspan=span)
                row.append(cell)
                for c in range(col, col + span):
                    above.pop(c, None)
                above[col] = cell
            col += span
        rows.append(row)
    return Table(rows=[r for r in rows if r], page=page, bbox=None, pages=[page])


def _nearest_tbl(el):
    for a in el.iterancestors(W + "tbl"):
        return a
    return None


def _cells(tr):
    for el in tr:
        if el.tag == W + "tc":
            yield el
        elif el.tag in (W + "sdt", W + "sdtContent", W + "customXml"):
            yield from _cells(el)


def _grid_before(tr) -> int:
    trpr = tr.find(W + "trPr")
    return _int_attr(trpr, "gridBefore", 0)


def _int_attr(parent, name: str, default: int) -> int:
    el = parent.find(W + name) if parent is not None else None
    if el is None:
        return default
    try:
        return max(int(el.get(W + "val")), default)  # gridSpan >= 1, gridBefore >= 0
    except (TypeError, ValueError):
        return default


def _cell_text(tc) -> str:
    parts: list[str] = []
    for el in _content(tc):
        if el.tag == W + "p":
            parts.append(_para_text(el).replace(PAGE_BREAK, "\n").strip())
        else:  # nested table, flattened (see module doc)
            for row in _table(el, 1).rows:
                parts.append(" | ".join(c.text.replace("\n", " ") for c in row if c.text))
    return nfc("\n".join(p for p in parts if p))


class _StyleProps:
    """Bold/italic of a paragraph: direct run formatting, else run style,
    else paragraph style (following basedOn), the way Word resolves it."""

    def __init__(self, d):
        self._styles = {}
        try:
            for s in d.styles.element.iter(W + "style"):
                self._styles[s.get(W + "styleId")] = s
        except Exception:  # a document without a styles part is still readable
            pass
        self._cache: dict[tuple[str | None, str], bool | None] = {}

    def _style_flag(self, style_id: str | None, flag: str, depth: int = 0) -> bool | None:
        if not style_id or depth > 10:
            return None
        key = (style_id, flag)
        if key not in self._cache:
            s = self._styles.get(style_id)
            val = None
            if s is not None:
                val = _flag(s.find(W + "rPr"), flag)
                if val is None:
                    based = s.find(W + "basedOn")
                    val = self._style_flag(based.get(W + "val") if based is not None else None, flag, depth + 1)
            self._cache[key] = val
        return self._cache[key]

    def paragraph(self, p) -> dict:
        ppr = p.find(W + "pPr")
        pstyle_el = ppr.find(W + "pStyle") if ppr is not None else None
        pstyle = pstyle_el.get(W + "val") if pstyle_el is not None else None
        out: dict = {}
        runs = [r for r in p.iter(W + "r") if "".join(t.text or "" for t in r.findall(W + "t")).strip()
                and not any(a.tag in (W + "txbxContent", MC_FALLBACK) for a in r.iterancestors())]
        for flag, name in (("b", "bold"), ("i", "italic")):
            vals = []
            for r in runs:
                rpr = r.find(W + "rPr")
                v = _flag(rpr, flag)
                if v is None:
                    rs = rpr.find(W + "rStyle") if rpr is not None else None
                    v = self._style_flag(rs.get(W + "val") if rs is not None else None, flag)
                if v is None:
                    v = self._style_flag(pstyle, flag)
                vals.append(bool(v))
            out[name] = bool(vals) and all(vals)
        sizes = {r.find(W + "rPr/" + W + "sz").get(W + "val") for r in runs
                 if r.find(W + "rPr/" + W + "sz") is not None}
        if len(sizes) == 1:
            try:
                out["size"] = int(sizes.pop()) / 2
            except (TypeError, ValueError):
                pass
        if pstyle:
            out["style"] = pstyle
        return out


def _flag(rpr, flag: str) -> bool | None:
    if rpr is None:
        return None
    el = rpr.find(W + flag)
    if el is None:
        return None
    return el.get(W + "val", "1").lower() not in _FALSE
