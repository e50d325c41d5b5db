"""Matchers: a Document and the rulesets → an (unscored) Report.

    candidates (tables or narrative) → layout → unit → ruleset → pillars
    → one-to-one indicator match → rows (figures, claimed, max, confidence) → match flags

``match(doc)`` reads; it never scores (``scoring.score_report`` does that).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from extractors.document import Document, Line, Table
from matchers.answers import lettered_values
from matchers.assemble import ReviewConfig, build_row, match_flags, stated_subtotals, stated_total
from matchers.candidates import Candidate
from matchers.columns import detect_columns
from matchers.indicators import MatchConfig, coverage, match_candidates
from matchers.narrative import read_narrative
from matchers.order_place import place_by_order
from matchers.normalize import fold, parse_roman
from matchers.ranking import looks_like_ranking, read_ranking
from matchers.report import Report, Totals
from matchers.trust import OCR_FORMATS
from matchers.table_rows import read_table
from matchers.dates import report_date
from matchers.unit import header_lines, read_district, read_unit


@dataclass(frozen=True)
class MatcherConfig:
    match: MatchConfig = field(default_factory=MatchConfig)
    review: ReviewConfig = field(default_factory=ReviewConfig)
    min_table_rows: int = 5


def _all_rulesets():
    import rulesets
    return rulesets.all_rulesets()


def _pillar_names() -> list[str]:
    names = {p.name for r in _all_rulesets() for p in r.pillars}
    return sorted(names | {"Nhận thức số", "Thể chế số", "Hạ tầng số", "Nhân lực số", "An toàn thông tin mạng",
                           "Hoạt động chính quyền số", "Hoạt động kinh tế số", "Hoạt động xã hội số",
                           "Chính quyền số", "Kinh tế số", "Xã hội số", "An toàn thông tin"})


def read_candidates(doc: Document, config: MatcherConfig) -> tuple[list[Candidate], str, list[Table]]:
    """Candidate rows and the layout they came from."""
    pillars = _pillar_names()
    cands: list[Candidate] = []
    method_rows = 0          # indicator rows read from tables that print the rule
    rankings: list[Table] = []
    for t in doc.tables():
        if looks_like_ranking(t):
            rankings.append(t)
            continue
        cols = detect_columns(t)
        if cols.col("label") is None or not ({"claimed", "max", "answer"} & set(cols.roles.values())):
            continue
        carry = next((c for c in reversed(cands) if c.kind == "row"), None) if cands and cands[-1].kind == "row" else None
        got = read_table(t, cols, pillars, carry)
        # a short table after an indicator table is its continuation on the next
        # page (scans are not joined across pages by the extractor)
        n = sum(c.kind == "row" for c in got)
        continues = bool(cands) and t.n_cols >= 3 and bool({"claimed", "max"} & set(cols.roles.values()))
        if n >= (1 if continues else 2):
            cands.extend(got)
            method_rows += n if cols.col("method") is not None else 0
    n_rows = sum(c.kind == "row" for c in cands)
    if rankings and n_rows < config.min_table_rows:
        return [], "ranking-table", rankings
    if n_rows >= config.min_table_rows:
        # the official table fills in the decision's lettered quantities ("a = 45; b = 50"):
        # a table that does so in many rows is a criteria table even without its rule column
        lettered = sum(c.kind == "row" and len(lettered_values(c.text("answer"))) >= 2 for c in cands)
        layout = "criteria-table" if method_rows * 2 > n_rows or lettered * 4 >= n_rows else "score-table"
    else:
        lines = [b for b in doc.blocks() if isinstance(b, Line)]
        cands = read_narrative(lines, pillars)
        layout = "narrative" if sum(c.kind == "row" for c in cands) >= config.min_table_rows else "unknown"
    section = None
    for c in cands:            # sections carry over from one table to the next
        if c.kind == "pillar":
            section = c.label
        elif c.pillar_hint is None:
            c.pillar_hint = section
    return cands, layout, rankings


def choose_ruleset(cands: list[Candidate], head: str, level: str | None, ruleset_id: str | None):
    import rulesets
    if ruleset_id:
        return rulesets.load(ruleset_id)
    h = fold(head)
    best, best_s = None, -1.0
    for r in _all_rulesets():
        if not r.indicators or all(i.is_manual for i in r.indicators):
            continue   # pillar-only sets (for ranking tables) match no indicator rows
        s = coverage(cands, r)
        if fold(r.province) in h:
            s += 0.15
        if any(fold(w) in h for w in r.header_words if len(w) > 4 and fold(w) != fold(r.province)):
            s += 0.05
        if level and r.level == level:
            s += 0.05
        elif level and r.level != level:
            s -= 0.1
        if s > best_s:
            best, best_s = r, s
    return best


def ranking_ruleset(head: str, ruleset_id: str | None):
    """The pillar-only ruleset whose province or district the ranking's header names."""
    import rulesets
    if ruleset_id:
        return rulesets.load(ruleset_id)
    h = fold(head)
    for r in _all_rulesets():
        if r.indicators and all(i.is_manual for i in r.indicators):
            if any(len(w) > 4 and fold(w) in h for w in (r.province, *r.header_words)):
                return r
    return None


