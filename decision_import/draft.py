"""Draft rulesets from a decision file: ``annexes`` drafts → ruleset dicts → YAML files.

A draft must load with the same loader as the built-in files (so that `show`,
`check` and the pipeline read it), yet it may hold what only a person can
settle.  So nothing is hidden, and nothing is guessed:
- a rule not recognised is ``kind: manual`` whose note starts ``Trang N:`` and
  keeps the decision's words;
- a maximum the decision does not print is ``null`` with a note saying so;
- pillar sums or a total that disagree with the decision are accepted with a
  ``sum_note`` naming both figures, and the same line is in ``notes``;
every such line carries the decision's page, which `dti rulesets check` prints.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from extractors.atomic import write_text_atomically
from extractors.document import Document, Line
from matchers.normalize import clean, strip_accents
from decision_import.annex_draft import Draft
from decision_import.annexes import read_annexes
from rulesets import kinds
from decision_import.methods import recognise

EPS = 1e-6


def _needs(rule: dict) -> list[str]:
    return kinds.needs(rule)


def decision_facts(doc: Document) -> tuple[str | None, int | None, str | None]:
    """Province, year and decision number from the decision's own lines."""
    province = year = number = None
    for page in doc.pages:
        for b in page.blocks:
            if not isinstance(b, Line):
                continue
            t = clean(b.text)
            m = re.search(r"(?i)\b(?:TỈNH|tỉnh)\s+([A-ZÀ-Ỹ][^\s,.;()–-]*(?:\s+[A-ZÀ-Ỹ][^\s,.;()–-]*){0,2})", t)
            if m and province is None:
                province = m.group(1).title() if m.group(1).isupper() else m.group(1)
            m = re.search(r"(?i)số[:\s]+(\d+/QĐ-[\wĐ]+)", t)
            if m and number is None:
                number = m.group(1)
            m = re.search(r"(?:năm|/)\s*((?:19|20)\d\d)\b", t)
            if m and year is None:
                year = int(m.group(1))
    return province, year, number


def slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", strip_accents(s).lower()) or "tinh"


def to_ruleset(d: Draft, rid: str, province: str, year: int, source: str,
               number: str | None = None) -> dict[str, Any]:
    notes: list[str] = [f"Trang {p}: {msg}" for p, msg in d.problems]
    pillars = []
    kept, seen_p = [], set()
    for p in d.pillars:
        if p.code in seen_p:    # a second pillar row with a code already read: its indicators stay under the first
            d.unplaced.append((p.page, f"{p.roman or p.code} | {p.name} | {p.max_points or ''}".strip(" |"),
                               f"trụ cột {p.code} đã có ở dòng trước"))
            continue
        seen_p.add(p.code)
        kept.append(p)
    d.pillars = kept
    for p in d.pillars:
        entry: dict[str, Any] = {"code": p.code, "name": p.name, "max_points": p.max_points}
        if p.roman:
            entry["roman"] = p.roman
        pillars.append(entry)
    indicators = []
    unplaced = [{"page": pg, "text": text, "why": why} for pg, text, why in d.unplaced]
    seen: set[str] = set()
    for i in list(d.indicators):
        if i.code in seen:      # a second row with a code already read: a person says which is which
            unplaced.append({"page": i.page, "text": f"{i.code} | {i.name} | {i.max_points or ''}".strip(" |"),
                             "why": f"mã {i.code} đã có ở dòng trước"})
            d.indicators.remove(i)
        seen.add(i.code)
    for p in d.pillars:
        mine = [i for i in d.indicators if i.pillar == p.code]
        if not mine:    # a pillar printed without indicators (a ranking table): one placeholder
            indicators.append({"code": p.code, "pillar": p.code, "name": p.name, "max_points": p.max_points,
                               "rule": kinds.manual.from_text_note(f"Trang {p.page}: quyết định không in chỉ "
                                                                   "số thành phần của trụ cột này"),
                               "note": "Chỉ số giữ chỗ cho cả trụ cột (quyết định không in chỉ số thành phần)."})
            continue
        for i in mine:
            e: dict[str, Any] = {"code": i.code, "pillar": i.pillar, "name": i.name, "max_points": i.max_points}
            if i.heading:
                e["heading"] = True
            else:
                text = "\n".join(i.method)
                rule = recognise(text, i.max_points)
                if kinds.kind_of(rule) == kinds.DEFAULT:
                    rule["note"] = f"Trang {i.page}: {rule['note']}"
                e["rule"] = rule
                if _needs(rule):
                    e["needs"] = _needs(rule)
                if i.max_points is None:
                    e["note"] = f"Trang {i.page}: quyết định không in điểm tối đa của chỉ số này."
            if i.group:
                e["group"] = i.group
            if i.parent:
                e["parent"] = i.parent
            indicators.append(e)
    if d.dvctt is not None:
        notes.append(attach_dvctt(d.dvctt, pillars, indicators, {i.code: i for i in d.indicators}))
    for e in pillars:
        if e["max_points"] is None:
            continue
        got = sum(i["max_points"] or 0 for i in indicators if i["pillar"] == e["code"] and not i.get("heading"))
        if abs(got - e["max_points"]) > EPS:
            why = (f"quyết định in điểm trụ cột {e['max_points']:g} nhưng các chỉ số cộng {got:g}: "
                   "cần đối chiếu với bản gốc")
            e["sum_note"] = why
            notes.append(f"Trang {next(p.page for p in d.pillars if p.code == e['code'])}: trụ cột {e['code']}: {why}")
    top: dict[str, Any] = {
        "id": rid, "title": d.title or f"Phụ lục {d.annex}", "province": province, "level": d.level or "xa",
        "year": year, "total": d.total, "scored": any(kinds.scored(i.get("rule", {}))
                                                      for i in indicators if not i.get("heading")),
        "source": source,
        # words that point the matcher to this ruleset in a report's header
        "header_words": [province, f"tỉnh {province}"] + ([number] if number else []),
    }
    known = [e["max_points"] for e in pillars]
    if d.total is None and known and all(v is not None for v in known):
        top["total"] = sum(known)     # the decision prints no total row: the pillars' sum
    elif d.total is not None and abs(sum(v or 0 for v in known) - d.total) > EPS:
        top["allow_sum_mismatch"] = ["total"]
        top["sum_note"] = (f"Quyết định in tổng {d.total:g} nhưng các trụ cột cộng {sum(v or 0 for v in known):g}"
                           + (" (có trụ cột không đọc được điểm)" if None in known else "") + ": cần đối chiếu")
        notes.append(f"Trang {d.page}: {top['sum_note']}")
    if d.level is None:
        notes.append(f"Trang {d.page}: không nhận ra cấp (xã/huyện/sở) trong tiêu đề phụ lục; tạm để 'xa'")
    top["notes"] = notes or None
    top["unplaced"] = unplaced or None
    top["pillars"], top["indicators"] = pillars, indicators
    return {k: v for k, v in top.items() if v is not None or k == "total"}


