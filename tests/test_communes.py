"""The receiving body's list of communes: reading the list files (text with merged communes'
names, CSV, Excel, a district's ranking table), matching a report's unit to it (accents, case,
spacing, "UBND xã X" / "Xã X" / "X", old names), and the receiver read from "Kính gửi"."""
from __future__ import annotations

from pathlib import Path

import pytest

from store.communes import Commune, CommunesError, identify, parse_entry, read_list

ROOT = Path(__file__).resolve().parent.parent
LIST = [Commune("Xã Tân Dân"), Commune("Xã Hùng Sơn", ("Xã Cao Xá", "Thị trấn Lâm Thao")),
        Commune("Thị trấn Hùng Sơn"), Commune("Xã Xá Nhè"), Commune("Phường Hà Cầu", ("Phường Quang Trung",))]


@pytest.mark.parametrize("read, listed", [
    ("Xã Tân Dân", "Xã Tân Dân"), ("UBND xã Tân Dân", "Xã Tân Dân"), ("Tân Dân", "Xã Tân Dân"),
    ("UBND XÃ TÂN DÂN", "Xã Tân Dân"), ("xa tan  dan", "Xã Tân Dân"), ("Ủy ban nhân dân xã Tân-Dân", "Xã Tân Dân"),
    ("Thị trấn Hùng Sơn", "Thị trấn Hùng Sơn"), ("UBND xã Hùng Sơn", "Xã Hùng Sơn"),
    # "Xá" is a name, not the kind "xã": not stripped
    ("Xá Nhè", "Xã Xá Nhè"), ("UBND xã Xá Nhè", "Xã Xá Nhè"),
    # communes merged in 2025: their old names are aliases of the new one
    ("Xã Cao Xá", "Xã Hùng Sơn"), ("UBND thị trấn Lâm Thao", "Xã Hùng Sơn"), ("Quang Trung", "Phường Hà Cầu"),
])
def test_a_unit_is_matched_to_the_list(read, listed):
    who = identify(read, LIST)
    assert who.held_vi is None and who.name == listed
    assert (who.note is not None) == (read not in ("Xã Tân Dân", "UBND xã Tân Dân", "Tân Dân", "UBND XÃ TÂN DÂN",
                                                   "xa tan  dan", "Ủy ban nhân dân xã Tân-Dân", "Thị trấn Hùng Sơn",
                                                   "UBND xã Hùng Sơn", "Xá Nhè", "UBND xã Xá Nhè"))


def test_a_unit_not_read_not_listed_or_ambiguous_is_held_out_with_the_reason():
    assert "không đọc được tên đơn vị" in identify(None, LIST).held_vi
    assert "không đọc được tên đơn vị" in identify("  ", []).held_vi         # no list: still never a file name
    who = identify("Xã Sơn Vi", LIST)
    assert who.held_vi and "không có trong danh sách" in who.held_vi and who.name == "Xã Sơn Vi"
    who = identify("Hùng Sơn", LIST)                                        # Xã or Thị trấn Hùng Sơn?
    assert who.held_vi and set(who.candidates) == {"Xã Hùng Sơn", "Thị trấn Hùng Sơn"}
    assert identify("Xã Sơn Vi", []).held_vi is None and identify("Xã Sơn Vi", []).name == "Xã Sơn Vi"


def test_list_lines_with_merged_names():
    assert parse_entry("1. UBND xã Hùng Sơn (sáp nhập: Xã Cao Xá, Thị trấn Lâm Thao)") == \
        Commune("Xã Hùng Sơn", ("Xã Cao Xá", "Thị trấn Lâm Thao"))
    assert parse_entry("Phường Hà Cầu | Phường Vạn Phúc; Phường Quang Trung") == \
        Commune("Phường Hà Cầu", ("Phường Vạn Phúc", "Phường Quang Trung"))
    assert parse_entry("- XÃ TÂN DÂN  # ghi chú") == Commune("Xã Tân Dân")
    assert parse_entry("# huyện Tiên Lữ") is None and parse_entry("") is None


def test_list_files_text_csv_excel(tmp_path):
    txt = tmp_path / "xa.txt"
    txt.write_text("# huyện Lâm Thao\n\nXã Hùng Sơn (sáp nhập: Xã Cao Xá)\nXã Tứ Xã\n", encoding="utf-8")
    assert read_list(txt) == [Commune("Xã Hùng Sơn", ("Xã Cao Xá",)), Commune("Xã Tứ Xã")]
    csv = tmp_path / "xa.csv"
    csv.write_text("TT,Tên đơn vị,Sáp nhập từ\n1,UBND xã Hùng Sơn,\"Xã Cao Xá; Xã Sơn Vi\"\n2,Xã Tứ Xã,\n"
                   ",Tổng cộng,\n", encoding="utf-8")
    assert read_list(csv) == [Commune("Xã Hùng Sơn", ("Xã Cao Xá", "Xã Sơn Vi")), Commune("Xã Tứ Xã")]
    from openpyxl import Workbook
    wb = Workbook()
    wb.active.append(["STT", "Tên xã", "Tên cũ"])
    wb.active.append([1, "Phường Hà Cầu", "Phường Quang Trung"])
    wb.active.append([2, "Phường Yết Kiêu", None])
    wb.save(tmp_path / "xa.xlsx")
    assert read_list(tmp_path / "xa.xlsx") == [Commune("Phường Hà Cầu", ("Phường Quang Trung",)),
                                               Commune("Phường Yết Kiêu")]


