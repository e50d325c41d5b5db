"""Not every readable file is a commune's self-assessment: a note dropped in the inbox, a
letter, a district's ranking of several units.  Such a file is stored as what it is (a ranking
keeps the contract's ``units``) with status ``not-report`` and the reason, and is kept out of
the queue, the submissions and the ranking.
"""
from __future__ import annotations

import dataclasses
import re

from matchers.report import Flag, Report

STATUS = "not-report"
LABEL_VI = "không phải báo cáo tự đánh giá"
REPORT_LAYOUTS = ("score-table", "criteria-table", "narrative")
OCR_FORMATS = ("image", "pdf-scanned")
# a report's own title: "BÁO CÁO … chuyển đổi số / DTI / tự đánh giá", in capitals as printed
# (a note that mentions "báo cáo chuyển đổi số" in a sentence is not titled so)
_TITLE = re.compile(r"^\W*B[ÁA]O\s*C[ÁA]O\b(?P<rest>.{0,160})", re.S)
_TOPIC = re.compile(r"chuy[eểê]n\s*đ[ôổo]i\s*s[ốô]|\bDTI\b|t[ựu]\s*đ[áa]nh\s*gi[áa]|ch[ấâ]m\s*đi[eểê]m", re.I)
# what the partially-read finding of a titled report says, and what keeps it a report below
TITLED = "tiêu đề là báo cáo chuyển đổi số"


def titled_report(lines: list[str]) -> bool:
    """Whether the opening lines title the file a DTI self-assessment report: a line that begins
    ``BÁO CÁO`` in capitals, with the topic on it or on the next two lines."""
    for i, line in enumerate(lines[:40]):
        m = _TITLE.match(line.strip())
        if m and line.strip()[:7].isupper() and _TOPIC.search(" ".join([m.group("rest")] + lines[i + 1:i + 3])):
            return True
    return False


def keep_titled(report: Report, titled: bool, rows_wanted: int) -> Report:
    """A file titled a report whose reading yields too few rows to be called one is a report read
    badly: it goes to review as ``partially-read`` (every row it has checked by hand) and into the
    queue, never out of it as not-a-report."""
    if not titled or not_a_report(report) is None or report.layout == "ranking-table":
        return report
    n = sum(1 for r in report.rows if r.indicator)
    msg = (f"đọc được một phần: {TITLED} nhưng chỉ đọc được {n}/{rows_wanted or '?'} chỉ số. Mọi dòng cần "
           f"người kiểm tra bản gốc; không kết luận thiếu chỉ số khi chưa xem bản gốc.")
    flags = [f for f in report.flags if f.code not in ("partially-read", "missing-indicator")]
    return dataclasses.replace(report, flags=flags + [Flag("partially-read", "warning", msg, None)])


def not_a_report(report: Report) -> tuple[str, str] | None:
    """(reason in Vietnamese, in English) when ``report`` is not a unit's
    self-assessment; None when it is one.  The matcher's layout decides: a self-assessment has an
    indicator table or a narrative against a ruleset; a note it reads as ``unknown`` even when a
    line or two of it resemble indicators (a work list mentioning "phần mềm diệt virus")."""
    units = report.units or []
    if report.layout == "ranking-table":
        return (f"bảng xếp hạng của {len(units)} đơn vị, không phải báo cáo của một đơn vị",
                f"a ranking table of {len(units)} units, not one unit's report")
    matched = sum(1 for r in report.rows if r.indicator)
    if any(f.code == "partially-read" and TITLED in f.message for f in report.flags):
        return None          # titled a report, read badly (``keep_titled``): review, not elsewhere
    # a scan or photo whose rows OCR mostly lost is a report read badly, not another document:
    # with any indicator row it stays a report (and goes to review)
    read_badly = report.format in OCR_FORMATS and matched > 0
    if (report.layout not in REPORT_LAYOUTS and not read_badly) or not matched:
        return (f"không có bảng chỉ số hay bài viết nào theo một bộ chỉ số DTI ({matched} dòng giống chỉ số)",
                f"no indicator table or narrative matching a DTI ruleset ({matched} row(s) resembling indicators)")
    return None


def message(path: str, reason: tuple[str, str]) -> str:
    """The one line `dti extract` and the run summary print."""
    return f"{path}: {LABEL_VI}: {reason[0]} / not a self-assessment report: {reason[1]}"


def as_other(report: Report) -> Report:
    """A non-report as stored and printed: without the ruleset's `missing-indicator` flags, which
    only say that a note is not a report, sixty times over."""
    return dataclasses.replace(report, flags=[f for f in report.flags if f.code != "missing-indicator"])
