"""The cross-report checks at province scale: 2,000 stored reports (1,000 communes, two years,
one ruleset: the worst case, every report in one comparison group per year), written straight
into the store.  Planted: copies, late citations, implausible changes; everything else is
honest (and answers every yes/no row alike).  The time is printed, not asserted tightly: the
checks must stay linear in reports, so 4x the reports may not take anything like 16x the time."""
from __future__ import annotations

import hashlib
import time

import numpy as np
import pytest
from sqlalchemy.orm import sessionmaker

import rulesets
from matchers.report import Report, Row, Unit
from store import crosschecks
from store.store import Store
from store.store_records import _records, _set_reading
from store.schema import ReportRec

pytestmark = pytest.mark.slow      # minutes on a busy 2-core machine (writing 2,500 reports); still in make test
RS = rulesets.load("hoabinh-2023-xa")
IND = [(i.code, i.kind) for i in RS.scorable()]
PHRASES = ("Báo cáo của bộ phận một cửa xã", "Danh sách do công chức văn hóa tổng hợp",
           "Số liệu của Công an xã", "Sổ theo dõi của văn phòng UBND xã")


def rows_of(rng, year: int, copy_of=None) -> list[Row]:
    if copy_of is not None:
        return [Row(**{k: getattr(r, k) for k in ("label", "indicator", "numerator", "denominator", "claimed_points",
                                                    "max_points", "answer", "evidence", "confidence")}) for r in copy_of]
    out = []
    for code, kind in IND:
        if kind in ("rate", "rate_threshold", "bands"):
            b = int(rng.integers(25, 9000))
            a = int(b * rng.uniform(0.35, 1))
            out.append(Row(label=f"Chỉ số {code}", indicator=code, numerator=a, denominator=b, max_points=20,
                           claimed_points=round(a / b * 20, 2), evidence=PHRASES[int(rng.integers(4))]))
        else:
            out.append(Row(label=f"Chỉ số {code}", indicator=code, answer="yes", claimed_points=20, max_points=20,
                           evidence=f"Có | Quyết định số 12/QĐ-UBND ngày 10/3/{year}"))
    return out


def fill(store: Store, n_units: int, seed: int) -> dict:
    """``n_units`` communes x 2022 and 2023, with a few planted findings; returns what was planted."""
    rng = np.random.default_rng(seed)
    planted = {"copies": set(), "late": set(), "fell": set(), "copier": set()}
    recs = []
    by_unit: dict[int, list[Row]] = {}
    for year in (2022, 2023):
        for u in range(n_units):
            name = f"Xã Số {u}"
            rows = rows_of(rng, year)
            if year == 2023:
                prev = by_unit[u]
                for r, p in zip(rows, prev):       # this year's figures grow a little from last year's
                    if p.numerator is not None:
                        r.denominator = int(p.denominator * rng.uniform(1.0, 1.03))
                        r.numerator = min(r.denominator, int(p.numerator * rng.uniform(1.0, 1.04)))
                        r.claimed_points = round(r.numerator / r.denominator * 20, 2)
                if u % 200 == 7:                   # an accumulating count falls
                    row = next(r for r in rows if r.indicator == "8.3")
                    row.numerator //= 3
                    planted["fell"].add(name)
                if u % 200 == 13:                  # a copy of another commune's report
                    rows = rows_of(rng, year, copy_of=recs[-1][1])
                    planted["copies"] |= {name, recs[-1][0]}
                    planted["copier"].add(name)
                if u % 250 == 21:
                    rows[2].evidence = "Kế hoạch số 109/KH-UBND ngày 15/09/2025"
                    rows[2].answer = "yes"
                    planted["late"].add(name)
            by_unit[u] = rows
            recs.append((name, rows, year))
    with sessionmaker(store.engine, expire_on_commit=False).begin() as s:
        for i, (name, rows, year) in enumerate(recs):
            rep = Report(file=f"r{i}.docx", sha256=hashlib.sha256(f"{seed}-{i}".encode()).hexdigest(), format="docx",
                         layout="criteria-table", ruleset=RS.id, unit=Unit(name=name, level="xa", year=year),
                         rows=rows, report_date=f"{year}-11-14")
            rec = ReportRec(sha256=rep.sha256, file_name=rep.file, file_names=[rep.file], reviewed=False)
            _set_reading(rec, rep)
            rec.rows, rec.flags = _records(rec.document)
            s.add(rec)
    return planted


def found(store: Store, code: str) -> set[str]:
    with store._session() as s:
        from sqlalchemy import select
        from store.schema import FlagRec
        q = select(ReportRec.unit_name, ReportRec.unit_year).join(FlagRec, FlagRec.report_id == ReportRec.id).where(
            FlagRec.code == code)
        out = {f"{n}|{y}" for n, y in s.execute(q)}
    return out


def timed(tmp_path, n_units: int) -> tuple[float, dict, Store, dict]:
    store = Store(f"sqlite:///{tmp_path / f'dti-{n_units}.sqlite'}")
    t0 = time.perf_counter()
    planted = fill(store, n_units, seed=n_units)
    print(f"\n{2 * n_units} reports written in {time.perf_counter() - t0:.1f} s")
    t0, c0 = time.perf_counter(), time.process_time()
    out = crosschecks.run(store)
    out["cpu"] = round(time.process_time() - c0, 2)
    return time.perf_counter() - t0, out, store, planted


def test_two_thousand_reports(tmp_path):
    small, out_s, store_s, _ = timed(tmp_path, 250)
    store_s.close()
    big, out, store, planted = timed(tmp_path, 1000)
    print(f"\ncross-report checks: {out_s['reports']} reports {small:.2f} s; {out['reports']} reports {big:.2f} s "
          f"({big / small:.1f}x for 4x the reports); CPU {out_s['cpu']} s and {out['cpu']} s; "
          f"parts at 2,000: {out['seconds']}")
    assert out["reports"] == 2000
    assert found(store, "copied-between-units") == {f"{n}|2023" for n in planted["copies"]}
    assert found(store, "evidence-after-report") == {f"{n}|2023" for n in planted["late"]}
    # a commune that handed in another's figures also jumps from its own previous year
    assert found(store, "implausible-change") == {f"{n}|2023" for n in planted["fell"] | planted["copier"]}
    # linear, loosely: a quadratic pass would take about 16x
    assert big / small < 10
    t0 = time.perf_counter()
    assert crosschecks.run(store)["rewritten"] == 0          # a second pass with nothing new rewrites nothing
    print(f"second run: {time.perf_counter() - t0:.2f} s")
    store.close()
