"""The structured facts of composite rules, read from answer cells and sentences.

``extract_facts(text)`` -> dict of the facts a rule may read (see its docstring).
Yes/no answers and frequencies are the vocabulary's (``rulesets.vocab``), which
scoring reads too; matching runs on ``fold_keep``-ed text (no accents, lowercase)
so that OCR'd or unaccented answers ("Chua dat") read the same as printed ones.
"""
from __future__ import annotations

import re

from rulesets.vocab import (  # noqa: F401  (the one vocabulary; re-exported for the matchers)
    answer_head, answer_polarity, clean, fold_keep, frequency, normalise_answer,
)

from .figures import NUM, parse_count, parse_money, parse_number


# ---------------------------------------------------------------- the method's options

# "- Có: Điểm tối đa; - Không: 0 điểm" (or "Có: 20 điểm, Không: 0 điểm"): the scoring method's
# options, which a photo's lost column boundary reads into the answer's cell
_OPTIONS = re.compile(r"[-•+*~]?\s*co\s*[:;,]?\s*(?:diem toi da|\d+(?:[.,]\d+)?\s*diem)\s*[;,.]?\s*"
                      r"[-•+*~]?\s*khong\s*[:;,]?\s*0\s*diem\s*[;,.]?")


def without_options(text: str | None) -> str | None:
    """``text`` without the method's yes/no options printed in it: "- Có: Điểm tối đa - Không:
    0 điểm Không" -> "Không"; unchanged when there are none (or nothing else is left)."""
    if not text:
        return text
    f = fold_keep(text)
    if len(f) != len(text):         # the folded text must keep the places of the printed one
        return text
    kept, at = [], 0
    for m in _OPTIONS.finditer(f):
        kept.append(text[at:m.start()])
        at = m.end()
    if not kept:
        return text
    rest = clean(" ".join(kept + [text[at:]]).strip(" ;,.-~"))
    return rest or text


# ---------------------------------------------------------------- facts

_NEG = r"(?:chua|khong|ko|khg)"


def _clauses(f: str) -> list[str]:
    return [c.strip() for c in re.split(r"[;\n]|\.\s", f) if c.strip()]


def _leader(f: str) -> str | None:
    if not re.search(r"truong ban|ban chi dao|bcd", f):
        return None
    if re.search(_NEG + r"\s*(?:thanh lap|co)\s*(?:ban chi dao|bcd|ban)|truong ban\s*(?:la\s*)?khong phai|"
                 r"khong co ban chi dao|chua thanh lap", f):
        return "none"
    lead = r"(?:(?P<pho>pho\s*)?(?:bi thu|chu tich))"
    if re.search(lead + r"[^;]*?(?:la|lam|giu chuc|kiem)\s*truong ban", f) or \
            re.search(r"truong ban\s*(?:la|:)?\s*" + lead, f):
        m = re.search(lead + r"[^;]*?(?:la|lam|giu chuc|kiem)\s*truong ban", f) or \
            re.search(r"truong ban\s*(?:la|:)?\s*" + lead, f)
        return "deputy" if m.group("pho") else "chair"
    return None


def _section(f: str) -> str | None:
    if "chuyen muc" not in f:
        return None
    if re.search(r"lien ket|link|duong dan|ket noi ve", f):
        return "link"
    if re.search(_NEG + r"\s*(?:co|xay dung|lap)?\s*chuyen muc", f):
        return "none"
    if re.search(r"(?:co|da co|da xay dung|da lap|xay dung)\s*chuyen muc", f) or f.startswith("chuyen muc"):
        return "own"
    return None


def _polar_clause(f: str, words: str) -> bool | None:
    for c in _clauses(f):
        if re.search(words, c):
            before = c[:re.search(words, c).start()]
            if re.search(r"(?:^|\s)" + _NEG + r"(?:\s|$)", before + " ") or re.match(_NEG, c):
                return False
            return True
    return None


