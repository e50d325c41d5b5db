"""Huyện Tủa Chùa (Điện Biên), 2022: seed 003's Phụ lục 2 ranking as a Word table.

Numbers are printed exactly as in the seed (``29,51``, ``231,60``, ``311,6``);
the seed's own arithmetic is kept, rounding slips included (see README).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import docxkit as dk

HEADER = ("TT", "Tên đơn vị", "Nhận thức số", "Thể chế số", "Hạ tầng số", "Nhân lực số",
          "An toàn thông tin mạng", "Hoạt động Chính quyền số", "Hoạt động Kinh tế số",
          "Hoạt động Xã hội số", "Tổng điểm", "Xếp hạng")

UNITS = [
    ("1", "UBND thị trấn Tủa Chùa", "15", "50", "29,51", "49", "47,83", "79,84", "30", "10,42", "311,6", "1"),
    ("2", "UBND xã Mường Báng", "30", "30", "61,1", "55", "25", "59,8", "0", "14,91", "275,81", "2"),
    ("3", "UBND xã Sính Phình", "30", "25", "31,72", "33,3", "50", "79", "0", "6,75", "255,59", "3"),
    ("4", "UBND xã Lao Xả Phình", "20", "25", "16,53", "28,75", "50", "79,84", "0", "18,1", "238,22", "4"),
    ("5", "UBND xã Mường Đun", "20", "25", "19,59", "25,5", "50", "80", "0", "13,45", "233,54", "5"),
    ("6", "UBND xã Huổi Sớ", "20", "25", "17,03", "38", "50", "78,8", "0", "3,73", "232,56", "6"),
    ("7", "UBND xã Tủa Thàng", "20", "25", "17,14", "33,13", "50", "79,4", "0", "6,93", "231,60", "7"),
    ("8", "UBND xã Xá Nhè", "20", "25", "19,59", "25", "50", "80", "0", "10,6", "230,19", "8"),
    ("9", "UBND xã Tả Phìn", "20", "25", "14,98", "33,6", "50", "78,9", "0", "5,37", "227,85", "9"),
    ("10", "UBND xã Tả Sìn Thàng", "20", "25", "16,39", "23,3", "50", "76,45", "0", "13,88", "225,02", "10"),
    ("11", "UBND xã Trung Thu", "20", "25", "16,53", "29", "50", "70", "0", "10,6", "221,13", "11"),
    ("12", "UBND xã Sín Chải", "20", "25", "16,43", "25", "34,15", "79,92", "0", "6,11", "206,61", "12"),
]

WIDTHS = [0.9, 4.4, 1.9, 1.7, 1.8, 1.8, 2.0, 2.2, 1.9, 1.9, 1.9, 1.6]


def build(out_dir: Path) -> Path:
    doc = dk.new_document(dk.PageSetup(landscape=True, size=13, left_cm=1.5, right_cm=1.5), dk.Meta(
        author="UBND huyện Tủa Chùa", title="Phụ lục 2: Kết quả đánh giá, xếp hạng mức độ chuyển đổi số",
        date=dt.datetime(2023, 4, 20, 10, 0)))
    dk.para(doc, "Phụ lục 2", bold=True, align="center", space_after=0)
    dk.para(doc, "Kết quả đánh giá, xếp hạng mức độ chuyển đổi số của UBND các xã, thị trấn "
                 "trên địa bàn huyện Tủa Chùa", bold=True, align="center", space_after=0)
    dk.para(doc, "(Kèm theo Quyết định số: /QĐ-UBND ngày /4/2023 của UBND huyện Tủa Chùa)",
            italic=True, align="center")
    table = dk.grid_table(doc, WIDTHS)
    hr = dk.add_row(table, WIDTHS)
    for cell, text in zip(hr.cells, HEADER):
        dk.set_cell(cell, text, bold=True, align="center", size=11)
    dk.repeat_header(hr)
    for unit in UNITS:
        row = dk.add_row(table, WIDTHS)
        for i, (cell, text) in enumerate(zip(row.cells, unit)):
            dk.set_cell(cell, text, align="left" if i == 1 else "center", size=11)
    return dk.save(doc, out_dir / "tuachua-ranking.docx")
