"""The explanation request (công văn đề nghị giải trình) as a .docx draft.

Laid out the way district offices write it by hand: the two-column heading
(issuing body | national motto), "V/v" subject line, "Kính gửi", a table of the
confirmed flags with the reported figures and the reason, and the signature block.
"""
from __future__ import annotations

import dataclasses
import io
from dataclasses import dataclass
from datetime import date

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from outputs.docxkit import cell_text, first, para, run, widths
from store.stored import StoredReport
from review.format import figures_text, num

SUBJECT = "V/v đề nghị giải trình số liệu chuyển đổi số"


@dataclass
class LetterInfo:
    district: str = "……"                 # tên huyện, e.g. "Lâm Thao"
    office: str = "Phòng Văn hóa và Thông tin"
    deadline: str = "……/……/……"
    place: str = "……"
    today: date | None = None


# the Word layout helpers are shared with the approval decision (outputs.decision)
_run, _para, _widths, _first, _cell = run, para, widths, first, cell_text


def for_letter(report: StoredReport) -> set[int]:
    """Ids of the flags whose reviewer's reason is meant for the commune (ticked "đưa vào thư"; the
    latest tick in the trail counts).  Every other reason is internal and stays out of the letter."""
    ticked: dict[int, bool] = {}
    for c in report.corrections:        # oldest first
        if c.flag_id is not None and c.field == "for_letter":
            ticked[c.flag_id] = bool(c.new)
    return {fid for fid, on in ticked.items() if on}


def flagged_items(report: StoredReport) -> list[dict]:
    """Confirmed flags, each with the row it is about (the first row of its indicator) and whether
    its reason goes into the letter."""
    rows_by_code: dict[str, dict] = {}
    for row in report.rows:
        if row.get("indicator"):
            rows_by_code.setdefault(row["indicator"], row)
    ticked = for_letter(report)
    return [{"flag": f, "row": rows_by_code.get(f.indicator or ""), "for_letter": f.id in ticked}
            for f in report.flags if f.status == "confirmed"]


def accepted_points(row: dict):
    """The row's points as the district accepts them (``scoring.accepted``), when known."""
    return row.get("accepted_points") if "accepted_points" in row else row.get("computed_points")


def build_letter(report: StoredReport, info: LetterInfo | None = None) -> bytes:
    """The letter for one stored report (``Store.get_report``) as .docx bytes."""
    info = info or LetterInfo()
    today = info.today or date.today()
    unit = report.document.get("unit") or dataclasses.asdict(report.unit)
    unit_name = unit.get("name") or "……"
    year = unit.get("year") or "……"
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin, sec.right_margin, sec.top_margin, sec.bottom_margin = Cm(3), Cm(2), Cm(2), Cm(2)

    head = doc.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = head.rows[0].cells
    _widths(head, (6.2, 9.8))
    C = WD_ALIGN_PARAGRAPH.CENTER
    _first(left, f"UBND HUYỆN {info.district.upper()}", C, size=12)
    _para(left, info.office.upper(), C, bold=True, size=12)
    _para(left, "Số:      /VHTT", C, size=12)
    _para(left, SUBJECT, C, italic=True, size=11)
    _first(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", C, bold=True, size=12)
    _para(right, "Độc lập - Tự do - Hạnh phúc", C, bold=True, underline=True, size=13)
    _para(right, f"{info.place}, ngày {today.day:02d} tháng {today.month:02d} năm {today.year}", C,
          italic=True, size=13)

    _para(doc, "")
    p = _para(doc, "", WD_ALIGN_PARAGRAPH.CENTER)
    _run(p, "Kính gửi: ", size=14)
    _run(p, f"Ủy ban nhân dân {unit_name}", size=14)
    _para(doc, "")
    body = (f"Căn cứ báo cáo tự đánh giá, chấm điểm Bộ chỉ số đánh giá mức độ chuyển đổi số (DTI) năm {year} "
            f"của {unit_name}; qua rà soát, đối chiếu số liệu, {info.office} nhận thấy một số "
            f"chỉ số có số liệu, điểm tự chấm chưa phù hợp với cách tính của Bộ chỉ số, cụ thể như sau:")
    bp = _para(doc, body, WD_ALIGN_PARAGRAPH.JUSTIFY, size=14)
    bp.paragraph_format.first_line_indent = Cm(1)
    accepted = report.document.get("accepted") or {}
    if accepted.get("total") is not None:
        claimed = (report.document.get("totals") or {}).get("claimed_points")
        prov = accepted.get("provisional") or 0
        tp = _para(doc, f"Tổng điểm tự chấm: {num(claimed) or '—'} điểm; tổng điểm được công nhận sau rà soát: "
                        f"{num(accepted['total'])} điểm"
                        + (f" (trong đó {num(prov, fixed=True)} điểm tạm tính, chờ rà soát)" if prov else "") + ".",
                   WD_ALIGN_PARAGRAPH.JUSTIFY, size=14)
        tp.paragraph_format.first_line_indent = Cm(1)

    items = flagged_items(report)
    headers = ["STT", "Chỉ số", "Nội dung", "Số liệu báo cáo", "Điểm tự chấm", "Điểm tối đa",
               "Điểm công nhận", "Nội dung đề nghị giải trình"]
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, h in zip(table.rows[0].cells, headers):
        _cell(cell, h, bold=True, align=C, size=10)
    for i, it in enumerate(items, 1):
        f, row = it["flag"], it["row"] or {}
        reason = f.message or ""
        if f.reason and it["for_letter"]:       # a reviewer's reason is internal unless meant for the letter
            reason += f" Ghi chú: {f.reason}"
        values = [str(i), f.indicator or "—", row.get("label") or "", figures_text(row) or "—",
                  num(row.get("claimed_points")), num(row.get("max_points")), num(accepted_points(row)),
                  reason]
        cells = table.add_row().cells
        for j, (cell, v) in enumerate(zip(cells, values)):
            _cell(cell, v, align=C if j in (0, 1, 4, 5, 6) else WD_ALIGN_PARAGRAPH.LEFT, size=10)
    _widths(table, (1.1, 1.2, 3.6, 1.8, 1.4, 1.4, 1.4, 4.1))

    _para(doc, "")
    ask = (f"Đề nghị Ủy ban nhân dân {unit_name} rà soát, giải trình các nội dung nêu trên, kèm theo tài liệu "
           f"kiểm chứng, gửi về {info.office} trước ngày {info.deadline} để tổng hợp, "
           f"báo cáo Ủy ban nhân dân huyện. Quá thời hạn trên, điểm của các chỉ số này được tính theo số liệu "
           f"đã rà soát.")
    ap = _para(doc, ask, WD_ALIGN_PARAGRAPH.JUSTIFY, size=14)
    ap.paragraph_format.first_line_indent = Cm(1)
    _para(doc, "Trân trọng./.", WD_ALIGN_PARAGRAPH.LEFT, size=14).paragraph_format.first_line_indent = Cm(1)

    sign = doc.add_table(rows=1, cols=2)
    _widths(sign, (8.0, 8.0))
    l2, r2 = sign.rows[0].cells
    _first(l2, "Nơi nhận:", WD_ALIGN_PARAGRAPH.LEFT, bold=True, italic=True, size=12)
    for line in ("- Như trên;", f"- UBND huyện {info.district} (b/c);", "- Lưu: VT, VHTT."):
        _para(l2, line, size=11)
    _first(r2, "TRƯỞNG PHÒNG", C, bold=True, size=13)
    _para(r2, "(Ký, ghi rõ họ tên)", C, italic=True, size=12)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()

