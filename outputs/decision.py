"""``dti decision``: the approval decision of the year's ranking, drafted as .docx.

"Phê duyệt kết quả chỉ số đánh giá, xếp hạng mức độ chuyển đổi số …" in the layout of a Vietnamese
administrative decision (Nghị định 30/2020/NĐ-CP): issuing body | national motto, "Số: …/QĐ-UBND" and
date left blank for the office, the "Căn cứ" lines (the ruleset's own source decision among them),
Điều 1–3, Nơi nhận, the signature block; A4, Times New Roman 13–14.  Phụ lục 1 gives the communes'
achievements pillar by pillar from the stored figures (``scoring.aggregate``); Phụ lục 2 is the ranking
table, in a landscape section.

One source: the table is the one ``dti rank`` computes (``outputs.ranking.rank_store``), so the
decision and the workbook never disagree; provisional points are marked as the workbook marks them
(``scoring.ranking_xlsx``), and a draft with provisional points says so above its heading.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, RGBColor

from outputs.docxkit import C, J, L, a4, cell_text, first, heading, para, run, times, widths
from outputs.ranking import Ranking, rank_store
from store.submissions import fold
from rulesets.numbers import vn_number
from scoring.batch import COL_NAME, COL_RANK, COL_TT
from scoring.ranking_xlsx import PROV_MARK, PROV_NOTE, header_of, mark_cells, warning_line

BLANK_DATE = "……, ngày …… tháng …… năm ……"
_DOC_WORDS = ("quyet dinh", "ke hoach", "cong van", "nghi quyet", "thong tu", "huong dan", "chi thi")


def place_of(district: str | None) -> str:
    """'Lâm Thao' -> 'huyện Lâm Thao'; a name that says its kind ('thị xã Phú Thọ', 'Sở …') as it is."""
    if not district:
        return "huyện ……"
    kinds = ("huyen", "thi xa", "thanh pho", "quan", "so ", "ubnd", "uy ban", "tinh")
    return district if fold(district).startswith(kinds) else f"huyện {district}"


def basis_lines(ruleset, year: int) -> list[str]:
    law = ("Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025" if year >= 2025 else
           "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều của "
           "Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019")
    title = ruleset.title.strip().rstrip(".;")
    if not fold(title).startswith(_DOC_WORDS):      # "Bộ chỉ số …" reads "Căn cứ bộ chỉ số …"
        title = title[0].lower() + title[1:]
    return [f"Căn cứ {law};",
            "Căn cứ Quyết định số 749/QĐ-TTg ngày 03 tháng 6 năm 2020 của Thủ tướng Chính phủ phê duyệt "
            "“Chương trình Chuyển đổi số quốc gia đến năm 2025, định hướng đến năm 2030”;",
            f"Căn cứ {title};",
            "Theo đề nghị của Trưởng phòng Văn hóa và Thông tin."]


def _repeat_header(row) -> None:
    """The table's header row printed again on each page."""
    pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    pr.append(el)


def annex2_rows(ranking: Ranking) -> tuple[list[str], list[list[str]]]:
    """Phụ lục 2 as text: the workbook's headers and cells, provisional cells marked as there."""
    df = ranking.table
    marked = mark_cells(df)
    head = [header_of(df, c) for c in df.columns]
    whole = df.attrs.get("scored") is False
    rows = []
    for i, rec in enumerate(df.itertuples(index=False)):
        cells = []
        for col, v in zip(df.columns, rec):
            if col in (COL_TT, COL_RANK):
                cells.append(str(int(v)))
            elif col == COL_NAME:
                cells.append(str(v))
            else:
                text = vn_number(v, 0 if whole else 2, fixed=True, empty="—")
                cells.append(text + (PROV_MARK if (i, col) in marked else ""))
        rows.append(cells)
    return head, rows


def build(ranking: Ranking, ruleset, district: str | None = None) -> Document:
    from scoring.aggregate import findings
    place = place_of(district)
    body = "ỦY BAN NHÂN DÂN"
    year, df = ranking.year, ranking.table
    doc = Document()
    times(doc)
    a4(doc.sections[0])
    warn = warning_line(df, "xem ghi chú dưới các phụ lục")
    if warn:
        p = para(doc, "", C)
        r = run(p, "DỰ THẢO — " + warn, bold=True, size=13)
        r.font.color.rgb = RGBColor(0xC0, 0, 0)
    heading(doc, [(body, False), (place.upper(), True)], "Số:        /QĐ-UBND", BLANK_DATE)
    para(doc, "")
    para(doc, "QUYẾT ĐỊNH", C, bold=True, size=14)
    what = (f"Phê duyệt kết quả chỉ số đánh giá, xếp hạng mức độ chuyển đổi số của Ủy ban nhân dân các xã, "
            f"phường, thị trấn trên địa bàn {place} năm {year}")
    para(doc, what, C, bold=True, size=14)
    para(doc, "")
    para(doc, f"{body} {place.upper()}", C, bold=True, size=14)
    for line in basis_lines(ruleset, year):
        p = para(doc, line, J, italic=True, size=14)
        p.paragraph_format.first_line_indent = Cm(1)
    para(doc, "QUYẾT ĐỊNH:", C, bold=True, size=14)
    articles = [
        ("Điều 1. ", f"{what}, gồm {len(df)} đơn vị (chi tiết tại Phụ lục 1 và Phụ lục 2 kèm theo)."),
        ("Điều 2. ", "Quyết định này có hiệu lực thi hành kể từ ngày ký."),
        ("Điều 3. ", "Chánh Văn phòng HĐND và UBND; Trưởng phòng Văn hóa và Thông tin; Chủ tịch Ủy ban nhân dân "
                     "các xã, phường, thị trấn; thủ trưởng các cơ quan, đơn vị liên quan chịu trách nhiệm thi hành "
                     "Quyết định này./."),
    ]
    for label, text in articles:
        p = para(doc, "", J)
        p.paragraph_format.first_line_indent = Cm(1)
        run(p, label, bold=True, size=14)
        run(p, text, size=14)
    sign = doc.add_table(rows=1, cols=2)
    widths(sign, (8.0, 8.0))
    left, right = sign.rows[0].cells
    first(left, "Nơi nhận:", L, bold=True, italic=True, size=12)
    dept = "Sở Khoa học và Công nghệ" if year >= 2025 else "Sở Thông tin và Truyền thông"
    for line in ("- Như Điều 3;", f"- UBND tỉnh {ruleset.province} (b/c);", f"- {dept} tỉnh {ruleset.province};",
                 "- Lãnh đạo UBND;", "- Lưu: VT."):
        para(left, line, size=11)
    first(right, "TM. ỦY BAN NHÂN DÂN", C, bold=True, size=13)
    para(right, "CHỦ TỊCH", C, bold=True, size=13)
    para(right, "(Ký, ghi rõ họ tên, đóng dấu)", C, italic=True, size=12)

    _annex1(doc, ranking, ruleset, place, findings)
    _annex2(doc, ranking, place)
    return doc


