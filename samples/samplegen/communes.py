"""Several communes' Word reports in the Hùng Sơn (Phú Thọ 2022) layout, for unit identity.

``commune_report`` writes one commune's report: the Hùng Sơn score table with rates drawn
from ``seed`` (so two communes never send the same figures), the unit named where the real
reports name it (``TÊN ĐƠN VỊ:`` line, the info block, the address) and addressed to a
receiving body (``Kính gửi: …`` on one line, or a ``Kính gửi:`` list, or ``Đơn vị nhận báo
cáo: …``).  ``named=False`` writes the same report with every mention of the unit removed:
a copy whose header was cut, the case a ranking must hold out rather than name by its file.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np

from . import docxkit as dk
from . import hungson

RECEIVER_FORMS = ("inline", "list", "don-vi-nhan")


def _rows(seed: int) -> list[tuple]:
    rng = np.random.default_rng(seed)
    out = []
    for kind, stt, name, how, pts, mx in hungson.ROWS:
        m = re.fullmatch(r"(\d+)% x (\d+)", pts)
        if kind in ("R", "I") and how == hungson.RATE and m:
            rate, top = int(rng.integers(40, 101)), int(m.group(2))
            pts, mx = f"{rate}% x {top}", f"{rate * top / 100:g}".replace(".", ",")
        out.append((kind, stt, name.replace("thị trấn Hùng Sơn", "xã"), how, pts, mx))
    return out


def commune_report(out_dir: Path, unit: str, seed: int, *, receiver: str = "UBND huyện Lâm Thao",
                   receiver_form: str = "inline", named: bool = True, file_name: str | None = None) -> Path:
    """One commune's report (``unit`` e.g. "Xã Cao Xá"); returns the .docx path."""
    doc = dk.new_document(dk.PageSetup(), dk.Meta(
        author=f"UBND {unit.lower()}" if named else "", title="Báo cáo đánh giá mức độ chuyển đổi số năm 2022",
        date=dt.datetime(2022, 12, 5, 9, 30)))
    if named:
        dk.para(doc, f"TÊN ĐƠN VỊ: {unit}", bold=True)
    dk.para(doc, "Số: 65 /BC-UBND")
    dk.para(doc, "BÁO CÁO", bold=True, align="center", size=14, space_after=0)
    dk.para(doc, "ĐÁNH GIÁ MỨC ĐỘ CHUYỂN ĐỔI SỐ NĂM 2022", bold=True, align="center", size=14)
    if receiver_form == "inline":
        dk.para(doc, f"Kính gửi: {receiver}", align="center")
    elif receiver_form == "list":
        dk.para(doc, "Kính gửi:", align="center", space_after=0)
        dk.para(doc, f"- {receiver};", align="center", space_after=0)
        dk.para(doc, "- Phòng Tài chính - Kế hoạch.", align="center")
    else:
        dk.para(doc, f"Đơn vị nhận báo cáo: {receiver}")
    dk.para(doc, "I. THÔNG TIN CHUNG", bold=True)
    for item in hungson.INFO:
        if "Hùng Sơn" in item and not named:
            continue
        dk.para(doc, f"- {item.replace('Thị trấn Hùng Sơn', unit).replace('thị trấn Hùng Sơn', unit.lower())}",
                space_after=0)
    dk.para(doc, "II. CÁC TIÊU CHÍ ĐÁNH GIÁ VÀ THANG ĐIỂM", bold=True)
    table = dk.grid_table(doc, hungson.WIDTHS)
    head = dk.add_row(table, hungson.WIDTHS)
    for cell, text in zip(head.cells, hungson.HEADER):
        dk.set_cell(cell, text, bold=True, align="center", size=12)
    dk.repeat_header(head)
    for row in _rows(seed):
        hungson._add(table, *row)
    dk.para(doc, "")
    hungson._signature(doc)
    from rulesets.vocab import strip_accents
    slug = re.sub(r"[^a-z0-9]+", "-", strip_accents(unit).lower()).strip("-")
    return dk.save(doc, out_dir / (file_name or f"{slug}-2022.docx"))
