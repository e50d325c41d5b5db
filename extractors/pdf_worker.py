"""The PDF text-layer reader, run in a child process by ``pdf.py``.

    python -m extractors.pdf_worker FILE MAX_PAGES MIN_CHARS MAX_GARBAGE

prints one JSON object on stdout: ``{"ok": true, "doc": Document dict,
"ocr_pages": [...], "n_pages": N}`` or ``{"ok": false, "error": kind,
"detail": ...}``.  Kept in a child so a hostile or pathological PDF meets a
wall-clock timeout and a memory limit instead of hanging the pipeline.
"""
from __future__ import annotations

import json
import sys
import unicodedata

from .document import Document, Page
from .pdf_join import join_continued_tables
from .pdf_lines import page_lines, page_words
from .pdf_tables import find_tables


def parse(path: str, max_pages: int, min_chars: int, max_garbage: float) -> dict:
    import pdfplumber

    try:
        pdf = pdfplumber.open(path)
    except Exception as e:  # pdfplumber wraps pdfminer errors; the name says which
        return _error(e)
    with pdf:
        try:
            n_pages = len(pdf.pages)
        except Exception as e:
            return _error(e)
        pages: list[Page] = []
        ocr_pages: list[int] = []
        for i, pg in enumerate(pdf.pages[:max_pages], 1):
            try:
                page = _read_page(pg, i)
                if needs_ocr(pg, min_chars, max_garbage):
                    ocr_pages.append(i)
                    page.blocks = []
                pages.append(page)
            except Exception as e:
                # one broken page should not lose the report: keep going
                pages.append(Page(number=i, width=None, height=None))
                ocr_pages.append(i)
                sys.stderr.write(f"page {i}: {e!r}\n")
            finally:
                pg.close()  # pdfplumber caches layout per page; free it
        join_continued_tables(pages)
        doc = Document(path=path, sha256="", format="pdf-text", pages=pages)
        return {"ok": True, "doc": doc.to_dict(), "ocr_pages": ocr_pages, "n_pages": n_pages}


def _read_page(pg, number: int) -> Page:
    words = page_words(pg)
    tables = find_tables(pg, number, words)
    lines = page_lines(words, number, [t.bbox for t in tables if t.bbox])
    blocks = sorted([*tables, *lines], key=lambda b: (b.bbox[1], b.bbox[0]))  # type: ignore[index]
    return Page(number=number, width=round(float(pg.width), 2), height=round(float(pg.height), 2),
                blocks=blocks)


def needs_ocr(pg, min_chars: int, max_garbage: float) -> bool:
    """No usable text layer: garbage glyphs (unmapped fonts, "(cid:12)"), or
    almost no text on a page that carries an image (a scan)."""
    chars = [c["text"] for c in pg.chars if not c["text"].isspace()]
    bad = sum(1 for t in chars if _garbage(t))
    if chars and bad / len(chars) > max_garbage:
        return True
    good = len(chars) - bad
    if good < min_chars and bool(pg.images or len(pg.curves) > 50):
        return True
    # a scan with a little digital text stamped on it (a header, a page number)
    area = float(pg.width * pg.height) or 1.0
    covered = sum(max(0.0, float(im["x1"] - im["x0"])) * max(0.0, float(im["bottom"] - im["top"]))
                  for im in pg.images)
    return covered > 0.5 * area and good < 200


def _garbage(t: str) -> bool:
    if t.startswith("(cid:") or t == "\ufffd":
        return True
    return any(unicodedata.category(ch) in ("Co", "Cc", "Cn") for ch in t)


def _error(e: BaseException) -> dict:
    chain, cur = [], e
    while cur is not None and len(chain) < 5:
        chain.append(f"{type(cur).__name__}: {cur}")
        cur = cur.__cause__ or cur.__context__ or (cur.args[0] if cur.args and isinstance(cur.args[0], BaseException) else None)
    text = " | ".join(chain)
    kind = "encrypted" if ("Password" in text or "Encrypt" in text or "decrypt" in text.lower()) else "corrupt"
    return {"ok": False, "error": kind, "detail": text[:1000]}


def main(argv: list[str]) -> int:
    path, max_pages, min_chars, max_garbage = argv[0], int(argv[1]), int(argv[2]), float(argv[3])
    try:
        result = parse(path, max_pages, min_chars, max_garbage)
    except MemoryError:
        result = {"ok": False, "error": "memory", "detail": "MemoryError"}
    except RecursionError as e:
        result = {"ok": False, "error": "corrupt", "detail": repr(e)}
    sys.stdout.write(json.dumps(result, ensure_ascii=False))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
