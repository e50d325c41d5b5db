"""Unit identity end to end, as a user meets it: four communes' Word reports and a copy of one
whose header was cut, saved as scan-0042.docx, go through `dti run`; `dti rank` ranks the four
once each, never a file name, and holds the copy out with the reason (output, workbook sheet,
queue) until a reviewer sets its unit on the report page or with `dti unit set` (audited).
The receiving body read from "Kính gửi" chooses the district; the list of communes decides
which names are communes."""
from __future__ import annotations

import os
import re

import pytest

from settings import settings
from commands.cli import main

COMMUNES = {"Xã Cao Xá": "inline", "Xã Tứ Xã": "list", "Thị trấn Lâm Thao": "don-vi-nhan", "Xã Sơn Vi": "inline"}
RECEIVER = "UBND huyện Lâm Thao"


@pytest.fixture(scope="module")
def var(tmp_path_factory):
    from samples.samplegen.communes import commune_report
    tmp = tmp_path_factory.mktemp("held")
    src = tmp / "nop"
    src.mkdir()
    for seed, (unit, form) in enumerate(COMMUNES.items()):
        commune_report(src, unit, seed, receiver=RECEIVER, receiver_form=form)
    commune_report(src, "Xã Cao Xá", 0, receiver=RECEIVER, named=False, file_name="scan-0042.docx")
    saved = {k: os.environ.get(k) for k in ("DTI_VAR_DIR", "DTI_DATABASE_URL", "PREFECT_API_URL")}
    os.environ["DTI_VAR_DIR"] = str(tmp / "var")
    os.environ.pop("DTI_DATABASE_URL", None)
    os.environ.pop("PREFECT_API_URL", None)
    try:
        assert main(["run", "--inbox", str(tmp / "inbox"), "--from", str(src), "--stable-seconds", "0"]) == 0
        yield tmp / "var"
    finally:
        for k, v in saved.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
        settings.reload()


@pytest.fixture()
def env(var, monkeypatch):
    monkeypatch.setenv("DTI_VAR_DIR", str(var))
    monkeypatch.delenv("DTI_DATABASE_URL", raising=False)
    settings.reload()
    from store.store import Store
    return Store()


def rank(capsys, *extra) -> tuple[int, str, str]:
    code = main(["rank", "--year", "2022", "--ruleset", "phutho-2022-xa", *extra])
    out = capsys.readouterr()
    return code, out.out, out.err


def table_names(out: str) -> list[str]:
    head, _, _ = out.partition("\n\n")
    return [re.sub(r"^\s*\d+\s+", "", line).split("  ")[0].strip() for line in head.splitlines()[1:]]


def scan_id(store) -> int:
    return next(r.id for r in store.reports() if r.file_name == "scan-0042.docx")


def test_rank_lists_each_commune_once_and_holds_out_the_cut_copy(env, capsys, tmp_path):
    code, out, _ = rank(capsys, "--out", str(tmp_path / "xh.xlsx"))
    assert code == 0
    assert sorted(table_names(out)) == sorted(COMMUNES)              # each once, no file name
    assert "scan-0042" not in out.partition("\n\n")[0] and "None:" not in out
    sid = scan_id(env)
    assert f"Chưa xếp hạng / held out of the ranking: 1" in out
    assert re.search(rf"#{sid} scan-0042\.docx: không đọc được tên đơn vị", out)
    from openpyxl import load_workbook
    wb = load_workbook(tmp_path / "xh.xlsx")
    ranked = [r[1] for r in wb["Xếp hạng"].iter_rows(min_row=3, values_only=True) if r[1]]
    assert sorted(ranked) == sorted(COMMUNES)
    held = list(wb["Báo cáo chưa xếp hạng"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1]) for r in held] == [(sid, "scan-0042.docx")] and "không đọc được tên đơn vị" in held[0][3]


def test_the_receiver_chooses_the_district(env, capsys, tmp_path):
    for name in ("Lâm Thao", "huyện Lâm Thao", "ủy ban nhân dân huyện lam thao"):
        code, out, _ = rank(capsys, "--district", name, "--out", str(tmp_path / "xh.xlsx"))
        assert code == 0 and sorted(table_names(out)) == sorted(COMMUNES) and f"addressed to {RECEIVER}" in out
    code, out, _ = rank(capsys, "--receiver", RECEIVER, "--out", str(tmp_path / "xh.xlsx"))
    assert code == 0
    from openpyxl import load_workbook
    assert RECEIVER in load_workbook(tmp_path / "xh.xlsx")["Xếp hạng"]["A1"].value
    code, _, err = rank(capsys, "--district", "Văn Lâm")
    assert code == 1 and "Văn Lâm" in err and err.count("\n") == 1


