"""The review page over a real stored report (samples/ read by the pipeline stages), via TestClient."""
from __future__ import annotations

import io
import subprocess
import sys

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from store.schema import Correction
from review.app import create_app
from review.config import ReviewConfig
from reviewkit import ROOT, csrf_of, login, seed
from review.users import User

PDF, WORD = "hungson-2022.pdf", "hungson-2022.docx"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeded(request, tmp_path_factory):
    """One seeded store per engine for the module (seeding reads two samples, too slow per test)."""
    import uuid
    tmp = tmp_path_factory.mktemp("review-web")
    url = None
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_server").create_database(f"review_{uuid.uuid4().hex[:12]}")
    s = seed(tmp, [PDF, WORD], url=url)
    yield s
    s.store.close()


@pytest.fixture(scope="module")
def app(seeded):
    return create_app(ReviewConfig(database_url=seeded.store.url, secret_key="k" * 48), seeded.store)


@pytest.fixture()
def client(app):
    with TestClient(app) as c:
        yield c


@pytest.fixture()
def signed_in(client, seeded):
    token = login(client, seeded.user)
    return client, token


def _row_with_flag(report: dict, code: str) -> tuple[dict, dict]:
    for f in report.flags:
        if f.code == code and f.status == "open":
            row = next(r for r in report.rows if r.get("indicator") == f.indicator)
            return row, f
    pytest.skip(f"the sample report has no open {code} flag")


def test_pages_need_a_session(client, seeded):
    rid = seeded.ids[PDF]
    for url in ("/", f"/reports/{rid}", f"/reports/{rid}/rows/0/crop.png", f"/reports/{rid}/letter.docx",
                "/export", "/export/reports.json"):
        r = client.get(url, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), url
    r = client.post(f"/reports/{rid}/reviewed", data={"value": "1"}, follow_redirects=False)
    assert r.status_code in (401, 403)
    assert seeded.store.get_report(rid).reviewed is False


