"""A cross-report flag on the review page: the evidence side by side (both rows' values, the
crop of this report's page), settled like any flag, in the letter only once confirmed."""
from __future__ import annotations

import dataclasses
import io

from docx import Document

from matchers.report import Report, Unit
from store import crosschecks
from reviewkit import seed, signed_in, csrf_of

PDF = "hungson-2022.pdf"


def test_the_page_shows_both_sides_and_the_letter_waits_for_confirmation(tmp_path):
    s = seed(tmp_path, [PDF])
    rid = s.ids[PDF]
    mine = s.store.get_report(rid).original
    # the same file handed in under another commune's name (one clerk's file reused)
    copy = dataclasses.replace(mine, sha256="c" * 64, file="xa-khac.pdf",
                               unit=Unit(name="Xã Phù Ninh", level=mine.unit.level, year=mine.unit.year))
    other = s.store.save_report(Report.from_dict(copy.to_dict()))
    assert crosschecks.run(s.store)["copied-between-units"] == 2
    flag = next(f for f in s.store.get_report(rid).flags if f.code == "copied-between-units")
    with signed_in(s) as (c, token):
        page = c.get(f"/reports/{rid}").text
        assert f'id="cross-{flag.id}"' in page and "Đối chiếu với các báo cáo khác" in page
        assert f'href="/reports/{other}"' in page and "Xã Phù Ninh" in page
        crop = f"/reports/{rid}/rows/"
        assert crop in page and "crop.png" in page
        first_crop = page[page.index(crop):].split('"')[0]
        r = c.get(first_crop)
        assert r.status_code == 200 and r.headers["content-type"] == "image/png"
        # not in the letter while open
        assert c.get(f"/reports/{rid}/letter.docx").status_code == 409
        r = c.post(f"/reports/{rid}/flags/{flag.id}", data={"status": "confirmed", "reason": "giống hệt", "csrf": token},
                   follow_redirects=False)
        assert r.status_code == 303
        letter = c.get(f"/reports/{rid}/letter.docx")
        assert letter.status_code == 200
        text = "\n".join(cell.text for t in Document(io.BytesIO(letter.content)).tables for row in t.rows
                         for cell in row.cells)
        assert "Xã Phù Ninh" in text
        # the other report's page shows this one back
        assert f'href="/reports/{rid}"' in c.get(f"/reports/{other}").text
        assert csrf_of(page)
    # the settlement survives the next pass's checks
    crosschecks.run(s.store)
    assert next(f for f in s.store.get_report(rid).flags if f.id == flag.id).status == "confirmed"
    s.store.close()
