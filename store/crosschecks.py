"""The auditor's checks across stored reports, run after each pass (``pipeline.batch.recorded_pass``):
``copied-between-units``, ``evidence-after-report``, ``implausible-change``.

One query reads what the three checks need (every self-assessment with a year, ordered by
year and ruleset on the ``x001`` index), one more lays reviewers' figure corrections over it;
the comparisons are ``scoring.crosscheck``'s; one transaction replaces the cross-report flags
of the reports whose findings changed.  Linear in reports: copies are looked for only among
pairs that share informative figures or wording (an inverted index whose lists are capped),
never among all pairs.

Stored like every flag (``flags`` rows and the document's ``flags``, appended after the
reading's own), so `dti export` and the review page show them; extras on each flag's JSON
(``other``: the other report; ``pairs``: the rows on both sides) let the page put the evidence
side by side.  A re-run replaces them: a finding that is gone loses its flag (a reviewer's
decision on it stays in the trail, detached), one raised again identically (code, indicator,
message) keeps its record and so the reviewer's decision.
"""
from __future__ import annotations

import logging
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from sqlalchemy import select, text

from matchers.report import CROSS_FLAG_CODES
from matchers import kinds
from store.schema import Correction, FlagRec, ReportRec, RowRec
from store.submissions import NOT_VERSIONS_LAYOUTS, unit_key
from scoring.crosscheck import change, copies, evidence
from scoring.flags import fmt

log = logging.getLogger(__name__)

# a figure or shingle printed alike by more reports than this is common in the store, not a copy's
# trace: it is left out of the candidate index (keeps the pairs counted linear in reports)
POSTING_CAP = 25
MIN_SHARED_TEXT = 20
# a figure more units print alike than this is an official list's, not a copy's (copies.compare)
COMMON_MIN, COMMON_SHARE = 8, 0.2
FIGURE_FIELDS = ("numerator", "denominator", "ratio", "claimed_points", "max_points", "answer", "indicator")


@dataclass
class Stored:
    """One report as the checks see it: its facts and compact rows (corrections applied)."""
    id: int
    sha256: str
    file: str
    unit: str | None
    level: str | None
    year: int | None
    ruleset: str | None
    report_date: str | None
    rows: list[dict] = field(default_factory=list)
    cross: list[dict] = field(default_factory=list)     # its cross-report flags as stored now

    @property
    def key(self) -> str:
        return unit_key(self.unit, self.level, self.year, self.sha256)

    def named(self) -> str:
        return f"báo cáo #{self.id} của {self.unit or 'đơn vị chưa rõ'} năm {self.year} (tệp {self.file})"

    def other(self) -> dict:
        return {"id": self.id, "sha256": self.sha256, "unit": self.unit, "year": self.year, "file": self.file,
                "ruleset": self.ruleset}


_ROW_KEYS = ("indicator", "label", "numerator", "denominator", "ratio", "claimed_points", "max_points", "count",
             "amount", "answer", "option", "evidence", "confidence", "field_confidence")


def load(store) -> list[Stored]:
    """Every self-assessment with a year, rows compacted, reviewers' figure corrections laid over."""
    q = (select(ReportRec.id, ReportRec.sha256, ReportRec.file_name, ReportRec.unit_name, ReportRec.unit_level,
                ReportRec.unit_year, ReportRec.ruleset, ReportRec.document)
         .where(ReportRec.unit_year.is_not(None), ReportRec.status != kinds.STATUS,
                ReportRec.layout.not_in(NOT_VERSIONS_LAYOUTS))
         .order_by(ReportRec.unit_year, ReportRec.ruleset, ReportRec.id))
    out: dict[int, Stored] = {}
    with store._session() as s:
        for rid, sha, name, unit, level, year, rs, doc in s.execute(q.execution_options(yield_per=200)):
            rows = [{"position": i, **{k: r.get(k) for k in _ROW_KEYS}} for i, r in enumerate(doc.get("rows") or [])]
            out[rid] = Stored(rid, sha, name, unit, level, year, rs, doc.get("report_date"), rows,
                              [f for f in doc.get("flags") or [] if f.get("code") in CROSS_FLAG_CODES])
        fixes = s.execute(select(Correction.report_id, RowRec.position, Correction.field, Correction.new)
                          .join(RowRec, RowRec.id == Correction.row_id)
                          .where(Correction.field.in_(FIGURE_FIELDS)).order_by(Correction.id))
        for rid, pos, fld, new in fixes:
            rep = out.get(rid)
            if rep is not None and pos < len(rep.rows):
                rep.rows[pos][fld] = new
                rep.rows[pos]["corrected"] = True
    return list(out.values())


# ------------------------------------------------------------------------------ copies
def _template(ruleset_id: str | None) -> set[str]:
    from store.submissions import _ruleset
    rs = _ruleset(ruleset_id) if ruleset_id else None
    if rs is None:
        return set()
    texts = [i.name for i in rs.indicators] + [a for i in rs.indicators for a in i.aliases]
    return copies.template_shingles(texts + [p.name for p in rs.pillars])


