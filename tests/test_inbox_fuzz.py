"""Fuzz and soak test of the inbox (#18): whatever lands in it, under whatever name, each file
ends in exactly one place and no pass ever ends in a traceback.

Hypothesis draws inboxes of files with hostile names (bytes that are not UTF-8, names of
200-255 bytes, the same name in NFC and NFD, leading dashes, newlines and other control
characters, bidi overrides) and hostile contents (Word samples, small text reports,
truncated and bit-flipped copies of the samples, empty files, random bytes); the real
``run_pass`` with the real readers takes them twice.  After every run:

- each input file is in exactly one of archive/ (read, or a copy of a stored report),
  quarantine/ (with its bilingual reason file) or the inbox itself (kept apart: names the
  scanner never takes, files still being written), under its original bytes;
- each stored report is stored once, under a name that is text and leads back to the bytes;
- nothing is left in processing/; no traceback in any log or output; no file was handled
  by the program's own failure path (a name must never be a reason to fail);
- a second pass finds nothing to do.

The deterministic tests add what a draw should not pay for each time (a sparse file over
the size limit, a file still being written, `dti run` and `dti export` as a user runs them,
both databases), and the last one drops files into a running `dti serve`.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import random
import shutil
import subprocess
import sys
import threading
import time
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from store import filenames
from pipeline.batch import reset, run_pass
from settings.config import PipelineConfig
from store.store import Store

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SAMPLES = ROOT / "samples"
WORD = [SAMPLES / "hungson-2022.docx", SAMPLES / "hungyen-2024-criteria.docx"]
ODD = b"b\xe1o-c\xe1o-x\xe3.docx"            # "báo-cáo-xã.docx" in CP1258/Latin-1: not UTF-8
STATE = {b"processing", b"archive", b"quarantine"}
MAX_MB = 100                                 # extractors.options.ReadOptions.max_file_mb


def text_report(n: int) -> bytes:
    return (f"BÁO CÁO ĐÁNH GIÁ MỨC ĐỘ CHUYỂN ĐỔI SỐ NĂM 2024\nXã Thử {n} - huyện Văn Lâm\n"
            f"1.1 Trưởng ban Ban chỉ đạo chuyển đổi số: Có {n % 20} 20\n").encode()


# ---- what the inbox receives ----------------------------------------------------------------------
def _clean_bytes(b: bytes) -> bytes:
    return b.replace(b"/", b"_").replace(b"\0", b"_")


_WORDS = st.sampled_from(["báo cáo", "Xã Tân Dân", "chuyển đổi số", "Hưng Yên", "đánh giá", "nộp lại", "bản cuối"])
_SUFFIX = st.sampled_from([b".docx", b".txt", b".DOCX", b".pdf", b""])

invalid_utf8 = st.builds(lambda a, x, b: _clean_bytes(a + bytes([x]) + b),
                         st.binary(max_size=12), st.integers(0x80, 0xFF), st.binary(max_size=12))
any_text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="/\0"), min_size=1, max_size=24) \
    .map(lambda s: s.encode("utf-8"))
controls = st.builds(lambda w, c: (w[:3] + c + w[3:]).encode(), _WORDS,
                     st.sampled_from(["\n", "\r\n", "\t", "\x1b[31m", "\u202e", "\x7f"]))
dashes = st.builds(lambda d, w: (d + w).encode(), st.sampled_from(["-", "--", "-rf ", "--help"]), _WORDS)
# near NAME_MAX: cut at a byte count, so sometimes in the middle of a character (not UTF-8 then)
long_names = st.builds(lambda w, n: ((w + " ").encode() * 60)[:n], _WORDS, st.integers(200, 250))
stems = st.one_of(invalid_utf8, any_text, controls, dashes, long_names, _WORDS.map(str.encode))


@st.composite
def names(draw) -> bytes:
    stem, suffix = draw(stems), draw(_SUFFIX)
    name = (stem + suffix)[-255:] if len(stem + suffix) > 255 else stem + suffix
    if name in (b".", b"..", b""):
        name = b"x" + name
    return name


def _flip(data: bytes, rnd: random.Random, n: int) -> bytes:
    b = bytearray(data)
    for _ in range(n):
        i = rnd.randrange(len(b))
        b[i] ^= 1 << rnd.randrange(8)
    return bytes(b)


KINDS = ("word", "word", "text", "truncated", "flipped", "empty", "random")


def make(kind: str, seed: int) -> bytes:
    """The bytes of one drawn file (drawn as (kind, seed): a failing draw prints short)."""
    rnd = random.Random(seed)
    word = WORD[seed % len(WORD)].read_bytes()
    if kind == "word":
        return word
    if kind == "text":
        return text_report(seed)
    if kind == "truncated":
        return word[:rnd.randrange(1, len(word))]
    if kind == "flipped":
        return _flip(word, rnd, 1 + seed % 8)
    if kind == "empty":
        return b""
    return rnd.randbytes(rnd.randrange(1, 4096))


contents = st.tuples(st.sampled_from(KINDS), st.integers(0, 2**16))


@st.composite
def inboxes(draw) -> dict[bytes, tuple[str, int]]:
    """rel path (bytes) -> (kind, seed); sometimes a name in NFC and NFD both, sometimes a subfolder."""
    files: dict[bytes, tuple[str, int]] = {}
    for _ in range(draw(st.integers(1, 5))):
        files[draw(names())] = draw(contents)
    if draw(st.booleans()):
        word = draw(_WORDS) + ".docx"
        nfc, nfd = unicodedata.normalize("NFC", word).encode(), unicodedata.normalize("NFD", word).encode()
        same = draw(st.booleans())
        files[nfc] = ("word", 0)
        files[nfd] = ("word", 0 if same else 1)
    if draw(st.booleans()):
        sub = draw(st.one_of(invalid_utf8, dashes, _WORDS.map(str.encode)))[:100].lstrip(b".") or b"d"
        if sub not in files:
            files[sub + b"/" + draw(names())] = draw(contents)
    return files


# ---- what is where afterwards ----------------------------------------------------------------------
def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _walk(root: bytes, skip_top: set[bytes] = frozenset()):
    for dirpath, dirnames, names_ in os.walk(root):
        if dirpath == root:
            dirnames[:] = [d for d in dirnames if d not in skip_top]
        for n in names_:
            p = os.path.join(dirpath, n)
            yield os.path.relpath(p, root), p


def inventory(inbox: Path) -> dict[str, list[tuple[bytes, str]]]:
    """place -> [(file name as bytes, sha256)], the pipeline's own notes and reasons left out."""
    root = os.fsencode(inbox)
    out: dict[str, list[tuple[bytes, str]]] = {"archive": [], "quarantine": [], "inbox": []}
    for rel, p in _walk(root, STATE):
        out["inbox"].append((rel, sha(Path(os.fsdecode(p)).read_bytes())))
    for place in ("archive", "quarantine"):
        base = os.path.join(root, place.encode())
        for rel, p in _walk(base):
            if rel.endswith((b".note.txt", b".reason.txt")):
                continue
            out[place].append((os.path.basename(rel), sha(Path(os.fsdecode(p)).read_bytes())))
    return out


