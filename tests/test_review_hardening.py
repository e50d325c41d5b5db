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

from settings import settings
from store.store import Store
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
    cmd = [sys.executable, "-m", "commands.cli", "user", "add", HOA, "--password-stdin", "--db", db_url]
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


def _set_cookie(resp) -> str:
    return next(v for k, v in resp.headers.multi_items() if k == "set-cookie" and v.startswith("dti_session="))


def _fresh_cookie(client, **headers) -> str:
    """The session cookie a first visit gets (a visit with the cookie already set gets none)."""
    client.cookies.clear()
    return _set_cookie(client.get("/login", headers=headers)).lower()


def test_cookie_is_secure_over_https_and_not_over_plain_http(store):
    with make_client(store) as client:
        r = client.get("/login")
        assert "secure" not in _set_cookie(r).lower() and "samesite=strict" in _set_cookie(r).lower()
        assert "strict-transport-security" not in r.headers
        # a client's own X-Forwarded-Proto is not believed when no proxy is trusted
        assert "secure" not in _fresh_cookie(client, **{"X-Forwarded-Proto": "https"})
    with make_client(store, base_url="https://testserver") as client:
        r = client.get("/login")
        assert "; secure" in _set_cookie(r).lower() and "httponly" in _set_cookie(r).lower()
        assert r.headers["strict-transport-security"].startswith("max-age=")
        login(client, "kiemtra")
        assert client.get("/", follow_redirects=False).status_code == 200
    with make_client(store, https_only=True) as client:
        assert "; secure" in _fresh_cookie(client)


def test_forwarded_proto_is_believed_from_a_trusted_proxy_only(store):
    # TestClient's peer address is "testclient": here that is the proxy
    with make_client(store, trusted_proxies=["testclient"]) as client:
        assert "; secure" in _fresh_cookie(client, **{"X-Forwarded-Proto": "https"})
        assert "secure" not in _fresh_cookie(client, **{"X-Forwarded-Proto": "http"})
    with make_client(store, trusted_proxies=["10.0.0.1"]) as client:
        assert "secure" not in _fresh_cookie(client, **{"X-Forwarded-Proto": "https"})


def test_a_user_name_is_throttled_across_addresses_behind_the_proxy(store):
    clock = Clock()
    with make_client(store, clock=clock, trusted_proxies=["testclient"]) as client:
        token = csrf_of(client.get("/login").text)
        for i in range(5):
            client.headers["X-Forwarded-For"] = f"spoofed, 192.168.1.{10 + i}"
            assert _try(client, "kiemtra", "sai-mat-khau", token).status_code == 401
        client.headers["X-Forwarded-For"] = "192.168.1.99"
        r = _try(client, "kiemtra", PASSWORD, token)
        assert r.status_code == 429 and "chờ 1 phút" in r.text
        # another reviewer at that address is not held up: no address has five failures
        with sessionmaker(store.engine).begin() as s:
            add_user(s, HOA, PASSWORD)
        assert _try(client, HOA, PASSWORD, token).status_code == 303


def _free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_dti_review_serves_https_with_a_secure_cookie(tmp_path):
    import os
    import time

    import httpx
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    port = _free_port()
    env = {**os.environ, "DTI_SECRET_KEY": "s" * 48}
    proc = subprocess.Popen([sys.executable, "-m", "commands.cli", "review", "--port", str(port),
                             "--db", f"sqlite:///{tmp_path / 'dti.sqlite'}",
                             "--ssl-certfile", str(cert), "--ssl-keyfile", str(key)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline, r = time.monotonic() + 60, None
        while time.monotonic() < deadline and r is None:
            try:
                r = httpx.get(f"https://127.0.0.1:{port}/login", verify=str(cert), timeout=2)
            except httpx.TransportError:
                assert proc.poll() is None, proc.stdout.read().decode()
                time.sleep(0.3)
        assert r is not None and r.status_code == 200
        assert "; secure" in _set_cookie(r).lower()
        with pytest.raises(httpx.TransportError):       # plain HTTP is not served on that port
            httpx.get(f"http://127.0.0.1:{port}/login", timeout=2).raise_for_status()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_dti_review_wants_both_halves_of_the_certificate(tmp_path):
    r = subprocess.run([sys.executable, "-m", "commands.cli", "review", "--ssl-certfile", str(tmp_path / "c.pem")],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 2 and "--ssl-keyfile" in r.stderr


def _mode(path) -> int:
    import stat
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_sqlite_store_is_readable_by_its_owner_only(tmp_path):
    import os
    old = os.umask(0o002)           # a permissive umask must not leak into the file's mode
    try:
        store = Store(f"sqlite:///{tmp_path / 'sub' / 'dti.sqlite'}")
        with sessionmaker(store.engine).begin() as s:
            add_user(s, "kiemtra", PASSWORD)
        wal = tmp_path / "sub" / "dti.sqlite-wal"
        assert _mode(tmp_path / "sub" / "dti.sqlite") == 0o600
        assert wal.exists() and _mode(wal) == 0o600      # SQLite copies the database's mode
        store.close()
    finally:
        os.umask(old)


def test_the_session_secret_is_made_0600_atomically_and_kept(tmp_path, monkeypatch):
    import os

    from review.config import SECRET_FILE, load_secret
    monkeypatch.delenv("DTI_SECRET_KEY", raising=False)
    settings.reload()
    old = os.umask(0)
    try:
        key = load_secret(tmp_path)
    finally:
        os.umask(old)
    path = tmp_path / SECRET_FILE
    assert _mode(path) == 0o600 and len(key) >= 32
    assert load_secret(tmp_path) == key                   # kept across restarts
    assert [p.name for p in tmp_path.iterdir()] == [SECRET_FILE]      # no temporary file left behind
    path.chmod(0o644)                                     # left loose by an older version
    assert load_secret(tmp_path) == key and _mode(path) == 0o600


def test_signing_in_again_ends_the_previous_session(store):
    with make_client(store) as client:
        login(client, "kiemtra")
        first = dict(client.cookies)
        login(client, "kiemtra")
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM review_sessions")).scalar() == 1
    with make_client(store) as replay:
        replay.cookies.update(first)
        assert replay.get("/", follow_redirects=False).status_code == 303


def test_failure_counts_idle_for_a_day_are_forgotten(store):
    clock = Clock()
    with make_client(store, clock=clock) as client:
        for i in range(3):
            _try(client, f"ten-doan-{i}", "sai-mat-khau")
        clock.advance(days=1, seconds=1)
        _try(client, "kiemtra", "sai-mat-khau")
        with store.engine.connect() as conn:
            keys = set(conn.execute(text("SELECT key FROM login_failures")).scalars())
        assert keys == {"user:kiemtra", "addr:testclient"}
