"""`dti read FILE [--json]`: show what the machine read from one report.

Text mode prints page by page; tables as aligned grids, a merged cell once
(spanning its columns), cells read with confidence below 0.8 marked ``?``.
Errors: the one-line message on stderr, exit code 1, no traceback.
"""
from __future__ import annotations

import json
import sys
import unicodedata

from .document import Document, Line, Table

LOW_CONFIDENCE = 0.8
MAX_COL_WIDTH = 28


def register(subparsers) -> None:
    p = subparsers.add_parser("read", help="đọc một tệp báo cáo và in nội dung / read one report file")
    p.add_argument("file", help="tệp Word/PDF/ảnh/văn bản")
    p.add_argument("--json", action="store_true", help="in Document dạng JSON")
    p.add_argument("--max-pages", type=int, default=None, help="số trang tối đa đọc từ PDF")
    p.set_defaults(handler=run_read)


def run_read(args) -> int:
    from . import read
    from .errors import ExtractError
    from .options import ReadOptions

    opts = ReadOptions()
    if args.max_pages:
        opts.max_pages = args.max_pages
    try:
        doc = read(args.file, opts)
    except ExtractError as e:
        print(str(e), file=sys.stderr)
        return 1
    except Exception as e:  # never a traceback for a user; the type helps a bug report
        print(f"{args.file}: Lỗi không mong đợi khi đọc tệp / unexpected error ({type(e).__name__}: {e})",
              file=sys.stderr)
        return 1
    if args.json:
        json.dump(doc.to_dict(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render(doc))
    return 0


def render(doc: Document) -> str:
    out = [f"{doc.path}  [{doc.format}]  sha256={doc.sha256[:12]}…  {len(doc.pages)} trang"]
    out += [f"! {w}" for w in doc.warnings]
    for page in doc.pages:
        q = f", đọc chắc / read with confidence {page.quality:.0%}" if page.quality is not None else ""
        out.append(f"\n=== Trang {page.number}{' (OCR' + q + ')' if page.ocr else ''} ===")
        for b in page.blocks:
            if isinstance(b, Table):
                span = f" (trang {b.pages[0]}–{b.pages[-1]})" if len(b.pages) > 1 else ""
                out.append(f"[Bảng {len(b.rows)} dòng × {b.n_cols} cột{span}]")
                out.extend(grid(b))
            elif isinstance(b, Line):
                mark = "? " if b.confidence < LOW_CONFIDENCE else ""
                out.append(mark + b.text)
    return "\n".join(out) + "\n"


def _width(s: str) -> int:
    # combining marks take no column (text is NFC, but be safe)
    return sum(0 if unicodedata.combining(ch) else 1 for ch in s)


def _cell_label(cell) -> str:
    text = " ".join(cell.text.split())
    if len(text) > MAX_COL_WIDTH * cell.colspan:
        text = text[: MAX_COL_WIDTH * cell.colspan - 1] + "…"
    return ("?" if cell.confidence < LOW_CONFIDENCE else "") + text


def grid(t: Table) -> list[str]:
    n = t.n_cols
    if n == 0:
        return []
    widths = [1] * n
    for r in t.rows:
        for c in r:
            if c.colspan == 1 and c.col < n:
                widths[c.col] = max(widths[c.col], _width(_cell_label(c)))
    lines = []
    for r in t.rows:
        parts, col = [], 0
        for c in sorted(r, key=lambda c: c.col):
            while col < c.col:           # a column covered by a merge from above
                parts.append(" " * widths[col])
                col += 1
            span = min(c.colspan, n - c.col)
            w = sum(widths[c.col:c.col + span]) + 3 * (span - 1)
            label = _cell_label(c)
            parts.append(label + " " * max(0, w - _width(label)))
            col = c.col + span
        while col < n:
            parts.append(" " * widths[col])
            col += 1
        lines.append("| " + " | ".join(parts) + " |")
    return lines