def test_login_rejects_wrong_password_and_foreign_redirects(client, seeded):
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"username": seeded.user, "password": "sai-mat-khau", "csrf": token})
    assert r.status_code == 401 and "Sai tên đăng nhập" in r.text
    r = client.post("/login", data={"username": seeded.user, "password": seeded.password, "csrf": token,
                                    "next": "//evil.example/x"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"


def test_login_form_without_csrf_is_refused(client, seeded):
    client.get("/login")
    r = client.post("/login", data={"username": seeded.user, "password": seeded.password}, follow_redirects=False)
    assert r.status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 303


def test_forged_form_is_refused(signed_in, seeded):
    client, token = signed_in
    rid = seeded.ids[PDF]
    before = seeded.store.get_report(rid)
    row = before.rows[0]
    for bad in ({}, {"csrf": "forged-" + token[:10]}):
        r = client.post(f"/reports/{rid}/rows/0", data={"claimed_points": "999", "why": "x", **bad})
        assert r.status_code == 403
        r = client.post(f"/reports/{rid}/reviewed", data={"value": "1", **bad})
        assert r.status_code == 403
    after = seeded.store.get_report(rid)
    assert after.corrections == before.corrections and after.reviewed is False
    assert after.rows[0]["claimed_points"] == row["claimed_points"]


@pytest.mark.parametrize("url", [
    "/reports/..%2F..%2Fetc%2Fpasswd/rows/0/crop.png",
    "/reports/../../etc/passwd/rows/0/crop.png",
    "/reports/1/rows/..%2F..%2Fetc%2Fpasswd/crop.png",
    "/reports/999999/rows/0/crop.png",
    "/static/..%2F..%2F..%2Fetc%2Fpasswd",
    "/static/../store/store.py",
])
def test_path_traversal_is_refused(signed_in, url):
    client, _ = signed_in
    r = client.get(url)
    assert r.status_code in (400, 404, 422)
    assert b"root:" not in r.content and b"class Store" not in r.content


def test_row_position_out_of_range_is_refused(signed_in, seeded):
    client, _ = signed_in
    rid = seeded.ids[PDF]
    n = len(seeded.store.get_report(rid).rows)
    for pos in (n, n + 100, -1):
        assert client.get(f"/reports/{rid}/rows/{pos}/crop.png").status_code == 404


def test_queue_lists_reports_errors_first(signed_in, seeded):
    client, _ = signed_in
    html = client.get("/").text
    assert "Hàng đợi rà soát" in html
    for rid in seeded.ids.values():
        assert f'href="/reports/{rid}"' in html
    r = client.get("/", params={"unit": "không-có-xã-này"})
    assert "Không có báo cáo nào phù hợp" in r.text


def test_report_page_highlights_and_crop_is_the_row(signed_in, seeded):
    client, _ = signed_in
    rid = seeded.ids[PDF]
    report = seeded.store.get_report(rid)
    html = client.get(f"/reports/{rid}").text
    low = ReviewConfig().low_confidence
    if any((r.get("confidence") or 1) < low for r in report.rows):
        assert 'class="unsure' in html or ' unsure' in html
    row, flag = _row_with_flag(report, "claimed-formula-mismatch")
    assert flag.message in html and "sev-error" in html
    r = client.get(f"/reports/{rid}/rows/{row['position']}/crop.png")
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    im = Image.open(io.BytesIO(r.content)).convert("RGB")
    x0, y0, x1, y1 = row["source"]["bbox"]
    dpi = 110
    # the crop is about the row plus its margin, not the whole page
    assert im.height < (y1 - y0 + 2 * 36) * dpi / 72 + 10
    a = np.asarray(im).astype(int)
    reds = int(((a[..., 0] > 180) & (a[..., 1] < 80) & (a[..., 2] < 80)).sum())
    assert reds > 200, "the row's outline is drawn"


def test_word_report_shows_text_in_context(signed_in, seeded):
    client, _ = signed_in
    rid = seeded.ids[WORD]
    report = seeded.store.get_report(rid)
    pos = next(r["position"] for r in report.rows if r.get("indicator"))
    html = client.get(f"/reports/{rid}", params={"row": pos}).text
    assert 'class="context"' in html
    assert client.get(f"/reports/{rid}/rows/{pos}/crop.png").status_code == 404


def test_correction_is_stored_with_audit_fields_and_rescored(signed_in, seeded):
    import rulesets
    import scoring
    client, token = signed_in
    rid = seeded.ids[PDF]
    report = seeded.store.get_report(rid)
    rs = rulesets.load(report.document["ruleset"])
    row = next(r for r in report.rows if r.get("ratio") is not None and r.get("indicator")
               and rs.indicator(r["indicator"]) is not None and r.get("computed_points") is not None)
    pos, old_claimed = row["position"], row["claimed_points"]
    r = client.post(f"/reports/{rid}/rows/{pos}", data={
        "csrf": token, "claimed_points": "7,5", "ratio": "50%", "why": "Đối chiếu bản gốc",
        "indicator": row["indicator"], "numerator": "", "denominator": "", "answer": row.get("answer") or "",
        "max_points": "" if row.get("max_points") is None else str(row["max_points"]).replace(".0", ""),
    }, follow_redirects=False)
    assert r.status_code == 303
    after = seeded.store.get_report(rid)
    mine = [c for c in after.corrections if c.position == pos]
    assert {c.field for c in mine} == {"claimed_points", "ratio"}, "only the changed fields are recorded"
    claimed = next(c for c in mine if c.field == "claimed_points")
    assert claimed.reviewer == seeded.user and claimed.at and claimed.why == "Đối chiếu bản gốc"
    assert claimed.old == old_claimed and claimed.new == 7.5
    new_row = after.rows[pos]
    assert new_row["claimed_points"] == 7.5 and new_row["ratio"] == 0.5
    figures = {k: new_row.get(k) for k in ("ratio", "numerator", "denominator", "answer", "option", "count", "amount")}
    assert new_row["computed_points"] == scoring.compute_points(rs.indicator(row["indicator"]), figures)
    assert new_row["computed_points"] != row["computed_points"]
    html = client.get(f"/reports/{rid}").text
    assert "Đối chiếu bản gốc" in html and "Lịch sử sửa đổi" in html


def test_bad_value_is_refused_with_a_message(signed_in, seeded):
    client, token = signed_in
    rid = seeded.ids[PDF]
    n = len(seeded.store.get_report(rid).corrections)
    r = client.post(f"/reports/{rid}/rows/0", data={"csrf": token, "claimed_points": "ba mươi"})
    assert r.status_code == 422 and "Không lưu được" in r.text and 'value="ba mươi"' in r.text
    assert len(seeded.store.get_report(rid).corrections) == n


def test_flag_dismissal_and_letter(signed_in, seeded):
    from docx import Document
    client, token = signed_in
    rid = seeded.ids[PDF]
    report = seeded.store.get_report(rid)
    # score flags on rows (under-claims are warnings, not errors, but still go in a letter when confirmed)
    errors = [f for f in report.flags if f.severity in ("error", "warning") and f.indicator
              and f.code != "low-confidence" and f.status == "open"]
    assert len(errors) >= 2, "the sample has inconsistencies the scoring engine flags"
    keep, drop = errors[0], errors[1]
    assert client.get(f"/reports/{rid}/letter.docx").status_code == 409     # nothing confirmed yet
    r = client.post(f"/reports/{rid}/flags/{drop.id}", data={"csrf": token, "status": "dismissed",
                                                              "reason": "Xã đã giải trình"})
    assert r.status_code == 200
    r = client.post(f"/reports/{rid}/flags/{keep.id}", data={"csrf": token, "status": "confirmed",
                                                              "reason": "Sai cách tính"})
    after = seeded.store.get_report(rid)
    status = {f.id: (f.status, f.reason) for f in after.flags}
    assert status[drop.id] == ("dismissed", "Xã đã giải trình")
    assert status[keep.id] == ("confirmed", "Sai cách tính")
    audit = next(c for c in after.corrections if c.flag_id == drop.id)
    assert (audit.old, audit.new, audit.reviewer, audit.why) == ("open", "dismissed", seeded.user,
                                                                             "Xã đã giải trình")
    # a flag of another report cannot be changed through this one
    other = seeded.ids[WORD]
    assert client.post(f"/reports/{other}/flags/{keep.id}",
                       data={"csrf": token, "status": "open"}).status_code == 404

    r = client.get(f"/reports/{rid}/letter.docx", params={"district": "Lâm Thao"})
    assert r.status_code == 200
    doc = Document(io.BytesIO(r.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "UBND HUYỆN LÂM THAO" in " ".join(cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in " ".join(cells)
    assert "V/v đề nghị giải trình số liệu chuyển đổi số" in " ".join(cells)
    assert (after.document["unit"]["name"] or "") in text
    assert keep.indicator in cells and drop.indicator not in cells
    # the reviewer's reason is internal: not in the letter, "(nội bộ)" on the page
    assert not any("Sai cách tính" in c for c in cells) and "Ghi chú" not in " ".join(cells)
    assert "(nội bộ)" in client.get(f"/reports/{rid}").text
    # ticked "đưa vào thư": the commune reads it
    client.post(f"/reports/{rid}/flags/{keep.id}", data={"csrf": token, "status": "confirmed",
                                                         "reason": "Sai cách tính", "for_letter": "1"})
    r = client.get(f"/reports/{rid}/letter.docx", params={"district": "Lâm Thao"})
    cells = [c.text for t in Document(io.BytesIO(r.content)).tables for row in t.rows for c in row.cells]
    assert any("Ghi chú: Sai cách tính" in c for c in cells)
    page = client.get(f"/reports/{rid}").text
    assert "(đưa vào thư)" in page and 'name="for_letter" value="1" checked' in page


def test_mark_reviewed(signed_in, seeded):
    client, token = signed_in
    rid = seeded.ids[WORD]
    client.post(f"/reports/{rid}/reviewed", data={"csrf": token, "value": "1"})
    rec = seeded.store.get_report(rid)
    assert rec.reviewed is True and rec.reviewed_by == seeded.user
    # Word and PDF are two versions of one submission: it stays to do until both are reviewed
    todo = client.get("/").text
    assert f'href="/reports/{rid}"' in todo and "1 bản chưa rà soát" in todo
    other = seeded.ids[PDF]
    client.post(f"/reports/{other}/reviewed", data={"csrf": token, "value": "1"})
    assert "Thị trấn Hùng Sơn" not in client.get("/").text          # reviewed leave the to-do queue
    assert f'href="/reports/{rid}"' in client.get("/", params={"show": "all"}).text


def test_export_json_has_corrections_applied(signed_in, seeded):
    client, _ = signed_in
    docs = client.get("/export/reports.json").json()
    assert {d["sha256"] for d in docs} == {seeded.store.get_report(i).sha256 for i in seeded.ids.values()}
    assert all("review" in d for d in docs)


def test_user_add_command_hashes_with_argon2(tmp_path):
    url = f"sqlite:///{tmp_path / 'u.sqlite'}"
    cmd = [sys.executable, "-m", "commands.cli", "user", "add", "nguyenvana", "--password-stdin", "--db", url]
    r = subprocess.run(cmd, input="mot-mat-khau-dai\n", capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    r2 = subprocess.run(cmd, input="mot-mat-khau-dai\n", capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r2.returncode == 1 and "đã có" in r2.stderr
    from store.store import Store
    store = Store(url)
    with Session(store.engine) as s:
        user = s.scalar(select(User).where(User.name == "nguyenvana"))
        assert user.password_hash.startswith("$argon2") and "mot-mat-khau-dai" not in user.password_hash
        assert s.scalar(select(Correction)) is None
    store.close()


def test_export_ranking_is_the_scoring_ranking(signed_in, seeded):
    import openpyxl
    client, _ = signed_in
    doc = seeded.store.get_report(seeded.ids[PDF]).document
    r = client.get("/export/ranking.xlsx", params={"ruleset": doc["ruleset"]})
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    values = [str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    assert doc["unit"]["name"] in values
    assert client.get("/export/ranking.xlsx", params={"ruleset": "khong-co"}).status_code == 409


def test_a_row_shows_why_the_machine_is_unsure(signed_in, seeded):
    client, _ = signed_in
    rid = seeded.ids[PDF]
    report = seeded.store.get_report(rid)
    unsure = [r for r in report.rows if r.get("reasons")]
    assert unsure, "the Hùng Sơn rows whose figures cell holds a rule, not a rate, carry reasons"
    import html
    page = html.unescape(client.get(f"/reports/{rid}").text)
    assert "Vì sao máy chưa chắc chắn" in page
    assert unsure[0]["reasons"][0] in page


def test_report_page_shows_each_rows_rule_in_the_decisions_words(signed_in, seeded):
    """The computed points say which rule gave them, worded by the rule's kind (rulesets.kinds)."""
    from markupsafe import escape

    import rulesets
    from rulesets.kinds import describe
    client, _ = signed_in
    rid = seeded.ids[PDF]
    report = seeded.store.get_report(rid)
    rs = rulesets.load(report.document["ruleset"])
    html = client.get(f"/reports/{rid}").text
    shown = [r for r in report.rows if r.get("indicator") and rs.indicator(r["indicator"])
             and not rs.indicator(r["indicator"]).heading]
    assert shown
    for r in shown:
        assert f'title="Quy tắc: {escape("; ".join(describe(rs.indicator(r["indicator"]).rule)))}"' in html
