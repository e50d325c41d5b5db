"""Issue 20's check as a user makes it, on a fresh store: Word reports of four communes (one, two
copies of it under other names — one a near-copy citing a plan dated 2025 —, an unrelated
one) and the first one's next year with an accumulating count halved, through `dti run`;
`dti export` shows the cross-report flags where they belong and nowhere else."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

import rulesets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "samples"))
from samplegen import unitreports as u  # noqa: E402

DTI = str(Path(sys.executable).with_name("dti"))


def dti(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([DTI, *args], env=env, capture_output=True, text=True, timeout=600)


def test_dti_run_then_export_shows_the_cross_report_flags(tmp_path):
    rs = rulesets.load("hoabinh-2023-xa")
    src = tmp_path / "nop"
    src.mkdir()
    base = u.figures(rs, 11)
    u.build(rs, base, src / "xa-tan-lap-2023.docx", unit="Tân Lập")
    u.build(rs, base, src / "xa-my-thanh-2023.docx", unit="Mỹ Thành")
    u.build(rs, u.near_copy(base, 5), src / "xa-van-son-2023.docx", unit="Văn Sơn",
            extra_evidence={"2.3": "Kế hoạch số 109/KH-UBND ngày 15/09/2025"})
    u.build(rs, u.figures(rs, 99), src / "xa-binh-hem-2023.docx", unit="Bình Hẻm")
    u.build(rs, u.next_year(base, 3, implausible="8.3"), src / "xa-tan-lap-2024.docx", unit="Tân Lập",
            report_day=dt.date(2024, 11, 20))
    env = {**os.environ, "DTI_VAR_DIR": str(tmp_path / "var")}
    env.pop("DTI_DATABASE_URL", None)
    env.pop("PREFECT_API_URL", None)
    r = dti(["run", "--inbox", str(tmp_path / "inbox"), "--from", str(src), "--stable-seconds", "0"], env)
    assert r.returncode == 0, r.stderr
    r = dti(["export", "--format", "json"], env)
    assert r.returncode == 0, r.stderr
    docs = {(d["unit"]["name"], d["unit"]["year"]): d for d in json.loads(r.stdout)}

    def codes(name, year, code):
        return [f for f in docs[(name, year)]["flags"] if f["code"] == code]

    copies = {k: codes(*k, "copied-between-units") for k in docs}
    for name in ("Xã Tân Lập", "Xã Mỹ Thành", "Xã Văn Sơn"):
        others = {f["other"]["unit"] for f in copies[(name, 2023)]}
        assert others == {"Xã Tân Lập", "Xã Mỹ Thành", "Xã Văn Sơn"} - {name}, name
        assert all(f["severity"] == "warning" for f in copies[(name, 2023)])
    assert copies[("Xã Bình Hẻm", 2023)] == [] and copies[("Xã Tân Lập", 2024)] == []
    late = {k: codes(*k, "evidence-after-report") for k in docs}
    assert [(k, f["indicator"]) for k, fs in late.items() for f in fs] == [(("Xã Văn Sơn", 2023), "2.3")]
    assert "109/KH-UBND" in late[("Xã Văn Sơn", 2023)][0]["message"]
    change = {k: codes(*k, "implausible-change") for k in docs}
    assert {f["indicator"] for f in change[("Xã Tân Lập", 2024)]} == {"8.3"}
    assert all(f["severity"] == "info" and f["other"]["year"] == 2023 for f in change[("Xã Tân Lập", 2024)])
    assert not any(fs for k, fs in change.items() if k != ("Xã Tân Lập", 2024))

    # the Excel export lists them with every other flag
    xlsx = tmp_path / "out.xlsx"
    r = dti(["export", "--format", "xlsx", "--out", str(xlsx)], env)
    assert r.returncode == 0, r.stderr
    wb = load_workbook(xlsx, read_only=True)
    cells = {str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c}
    assert {"copied-between-units", "evidence-after-report", "implausible-change"} <= cells
