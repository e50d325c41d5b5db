"""Test helpers: a store seeded the way the pipeline seeds it, and a signed-in client.

Kept under tests/ so nothing in the product can import a test helper.

A sample report is read once per test process (the real extract → match →
score chain) and its bytes kept, so every test module archives the very file
the stored sha256 and bboxes belong to, even if samples/ is regenerated meanwhile.
"""
from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "mat-khau-thu-nghiem"


@functools.cache
def processed(sample: str) -> tuple[bytes, dict]:
    """(file bytes, contract document) for samples/<sample>, read by the real pipeline stages."""
    import tempfile

    from pipeline.stages import process_file
    src = ROOT / "samples" / sample
    data = src.read_bytes()
    with tempfile.TemporaryDirectory(prefix="dti-review-seed-") as tmp:
        copy = Path(tmp) / sample
        copy.write_bytes(data)
        doc = process_file(copy).to_dict()
    return data, doc


@dataclass
class Seeded:
    store: object
    inbox: Path
    ids: dict[str, int]          # sample name -> report id
    user: str = "kiemtra"
    password: str = PASSWORD


def seed(tmp: Path, samples: list[str], user: str = "kiemtra", url: str | None = None) -> Seeded:
    """A fresh store (``url``, else SQLite in ``tmp``) holding ``samples`` as a pipeline run would
    leave them: each original archived under inbox/archive/YYYY-MM-DD/, its inbox name in the store."""
    from sqlalchemy.orm import sessionmaker

    from matchers.report import Report
    from store.store import Store
    from review.users import add_user
    inbox = tmp / "inbox"
    day = inbox / "archive" / date.today().isoformat()
    day.mkdir(parents=True, exist_ok=True)
    store = Store(url or f"sqlite:///{tmp / 'dti.sqlite'}")
    run_id = store.start_run("once", inbox=str(inbox))
    ids = {}
    for sample in samples:
        data, doc = processed(sample)
        (day / sample).write_bytes(data)
        ids[sample] = store.save_report(Report.from_dict({**doc, "file": sample}), run_id, sample)
    store.finish_run(run_id, processed=len(samples))
    with sessionmaker(store.engine).begin() as s:
        add_user(s, user, PASSWORD)
    return Seeded(store, inbox, ids, user)


@contextlib.contextmanager
def seeded_store(tmp: Path, samples: list[str], url: str | None = None, ocr: bool = False):
    """``seed`` for a module's fixture: yields the seeded store, closed when the module is done;
    with ``ocr`` the scans and photos are read with OCR replayed (``replayed_ocr``)."""
    with replayed_ocr() if ocr else contextlib.nullcontext():
        s = seed(tmp, samples, url=url)
    try:
        yield s
    finally:
        s.store.close()


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    if not m:
        raise AssertionError("no CSRF token in the page")
    return m.group(1)


def login(client, user: str, password: str = PASSWORD) -> str:
    """Sign a TestClient in; returns the session's CSRF token."""
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"username": user, "password": password, "csrf": token, "next": "/"},
                    follow_redirects=False)
    if r.status_code != 303:
        raise AssertionError(f"login failed: {r.status_code}")
    return csrf_of(client.get("/").text)


def remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def replayed_ocr():
    """tesseract's output for the samples replayed from tests/ocr_cache (fast, and the same
    reading on every machine); the variable is put back as it was."""
    from settings import settings
    old = os.environ.get("DTI_OCR_CACHE")
    os.environ["DTI_OCR_CACHE"] = str(ROOT / "tests" / "ocr_cache")
    settings.reload()
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("DTI_OCR_CACHE", None)
        else:
            os.environ["DTI_OCR_CACHE"] = old
        settings.reload()


@contextlib.contextmanager
def signed_in(seeded: Seeded):
    """A TestClient on the review app over ``seeded``'s store, signed in; yields (client, csrf)."""
    from fastapi.testclient import TestClient

    from review.app import create_app
    from review.config import ReviewConfig
    app = create_app(ReviewConfig(database_url=seeded.store.url, secret_key="k" * 48), seeded.store)
    with TestClient(app) as c:
        yield c, login(c, seeded.user)
