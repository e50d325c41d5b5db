"""Vietnamese dates as reports print them, and the documents a row cites with their dates.

Printed forms read: ``ngày 15 tháng 9 năm 2025`` (also ``ngày 15 tháng 09, năm 2025``),
``15/09/2025``, ``15/9/2025``, ``15-9-2025``, ``15.09.2025``, ``15 / 9 / 2025`` (OCR spaces),
and ``2025-09-15``.  A year must have four digits: ``15/9/25`` is too easily a fraction
(``15/9`` thôn) to be read as a date.  An impossible date (31/02, month 13) reads as
nothing — an unreadable date never raises a flag.

``cited_dates`` keeps only dates that belong to a cited document (``Kế hoạch số
109/KH-UBND ngày 15/09/2025``, ``Quyết định … ngày …``, ``Công văn số …/CV-…``): a
"số liệu tính đến ngày 31/12/2023" is a cut-off, not evidence, and is left alone.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from matchers.normalize import nfc

_SEP = r"\s*([/.\-])\s*"
# dd/mm/yyyy with one separator used twice; the look-arounds keep "2.070/2.520" and "1.570" out
_NUMERIC = re.compile(r"(?<![\d.,/\-])(\d{1,2})" + _SEP + r"(\d{1,2})\s*\2\s*((?:19|20)\d\d)(?![\d])")
_ISO = re.compile(r"(?<![\d.,/\-])((?:19|20)\d\d)-(\d{1,2})-(\d{1,2})(?![\d])")
_WORDS = re.compile(r"ngày\s*(\d{1,2})\s*,?\s*tháng\s*(\d{1,2})\s*,?\s*năm\s*((?:19|20)\d\d)(?!\d)", re.I)
# what marks a cited document in the text before its date (within one clause)
_DOC = re.compile(
    r"(?:\bsố\s*:?\s*\d+[\w\-]*\s*/\s*[A-ZĐ]"                     # số 109/KH-UBND, số: 56/QĐ-…
    r"|\b\d+\s*/\s*(?:KH|QĐ|QD|CV|NQ|TB|BC|CT|HD|HĐ|TTr|UBND|VP)\b"   # 1153/QĐ-UBND without "số"
    r"|\b(?:quyết\s+định|kế\s+hoạch|công\s+văn|nghị\s+quyết|thông\s+báo|chỉ\s+thị|hướng\s+dẫn"
    r"|văn\s+bản|tờ\s+trình|quy\s+chế|biên\s+bản)\b)", re.I)
# a period or cut-off ("tính đến ngày 31/12/2023", "từ ngày … đến ngày …") is not a document's date
_PERIOD = re.compile(r"(?:đến|tới|từ|trước|hết|kể\s+từ)\s+(?:hết\s+)?(?:ngày\s*)?$", re.I)
_CLAUSE_BREAK = re.compile(r"[;\n|‖]")


@dataclass(frozen=True)
class Cited:
    """A date in a text, and the document words before it (what a reviewer reads)."""
    date: dt.date
    text: str          # the citation as printed, e.g. "Kế hoạch số 109/KH-UBND ngày 15/09/2025"
    start: int
    end: int


def make_date(day: int | str, month: int | str, year: int | str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except (TypeError, ValueError):
        return None


_ANY_YEAR = re.compile(r"(?:19|20)\d\d")


def find_dates(text: str | None) -> list[tuple[dt.date, int, int]]:
    """Every readable date in ``text`` with its span, in order; impossible ones are left out."""
    if not text or not _ANY_YEAR.search(text):      # most rows cite nothing: one cheap look first
        return []
    t = nfc(text)
    found: list[tuple[dt.date, int, int]] = []
    taken: list[tuple[int, int]] = []
    for rx, order in ((_WORDS, (1, 2, 3)), (_NUMERIC, (1, 3, 4)), (_ISO, (3, 2, 1))):
        for m in rx.finditer(t):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            d = make_date(*(m.group(i) for i in order))
            if d is not None:
                found.append((d, m.start(), m.end()))
    return sorted(found, key=lambda x: x[1])


def parse_date(text: str | None) -> dt.date | None:
    """The first readable date of ``text``, or None."""
    found = find_dates(text)
    return found[0][0] if found else None


def cited_dates(text: str | None, window: int = 90) -> list[Cited]:
    """The dates of documents ``text`` cites: a date counts when the clause before it (up to
    ``window`` characters, not across ``;`` or a cell border) names a document."""
    if not text:
        return []
    t = nfc(text)
    out = []
    for d, a, b in find_dates(t):
        lo = max(0, a - window)
        before = t[lo:a]
        brk = list(_CLAUSE_BREAK.finditer(before))
        if brk:
            before, lo = before[brk[-1].end():], lo + brk[-1].end()
        m = _DOC.search(before)
        if m is None or _PERIOD.search(before):
            continue
        start = lo + m.start()
        out.append(Cited(date=d, text=re.sub(r"\s+", " ", t[start:b]).strip(" ,.;:()"), start=start, end=b))
    return out


_REPORT_DATE = re.compile(r"[^\W\d_][^,]{0,40},\s*(ngày\s*\d{1,2}\s*,?\s*tháng\s*\d{1,2}\s*,?\s*năm\s*(?:19|20)\d\d)",
                          re.I)


def report_date(lines: list[str]) -> dt.date | None:
    """The report's own date from its header: the place-and-date line ``Tân Dân, ngày 12 tháng
    11 năm 2024`` (the first one; a date with its day left blank is not read)."""
    for line in lines:
        m = _REPORT_DATE.search(nfc(line))
        if m:
            d = parse_date(m.group(1))
            if d is not None:
                return d
    return None
