"""The Excel files people read: the ranking workbook carries its chart, the year and district in
its title and the ruleset's pillar names; the export says severities and statuses in Vietnamese."""
from __future__ import annotations

import zipfile

import pytest
from openpyxl import load_workbook

from settings import settings
from reviewkit import seeded_store

WORD, PDF = "hungson-2022.docx", "hungson-2022.pdf"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, module_db_url):
    with seeded_store(tmp_path_factory.mktemp("excel"), [WORD, PDF], url=module_db_url) as s:
        yield s


def test_ranking_workbook_has_chart_title_and_pillar_names(seeded, tmp_path, monkeypatch):
    import rulesets
    from outputs.ranking import rank_store
    monkeypatch.setenv("DTI_DISTRICT", "Lâm Thao")
    settings.reload()
    out = tmp_path / "xh.xlsx"
    r = rank_store(seeded.store, 2022, out=out)
    ws = load_workbook(out)["Xếp hạng"]
    assert ws["A1"].value.splitlines()[0].endswith("cấp xã năm 2022 — huyện Lâm Thao")   # then the provisional warning
    pillars = [p.name for p in rulesets.load(r.ruleset).pillars]
    header = [c.value for c in ws[2]]
    assert header[2:2 + len(pillars)] == pillars and "Nhận thức số" not in pillars   # Phú Thọ 2022's own pillars
    with zipfile.ZipFile(out) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        xml = z.read(charts[0]).decode()
    assert "<barChart>" in xml and '<grouping val="stacked"/>' in xml
    # the chart's series are the pillar columns of the table, its categories the units
    assert xml.count("<ser>") == len(pillars) and "<f>'Xếp hạng'!$B$3</f>" in xml


def test_district_option_wins_for_the_title(seeded, tmp_path):
    from outputs.ranking import rank_store
    out = tmp_path / "xh.xlsx"
    # the district is matched to the folders a report arrived under (never its file's own name)
    for name in (WORD, PDF):
        seeded.store.add_file_name(seeded.store.get_report(seeded.ids[name]).sha256, f"lam-thao/{name}")
    rank_store(seeded.store, 2022, district="Lâm Thao", out=out)
    assert load_workbook(out)["Xếp hạng"]["A1"].value.splitlines()[0].endswith("năm 2022 — huyện Lâm Thao")


def test_export_xlsx_speaks_vietnamese(seeded, tmp_path):
    from outputs.exporting import write_xlsx
    store = seeded.store
    report = store.get_report(seeded.ids[PDF])
    flag = next(f for f in report.flags if f.severity == "error")
    store.set_flag_status(flag.id, "dismissed", seeded.user, "đã giải trình")
    docs = [r.export_dict() for r in store.export_documents()]
    wb = load_workbook(write_xlsx(docs, tmp_path / "bc.xlsx"))
    flags = wb["Cảnh báo"]
    head = [c.value for c in flags[1]]
    sev, status = head.index("Mức độ") + 1, head.index("Trạng thái") + 1
    values = {(flags.cell(r, sev).value, flags.cell(r, status).value) for r in range(2, flags.max_row + 1)}
    assert {s for s, _ in values} <= {"Lỗi", "Cảnh báo", "Lưu ý"} and ("Lỗi", "Chưa xử lý") in values
    reports = wb["Báo cáo"]
    head = [c.value for c in reports[1]]
    rows = [dict(zip(head, (c.value for c in row))) for row in reports.iter_rows(min_row=2)]
    assert {r["Trạng thái"] for r in rows} == {"Có cảnh báo"} and {r["Bản được tính"] for r in rows} == {"Có", "Không"}
    counted = next(r for r in rows if r["Bản được tính"] == "Có")
    from store.submissions import build
    assert counted["Điểm công nhận"] == pytest.approx(build(store)[0].total)
