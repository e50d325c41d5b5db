"""Xã Tân Dân (fictional figures), huyện Văn Lâm, Hưng Yên, 2024: a criteria table.

The indicator names and maxima are those of seed 002 (Hưng Yên commune set,
8 pillars, 1000 points).  Figures are plausible and the self-scores follow the
seed's rules, except two planted errors (see PLANTED and samples/README.md).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import docxkit as dk

PILLARS = {
    "1": ("Nhận thức số", 100), "2": ("Thể chế số", 100), "3": ("Hạ tầng số", 100),
    "4": ("Nhân lực số", 100), "5": ("An toàn thông tin mạng", 100),
    "6": ("Hoạt động chính quyền số", 200), "7": ("Hoạt động kinh tế số", 150),
    "8": ("Hoạt động xã hội số", 150),
}


def rate(a, b):                 # Điểm = Tỷ lệ * Điểm tối đa
    return lambda mx: a / b * mx


def thresh(a, b, t):            # Tỷ lệ >= T: max, else Tỷ lệ / T * max
    return lambda mx: mx if a / b >= t else a / b / t * mx


def full(mx):
    return mx


def none(mx):
    return 0


# (code, name, max, figures as printed, rule giving the due points)
INDICATORS = [
    ("1.1", "Người đứng đầu xã/thị trấn (Bí thư/Chủ tịch xã/thị trấn) là Trưởng ban Ban chỉ đạo chuyển đổi số của xã/thị trấn", 20, "Trưởng ban là Chủ tịch UBND xã", full),
    ("1.2", "Bí thư/Chủ tịch xã/thị trấn chủ trì các cuộc họp về CĐS của xã/thị trấn", 20, "a = 10; b = 12", rate(10, 12)),
    ("1.3", "Công/Trang thông tin điện tử của xã/thị trấn có chuyên mục riêng về chuyển đổi số", 20, "Đã có chuyên mục; 14 tin, bài", full),
    ("1.4", "Hệ thống truyền thanh cơ sở có chuyên mục riêng về chuyển đổi số", 20, "Đã có", full),
    ("1.5", "Tần suất hệ thống truyền thanh cơ sở phát sóng chuyên mục riêng về chuyển đổi số", 20, "2 lần/tháng", lambda mx: mx / 2),
    ("2.1", "Nghị quyết hoặc Kế hoạch của cấp ủy về chuyển đổi số của xã/thị trấn", 20, "Đã ban hành", full),
    ("2.2", "Kế hoạch hành động 5 năm của xã/thị trấn về chuyển đổi số", 20, "Chưa ban hành", none),
    ("2.3", "Kế hoạch hành động hằng năm của xã/thị trấn về chuyển đổi số", 20, "Đã ban hành", full),
    ("2.4", "Ban hành văn bản hướng dẫn, triển khai, khuyến khích người dân, doanh nghiệp sử dụng dịch vụ công trực tuyến (DVCTT)", 20, "Đã ban hành", full),
    ("2.5", "Ban hành văn bản hướng dẫn, triển khai, khuyến khích doanh nghiệp nhỏ và vừa chuyển đổi số", 20, "Đã ban hành", full),
    ("3.1", "Tỷ lệ dân số có điện thoại thông minh", 35, "a = 7.845; b = 9.620", rate(7845, 9620)),
    ("3.2", "Tỷ lệ hộ gia đình có kết nối Internet băng rộng cáp quang", 35, "1.570/2.000 hộ (78,5%)", rate(1570, 2000)),
    ("3.3", "UBND xã/thị trấn có kết nối mạng Truyền số liệu chuyên dùng", 30, "Có", full),
    ("4.1", "Xã/thị trấn có tổ công nghệ số cộng đồng (hoặc Tổ triển khai Đề án 06)", 20, "Đã có", full),
    ("4.2", "Tỷ lệ thôn, xóm có tổ công nghệ số cộng đồng (hoặc Tổ triển khai Đề án 06)", 20, "8/9 thôn", rate(8, 9)),
    ("4.3", "Xã/thị trấn có công chức, viên chức chuyên trách, kiêm nhiệm về chuyển đổi số", 20, "Có", full),
    ("4.4", "Tỷ lệ công chức, viên chức được bồi dưỡng, tập huấn về chuyển đổi số", 10, "a = 22; b = 24", rate(22, 24)),
    ("4.5", "Tỷ lệ người lao động được bồi dưỡng, tập huấn kỹ năng số", 10, "2.350/5.900 người", rate(2350, 5900)),
    ("4.6", "Số lượng người dân được phổ cập kỹ năng số cơ bản trên nền tảng OneTouch", 10, "a = 1.240; b = 9.620", None),
    ("4.7", "Tỷ lệ các cơ sở giáo dục từ tiểu học đến trung học cơ sở thực hiện chuyển đổi số (hoàn thiện được mô hình quản trị số, hoạt động số, chuẩn hóa dữ liệu số, kho học liệu số mở).", 10, "3/4 trường (75%)", thresh(3, 4, 0.5)),
    ("5.1", "Ban hành văn bản tuyên truyền, phổ biến về thói quen, trách nhiệm và kỹ năng cơ bản bảo đảm an toàn thông tin.", 50, "Đã ban hành", full),
    ("5.2", "Tỷ lệ máy tính cá nhân của CBCCVC cài đặt phần mềm diệt virus có bản quyền", 50, "a = 30; b = 32", rate(30, 32)),
    ("6.1", "Cổng thông tin điện tử của cơ quan đáp ứng yêu cầu cung cấp thông tin trên môi trường mạng", 30, "Cung cấp đầy đủ", full),
    ("6.2", "Tỷ lệ DVCTT phát sinh hồ sơ trực tuyến", 40, "a = 15; b = 20; c = 12; d = 20", rate(32, 35)),
    ("6.3", "Tỷ lệ hồ sơ xử lý trực tuyến", 40, "a = 1.250; b = 310; c = 650", thresh(960, 1250, 0.8)),
    ("6.4", "Ứng dụng nền tảng họp trực tuyến", 20, "Đã triển khai đến từng thiết bị cá nhân", full),
    ("6.5", "Tỷ lệ xử lý hồ sơ công việc trên phần mềm quản lý văn bản và điều hành công việc qua mạng", 40, "95%", lambda mx: 0.95 * mx),
    ("6.6", "Tỷ lệ ký số cá nhân của cơ quan", 30, "a = 820; b = 900", rate(820, 900)),
    ("7.1", "Tỷ lệ doanh nghiệp nhỏ và vừa tham gia chương trình SMEdx", 30, "a = 2; b = 25", thresh(2, 25, 0.10)),
    ("7.2", "Tỷ lệ doanh nghiệp nhỏ và vừa sử dụng nền tảng số", 20, "a = 14; b = 25", thresh(14, 25, 0.5)),
    ("7.3", "Tỷ lệ doanh nghiệp sử dụng hợp đồng điện tử", 25, "a = 30; b = 38", thresh(30, 38, 0.8)),
    ("7.4", "Tỷ lệ doanh nghiệp nộp thuế điện tử", 15, "a = 36; b = 38", rate(36, 38)),
    ("7.5", "Số điểm phục vụ của mạng bưu chính công cộng có kết nối internet băng rộng cố định", 15, "1/1 điểm", thresh(1, 1, 0.5)),
    ("7.6", "Số lượng giao dịch trên sàn thương mại điện tử Vở sò và Postmart", 25, "a = 96; b = 2.400", thresh(96, 2400, 0.05)),
    ("7.7", "Tổng kinh phí chi thường xuyên từ Ngân sách nhà nước cho kinh tế số", 20, "a = 0,05 tỷ đồng; b = 28,5 tỷ đồng", thresh(0.05, 28.5, 0.0025)),
    ("8.1", "Số lượng người từ 15 tuổi trở lên có tài khoản giao dịch tại ngân hàng hoặc các tổ chức được phép khác", 30, "a = 5.980; b = 7.450 (80,27%)", thresh(5980, 7450, 0.8)),
    ("8.2", "Số lượng dân số ở độ tuổi trưởng thành có chữ ký số hoặc chữ ký điện tử cá nhân", 30, "a = 2.150; b = 7.450", thresh(2150, 7450, 0.5)),
    ("8.3", "Số lượng hộ gia đình có địa chỉ số (trên tổng số hộ gia đình)", 30, "2.310/2.680 hộ", rate(2310, 2680)),
    ("8.4", "Tổng kinh phí đầu tư từ ngân sách nhà nước cho xã hội số", 30, "120 triệu đồng", None),
    ("8.5", "Tổng kinh phí chi thường xuyên từ ngân sách nhà nước cho xã hội số", 30, "45 triệu đồng", None),
]

# Min-Max indicators: the commune cannot know the district's best, so it
# prints a guess; the engine computes nothing for them.
MINMAX_CLAIMS = {"4.6": 10.0, "8.4": 20.0, "8.5": 15.0}
# Planted: 3.2 claims the full 35 for 78,5 % (due 27,48); 6.4 claims 25 of 20.
PLANTED = {"3.2": 35.0, "6.4": 25.0}

HEADER = ("STT", "Chỉ số", "Điểm tối đa", "Số liệu / Kết quả", "Điểm tự chấm")
WIDTHS = [1.2, 7.6, 1.7, 4.6, 1.8]


def vn(x: float) -> str:
    """8.5 -> '8,5', 20.0 -> '20', 16.666 -> '16,67' (as a Vietnamese typist prints it)."""
    s = f"{round(x, 2):.2f}".rstrip("0").rstrip(".")
    return s.replace(".", ",")


def claims() -> dict[str, float]:
    out = {}
    for code, _name, mx, _fig, rule in INDICATORS:
        due = MINMAX_CLAIMS[code] if rule is None else round(rule(mx), 2)
        out[code] = PLANTED.get(code, due)
    return out


def build(out_dir: Path) -> Path:
    doc = dk.new_document(dk.PageSetup(size=13), dk.Meta(
        author="UBND xã Tân Dân", title="Bảng tự đánh giá mức độ chuyển đổi số năm 2024",
        date=dt.datetime(2024, 11, 12, 8, 15)))
    head = dk.grid_table(doc, [6.0, 10.5], style=None)
    dk.no_borders(head)
    r = dk.add_row(head, [6.0, 10.5])
    dk.set_cell(r.cells[0], "UBND HUYỆN VĂN LÂM\n**UBND XÃ TÂN DÂN**\nSố: 118/BC-UBND", align="center", size=12)
    dk.set_cell(r.cells[1], "**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**\n**Độc lập - Tự do - Hạnh phúc**\nTân Dân, ngày 12 tháng 11 năm 2024",
                align="center", size=12)
    dk.para(doc, "")
    dk.para(doc, "BẢNG TỰ ĐÁNH GIÁ", bold=True, align="center", space_after=0)
    dk.para(doc, "Bộ chỉ số đánh giá chuyển đổi số cấp xã năm 2024 của UBND xã Tân Dân",
            bold=True, align="center", space_after=0)
    dk.para(doc, "(Theo Quyết định 3047/QĐ-UBND ngày 29/12/2022 của UBND tỉnh Hưng Yên)",
            italic=True, align="center")

    table = dk.grid_table(doc, WIDTHS)
    hr = dk.add_row(table, WIDTHS)
    for cell, text in zip(hr.cells, HEADER):
        dk.set_cell(cell, text, bold=True, align="center", size=12)
        dk.shade(cell, "D9D9D9")
    dk.repeat_header(hr)
    pts = claims()
    for pcode, (pname, pmax) in PILLARS.items():
        sub = sum(v for k, v in pts.items() if k.split(".")[0] == pcode)
        row = dk.add_row(table, WIDTHS)
        for cell, text, al in zip(row.cells, (pcode, pname.upper(), str(pmax), "", vn(sub)),
                                  ("center", "left", "center", "left", "center")):
            dk.set_cell(cell, text, bold=True, align=al, size=12)
        for code, name, mx, fig, _rule in INDICATORS:
            if code.split(".")[0] != pcode:
                continue
            row = dk.add_row(table, WIDTHS)
            for cell, text, al in zip(row.cells, (code, name, str(mx), fig, vn(pts[code])),
                                      ("center", "left", "center", "left", "center")):
                dk.set_cell(cell, text, align=al, size=12)
    total = dk.add_row(table, WIDTHS)
    merged = total.cells[0].merge(total.cells[1])
    dk.set_cell(merged, "TỔNG ĐIỂM", bold=True, align="center", size=12)
    dk.set_cell(total.cells[2], "1000", bold=True, align="center", size=12)
    dk.set_cell(total.cells[4], vn(sum(pts.values())), bold=True, align="center", size=12)

    dk.para(doc, "")
    sig = dk.grid_table(doc, [6.0, 10.5], style=None)
    dk.no_borders(sig)
    r = dk.add_row(sig, [6.0, 10.5])
    dk.set_cell(r.cells[0], "**Nơi nhận:**\n- Phòng Văn hóa và Thông tin huyện;\n- Lưu: VT.", size=11)
    dk.set_cell(r.cells[1], "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\n\n\nNguyễn Văn Hòa", bold=True, align="center")
    return dk.save(doc, out_dir / "hungyen-2024-criteria.docx")