def test_the_queue_shows_the_held_out_report_and_a_reviewer_sets_its_unit_on_the_page(env, capsys):
    from sqlalchemy.orm import sessionmaker

    from reviewkit import PASSWORD, Seeded, signed_in
    from review.users import add_user
    with sessionmaker(env.engine).begin() as s:
        add_user(s, "kiemtra", PASSWORD)
    sid = scan_id(env)
    with signed_in(Seeded(env, env.location, {}, "kiemtra")) as (c, token):
        queue = c.get("/").text
        assert "1</b> báo cáo chưa xếp hạng" in queue and "không đọc được tên đơn vị" in queue
        page = c.get(f"/reports/{sid}").text
        assert "Chưa xếp hạng" in page and f'action="/reports/{sid}/unit"' in page
        # a bare name takes the spelling of the unit already stored that year
        r = c.post(f"/reports/{sid}/unit", data={"csrf": token, "name": "cao xa", "why": "bản sao báo cáo Cao Xá"},
                   follow_redirects=False)
        assert r.status_code == 303
        page = c.get(f"/reports/{sid}").text
        assert "Đã đặt đơn vị" in page and "Chưa xếp hạng" not in page
        assert "không đọc được tên đơn vị" not in c.get("/").text
    trail = [(x.field, x.reviewer, x.old, x.new, x.why) for x in env.get_report(sid).corrections]
    assert ("unit.name", "kiemtra", None, "Xã Cao Xá", "bản sao báo cáo Cao Xá") in trail
    code, out, _ = rank(capsys)
    assert code == 0 and sorted(table_names(out)) == sorted(COMMUNES) and "held out" not in out
    # now a second version of Cao Xá: the report that names itself counts, the copy is listed
    line = next(x for x in out.splitlines() if x.strip().startswith("Xã Cao Xá: #"))
    assert "scan-0042" not in line and "2 bản" in line and "tự ghi tên đơn vị" in line


def test_with_a_list_an_unlisted_unit_is_held_out_until_set_by_cli(env, capsys, tmp_path):
    listed = tmp_path / "xa-lam-thao.txt"
    listed.write_text("# UBND huyện Lâm Thao\nXã Cao Xá\nXã Tứ Xã (sáp nhập: Xã Bản Nguyên)\nThị trấn Lâm Thao\n",
                      encoding="utf-8")
    assert main(["communes", "import", str(listed), "--by", "vanthu"]) == 0
    assert main(["communes", "list"]) == 0
    assert "Xã Tứ Xã (sáp nhập / merged: Xã Bản Nguyên)" in capsys.readouterr().out
    code, out, _ = rank(capsys)
    assert code == 0 and sorted(table_names(out)) == ["Thị trấn Lâm Thao", "Xã Cao Xá", "Xã Tứ Xã"]
    assert "'Xã Sơn Vi' không có trong danh sách xã" in out
    sv = next(r.id for r in env.reports() if r.unit.name == "Xã Sơn Vi")
    assert main(["unit", "set", str(sv), "Xã Sơn Vy", "--by", "lead"]) == 1      # not a commune of the list
    assert "không có trong danh sách" in capsys.readouterr().err and not env.get_report(sv).corrections
    assert main(["unit", "set", str(sv), "tu xa", "--by", "lead", "--why", "Sơn Vi sáp nhập vào Tứ Xã"]) == 0
    assert "Xã Sơn Vi -> Xã Tứ Xã" in capsys.readouterr().out
    trail = [(x.field, x.reviewer, x.old, x.new, x.why) for x in env.get_report(sv).corrections]
    assert ("unit.name", "lead", "Xã Sơn Vi", "Xã Tứ Xã", "Sơn Vi sáp nhập vào Tứ Xã") in trail
    code, out, _ = rank(capsys)
    assert code == 0 and "held out" not in out and sorted(table_names(out)) == ["Thị trấn Lâm Thao", "Xã Cao Xá",
                                                                                "Xã Tứ Xã"]


def test_a_report_without_its_year_is_held_out_until_the_year_is_set(env, capsys):
    from matchers.report import Report
    cx = next(r for r in env.reports(year=2022) if r.unit.name == "Xã Cao Xá" and r.file_name != "scan-0042.docx")
    d = env.get_report(cx.id).original.to_dict()
    d.update(sha256="f" * 64, file="anh-chup.jpg", unit={**d["unit"], "year": None})
    rid = env.save_report(Report.from_dict(d), file_name="anh-chup.jpg")
    code, out, _ = rank(capsys)
    assert code == 0 and re.search(rf"#{rid} anh-chup\.jpg: không đọc được năm đánh giá", out)
    assert "anh-chup" not in out.partition("\n\n")[0]
    assert main(["unit", "set", str(rid), "Xã Cao Xá", "--year", "2022", "--by", "lead"]) == 0
    assert "3 bản" in capsys.readouterr().out                     # now a third version of Cao Xá 2022
    code, out, _ = rank(capsys)
    assert code == 0 and "held out" not in out
    assert [(c.field, c.new) for c in env.get_report(rid).corrections] == [("unit.year", 2022)]