def check_invariants(cfg: PipelineConfig, files: dict[bytes, bytes], output: str = "") -> dict:
    inv = inventory(cfg.inbox)
    placed = [(name, h) for place in inv.values() for name, h in place]
    wanted = [(os.path.basename(rel), sha(data)) for rel, data in files.items()]
    # each input in exactly one place, under its original bytes
    assert Counter(placed) == Counter(wanted), f"placed {placed}\nwanted {wanted}"
    left = {rel for rel, _ in inv["inbox"]}
    assert left <= set(files), left - set(files)
    processing = [p for p in Path(cfg.processing).rglob("*")] if Path(cfg.processing).exists() else []
    assert not processing, f"left in processing/: {processing}"
    for q in (p for p in Path(cfg.quarantine).rglob("*") if p.is_file()):
        if not q.name.endswith(".reason.txt"):
            continue
        text = q.read_bytes().decode("utf-8")          # written as UTF-8, whatever the name
        assert "Lý do:" in text and "Reason:" in text, text
    quarantined = [n for n, _ in inv["quarantine"]]
    reasons = [p for p in Path(cfg.quarantine).rglob("*.reason.txt")]
    assert len(reasons) == len(quarantined), (reasons, quarantined)
    # stored at most once, under a name that is text and leads back to the bytes
    store = Store(cfg.database_url)
    try:
        stored = store.reports()
    finally:
        store.close()
    by_sha = Counter(r.sha256 for r in stored)
    assert all(n == 1 for n in by_sha.values()), by_sha
    assert set(by_sha) <= {sha(d) for d in files.values()}
    for r in stored:
        for name in r.file_names:
            name.encode("utf-8")
            assert not any(unicodedata.category(c) == "Cc" for c in name), repr(name)
            assert any(os.fsencode(n) in files for n in filenames.on_disk(name)), (name, list(files))
    # ours (the readers' log, dti serve's output); the Prefect server's own log is its business
    # (a busy SQLite there is said by `dti serve` in one line, see deploy/serve_watch.py)
    logs = "".join(p.read_text(encoding="utf-8", errors="replace") for p in Path(cfg.log_dir).rglob("*.log")
                   if p.name != "prefect-server.log")
    assert "Traceback" not in logs + output, (logs + output)[-3000:]
    return {"inventory": inv, "stored": stored}


