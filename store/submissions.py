"""Submissions: the stored reports of one unit, level and year are versions of one submission,
and exactly one version counts.  The queue, the report page, the export and ``dti rank`` all
ask this module which one, so they never disagree.

Which version counts, first that applies:

1. the version a reviewer chose (``Store.choose_version``, audited in ``submission_choices``);
2. the most complete reading: the most ruleset indicators whose points could be established
   (figures read, or points a reviewer set), then the most indicators matched at all;
3. among equally complete readings, one that names its unit itself over one whose unit a
   reviewer had to set (a copy whose header was cut), then the latest stored.

A phone photo of one page therefore never outranks the full Word report of the same year,
and a commune that sends Word, PDF and scan appears once.

The unit is the commune of the receiving body's list (``store.communes``) the name read
matches, else (no list) the name as read.  A report whose unit was not read or matches no
commune is a submission of its own, **held out** (``held_vi``): listed, never ranked, until a
reviewer sets its unit.  Never a file name.  Each version carries its accepted
score (``scoring.accepted``); Min-Max indicators are spread over the counted versions of the
same ruleset and year, as the ranking spreads them.
"""
from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rulesets.vocab import strip_accents

if TYPE_CHECKING:
    from store.stored import ReportSummary, StoredReport

# what is not a commune's self-assessment never becomes a version (matchers.kinds; listed apart)
NOT_VERSIONS_LAYOUTS = ("ranking-table",)
NOT_REPORT_STATUS = "not-report"      # matchers.kinds.STATUS


def fold(text: str) -> str:
    """Lower case without accents, one space: `Thị trấn  Hùng Sơn` ~ `thi tran hung son`."""
    text = strip_accents(text or "").casefold()
    return " ".join(text.replace("-", " ").replace("_", " ").split())


def unit_key(name: str | None, level: str | None, year: int | None, fallback: str = "") -> str:
    """The identity of a submission: unit name (accents and case ignored), level and year.
    A report whose unit was not read is a submission of its own (``fallback``: its sha256)."""
    if not name:
        return f"?{fallback}|{level or ''}|{year or ''}"
    return f"{fold(name)}|{level or ''}|{year or ''}"


@functools.lru_cache(maxsize=64)
def _ruleset(rid: str):
    import rulesets
    try:
        return rulesets.load(rid)
    except Exception:       # an unknown id in an old store: no score rather than a broken page
        return None


@dataclass
class Version:
    id: int
    summary: ReportSummary
    document: dict                 # corrected, annotated with the accepted score
    accepted: object | None        # scoring.accepted.Accepted, None without a ruleset
    with_points: int = 0           # indicators whose points could be established
    matched: int = 0               # indicators matched at all
    names_itself: bool = True      # its unit was read from it, not set by a reviewer (a cut copy)

    @property
    def total(self) -> float | None:
        return self.accepted.total if self.accepted is not None else None

    @property
    def reviewed(self) -> bool:
        return bool(self.summary.reviewed)


@dataclass
class Submission:
    key: str
    name: str | None
    level: str | None
    year: int | None
    versions: list[Version]                 # newest first
    counted: Version
    reason_vi: str
    reason_en: str
    chosen: dict | None = None              # the reviewer's choice (reviewer, at, why)
    ruleset: str | None = field(default=None)
    held_vi: str | None = None              # why it is held out of the ranking (unit unread / unmatched)
    held_en: str | None = None
    unit_note: str | None = None            # e.g. matched through a merged commune's old name

    @property
    def total(self) -> float | None:
        return self.counted.total

    @property
    def unreviewed(self) -> list[Version]:
        return [v for v in self.versions if not v.reviewed]

    def info(self, version: Version) -> dict:
        """What a document says about its place in the submission (export, pages)."""
        return {"key": self.key, "versions": [v.id for v in self.versions], "counted_id": self.counted.id,
                "counted": version.id == self.counted.id, "reason": self.reason_vi, "reason_en": self.reason_en,
                "chosen_by": (self.chosen or {}).get("reviewer"), "unit": self.name,
                "held_out": self.held_vi, "held_out_en": self.held_en}


def identity(name: str | None, level: str | None, year: int | None, sha256: str, communes: list):
    """(unit_key, store.communes.Identity) of a stored report: its commune of the list (or the
    name as read without one); a report held out is keyed by its own sha256."""
    from matchers.unit import level_of
    from store.communes import identify
    who = identify(name, communes)
    if who.held_vi:
        return unit_key(None, level, year, sha256), who
    return unit_key(who.name, level_of(who.name) or level, year), who


def _version(summary: ReportSummary, full: StoredReport, minmax: dict | None = None) -> Version:
    from scoring.accepted import accept, annotate, counted_rows
    doc = full.document
    named = bool((full.original_document.get("unit") or {}).get("name"))
    rs = _ruleset(doc.get("ruleset")) if doc.get("ruleset") else None
    if rs is None:
        return Version(summary.id, summary, doc, None, names_itself=named)
    acc = accept(doc, rs, minmax)
    with_points = sum(1 for _p, basis in acc.rows.values() if basis != "no-figures")
    return Version(summary.id, summary, annotate(doc, acc), acc, with_points, len(counted_rows(doc, rs)), named)


