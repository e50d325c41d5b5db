"""``options``: a categorical answer.  The first option whose words occur in the answer (or
whose key equals ``facts[fact]``) gives fraction × max.  An option is ``{key, match: [words],
fraction}``.  Recognised from the steering-committee wording (chair / deputy / none) and from
any list of answers each with its own share (``Cập nhật đầy đủ: Điểm tối đa; Cập nhật chưa
đầy đủ: 1/2*Điểm tối đa; Chưa cập nhật: 0 điểm``)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from rulesets.kinds.base import Params as _Base, Record, listed, records
from rulesets.kinds.figures import has
from rulesets.kinds.reading import fold, negated
from rulesets.kinds.words import share
from rulesets.vocab import norm_text, strip_accents

KIND = "options"
REQUIRED = ("options",)
OPTIONAL = ("fact",)
NEEDS = ["answer"]


@dataclass(frozen=True, eq=False)
class Option(Record):
    key: str
    fraction: float
    match: tuple[str, ...] | None = listed(default=None)


@dataclass(frozen=True, eq=False)
class Params(_Base):
    KIND = "options"
    options: tuple[Option, ...] = records(Option)
    fact: str | None = None


def validate(ctx, rule, p: str) -> None:
    from rulesets.schema import as_fraction, as_str, as_str_list, check_keys, nonempty_list
    field, keys = p + "options", set()
    for n, o in enumerate(nonempty_list(ctx, field, rule["options"])):
        f = f"{field}[{n}]"
        check_keys(ctx, f + ".", o, ("key", "fraction"), ("match",))
        key = as_str(ctx, f + ".key", o["key"])
        if key in keys:
            raise ctx.fail(f + ".key", f"trùng khóa {key!r}")
        keys.add(key)
        as_str_list(ctx, f + ".match", o.get("match"))
        as_fraction(ctx, f + ".fraction", o["fraction"])
    if "fact" in rule:
        as_str(ctx, p + "fact", rule["fact"])


# ---------------------------------------------------------------- scoring

def _matched(options, text: str, fold_: Callable[[str], str]) -> set[int]:
    """Options whose phrases occur in ``text``, longest phrases first and without overlaps:
    in "Phó Chủ tịch" the phrase "Chủ tịch" is part of a longer match and does not count,
    in "Chưa có chuyên mục riêng" neither does "chuyên mục riêng"."""
    hits = []
    for n, o in enumerate(options):
        for w in o.match or ():
            w = fold_(norm_text(w))
            start = text.find(w) if w else -1
            while start >= 0:
                hits.append((len(w), start, start + len(w), n))
                start = text.find(w, start + 1)
    taken: list[tuple[int, int]] = []
    found = set()
    for _, s, e, n in sorted(hits, key=lambda h: (-h[0], h[1])):
        if all(e <= ts or s >= te for ts, te in taken):
            taken.append((s, e))
            found.add(n)
    return found


def find_option(rule: Params, figures: dict) -> Option | None:
    options = rule.options
    by_key = {norm_text(o.key): o for o in options}
    candidates = [figures.get(rule.fact) if rule.fact else None, figures.get("option"), figures.get("answer")]
    for c in candidates:
        if isinstance(c, str) and norm_text(c) in by_key:
            return by_key[norm_text(c)]
    texts = [norm_text(c) for c in candidates if isinstance(c, str) and c.strip()]
    for fold_ in (lambda s: s, strip_accents):
        for t in texts:
            found = _matched(options, fold_(t), fold_)
            if found:
                # "Trưởng ban là Chủ tịch, Phó ban là Phó Chủ tịch": the best stated option counts
                return options[max(found, key=lambda i: (float(options[i].fraction), -i))]
    if any(norm_text(c) == "no" for c in candidates if isinstance(c, str)):
        zero = [o for o in options if float(o.fraction) == 0]
        return zero[0] if zero else None
    return None


def score(rule: Params, figures: dict, mx: float, part: bool) -> float | None:
    o = find_option(rule, figures)
    return None if o is None else float(o.fraction) * mx


def present(rule: Params, figures: dict) -> bool:
    return any(has(figures, k) for k in (rule.fact, "option", "answer") if k)


# ---------------------------------------------------------------- words

_LEADER = {"chair": "Trưởng ban là người đứng đầu (Chủ tịch/Giám đốc)",
           "deputy": "Trưởng ban là cấp phó (Phó Chủ tịch/Phó Giám đốc)",
           "none": "Chưa có Ban chỉ đạo hoặc Trưởng ban không phải lãnh đạo"}


def describe(rule: Params) -> list[str]:
    if rule.fact == "leader":
        order = sorted(rule.options, key=lambda o: -o.fraction)
        return [f"{_LEADER[o.key]}: {share(o.fraction)}" for o in order]
    return [f"{' / '.join(o.match or [o.key])}: {share(o.fraction)}" for o in rule.options]


def summary(rule: Params) -> str:
    return "options " + ", ".join(f"{o.key}={o.fraction:g}" for o in rule.options)


# ---------------------------------------------------------------- recognition

_ROLES = r"(Phó\s+)?(Chủ tịch|Giám đốc|Bí thư|Thủ trưởng|Chánh Văn phòng)"


def _leader(cls, reading) -> dict | None:
    """Chair / deputy / none of the steering committee (the answer reader knows these keys)."""
    opts = {}
    for c in cls:
        if not isinstance(c.points, float):
            return None
        f = fold(c.cond)
        if re.search(r"\bchua\b|khong phai|khong co", f):
            key, words = "none", ["Chưa có Ban chỉ đạo", "Chưa thành lập", "không phải"]
        elif re.search(r"\bpho\b|cap pho", f):
            key = "deputy"
            words = sorted({"Phó " + m.group(2) for m in re.finditer(_ROLES, c.cond)}) + ["cấp phó"]
        elif re.search(r"chu tich|giam doc|bi thu|thu truong|nguoi dung dau", f):
            key = "chair"
            words = sorted({m.group(2) for m in re.finditer(_ROLES, c.cond)}) + ["người đứng đầu"]
        else:
            return None
        if key in opts or "truong ban" not in f and key != "none":
            return None
        opts[key] = {"key": key, "match": words, "fraction": c.points}
    if set(opts) != {"chair", "deputy", "none"}:
        return None
    # "Phó Chủ tịch" contains "Chủ tịch": the deputy and negative options are tried first
    return {"kind": KIND, "fact": "leader", "options": [opts["deputy"], opts["none"], opts["chair"]]}


def _key(cond: str, taken: set[str]) -> str:
    words = re.findall(r"[a-z0-9]+", fold(cond))
    key = "_".join(words[:6]) or "option"
    while key in taken:
        key += "_"
    return key


def categorical(cls, reading) -> dict | None:
    """Answers each with its own share and no figure in them: ``Cập nhật đầy đủ thông tin: Điểm
    tối đa; Cập nhật chưa đầy đủ: 1/2*Điểm tối đa; Chưa cập nhật: 0 điểm``.  Each answer's own
    words are what a report's answer must contain; a longer phrase wins over one inside it
    (scoring's rule), so "chưa đầy đủ" is not read as "đầy đủ"."""
    if len(cls) < 2 or not all(isinstance(c.points, float) and 0 <= c.points <= 1 for c in cls):
        return None
    conds = [c.cond.strip(" -–+;:.,") for c in cls]
    # an answer names a state, not a computation: no figure, no "Điểm =", no total or cap
    computed = r"\bty le\b|\bmoi\b|\bcon lai\b|\bdiem\b|\btong\b|\bkhong qua\b|\btoi da\b|\bso (?:luong|kenh|lan)\b"
    if any(not w or len(w) > 90 or re.search(r"\d|%|=|\*", w) or re.search(computed, fold(w)) for w in conds):
        return None
    if len({fold(w) for w in conds}) != len(conds) or not any(c.points > 0 for c in cls):
        return None
    if sorted(c.points for c in cls) == [0.0, 1.0]:
        return None                       # a plain yes/no (negated yes): not a choice between answers
    keyed = _by_fact(cls, conds, reading)
    if keyed is not None:
        return keyed
    taken: set[str] = set()
    options = []
    for c, w in zip(cls, conds):
        key = _key(w, taken)
        taken.add(key)
        # "Chưa có / Chưa triển khai: 0 điểm": each of the answers a report may give
        words = [x.strip() for x in re.split(r"\s+/\s+", w) if x.strip()]
        options.append({"key": key, "match": words, "fraction": c.points})
    # the negated answers first: "Chưa cập nhật đầy đủ" must not be read as "cập nhật đầy đủ"
    options.sort(key=lambda o: not negated(o["match"][0]))
    return {"kind": KIND, "options": options}


def _by_fact(cls, conds: list[str], reading) -> dict | None:
    """Answers the answer reader tells apart by one fact (the website's section: own / link /
    none): keyed by that fact's values, so a report's answer is read the same way.  The part's
    label (``Điểm chuyên mục``) says what the answers are about."""
    label = (reading.extra or {}).get("label", "") if reading is not None else ""
    found = [{k: v for k, v in reading.facts(f"{label}: {w}" if label else w).items() if isinstance(v, str)}
             for w in conds]
    common = set.intersection(*(set(f) for f in found)) if found else set()
    for fact in sorted(common):
        values = [f[fact] for f in found]
        if len(set(values)) == len(values):
            return {"kind": KIND, "fact": fact,
                    "options": [{"key": v, "match": [w], "fraction": c.points} for v, w, c in zip(values, conds, cls)]}
    return None


READERS = [("clauses", 50, _leader), ("clauses", 90, categorical)]


def needs(rule) -> list[str]:
    return [rule["fact"]] if "fact" in rule else ["answer"]


def canonical(d: dict, raw) -> dict:
    """Keyed by a fact, the keys and shares are the rule; without one, a key is only a label and
    the answers' words are the decision's prose (ignored like names and notes): the rule is how
    many answers and what share each."""
    if "fact" in d:
        return {**d, "options": sorted((o["key"], o["fraction"]) for o in raw["options"])}
    return {**d, "options": sorted(float(o["fraction"]) for o in raw["options"])}
