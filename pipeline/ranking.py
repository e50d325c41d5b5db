"""``dti rank``: the district's ranking from the store (corrections applied), as .xlsx and a chart.

Which reports: one ruleset and assessment year; a district is chosen by name,
matched (accents and case ignored) against the unit's district when the
document names one, else against the paths the reports arrived under, so a
province that keeps one inbox subfolder per district (``inbox/tua-chua/...``)
ranks each district on its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.store import Store
from pipeline.stored import ReportSummary
from pipeline.submissions import fold


class RankError(Exception):
    """Nothing to rank, or the choice of ruleset is ambiguous; the message says what to do."""


def in_district(summary: ReportSummary, doc: dict, district: str) -> bool:
    want = fold(district)
    unit = doc.get("unit") or {}
    named = unit.get("district") or doc.get("district")
    if named:
        return want in fold(str(named))
    return any(want in fold(name.replace("/", " ")) for name in summary.file_names or [summary.file_name or ""])


@dataclass
class Ranking:
    ruleset: str
    year: int
    n_reports: int
    xlsx: Path
    png: Path
    table: object        # pandas.DataFrame
    submissions: list = field(default_factory=list)    # pipeline.submissions.Submission, ranked ones


def select_submissions(store: Store, year: int, ruleset: str | None, district: str | None) -> tuple[str, list]:
    """The submissions of a year that rank: one per unit, its counted version (see
    ``pipeline.submissions``), of one ruleset, in the district if one is named."""
    from pipeline.submissions import build
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
        raise RankError(f"Không có báo cáo nào của huyện '{district}' / no reports from district '{district}'")
    return ruleset, subs


def rank_store(store: Store, year: int, ruleset: str | None = None, district: str | None = None,
               out: Path | None = None) -> Ranking:
    """The ranking of the counted versions, with the accepted scores the queue and pages show
    (Min-Max spread over the year's counted versions of the ruleset, as there)."""
    import rulesets
    import scoring.batch as batch

    ruleset_id, subs = select_submissions(store, year, ruleset, district)
    rs = rulesets.load(ruleset_id)
    df = batch.rank_documents([s.counted.document for s in subs], rs, [s.counted.accepted for s in subs])
    stem = f"xep-hang-{year}-{ruleset_id}" + (f"-{fold(district).replace(' ', '-')}" if district else "")
    xlsx = Path(out) if out else store_dir(store) / "rank" / f"{stem}.xlsx"
    xlsx.parent.mkdir(parents=True, exist_ok=True)
    from pipeline.settings import current
    place = district or current().district
    title = (f"Kết quả đánh giá, xếp hạng mức độ chuyển đổi số cấp xã năm {year}"
             + (f" — huyện {place}" if place and not fold(place).startswith(("huyen", "thi xa", "thanh pho")) else
                f" — {place}" if place else ""))
    batch.write_ranking_xlsx(df, xlsx, title=title, versions=[
        (s.name, s.counted.id, s.counted.summary.file_name, s.reason_vi) for s in subs])
    png = xlsx.with_suffix(".png")
    pillar_names = [p.name for p in rs.pillars]
    write_chart(df, pillar_names, png, f"Điểm DTI {year} theo trụ cột ({ruleset_id})")
    return Ranking(ruleset_id, year, len(subs), xlsx, png, df, subs)


_UNIT_WORDS = ("ubnd ", "uy ban nhan dan ", "xa ", "phuong ", "thi tran ")


def bare_name(name: str) -> str:
    """`UBND xã Tân Dân` ~ `Xã Tân Dân` ~ `tan dan`: a commune's name without its kind."""
    text = fold(name)
    changed = True
    while changed:
        changed = False
        for w in _UNIT_WORDS:
            if text.startswith(w):
                text, changed = text[len(w):], True
    return text


def read_communes(path: Path) -> list[str]:
    """The district's list of communes: one name a line; blank lines and `#` comments skipped."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise RankError(f"{path}: không đọc được danh sách xã / cannot read the list of communes ({e})") from None
    names = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    names = [n for n in names if n]
    if not names:
        raise RankError(f"{path}: danh sách xã trống / the list of communes is empty")
    return names


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
    from pipeline.config import var_dir
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