def _fold(s: str) -> str:
    return re.sub(r"\s+", " ", strip_accents(clean(s)).lower()).strip()


def attach_dvctt(clause: tuple[int, str], pillars: list[dict], indicators: list[dict], source: dict) -> str:
    """The body's clause for units without DVCTT (Hòa Bình 1153, Phần V.4.2: "đơn vị không có
    DVCTT (thuộc chỉ số Hoạt động chính quyền số) … các chỉ số thành phần liên quan đến DVCTT")
    on the indicators it names, as the hand-written rulesets declare it (``dvctt_substitution``
    around the table's rule; the engine substitutes for a unit whose report says it has no DVCTT).

    Named unambiguously = in the one pillar the clause names, and the indicator's own name or
    method says DVCTT / dịch vụ công trực tuyến.  An indicator there about online records only
    (``hồ sơ thanh toán trực tuyến``) may be meant too: ``manual`` with both texts, for a person.
    No pillar named, or more than one: nothing attached.  Returns the line for ``notes``."""
    page, text = clause
    f = _fold(text)
    named = [p for p in pillars if _fold(p["name"]) and _fold(p["name"]) in f]
    head = f"Trang {page}: quyết định có cách tính riêng cho đơn vị không có DVCTT"
    if len(named) != 1:
        return (head + ": không rõ áp dụng cho trụ cột nào — đánh dấu dvctt_substitution cho các chỉ số "
                "liên quan DVCTT (chưa tự đánh dấu)")
    pillar = named[0]["code"]
    done, unsure = [], []
    for e in indicators:
        rule = e.get("rule")
        if e["pillar"] != pillar or e.get("heading") or not rule or kinds.kind_of(rule) == kinds.DEFAULT \
                or kinds.wraps(rule):
            continue
        words = _fold(e["name"] + " " + " ".join(source[e["code"]].method if e["code"] in source else []))
        if re.search(r"\bdvctt\b|dich vu cong truc tuyen", words):
            e["rule"] = kinds.dvctt_substitution.wrap(rule)
            done.append(e["code"])
        elif "truc tuyen" in words:
            e["rule"] = kinds.manual.from_text_note((
                f"Trang {source[e['code']].page if e['code'] in source else page}: theo bảng: "
                f"{' '.join(source[e['code']].method) if e['code'] in source else ''}; trang {page}: quyết định "
                "tính riêng cho đơn vị không có DVCTT các «chỉ số thành phần liên quan DVCTT» — chỉ số này "
                "(trực tuyến) có thể thuộc diện đó: cần người xác định (dvctt_substitution hay không)"))
            e.pop("needs", None)
            unsure.append(e["code"])
    out = head + f" (trụ cột {pillar}): "
    out += (f"đã gắn dvctt_substitution cho {', '.join(done)}" if done else "không chỉ số nào nêu rõ DVCTT")
    if unsure:
        out += f"; để người xác định: {', '.join(unsure)}"
    return out + " — cần đối chiếu"


def drafts_from(doc: Document, *, level: str | None = None, source: str = "") -> list[Draft]:
    drafts = read_annexes(doc)
    if level:
        drafts = [d for d in drafts if d.level == level] or ([drafts[0]] if len(drafts) == 1 else [])
        for d in drafts:
            d.level = level
    return drafts


def dump(rs: dict[str, Any]) -> str:
    head = ("# Bản nháp nhập từ quyết định bằng `dti rulesets import` — cần người đối chiếu.\n"
            "# Draft imported from a decision; check with `dti rulesets check` before use.\n")
    return head + yaml.safe_dump(rs, allow_unicode=True, sort_keys=False, width=110)


def write_atomic(path: Path, text: str) -> None:
    """Never a half-written ruleset file."""
    write_text_atomically(path, text)
