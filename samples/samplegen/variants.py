"""Variants of the sample reports for the failure classes seen on unseen reports.

Each builder takes a ``seed`` (numpy) and writes one Word file whose figures are
drawn from it, so tests can run several seeds and never depend on one file's
numbers.  ``expected`` values are returned beside the file: what a correct
reading must give, computed here from the drawn figures (not read back).

- ``hungson_decimals``: the Hùng Sơn score table (seed 000) with rates printed
  with decimals (``82,14% x 10`` in ``Điểm``, ``8,21`` in the last column), and
  optionally decimal points (``82.14%``, ``8.21``) instead of commas.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from . import hungson


def _vn(x: float, en: bool) -> str:
    s = f"{x:.2f}".rstrip("0").rstrip(".")
    return s if en else s.replace(".", ",")


def hungson_decimals(out_dir: Path, seed: int, *, en_decimals: bool = False,
                     form: str = "rate_first") -> tuple[Path, dict]:
    """Returns (docx, {code: (ratio, max, claimed)}) for every rate row.  ``form`` is how the
    points cell is typed: ``rate_first`` "82,14% x 10", ``max_first`` "10 x 82,14%",
    ``fraction`` "0,8214 x 10"."""
    rng = np.random.default_rng(seed)
    rows, expected = [], {}
    for kind, stt, name, how, pts, mx in hungson.ROWS:
        m = re.fullmatch(r"(\d+)% x (\d+)", pts)
        if kind in ("R", "I") and how in (hungson.RATE, hungson.MAIL_RULE) and m:
            rate = round(float(rng.uniform(20, 99.99)), 2)
            top = int(m.group(2))
            claimed = round(rate * top / 100, 2)
            pts = {"rate_first": f"{_vn(rate, en_decimals)}% x {top}",
                   "max_first": f"{top} x {_vn(rate, en_decimals)}%",
                   "fraction": f"{_vn(rate / 100, en_decimals) if rate < 100 else '1'} x {top}"}[form]
            if form == "fraction":
                rate = float(f"{rate / 100:.2f}") * 100       # the fraction is printed with 2 decimals
                claimed = round(rate * top / 100, 2)
            mx = _vn(claimed, en_decimals)
            code = re.sub(r"\s", "", stt)
            expected[code] = (round(rate / 100, 6), float(top), claimed)
        if kind == "T":
            continue      # the seed's total does not add up; the variant prints none
        rows.append((kind, stt, name, how, pts, mx))
    saved = hungson.ROWS
    try:
        hungson.ROWS = rows
        path = hungson.build(out_dir)
    finally:
        hungson.ROWS = saved
    target = out_dir / f"hungson-decimals-{seed}{'-en' if en_decimals else ''}-{form}.docx"
    path.rename(target)
    return target, expected


# ---------------------------------------------------------------- Hưng Yên (seed 002)

# Negative answers as communes write them, for yes/no rows scored 0.
NEGATIVE_FORMS = ("Chưa ban hành", "Chưa có", "Chưa triển khai", "Không", "Chưa", "Chưa đạt", "Chưa thành lập")


def hungyen_rows(seed: int, negatives: bool) -> list[tuple[str, str, float, str, float]]:
    """(code, name, max, figures as printed, due points) for the 40 Hưng Yên indicators, figures
    drawn from ``seed``: yes/no rows partly negative, 6.2/6.3 as the decision's lettered
    quantities, 7.5 as counted service points ("3/4 điểm")."""
    from . import hungyen
    rng = np.random.default_rng(seed)
    out = []
    for code, name, mx, fig, rule in hungyen.INDICATORS:
        if rule is None:
            continue                                   # Min-Max: nothing to check per report
        due = round(rule(mx), 2)
        if negatives and due == mx and not re.search(r"\d", fig) and rng.random() < 0.5:
            fig, due = str(rng.choice(NEGATIVE_FORMS)), 0.0
        elif code == "6.2":
            a, b = int(rng.integers(10, 40)), int(rng.integers(10, 40))
            c, d = int(rng.integers(1, a)), int(rng.integers(1, b))
            fig, due = f"a = {a}; b = {b}; c = {c}; d = {d}", round((c + d) / (a + b) * mx, 2)
        elif code == "6.3":
            a = int(rng.integers(300, 3000))
            b, c = int(rng.integers(0, a // 2)), int(rng.integers(0, a // 2))
            r = (b + c) / a
            fig, due = f"a = {a:,}; b = {b:,}; c = {c:,}".replace(",", "."), round(mx if r >= 0.8 else r / 0.8 * mx, 2)
        elif code == "7.5":
            n = int(rng.integers(1, 7))
            k = int(rng.integers(1, n + 1))
            fig, due = f"{k}/{n} điểm", round(mx if k / n >= 0.5 else k / n / 0.5 * mx, 2)
        out.append((code, name, mx, fig, due))
    return out


def hungyen_table(out_dir: Path, seed: int, *, negatives: bool = True, narrow: bool = False) -> tuple[Path, dict]:
    """The Hưng Yên criteria table with figures drawn from ``seed`` and every self-score
    right: a correct reading raises no score flag.  ``narrow`` squeezes the label column so
    that labels wrap over 3–6 lines (and rows across page breaks).
    Returns (docx, {code: due points})."""
    from . import hungyen
    rows = hungyen_rows(seed, negatives)
    saved = hungyen.INDICATORS, hungyen.PLANTED, hungyen.MINMAX_CLAIMS, hungyen.WIDTHS
    try:
        hungyen.INDICATORS = [(c, n, mx, f, (lambda due: lambda _mx: due)(d)) for c, n, mx, f, d in rows]
        hungyen.PLANTED, hungyen.MINMAX_CLAIMS = {}, {}
        if narrow:
            hungyen.WIDTHS = [1.2, 3.6, 1.7, 3.6, 1.8]
        path = hungyen.build(out_dir)
    finally:
        hungyen.INDICATORS, hungyen.PLANTED, hungyen.MINMAX_CLAIMS, hungyen.WIDTHS = saved
    target = out_dir / f"hungyen-table-{seed}{'-narrow' if narrow else ''}.docx"
    path.rename(target)
    return target, {c: d for c, _n, _mx, _f, d in rows}


_NARRATIVE_FORMS = (
    "- {code}. {name}: {fig}. Tự chấm {p}/{mx} điểm.",
    "- {code}. {name}: {fig}, tự chấm {p} điểm (tối đa {mx} điểm).",
    "- {code}. {name}: {fig}; điểm tự đánh giá: {p}/{mx} điểm.",
)


def _reword(name: str, rng: np.random.Generator, drop: float) -> str:
    """The indicator's name as a commune might shorten it: abbreviations a typist uses,
    a parenthetical aside cut, a share of the other words dropped."""
    name = re.sub(r"\s*\([^()]*\)", "", name).rstrip(".")
    for long_, short in (("chuyển đổi số", "CĐS"), ("dịch vụ công trực tuyến", "DVCTT"),
                         ("cán bộ, công chức, viên chức", "CBCCVC"), ("doanh nghiệp", "DN"),
                         ("xã/thị trấn", "xã"), ("Ngân sách nhà nước", "NSNN"), ("ngân sách nhà nước", "NSNN")):
        if rng.random() < 0.7:
            name = name.replace(long_, short)
    words = name.split()
    keep = [w for i, w in enumerate(words) if i < 2 or rng.random() >= drop]
    return " ".join(keep)


# a self-score said in words the reader has no pattern for: the row's points are not read
_SAID_FORM = "- {code}. {name}: {fig}, được {p} điểm (tối đa {mx} điểm)."


def hungyen_narrative(out_dir: Path, seed: int, *, codes: bool = True, drop: float = 0.0,
                      sums: bool = False, said: int = 0) -> tuple[Path, dict]:
    """A narrative report (one bullet per indicator, maxima printed: ``narr_max``) with the
    figures of ``hungyen_table``; counted quantities in "điểm" ("3/4 điểm") sit beside
    the score.  ``sums`` prints each pillar's self-score in its heading and the total (all
    adding up); ``said`` rows with points write them "được 2,5 điểm" (class: an unread
    self-score must not make a pillar's sum an accusation).  Returns (docx, {code: (claimed, max)})."""
    from . import docxkit as dk
    import datetime as dt
    from .hungyen import PILLARS, vn
    rng = np.random.default_rng(seed + 1000)
    rows = hungyen_rows(seed, negatives=True)
    doc = dk.new_document(dk.PageSetup(), dk.Meta(author="UBND xã Tân Dân", title="Báo cáo chuyển đổi số 2024",
                                                  date=dt.datetime(2024, 11, 12, 8, 15)))
    dk.para(doc, "UBND XÃ TÂN DÂN, HUYỆN VĂN LÂM, TỈNH HƯNG YÊN", bold=True)
    dk.para(doc, "BÁO CÁO", bold=True, align="center", space_after=0)
    dk.para(doc, "Kết quả tự đánh giá mức độ chuyển đổi số cấp xã năm 2024", bold=True, align="center")
    expected = {}
    scored = [r[0] for r in rows if r[4] > 0]
    said_codes = set(rng.choice(scored, size=min(said, len(scored)), replace=False)) if said else set()
    for pcode, (pname, pmax) in PILLARS.items():
        sub = sum(round(r[4], 2) for r in rows if r[0].split(".")[0] == pcode)
        dk.para(doc, f"{pcode}. {pname}" + (f": tự chấm {vn(sub)}/{pmax} điểm" if sums else ""), bold=True)
        for code, name, mx, fig, due in rows:
            if code.split(".")[0] != pcode:
                continue
            form = _NARRATIVE_FORMS[int(rng.integers(len(_NARRATIVE_FORMS)))]
            if code in said_codes:
                form = _SAID_FORM
            if not codes:
                form = form.replace("{code}. ", "")
            label = _reword(name, rng, drop) if drop else name
            dk.para(doc, form.format(code=code, name=label, fig=fig, p=vn(due), mx=mx), space_after=0)
            expected[code] = (due, float(mx))
    if sums:
        total = sum(round(r[4], 2) for r in rows)
        dk.para(doc, f"Tổng điểm tự chấm: {vn(total)}/{sum(m for _, m in PILLARS.values())} điểm.", bold=True)
    tail = f"{'' if codes else '-nocodes'}{f'-drop{drop}' if drop else ''}{'-sums' if sums else ''}{f'-said{said}' if said else ''}"
    path = dk.save(doc, out_dir / f"hungyen-narrative-{seed}{tail}.docx")
    return path, expected


# ---------------------------------------------------------------- scans checked by their own sums

SCAN_HEADER = ("STT", "Nội dung chỉ số", "Điểm tối đa", "Kết quả thực hiện", "Điểm tự chấm")
SCAN_WIDTHS = [1.2, 8.4, 1.6, 4.2, 1.8]


def _scan_claims(seed: int) -> list[tuple[str, str, float, str, float]]:
    """(code, name, max, figures, self-score) for the Hưng Yên indicators, figures drawn from
    ``seed`` (``hungyen_rows``) and every self-score due by them: every sum right."""
    from . import hungyen
    drawn = {r[0]: r for r in hungyen_rows(seed, negatives=True)}
    out = []
    for code, name, mx, fig, _rule in hungyen.INDICATORS:
        # Min-Max rows (no rule of their own) claim what the sample claims
        _c, _n, _m, fig, due = drawn.get(code) or (code, name, mx, fig, hungyen.MINMAX_CLAIMS[code])
        short = " ".join(re.sub(r"\s*\([^()]*\)", "", name).split()[:9])
        out.append((code, short, float(mx), fig, round(due, 2)))
    return out


def scan_table(out_dir: Path, seed: int, *, smudge: int = 0, dpi: int = 200) -> tuple[Path, dict]:
    """A Hưng Yên score table (pillar rows with their printed subtotals, a total) typed in 10 pt,
    printed and scanned (``degrade.scan_page``), every sum right.  ``smudge`` rows have their
    printed code covered by an ink blot (class: a printed row whose code the scan lost).
    Returns (pdf, {"claimed": {code: self-score}, "smudged": [codes]})."""
    import datetime as dt

    from . import degrade, docxkit as dk, render
    from .hungyen import PILLARS, vn
    rows = _scan_claims(seed)
    rng = np.random.default_rng(seed)
    doc = dk.new_document(dk.PageSetup(size=10), dk.Meta(author="UBND xã Tân Dân", title="Bảng tự đánh giá",
                                                         date=dt.datetime(2024, 11, 12, 8, 15)))
    dk.para(doc, "UBND XÃ TÂN DÂN, HUYỆN VĂN LÂM, TỈNH HƯNG YÊN", bold=True)
    dk.para(doc, "BẢNG TỰ ĐÁNH GIÁ MỨC ĐỘ CHUYỂN ĐỔI SỐ CẤP XÃ NĂM 2024", bold=True, align="center")
    table = dk.grid_table(doc, SCAN_WIDTHS)
    hr = dk.add_row(table, SCAN_WIDTHS)
    for cell, text in zip(hr.cells, SCAN_HEADER):
        dk.set_cell(cell, text, bold=True, align="center", size=10)
    for pcode, (pname, pmax) in PILLARS.items():
        mine = [r for r in rows if r[0].split(".")[0] == pcode]
        r = dk.add_row(table, SCAN_WIDTHS)
        for cell, text in zip(r.cells, (pcode, pname.upper(), str(pmax), "", vn(sum(x[4] for x in mine)))):
            dk.set_cell(cell, text, bold=True, align="center" if text != pname.upper() else "left", size=10)
        for code, name, mx, fig, pts in mine:
            r = dk.add_row(table, SCAN_WIDTHS)
            for cell, text, al in zip(r.cells, (code, name, f"{mx:g}", fig, vn(pts)),
                                      ("center", "left", "center", "left", "center")):
                dk.set_cell(cell, text, align=al, size=10)
    r = dk.add_row(table, SCAN_WIDTHS)
    dk.set_cell(r.cells[1], "TỔNG ĐIỂM", bold=True, align="center", size=10)
    dk.set_cell(r.cells[2], "1000", bold=True, align="center", size=10)
    dk.set_cell(r.cells[4], vn(sum(x[4] for x in rows)), bold=True, align="center", size=10)
    stem = f"hungyen-scan-{seed}{f'-smudge{smudge}' if smudge else ''}"
    docx_path = dk.save(doc, out_dir / f"{stem}.docx")
    pdf = render.to_pdf([docx_path], out_dir / "text")[0]
    pages = render.rasterise(pdf, dpi, grayscale=True)
    smudged = list(rng.choice([r[0] for r in rows], size=smudge, replace=False)) if smudge else []
    if smudged:
        pages = _blot_codes(pdf, pages, smudged, dpi, rng)
    scans = [degrade.scan_page(p, rng, degrade.ScanNoise(dpi=dpi)) for p in pages]
    out = degrade.images_to_pdf(scans, out_dir / f"{stem}.pdf", dpi=dpi, quality=70, title=stem)
    return out, {"claimed": {r[0]: r[4] for r in rows}, "smudged": [str(c) for c in smudged]}


def _blot_codes(pdf: Path, pages: list, codes: list[str], dpi: int, rng: np.random.Generator) -> list:
    """An ink blot over each of ``codes``' STT cell (found in the text PDF's own table)."""
    import cv2
    from PIL import Image

    import extractors
    text_doc = extractors.read(pdf)
    f = dpi / 72
    out = [np.asarray(p).copy() for p in pages]
    for t in text_doc.tables():
        for row in t.rows:
            for c in row:
                if c.col == 0 and c.text.strip() in codes and c.bbox is not None:
                    x0, y0, x1, y1 = (v * f for v in c.bbox)
                    page = out[(c.page or t.page) - 1]
                    centre = (int((x0 + x1) / 2), int((y0 + y1) / 2))
                    axes = (int((x1 - x0) * 0.42), int((y1 - y0) * 0.45))
                    cv2.ellipse(page, centre, axes, float(rng.uniform(-20, 20)), 0, 360, 60, -1)
    return [Image.fromarray(p, "L") for p in out]


def plant_first_read(doc, code: str, text: str) -> str | None:
    """Make the OCR's first reading of row ``code``'s self-score cell say ``text`` (the page's
    pixels unchanged): the class 'one digit misread' (``text`` a digit away) or 'a claimed cell
    unread' (``text`` empty).  Returns what it read before, None when the row was not found."""
    for t in doc.tables():
        for row in t.rows:
            if row and row[0].text.strip().replace(",", ".").rstrip(".") == code:
                cell = max(row, key=lambda c: c.col)
                before = cell.text
                cell.text = text
                if not text:
                    cell.ocr_missed = True
                return before
    return None


_CONFUSED = {"0": "8", "1": "7", "2": "7", "3": "8", "4": "9", "5": "9", "6": "8", "7": "1", "8": "6", "9": "5"}


def vn_text(x: float) -> str:
    """A self-score as ``scan_table`` prints it."""
    from .hungyen import vn
    return vn(x)


def misread_of(text: str, top: float) -> str | None:
    """``text`` (a printed self-score) with one digit read as OCR confuses it ('2,5' -> '2,9'),
    the last digit that keeps the value within ``top`` and moves it by more than the sums'
    tolerance (0,1); None when none does."""
    for i in reversed([i for i, ch in enumerate(text) if ch.isdigit()]):
        out = text[:i] + _CONFUSED[text[i]] + text[i + 1:]
        value, was = (float(x.replace(".", "").replace(",", ".")) for x in (out, text))
        if value <= top and abs(value - was) > 0.1:     # within a tenth the sums cannot tell
            return out
    return None


# ---------------------------------------------------------------- scans of figures read wrong

def scan_criteria(out_dir: Path, seed: int, *, dpi: int = 200) -> tuple[Path, dict]:
    """The Hưng Yên criteria table (``hungyen_table``: figures drawn from ``seed``, every
    self-score due by them, subtotals and total right) printed and scanned.  Returns
    (pdf, {"claimed": {code: self-score}, "figures": {code: figures as printed}})."""
    from . import degrade, render
    docx, due = hungyen_table(out_dir, seed)
    pdf = render.to_pdf([docx], out_dir / "text")[0]
    rng = np.random.default_rng(seed + 77)
    pages = [degrade.scan_page(p, rng, degrade.ScanNoise(dpi=dpi)) for p in render.rasterise(pdf, dpi, grayscale=True)]
    out = degrade.images_to_pdf(pages, out_dir / f"hungyen-criteria-scan-{seed}.pdf", dpi=dpi, quality=70,
                                title=docx.stem)
    figs = {c: f for c, _n, _mx, f, _d in hungyen_rows(seed, negatives=True)}
    return out, {"claimed": dict(due), "figures": figs}


def figure_misreads(text: str, rng: np.random.Generator) -> list[str]:
    """``text`` (a figures cell as printed: "a = 22; b = 24", "1.570/2.000 hộ (78,5%)") as OCR
    misreads it, each way once: one digit of a count confused (1/7, 5/6/8, 3/8, 0/8), a
    thousands dot or a rate's comma lost.  Drawn by ``rng`` among the numbers of the cell."""
    nums = [m for m in re.finditer(r"\d+(?:[.,]\d+)*", text)]
    out: list[str] = []
    if not nums:
        return out
    m = nums[int(rng.integers(len(nums)))]
    digits = [i for i in range(m.start(), m.end()) if text[i].isdigit()]
    for i in rng.permutation(digits):
        alt = _CONFUSED[text[i]]
        out.append(text[:i] + alt + text[i + 1:])
        break
    seps = [i for i in range(m.start(), m.end()) if text[i] in ".,"]
    if seps:
        i = seps[int(rng.integers(len(seps)))]
        out.append(text[:i] + text[i + 1:])
    return out


def plant_figures_read(doc, code: str, text: str, col: int = 3) -> str | None:
    """Make the OCR's first reading of row ``code``'s figures cell (column ``col``) say ``text``,
    the page's pixels unchanged (class: a count's digit or a rate's comma misread without any
    sign of doubt).  Returns what it read before, None when the row was not found."""
    for t in doc.tables():
        for row in t.rows:
            if row and row[0].text.strip().replace(",", ".").rstrip(".") == code:
                cell = next((c for c in row if c.col == col), None)
                if cell is None:
                    return None
                before = cell.text
                cell.text = text
                return before
    return None
