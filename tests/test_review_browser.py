"""A reviewer's whole round in real headless Chromium (Debian's, driven by Playwright; no download)."""
from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from reviewkit import ROOT, seed

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
PDF = "hungson-2022.pdf"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    pytest.importorskip("playwright.sync_api")
    import uvicorn

    from review.app import create_app
    from review.config import ReviewConfig
    seeded = seed(tmp_path_factory.mktemp("review-browser"), [PDF])
    app = create_app(ReviewConfig(database_url=seeded.store.url, secret_key="b" * 48), seeded.store)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield seeded, f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)
    seeded.store.close()


def _shot(page, name: str, tmp: Path) -> None:
    path = tmp / name
    page.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 10_000
    if os.environ.get("DTI_SCREENSHOTS"):       # refresh the README's pictures on request
        shutil.copyfile(path, ROOT / "docs" / "screenshots" / name)


def test_reviewer_round_in_chromium(server, tmp_path):
    from playwright.sync_api import expect, sync_playwright
    seeded, base = server
    rid = seeded.ids[PDF]
    report = seeded.store.get_report(rid)
    flag = next(f for f in report.flags if f.code == "claimed-formula-mismatch")
    row = next(r for r in report.rows if r.get("indicator") == flag.indicator)
    pos = row["position"]
    other = next(f for f in report.flags if f.severity == "error" and f.id != flag.id)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="vi-VN")
        page.set_default_timeout(20_000)
        page.goto(base + "/")
        expect(page).to_have_url(base + "/login?next=/")
        page.fill("input[name=username]", seeded.user)
        page.fill("input[name=password]", seeded.password)
        page.click("button[type=submit]")
        expect(page.locator("h1")).to_have_text("Hàng đợi rà soát")
        _shot(page, "queue.png", tmp_path)

        page.click(f'a[href="/reports/{rid}"]')
        expect(page).to_have_url(f"{base}/reports/{rid}")
        detail = page.locator(f"#detail-{pos}")
        expect(detail).to_be_hidden()
        page.click(f"#row-{pos} td.label")
        expect(detail).to_be_visible()
        img = detail.locator("img.crop")
        expect(img).to_be_visible()
        page.wait_for_function("img => img.complete && img.naturalWidth > 100", arg=img.element_handle())
        page.evaluate("window.scrollTo(0, 0)")
        _shot(page, "report.png", tmp_path)
        img.scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, -260)")
        _shot(page, "report-row.png", tmp_path)

        new_claimed = "12,5"
        detail.locator("input[name=claimed_points]").fill(new_claimed)
        detail.locator("input[name=why]").fill("Đối chiếu bản gốc")
        detail.locator("button.primary").click()
        expect(page.locator(".flash")).to_contain_text("Đã lưu sửa đổi")
        expect(page.locator(f"#row-{pos} td.claimed")).to_contain_text(new_claimed)

        flag_row = page.locator(f"#flag-{other.id}")
        flag_row.locator("input[name=reason]").fill("Xã đã giải trình, số liệu đúng")
        flag_row.locator("button.dismiss").click()
        expect(page.locator(f"#flag-{other.id}")).to_contain_text("Đã bỏ qua")

        page.click("#mark-reviewed")
        expect(page.locator(".flash")).to_contain_text("đã rà soát")
        page.goto(base + f"/reports/{rid}#history")
        expect(page.locator("#history")).to_contain_text("Đối chiếu bản gốc")
        browser.close()

    after = seeded.store.get_report(rid)
    c = next(c for c in after.corrections if c.field == "claimed_points")
    assert (c.position, c.old, c.new, c.reviewer, c.why) == (
        pos, row["claimed_points"], 12.5, seeded.user, "Đối chiếu bản gốc")
    assert c.at
    assert after.rows[pos]["claimed_points"] == 12.5
    f = next(f for f in after.flags if f.id == other.id)
    assert (f.status, f.reason) == ("dismissed", "Xã đã giải trình, số liệu đúng")
    assert after.reviewed is True and after.reviewed_by == seeded.user