def _annex_head(doc, n: int, what: str, place: str) -> None:
    para(doc, f"Phụ lục {n}", C, bold=True, size=14)
    para(doc, what, C, bold=True, size=14)
    para(doc, f"(Kèm theo Quyết định số        /QĐ-UBND ngày …… tháng …… năm …… của Ủy ban nhân dân {place})",
         C, italic=True, size=13)


def _annex1(doc, ranking: Ranking, ruleset, place: str, findings) -> None:
    doc.add_page_break()
    df = ranking.table
    _annex_head(doc, 1, f"Kết quả Bộ chỉ số đánh giá, xếp hạng mức độ chuyển đổi số của Ủy ban nhân dân các xã, "
                        f"phường, thị trấn trên địa bàn {place} năm {ranking.year}", place)
    whole = df.attrs.get("scored") is False
    any_prov = False
    for n, (pillar, found, empty) in enumerate(findings([s.counted.document for s in ranking.submissions], ruleset), 1):
        para(doc, f"{n}. {pillar.name}", J, bold=True, size=14)
        if pillar.name in df.columns and len(df):
            col = df[pillar.name]
            best, worst = df.loc[col.idxmax(), COL_NAME], df.loc[col.idxmin(), COL_NAME]
            unit = "tiêu chí đạt" if whole else "điểm"
            mx = f"/{vn_number(pillar.max_points)}" if pillar.max_points else ""
            para(doc, f"Bình quân {vn_number(col.mean())}{mx} {unit}; cao nhất {vn_number(col.max())} ({best}), "
                      f"thấp nhất {vn_number(col.min())} ({worst}).", J, size=14)
        for f in found:
            any_prov |= f.provisional
            para(doc, f"- {f.text}{' (' + PROV_MARK + ')' if f.provisional else ''}.", J, size=14)
        if empty:
            para(doc, f"- Chưa có đơn vị nào báo cáo số liệu: chỉ số {', '.join(empty)}.", J, italic=True, size=13)
    if any_prov:
        para(doc, PROV_NOTE, J, italic=True, size=12)


def _annex2(doc, ranking: Ranking, place: str) -> None:
    sec = doc.add_section(WD_SECTION.NEW_PAGE)
    a4(sec, landscape=True)
    _annex_head(doc, 2, f"Kết quả đánh giá, xếp hạng mức độ chuyển đổi số của Ủy ban nhân dân các xã, phường, "
                        f"thị trấn trên địa bàn {place} năm {ranking.year}", place)
    head, rows = annex2_rows(ranking)
    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for cell, h in zip(table.rows[0].cells, head):
        cell_text(cell, h, bold=True, align=C, size=11)
    _repeat_header(table.rows[0])
    for cells in rows:
        out = table.add_row().cells
        for j, (cell, v) in enumerate(zip(out, cells)):
            cell_text(cell, v, align=L if head[j] == COL_NAME else C, size=11)
    n_points = len(head) - 3
    widths(table, (1.0, 5.0) + (max(1.6, 18.5 / max(n_points, 1)),) * n_points + (1.6,))
    if ranking.table.attrs.get("provisional"):
        para(doc, PROV_NOTE, J, italic=True, size=12)


def write_decision(store, year: int, ruleset: str | None = None, district: str | None = None,
                   out: Path | None = None) -> tuple[Path, Ranking]:
    """The decision for the year's ranking (``RankError`` when there is nothing to rank)."""
    import rulesets
    from outputs.ranking import store_dir
    from settings.settings import current
    with tempfile.TemporaryDirectory(prefix="dti-decision-") as tmp:
        ranking = rank_store(store, year, ruleset, district, out=Path(tmp) / "xep-hang.xlsx")
    rs = rulesets.load(ranking.ruleset)
    doc = build(ranking, rs, district or current().district)     # the office's own district names it
    path = Path(out) if out else store_dir(store) / "decision" / f"quyet-dinh-{year}-{ranking.ruleset}.docx"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp_path = path.with_name(path.name + ".part")      # never a half-written decision under its name
    doc.save(tmp_path)
    tmp_path.replace(path)
    return path, ranking
