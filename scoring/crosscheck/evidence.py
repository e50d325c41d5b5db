"""Evidence dated after the report: a document a row cites bears a date later than the
report's own date, or, for a report whose date was not read, later than the end of the
assessed year.  Only dates the parser reads as a real calendar day count
(``matchers.dates``); only rows read surely enough (``sure``) are looked at, since an OCR
misreading of a year would be an accusation on a figure nobody printed."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from matchers.dates import Cited, cited_dates


@dataclass
class Late:
    indicator: str | None
    position: int | None
    cited: Cited
    limit: dt.date
    limit_is_report_date: bool


def limit_of(report_date: str | None, year: int | None) -> tuple[dt.date | None, bool]:
    """The last day a cited document may bear: the report's date, else 31/12 of its year."""
    if report_date:
        try:
            return dt.date.fromisoformat(report_date), True
        except ValueError:
            pass
    if year:
        return dt.date(int(year), 12, 31), False
    return None, False


def late_citations(rows: list[dict], report_date: str | None, year: int | None, sure: float = 0.0) -> list[Late]:
    limit, is_date = limit_of(report_date, year)
    if limit is None:
        return []
    out, seen = [], set()
    for r in rows:
        conf = r.get("confidence")
        if conf is not None and conf < sure:
            continue
        for c in cited_dates(r.get("evidence")):
            if c.date > limit and (r.get("indicator"), c.text) not in seen:
                seen.add((r.get("indicator"), c.text))
                out.append(Late(r.get("indicator"), r.get("position"), c, limit, is_date))
    return out


def vn_date(d: dt.date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def message(late: Late) -> str:
    when = (f"ngày của chính báo cáo ({vn_date(late.limit)})" if late.limit_is_report_date
            else f"hết năm đánh giá {late.limit.year} (báo cáo không ghi ngày)")
    return (f"Tài liệu kiểm chứng “{late.cited.text}” có ngày {vn_date(late.cited.date)}, sau {when}; "
            f"đề nghị kiểm tra lại tài liệu này.")