def extract_facts(text: str | None) -> dict:
    """Structured facts read from an answer cell or sentence.  Keys appear only when found:

    - ``leader``: ``chair`` | ``deputy`` | ``none`` — who heads the steering committee
      ("Chủ tịch UBND xã là Trưởng ban", "Phó Chủ tịch … Trưởng ban", "Chưa thành lập Ban chỉ đạo");
    - ``section``: ``own`` | ``link`` | ``none`` — the website's CĐS section;
    - ``articles`` and ``count``: "8 tin, bài" (0 with "Chưa có chuyên mục");
    - ``per_month``, ``per_week`` (and ``per_day`` …): see ``frequency``;
    - ``one_stop_wifi`` (bool), ``other_points`` and ``count``: "Có wifi miễn phí tại Bộ
      phận một cửa; 3 điểm wifi công cộng khác";
    - ``functional`` (bool: meets NĐ 42 functional requirements), ``ipv6`` (bool);
    - ``count``: "9 camera"; 0 for a bare "Chưa có"/"Không có";
    - ``amount``: triệu đồng ("35 triệu đồng").
    """
    t = clean(text)
    if not t:
        return {}
    f = fold_keep(t)
    facts: dict = {}
    if (v := _leader(f)) is not None:
        facts["leader"] = v
    if (v := _section(f)) is not None:
        facts["section"] = v
    arts = re.search(r"(\d+)\s*(?:tin\s*bai|tin|bai(?:\s*viet)?)\b", f)
    if arts:
        facts["articles"] = facts["count"] = float(arts.group(1))
    elif facts.get("section") == "none":
        facts["articles"] = facts["count"] = 0.0
    if re.search(r"\blan\b|hang (?:ngay|tuan|thang|quy|nam)|phat song", f):
        facts.update(frequency(t))
    if "wifi" in f or "wi fi" in f:
        osw = _polar_clause(f, r"mot cua")
        if osw is not None:
            facts["one_stop_wifi"] = osw
        m = re.search(r"(\d+)\s*diem\s*(?:phat\s*)?wi\s*fi", f)
        if m:
            facts["other_points"] = facts["count"] = float(m.group(1))
        elif re.search(_NEG + r"\s*co\s*(?:diem\s*)?wi\s*fi\s*cong cong", f):
            facts["other_points"] = facts["count"] = 0.0
    if re.search(r"chuc nang|nghi dinh 42|\bnd 42|42/2022", f):
        v = _polar_clause(f, r"chuc nang|nghi dinh 42|\bnd 42|42/2022")
        if v is not None:
            facts["functional"] = v
    if "ipv6" in f:
        v = _polar_clause(f, r"ipv6")
        if v is not None:
            facts["ipv6"] = v
    if "count" not in facts:
        c = parse_count(t, ("camera", "điểm wifi", "màn hình", "đầu đọc", "máy"))
        if c:
            facts["count"] = c.value
        elif not re.search(r"\d", f) and re.fullmatch(_NEG + r"\s*(?:co|lap dat|trien khai)?", answer_head(f)):
            facts["count"] = 0.0
    amount = parse_money(t)
    if amount is not None:
        facts["amount"] = amount
    facts.update(lettered_values(t))
    return facts


# "a = 45; b = 50; c = 12" (OCR may drop an "=": "a 7.845; b = 9.620"): the decision's
# named quantities, kept so that a ruleset's declared formula ("(c + d) / (a + b)") can use them
_LETTER_RX = re.compile(r"(?<![\w/])([a-h])\s*(?:=|:)\s*(" + NUM + r")(?![\d/])")


def lettered_values(text: str | None) -> dict[str, float]:
    """``"a = 15; b = 20; c = 12; d = 20"`` -> {a: 15, b: 20, c: 12, d: 20}; at least two letters,
    each once (a lone "a = 5" is too weak to be the decision's quantities)."""
    found: dict[str, float] = {}
    # OCR: "a=l3" (l or I for 1, O for 0 at a number's start), "b => 7.450"
    t = re.sub(r"(?<=[=:])(\s*)>", r"\1", clean(text))
    t = re.sub(r"(?<=[=:])(\s*)[lI|](?=[\dOo])", r"\g<1>1", t)
    t = re.sub(r"(?<=[=:])(\s*)[Oo](?=\d)", r"\g<1>0", t)
    for m in _LETTER_RX.finditer(t):
        v = parse_number(m.group(2))
        if v is None or m.group(1) in found:
            return {}
        found[m.group(1)] = v
    return found if len(found) >= 2 else {}
