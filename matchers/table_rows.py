"""Indicator tables → candidate rows.

Walks the body of a table whose columns have roles and decides, row by row,
what each row is: an indicator row, a pillar row (with its maximum and maybe a
printed subtotal), a sub-group heading, the total row, or the continuation of
the row above (a label wrapped into the next row, an option row listing the
other answers, a row split by a page break).
"""
from __future__ import annotations

import re

from rapidfuzz import fuzz

from extractors.document import Table
from matchers.candidates import Candidate, union_bbox
from matchers.columns import Columns, _is_colnum_row, _is_header_row, grid_rows
from matchers.normalize import fold, key, parse_code

# the total row; the short words only with their accents ("cong" is also Cổng, a portal)
_TOTAL_FOLDED = re.compile(r"^\s*(tong cong|tong diem|tong so diem)\b")
_TOTAL_WORD = re.compile(r"^\s*(tổng số|tổng|cộng)\b")
_CODE_PREFIX = re.compile(r"^\s*((?:\d{1,2}\s*\.\s*){1,3}\d{0,2}|[IVX]{1,4}\.)\s+(?=\S)")
_ROMAN = re.compile(r"^[IVX]{1,4}\.?$")
_NUMBERISH = re.compile(r"\d")


def pillar_score(label: str, pillar_names: list[str]) -> float:
    f = fold(label)
    f = re.sub(r"^[\divx.\s-]+", "", f).strip()
    f = re.sub(r"\(.*?\)|[:;,].*$", "", f).strip()
    if not f or len(f) > 60:
        return 0.0
    best = max((fuzz.ratio(f, fold(p)) for p in pillar_names), default=0.0)
    if len(f) <= 40:   # "Chỉ số 1: Nhận thức số": the whole pillar name inside a short label
        # or a label that is half a pillar's name or more ("thông tin" of "An toàn thông tin", the
        # rest wrapped away); "Xã" (a bullet's name cut at its comma) is no "Xã hội số"
        partial = max((fuzz.partial_ratio(fold(p), f) for p in pillar_names
                       if len(fold(p)) >= 8 and 2 * len(f) >= len(fold(p))), default=0.0)
        if partial >= 92:
            best = max(best, partial * 0.95)
    return best


def _row_meta(table: Table, r: int) -> tuple[int | None, object, float, bool]:
    cells = table.rows[r]
    page = next((c.page for c in cells if c.page), None) or table.page
    bb = None
    for c in cells:
        bb = union_bbox(bb, c.bbox)
    conf = min((c.confidence for c in cells if c.text.strip()), default=1.0)
    return page, bb, conf, any(c.disputed for c in cells)


def read_table(table: Table, cols: Columns, pillar_names: list[str],
               carry: Candidate | None = None) -> list[Candidate]:
    """Candidates of one table; ``carry`` is the previous table's last row, which
    this table's first row may continue (a row cut by the page break)."""
    grid = grid_rows(table)
    roles = cols.roles
    out: list[Candidate] = []
    section: str | None = None
    last: Candidate | None = carry
    for r in range(cols.header_rows, len(grid)):
        g = grid[r]
        if not any(t.strip() for t in g):
            continue
        if _is_header_row(g) or _is_colnum_row(g):   # header repeated on a new page
            continue
        texts = _row_texts(table.rows[r], roles)
        raw_code = texts.get("code", "")
        label = texts.get("label", "")
        if not raw_code and label:
            m = _CODE_PREFIX.match(label)
            if m:
                raw_code, label = m.group(1).strip(), label[m.end():].strip()
        if last is carry and carry is not None and raw_code and label[:1].islower():
            # the code wrapped too ("5.1" | "6.1" is "5.16.1" cut after its first line)
            joined = parse_code((carry.printed_code or "") + raw_code.strip())
            if joined and carry.code and joined.startswith(carry.code.rsplit(".", 1)[0]):
                carry.code = carry.printed_code = joined
            raw_code = ""
        code = parse_code(raw_code) if raw_code else None
        page, bb, conf, disputed = _row_meta(table, r)
        source_text = " | ".join(t for t in g if t.strip())
        unread_code = False
        if raw_code and code is None and not _ROMAN.match(raw_code.strip()):
            # a code cell that is not a code: the row is a continuation or note, unless it
            # is a row of its own whose code OCR misread ("vận" for 7.5): its own name, in
            # capitals, and its own points while the row above has its own already
            unread_code = (label[:1].isupper() and last is not None and last.kind == "row"
                           and any(texts.get(k) for k in ("claimed", "max"))
                           and all(last.text(k) or not texts.get(k) for k in ("claimed", "max")))
            label = f"{raw_code} {label}".strip()
            raw_code = ""
        # the total row
        head = label or (g[0] if g else "")
        if not raw_code and len(label) < 40 and (_TOTAL_FOLDED.match(fold(head)) or _TOTAL_WORD.match(key(head))):
            cand = Candidate(label=label or "Tổng cộng", kind="total", cells=texts, page=page, bbox=bb,
                             ocr_confidence=conf, source_text=source_text)
            cand.role_confidence, cand.disputed_roles = _role_meta(table.rows[r], roles)
            out.append(cand)
            last = None
            continue
        is_roman = bool(raw_code and _ROMAN.match(raw_code.strip()))
        top_level = is_roman or (code is not None and "." not in code)
        pscore = pillar_score(label, pillar_names) if label else 0.0
        # a top-level code is a pillar only when its name says so: reports
        # renumbered 1, 2, 3 … give plain integers to indicator rows too
        if (top_level and pscore >= 70) or (not raw_code and pscore >= 88):
            section = label
            out.append(Candidate(label=label, printed_code=raw_code or None, code=code, kind="pillar",
                                 cells=texts, page=page, bbox=bb, ocr_confidence=conf,
                                 source_text=source_text, pillar_hint=label))
            out[-1].role_confidence, out[-1].disputed_roles = _role_meta(table.rows[r], roles)
            last = None
            continue
        if not raw_code:
            starts_lower = bool(label) and label[:1].islower()
            # a bare label at the top of the next page finishes the row the page break cut
            starts_lower |= last is carry and carry is not None and set(texts) <= {"label"}
            if last is not None and not unread_code and (not label or starts_lower or _looks_like_option(texts)):
                before = dict(last.cells)
                _continue_row(last, texts, page, bb)
                # only cells that became part of the row's values count (not option rows)
                rc, rd = _role_meta(table.rows[r], roles)
                for role, v in rc.items():
                    if last.cells.get(role) != before.get(role):
                        last.role_confidence[role] = min(last.role_confidence.get(role, 1.0), v)
                        if role in rd:
                            last.disputed_roles.add(role)
                continue
            if label and not texts.get("answer") and not texts.get("claimed") and not _NUMBERISH.search(texts.get("ratio", "")):
                # a sub-group heading ("Dịch vụ công trực tuyến  132")
                out.append(Candidate(label=label, kind="group", cells=texts, page=page, bbox=bb,
                                     source_text=source_text, pillar_hint=section))
                last = None
                continue
            if not label:
                continue
        cand = Candidate(label=label, printed_code=raw_code or None, code=code, kind="row", cells=texts,
                         page=page, bbox=bb, ocr_confidence=conf, disputed=disputed,
                         pillar_hint=section, source_text=source_text)
        cand.role_confidence, cand.disputed_roles = _role_meta(table.rows[r], roles)
        out.append(cand)
        last = cand
    return out