def map_pillars(cands: list[Candidate], ruleset) -> dict[str, str]:
    """Section label as printed → the ruleset's pillar code (by name, else by printed number)."""
    out: dict[str, str] = {}
    for c in cands:
        if c.kind != "pillar" or c.label in out:
            continue
        f = re.sub(r"^[\divx.\s-]+", "", fold(c.label)).strip()
        scored = [(fuzz.ratio(f, fold(p.name)), p.code) for p in ruleset.pillars]
        scored += [(fuzz.partial_ratio(f, fold(p.name)) * 0.9, p.code) for p in ruleset.pillars if len(f) >= 8]
        s, code = max(scored, default=(0, None))
        if s < 70:
            num = c.code if c.code and c.code.isdigit() else None
            if num is None and c.printed_code:
                r = parse_roman(c.printed_code.strip(" ."))
                num = str(r) if r else None
            code = num if num and ruleset.pillar(num) else None
        if code:
            out[c.label] = code
    return out


def match(doc: Document, ruleset_id: str | None = None, config: MatcherConfig | None = None) -> Report:
    config = config or MatcherConfig()
    cands, layout, rankings = read_candidates(doc, config)
    unit = read_district(doc) if layout == "ranking-table" else read_unit(doc)
    report = Report(file=doc.path, sha256=doc.sha256, format=doc.format, layout=layout, unit=unit,
                    warnings=list(doc.warnings))
    when = report_date(header_lines(doc))
    report.report_date = when.isoformat() if when else None
    if layout == "ranking-table":
        report.units = read_ranking(rankings[0])
        rs = ranking_ruleset("\n".join(header_lines(doc, 40)), ruleset_id)
        report.ruleset = rs.id if rs else None
        return report
    ruleset = choose_ruleset(cands, "\n".join(header_lines(doc, 40)), unit.level, ruleset_id)
    if ruleset is None:
        return report
    report.ruleset = ruleset.id
    if unit.level is None:
        unit.level = ruleset.level
    pillar_of = map_pillars(cands, ruleset)
    matches = match_candidates(cands, ruleset, pillar_of, config.match)
    placed = place_by_order(matches, ruleset, config.match)
    ocr = doc.format in OCR_FORMATS
    rows = [build_row(m, ocr, config.review) for m in matches]
    for k, why in placed.items():
        rows[k].reasons.append(why)
    report.rows = rows
    report.flags = match_flags(matches, ruleset, rows, config.review, bad_pages(doc, config.review),
                               doc_texts(doc), doc)
    report.stated_subtotals = stated_subtotals(cands, pillar_of, report.stated_confidence)
    report.totals = Totals(stated_total=stated_total(cands, report.stated_confidence))
    return report


def doc_texts(doc: Document) -> list[str]:
    """Every line and table row as read, for asking whether an indicator is named somewhere."""
    out = []
    for b in doc.blocks():
        if isinstance(b, Table):
            out += [" ".join(c.text for c in r) for r in b.rows]
        else:
            out.append(b.text)
    return out


def bad_pages(doc: Document, review: ReviewConfig) -> list[int]:
    """OCR pages whose text was read with a low mean confidence (weighted by length)."""
    out = []
    for p in doc.pages:
        if not p.ocr:
            continue
        total = weight = 0.0
        for b in p.blocks:
            items = [c for r in b.rows for c in r] if isinstance(b, Table) else [b]
            for it in items:
                n = len(it.text.strip())
                total += it.confidence * n
                weight += n
        if weight and total / weight < review.bad_page:
            out.append(p.number)
    return out
