"""Words outside tables -> ``Line`` blocks (top-based PDF points).

Words are grouped by vertical overlap, then a visual line is cut where the
horizontal gap is wide: the two-column letterhead of a Vietnamese report
("UBND XÃ ..." left, "CỘNG HÒA XÃ HỘI ..." right) is two lines, not one.
"""
from __future__ import annotations

import statistics
import unicodedata

from .document import Line


def page_words(page) -> list[dict]:
    words = page.extract_words(x_tolerance=2, y_tolerance=3, keep_blank_chars=False,
                               use_text_flow=False, extra_attrs=["fontname", "size"])
    return [w for w in words if w["upright"] and w["text"].strip()]


def visual_rows(words: list[dict]) -> list[list[dict]]:
    """Words grouped into visual lines, top to bottom, each left to right."""
    words = sorted(words, key=lambda w: (w["top"], w["x0"]))
    groups: list[list[dict]] = []
    for w in words:
        g = groups[-1] if groups else None
        if g is not None and _same_line(g, w):
            g.append(w)
        else:
            groups.append([w])
    for g in groups:
        g.sort(key=lambda w: w["x0"])
    return groups


def page_lines(words: list[dict], page_no: int, exclude: list[tuple[float, float, float, float]]) -> list[Line]:
    words = [w for w in words if not _inside(w, exclude)]
    lines: list[Line] = []
    for g in visual_rows(words):
        for seg in split_gaps(g, 1.8, 15):
            lines.append(make_line(seg, page_no))
    lines.sort(key=lambda ln: (round(ln.bbox[1] / 3), ln.bbox[0]))  # type: ignore[index]
    return lines


def _inside(w: dict, boxes) -> bool:
    cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
    return any(b[0] - 1 <= cx <= b[2] + 1 and b[1] - 1 <= cy <= b[3] + 1 for b in boxes)


def _same_line(group: list[dict], w: dict) -> bool:
    top = min(x["top"] for x in group)
    bottom = max(x["bottom"] for x in group)
    overlap = min(bottom, w["bottom"]) - max(top, w["top"])
    return overlap > 0.5 * min(bottom - top, w["bottom"] - w["top"])


def split_gaps(words: list[dict], sizes: float, floor: float) -> list[list[dict]]:
    """Cut a visual line where the gap exceeds ``sizes`` font sizes (and ``floor`` points)."""
    size = statistics.median(w["size"] for w in words) or 10
    limit = max(sizes * size, floor)
    out = [[words[0]]]
    for prev, w in zip(words, words[1:]):
        if w["x0"] - prev["x1"] > limit:
            out.append([w])
        else:
            out[-1].append(w)
    return out


def make_line(words: list[dict], page_no: int) -> Line:
    text = unicodedata.normalize("NFC", " ".join(w["text"] for w in words))
    fonts = [w.get("fontname") or "" for w in words]
    style = {
        "bold": all(_is_bold(f) for f in fonts),
        "italic": all(_is_italic(f) for f in fonts),
        "size": round(statistics.median(w["size"] for w in words), 1),
    }
    bbox = (round(min(w["x0"] for w in words), 2), round(min(w["top"] for w in words), 2),
            round(max(w["x1"] for w in words), 2), round(max(w["bottom"] for w in words), 2))
    return Line(text=text, page=page_no, bbox=bbox, confidence=1.0, style=style)


def _is_bold(font: str) -> bool:
    f = font.lower()
    return any(k in f for k in ("bold", "black", "heavy", "semibold", ",b"))


def _is_italic(font: str) -> bool:
    f = font.lower()
    return "italic" in f or "oblique" in f or f.endswith(",i") or f.endswith(",bi")