def test_the_communes_of_a_district_ranking_table():
    communes = read_list(ROOT / "samples" / "tuachua-ranking.docx")
    names = [c.name for c in communes]
    assert len(names) == 12 and names[0] == "Thị trấn Tủa Chùa" and "Xã Mường Báng" in names
    assert not any(n.startswith(("UBND", "Tổng")) for n in names)


def test_a_bad_list_is_refused_in_one_line(tmp_path):
    dup = tmp_path / "trung.txt"
    dup.write_text("Xã Tân Dân\nUBND xã Tân Dân\n", encoding="utf-8")
    with pytest.raises(CommunesError, match="trung.txt.*hai lần"):
        read_list(dup)
    alias = tmp_path / "alias.txt"
    alias.write_text("Xã Hùng Sơn (sáp nhập: Xã Cao Xá)\nXã Cao Xá\n", encoding="utf-8")
    with pytest.raises(CommunesError, match="hai lần"):
        read_list(alias)
    empty = tmp_path / "rong.txt"
    empty.write_text("# chưa có\n", encoding="utf-8")
    with pytest.raises(CommunesError, match="rong.txt.*không tìm thấy tên xã"):
        read_list(empty)
    bad = tmp_path / "hong.xlsx"
    bad.write_bytes(b"PK\x03\x04 not a workbook")
    with pytest.raises(CommunesError, match="hong.xlsx.*không đọc được") as e:
        read_list(bad)
    assert "\n" not in str(e.value)


@pytest.mark.parametrize("form", ["inline", "list", "don-vi-nhan"])
def test_the_receiver_is_read_from_the_header(tmp_path, form):
    from extractors import read
    from matchers.unit import read_unit
    from samples.samplegen.communes import commune_report
    path = commune_report(tmp_path, "Xã Tứ Xã", seed=3, receiver="UBND huyện Văn Lâm", receiver_form=form)
    unit = read_unit(read(path))
    assert unit.receiver == "UBND huyện Văn Lâm" and unit.name == "Xã Tứ Xã" and unit.year == 2022
    cut = commune_report(tmp_path, "Xã Tứ Xã", seed=3, named=False, file_name="scan-0042.docx")
    assert read_unit(read(cut)).name is None                         # never the file's name


def test_the_district_over_the_commune_in_the_administrative_header():
    from extractors import read
    from matchers.unit import read_unit
    # "UBND HUYỆN VĂN LÂM" over "UBND XÃ TÂN DÂN", no "Kính gửi": the district is still known
    unit = read_unit(read(ROOT / "samples" / "hungyen-2024-criteria.docx"))
    assert (unit.name, unit.district, unit.receiver) == ("Xã Tân Dân", "Huyện Văn Lâm", None)
    unit = read_unit(read(ROOT / "samples" / "huongxuan-2020-narrative.docx"))
    assert (unit.district, unit.receiver) == ("Huyện Nam Đông", "UBND huyện Nam Đông")
    assert read_unit(read(ROOT / "samples" / "hungson-2022.docx")).district is None     # none printed


def test_the_receiver_survives_the_contract_codec():
    from matchers.report import Report, Unit
    from matchers.report_codec import decode, encode
    r = Report(file="a.docx", sha256="0" * 64, format="docx",
               unit=Unit("Xã Tứ Xã", "xa", 2022, "Phòng Văn hóa và Thông tin huyện Lâm Thao", "Huyện Lâm Thao"))
    back = decode(encode(r)).unit
    assert back.receiver == "Phòng Văn hóa và Thông tin huyện Lâm Thao" and back.district == "Huyện Lâm Thao"
    assert Report.from_dict(r.to_dict()).unit == r.unit


def test_the_district_filter_reads_the_receiver_and_the_folders_not_the_file_name():
    from types import SimpleNamespace

    from matchers.report import Unit
    from outputs.ranking import in_district

    def report(path, receiver=None):
        return SimpleNamespace(file_names=[path], file_name=path, unit=Unit(receiver=receiver))

    addressed = report("nop/bao-cao.docx", "Phòng Văn hóa và Thông tin huyện Văn Lâm")
    for name in ("Văn Lâm", "huyện Văn Lâm", "UBND huyện Văn Lâm", "van lam"):
        assert in_district(addressed, {}, name)
    assert not in_district(addressed, {}, "Gia Lâm")
    filed = report("van-lam/xa-tan-dan.docx")
    assert in_district(filed, {}, "Văn Lâm") and in_district(filed, {}, "UBND huyện Văn Lâm")
    named = report("nop/a.docx")
    assert in_district(named, {"unit": {"district": "Huyện Văn Lâm"}}, "UBND huyện Văn Lâm")
    # a commune's file named like a district is not that district's report
    assert not in_district(report("thi-tran-lam-thao-2022.docx", "UBND huyện Phù Ninh"), {}, "Lâm Thao")
