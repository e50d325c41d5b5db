"""Xã Tiên Kiên (fictional figures), huyện Lâm Thao, Phú Thọ, 2023: a Phú Thọ-style
score table long enough to run over two pages, its header row repeated on page 2.

The indicator list is Hùng Sơn's (seed 000, the Phú Thọ 2022 set) written cleanly:
codes without stray spaces, no wrapped rows, no option rows.  One planted error:
6.1 claims 20 for ``70% x 20`` (due 14).
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from . import docxkit as dk
from .hungson import ROWS

RATES = {  # printed rate (%) per rate indicator
    "2.1": 100, "2.5": 82, "2.6": 78, "2.7": 64, "3.3": 90, "3.4": 100, "4.1": 100,
    "5.1": 100, "5.2": 95, "5.4": 100, "5.6": 60, "5.7": 55, "5.8": 100, "5.9": 30,
    "5.12": 100, "5.13": 85, "5.14": 70, "5.15": 100, "5.21": 100, "5.22": 95,
    "6.1": 70, "6.2": 100, "7.1": 75, "7.3": 55, "7.4": 90, "7.5": 50,
}
ANSWERS = {  # answer, points, printed max ("" where the Phú Thọ set leaves it blank)
    "1.1": ("Có", 30, "30"), "1.2": ("Có", 30, "30"), "1.3": ("Có", 30, "30"),
    "2.2": ("Hoàn chỉnh", 20, "20"), "2.3": ("Có", 10, "10"), "2.4": ("Không", 0, "10"),
    "3.1": ("Có", 30, "30"), "3.2": ("Có", 20, "20"),
    "4.2": ("Không", 0, ""), "4.3": ("Có", 30, "30"),
    "5.3": ("Đầy đủ, kịp thời", 10, "10"),
    "5.10": ("≥ 5%", 5, "5"), "5.11": ("< 20%", 0, "5"),
    "5.16.1": ("Có", 10, "10"), "5.16.2": ("Có", 10, "10"), "5.16.4": ("Có", 10, "10"),
    "5.16.5": ("Có", 10, "10"), "5.16.7": ("Không", 0, "10"), "5.16.8": ("Không", 0, ""),
    "5.17": ("Có chuyên mục", 0, ""), "5.18": ("Không", 0, ""), "5.19": ("Hàng tuần", 10, "10"),
    "5.20": ("Đúng hạn", 30, "30"), "5.23": ("Cập nhật đầy đủ thông tin", 20, "20"),
    "5.24": ("Có", 30, "30"), "5.25": ("Có", 20, "20"), "5.26": ("Có", 20, "20"),
    "5.27": ("Hàng tuần", 5, "5"), "5.28": ("≥ 30 triệu", 40, "40"), "6.3": ("Có", 20, "20"),
}
FULL_NAMES = {  # Hùng Sơn's own labels name its documents or wrap over two rows
    "1.1": "Thành lập Ban chỉ đạo Chuyển đổi số cấp xã (Quyết định số 56/QĐ-UBND ngày 10/3/2023)",
    "1.2": "Ban hành Kế hoạch chuyển đổi số hàng năm (Kế hoạch số 09/KH-UBND ngày 02/3/2023)",
    "1.3": "Ban hành các văn bản chỉ đạo, điều hành triển khai chuyển đổi số, chính quyền số",
    "5.28": "Tổng chi ngân sách nhà nước cho chuyển đổi số trong năm tại cơ quan, đơn vị",
    "5.3": "Công khai TTHC trên Hệ thống thông tin giải quyết TTHC của tỉnh và Cổng/trang thông tin điện tử cơ quan, đơn vị; Bộ phận tiếp nhận trả kết quả cấp xã",
    "5.27": "Tần suất hệ thống truyền thanh phát sóng chuyên mục riêng về chuyển đổi số",
}
PLANTED = {"6.1": 20.0}
HEADER = ("STT", "TIÊU CHÍ", "Các xác định", "Điểm", "Điểm tối đa")
WIDTHS = [1.4, 9.7, 2.7, 2.1, 1.6]
RATE_SHORT = "Theo tỷ lệ"   # this typist shortened the rule text of rate rows


def _fmt(x: float) -> str:
    return f"{x:g}".replace(".", ",")


def rows() -> list[tuple[str, str, str, str, str, str]]:
    """(kind, STT, TIÊU CHÍ, Các xác định, Điểm, Điểm tối đa) in table order."""
    out = []
    for kind, stt, name, how, pts, mx in ROWS:
        code = stt.replace(" ", "")
        if kind in ("P", "G"):
            out.append((kind, stt, name, "", "", mx))
        elif kind == "T" or not code:
            continue
        elif code in RATES:
            factor = int(re.search(r"x\s*(\d+)", pts).group(1))
            due = RATES[code] / 100 * factor
            claimed = PLANTED.get(code, due)
            out.append(("R", code, FULL_NAMES.get(code, name), RATE_SHORT, f"{RATES[code]}% x {factor}", _fmt(claimed)))
        elif code in ANSWERS:
            ans, p, m = ANSWERS[code]
            out.append(("R", code, FULL_NAMES.get(code, name), ans, str(p), m))
        else:  # 5.16: a heading without points
            out.append(("R", code, name, "", "", ""))
    return out


def total(table_rows) -> float:
    tot = 0.0
    for kind, _code, _name, how, pts, mx in table_rows:
        if kind != "R" or not pts:
            continue
        tot += float(mx.replace(",", ".")) if how == RATE_SHORT else float(pts)
    return tot


def build(out_dir: Path) -> Path:
    doc = dk.new_document(dk.PageSetup(size=12, left_cm=2.0, top_cm=1.5, bottom_cm=1.5), dk.Meta(
        author="UBND xã Tiên Kiên", title="Báo cáo đánh giá mức độ chuyển đổi số năm 2023",
        date=dt.datetime(2023, 11, 14, 16, 20)))
    widths = [6.5, 11.0]
    head = dk.grid_table(doc, widths, style=None)
    dk.no_borders(head)
    r = dk.add_row(head, widths)
    dk.set_cell(r.cells[0], "UBND HUYỆN LÂM THAO\n**UBND XÃ TIÊN KIÊN**\nSố: 142/BC-UBND", align="center", size=12)
    dk.set_cell(r.cells[1], "**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**\n**Độc lập - Tự do - Hạnh phúc**\nTiên Kiên, ngày 14 tháng 11 năm 2023",
                align="center", size=12)
    dk.para(doc, "BÁO CÁO", bold=True, align="center", space_after=0)
    dk.para(doc, "ĐÁNH GIÁ MỨC ĐỘ CHUYỂN ĐỔI SỐ NĂM 2023", bold=True, align="center")
    dk.para(doc, "CÁC TIÊU CHÍ ĐÁNH GIÁ VÀ THANG ĐIỂM", bold=True)
    table = dk.grid_table(doc, WIDTHS)
    hr = dk.add_row(table, WIDTHS)
    for cell, text in zip(hr.cells, HEADER):
        dk.set_cell(cell, text, bold=True, align="center", size=10)
        dk.shade(cell, "E7E6E6")
    dk.repeat_header(hr)
    body = rows()
    for kind, code, name, how, pts, mx in body:
        row = dk.add_row(table, WIDTHS)
        c = row.cells
        strong = kind in ("P", "G")
        dk.set_cell(c[0], code, bold=strong, align="center", size=10)
        dk.set_cell(c[1], name, bold=strong, italic=kind == "G", size=10)
        dk.set_cell(c[2], how, size=10)
        dk.set_cell(c[3], pts, align="center", size=10)
        dk.set_cell(c[4], mx, bold=strong, align="center", size=10)
    last = dk.add_row(table, WIDTHS)
    merged = last.cells[0].merge(last.cells[3])
    dk.set_cell(merged, "Tổng cộng", bold=True, align="center", size=10)
    dk.set_cell(last.cells[4], _fmt(total(body)), bold=True, align="center", size=10)
    dk.para(doc, "")
    sig = dk.grid_table(doc, widths, style=None)
    dk.no_borders(sig)
    r = dk.add_row(sig, widths)
    dk.set_cell(r.cells[0], "**Nơi nhận:**\n- Phòng VH&TT huyện;\n- Lưu: VT.", size=10)
    dk.set_cell(r.cells[1], "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nĐỗ Minh Tuấn", bold=True, align="center", size=12)
    return dk.save(doc, out_dir / "two-page-table.docx")