def _shared(table: dict[int, set]) -> Counter:
    """Pairs of reports and how many keys they share, over keys held by at most POSTING_CAP reports."""
    index: dict = defaultdict(list)
    for rid, ks in table.items():
        for k in ks:
            index[k].append(rid)
    pairs: Counter = Counter()
    for ids in index.values():
        if 2 <= len(ids) <= POSTING_CAP:
            pairs.update(combinations(ids, 2))
    return pairs


def _candidates(keys: dict[int, set], texts: dict[int, set]) -> set[tuple[int, int]]:
    return ({p for p, n in _shared(keys).items() if n >= copies.MIN_AGREE}
            | {p for p, n in _shared(texts).items() if n >= MIN_SHARED_TEXT})


def copy_flags(reports: list[Stored]) -> dict[int, list[dict]]:
    groups: dict[tuple, list[Stored]] = defaultdict(list)
    for r in reports:
        if r.ruleset and r.unit:
            groups[(r.year, r.ruleset)].append(r)
    out: dict[int, list[dict]] = defaultdict(list)
    for (_year, rid), group in groups.items():
        if len(group) < 2:
            continue
        template = _template(rid)
        by_id = {r.id: r for r in group}
        keys = {r.id: copies.figure_keys(r.rows) for r in group}
        texts = {r.id: copies.text_shingles(r.rows, template) for r in group}
        held = Counter(k for ks in keys.values() for k in ks)
        common = {k for k, n in held.items() if n >= max(COMMON_MIN, COMMON_SHARE * len(group))}
        for a, b in sorted(_candidates(keys, texts)):
            ra, rb = by_id[a], by_id[b]
            if ra.key.split("|")[0] == rb.key.split("|")[0]:     # one unit's versions, not two units
                continue
            ag = copies.compare(ra.rows, rb.rows, texts[a], texts[b], common)
            if ag.copied:
                out[a].append(_copy_flag(ag, rb, mirror=False))
                out[b].append(_copy_flag(ag, ra, mirror=True))
    return out


def _copy_flag(ag: copies.Agreement, other: Stored, mirror: bool) -> dict:
    text = (f", câu chữ minh chứng giống {round(ag.jaccard * 100)}%" if ag.jaccard is not None else "")
    msg = (f"Số liệu trùng với {other.named()}: {ag.agree}/{ag.compared} số liệu có ý nghĩa giống hệt "
           f"({round(ag.share * 100)}% theo trọng số){text}; có thể sao chép giữa hai đơn vị, đề nghị đối chiếu.")
    pairs = [dict(p, this=p["other"], other=p["this"]) if mirror else dict(p) for p in ag.pairs[:12]]
    return {"indicator": None, "code": "copied-between-units", "severity": "warning", "message": msg,
            "other": other.other(), "pairs": pairs,
            "measure": {"share": round(ag.share, 3), "agree": ag.agree, "compared": ag.compared,
                        "jaccard": None if ag.jaccard is None else round(ag.jaccard, 3)}}


# ------------------------------------------------------------------------------ dates
def date_flags(reports: list[Stored], sure: float) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = defaultdict(list)
    for r in reports:
        for late in evidence.late_citations(r.rows, r.report_date, r.year, sure):
            out[r.id].append({
                "indicator": late.indicator, "code": "evidence-after-report", "severity": "warning",
                "message": evidence.message(late),
                "cited": {"text": late.cited.text, "date": late.cited.date.isoformat(),
                          "limit": late.limit.isoformat(), "limit_is_report_date": late.limit_is_report_date},
                "pairs": [{"indicator": late.indicator, "this": late.position, "other": None}]})
    return out


# ------------------------------------------------------------------------------ changes
_FIGURE_VI = {"ratio": "tỷ lệ", "numerator": "tử số", "denominator": "mẫu số", "count": "số lượng",
              "amount": "kinh phí"}


def _shown(figure: str, v: float) -> str:
    return f"{fmt(v * 100)}%" if figure == "ratio" else fmt(v)


def change_flags(reports: list[Stored], sure: float) -> dict[int, list[dict]]:
    from store.submissions import _ruleset
    latest: dict[str, Stored] = {}
    for r in reports:                          # ordered by id: the newest version of a unit-year wins
        if r.unit:
            latest[r.key] = r
    out: dict[int, list[dict]] = defaultdict(list)
    for r in latest.values():
        prev = latest.get(unit_key(r.unit, r.level, r.year - 1))
        rs_now = _ruleset(r.ruleset) if r.ruleset else None
        rs_prev = _ruleset(prev.ruleset) if prev is not None and prev.ruleset else None
        if prev is None or rs_now is None or rs_prev is None or rs_now.province != rs_prev.province:
            continue
        codes = change.pair_codes(rs_now, rs_prev)
        for c in change.changes(r.rows, prev.rows, rs_now.plausibility, codes, sure):
            fig = _FIGURE_VI.get(c.rule.figure, c.rule.figure)
            msg = (f"Chỉ số {c.indicator}: {fig} {_shown(c.rule.figure, c.before)} năm {prev.year} "
                   f"→ {_shown(c.rule.figure, c.after)} năm {r.year} ({c.why}; so với {prev.named()}).")
            out[r.id].append({
                "indicator": c.indicator, "code": "implausible-change", "severity": "info", "message": msg,
                "other": prev.other(), "rule": {"kind": c.rule.kind, "name": c.rule.name, "figure": c.rule.figure},
                "before": c.before, "after": c.after,
                "pairs": [{"indicator": c.indicator, "other_indicator": c.previous_indicator,
                           "this": c.this_position, "other": c.other_position, "same": [], "differ": [c.rule.figure]}]})
    return out