def _choose(versions: list[Version], chosen: dict | None) -> tuple[Version, str, str]:
    if chosen:
        pick = next((v for v in versions if v.id == chosen["report_id"]), None)
        if pick is not None:
            why = f": {chosen['why']}" if chosen.get("why") else ""
            return (pick, f"người rà soát {chosen['reviewer']} chọn bản #{pick.id}{why}",
                    f"chosen by reviewer {chosen['reviewer']}{why}")
    if len(versions) == 1:
        return versions[0], "bản duy nhất", "the only version"
    ranked = sorted(versions, key=lambda v: (v.with_points, v.matched, v.names_itself, v.id), reverse=True)
    best, second = ranked[0], ranked[1]
    if (best.with_points, best.matched) > (second.with_points, second.matched):
        return (best, f"bản đọc đầy đủ nhất: {best.with_points} chỉ số có điểm (bản khác nhiều nhất "
                      f"{second.with_points})",
                f"the most complete reading: {best.with_points} indicators with points (others at most "
                f"{second.with_points})")
    if best.names_itself and not second.names_itself:
        return (best, f"đầy đủ như bản khác ({best.with_points} chỉ số có điểm) và tự ghi tên đơn vị (bản kia "
                      "do người rà soát đặt đơn vị)",
                f"as complete as another ({best.with_points} indicators with points) and names its unit itself "
                "(the other's unit was set by a reviewer)")
    return (best, f"đầy đủ như bản khác ({best.with_points} chỉ số có điểm) và mới nhất",
            f"as complete as another ({best.with_points} indicators with points) and the latest")


def build(store, year: int | None = None, ruleset: str | None = None, unit: str | None = None) -> list[Submission]:
    """The submissions among the stored reports that match the filters, newest first."""
    from matchers.unit import level_of
    summaries = [s for s in store.reports(year=year, ruleset=ruleset, unit=unit)
                 if s.layout not in NOT_VERSIONS_LAYOUTS and s.status != NOT_REPORT_STATUS]
    from store import communes as communes_
    listed = communes_.load(store)
    choices = store.version_choices()
    groups: dict[str, list[tuple[ReportSummary, StoredReport]]] = {}
    who_of: dict[int, object] = {}
    fulls_read = store.get_reports([s.id for s in summaries])
    for s in summaries:
        full = fulls_read.get(s.id)
        if full is None:
            continue
        u = s.unit
        key, who = identity(u.name, u.level, u.year, s.sha256, listed)
        groups.setdefault(key, []).append((s, full))
        who_of[s.id] = who

    subs: list[Submission] = []
    fulls: dict[int, tuple[ReportSummary, StoredReport]] = {}
    for key, members in groups.items():
        members.sort(key=lambda m: -m[0].id)
        versions = [_version(s, full) for s, full in members]
        fulls.update({s.id: (s, full) for s, full in members})
        chosen = choices.get(key)
        counted, vi, en = _choose(versions, chosen)
        u, who = counted.summary.unit, who_of[counted.id]
        name = who.name if not who.held_vi else u.name
        if u.year is None and not who.held_vi:     # no year's ranking can take it until it is set
            who = dataclasses.replace(who, held_vi="không đọc được năm đánh giá",
                                      held_en="the assessment year could not be read")
        subs.append(Submission(key, name, level_of(name) or u.level, u.year, versions, counted, vi, en,
                               chosen if chosen and chosen["report_id"] == counted.id else None,
                               counted.summary.ruleset, who.held_vi, who.held_en, who.note))
    _spread_minmax(subs, fulls)
    subs.sort(key=lambda s: -max(v.id for v in s.versions))
    return subs


def _spread_minmax(subs: list[Submission], fulls: dict[int, tuple[ReportSummary, StoredReport]]) -> None:
    """Min-Max indicators: the counted versions of one ruleset and year are one batch."""
    from scoring.accepted import batch_minmax
    batches: dict[tuple, list[Submission]] = {}
    for sub in subs:
        rs = _ruleset(sub.ruleset) if sub.ruleset else None
        if rs is not None and any(i.batch for i in rs.scorable()):
            batches.setdefault((sub.ruleset, sub.year), []).append(sub)
    for (rid, _year), members in batches.items():
        points = batch_minmax([m.counted.document for m in members], _ruleset(rid))
        for sub, mm in zip(members, points):
            s, full = fulls[sub.counted.id]
            fresh = _version(s, full, mm)
            sub.versions = [fresh if v.id == fresh.id else v for v in sub.versions]
            sub.counted = fresh


def of_report(store, report_id: int) -> tuple[Submission, Version] | None:
    """The submission a stored report belongs to, and its version (None if it is not a version)."""
    full = store.get_report(report_id, corrected=False)
    if full is None:
        return None
    # the whole year: the Min-Max batch is every counted version of it
    for sub in build(store, year=full.unit.year):
        for v in sub.versions:
            if v.id == report_id:
                return sub, v
    return None
