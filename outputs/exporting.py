"""``dti export``: the stored contract documents (corrections applied) as JSON, CSV or Excel.

JSON is the contract itself (a list of documents).  CSV and Excel flatten it
for people: one line per indicator row with its report's unit and file, and,
in Excel, a sheet of reports and a sheet of flags too.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

ROW_COLUMNS = ("indicator", "label", "claimed_points", "max_points", "computed_points", "accepted_points",
               "accepted_status", "ratio", "numerator", "denominator", "answer", "confidence", "match_score")
REPORT_COLUMNS = ("sha256", "file", "format", "layout", "ruleset", "unit_name", "unit_level", "unit_year",
                  "claimed_points", "computed_points", "accepted_points", "provisional_points", "counted", "stated_total", "flags",
                  "reviewed", "corrections", "status")
# people read the Excel file: codes in Vietnamese there (the CSV and JSON keep the contract's codes)
SEVERITY_VI = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Lưu ý"}
STATUS_VI = {"open": "Chưa xử lý", "confirmed": "Đã xác nhận", "dismissed": "Đã bỏ qua"}
REPORT_STATUS_VI = {"clean": "Không có cảnh báo", "flagged": "Có cảnh báo",
                    "not-report": "Không phải báo cáo tự đánh giá"}
LAYOUT_VI = {"score-table": "Bảng điểm", "criteria-table": "Bảng tiêu chí", "narrative": "Báo cáo lời",
             "ranking-table": "Bảng xếp hạng", "unknown": "Không rõ"}
YES_NO_VI = {True: "Có", False: "Không"}
# a flag's code as a reviewer reads it (badges, the CLI); the contract keeps the English codes
FLAG_VI = {
    "claimed-exceeds-max": "Tự chấm vượt điểm tối đa", "claimed-formula-mismatch": "Tự chấm khác cách tính",
    "subtotal-mismatch": "Cộng nhóm sai", "total-mismatch": "Tổng điểm sai",
    "numerator-exceeds-denominator": "Tử số lớn hơn mẫu số", "max-differs-from-ruleset": "Điểm tối đa khác bộ chỉ số",
    "missing-figures": "Thiếu số liệu", "missing-indicator": "Thiếu chỉ số", "duplicate-indicator": "Chỉ số lặp",
    "unmatched-row": "Dòng không khớp chỉ số", "low-confidence": "Đọc chưa chắc chắn",
    "partially-read": "Chỉ đọc được một phần", "copied-between-units": "Trùng số liệu với đơn vị khác",
    "evidence-after-report": "Minh chứng sau ngày báo cáo", "implausible-change": "Thay đổi bất thường so với năm trước",
}
FLAG_COLUMNS = ("indicator", "code", "severity", "message", "status", "reason")
# Vietnamese headers for the Excel sheets; the CSV keeps the contract's names for machines
HEADERS_VI = {
    "sha256": "SHA-256", "file": "Tệp", "format": "Định dạng", "layout": "Bố cục", "ruleset": "Bộ chỉ số",
    "unit_name": "Đơn vị", "unit_level": "Cấp", "unit_year": "Năm", "claimed_points": "Điểm tự chấm",
    "computed_points": "Điểm tính lại", "stated_total": "Tổng ghi trong báo cáo", "flags": "Số cảnh báo",
    "reviewed": "Đã rà soát", "corrections": "Số lần sửa", "indicator": "Mã chỉ số", "label": "Nội dung",
    "max_points": "Điểm tối đa", "ratio": "Tỷ lệ", "numerator": "Tử số", "denominator": "Mẫu số",
    "answer": "Trả lời", "confidence": "Độ tin cậy", "match_score": "Độ khớp", "code": "Mã cảnh báo",
    "severity": "Mức độ", "message": "Nội dung cảnh báo", "status": "Trạng thái", "reason": "Lý do",
    "accepted_points": "Điểm công nhận", "counted": "Bản được tính",
    "provisional_points": "Trong đó tạm tính", "accepted_status": "Trạng thái điểm",
}
# the accepted points' status (scoring.accepted.STATUS_VI, worded here so the export needs no scoring)
POINTS_STATUS_VI = {"verified": "Đã xác minh", "provisional": "Tạm tính", "zero-by-rule": "0 điểm theo quy tắc"}
VI_VALUES = {"severity": SEVERITY_VI, "status": STATUS_VI | REPORT_STATUS_VI, "layout": LAYOUT_VI,
             "reviewed": YES_NO_VI, "counted": YES_NO_VI, "accepted_status": POINTS_STATUS_VI}


def report_record(doc: dict) -> dict:
    unit, totals, review = doc.get("unit") or {}, doc.get("totals") or {}, doc.get("review") or {}
    return {"sha256": doc.get("sha256"), "file": doc.get("file"), "format": doc.get("format"),
            "layout": doc.get("layout"), "ruleset": doc.get("ruleset"), "unit_name": unit.get("name"),
            "unit_level": unit.get("level"), "unit_year": unit.get("year"),
            "claimed_points": totals.get("claimed_points"), "computed_points": totals.get("computed_points"),
            "accepted_points": (doc.get("accepted") or {}).get("total"),
            "provisional_points": (doc.get("accepted") or {}).get("provisional"),
            "counted": (doc.get("submission") or {}).get("counted"),
            "stated_total": totals.get("stated_total"), "flags": len(doc.get("flags") or []),
            "reviewed": review.get("reviewed"), "corrections": review.get("corrections"),
            "status": review.get("status")}


def row_records(docs: list[dict]) -> list[dict]:
    out = []
    for doc in docs:
        base = report_record(doc)
        head = {k: base[k] for k in ("sha256", "file", "ruleset", "unit_name", "unit_year")}
        for row in doc.get("rows") or []:
            out.append({**head, **{k: row.get(k) for k in ROW_COLUMNS}})
    return out


def flag_records(docs: list[dict]) -> list[dict]:
    out = []
    for doc in docs:
        head = {"file": doc.get("file"), "unit_name": (doc.get("unit") or {}).get("name")}
        for f in doc.get("flags") or []:
            out.append({**head, **{k: f.get(k, "open" if k == "status" else None) for k in FLAG_COLUMNS}})
    return out


def to_json(docs: list[dict]) -> str:
    return json.dumps(docs, ensure_ascii=False, indent=1)


def to_csv(docs: list[dict]) -> str:
    rows = row_records(docs)
    buf = io.StringIO()
    fields = ["sha256", "file", "ruleset", "unit_name", "unit_year", *ROW_COLUMNS]
    w = csv.DictWriter(buf, fieldnames=fields)
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def write_xlsx(docs: list[dict], path: str | Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    path = Path(path)
    wb = Workbook()
    sheets = (("Báo cáo", [report_record(d) for d in docs], REPORT_COLUMNS),
              ("Chỉ tiêu", row_records(docs), ("file", "unit_name", "unit_year", "ruleset", *ROW_COLUMNS)),
              ("Cảnh báo", flag_records(docs), ("file", "unit_name", *FLAG_COLUMNS)))
    for n, (title, records, cols) in enumerate(sheets):
        ws = wb.active if n == 0 else wb.create_sheet()
        ws.title = title
        ws.append([HEADERS_VI.get(c, c) for c in cols])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for rec in records:
            ws.append([VI_VALUES.get(c, {}).get(rec.get(c), rec.get(c)) for c in cols])
        for col in ws.columns:
            width = max((len(str(c.value)) for c in col if c.value is not None), default=8)
            ws.column_dimensions[col[0].column_letter].width = min(60, max(8, width + 2))
        ws.freeze_panes = "A2"
        _print_setup(ws)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _print_setup(ws) -> None:
    """A4 landscape, one page wide (the height runs on), the header row on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = "1:1"
