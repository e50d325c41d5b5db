"""The reporting unit: commune name, level and assessment year, from the header.

Reports name themselves in several places, in this order of trust:
``Tên đơn vị: UBND xã Sơn Vi, huyện …`` (the info block), the administrative
header ``UBND XÃ THƯỢNG BÌ`` (upper case, beside the national motto), and
``… của UBND xã Tống Trân, huyện …`` in an annex caption or the opening prose.
The year is the assessment year of the title (``… CHUYỂN ĐỔI SỐ NĂM 2022``),
else the year of the report's date.  The receiver is the body the report is addressed to
(``Kính gửi: UBND huyện Văn Lâm``, or the first line of a ``Kính gửi:`` list,
``Đơn vị nhận báo cáo: …``), kept as written.

A name that is not in the header stays None: nothing here (nor anywhere after) ever
names a unit after its file.
"""
from __future__ import annotations

import re

from extractors.document import Document, Line, Table
from matchers.normalize import nfc
from matchers.report import Unit

_KINDS = r"(?:xã|phường|thị\s+trấn|huyện|thị\s+xã|thành\s+phố|sở)"
_TEN_DON_VI = re.compile(r"tên\s+đơn\s+vị\s*[:：]\s*(?P<v>.+)", re.I)
_HEADER = re.compile(r"^\s*(?:UBND|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN)\s+(?P<v>(?:XÃ|PHƯỜNG|THỊ TRẤN)\s+.+)$")
_OF_UNIT = re.compile(r"(?:của|tại)\s+(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(?P<v>(?:[xX]ã|[pP]hường|[tT]hị trấn)\s+[A-ZÀ-Ỹ][^,;()]+)")
_UNIT_PROSE = re.compile(r"(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(?P<v>(?:xã|phường|thị trấn)\s+[A-ZÀ-Ỹ][^,;()]*?)\s+(?:báo cáo|xin báo cáo|kính)", re.I)
_YEAR_TITLE = re.compile(r"(?:chuyển\s+đổi\s+số|CĐS|DTI)[^\n]{0,40}?năm\s+(?P<y>20\d\d)", re.I)
_YEAR_ANY = re.compile(r"năm\s+(?P<y>20\d\d)", re.I)
_DATE = re.compile(r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+(?P<y>20\d\d)", re.I)


def header_lines(doc: Document, limit: int = 60) -> list[str]:
    """The document's opening lines, NFC, one per line: its paragraphs and the cells
    of small tables (the administrative header is often a 2-column table), up to
    ``limit`` blocks' worth; indicator tables are long and skipped."""
    out: list[str] = []
    for b in doc.blocks():
        if isinstance(b, Line):
            out.append(b.text)
        elif isinstance(b, Table) and len(b.rows) <= 6:
            out.extend(c.text for r in b.rows for c in r if c.text.strip())
        if len(out) >= limit:
            break
    return [nfc(x) for t in out for x in t.split("\n")]


def tidy_name(v: str) -> str:
    v = re.sub(r"^(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+", "", v.strip(), flags=re.I)
    v = re.split(r"[,;(]|\s+-\s+|\s+huyện\s+|\s+tỉnh\s+", v)[0].strip(" .:")
    if v.isupper():
        v = v.title()
    m = re.match(r"(?i)(thị\s+trấn|thị\s+xã|thành\s+phố|xã|phường|huyện|sở)\s+(.*)", v)
    if m:
        kind = re.sub(r"\s+", " ", m.group(1)).lower()
        v = f"{kind[:1].upper()}{kind[1:]} {m.group(2).strip()}"
    return v


def level_of(name: str | None) -> str | None:
    if not name:
        return None
    n = name.lower()
    if re.match(r"(xã|phường|thị trấn)\b", n):
        return "xa"
    if re.match(r"(huyện|thị xã|thành phố)\b", n):
        return "huyen"
    if n.startswith("sở"):
        return "so"
    return None


_DISTRICT = re.compile(r"(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân|địa bàn)\s+(?P<v>(?:huyện|thị xã|thành phố)\s+[A-ZÀ-Ỹ][^,;()\n]*)", re.I)


def read_district(doc: Document) -> Unit:
    """The district that publishes a ranking table (``… UBND huyện Tủa Chùa``)."""
    head = header_lines(doc)
    name = None
    for t in head:
        m = _DISTRICT.search(t)
        if m:
            name = tidy_name(m.group("v"))
            break
    m = _YEAR_TITLE.search("\n".join(head))
    return Unit(name=name, level=level_of(name), year=int(m.group("y")) if m else None)


_RECEIVER = re.compile(r"^\s*(?:kính\s+gửi|đơn\s+vị\s+nhận(?:\s+báo\s+cáo)?|nơi\s+nhận\s+báo\s+cáo)\s*[:：]\s*(?P<v>.*)$",
                       re.I)


def _tidy_receiver(v: str) -> str:
    v = re.sub(r"^[\s\-–•+*]+", "", v)
    return re.sub(r"\s+", " ", v).strip(" ;,.")


def read_receiver(head: list[str]) -> str | None:
    """The body a report is addressed to: the text after ``Kính gửi:`` on its line, else the
    first line after it (a list ``- UBND huyện Nam Đông;``)."""
    for i, t in enumerate(head):
        m = _RECEIVER.match(t)
        if not m:
            continue
        v = _tidy_receiver(m.group("v"))
        if not v:
            v = next((_tidy_receiver(x) for x in head[i + 1:i + 3] if _tidy_receiver(x)), "")
        if v and len(v) <= 160:
            return v
    return None


_SUPERIOR = re.compile(r"^\s*(?:UBND|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN)\s+(?P<v>(?:HUYỆN|THỊ XÃ|THÀNH PHỐ)\s+[^,;()]+?)\s*$")


def read_superior(head: list[str]) -> str | None:
    """The district over the commune in the administrative header: an upper-case
    ``UBND HUYỆN …`` line just before the commune's own ``UBND XÃ …`` line (within 3 lines: the
    motto often sits between them in a 2-column header)."""
    for i, t in enumerate(head[:20]):
        m = _SUPERIOR.match(t)
        if m and any(_HEADER.match(x.strip()) for x in head[i + 1:i + 4]):
            return tidy_name(m.group("v"))
    return None


def read_unit(doc: Document) -> Unit:
    head = header_lines(doc)
    name = None
    for t in head:
        m = _TEN_DON_VI.search(t)
        if m and m.group("v").strip():
            name = tidy_name(m.group("v"))
            break
    if name is None:
        for t in head:
            m = _HEADER.match(t.strip())
            if m:
                name = tidy_name(m.group("v"))
                break
    if name is None:
        for rx in (_OF_UNIT, _UNIT_PROSE):
            for t in head:
                m = rx.search(t)
                if m:
                    name = tidy_name(m.group("v"))
                    break
            if name:
                break
    year = None
    joined = "\n".join(head)
    for rx in (_YEAR_TITLE,):
        m = rx.search(joined)
        if m:
            year = int(m.group("y"))
    if year is None:
        for t in head:
            if _DATE.search(t):
                continue
            m = _YEAR_ANY.search(t)
            if m and re.search(r"báo cáo|đánh giá|chấm điểm|kết quả", t, re.I):
                year = int(m.group("y"))
                break
    if year is None:
        m = _DATE.search(joined)
        if m:
            year = int(m.group("y"))
    return Unit(name=name, level=level_of(name), year=year, receiver=read_receiver(head),
                district=read_superior(head))
