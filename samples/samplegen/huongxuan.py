"""Xã Hương Xuân (Thừa Thiên Huế), 2020: seed 004's narrative report as a Word file.

Prose and dash bullets against the older e-government criteria, pass/fail
(Đạt/Chưa đạt), with the figures a matcher must read from sentences:
``171% (48/28)`` (48 computers for 28 staff: numerator above denominator),
``645/645``, ``743/746 đạt 99,59%``.  Section II uses Word's bullet style
instead of typed dashes, as a second typist might.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import docxkit as dk

# (kind, text): H heading, B typed "- " bullet, W Word bullet style, P paragraph
BODY = [
    ("H", "I. Nhóm tiêu chí đánh giá Điều kiện sẵn sàng Chính quyền điện tử."),
    ("H", "1. Các tiêu chí về cơ sở về hạ tầng thông tin."),
    ("B", "Tiêu chí 15: Tỷ lệ máy tính/CBCC: 171% (48/28)."),
    ("B", "Tiêu chí 16: Tỷ lệ UBND cấp xã kết nối mạng LAN: 100% máy tính kết nối mạng LAN nội bộ."),
    ("B", "Tiêu chí 17: Tỷ lệ UBND cấp xã kết nối mạng Internet bằng rộng xDSL/FTTH hoặc mạng truyền số liệu chuyên dùng: 100% kết nối mạng nội bộ của VNPT huyện Nam Đông."),
    ("B", "Tiêu chí 18: Tỷ lệ UBND cấp xã có Bộ phận tiếp nhận và trả kết quả hiện đại (Theo Quyết định số 09/2015/QĐ-TTg): Đạt (thực hiện theo quyết định số 22/QĐ-UBND ngày 07/02/2020 của UBND xã về việc thành lập Bộ phận tiếp nhận và trả kết quả của UBND xã Hương Xuân)."),
    ("B", "Tiêu chí 19: Tỷ lệ UBND cấp xã có màn hình tra cứu TTHC: Đạt, có 04 màn hình (kèm theo biên bản giao nhận)."),
    ("B", "Tiêu chí 20: Tỷ lệ UBND cấp xã có đầu đọc mã vạch tra cứu hồ sơ TTHC: Đạt, có 8 đầu đọc mã vạch (kèm theo biên bản giao nhận)."),
    ("B", "Tiêu chí 21: Tỷ lệ UBND cấp xã có máy Scan: Đạt, có 4 máy Scan (kèm theo biên bản giao nhận)."),
    ("B", "Tiêu chí 22: Tỷ lệ UBND cấp xã có phòng họp trực tuyến: Có."),
    ("B", "Tiêu chí 23: Tỷ lệ UBND cấp xã có thiết bị tường lửa bảo vệ mạng LAN: Có"),
    ("H", "2. Các tiêu chí về nhân lực thông tin."),
    ("B", "Tỷ lệ CBCC cấp xã đã qua đào tạo và sử dụng thành thạo máy tính, các phần mềm phục vụ công việc (kèm theo Scan các văn bằng, chứng chỉ tin học của từng CBCC đã được cấp). Đạt"),
    ("B", "Tỷ lệ UBND cấp xã có cán bộ thực hiện nhiệm vụ chuyên trách CNTT (kèm theo Quyết định phân công nhiệm vụ của UBND xã). Đạt"),
    ("B", "Tỷ lệ cán bộ làm nhiệm vụ chuyên trách CNTT cấp xã đạt chuẩn kỹ năng ứng dụng CNTT cơ bản theo Thông tư số 03/2014/TT-BTTTT ngày 11/3/2014 của Bộ TTTT (Có 02 công chức đã học xong nhưng chưa cấp văn bằng, chứng chỉ theo Thông tư số 03/2014/TT-BTTTT ngày 11/3/2014 của Bộ TTTT). Chưa đạt."),
    ("H", "II. Các nhóm tiêu chí đánh giá kết quả Chính quyền điện tử đạt được."),
    ("W", "Tỷ lệ UBND cấp xã cung cấp đủ DVCTT mức độ 1 và 2: Đạt 100%."),
    ("W", "Tỷ lệ UBND cấp xã cung cấp DVCTT mức độ 3: Đạt 100%."),
    ("W", "Tỷ lệ UBND cấp xã cung cấp DVCTT mức độ 4: Chưa đạt."),
    ("H", "III. Đánh giá mức độ tương tác."),
    ("H", "1. Ứng dụng chữ ký số."),
    ("B", "Tỷ lệ UBND cấp xã sử dụng chữ ký số: Đảm bảo 100% văn bản đi được ký số và gửi đi trên môi trường mạng."),
    ("B", "Tỷ lệ Lãnh đạo cấp xã sử dụng chữ ký số: Sử dụng chữ ký số đối với 02 Lãnh đạo UBND xã để ký số văn bản của đơn vị mình ban hành và gửi đi trên môi trường mạng. Đạt 100%."),
    ("B", "Tỷ lệ văn bản UBND cấp xã ký số/tổng số văn bản UBND cấp xã gửi đến UBND cấp huyện: **645/645**, đảm bảo 100% văn bản đi được ký số và gửi đi trên phần mềm Quản lý văn bản & Điều hành."),
    ("H", "2. Ứng dụng thư điện tử."),
    ("P", "Tỷ lệ cán bộ công chức cấp xã thường xuyên sử dụng thư điện tử chuyên dùng để gửi/nhận văn bản phục vụ công vụ: 100%; đăng nhập 04 lần/ngày: đạt."),
    ("H", "3. Phần mềm quản lý quá trình giải quyết TTHC (phần mềm một cửa/ TTHCC)."),
    ("B", "Tỷ lệ UBND cấp xã ứng dụng phần mềm một cửa: Đạt."),
    ("B", "Tỷ lệ bình quân số TTHC được đưa vào áp dụng trong phần mềm đối với UBND cấp xã / Tổng số TTHC cấp xã: 123 TTHC, đảm bảo 100% TTHC được đưa vào Cổng DVC."),
    ("B", "Tỷ lệ hồ sơ tiếp nhận và thụ lý tại UBND cấp xã được công khai tình trạng giải quyết trên mạng Internet/ Tổng số hồ sơ tiếp nhận và thụ lý trong năm của UBND cấp xã: Đảm bảo 100% hồ sơ tiếp nhận và thụ lý được công khai tình trạng giải quyết trên mạng Internet; địa chỉ truy cập phần mềm: http://dichvucong.thuathienhue.gov.vn."),
    ("H", "4. Ứng dụng các phần mềm nội bộ cơ bản."),
    ("P", "Phần mềm kế toán và quản lý tài sản công: Cập nhật dữ liệu đầy đủ vào phần mềm; địa chỉ truy cập phần mềm: Misa Bamboo.NET 2019."),
    ("H", "IV. Đánh giá mức độ giao dịch."),
    ("B", "Tỷ lệ UBND cấp xã cung cấp DVC TT mức độ 3/ Tổng số UBND cấp xã: Đăng ký 100% TTHC đạt DVC TT mức độ 3."),
    ("B", "Tỷ lệ UBND cấp xã cung cấp DVC TT mức độ 4/ Tổng số UBND cấp xã: Đăng ký 100% TTHC đạt DVC TT mức độ 4."),
    ("B", "Tỷ lệ tổng số DVC TT mức độ 3 áp dụng tại cấp xã/ (Tổng số TTHC cấp xã x số xã): Đăng ký 100% TTHC đạt DVC TT mức độ 3."),
    ("B", "Tỷ lệ tổng số hồ sơ nộp trực tuyến mức độ 3 và 4 tại cấp xã/ Tổng số hồ sơ tiếp nhận tại UBND cấp xã trong năm: 12."),
    ("B", "Tỷ lệ tổng số DVC TT mức độ 4 áp dụng tại cấp xã/ (Tổng số TTHC cấp xã x số xã): 0."),
    ("B", "Tỷ lệ hồ sơ TTHC trả đúng hạn/ Tổng số hồ sơ tiếp nhận thụ lý tại UBND cấp xã: 743/746 đạt 99,59%."),
    ("B", "Tỷ lệ hồ sơ TTHC qua DVC TT mức độ 3 và 4 trả đúng hạn/ Tổng số hồ sơ nhận, thụ lý trực tuyến mức độ 3 và 4 tại UBND cấp xã: 12."),
    ("H", "V. Đánh giá mức độ chuyển đổi."),
    ("P", "Sử dụng phần mềm ứng dụng khác được triển khai trên môi trường mạng gồm các phần mềm ứng dụng như sau:"),
    ("B", "Phần mềm Hộ tịch; địa chỉ truy cập: http://khaisinhdientu.moj.gov.vn."),
    ("B", "Phần mềm sso.thuathieuhe.gov.vn."),
]


def build(out_dir: Path) -> Path:
    doc = dk.new_document(dk.PageSetup(size=14, left_cm=3.0, right_cm=2.0), dk.Meta(
        author="UBND xã Hương Xuân", title="Báo cáo kết quả thực hiện các tiêu chí chính quyền điện tử",
        date=dt.datetime(2020, 10, 5, 14, 0)))
    widths = [5.8, 10.2]
    head = dk.grid_table(doc, widths, style=None)
    dk.no_borders(head)
    r = dk.add_row(head, widths)
    dk.set_cell(r.cells[0], "UBND HUYỆN NAM ĐÔNG\n**UBND XÃ HƯƠNG XUÂN**\nSố: 612/BC-UBND", align="center", size=12)
    dk.set_cell(r.cells[1], "**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**\n**Độc lập - Tự do - Hạnh phúc**\nHương Xuân, ngày 05 tháng 10 năm 2020",
                align="center", size=12)
    dk.para(doc, "")
    dk.para(doc, "BÁO CÁO", bold=True, align="center", space_after=0)
    dk.para(doc, "Kết quả thực hiện các tiêu chí chính quyền điện tử", bold=True, align="center", space_after=0)
    dk.para(doc, "từ ngày 01/10/2019 đến 01/10/2020", bold=True, align="center")
    dk.para(doc, "Kính gửi:", align="center", space_after=0)
    dk.para(doc, "- UBND huyện Nam Đông;", align="center", space_after=0)
    dk.para(doc, "- Văn phòng HĐND và UBND huyện Nam Đông.", align="center")
    dk.para(doc, "Thực hiện Công văn số 143/UBND-VP ngày 18/02/2020 của UBND huyện về việc giao tiêu chí "
                 "thực hiện Chính quyền điện tử cấp huyện cho các cơ quan, đơn vị, địa phương năm 2020. "
                 "Ủy ban nhân dân xã Hương Xuân báo cáo kết quả thực hiện từ ngày 01/10/2019 đến ngày "
                 "01/10/2020 với những nội dung như sau:", align="justify")
    for kind, text in BODY:
        if kind == "H":
            dk.para(doc, text, bold=True)
        elif kind == "B":
            dk.para(doc, f"- {text}", align="justify")
        elif kind == "W":
            dk.para(doc, text, style="List Bullet", align="justify")
        else:
            dk.para(doc, text, align="justify")
    dk.para(doc, "Trên đây là kết quả thực hiện các tiêu chí chính quyền điện tử năm 2020 của UBND xã Hương Xuân./.",
            align="justify")
    sig = dk.grid_table(doc, widths, style=None)
    dk.no_borders(sig)
    r = dk.add_row(sig, widths)
    dk.set_cell(r.cells[0], "**Nơi nhận:**\n- Như trên;\n- Lưu: VT.", size=12)
    dk.set_cell(r.cells[1], "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\n\n\nNguyễn Thị Bích Ngọc", bold=True, align="center")
    return dk.save(doc, out_dir / "huongxuan-2020-narrative.docx")
