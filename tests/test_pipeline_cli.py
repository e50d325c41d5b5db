"""`dti run / export / extract / rank / bench pipeline`, called as the user calls them."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from matchers.report import Report
from settings import settings
from commands.cli import main
from store.store import Store

ROOT = Path(__file__).resolve().parent.parent
PROC = f"{Path(__file__).with_name('pipeline_textproc.py')}:process"
SAMPLES = ROOT / "samples"


@pytest.fixture
def var(tmp_path, monkeypatch):
    monkeypatch.setenv("DTI_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("DTI_DATABASE_URL", raising=False)
    settings.reload()
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    return tmp_path / "var"


def tree(p: Path) -> dict[str, str]:
    return {x.relative_to(p).as_posix(): hashlib.sha256(x.read_bytes()).hexdigest() for x in p.rglob("*") if x.is_file()}


def test_run_from_a_folder_then_export(tmp_path, var, capsys):
    src = tmp_path / "nop"
    (src / "huyen-a").mkdir(parents=True)
    (src / "huyen-a" / "xa-1.txt").write_text("unit: Xã Một\nyear: 2024\nrow: 1.1 30 20\n", encoding="utf-8")
    (src / "xa-2.txt").write_text("unit: Xã Hai\nyear: 2024\nrow: 1.1 10 20\nrow: 1.2 5 10\n", encoding="utf-8")
    (src / "ghi-chu.md").write_text("not a report", encoding="utf-8")
    before = tree(src)
    inbox = tmp_path / "inbox"
    args = ["run", "--inbox", str(inbox), "--from", str(src), "--processor", PROC, "--stable-seconds", "0"]

    assert main(args) == 0
    out = capsys.readouterr().out
    assert "processed:       2" in out and "flagged:      1" in out
    assert str(var / "dti.sqlite") in out and "[" not in out and "{" not in out
    assert tree(src) == before                       # the source folder is left untouched
    assert (var / "export" / "reports.json").exists()

    assert main(args) == 0                           # again: nothing new, nothing copied
    assert "skipped:    2" in capsys.readouterr().out
    assert Store(f"sqlite:///{var / 'dti.sqlite'}").counts()["reports"] == 2

    assert main(["export", "--format", "json"]) == 0
    docs = json.loads(capsys.readouterr().out)
    assert sorted(d["unit"]["name"] for d in docs) == ["Xã Hai", "Xã Một"]
    assert {d["file"] for d in docs} == {"huyen-a/xa-1.txt", "xa-2.txt"}
    assert main(["export", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 3 and {r["indicator"] for r in rows} == {"1.1", "1.2"}
    out = tmp_path / "bao-cao.xlsx"
    assert main(["export", "--format", "xlsx", "--out", str(out)]) == 0
    from openpyxl import load_workbook
    wb = load_workbook(out)
    assert wb.sheetnames == ["Báo cáo", "Chỉ tiêu", "Cảnh báo"]
    assert wb["Cảnh báo"].max_row == 2 and wb["Chỉ tiêu"].max_row == 4


def test_extract_prints_the_contract_or_one_line_error(tmp_path, capsys):
    pytest.importorskip("extractors.errors")
    empty = tmp_path / "rong.pdf"
    empty.write_bytes(b"")
    assert main(["extract", str(empty)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "rong.pdf" in err
    sample = SAMPLES / "hungson-2022.docx"
    if not sample.exists():
        pytest.skip("samples/ not generated yet")
    assert main(["extract", str(sample), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["sha256"] == hashlib.sha256(sample.read_bytes()).hexdigest() and d["rows"]


def test_rank_writes_the_table_and_the_chart(tmp_path, var, capsys):
    rulesets = pytest.importorskip("rulesets")
    pytest.importorskip("scoring")
    rs = rulesets.load("hungyen-2024-xa")
    inds = [i for i in rs.scorable() if i.kind != "minmax"][:6]
    store = Store()
    for n, (unit, pts) in enumerate((("Xã Tân Dân", 0.5), ("Xã Lạc Đạo", 1.0), ("Xã Đình Dù", 0.25))):
        rows = [{"label": i.name, "indicator": i.code, "claimed_points": round(i.max_points * pts, 2),
                 "max_points": i.max_points, "computed_points": None, "ratio": None, "numerator": None,
                 "denominator": None, "answer": None, "match_score": 1.0, "confidence": 1.0,
                 "source": {"page": 1, "bbox": None}} for i in inds]
        store.save_report(Report.from_dict({"file": f"van-lam/{unit}.docx", "sha256": f"{n:064x}", "format": "docx",
                                            "layout": "criteria-table", "ruleset": rs.id,
                                            "unit": {"name": unit, "level": "xa", "year": 2024}, "rows": rows,
                                            "totals": {}, "flags": []}), file_name=f"van-lam/{unit}.docx")
    out = tmp_path / "xep-hang.xlsx"
    assert main(["rank", "--year", "2024", "--district", "Văn Lâm", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert out.exists() and out.with_suffix(".png").stat().st_size > 5000
    from openpyxl import load_workbook
    ws = load_workbook(out).active
    values = [[c.value for c in r] for r in ws.iter_rows()]
    header = next(r for r in values if r and r[0] == "TT")
    assert header[1] == "Tên đơn vị" and header[-2:] == ["Tổng điểm", "Xếp hạng"]
    names = [r[1] for r in values[values.index(header) + 1:] if r[1]]
    assert names == ["Xã Lạc Đạo", "Xã Tân Dân", "Xã Đình Dù"]
    assert "Xã Lạc Đạo" in printed
    assert main(["rank", "--year", "2024", "--district", "Gia Lâm"]) == 1


@pytest.mark.slow
def test_run_through_the_real_prefect_flow(tmp_path):
    """One real Prefect flow run (ephemeral server, project's PREFECT_HOME): the same results."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for i in range(3):
        (inbox / f"xa-{i}.txt").write_text(f"unit: Xã {i}\nyear: 2024\nrow: 1.1 {i * 12} 20\n", encoding="utf-8")
    (inbox / "hong.txt").write_text("fail: sai định dạng\n", encoding="utf-8")
    db = tmp_path / "dti.sqlite"
    env = dict(os.environ, DTI_VAR_DIR=str(tmp_path / "var"), DTI_DATABASE_URL=f"sqlite:///{db}",
               PREFECT_HOME=os.environ.get("PREFECT_HOME", str(ROOT / "var" / "prefect")),
               PREFECT_SERVER_ANALYTICS_ENABLED="false")
    env.pop("PREFECT_API_URL", None)
    r = subprocess.run([sys.executable, "-m", "commands.cli", "run", "--prefect", "--inbox", str(inbox),
                        "--processor", PROC, "--stable-seconds", "0"],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=170)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "processed:       3" in r.stdout and "quarantined:      1" in r.stdout and "(Prefect)" in r.stdout
    assert Store(f"sqlite:///{db}").counts()["reports"] == 3
    assert (inbox / "quarantine" / "hong.txt.reason.txt").exists()


@pytest.mark.slow
def test_bench_pipeline_reports_rates_stages_and_memory(tmp_path, var):
    docs = [p for p in (SAMPLES / "hungson-2022.docx", SAMPLES / "hungson-2022.pdf") if p.exists()]
    if not docs:
        pytest.skip("samples/ not generated yet")
    pytest.importorskip("extractors.errors")
    src = tmp_path / "mau"
    src.mkdir()
    for p in docs:
        shutil.copy(p, src)
    r = subprocess.run([sys.executable, "-m", "commands.cli", "bench", "pipeline", "--n", "6", "--from", str(src)],
                       cwd=ROOT, env=dict(os.environ, DTI_VAR_DIR=str(var)), capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "processed 6" in r.stdout, r.stdout
    for word in ("reports/min", "pages/min", "extract", "match", "score", "store", "peak memory"):
        assert word in r.stdout
    # the parent's and the largest reading process's peaks apart, so a leak shows where it is
    parent = re.search(r"parent (\d+) MiB; largest reading process (\d+) MiB", r.stdout)
    assert parent and int(parent.group(1)) > 0 and int(parent.group(2)) > 0, r.stdout
    assert not list(var.glob("bench-*"))       # the throw-away folder is gone
