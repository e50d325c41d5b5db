"""Commune self-assessment reports (Word) for the cross-report checks: one ruleset, many
units, figures drawn from a seed, and a "Tài liệu kiểm chứng" column that cites documents.

``figures(rs, seed)`` draws one unit's figures; ``build(...)`` writes them as a criteria
table with the unit's name, the report's date and the evidence cited.  What the checks must
find is made by the caller, not hidden here:

- a copy: the same ``figures`` under another unit's name (``near_copy`` changes a few);
- an unrelated report: another seed (its yes/no answers may well all be the same);
- evidence after the report: ``extra_evidence={code: "Kế hoạch số 109/KH-UBND ngày 15/09/2025"}``;
- a previous year: ``next_year(figs, seed, implausible=...)``.

Only the rule kinds whose figures are counts are drawn as counts (``a = 2.070; b = 2.520``);
yes/no rows answer Có/Không; the other kinds print a plain answer and claim nothing, so
the reading, not the scoring, is what these files exercise.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from rulesets.model import Ruleset

from . import docxkit as dk

COUNT_KINDS = ("rate", "rate_threshold", "bands")
HEADER = ("STT", "Chỉ số", "Điểm tối đa", "Số liệu / Kết quả", "Tài liệu kiểm chứng", "Điểm tự chấm")
WIDTHS = [1.1, 6.0, 1.5, 3.4, 4.2, 1.5]
# what a clerk writes as evidence; chosen per row from the seed, so two units differ in wording
EVIDENCE = (
    "Báo cáo kết quả thực hiện của bộ phận một cửa xã, số liệu trích xuất từ hệ thống",
    "Danh sách kèm theo do công chức văn hóa xã hội tổng hợp từ các thôn, xóm",
    "Số liệu thống kê của Công an xã phối hợp với Tổ công nghệ số cộng đồng",
    "Biên bản kiểm tra thực tế của Ban chỉ đạo chuyển đổi số xã tại trụ sở",
    "Sổ theo dõi của văn phòng UBND xã, có xác nhận của Chủ tịch UBND xã",
    "Tổng hợp từ báo cáo của các trường học và trạm y tế trên địa bàn xã",
    "Ảnh chụp màn hình hệ thống và danh sách tài khoản đã kích hoạt",
    "Thống kê của doanh nghiệp viễn thông trên địa bàn gửi UBND xã",
)
DOC_KINDS = (("Kế hoạch", "KH-UBND"), ("Quyết định", "QĐ-UBND"), ("Công văn", "CV-UBND"), ("Thông báo", "TB-UBND"))


@dataclass
class Figures:
    """One unit's report: per indicator code the printed figures, answer, evidence, claimed points."""
    year: int
    rows: dict[str, dict] = field(default_factory=dict)


def _vn(x: float) -> str:
    s = f"{round(x, 2):.2f}".rstrip("0").rstrip(".")
    whole, _, frac = s.partition(".")
    whole = f"{int(whole):,}".replace(",", ".")
    return whole + ("," + frac if frac else "")


def _cite(rng: np.random.Generator, year: int, before: dt.date) -> str:
    kind, sign = DOC_KINDS[int(rng.integers(len(DOC_KINDS)))]
    start = dt.date(year, 1, 5)
    day = start + dt.timedelta(days=int(rng.integers(0, max(1, (before - start).days))))
    return f"{kind} số {int(rng.integers(3, 180))}/{sign} ngày {day.day:02d}/{day.month:02d}/{day.year}"


def figures(rs: Ruleset, seed: int, year: int | None = None, report_day: dt.date | None = None) -> Figures:
    year = year or rs.year
    report_day = report_day or dt.date(year, 11, 14)
    rng = np.random.default_rng(seed)
    out = Figures(year=year)
    for ind in rs.scorable():
        mx = ind.max_points or 0
        row = {"answer": "", "claimed": 0.0, "evidence": "", "max": mx, "kind": ind.kind}
        if ind.kind in COUNT_KINDS and not ind.rule.get("rate"):
            b = int(rng.integers(25, 9000))
            a = int(round(b * float(rng.uniform(0.35, 1.0))))
            row.update(a=a, b=b, claimed=round(a / b * mx, 2) if ind.kind == "rate" else mx)
            row["evidence"] = EVIDENCE[int(rng.integers(len(EVIDENCE)))]
        elif ind.kind == "yes_no":
            yes = bool(rng.uniform() < 0.8)
            row.update(answer="Có" if yes else "Không", claimed=mx if yes else 0.0)
            row["evidence"] = _cite(rng, year, report_day) if yes else ""
        else:
            row.update(answer="Đã thực hiện")
        out.rows[ind.code] = row
    return out


