"""The review page hardened for the office LAN (issue #12): accounts with Vietnamese names,
server-side sessions that logout ends, login throttling, Secure cookies over HTTPS, and
files readable only by their owner. Run on SQLite and PostgreSQL (the `db_url` fixture)."""
from __future__ import annotations

import subprocess
import sys
import unicodedata

import pytest
from fastapi.testclient import TestClient
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
