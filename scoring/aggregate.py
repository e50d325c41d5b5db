"""What the communes achieved together, indicator by indicator: the figures of an approval decision's
Phụ lục 1 ("tỷ lệ dân số có điện thoại thông minh đạt 72,85 %", "72/120 thôn", "12/12 xã").

From the counted rows of the ranked documents (``scoring.accepted.counted_rows``), as stored:
a rate with counts is the sum of the numerators over the sum of the denominators (not an average of
rates: a big commune weighs what it counts); a rate printed without counts is averaged and said so;
a yes/no answer is counted ("N/M xã"); a count or amount is summed; a pass/fail criterion counts the
communes that met it.  A figure drawn from a provisional row (``scoring.accepted``) is marked.
"""
from __future__ import annotations

from dataclasses import dataclass

from rulesets.model import Ruleset
from rulesets.numbers import vn_number, vn_percent
from rulesets.vocab import truth_of
from scoring.accepted import counted_rows, criterion_met, row_figures


@dataclass
class Finding:
    code: str
    text: str                 # one sentence, Vietnamese, numbers in the one format
    provisional: bool = False


def indicator_finding(ind, rows: list[dict], n_units: int, statuses: list[str]) -> Finding | None:
    """The aggregate of one indicator over the rows the units gave for it (None: nobody gave figures)."""
    figs = [row_figures(r) for r in rows]
    prov = "provisional" in statuses
    if not ind.scored:
        verdicts = [criterion_met(r, ind) for r in rows]
        read = [v for v in verdicts if v is not None]
        if not read:
            return None
        return Finding(ind.code, f"{ind.name}: {sum(read)}/{n_units} xã đạt"
                       + (f" ({n_units - len(read)} xã chưa xác định)" if len(read) < n_units else ""), prov)
    counts = [(f["numerator"], f["denominator"]) for f in figs
              if f.get("numerator") is not None and f.get("denominator")]
    if counts:
        num, den = sum(c[0] for c in counts), sum(c[1] for c in counts)
        return Finding(ind.code, f"{ind.name}: {vn_number(num)}/{vn_number(den)}, tỷ lệ đạt {vn_percent(num / den)}"
                       f" ({len(counts)}/{n_units} xã có số liệu)", prov)
    rates = [f["ratio"] for f in figs if f.get("ratio") is not None]
    if rates:
        return Finding(ind.code, f"{ind.name}: tỷ lệ bình quân {vn_percent(sum(rates) / len(rates))} "
                       f"({len(rates)}/{n_units} xã có số liệu, không có số đếm để cộng)", prov)
    answers = [truth_of(f.get("answer")) for f in figs]
    if any(a is not None for a in answers):
        yes = sum(1 for a in answers if a)
        return Finding(ind.code, f"{ind.name}: {yes}/{n_units} xã có", prov)
    for key, unit in (("count", ""), ("amount", " triệu đồng")):
        values = [f[key] for f in figs if f.get(key) is not None]
        if values:
            return Finding(ind.code, f"{ind.name}: tổng {vn_number(sum(values))}{unit} "
                           f"({len(values)}/{n_units} xã có số liệu)", prov)
    texts = [f.get("option") or f.get("answer") for f in figs if f.get("option") or f.get("answer")]
    if texts:
        return Finding(ind.code, f"{ind.name}: {len(texts)}/{n_units} xã có trả lời", prov)
    return None


def findings(docs: list[dict], ruleset: Ruleset) -> list[tuple[object, list[Finding], list[str]]]:
    """Per pillar (ruleset order): (pillar, its findings, codes nobody gave figures for).
    ``docs`` are annotated documents (``scoring.accepted.annotate``): rows carry ``accepted_status``."""
    counted = [counted_rows(d, ruleset) for d in docs]
    out = []
    for pillar in ruleset.pillars:
        found, empty = [], []
        for ind in ruleset.scorable():
            if ind.pillar != pillar.code:
                continue
            rows = [d["rows"][c[ind.code]] for d, c in zip(docs, counted) if ind.code in c]
            f = indicator_finding(ind, rows, len(docs), [r.get("accepted_status") or "" for r in rows])
            (found.append(f) if f is not None else empty.append(ind.code))
        out.append((pillar, found, empty))
    return out
