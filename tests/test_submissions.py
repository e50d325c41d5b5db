"""Submissions: a commune's reports of one year are versions of one submission; the queue lists it
once with its versions; the version that counts is chosen by rule (most complete, then latest) or by
a reviewer (audited), and `dti rank` uses exactly it, says which and why, and warns about unreviewed
versions and communes of the district's list without a report."""
from __future__ import annotations

import re

import pytest

from settings import settings
from commands.cli import main
from reviewkit import seeded_store, signed_in

TD_DOCX, TD_PHOTO = "hungyen-2024-criteria.docx", "photo-hungyen.jpg"   # Xã Tân Dân 2024
HS_DOCX, HS_PDF = "hungson-2022.docx", "hungson-2022.pdf"              # Thị trấn Hùng Sơn 2022


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, module_db_url):
    with seeded_store(tmp_path_factory.mktemp("subs"), [TD_DOCX, HS_DOCX, HS_PDF, TD_PHOTO], url=module_db_url,
                      ocr=True) as s:
        yield s


@pytest.fixture()
def client(seeded):
    with signed_in(seeded) as c_token:
        yield c_token


def rank(seeded, monkeypatch, capsys, tmp_path, *extra) -> tuple[int, str]:
    monkeypatch.setenv("DTI_DATABASE_URL", seeded.store.url)
    settings.reload()
    code = main(["rank", "--year", "2024", "--out", str(tmp_path / "xh.xlsx"), *extra])
    return code, capsys.readouterr().out


def test_the_queue_lists_a_commune_once_with_its_versions(client, seeded):
    c, _ = client
    html = c.get("/", params={"show": "all"}).text
    rows = re.findall(r'<tr class="[^"]*">\s*<td>(\d+)</td>', html)
    assert len(rows) == 2                       # two communes, four reports
    assert html.count("2 bản gửi") == 2
    for name in (TD_DOCX, TD_PHOTO, HS_DOCX, HS_PDF):
        assert f'href="/reports/{seeded.ids[name]}"' in html
    # the full report counts for Tân Dân although the photo came later, and the queue says why
    assert rows.count(str(seeded.ids[TD_DOCX])) == 1 and str(seeded.ids[TD_PHOTO]) not in rows
    assert "bản đọc đầy đủ nhất" in html


def test_rank_uses_the_counted_version_and_says_which_and_why(seeded, monkeypatch, capsys, tmp_path):
    from store.submissions import build
    td = next(s for s in build(seeded.store, year=2024))
    communes = tmp_path / "xa.txt"
    communes.write_text("# huyện Tiên Lữ\nXã Tân Dân\nXã Hồng Phong\n", encoding="utf-8")
    code, out = rank(seeded, monkeypatch, capsys, tmp_path, "--communes", str(communes))
    assert code == 0
    assert f"Xã Tân Dân: #{seeded.ids[TD_DOCX]} {TD_DOCX}" in out and "bản đọc đầy đủ nhất" in out
    from rulesets.numbers import vn_number
    # points as people read them (1.234,56), the counted version's total
    assert re.search(r"Xã Tân Dân\s+[\d.,]+\s", out) and vn_number(td.total) in out
    assert "Xã Tân Dân: 2 bản chưa rà soát" in out                    # neither version reviewed yet
    assert "Xã Hồng Phong: chưa có báo cáo năm 2024" in out            # on the list, never sent
    assert "Xã Tân Dân: chưa có báo cáo" not in out


def test_a_reviewer_chooses_another_version_audited(client, seeded, monkeypatch, capsys, tmp_path):
    from store.submissions import build
    c, token = client
    photo = seeded.ids[TD_PHOTO]
    assert "Bản không được tính" in c.get(f"/reports/{photo}").text
    r = c.post(f"/reports/{photo}/count", data={"csrf": token, "why": "bản có dấu đỏ"}, follow_redirects=False)
    assert r.status_code == 303
    td = build(seeded.store, year=2024)[0]
    assert td.counted.id == photo and "kiemtra" in td.reason_vi and "bản có dấu đỏ" in td.reason_vi
    trail = seeded.store.version_choices(history=True)
    assert [(t["report_id"], t["reviewer"], t["why"]) for t in trail] == [(photo, seeded.user, "bản có dấu đỏ")]
    page = c.get(f"/reports/{photo}").text
    assert "Bản được tính" in page and "bản có dấu đỏ" in page
    code, out = rank(seeded, monkeypatch, capsys, tmp_path)
    assert code == 0 and f"Xã Tân Dân: #{photo} {TD_PHOTO}" in out and "người rà soát kiemtra chọn" in out
    # and back: the newest choice applies, the first stays in the trail
    c.post(f"/reports/{seeded.ids[TD_DOCX]}/count", data={"csrf": token, "why": ""})
    assert build(seeded.store, year=2024)[0].counted.id == seeded.ids[TD_DOCX]
    assert len(seeded.store.version_choices(history=True)) == 2


def test_ranking_workbook_names_the_version_of_each_unit(seeded, monkeypatch, capsys, tmp_path):
    from openpyxl import load_workbook
    code, _ = rank(seeded, monkeypatch, capsys, tmp_path)
    assert code == 0
    ws = load_workbook(tmp_path / "xh.xlsx")["Bản được tính"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1]) for r in rows] == [("Xã Tân Dân", seeded.ids[TD_DOCX])]
