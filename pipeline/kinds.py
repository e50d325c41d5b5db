"""Not every readable file is a commune's self-assessment: a note dropped in the inbox, a
letter, a district's ranking of several units.  Such a file is stored as what it is (a ranking
keeps the contract's ``units``) with status ``not-report`` and the reason, and is kept out of
the queue, the submissions and the ranking.
"""
from __future__ import annotations

import dataclasses

from matchers.report import Report

STATUS = "not-report"
LABEL_VI = "không phải báo cáo tự đánh giá"
REPORT_LAYOUTS = ("score-table", "criteria-table", "narrative")
OCR_FORMATS = ("image", "pdf-scanned")


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