_ROLE_PRIORITY = ("code", "label", "claimed", "max", "ratio", "answer", "method", "evidence", "note")


def _row_texts(cells, roles: dict[int, str]) -> dict[str, str]:
    """Role -> text for one row; a merged cell counts once, for its most telling role."""
    texts: dict[str, str] = {}
    for cell in cells:
        t = cell.text.strip()
        if not t:
            continue
        spanned = [roles[k] for k in range(cell.col, cell.col + cell.colspan) if k in roles]
        if not spanned:
            continue
        role = min(spanned, key=_ROLE_PRIORITY.index)
        texts[role] = f"{texts[role]} {t}" if role in texts else t
    return texts


def _role_meta(cells, roles: dict[int, str]) -> tuple[dict[str, float], set[str]]:
    """Role -> the weakest OCR confidence of its cells, and the roles a second read disputed:
    a figure is as sure as its own cell, not as the row's worst-read label."""
    conf: dict[str, float] = {}
    disputed: set[str] = set()
    for cell in cells:
        spanned = [roles[k] for k in range(cell.col, cell.col + cell.colspan) if k in roles]
        if not spanned or not (cell.text.strip() or getattr(cell, "ocr_missed", False)):
            continue      # a blank cell says nothing; one with ink the reader left unread does
        role = min(spanned, key=_ROLE_PRIORITY.index)
        conf[role] = min(conf.get(role, 1.0), cell.confidence)
        if cell.disputed:
            disputed.add(role)
    return conf, disputed


def _looks_like_option(texts: dict[str, str]) -> bool:
    return not texts.get("label") and any(texts.get(k) for k in ("answer", "claimed", "max", "method"))


def _continue_row(last: Candidate, texts: dict[str, str], page, bb) -> None:
    """Fold a continuation row into the row above.

    A wrapped label or a page-split row adds its text to the same roles; an
    option row (another answer with its points, listed under the first) only
    fills roles the row above left empty, so `Có 30` is not overwritten by the
    `Không 0` listed beneath it.
    """
    # an option row lists another answer (usually with its points); a row split
    # by a page break or a wrapped cell goes on in lower case ("đạt 78,25%")
    has_points = any(texts.get(k) for k in ("claimed", "max"))
    first = next((t for k, t in texts.items() if k in ("answer", "method")), "")
    is_option = not texts.get("label") and (has_points or not first[:1].islower())
    for role, t in texts.items():
        if role == "label":
            last.add("label", t)
            last.label = last.text("label")
        elif role in ("claimed", "max", "ratio"):
            if not last.text(role):
                last.cells[role] = t
            elif is_option:
                last.options.append(t)
        elif is_option and last.text(role) and role in ("answer", "method"):
            last.options.append(t)
        else:
            last.add(role, t)
    last.source_text = (last.source_text + " ‖ " + " | ".join(texts.values())).strip()
    if page == last.page:
        last.bbox = union_bbox(last.bbox, bb)
