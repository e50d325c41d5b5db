"""Not every file is a report: a stray note and a district's ranking table are stored as what they
are, with status "không phải báo cáo tự đánh giá" and the reason, kept out of the queue, the
submissions and the ranking, listed apart; `dti extract` says so and exits non-zero."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from settings import settings
from commands.cli import main

ROOT = Path(__file__).resolve().parent.parent
NOTE = """GHI CHÚ CÔNG VIỆC TUẦN 47 - Phòng Văn hóa và Thông tin

1. Tổng hợp báo cáo chuyển đổi số của các xã, hạn 15/11. Còn thiếu xã Hồng Phong.
2. Kiểm tra hệ thống mạng nội bộ tầng 2, máy tính phòng kế toán hỏng.
3. Tập huấn kỹ năng số cho cán bộ công chức xã: dự kiến 40 người, 2 ngày.
4. Cài đặt phần mềm diệt virus cho 12 máy tính mới.
5. Họp giao ban thứ Sáu 14h00, in 25 bản kế hoạch; tiền photo 1.250.000 đồng.
"""


@pytest.fixture
def note(tmp_path) -> Path:
    p = tmp_path / "ghi-chu.txt"
    p.write_text(NOTE, encoding="utf-8")
    return p


def test_extract_says_a_note_is_not_a_report_and_exits_non_zero(note, capsys):
    assert main(["extract", str(note), "--json"]) == 3
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and str(note) in err
    assert "không phải báo cáo tự đánh giá" in err and "not a self-assessment report" in err
    doc = json.loads(out)
    assert doc["not_a_report"]["status"] == "not-report"
    assert not [f for f in doc["flags"] if f["code"] == "missing-indicator"]     # not 60 flags of noise
    assert main(["extract", str(note)]) == 3                                     # the table view too


def test_extract_keeps_a_ranking_table_as_what_it_is(capsys):
    assert main(["extract", str(ROOT / "samples" / "tuachua-ranking.docx"), "--json"]) == 3
    out, err = capsys.readouterr()
    doc = json.loads(out)
    assert doc["layout"] == "ranking-table" and len(doc["units"]) == 12
    assert "bảng xếp hạng của 12 đơn vị" in err


@pytest.fixture
def ran(tmp_path, monkeypatch, note, capsys):
    var = tmp_path / "var"
    monkeypatch.setenv("DTI_VAR_DIR", str(var))
    monkeypatch.delenv("DTI_DATABASE_URL", raising=False)
    settings.reload()
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    src = tmp_path / "nop"
    src.mkdir()
    shutil.copy(note, src / note.name)
    for sample in ("tuachua-ranking.docx", "hungson-2022.docx"):
        shutil.copy(ROOT / "samples" / sample, src / sample)
    assert main(["run", "--inbox", str(tmp_path / "inbox"), "--from", str(src), "--stable-seconds", "0"]) == 0
    from store.store import Store
    return capsys.readouterr().out, Store(f"sqlite:///{var / 'dti.sqlite'}")


def test_the_inbox_keeps_them_apart_from_queue_and_ranking(ran):
    out, store = ran
    assert "processed:       3" in out and "not a report: 2" in out
    assert "ghi-chu.txt: không phải báo cáo tự đánh giá" in out
    by_file = {s.file_name: s for s in store.reports()}
    assert by_file["ghi-chu.txt"].status == "not-report" and "bảng chỉ số" in by_file["ghi-chu.txt"].status_reason
    assert by_file["tuachua-ranking.docx"].status == "not-report"
    # stored as what it is: the district ranking keeps its units
    assert len(store.get_report(by_file["tuachua-ranking.docx"].id).document["units"]) == 12

    from outputs.ranking import rank_store
    from store.submissions import build
    assert [s.name for s in build(store)] == ["Thị trấn Hùng Sơn"]
    assert rank_store(store, 2022, out=Path(store.location).parent / "xh.xlsx").table["Tên đơn vị"].tolist() == \
        ["Thị trấn Hùng Sơn"]


def test_the_review_page_lists_them_apart(ran, tmp_path):
    from sqlalchemy.orm import sessionmaker

    from review.app import create_app
    from review.config import ReviewConfig
    from reviewkit import login
    from review.users import add_user
    _out, store = ran
    with sessionmaker(store.engine).begin() as s:
        add_user(s, "kiemtra", "mat-khau-thu-nghiem")
    app = create_app(ReviewConfig(database_url=store.url, secret_key="k" * 48), store)
    with TestClient(app) as c:
        login(c, "kiemtra")
        html = c.get("/", params={"show": "all"}).text
        queue, _, apart = html.partition('id="not-reports"')
        assert "Thị trấn Hùng Sơn" in queue and "ghi-chu.txt" not in queue and "tuachua-ranking.docx" not in queue
        assert "ghi-chu.txt" in apart and "tuachua-ranking.docx" in apart and "bảng xếp hạng của 12 đơn vị" in apart
        note_id = next(s.id for s in store.reports() if s.file_name == "ghi-chu.txt")
        page = c.get(f"/reports/{note_id}")
        assert page.status_code == 200 and "Không phải báo cáo tự đánh giá" in page.text
        assert re.search(r"<td>\d+</td>", queue)


def test_a_stored_ranking_table_compares_with_the_computed_ranking(ran, tmp_path, capsys):
    _out, store = ran
    by_file = {s.file_name: s for s in store.reports()}
    table_id = by_file["tuachua-ranking.docx"].id
    # a reviewer says whose report this is: the published table names the commune "UBND xã Mường Báng"
    store.add_correction(by_file["hungson-2022.docx"].id, "unit.name", "Xã Mường Báng", "kiemtra")
    from store.submissions import build
    total = build(store, year=2022)[0].total
    assert main(["rank", "--year", "2022", "--out", str(tmp_path / "xh.xlsx"), "--compare", str(table_id)]) == 0
    out = capsys.readouterr().out
    assert f"compared with #{table_id} tuachua-ranking.docx" in out
    shown = f"{total:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    assert f"UBND xã Mường Báng: bảng in 275,81 (hạng 2), bảng tính {shown} (hạng 1) — chênh / differs" in out
    assert "UBND thị trấn Tủa Chùa: trong bảng in (tổng 311,6, hạng 1), không có trong bảng tính" in out
    assert main(["rank", "--year", "2022", "--out", str(tmp_path / "xh.xlsx"),
                 "--compare", str(by_file["hungson-2022.docx"].id)]) == 1


def test_a_photo_read_badly_stays_a_report():
    """OCR can lose most of a page: with any indicator row left, a scan or photo is a report read
    badly (it goes to review), while a text file with as little is not a report."""
    from matchers.report import Report
    from matchers.kinds import not_a_report
    photo = json.loads((ROOT / "tests" / "golden" / "photo-hungyen.jpg.json").read_text(encoding="utf-8"))
    # the golden file keeps flags as (code, indicator) and leaves out what varies; neither matters here
    photo.update(file="photo-hungyen.jpg", sha256="0" * 64, flags=[])
    assert not_a_report(Report.from_dict(photo)) is None
    worse = {**photo, "layout": "unknown", "rows": photo["rows"][:2]}       # what a darker photo leaves
    assert not_a_report(Report.from_dict(worse)) is None
    assert not_a_report(Report.from_dict({**worse, "format": "txt"})) is not None
    assert not_a_report(Report.from_dict({**worse, "rows": [{**r, "indicator": None} for r in worse["rows"]]})) is not None


def test_the_migration_says_so_for_what_an_older_version_stored(tmp_path):
    """A ranking table and a note stored as reports before this change are marked on upgrade."""
    from alembic import command
    from sqlalchemy import text

    from store.store import Store, _alembic_config, make_engine
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = make_engine(url)
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "r001_review_users")
        for i, (layout, fmt) in enumerate((("ranking-table", "docx"), ("unknown", "txt"), ("unknown", "image"),
                                           ("score-table", "docx"))):
            conn.execute(text("INSERT INTO reports (sha256, file_name, file_names, format, layout, status, document, "
                              "reviewed, created_at) VALUES (:s, :f, '[]', :fmt, :l, 'flagged', '{}', 0, "
                              "'2025-01-01 00:00:00')"), {"s": f"{i:064x}", "f": f"{layout}.{fmt}", "fmt": fmt, "l": layout})
    engine.dispose()
    store = Store(url)
    status = {s.file_name: s.status for s in store.reports()}
    assert status == {"ranking-table.docx": "not-report", "unknown.txt": "not-report",
                      "unknown.image": "flagged", "score-table.docx": "flagged"}
    store.close()


def test_a_file_titled_a_report_stays_one_however_little_was_read(tmp_path, capsys):
    """A title page (or a photo whose table OCR lost) that says BÁO CÁO … chuyển đổi số goes to
    review as partially-read, never out of the queue as not-a-report; the note above, which only
    mentions such reports in a sentence, stays what it is."""
    import docx
    d = docx.Document()
    for text in ("UBND XÃ HỒNG PHONG", "BÁO CÁO", "Kết quả tự đánh giá mức độ chuyển đổi số năm 2025",
                 "Thực hiện Kế hoạch của UBND huyện, UBND xã báo cáo như sau.", "(Bảng chấm điểm kèm theo)"):
        d.add_paragraph(text)
    path = tmp_path / "bao-cao.docx"
    d.save(path)
    assert main(["extract", str(path), "--json"]) != 3
    doc = json.loads(capsys.readouterr().out)
    assert "not_a_report" not in doc
    partial = [f for f in doc["flags"] if f["code"] == "partially-read"]
    assert len(partial) == 1 and "tiêu đề là báo cáo" in partial[0]["message"]
    assert not [f for f in doc["flags"] if f["code"] == "missing-indicator"]
