"""Thị trấn Hùng Sơn (Phú Thọ), 2022: seed 000 rebuilt as the Word file it came from.

Every row, figure and inconsistency of the seed is kept (4.1, 5.2, 6.1, 6.2 claim
points their own rate does not give; 7.1 claims 20 with no rate), and so are its
layout quirks: option rows with an empty STT, sub-group rows without a code,
``5.16. 5`` codes with a space, italic 5.16.x names, the row of 5.3 and 5.27 that
wraps into the next table row, the typo ``Tỷ 50% x 20``.  The OCR's LaTeX is
written the way a Word user types it (``≥ 5%``, ``100% x 10``).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import docxkit as dk

RATE = "Điểm = Tỷ lệ% x Điểm tối đa"
MAIL_RULE = "Điểm = Tỷ lệ% / Tỷ lệ tối đa x 100"

# kind: P pillar (merged over TIÊU CHÍ..Điểm), G sub-group, R row, I row in italics, T total
ROWS: list[tuple[str, str, str, str, str, str]] = [
    ("P", "1", "Thể chế số", "", "", "90"),
    ("R", "1.1", "Thành lập Ban chỉ đạo Chuyển đổi số cấp xã (Số văn bản: 110 Ngày ban hành: 16/7/2022)", "Có", "30", "30"),
    ("R", "", "", "", "0", ""),
    ("R", "1.2", "Ban hành Kế hoạch chuyển đổi số hàng năm (Số văn bản: 27 ngày ban hành: 16/7/2022)", "Có", "30", "30"),
    ("R", "", "", "", "0", ""),
    ("R", "1.3", "Kế hoạch số 11/KH-UBND, ngày 11/3/2022 về xây dựng chính quyền điện tử năm 2022; Quyết định số 181/QĐ-UBND, ngày 07/9/2022 về việc thành lập Trang thông tin điện tử thị trấn Hùng Sơn; Quyết định số 182/QĐ-UBND ngày 07/9/2022 về việc thành lập Ban biên tập nội dung Trang thông tin điện tử thị trấn Hùng Sơn; Quyết định số 237/QĐ-UBND ngày 16/11/2022 về việc kiện toàn bộ phận tiếp nhận và trả kết quả một cửa, một cửa liên thông thị trấn Hùng Sơn.", "Có", "30", "30"),
    ("R", "", "", "Không", "0", ""),
    ("P", "2", "Hạ tầng số", "", "", "90"),
    ("R", "2.1", "Tỷ lệ cán bộ công chức được trang bị máy tính", RATE, "100% x 20", "20"),
    ("R", "2.2", "Hệ thống mạng nội bộ", "Hoàn chỉnh", "20", "20"),
    ("R", "2.3", "Hệ thống phòng chống cháy nổ mạng nội bộ", "Không", "0", "10"),
    ("R", "2.4", "Thiết bị sao lưu, dự phòng mạng nội bộ", "Không", "0", "10"),
    ("R", "2.5", "Tỷ lệ dân số trưởng thành có điện thoại thông minh", RATE, "85% x 10", "8,5"),
    ("R", "2.6", "Tỷ lệ hộ gia đình có người có điện thoại thông minh", RATE, "85% x 10", "8,5"),
    ("R", "2.7", "Tỷ lệ hộ gia đình có kết nối Internet băng rộng cáp quang", RATE, "80% x 10", "8.0"),
    ("P", "3", "Nhân lực số", "", "", "90"),
    ("R", "3.1", "Cán bộ chuyên trách, kiêm nhiệm về chuyển đổi số", "Có", "30", "30"),
    ("R", "", "", "", "0", ""),
    ("R", "3.2", "Cán bộ lãnh đạo cấp xã tham gia các lớp được đào tạo, tập huấn kiến thức, kỹ năng về chuyển đổi số do tỉnh, trung ương tổ chức", "Có", "20", "20"),
    ("R", "", "", "", "0", ""),
    ("R", "3.3", "Tỷ lệ cán bộ công chức, viên chức được bồi dưỡng, tập huấn về chuyển đổi số do Trung ương, tỉnh, huyện tổ chức", RATE, "100% x 20", "20"),
    ("R", "3.4", "Tỷ lệ thôn xóm Thành lập tổ công nghệ số cộng đồng", RATE, "100% x 20", "20"),
    ("P", "4", "An toàn thông tin", "", "", "50"),
    ("R", "4.1", "Tỷ lệ máy tính cơ quan nhà nước cấp xã được cài đặt phần mềm diệt Virus có bản quyền", RATE, "100% x 30", "20"),
    ("R", "4.2", "Cán bộ chuyên trách, kiêm nhiệm được tham dự diễn tập ứng cứu sự cố an toàn thông tin", "Không", "0", "0"),
    ("R", "4.3", "Cơ quan bố trí máy tính riêng soạn thảo văn bản mật", "Có", "30", "30"),
    ("P", "5", "Hoạt động chính quyền số", "", "", ""),
    ("G", "", "Gửi nhận văn bản điện tử", "", "", "50"),
    ("R", "5.1", "Tỷ lệ văn bản đi, đến được gửi nhận điện tử tích hợp ký số thay thế hoàn toàn văn bản giấy (trừ văn bản mật theo quy định)", RATE, "100% x 20", "20"),
    ("R", "5.2", "Tỷ lệ hồ sơ công việc được xử lý trên môi trường mạng", RATE, "80% x 30", "30"),
    ("G", "", "Dịch vụ công trực tuyến", "", "", "132"),
    ("R", "5.3", "Công khai TTHC trên Hệ thống thông tin giải quyết TTHC của tỉnh và Cổng/trang thông tin", "Đầy đủ, kịp thời", "10", "10"),
    ("R", "", "điện tử cơ quan, đơn vị; Bộ phận tiếp nhận trả kết quả cấp xã", "", "0", ""),
    ("R", "5.4", "Tỷ lệ dịch vụ công trực tuyến toàn trình", RATE, "100% x 30", "30"),
    ("R", "5.6", "Tỷ lệ dịch vụ công trực tuyến toàn trình phát sinh hồ sơ", RATE, "50% x 20", "10"),
    ("R", "5.7", "Tỷ lệ hồ sơ trực tuyến toàn trình", RATE, "50% x 30", "15"),
    ("R", "5.9", "Tỷ lệ hồ sơ trực tuyến liên thông xã, huyện", RATE, "20% x 10", "2"),
    ("R", "5.8", "Tỷ lệ hồ sơ được cập nhật đầy đủ thông tin, quy trình giải quyết trên hệ thống một cửa điện tử", RATE, "100% x 10", "10"),
    ("R", "5.10", "Tỷ lệ hồ sơ được tiếp nhận qua dịch vụ bưu chính công ích trên tổng số hồ sơ tiếp nhận trong năm", "≥ 5% hoặc tiếp nhận 100% qua DVC trực tuyến", "5", "5"),
    ("R", "", "", "< 5%", "0", ""),
    ("R", "5.11", "Tỷ lệ hồ sơ được trả kết quả qua dịch vụ bưu chính công ích trên tổng số hồ sơ tiếp nhận trong năm", "≥ 20% hoặc trả kết quả hồ sơ 100% qua DVC trực tuyến", "5", "5"),
    ("R", "", "", "< 20%", "0", ""),
    ("R", "5.12", "Tỷ lệ dịch vụ công triển khai thanh toán trực tuyến phí lệ phí", RATE, "100% x 10", "10"),
    ("R", "5.13", "Tỷ lệ hồ sơ thanh toán trực tuyến phí lệ phí", RATE, "100% x 10", "10"),
    ("R", "5.14", "Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC", RATE, "100% x 20", "20"),
    ("R", "5.15", "Tỷ lệ người dân và doanh nghiệp hài lòng về kết quả giải quyết TTHC", RATE, "100% x 10", "10"),
    ("G", "", "Trang thông tin điện tử", "", "", "60"),
    ("R", "5.16", "Trang thông tin điện tử cung cấp các thông tin cơ bản theo quy định Nghị định 42/2022/NĐ-CP, bao gồm", "", "", ""),
    ("R", "5.16.1", "Văn bản quy phạm pháp luật và văn bản quản lý hành chính", "Có", "10", "10"),
    ("R", "5.16.2", "TTHC, dịch vụ công trực tuyến, quy trình giải quyết hoặc tích hợp từ Cổng Dịch vụ công của tỉnh.", "Có", "10", "10"),
    ("R", "5.16.4", "Chiến lược, chương trình, dự án, đề án, kế hoạch, quy hoạch phát triển địa phương; Kết quả triển khai", "Có", "10", "10"),
    ("I", "5.16. 5", "Thông tin về tổ chức bộ máy hành chính, bản đồ địa giới hành chính cấp xã, điều kiện tự nhiên, lịch sử, truyền thống văn hóa, di tích, danh thắng; tiêu sử tóm tắt và nhiệm vụ đảm nhiệm của lãnh đạo cơ quan.", "Có", "10", "10"),
    ("I", "5.16. 7", "Hỗ trợ tìm kiếm, liên kết và lưu trữ thông tin", "Có", "10", "10"),
    ("I", "5.16. 8", "Cung cấp thông tin bằng tiếng nước ngoài", "Không", "0", ""),
    ("R", "5.17", "Trang thông tin điện tử có chuyên mục chuyển đổi số", "Chưa có chuyên mục", "0", ""),
    ("R", "5.18", "Trang thông tin điện tử chuyển đổi sang công nghệ IPv6", "Không", "0", "0"),
    ("R", "5.19", "Thời gian cập nhật, đăng tải tin bài", "Hàng ngày", "10", "10"),
    ("G", "", "Hệ thống thông tin báo cáo của tỉnh", "", "", "30"),
    ("R", "5.20", "Thực hiện báo cáo trực tuyến thông qua hệ thống của tỉnh", "Đúng hạn", "30", "30"),
    ("G", "", "Thư điện tử", "", "", "30"),
    ("R", "5.21", "Tỷ lệ cán bộ công chức được cấp hộp thư điện tử công vụ", MAIL_RULE, "100% x 10", "10"),
    ("R", "5.22", "Tỷ lệ cán bộ công chức sử dụng thư điện tử công vụ", MAIL_RULE, "100% x 20", "20"),
    ("G", "", "Ứng dụng các phần mềm nội bộ khác", "", "", "50"),
    ("R", "5.23", "Phần mềm quản lý hồ sơ cán bộ công chức", "Cập nhật đầy đủ thông tin", "20", "20"),
    ("R", "", "", "Cập nhật chưa đầy đủ thông tin", "", ""),
    ("R", "", "", "Chưa cập nhật", "", ""),
    ("R", "5.24", "Ứng dụng các phần mềm chuyên ngành khác (Liệt kê ứng dụng): Ứng dụng lĩnh vực hộ tịch, Bảo hiểm xã hội...", "Có:", "30", "30"),
    ("G", "", "Hệ thống truyền thanh", "", "", "45"),
    ("R", "5.25", "Triển khai hệ thống đài truyền thanh thông minh", "Có", "20", "20"),
    ("R", "5.26", "Hệ thống truyền thanh có chuyên mục riêng về chuyển đổi số", "Không", "0", "20"),
    ("R", "5.27", "Tần suất hệ thống truyền thanh phát sóng chuyên", "", "", "5"),
    ("R", "", "mục riêng về chuyên đổi số", "", "", ""),
    ("R", "", "", "Hàng tháng", "0", ""),
    ("G", "", "Chi ngân sách nhà nước cho chuyên đổi số", "", "", "40"),
    ("R", "5.28", "Tổng chi ngân sách nhà nước cho chuyên đổi số trong năm tại cơ quan, đơn vị: - Đầu tư hạ tầng CNTT: - Đầu tư ứng dụng CNTT: - Đảm bảo an toàn thông tin - Đào tạo nguồn nhân lực: - Chi thường xuyên cho CNTT:", "≥ 30 triệu", "40", "40"),
    ("P", "6", "Hoạt động kinh tế số", "", "", "50"),
    ("R", "6.1", "Tỷ lệ doanh nghiệp sử dụng hợp đồng điện tử", RATE, "100% x 20", "15"),
    ("R", "6.2", "Tỷ lệ doanh nghiệp nộp thuế điện tử", RATE, "100% x 20", "15"),
    ("R", "6.3", "Điểm bưu điện văn hóa xã có kết nối internet băng rộng cố định (không có điểm bưu điện văn hóa xã)", "Có", "20", "20"),
    ("P", "7", "Hoạt động xã hội số", "", "", "62"),
    ("R", "7.1", "Tỷ lệ người dân có danh tính số/tài khoản định danh điện tử", RATE, "Tỷ lệ% x 20", "20"),
    ("R", "7.3", "Tỷ lệ người dân từ 15 tuổi trở lên có tài khoản giao dịch tại ngân hàng hoặc các tổ chức được phép khác", RATE, "Tỷ 50% x 20", "10"),
    ("R", "7.4", "Tỷ lệ hộ gia đình có địa chỉ số", RATE, "100% x 20", "20"),
    ("R", "7.5", "Tỷ lệ người dân biết kỹ năng về công nghệ thông tin và truyền thông", RATE, "60% x 20", "12"),
    ("T", "Tổng cộng", "", "", "", "904"),
]

HEADER = ("STT", "TIÊU CHÍ", "Các xác định", "Điểm", "Điểm tối đa")
WIDTHS = [1.4, 7.2, 4.2, 2.3, 1.6]

INFO = [
    "Tên đơn vị: Thị trấn Hùng Sơn",
    "Số điện thoại: 0210 3787 674 Thư điện tử: ubndhungson@gmail.com",
    "Địa chỉ: Thị trấn Hùng Sơn, Lâm Thao, Phú Thọ",
    "Địa chỉ Công/Trang thông tin điện tử:",
    "Tổng số cán bộ công chức: 20",
    "Số lượng máy chủ vật lý: 01",
    "Số lượng máy trạm: 16",
    "Số lượng hệ thống thông tin:",
    "Số lượng thủ tục hành chính:",
    "Số lượng dân số: Trên 10.000 nhân khẩu",
    "Số lượng dân số trong độ tuổi lao động:",
    "Tổng chi Ngân sách nhà nước cho chuyển đổi số: Không",
    "Người thực hiện báo cáo: Lê Hữu Toàn",
    "Đơn vị công tác: UBND thị trấn Hùng Sơn",
    "Chức danh: Công chức Văn hóa xã hội.",
    "Điện thoại di động: 0977 051 199 Thư điện tử: letoanhungson@gmail.com",
]


def build(out_dir: Path) -> Path:
    doc = dk.new_document(dk.PageSetup(), dk.Meta(
        author="UBND thị trấn Hùng Sơn", title="Báo cáo đánh giá mức độ chuyển đổi số năm 2022",
        date=dt.datetime(2022, 12, 5, 9, 30)))
    dk.para(doc, "TÊN ĐƠN VỊ: Thị trấn Hùng Sơn", bold=True)
    dk.para(doc, "Số: 65 /BC-UBND")
    dk.para(doc, "BÁO CÁO", bold=True, align="center", size=14, space_after=0)
    dk.para(doc, "ĐÁNH GIÁ MỨC ĐỘ CHUYỂN ĐỔI SỐ NĂM 2022", bold=True, align="center", size=14)
    dk.para(doc, "I. THÔNG TIN CHUNG", bold=True)
    for item in INFO:
        dk.para(doc, f"- {item}", space_after=0)
    dk.para(doc, "II. CÁC TIÊU CHÍ ĐÁNH GIÁ VÀ THANG ĐIỂM", bold=True)

    table = dk.grid_table(doc, WIDTHS)
    head = dk.add_row(table, WIDTHS)
    for cell, text in zip(head.cells, HEADER):
        dk.set_cell(cell, text, bold=True, align="center", size=12)
    dk.repeat_header(head)
    for kind, stt, name, how, pts, mx in ROWS:
        _add(table, kind, stt, name, how, pts, mx)

    dk.para(doc, "")
    _signature(doc)
    return dk.save(doc, out_dir / "hungson-2022.docx")


def _add(table, kind, stt, name, how, pts, mx) -> None:
    row = dk.add_row(table, WIDTHS)
    c = row.cells
    if kind == "P":
        merged = c[1].merge(c[3])
        dk.set_cell(c[0], stt, bold=True, align="center", size=12)
        dk.set_cell(merged, name, bold=True, size=12)
        dk.set_cell(c[4], mx, bold=True, align="center", size=12)
        return
    if kind == "T":
        merged = c[0].merge(c[3])
        dk.set_cell(merged, stt, bold=True, align="center", size=12)
        dk.set_cell(c[4], mx, bold=True, align="center", size=12)
        return
    group = kind == "G"
    dk.set_cell(c[0], stt, align="center", size=12)
    dk.set_cell(c[1], name, bold=group, italic=group or kind == "I", size=12)
    dk.set_cell(c[2], how, size=12)
    dk.set_cell(c[3], pts, align="center", size=12)
    dk.set_cell(c[4], mx, bold=group, align="center", size=12)


def _signature(doc) -> None:
    widths = [7.5, 8.5]
    sig = dk.grid_table(doc, widths, style=None)
    dk.no_borders(sig)
    row = dk.add_row(sig, widths)
    dk.set_cell(row.cells[0], "Nơi nhận:\n- Phòng VH TT huyện;\n- Lưu VP./.", size=11)
    row.cells[0].paragraphs[0].runs[0].bold = True
    row.cells[0].paragraphs[0].runs[0].italic = True
    dk.set_cell(row.cells[1], "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n\n\nNguyễn Đắc Giang",
                bold=True, align="center")
