"""Column roles of an annex table read from what its cells hold, for a table printed with no
header row at all, or continued on a page whose grid (OCR) differs from the header's page.

A column of mostly codes (``1.1``, ``II``, ``3.``) is the STT; of mostly bare numbers the
maximum; of text, the one whose cells speak of points (``điểm``, ``tối đa``, ``tỷ lệ``,
``a =``) is the method, the one naming papers (``văn bản``, ``báo cáo``, ``tài liệu``) the
evidence, the remaining text column the name.  Decided by the share of cells, so one
OCR-garbled row does not move a column.
"""
from __future__ import annotations

import re

from extractors.document import Cell
from matchers.normalize import clean, strip_accents

_CODE = re.compile(r"^(?:[ivx]+|\d{1,2})(?:[.,]\d{1,2})*[.:]?$|^[a-hđ]\)$")
_NUMBER = re.compile(r"^\(?\d{1,4}(?:[.,]\d+)?\s*(?:diem|d)?\)?$")
_METHOD = re.compile(r"diem|toi da|ty le|\ba\s*=|\bdat\b|khong dat|chua|tinh theo|moi\b")
_EVIDENCE = re.compile(r"van ban|bao cao|tai lieu|danh sach|kiem chung|minh chung|ho so|quyet dinh|so lieu")


def _f(s: str) -> str:
    return re.sub(r"\s+", " ", strip_accents(clean(s)).lower()).strip()


def infer_roles(rows: list[list[Cell]], n_cols: int) -> dict[int, str] | None:
    """{grid column: role} from the body rows' contents, or None when the table shows no
    column of codes beside a column of names (then it is not an indicator table)."""
    by_col: dict[int, list[str]] = {}
    for row in rows:
        for c in row:
            f = _f(c.text)
            if f:
                by_col.setdefault(c.col, []).append(f)
    cols = sorted(k for k, v in by_col.items() if len(v) >= 2)
    if not cols:
        return None

    def share(k: int, rx: re.Pattern, search: bool = False) -> float:
        texts = by_col[k]
        return sum(bool(rx.search(t) if search else rx.match(t)) for t in texts) / len(texts)

    code = next((k for k in cols if share(k, _CODE) >= 0.6 and len(by_col[k]) >= 3), None)
    if code is None:
        return None
    roles = {code: "code"}
    # a points column: bare numbers, not codes (a dotted "1.1" is a code, "20" or "7,5" a point)
    nums = [k for k in cols if k != code and share(k, _NUMBER) >= 0.6]
    if nums:
        roles[nums[0]] = "max"
    text = [k for k in cols if k not in roles and share(k, _NUMBER) < 0.5 and share(k, _CODE) < 0.5]
    if not text:
        return None
    evid = max(text, key=lambda k: share(k, _EVIDENCE, True))
    if len(text) >= 3 and share(evid, _EVIDENCE, True) >= 0.4:
        roles[evid] = "evidence"
        text.remove(evid)
    if len(text) >= 2:
        method = max(text, key=lambda k: (share(k, _METHOD, True), sum(map(len, by_col[k])) / len(by_col[k])))
        roles[method] = "method"
        text.remove(method)
    roles[text[0]] = "name"
    for k in text[1:]:
        roles[k] = "name"
    if "max" not in roles.values() and "method" not in roles.values():
        return None
    # grid columns no cell starts in belong to the column on their left (a cell spanning them)
    out: dict[int, str] = {}
    cur = None
    for k in range(n_cols):
        cur = roles.get(k, cur)
        if cur is not None:
            out[k] = cur
    return out


def check_header(header: dict[int, str], body: list[list[Cell]], n_cols: int) -> dict[int, str]:
    """The header's roles, unless the body contradicts them: a "points" column holding text (OCR
    cut "Phương pháp chấm | điểm" so the method's last word read as a points header) — then
    the roles the body's contents give, when they give any."""
    def role(c: Cell) -> str | None:      # as the importer gives it: the first header over the cell's span
        return next((header[k] for k in range(c.col, c.col + c.colspan) if k in header), None)

    under_max = [_f(c.text) for row in body for c in row if role(c) == "max" and _f(c.text)]
    if len(under_max) < 3 or sum(bool(_NUMBER.match(t)) for t in under_max) >= 0.5 * len(under_max):
        return header
    return infer_roles(body, n_cols) or header