# ------------------------------------------------------------------------------ storing
def store_flags(store, found: dict[int, list[dict]], current: dict[int, list[dict]] | None = None) -> int:
    """Replace the cross-report flags of every report whose findings changed (``current``: the
    cross-report flags each report's document holds now, where known); returns how many reports
    were rewritten."""
    current = current or {}
    order = {c: i for i, c in enumerate(CROSS_FLAG_CODES)}
    with store._session.begin() as s:
        if store.engine.dialect.name == "postgresql":
            # two workers ending their passes at once: one replaces, the other waits, then sees its flags
            s.execute(text("SELECT pg_advisory_xact_lock(20020)"))
        old: dict[int, list[FlagRec]] = defaultdict(list)
        for f in s.scalars(select(FlagRec).where(FlagRec.code.in_(CROSS_FLAG_CODES)).order_by(FlagRec.position)):
            old[f.report_id].append(f)
        touched = 0
        for rid in sorted(set(found) | set(old)):
            new = sorted(found.get(rid, []), key=lambda f: (order[f["code"]], f.get("indicator") or "", f["message"]))
            if rid in current and current[rid] == new and len(old.get(rid, [])) == len(new):
                continue
            rec = s.get(ReportRec, rid)
            if rec is None:
                continue
            doc = dict(rec.document)
            own = [f for f in doc.get("flags") or [] if f.get("code") not in CROSS_FLAG_CODES]
            kept = {(f.code, f.indicator, f.message): f for f in old.get(rid, [])}
            for j, nf in enumerate(new):
                k = (nf["code"], nf.get("indicator"), nf["message"])
                if k in kept:
                    kept.pop(k).position = len(own) + j
                else:
                    s.add(FlagRec(report_id=rid, position=len(own) + j, indicator=nf.get("indicator"),
                                  code=nf["code"], severity=nf["severity"], message=nf["message"], status="open"))
            for gone in kept.values():      # the finding is gone: its decision stays in the trail, detached
                for c in s.scalars(select(Correction).where(Correction.flag_id == gone.id)):
                    c.flag_id = None
                    c.why = f"{c.why or ''} [cảnh báo đối chiếu không còn / cross-report flag no longer raised: {gone.code}]".strip()
                s.delete(gone)
            doc["flags"] = own + new
            rec.document = doc
            if rec.status != kinds.STATUS:
                rec.status = "flagged" if doc["flags"] else "clean"
            touched += 1
    return touched


def run(store, sure: float | None = None) -> dict:
    """All three checks over the whole store; returns counts and the seconds each part took."""
    from settings.settings import current
    sure = current().flag_sure if sure is None else sure
    t0 = time.perf_counter()
    reports = load(store)
    t1 = time.perf_counter()
    found: dict[int, list[dict]] = defaultdict(list)
    counts = {}
    for code, flags in (("copied-between-units", copy_flags(reports)),
                        ("evidence-after-report", date_flags(reports, sure)),
                        ("implausible-change", change_flags(reports, sure))):
        counts[code] = sum(len(v) for v in flags.values())
        for rid, fs in flags.items():
            found[rid].extend(fs)
    t2 = time.perf_counter()
    touched = store_flags(store, found, {r.id: r.cross for r in reports})
    t3 = time.perf_counter()
    return {"reports": len(reports), **counts, "rewritten": touched,
            "seconds": {"load": round(t1 - t0, 3), "compare": round(t2 - t1, 3), "store": round(t3 - t2, 3)}}


def _state(store) -> tuple:
    """What changes whenever a check could find something else: a report stored or re-read (new
    flag ids), a correction made."""
    from sqlalchemy import func
    with store._session() as s:
        return (s.scalar(select(func.count()).select_from(ReportRec)), s.scalar(select(func.max(ReportRec.id))),
                s.scalar(select(func.max(FlagRec.id))), s.scalar(select(func.max(Correction.id))))


def after_pass(store) -> dict | None:
    """What a pass calls at its end (``Store.crosscheck``): the checks, skipped when nothing
    changed since this process last ran them (``dti serve`` polls), never failing the pass."""
    try:
        state = _state(store)
        if getattr(store, "_crosscheck_state", None) == state:
            return None
        out = run(store)
        store._crosscheck_state = _state(store)
        log.info("cross-report checks: %s", out)
        return out
    except Exception as e:       # the pass's own work is stored; the checks run again next pass
        log.warning("cross-report checks failed / kiểm tra đối chiếu lỗi: %s", e, exc_info=True)
        return None
