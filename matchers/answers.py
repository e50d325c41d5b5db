"""Categorical answers and the structured facts of composite rules.

``normalise_answer(text)`` -> ``"yes"`` | ``"no"`` | the text as read (None when empty).
``extract_facts(text)``    -> dict of the facts a rule may read (see its docstring).

Matching runs on ``fold``-ed text (no accents, lowercase) so that OCR'd or
unaccented answers ("Chua dat") read the same as printed ones.
"""
from __future__ import annotations

import re

from .figures import parse_count, parse_money
from .normalize import clean, strip_accents

# Heads of a "no" answer (checked before yes: "chưa có" contains "có").
_NO_HEADS = ("chua", "khong", "ko ", "k co", "khg", "chu a", "thieu", "khong dat", "chua dat")
# Heads of a "yes" answer.
_YES_HEADS = ("co", "dat", "da ", "hoan chinh", "day du", "dung han", "dap ung", "hoan thanh",
              "duoc ", "thuc hien", "dam bao", "trien khai", "ban hanh", "x", "v", "✓", "✔", "☑", "yes")
# Answers that start like "no" but are not one.
_NOT_APPLICABLE = ("khong ap dung", "khong phat sinh", "khong thuoc")


def fold_keep(text: str | None) -> str:
    """Lowercase, accents removed, punctuation kept ("4 lần/tháng" -> "4 lan/thang")."""
    return re.sub(r"\s+", " ", strip_accents(clean(text)).lower()).strip()


def _head(folded: str) -> str:
    t = folded.strip().lstrip("-–•+*:. ").strip()
    return re.split(r"[(\[]", t, 1)[0].strip(" .;:,")


def _starts(h: str, heads: tuple[str, ...]) -> bool:
    return any(h == x.strip() or h.startswith(x if x.endswith(" ") else x + " ")
               or (x in ("x", "v", "✓", "✔", "☑") and h == x)
               or (not x.endswith(" ") and len(x) > 1 and h.startswith(x) and not h[len(x):len(x) + 1].isalnum())
               for x in heads)


def answer_polarity(text: str | None) -> str | None:
    """``"yes"``, ``"no"`` or None when the text is neither (a name, a figure, an option)."""
    t = clean(text)
    if not t:
        return None
    f = fold_keep(t)
    # a verdict at the end of a narrative sentence decides ("... Chưa đạt.", "... : đạt")
    m = re.search(r"(?:^|[\s.:;,)])(chua dat|khong dat|dat)\s*$", f.rstrip(" .;:!"))
    if m:
        return "yes" if m.group(1) == "dat" else "no"
    h = _head(f)
    if not h:
        return None
    if any(h.startswith(x) for x in _NOT_APPLICABLE):
        return None
    if _starts(h, _NO_HEADS):
        return "no"
    if _starts(h, _YES_HEADS):
        return "yes"
    return None


def normalise_answer(text: str | None) -> str | None:
    """``"Có"``, ``"Đạt"``, ``"Đã ban hành (Kế hoạch số 57/KH-UBND …)"``, ``"Hoàn chỉnh"``,
    ``"Đầy đủ, kịp thời"``, ``"Có:"`` -> ``"yes"``; ``"Không"``, ``"Chưa đạt"``,
    ``"Chưa có chuyên mục"``, ``"Không phủ sóng tối đa"`` -> ``"no"``; anything
    else (``"Chủ tịch UBND xã là Trưởng ban"``, ``"Hàng ngày"``, ``"4 lần/tháng"``)
    is returned cleaned, as read; empty -> None."""
    t = clean(text)
    if not t:
        return None
    p = answer_polarity(t)
    return p if p else t


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


_PERIOD_PER_YEAR = {"ngay": 364.0, "tuan": 52.0, "thang": 12.0, "quy": 4.0, "nam": 1.0}
_KEY = {"tuan": "per_week", "thang": "per_month", "ngay": "per_day", "nam": "per_year", "quy": "per_quarter"}


def frequency(text: str | None) -> dict[str, float]:
    """Broadcast/update frequency as ``per_month`` and ``per_week`` (and the printed unit).

    ``"4 lần/tháng"`` -> per_month 4; ``"2 lần/tuần"`` -> per_week 2; ``"3 tháng/lần"`` ->
    4 a year.  ``Hàng ngày/tuần/tháng/quý/năm`` (or ``hằng``) is once per that
    period: ``"Hàng tuần"`` -> per_week 1.  ``"Chưa phát sóng"`` -> 0.  The unit
    not printed is derived through the yearly count (a year = 52 weeks = 12
    months), so ``"2 lần/tháng"`` gives per_week 24/52 ≈ 0.46.
    """
    f = fold_keep(text)
    per_year = None
    unit = None
    m = re.search(r"(\d+(?:[.,]\d+)?)\s*lan\s*(?:/|tren|moi|mot|trong)\s*(?:1\s*|mot\s*)?(ngay|tuan|thang|quy|nam)", f) \
        or re.search(r"(?:moi|1|mot)\s*(ngay|tuan|thang|quy|nam)\s*(?:/\s*)?(\d+(?:[.,]\d+)?)\s*lan", f)
    if m:
        if m.group(1)[0].isdigit():
            n, unit = float(m.group(1).replace(",", ".")), m.group(2)
        else:
            unit, n = m.group(1), float(m.group(2).replace(",", "."))
        per_year = n * _PERIOD_PER_YEAR[unit]
        out = {_KEY[unit]: n}
    else:
        m = re.search(r"(\d+)\s*(ngay|tuan|thang|quy|nam)\s*/\s*(?:1\s*)?lan", f)
        if m:
            per_year = _PERIOD_PER_YEAR[m.group(2)] / float(m.group(1))
            out = {}
        else:
            m = re.search(r"(?:hang|hang|moi)\s*(ngay|tuan|thang|quy|nam)", f)
            if m:
                unit = m.group(1)
                per_year = _PERIOD_PER_YEAR[unit]
                out = {_KEY[unit]: 1.0}
            elif re.search(_NEG + r"\s*(?:phat song|phat|thuc hien|cap nhat)", f):
                return {"per_week": 0.0, "per_month": 0.0}
            else:
                return {}
    out.setdefault("per_week", per_year / 52.0)
    out.setdefault("per_month", per_year / 12.0)
    return out


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
        elif not re.search(r"\d", f) and re.fullmatch(_NEG + r"\s*(?:co|lap dat|trien khai)?", _head(f)):
            facts["count"] = 0.0
    amount = parse_money(t)
    if amount is not None:
        facts["amount"] = amount
    return facts