def near_copy(figs: Figures, seed: int, changes: int = 3) -> Figures:
    """The same report with ``changes`` count rows' numerators altered (a clerk's touch-up)."""
    rng = np.random.default_rng(seed)
    rows = {k: dict(v) for k, v in figs.rows.items()}
    counted = [k for k, v in rows.items() if "a" in v]
    for k in rng.choice(counted, size=min(changes, len(counted)), replace=False):
        r = rows[str(k)]
        r["a"] = max(1, min(r["b"], r["a"] + (int(rng.integers(-40, 40)) or 7)))
        if r["kind"] == "rate":
            r["claimed"] = round(r["a"] / r["b"] * r["max"], 2)
    return replace(figs, rows=rows)


def next_year(figs: Figures, seed: int, implausible: str | None = None) -> Figures:
    """The unit's report of the following year: counts grow a little; ``implausible`` = an
    indicator code whose numerator then falls by half (an accumulating count cannot)."""
    rng = np.random.default_rng(seed)
    rows = {}
    for k, v in figs.rows.items():
        v = dict(v)
        if "a" in v:
            v["b"] = int(round(v["b"] * float(rng.uniform(1.0, 1.04))))
            v["a"] = min(v["b"], int(round(v["a"] * float(rng.uniform(1.0, 1.05)))))
            if k == implausible:
                v["a"] = v["a"] // 2
            if v["kind"] == "rate":
                v["claimed"] = round(v["a"] / v["b"] * v["max"], 2)
        rows[k] = v
    return Figures(year=figs.year + 1, rows=rows)


def build(rs: Ruleset, figs: Figures, out: Path, *, unit: str, district: str = "Lạc Sơn",
          report_day: dt.date | None = None, extra_evidence: dict[str, str] | None = None,
          decision: str = "") -> Path:
    """Write one unit's report (``unit``: the commune's name without "xã") to ``out``."""
    report_day = report_day or dt.date(figs.year, 11, 14)
    extra_evidence = extra_evidence or {}
    doc = dk.new_document(dk.PageSetup(size=12, left_cm=2.0), dk.Meta(
        author=f"UBND xã {unit}", title=f"Báo cáo tự đánh giá chuyển đổi số năm {figs.year}",
        date=dt.datetime(report_day.year, report_day.month, report_day.day, 9, 0)))
    head = dk.grid_table(doc, [6.5, 10.5], style=None)
    dk.no_borders(head)
    r = dk.add_row(head, [6.5, 10.5])
    dk.set_cell(r.cells[0], f"UBND HUYỆN {district.upper()}\n**UBND XÃ {unit.upper()}**\nSố: {90 + len(unit)}/BC-UBND",
                align="center", size=12)
    dk.set_cell(r.cells[1], "**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**\n**Độc lập - Tự do - Hạnh phúc**\n"
                f"{unit}, ngày {report_day.day} tháng {report_day.month} năm {report_day.year}", align="center", size=12)
    dk.para(doc, "")
    dk.para(doc, "BẢNG TỰ ĐÁNH GIÁ", bold=True, align="center", space_after=0)
    dk.para(doc, f"Bộ chỉ số đánh giá chuyển đổi số cấp xã năm {figs.year} của UBND xã {unit}",
            bold=True, align="center", space_after=0)
    dk.para(doc, f"(Theo {decision or rs.title.split(',')[0]} của UBND tỉnh {rs.province})", italic=True, align="center")
    table = dk.grid_table(doc, WIDTHS)
    hr = dk.add_row(table, WIDTHS)
    for cell, text in zip(hr.cells, HEADER):
        dk.set_cell(cell, text, bold=True, align="center", size=11)
    dk.repeat_header(hr)
    total = 0.0
    for p in rs.pillars:
        inds = [i for i in rs.scorable() if i.pillar == p.code]
        sub = sum(figs.rows[i.code]["claimed"] for i in inds)
        total += sub
        row = dk.add_row(table, WIDTHS)
        for cell, text in zip(row.cells, (p.code, p.name.upper(), _vn(p.max_points or 0), "", "", _vn(sub))):
            dk.set_cell(cell, text, bold=True, size=11)
        for ind in inds:
            f = figs.rows[ind.code]
            shown = f"a = {_vn(f['a'])}; b = {_vn(f['b'])}" if "a" in f else f["answer"]
            ev = "; ".join(t for t in (f["evidence"], extra_evidence.get(ind.code, "")) if t)
            row = dk.add_row(table, WIDTHS)
            for cell, text, al in zip(row.cells, (ind.code, ind.name, _vn(ind.max_points or 0), shown, ev,
                                                  _vn(f["claimed"])),
                                      ("center", "left", "center", "left", "left", "center")):
                dk.set_cell(cell, text, align=al, size=11)
    last = dk.add_row(table, WIDTHS)
    merged = last.cells[0].merge(last.cells[1])
    dk.set_cell(merged, "TỔNG ĐIỂM", bold=True, align="center", size=11)
    dk.set_cell(last.cells[2], _vn(rs.total or 0), bold=True, align="center", size=11)
    dk.set_cell(last.cells[5], _vn(total), bold=True, align="center", size=11)
    dk.para(doc, "")
    dk.para(doc, "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH", bold=True, align="right")
    return dk.save(doc, out)
