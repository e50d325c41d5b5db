"""Column roles of an indicator table: which column holds what.

Reports put the same things in different columns under different headers
(`Điểm tự chấm`, `Điểm`, `Tự chấm`; `Các xác định` that holds answers; headers
damaged by OCR; columns reordered).  Roles are read from the header words
first, fuzzily, and then checked against what the cells hold, so a column
headed `Cách xác định` that actually holds `Có` / `Không` becomes an answer
column and a table without a header still gets its numeric columns.

Roles: code, label, method (the rule text), answer (result, figures),
ratio, claimed, max, evidence, note.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from extractors.document import Table
from matchers.normalize import fold

# folded header phrases per role; the longest phrase that matches wins
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "code": ("stt", "tt", "so tt", "ma", "ma so", "ma chi so", "so thu tu"),
    "label": ("tieu chi", "chi so", "noi dung", "noi dung chi so", "ten chi so", "chi tieu",
              "chi so chi so thanh phan", "chi so thanh phan", "noi dung danh gia", "ten tieu chi"),
    "method": ("cach xac dinh", "cach tinh", "cach tinh diem", "cach xac dinh va tinh diem",
               "phuong phap tinh", "huong dan cham diem", "cach cham diem", "yeu cau"),
    "answer": ("ket qua", "ket qua thuc hien", "so lieu", "hien trang", "ket qua dat duoc",
               "thuc hien", "gia tri", "so lieu ket qua", "thuc trang", "noi dung tu danh gia",
               "so lieu thuc te", "ket qua tu danh gia"),
    "ratio": ("ty le", "ti le", "ty le %", "ty le dat"),
    "claimed": ("diem tu cham", "tu cham", "diem tu danh gia", "diem dat", "diem", "diem so",
                "diem tu cham diem", "tu danh gia", "diem dat duoc", "diem don vi tu cham"),
    "max": ("diem toi da", "toi da", "thang diem", "diem chuan", "diem toi da theo bo chi so"),
    "evidence": ("tai lieu kiem chung", "kiem chung", "minh chung", "tai lieu chung minh",
                 "nguon du lieu", "tai lieu"),
    "note": ("ghi chu",),
}

_NUM_CELL = re.compile(r"^\s*\d{1,4}(?:[.,]\d{1,3})?\s*$")
_CODE_CELL = re.compile(r"^\s*(?:\d{1,2}(?:\s*\.\s*\d{1,2}){0,3}\.?|[IVX]{1,4}\.?)\s*$")
_COLNUM_CELL = re.compile(r"^\s*\(?\d{1,2}\)?\s*$")


@dataclass
class Columns:
    roles: dict[int, str] = field(default_factory=dict)  # grid column -> role
    header_rows: int = 0                                 # rows at the top that are headers
    from_header: bool = False

    def col(self, role: str) -> int | None:
        return next((c for c, r in self.roles.items() if r == role), None)

    def cols(self, role: str) -> list[int]:
        return [c for c, r in self.roles.items() if r == role]


def role_of_header(text: str) -> tuple[str | None, float]:
    """Best role for one header cell, with a score 0..100."""
    t = fold(text)
    t = re.sub(r"[^a-z0-9% ]+", " ", t)
    t = re.sub(r"\s+", " ", t).strip()
    if not t:
        return None, 0.0
    best: tuple[str | None, float] = (None, 0.0)
    for role, phrases in HEADER_WORDS.items():
        for ph in phrases:
            if t == ph:
                s = 100.0 + len(ph)
            elif len(ph) >= 4 and ph in t:
                s = 80.0 + len(ph)
            else:
                s = fuzz.ratio(t, ph) if len(t) < 2 * len(ph) + 6 else 0.0
            if s > best[1]:
                best = (role, s)
    return best if best[1] >= 78 else (None, best[1])


def _grid(table: Table) -> list[list[str]]:
    """Rows as lists indexed by grid column (spanned columns repeat the text)."""
    n = table.n_cols
    out = []
    for row in table.rows:
        g = [""] * n
        for c in row:
            for k in range(c.col, min(n, c.col + c.colspan)):
                g[k] = c.text
        out.append(g)
    return out


def _is_header_row(cells: list[str]) -> bool:
    """Header cells are short and nearly all of them name a role."""
    distinct = list(dict.fromkeys(t.strip() for t in cells if t.strip()))
    roles = [role_of_header(t)[0] if len(t) <= 45 else None for t in distinct]
    hits = len(set(roles) - {None})
    numeric = sum(1 for t in distinct if _NUM_CELL.match(t))
    return hits >= 2 and numeric <= 1 and sum(r is not None for r in roles) >= 0.6 * len(distinct)


def _is_colnum_row(cells: list[str]) -> bool:
    """The `(1) (2) (3) …` row some tables print under the header."""
    vals = [t for t in cells if t.strip()]
    return len(vals) >= 3 and all(_COLNUM_CELL.match(t) for t in vals)


def detect_columns(table: Table) -> Columns:
    grid = _grid(table)
    cols = Columns()
    # header: up to 3 rows at the top (two-line headers and the (1)(2)(3) row)
    header_texts: dict[int, list[str]] = {}
    k = 0
    while k < min(4, len(grid)):
        if _is_header_row(grid[k]):
            for c, t in enumerate(grid[k]):
                header_texts.setdefault(c, []).append(t)
            k += 1
        elif k and _is_colnum_row(grid[k]):
            k += 1
        else:
            break
    cols.header_rows = k
    if header_texts:
        cols.from_header = True
        scored: list[tuple[float, int, str]] = []
        for c, texts in header_texts.items():
            joined = " ".join(dict.fromkeys(t for t in texts if t.strip()))
            role, s = role_of_header(joined)
            if role:
                scored.append((s, c, role))
        taken: set[int] = set()
        for s, c, role in sorted(scored, reverse=True):
            if c in taken:
                continue
            # one column per role except answer/evidence/note, which may repeat
            if role in cols.roles.values() and role not in ("answer", "evidence", "note"):
                # a second 'claimed' is usually the max column whose header lost 'tối đa'
                continue
            cols.roles[c] = role
            taken.add(c)
    _check_by_content(grid[cols.header_rows:], cols)
    return cols


def _col_stats(body: list[list[str]], c: int) -> dict[str, float]:
    vals = [r[c].strip() for r in body if c < len(r) and r[c].strip()]
    n = max(1, len(vals))
    return {
        "filled": len(vals) / max(1, len(body)),
        "numeric": sum(bool(_NUM_CELL.match(v)) for v in vals) / n,
        "code": sum(bool(_CODE_CELL.match(v)) for v in vals) / n,
        "long": sum(len(v) > 40 for v in vals) / n,
        "avg_len": sum(len(v) for v in vals) / n,
        "rule_words": sum(("điểm" in v.lower() and ("tối đa" in v.lower() or "=" in v)) for v in vals) / n,
    }


def _check_by_content(body: list[list[str]], cols: Columns) -> None:
    """Fill roles the header did not give, and correct ones the cells contradict."""
    if not body:
        return
    n = max(len(r) for r in body)
    stats = {c: _col_stats(body, c) for c in range(n)}
    # a 'method' column that mostly holds short answers is the answer column (Hùng Sơn)
    # (a criteria table prints the rule on nearly every row, and at length; a
    # score table's "Các xác định" holds answers, with a formula on rate rows)
    for c in cols.cols("method"):
        st = stats[c]
        if st["long"] < 0.5 and st["rule_words"] < 0.8:
            cols.roles[c] = "answer"
    if cols.col("code") is None:
        cand = [c for c in range(n) if stats[c]["code"] >= 0.6 and stats[c]["filled"] >= 0.5 and c not in cols.roles]
        if cand:
            cols.roles[cand[0]] = "code"
    if cols.col("label") is None:
        cand = [c for c in range(n) if c not in cols.roles and stats[c]["avg_len"] >= 20]
        if cand:
            cols.roles[max(cand, key=lambda c: (stats[c]["filled"], -c))] = "label"
    # numeric columns right of the label: the one that is mostly round numbers
    # and never below its neighbour is the max; the other the claimed
    if cols.col("claimed") is None or cols.col("max") is None:
        label_c = cols.col("label") or 0
        nums = [c for c in range(label_c + 1, n) if c not in cols.roles and stats[c]["numeric"] >= 0.6]
        if cols.col("max") is None and cols.col("claimed") is None and len(nums) >= 2:
            a, b = nums[-2], nums[-1]
            mx = a if _ge_share(body, a, b) >= _ge_share(body, b, a) else b
            cols.roles[mx] = "max"
            cols.roles[b if mx == a else a] = "claimed"
        elif cols.col("claimed") is None and nums:
            cols.roles[nums[-1]] = "claimed"
        elif cols.col("max") is None and nums:
            cols.roles[nums[0]] = "max"
    if cols.col("method") is None:   # a rule column without its header still reads as rules
        for c in range(n):
            if c not in cols.roles and stats[c]["rule_words"] >= 0.8 and stats[c]["filled"] >= 0.5:
                cols.roles[c] = "method"
                break
    if cols.col("answer") is None:
        label_c = cols.col("label")
        cand = [c for c in range(n) if c not in cols.roles and stats[c]["filled"] >= 0.3
                and stats[c]["numeric"] < 0.6 and (label_c is None or c > label_c)]
        if cand:
            cols.roles[cand[0]] = "answer"


def _ge_share(body: list[list[str]], a: int, b: int) -> float:
    """Share of rows where column a's number is >= column b's."""
    from matchers.figures import parse_number
    ge = tot = 0
    for r in body:
        if max(a, b) >= len(r):
            continue
        x, y = parse_number(r[a]), parse_number(r[b])
        if x is None or y is None:
            continue
        tot += 1
        ge += x >= y
    return ge / tot if tot else 0.0


def grid_rows(table: Table) -> list[list[str]]:
    return _grid(table)
