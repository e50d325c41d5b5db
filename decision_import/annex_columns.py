"""Column roles of an annex table: from its header row's words (STT | Chỉ số | Điểm tối đa |
Cách tính điểm …, in any order, OCR-damaged words matched by fuzz, ``header_roles``), else
from what its cells hold, for a table printed with no header row at all, or continued on a
page whose grid (OCR) differs from the header's page (``infer_roles``).

A column of mostly codes (``1.1``, ``II``, ``3.``) is the STT; of mostly bare numbers the
maximum; of text, the one whose cells speak of points (``điểm``, ``tối đa``, ``tỷ lệ``,
``a =``) is the method, the one naming papers (``văn bản``, ``báo cáo``, ``tài liệu``) the
evidence, the remaining text column the name.  Decided by the share of cells, so one
OCR-garbled row does not move a column.
"""
from __future__ import annotations

import re

from rapidfuzz import fuzz

from decision_import.annex_draft import fold
from extractors.document import Cell
from matchers.normalize import clean

_CODE = re.compile(r"^(?:[ivx]+|\d{1,2})(?:[.,]\d{1,2})*[.:]?$|^[a-hđ]\)$")
_NUMBER = re.compile(r"^\(?\d{1,4}(?:[.,]\d+)?\s*(?:diem|d)?\)?$")
_METHOD = re.compile(r"diem|toi da|ty le|\ba\s*=|\bdat\b|khong dat|chua|tinh theo|moi\b")
ROLE_WORDS = [("method", r"cach tinh|phuong phap|cach xac dinh|cach danh gia|cach cham"),
              ("evidence", r"tai lieu|kiem chung|nguon so lieu|minh chung"),
              ("max", r"diem"),
              ("code", r"(?:stt|tt|so tt|ma)"),
              ("name", r"chi so|tieu chi|noi dung|ten chi")]
_EVIDENCE = re.compile(r"van ban|bao cao|tai lieu|danh sach|kiem chung|minh chung|ho so|quyet dinh|so lieu")


def infer_roles(rows: list[list[Cell]], n_cols: int) -> dict[int, str] | None:
    """{grid column: role} from the body rows' contents, or None when the table shows no
    column of codes beside a column of names (then it is not an indicator table)."""
    by_col: dict[int, list[str]] = {}
    for row in rows:
        for c in row:
            f = fold(c.text)
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

    under_max = [fold(c.text) for row in body for c in row if role(c) == "max" and fold(c.text)]
    # only words contradict: a dash or "x" under "Điểm" is a maximum the decision leaves unprinted
    words = [t for t in under_max if not _NUMBER.match(t) and sum(ch.isalpha() for ch in t) >= 3]
    if len(under_max) < 3 or len(words) < 0.5 * len(under_max):
        return header
    return infer_roles(body, n_cols) or header


def header_roles(row: list[Cell]) -> dict[int, str] | None:
    """{grid column: role} from a header row; OCR-damaged words ("Nồi dunc") match by fuzz."""
    by_col: dict[int, str] = {}
    found: set[str] = set()
    # a header is labels: short cells, none a code or a figure (a body row "4.1 | Tỷ lệ … | Báo cáo
    # số liệu" carries header words too)
    if any(len(fold(c.text)) > 60 or re.fullmatch(r"[\d.,()\s]+(?:diem|d)?\)?", fold(c.text)) for c in row):
        return None
    for c in row:
        f = fold(c.text)
        if not f:
            continue
        role = None
        # the words as printed first, then OCR-damaged ones ("Tiêu chí đánh giá" is a name, though it
        # comes close to "cách đánh giá"), and "điểm" last: "Các tín điểm" is an OCR-read method header
        for fuzzy, last in ((False, False), (True, False), (True, True)):
            for r, words in ROLE_WORDS:
                if (r in found and r != "method") or (r == "max") != last:
                    continue
                if r == "code":
                    if re.fullmatch(words, f):
                        role = r
                elif any(re.search(w, f) if not fuzzy else (len(f) >= 4 and fuzz.partial_ratio(w, f) >= 85)
                         for w in words.split("|")):
                    role = r
                if role:
                    break
            if role:
                break
        if role:
            found.add(role)
            for col in range(c.col, c.col + c.colspan):
                by_col[col] = role
    if "name" in found and found & {"max", "method"} and "code" not in found and 0 not in by_col:
        by_col[0] = "code"     # the STT header left blank or unread: the first column holds the codes
        found.add("code")
    # the maximum may be printed after the name or in the method instead of a column of its own
    return by_col if {"code", "name"} <= found and found & {"max", "method"} else None


def cells_by_role(row: list[Cell], roles: dict[int, str]) -> dict[str, str]:
    """A body row as {role: text}; a cell takes the role of the header over its first
    column that has one, and text under no header reads as method (OCR splits headers)."""
    out: dict[str, str] = {}
    for c in row:
        role = next((roles[k] for k in range(c.col, c.col + c.colspan) if k in roles), "method")
        text = clean(c.text)
        if text:
            out[role] = f"{out[role]}\n{text}" if role in out else text
    return out