def make_cfg(tmp: Path, log_dir: Path, **kw) -> PipelineConfig:
    return PipelineConfig(inbox=tmp / "inbox", database_url=f"sqlite:///{tmp / 'dti.sqlite'}",
                          stable_seconds=kw.pop("stable_seconds", 0), workers=2, timeout=90, retries=0,
                          log_dir=log_dir, **kw)


def drop(inbox: Path, files: dict[bytes, bytes]) -> None:
    for rel, data in files.items():
        p = os.path.join(os.fsencode(inbox), rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data)


@pytest.fixture(scope="module")
def shared_logs(tmp_path_factory):
    """One log folder (so one pool of reading processes) for every draw of the module."""
    path = tmp_path_factory.mktemp("fuzz-logs")
    yield path
    reset()


# ---- the draws -------------------------------------------------------------------------------------
@settings(max_examples=8, deadline=None, derandomize=True, database=None,
          phases=(Phase.explicit, Phase.generate),      # no shrinking: each step is a real pass
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(drawn=inboxes())
def test_any_names_and_contents_end_in_exactly_one_place(drawn, tmp_path_factory, shared_logs, caplog):
    files = {rel: make(*what) for rel, what in drawn.items()}
    tmp = tmp_path_factory.mktemp("fuzz")
    cfg = make_cfg(tmp, shared_logs)
    cfg.inbox.mkdir(parents=True)
    drop(cfg.inbox, files)
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        first = run_pass(cfg)
        again = run_pass(cfg)
    said = "\n".join(r.getMessage() for r in caplog.records)
    assert not [o for o in first.outcomes if o.unexpected], [(o.rel, o.reason) for o in first.outcomes]
    assert not first.pending and not again.outcomes and not again.pending, again
    seen = check_invariants(cfg, files, said)
    # a Word sample is a report whatever its name: read and stored (or a copy of one stored)
    stored = {r.sha256 for r in seen["stored"]}
    for rel, data in files.items():
        name = os.path.basename(rel)
        if data in (w.read_bytes() for w in WORD) and not name.startswith((b".", b"~$")) \
                and name.lower().endswith(b".docx"):
            assert sha(data) in stored, rel
    for o in first.outcomes:
        o.rel.encode("utf-8")         # every name the pass reports is text
        assert "\n" not in o.rel


# ---- fixed cases -----------------------------------------------------------------------------------
def test_huge_empty_and_still_arriving_files(tmp_path, shared_logs):
    """A sparse file above the size limit and an empty one are quarantined with their reasons;
    a file still being written is left for a later pass and read once it is complete."""
    cfg = make_cfg(tmp_path, shared_logs, stable_seconds=1.0)
    cfg.inbox.mkdir(parents=True)
    files = {b"huge-\xff.pdf": None, b"\n-rong.docx": b"", b"dang-chep.docx": WORD[0].read_bytes()}
    with open(cfg.inbox / "huge-\udcff.pdf", "wb") as f:
        f.truncate((MAX_MB + 1) << 20)
    files[b"huge-\xff.pdf"] = (cfg.inbox / "huge-\udcff.pdf").read_bytes()
    (cfg.inbox / "\n-rong.docx").write_bytes(b"")
    data = files[b"dang-chep.docx"]
    growing = cfg.inbox / "dang-chep.docx"
    stop = threading.Event()

    def write_slowly():      # half at once, then a byte at a time until told, then the rest
        with open(growing, "wb") as f:
            f.write(data[:len(data) // 2])
            i = len(data) // 2
            while not stop.wait(0.1) and i < len(data) - 1:
                f.write(data[i:i + 1])
                f.flush()
                i += 1
            f.write(data[i:])
    t = threading.Thread(target=write_slowly, daemon=True)
    t.start()
    time.sleep(0.3)
    first = run_pass(cfg)
    assert [os.fsencode(p) for p in first.pending] == [b"dang-chep.docx"], first.pending
    assert growing.exists(), "a file still being written was taken"
    stop.set()
    t.join(30)
    time.sleep(1.2)
    second = run_pass(cfg)
    assert not growing.exists() and not second.pending
    seen = check_invariants(cfg, files)
    q = {n for n, _ in seen["inventory"]["quarantine"]}
    assert q == {b"huge-\xff.pdf", b"\n-rong.docx"}, q
    assert sha(data) in {r.sha256 for r in seen["stored"]}
    huge_reason = next(Path(cfg.quarantine).glob("huge-*.reason.txt")).read_text(encoding="utf-8")
    assert "huge-\\xff.pdf" in huge_reason and "MB" in huge_reason, huge_reason
    assert not [o for o in first.outcomes + second.outcomes if o.unexpected]


def test_a_program_error_on_one_file_quarantines_it_and_the_pass_goes_on(tmp_path, shared_logs, caplog):
    """An archive folder that cannot be made (a file stands where the report's folder should be)
    fails that one file: it goes to quarantine with a reason, the other report is archived, and
    the pass says so in one line without a traceback."""
    cfg = make_cfg(tmp_path, shared_logs)
    cfg.inbox.mkdir(parents=True)
    files = {b"xa-a/" + ODD: WORD[1].read_bytes(), b"hungson-2022.docx": WORD[0].read_bytes()}
    drop(cfg.inbox, files)
    day = time.strftime("%Y-%m-%d")
    (cfg.archive / day).mkdir(parents=True)
    (cfg.archive / day / "xa-a").write_bytes(b"not a folder")
    with caplog.at_level(logging.WARNING):
        s = run_pass(cfg)
    (cfg.archive / day / "xa-a").unlink()
    said = "\n".join(r.getMessage() for r in caplog.records)
    (bad,) = s.unexpected
    assert bad.status == "quarantined" and bad.rel == "xa-a/b\\xe1o-c\\xe1o-x\\xe3.docx", bad
    assert "the program failed on this file" in bad.reason
    assert "b\\xe1o-c\\xe1o-x\\xe3.docx" in said and "Traceback" not in said, said
    assert s.count("processed") == 1
    check_invariants(cfg, files, said)
    reason = (cfg.quarantine / "xa-a" / (os.fsdecode(ODD) + ".reason.txt")).read_text(encoding="utf-8")
    assert "b\\xe1o-c\\xe1o-x\\xe3.docx" in reason and filenames.NOTE in reason, reason


@pytest.mark.parametrize("raw", [ODD, b"bao\ncao.docx", b"\xe2\x80\xae" + b"xcod.exe"])
def test_the_store_keeps_names_as_text_on_both_databases(db_url, raw):
    """Whoever hands the store a raw name (a surrogate-escaped str), both databases keep text."""
    from matchers.report import Report
    name = os.fsdecode(raw)
    rep = Report.from_dict({"file": name, "sha256": sha(raw), "format": "docx", "rows": [], "flags": [],
                            "unit": {}, "totals": {}})
    store = Store(db_url)
    try:
        rid = store.save_report(rep, None, name)
        store.add_file_name(sha(raw), "ban-sao/" + name)
        got = store.get_report(rid)
        assert got.file_name == filenames.text(name) and os.fsencode(filenames.on_disk(got.file_name)[-1]) == raw
        assert got.file_names == [filenames.text(name), "ban-sao/" + filenames.text(name)]
        assert got.document["file"] == got.file_name
        exported = got.export_dict()
        assert exported["file_note"] == filenames.NOTE and exported["file"] == filenames.text(name)
        assert exported["file_names"] == got.file_names      # the copy's name is exported too
    finally:
        store.close()


def test_dti_run_twice_with_a_name_that_is_not_utf8(tmp_path):
    """The issue's check, as a user runs it: two `dti run` passes over a normal report and a
    report whose name is CP1258 bytes both exit 0, read and store both, and `dti export` and the
    review page's original lookup find the odd one by its escaped name."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(WORD[0], inbox / "hungson-2022.docx")
    shutil.copy(WORD[1], os.path.join(os.fsencode(inbox), ODD))
    env = {**os.environ, "DTI_VAR_DIR": str(tmp_path / "var"), "OMP_THREAD_LIMIT": "1"}
    env.pop("PREFECT_API_URL", None)
    for _ in range(2):
        r = subprocess.run([str(BIN / "dti"), "run", "--inbox", str(inbox), "--stable-seconds", "0"], env=env,
                           capture_output=True, text=True, timeout=300)
        assert r.returncode == 0 and "Traceback" not in r.stdout + r.stderr, r.stdout + r.stderr
    assert not any((inbox / "processing").iterdir())
    day = time.strftime("%Y-%m-%d")
    assert os.path.exists(os.path.join(os.fsencode(inbox), b"archive", day.encode(), ODD))
    r = subprocess.run([str(BIN / "dti"), "export", "--format", "json"], env=env, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    docs = json.loads(r.stdout)
    odd = [d for d in docs if d["file"] == "b\\xe1o-c\\xe1o-x\\xe3.docx"]
    assert len(docs) == 2 and len(odd) == 1 and odd[0]["file_note"] == filenames.NOTE, [d["file"] for d in docs]
    assert odd[0]["unit"]["name"]                       # read like any other report
    from store.originals import original_path
    store = Store(f"sqlite:///{tmp_path / 'var' / 'dti.sqlite'}", migrate=False)
    try:
        (rep,) = [r for r in store.reports() if r.file_name == odd[0]["file"]]
        found = original_path(store.get_report(rep.id), str(inbox))
        assert found is not None and os.fsencode(found.name) == ODD
    finally:
        store.close()


# ---- drops while `dti serve` runs --------------------------------------------------------------------
def _serve_drops(rnd: random.Random, wave: int) -> dict[bytes, bytes]:
    """Names from the same families as the draws above, by a seeded generator."""
    pick = [ODD, b"--help.docx", b"bao\ncao-" + str(wave).encode() + b".docx", b"\xc3" + b"x" * 240 + b".docx",
            unicodedata.normalize("NFD", f"Xã Tân Dân {wave}.docx").encode(),
            bytes(rnd.randrange(0x80, 0x100) for _ in range(12)) + b".txt"]
    data = [WORD[wave % 2].read_bytes(), b"", text_report(wave),
            WORD[0].read_bytes()[: 3000 + wave], _flip(WORD[1].read_bytes(), rnd, 3), rnd.randbytes(300)]
    return {f"w{wave}".encode() + b"/" + n: d for n, d in zip(pick, data)}


@pytest.mark.slow
def test_drops_while_dti_serve_runs(tmp_path):
    """Two waves of hostile files dropped into a running `dti serve`, then one file the program
    fails on (its archive folder is blocked by a file): every file ends in exactly one place,
    nothing stays in processing/, the failure is said in one warning line, and no traceback
    reaches dti serve's output or our logs."""
    sys.path.insert(0, str(Path(__file__).parent))
    from localhost import wait_until
    from serving import dti_serve

    rnd = random.Random(18)
    files: dict[bytes, bytes] = {}
    day = time.strftime("%Y-%m-%d")
    with dti_serve(tmp_path, 5) as served:
        for wave in (1, 2, 3):
            batch = _serve_drops(rnd, wave) if wave < 3 else {b"w3/" + ODD: WORD[1].read_bytes()}
            if wave == 3:
                (served.inbox / "archive" / day).mkdir(parents=True, exist_ok=True)
                (served.inbox / "archive" / day / "w3").write_bytes(b"not a folder")
            tmp = tmp_path / f"staging{wave}"
            drop(tmp, batch)             # copied in whole: a rename each, as copy tools do
            for rel in batch:
                src = os.path.join(os.fsencode(tmp), rel)
                dst = os.path.join(os.fsencode(served.inbox), rel)
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                os.rename(src, dst)
            files.update(batch)

            def settled() -> bool:
                inv = inventory(served.inbox)
                return served.proc.poll() is not None or (
                    not inv["inbox"] and sum(len(v) for v in inv.values()) == len(files) + (wave == 3))
            assert wait_until(settled, 300), served.out.read_text(errors="replace")[-3000:]
            time.sleep(1)
        (served.inbox / "archive" / day / "w3").unlink()
        wait_until(lambda: "Warning: this pass failed" in served.out.read_text(errors="replace"), 30)
        output = served.out.read_text(errors="replace")
        assert served.proc.poll() is None, output[-3000:]
    cfg = PipelineConfig(inbox=served.inbox, database_url=f"sqlite:///{served.var / 'dti.sqlite'}",
                         log_dir=served.var / "logs")
    check_invariants(cfg, files, output)
    warnings = [line for line in output.splitlines() if "the program failed on this file" in line]
    assert len(warnings) == 1 and "w3/b\\xe1o-c\\xe1o-x\\xe3.docx" in warnings[0], output[-3000:]
    assert "Warning: this pass failed on 1 file(s)" in output, output[-3000:]
    assert (served.inbox / "quarantine" / "w3" / (os.fsdecode(ODD) + ".reason.txt")).exists()
    store = Store(cfg.database_url, migrate=False)
    try:
        names = {n for r in store.reports() for n in r.file_names}
    finally:
        store.close()
    assert "w1/b\\xe1o-c\\xe1o-x\\xe3.docx" in names, names


def test_the_review_page_shows_the_escaped_name_and_finds_the_original(tmp_path, shared_logs):
    """A text PDF named with CP1258 bytes, through the real pass: the queue and the report page
    show the name escaped with the note, and a row's crop is drawn from the archived original
    (found by its raw bytes on disk)."""
    from sqlalchemy.orm import sessionmaker

    from review.users import add_user
    from reviewkit import PASSWORD, Seeded, signed_in
    cfg = make_cfg(tmp_path, shared_logs)
    cfg.inbox.mkdir(parents=True)
    odd = b"b\xe1o-c\xe1o-x\xe3.pdf"
    drop(cfg.inbox, {odd: (SAMPLES / "hungson-2022.pdf").read_bytes()})
    s = run_pass(cfg)
    assert s.count("processed") == 1, s.outcomes
    store = Store(cfg.database_url)
    with sessionmaker(store.engine).begin() as db:
        add_user(db, "kiemtra", PASSWORD)
    (rep,) = store.reports()
    shown = "b\\xe1o-c\\xe1o-x\\xe3.pdf " + filenames.NOTE
    with signed_in(Seeded(store, cfg.inbox, {"odd": rep.id})) as (client, _csrf):
        page = client.get(f"/reports/{rep.id}")
        assert page.status_code == 200 and shown in page.text
        queue = client.get("/", params={"all": 1}).text + client.get("/").text
        assert "b\\xe1o-c\\xe1o-x\\xe3.pdf" in queue
        full = store.get_report(rep.id)
        pos = next(i for i, r in enumerate(full.rows) if (r.get("source") or {}).get("bbox"))
        crop = client.get(f"/reports/{rep.id}/rows/{pos}/crop.png")
        assert crop.status_code == 200 and crop.content[:4] == b"\x89PNG"
    store.close()
