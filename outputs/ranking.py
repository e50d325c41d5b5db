"""``dti rank``: the district's ranking from the store (corrections applied), as .xlsx and a chart.

Which reports: one ruleset and assessment year; a district (``--district`` / ``--receiver``) is
chosen by name, matched (accents, case and "UBND" ignored) against the body the report is
addressed to ("Kính gửi: UBND huyện Văn Lâm"), the unit's district when the document names one,
or the paths the reports arrived under, so a province that keeps one inbox subfolder per
district (``inbox/tua-chua/...``) ranks each district on its own.

Each commune ranks once, under its name in the receiving body's list (``store.communes``);
a report whose unit was not read or matches no commune is held out, listed with the reason
(``Ranking.held``, the workbook's sheet "Báo cáo chưa xếp hạng"), never ranked under its file name.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from store import filenames
from store.store import Store
from store.stored import ReportSummary
from store.submissions import fold

HELD_SHEET = "Báo cáo chưa xếp hạng"


class RankError(Exception):
    """Nothing to rank, or the choice of ruleset is ambiguous; the message says what to do."""


def _body(text: str) -> str:
    """` UBND huyện Văn Lâm ` ~ `Ủy ban nhân dân huyện Văn Lâm` ~ ` ubnd huyen van lam `."""
    return f" {fold(text).replace('uy ban nhan dan', 'ubnd')} "


def receiver_of(summary: ReportSummary, doc: dict) -> str | None:
    return (doc.get("unit") or {}).get("receiver") or summary.unit.receiver


def in_district(summary: ReportSummary, doc: dict, district: str) -> bool:
    """The report is addressed to the district's body, names the district, or arrived under a
    sub-folder named for it."""
    want = _body(district)
    want = want[len(" ubnd"):] if want.startswith(" ubnd ") else want
    unit = doc.get("unit") or {}
    for named in (receiver_of(summary, doc), unit.get("district") or doc.get("district")):
        if named and want in _body(str(named)):
            return True
    # the folders it arrived under, not its file's own name ("thi-tran-lam-thao.docx" is a commune)
    folders = [" ".join(name.replace("\\", "/").split("/")[:-1]) for name in summary.file_names or [summary.file_name or ""]]
    bare = re.sub(r"^ (?:huyen|thi xa|thanh pho|quan) ", " ", want)     # folders say "van-lam"
    return any(bare in _body(f) for f in folders if f)


def the_receiver(subs: list, district: str | None) -> str | None:
    """The receiving body as the ranked reports write it, the most common (for the title)."""
    if not district:
        return None
    # "UBND huyện X (qua Phòng Văn hóa và Thông tin)": the routing note is not the body's name
    names = [re.sub(r"\s*\(qua\b[^)]*\)", "", r).strip() for s in subs
             if (r := receiver_of(s.counted.summary, s.counted.document))
             and in_district(s.counted.summary, {"unit": {"receiver": r}}, district)]
    return Counter(names).most_common(1)[0][0] if names else None


@dataclass
class Ranking:
    ruleset: str
    year: int
    n_reports: int
    xlsx: Path
    png: Path
    table: object        # pandas.DataFrame
    submissions: list = field(default_factory=list)    # store.submissions.Submission, ranked ones
    held: list = field(default_factory=list)           # Held: reports held out (unit unread / not in the list)
    receiver: str | None = None                        # the body the ranked reports are addressed to


def select_submissions(store: Store, year: int, ruleset: str | None, district: str | None) -> tuple[str, list]:
    """The submissions of a year that rank: one per unit, its counted version (see
    ``store.submissions``), of one ruleset, in the district if one is named.  Those held
    out are among them (``held_vi``): ``rank_store`` lists them apart."""
    from store.submissions import build
    subs = [s for s in build(store, year=year) if s.ruleset and (ruleset is None or s.ruleset == ruleset)]
    if not subs:
        raise RankError(f"Không có báo cáo năm {year}{' theo bộ ' + ruleset if ruleset else ''} trong kho / "
                        f"no stored reports for {year}{' under ' + ruleset if ruleset else ''}")
    rulesets = sorted({s.ruleset for s in subs})
    if ruleset is None and len(rulesets) > 1:
        raise RankError("Kho có báo cáo theo nhiều bộ chỉ số; chọn một bằng --ruleset / reports use several "
                        f"rulesets, choose one with --ruleset: {', '.join(rulesets)}")
    ruleset = ruleset or rulesets[0]
    subs = [s for s in subs if s.ruleset == ruleset
            and (not district or in_district(s.counted.summary, s.counted.document, district))]
    if not subs:
        raise RankError(f"Không có báo cáo nào gửi huyện/đơn vị '{district}' (Kính gửi, thư mục) / "
                        f"no reports addressed to or filed under '{district}'")
    return ruleset, subs


@dataclass
class Held:
    """A report held out of the ranking: its unit (or year) could not be read or matched."""
    id: int
    file_name: str
    name: str | None          # the unit as read, if any
    vi: str
    en: str
    needs_year: bool = False  # the name is known, the year is what to set


def held_out(store: Store, year: int, ruleset: str, chosen: list, district: str | None) -> list[Held]:
    """The reports of the ruleset that cannot rank: the submissions held out (``held_vi``) and the
    reports whose assessment year was not read (they belong to no year's ranking until set)."""
    from store.submissions import NOT_REPORT_STATUS, NOT_VERSIONS_LAYOUTS
    out = [Held(s.counted.id, s.counted.summary.file_name, s.name, s.held_vi, s.held_en) for s in chosen if s.held_vi]
    for r in store.reports(ruleset=ruleset):
        if (r.unit.year is None and r.status != NOT_REPORT_STATUS and r.layout not in NOT_VERSIONS_LAYOUTS
                and (not district or in_district(r, {}, district))):
            out.append(Held(r.id, r.file_name, r.unit.name, f"không đọc được năm đánh giá (có thể là năm {year})",
                            f"the assessment year could not be read (it may be {year})", needs_year=True))
    return out


def held_lines(held: list[Held]) -> list[str]:
    """One line per report held out of the ranking: which file, why, and how to set its unit."""
    return [f"#{h.id} {filenames.shown(h.file_name)}: {h.vi} / {h.en} — dti unit set {h.id} "
            + (f"\"{h.name or 'Xã …'}\" --year NĂM " if h.needs_year else "\"Xã …\" ") + "--by TÊN --why \"…\""
            for h in held]


def add_held_sheet(xlsx: Path, held: list[Held]) -> None:
    """The workbook's sheet of reports held out of the ranking (file name, reason), so the list
    that is signed never silently lacks a commune."""
    if not held:
        return
    from openpyxl import load_workbook
    from openpyxl.styles import Font
    wb = load_workbook(xlsx)
    ws = wb.create_sheet(HELD_SHEET)
    ws.append(["Báo cáo số", "Tệp", "Tên đơn vị đọc được", "Lý do chưa xếp hạng"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for h in held:
        ws.append([h.id, h.file_name, h.name or "(không đọc được)",
                   f"{h.vi}; đặt đơn vị trên trang rà soát hoặc bằng lệnh dti unit set"])
    for col, width in zip("ABCD", (12, 40, 30, 80)):
        ws.column_dimensions[col].width = width
    wb.save(xlsx)


def rank_store(store: Store, year: int, ruleset: str | None = None, district: str | None = None,
               out: Path | None = None) -> Ranking:
    """The ranking of the counted versions, with the accepted scores the queue and pages show
    (Min-Max spread over the year's counted versions of the ruleset, as there)."""
    import rulesets
    import scoring.batch as batch

    ruleset_id, chosen = select_submissions(store, year, ruleset, district)
    held = held_out(store, year, ruleset_id, chosen, district)
    subs = [s for s in chosen if not s.held_vi]
    if not subs:
        raise RankError(f"Chưa xếp hạng được: {len(held)} báo cáo chưa rõ đơn vị / nothing to rank, "
                        f"{len(held)} report(s) held out: " + "; ".join(held_lines(held)))
    rs = rulesets.load(ruleset_id)
    # each ranks under its commune's name (the list's): never the name of its file
    docs = [dict(s.counted.document, unit={**(s.counted.document.get("unit") or {}), "name": s.name}) for s in subs]
    df = batch.rank_documents(docs, rs, [s.counted.accepted for s in subs])
    stem = f"xep-hang-{year}-{ruleset_id}" + (f"-{fold(district).replace(' ', '-')}" if district else "")
    xlsx = Path(out) if out else store_dir(store) / "rank" / f"{stem}.xlsx"
    xlsx.parent.mkdir(parents=True, exist_ok=True)
    from settings.settings import current
    receiver = the_receiver(subs, district)
    place = receiver or district or current().district
    title = (f"Kết quả đánh giá, xếp hạng mức độ chuyển đổi số cấp xã năm {year}"
             + (f" — huyện {place}" if place and not fold(place).startswith(("huyen", "thi xa", "thanh pho",
                                                                                "ubnd", "uy ban", "phong", "so "))
                else f" — {place}" if place else ""))
    batch.write_ranking_xlsx(df, xlsx, title=title, versions=[
        (s.name, s.counted.id, s.counted.summary.file_name, s.reason_vi) for s in subs])
    add_held_sheet(xlsx, held)
    png = xlsx.with_suffix(".png")
    pillar_names = [p.name for p in rs.pillars]
    write_chart(df, pillar_names, png, f"Điểm DTI {year} theo trụ cột ({ruleset_id})")
    return Ranking(ruleset_id, year, len(subs), xlsx, png, df, subs, held, receiver)


def bare_name(name: str) -> str:
    """`UBND xã Tân Dân` ~ `Xã Tân Dân` ~ `tan dan`: a commune's name without its kind."""
    from store.communes import split_kind
    return split_kind(name)[1]


def read_communes(path: Path) -> list[str]:
    """The names of a list of communes (``store.communes.read_list``: text, Excel, a decision)."""
    from store.communes import CommunesError, read_list
    try:
        return [c.name for c in read_list(path)]
    except CommunesError as e:
        raise RankError(str(e)) from None


def warnings_for(ranking: Ranking, communes: list[str] | None = None) -> list[str]:
    """What the district should know before publishing: units whose versions are not all
    reviewed, and communes of its list without any report that ranks."""
    out = []
    criteria = ranking.table.attrs.get("scored") is False
    for name, p in (ranking.table.attrs.get("provisional") or {}).items():
        codes = p.get("codes") or []
        what = f"{len(codes)} tiêu chí chưa kết luận" if criteria else f"điểm tạm tính {num(p.get('total'))}"
        out.append(f"{name}: {what} ({', '.join(codes)}), cần rà soát trước khi ký / provisional, "
                   f"to review before signing")
    for sub in ranking.submissions:
        if sub.unreviewed:
            ids = ", ".join(f"#{v.id} {v.summary.file_name}" for v in sub.unreviewed)
            out.append(f"{sub.name}: {len(sub.unreviewed)} bản chưa rà soát / unreviewed version(s): {ids}")
    if communes:
        have = {bare_name(s.name or "") for s in ranking.submissions}
        for name in communes:
            if bare_name(name) not in have:
                out.append(f"{name}: chưa có báo cáo năm {ranking.year} / no report for {ranking.year}")
    return out


def num(x) -> str:
    """Points as the district prints them: 275,81 (``rulesets.numbers``: the one format)."""
    from rulesets.numbers import vn_number
    return vn_number(x, empty="—")


def compare(ranking: Ranking, printed: dict) -> list[str]:
    """Lines comparing a district's own ranking table (a stored ``ranking-table`` document and its
    ``units``) with the ranking computed from the counted versions: totals and ranks per unit,
    and the units found in only one of them."""
    ours = {bare_name(str(n)): (n, t, r) for n, t, r in zip(ranking.table["Tên đơn vị"], ranking.table["Tổng điểm"],
                                                             ranking.table["Xếp hạng"])}
    lines, seen = [], set()
    for u in printed.get("units") or []:
        key = bare_name(u.get("name") or "")
        if key not in ours:
            lines.append(f"{u.get('name')}: trong bảng in (tổng {num(u.get('total'))}, hạng {u.get('rank')}), "
                         f"không có trong bảng tính / printed only")
            continue
        seen.add(key)
        name, total, rank = ours[key]
        delta = float(total) - float(u.get("total") or 0)
        same = abs(delta) <= 0.01 and u.get("rank") == int(rank)
        lines.append(f"{u.get('name')}: bảng in {num(u.get('total'))} (hạng {u.get('rank')}), bảng tính {num(total)} "
                     f"(hạng {int(rank)}){' — khớp / same' if same else f' — chênh / differs ' + ('+' if delta >= 0 else '-') + num(abs(delta))}")
    for key, (name, total, rank) in ours.items():
        if key not in seen:
            lines.append(f"{name}: trong bảng tính (tổng {num(total)}, hạng {int(rank)}), "
                         f"không có trong bảng in / computed only")
    return lines


def store_dir(store: Store) -> Path:
    """Outputs live beside a SQLite database, else in var/."""
    from settings.config import var_dir
    loc = Path(store.location)
    return loc.parent if loc.suffix == ".sqlite" else var_dir()


def write_chart(df, pillar_names: list[str], path: Path, title: str) -> Path:
    """One horizontal bar per unit (best on top), split into its pillars' points."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [str(n) for n in df["Tên đơn vị"]][::-1]
    fig_h = max(3.0, 0.45 * len(names) + 1.8)
    fig, ax = plt.subplots(figsize=(11, fig_h), dpi=110)
    left = [0.0] * len(names)
    cmap = plt.get_cmap("tab10")
    for i, pname in enumerate(pillar_names):
        if pname not in df.columns:
            continue
        vals = [float(v or 0) for v in df[pname]][::-1]
        ax.barh(names, vals, left=left, color=cmap(i % 10), label=pname, edgecolor="white", linewidth=0.5)
        left = [a + b for a, b in zip(left, vals)]
    for y, total in enumerate(left):
        ax.text(total, y, f" {num(total)}", va="center", fontsize=8)
    ax.set_xlabel("Điểm")
    ax.set_title(title)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)
    ax.margins(x=0.08)
    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)
    return path
