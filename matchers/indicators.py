"""Which ruleset indicator each candidate row is.

Evidence, in order of trust: the row's name (always; abbreviations expanded,
accents optional as a fallback), the printed code (only as far as this
document's codes prove reliable: a renumbered report's codes point elsewhere),
and the pillar section the row sits in.  Rows are assigned to indicators one
to one by a best global assignment (Hungarian method over the score matrix),
not greedily, so two similar rows don't both take the better indicator.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
import numpy as np
from rapidfuzz import fuzz, process
from matchers.assignment import linear_sum_assignment

from matchers.candidates import Candidate
from matchers.normalize import fold, key
from rulesets.model import Indicator, Ruleset


@dataclass(frozen=True)
class MatchConfig:
    accept: float = 0.50          # below this a row matches nothing
    name_weight: float = 0.70
    code_weight_reliable: float = 0.30
    pillar_weight: float = 0.10
    reliable_codes: float = 0.6   # share of rows whose code agrees with their best name match
    heading_penalty: float = 1.0   # a row with points is never a heading's (it has none of its own)
    order_bonus: float = 0.08      # an unsure row between two sure ones: the indicators between them
    order_sure: float = 0.85       # a match this good places its neighbours
    # a row given another indicator than the one its name fits this much better, while a row
    # with a weaker name holds that one, is a doubtful match sent to review (with that row)
    displaced_margin: float = 0.08


@dataclass
class Match:
    candidate: Candidate
    indicator: Indicator | None
    score: float
    name_score: float
    # the indicator in dispute: the one this row's name fits better, given to a row whose name
    # fits it worse (for that row: its own)
    disputed: Indicator | None = None


_PAREN = re.compile(r"\([^()]*\)")


def label_keys(label: str) -> list[str]:
    """The label as a key, and without its parenthetical asides (document numbers, dates)."""
    k = key(label)
    short = key(_PAREN.sub(" ", label))
    head = key(re.split(r"[:;]", _PAREN.sub(" ", label), 1)[0])
    return list(dict.fromkeys(x for x in (k, short, head) if x))


_KEYS: dict[str, tuple[list[str], list[str], np.ndarray]] = {}


def _indicator_keys(ruleset: Ruleset) -> tuple[list[str], list[str], np.ndarray]:
    """Every name and alias of every indicator as keys (and folded), with the owning index."""
    if ruleset.id in _KEYS:
        return _KEYS[ruleset.id]
    keys, owner = [], []
    for i, ind in enumerate(ruleset.indicators):
        for name in (ind.name, *ind.aliases):
            for k in label_keys(name):
                keys.append(k)
                owner.append(i)
    _KEYS[ruleset.id] = (keys, [fold(k) for k in keys], np.array(owner, dtype=int))
    return _KEYS[ruleset.id]


def _similarity(queries: list[str], keys: list[str], partial: bool = True) -> np.ndarray:
    """0..100 similarity of each query to each key, from rapidfuzz's native scorers.

    The best of: plain ratio; token-set ratio (word order and extra words
    don't matter), discounted when the shorter side covers little of the
    longer, since a short alias is a subset of many labels; partial ratio for
    long texts (a label with a document number appended).
    """
    r = process.cdist(queries, keys, scorer=fuzz.ratio, workers=1)
    ts = process.cdist(queries, keys, scorer=fuzz.token_set_ratio, workers=1)
    lq = np.array([len(q) for q in queries], dtype=float)[:, None]
    lk = np.array([len(k) for k in keys], dtype=float)[None, :]
    short, long_ = np.minimum(lq, lk), np.maximum(np.maximum(lq, lk), 1)
    cover = short / long_
    ts = np.where(cover < 0.5, ts * (0.75 + 0.25 * cover), ts) * 0.95
    best = np.maximum(r, ts)
    if partial:
        pr = process.cdist(queries, keys, scorer=fuzz.partial_ratio, workers=1)
        best = np.maximum(best, np.where(short >= 20, pr * 0.9, 0))
    return best


# Reports of one province mostly copy the ruleset's own wording, so the same
# labels come back report after report: a reading process keeps each label's
# scores per ruleset (bounded) instead of recomputing them.
_SCORES: dict[tuple[str, str], dict[str, np.ndarray]] = {}
_SCORES_LIMIT = 50_000


def _per_indicator(sim: np.ndarray, owner: np.ndarray, n_ind: int) -> np.ndarray:
    """query x key scores -> query x indicator (the best of each indicator's names)."""
    out = np.zeros((sim.shape[0], n_ind))
    for j in range(sim.shape[1]):
        np.maximum(out[:, owner[j]], sim[:, j], out=out[:, owner[j]])
    return out


def _cached_scores(kind: str, ruleset: Ruleset, queries: list[str], compute) -> np.ndarray:
    seen = _SCORES.setdefault((kind, ruleset.id), {})
    missing = list(dict.fromkeys(q for q in queries if q not in seen))
    if missing:
        if len(seen) + len(missing) > _SCORES_LIMIT:
            seen.clear()
        for q, row in zip(missing, compute(missing)):
            seen[q] = row
    n_ind = len(ruleset.indicators)
    return np.array([seen[q] for q in queries]) if queries else np.zeros((0, n_ind))


def _full_scores(ruleset: Ruleset, queries: list[str]) -> np.ndarray:
    keys, folded, owner = _indicator_keys(ruleset)
    best = _similarity(queries, keys, partial=False)
    # the costlier partial and accent-free comparisons only for labels that
    # found no close name on the first pass
    unsure = np.flatnonzero(best.max(axis=1) < 92)
    if unsure.size:
        sub = [queries[i] for i in unsure]
        again = np.maximum(_similarity(sub, keys), _similarity([fold(q) for q in sub], folded) * 0.97)
        best[unsure] = np.maximum(best[unsure], again)
    return _per_indicator(best / 100.0, owner, len(ruleset.indicators))


def name_matrix(cands: list[Candidate], ruleset: Ruleset) -> np.ndarray:
    """Score 0..1 of each candidate's label against each indicator's names."""
    out = np.zeros((len(cands), len(ruleset.indicators)), dtype=float)
    if not cands or not _indicator_keys(ruleset)[0]:
        return out
    queries, qowner = [], []
    for ci, c in enumerate(cands):
        for k in label_keys(c.label):
            queries.append(k)
            qowner.append(ci)
    if not queries:
        return out
    per_query = _cached_scores("full", ruleset, queries, lambda qs: _full_scores(ruleset, qs))
    for qi, ci in enumerate(qowner):
        np.maximum(out[ci], per_query[qi], out=out[ci])
    return out


def code_reliability(cands: list[Candidate], ruleset: Ruleset, names: np.ndarray) -> float:
    """Share of coded rows whose printed code is the code of their best name match."""
    agree = total = 0
    for ci, c in enumerate(cands):
        if not c.code or names.shape[1] == 0:
            continue
        j = int(names[ci].argmax())
        if names[ci, j] < 0.75:
            continue
        total += 1
        agree += ruleset.indicators[j].code == c.code
    return agree / total if total >= 3 else 0.0


def match_candidates(cands: list[Candidate], ruleset: Ruleset, pillar_of: dict[str, str],
                     config: MatchConfig = MatchConfig()) -> list[Match]:
    """One-to-one assignment of indicator rows to ruleset indicators.

    ``pillar_of`` maps a candidate's section label to the ruleset's pillar code.
    """
    rows = [c for c in cands if c.kind == "row"]
    if not rows:
        return []
    names = name_matrix(rows, ruleset)
    reliable = code_reliability(rows, ruleset, names) >= config.reliable_codes
    code_w = config.code_weight_reliable if reliable else 0.0
    inds = ruleset.indicators
    score = names * config.name_weight
    for ci, c in enumerate(rows):
        sec = pillar_of.get(c.pillar_hint or "")
        for j, ind in enumerate(inds):
            if code_w and c.code and c.code == ind.code:
                score[ci, j] += code_w
            if sec is not None:
                score[ci, j] += config.pillar_weight * (1.0 if sec == ind.pillar else -1.0)
    total_w = config.name_weight + code_w + config.pillar_weight
    score = np.clip(score / total_w, 0.0, 1.0)
    n, m = score.shape
    # The assignment may lean on the document's order and on headings; the scores reported
    # (match_score) stay the names' own, so a row placed by its neighbours still says how
    # weak its name was.
    prior = score.copy()
    heads = [j for j, ind in enumerate(inds) if ind.heading]
    for ci, c in enumerate(rows):
        if heads and (c.text("claimed").strip() or c.text("max").strip()):
            prior[ci, heads] -= config.heading_penalty     # a heading has no points of its own
    own = prior.copy()              # what each row's own name and points say, before the order
    assigned = _assign(prior, config.accept)
    order = np.zeros_like(score)
    if n >= 5 and m:
        order = _between_neighbours(assigned, score, m, config.order_sure)
        prior += config.order_bonus * order
        assigned = _assign(prior, config.accept)
    contested = _contested(assigned, own, order, config.displaced_margin, config.order_sure)
    out = []
    for ci, c in enumerate(rows):
        j = assigned.get(ci)
        if j is not None and j < m and score[ci, j] >= config.accept:
            rival = contested.get(ci)
            out.append(Match(c, inds[j], float(score[ci, j]), float(names[ci, j]),
                             inds[rival] if rival is not None else None))
        else:
            best = int(score[ci].argmax()) if m else 0
            out.append(Match(c, None, float(score[ci, best]) if m else 0.0, float(names[ci, best]) if m else 0.0))
    return out


def _contested(assigned: dict[int, int], own: np.ndarray, order: np.ndarray, margin: float,
               sure: float) -> dict[int, int]:
    """Rows whose placement the names dispute -> the indicator in dispute.

    A row whose name surely fits another indicator, clearly better than its own, while
    the row holding that indicator fits it worse, lost it to a weaker claimant (the sum of
    scores traded it away): one of the two is misplaced and the names cannot tell which,
    so both say so.  Not disputed: a row merely second to a better-named holder, one whose
    best fit is itself unsure, and one the document's order placed (its indicator lies between
    its sure neighbours', the better-fitting one does not)."""
    m = own.shape[1]
    holder = {j: ci for ci, j in assigned.items() if j < m}
    out: dict[int, int] = {}
    for ci, j in assigned.items():
        if j >= m:
            continue
        best = int(own[ci].argmax())
        other = holder.get(best)
        if best == j or own[ci, best] < sure or own[ci, best] - own[ci, j] < margin or other is None:
            continue
        if order[ci, j] and not order[ci, best]:
            continue
        if own[other, best] < own[ci, best]:
            out[ci] = best
            out.setdefault(other, best)
    return out


def _assign(score: np.ndarray, accept: float) -> dict[int, int]:
    """Row -> indicator column, one-to-one; a dummy column per row makes leaving a row
    unmatched worth ``accept``."""
    n, m = score.shape
    big = np.full((n, m + n), accept)
    big[:, :m] = score
    r_idx, c_idx = linear_sum_assignment(-big)
    return dict(zip(r_idx, c_idx))


def _between_neighbours(assigned: dict[int, int], score: np.ndarray, m: int, sure: float) -> np.ndarray:
    """1 where an indicator lies, in ruleset order, strictly between the indicators of the
    row's nearest surely matched rows before and after it.

    Reports print the indicators in the decision's order; a paraphrased name that fits two
    indicators almost equally ("Công khai TTHC …" beside 5.3 and 5.16.2) is settled by where
    it stands.  Only a nudge: a row printed out of order keeps its clearly better name."""
    n = score.shape[0]
    pos = [assigned.get(ci, m) if assigned.get(ci, m) < m and score[ci, assigned[ci]] >= sure else None
           for ci in range(n)]
    # a sure row out of the order its sure neighbours keep is not a landmark (it may be the
    # one taking its neighbour's indicator): landmarks are the longest run in ruleset order
    keep = _longest_increasing([(ci, p) for ci, p in enumerate(pos) if p is not None])
    pos = [p if ci in keep else None for ci, p in enumerate(pos)]
    out = np.zeros_like(score)
    prev = None
    nxt = [None] * n
    following = None
    for ci in range(n - 1, -1, -1):
        nxt[ci] = following
        if pos[ci] is not None:
            following = pos[ci]
    for ci in range(n):
        if pos[ci] is None and prev is not None and nxt[ci] is not None and nxt[ci] - prev >= 2:
            out[ci, prev + 1:nxt[ci]] = 1.0
        if pos[ci] is not None:
            prev = pos[ci]
    return out


def _longest_increasing(points: list[tuple[int, int]]) -> set[int]:
    """Rows of the longest subsequence whose indicator positions strictly increase."""
    best: list[int] = []            # best[k]: index into points ending the best run of length k+1
    back = [-1] * len(points)
    for i, (_, p) in enumerate(points):
        lo, hi = 0, len(best)
        while lo < hi:
            mid = (lo + hi) // 2
            if points[best[mid]][1] < p:
                lo = mid + 1
            else:
                hi = mid
        back[i] = best[lo - 1] if lo else -1
        if lo == len(best):
            best.append(i)
        else:
            best[lo] = i
    out, i = set(), best[-1] if best else -1
    while i >= 0:
        out.add(points[i][0])
        i = back[i]
    return out


def quick_names(cands: list[Candidate], ruleset: Ruleset) -> np.ndarray:
    """A cheaper name matrix (token-set ratio on the keys only) for choosing among rulesets."""
    keys, _, owner = _indicator_keys(ruleset)
    queries = [key(c.label) for c in cands]
    if not keys or not queries:
        return np.zeros((len(cands), len(ruleset.indicators)))

    def compute(qs: list[str]) -> np.ndarray:
        sim = process.cdist(qs, keys, scorer=fuzz.token_set_ratio, workers=1) / 100.0
        return _per_indicator(sim, owner, len(ruleset.indicators))
    return _cached_scores("quick", ruleset, queries, compute)


def coverage(cands: list[Candidate], ruleset: Ruleset) -> float:
    """How well a document's rows cover a ruleset: for choosing the ruleset."""
    rows = [c for c in cands if c.kind == "row"]
    if not rows or not ruleset.indicators:
        return 0.0
    sample = rows[::max(1, len(rows) // 16)]         # sixteen rows tell the rulesets apart
    names = quick_names(sample, ruleset)
    per_row = names.max(axis=1)
    per_ind = names.max(axis=0)
    codes = {i.code for i in ruleset.indicators}
    code_hits = sum(1 for c in sample if c.code in codes) / len(sample)
    covered = (per_ind >= 0.7).sum() / min(len(sample), len(per_ind))   # distinct indicators the sample reaches
    return float(0.45 * per_row.mean() + 0.35 * covered + 0.2 * code_hits)
