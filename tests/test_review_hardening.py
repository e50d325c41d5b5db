"""The review page hardened for the office LAN (issue #12): accounts with Vietnamese names,
server-side sessions that logout ends, login throttling, Secure cookies over HTTPS, and
files readable only by their owner. Run on SQLite and PostgreSQL (the `db_url` fixture)."""
from __future__ import annotations

import subprocess
import sys
import unicodedata
from datetime import datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from pipeline.store import Store
from review.app import create_app
from review.config import ReviewConfig
from review.users import UserError, add_user
from reviewkit import PASSWORD, ROOT, csrf_of, login

HOA = "Nguyễn Thị Hoa"


@pytest.fixture()
def store(db_url):
    s = Store(db_url)
    with sessionmaker(s.engine).begin() as ses:
        add_user(ses, "kiemtra", PASSWORD)
    yield s
    s.close()


def make_client(store, base_url="http://testserver", **cfg) -> TestClient:
    app = create_app(ReviewConfig(database_url=store.url, secret_key="k" * 48, **cfg), store)
    return TestClient(app, base_url=base_url)


def test_vietnamese_name_with_spaces_added_by_the_command_signs_in_either_spelling(db_url):
    cmd = [sys.executable, "-m", "pipeline.cli", "user", "add", HOA, "--password-stdin", "--db", db_url]
    r = subprocess.run(cmd, input=PASSWORD + "\n", capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    assert HOA in r.stdout
    store = Store(db_url)
    try:
        decomposed = unicodedata.normalize("NFD", HOA)
        assert decomposed != HOA
        # the same person typed decomposed, with doubled and outer spaces, is refused as a duplicate
        with pytest.raises(UserError, match="đã có"), sessionmaker(store.engine).begin() as s:
            add_user(s, "  " + decomposed.replace(" ", "  ") + " ", PASSWORD)
        with make_client(store) as client:
            login(client, decomposed)
            assert HOA in client.get("/").text
    finally:
        store.close()


@pytest.mark.parametrize("bad", ["a", "dấu/gạch", "nul\x00", "x" * 65, "semi;colon", "<script>"])
def test_names_still_refuse_odd_characters(bad, tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'u.sqlite'}")
    try:
        with pytest.raises(UserError), sessionmaker(store.engine).begin() as s:
            add_user(s, bad, PASSWORD)
    finally:
        store.close()


class Clock:
    """A settable clock for the app: waits and expiry tested without sleeping."""

    def __init__(self):
        self.now = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw) -> None:
        self.now += timedelta(**kw)


def _try(client, user, password, token=None):
    token = token or csrf_of(client.get("/login").text)
    return client.post("/login", data={"username": user, "password": password, "csrf": token, "next": "/"},
                       follow_redirects=False)


def test_a_cookie_replayed_after_logout_is_refused(store):
    with make_client(store) as client:
        token = login(client, "kiemtra")
        copied = dict(client.cookies)
        assert client.get("/", follow_redirects=False).status_code == 200
        r = client.post("/logout", data={"csrf": token}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login"
    with make_client(store) as replay:
        replay.cookies.update(copied)
        r = replay.get("/", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login")
        r = replay.post("/reports/1/reviewed", data={"value": "1", "csrf": token}, follow_redirects=False)
        assert r.status_code == 401
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM review_sessions")).scalar() == 0


def test_the_session_table_holds_no_usable_token(store):
    with make_client(store) as client:
        login(client, "kiemtra")
        with store.engine.connect() as conn:
            (sid,) = conn.execute(text("SELECT id FROM review_sessions")).one()
        cookie = client.cookies["dti_session"]
        assert sid not in cookie


def test_sessions_expire(store):
    clock = Clock()
    with make_client(store, clock=clock, session_hours=12) as client:
        login(client, "kiemtra")
        clock.advance(hours=11, minutes=59)
        assert client.get("/", follow_redirects=False).status_code == 200
        clock.advance(minutes=2)
        r = client.get("/", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login")
        login(client, "kiemtra")            # and signing in again works
        assert client.get("/", follow_redirects=False).status_code == 200


def test_five_failures_wait_a_minute_then_doubling_and_success_resets(store):
    clock = Clock()
    with make_client(store, clock=clock) as client:
        for _ in range(5):
            assert _try(client, "kiemtra", "sai-mat-khau").status_code == 401
        r = _try(client, "kiemtra", PASSWORD)          # even the right password waits
        assert r.status_code == 429 and "chờ 1 phút" in r.text and r.headers["Retry-After"] == "61"
        clock.advance(seconds=30)
        r = _try(client, "kiemtra", PASSWORD)
        assert r.status_code == 429 and "chờ 30 giây" in r.text
        clock.advance(seconds=31)
        assert _try(client, "kiemtra", "sai-mat-khau").status_code == 401    # the 6th failure
        r = _try(client, "kiemtra", PASSWORD)
        assert r.status_code == 429 and "chờ 2 phút" in r.text
        clock.advance(minutes=2, seconds=1)
        assert _try(client, "kiemtra", "sai-mat-khau").status_code == 401    # the 7th
        assert "chờ 4 phút" in _try(client, "kiemtra", PASSWORD).text
        clock.advance(minutes=4, seconds=1)
        assert _try(client, "kiemtra", PASSWORD).status_code == 303          # success resets
        for _ in range(4):
            assert _try(client, "kiemtra", "sai-mat-khau").status_code == 401
        assert _try(client, "kiemtra", PASSWORD).status_code == 303


def test_failures_from_one_address_over_many_names_wait_too(store):
    clock = Clock()
    with make_client(store, clock=clock) as client:
        for i in range(5):
            assert _try(client, f"doan-ten-{i}", "sai-mat-khau").status_code == 401
        r = _try(client, "kiemtra", PASSWORD)
        assert r.status_code == 429 and "chờ 1 phút" in r.text
        clock.advance(seconds=61)
        assert _try(client, "kiemtra", PASSWORD).status_code == 303
