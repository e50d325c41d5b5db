"""The one vocabulary of report text: numbers, yes/no answers, frequencies, text folding.

Matchers (reading cells) and scoring (applying rules) both read words and numbers
a commune wrote; when each had its own reader they disagreed ("Hoàn thành" and
"x" were yes for one and unknown for the other, "Không áp dụng" no for one and
neither for the other).  Everything that decides what a word or a number means
lives here, below both rooms (it imports nothing of the project).

- ``nfc`` / ``clean`` / ``strip_accents`` / ``fold_keep``: text levels;
- ``parse_number``: ``1.570`` -> 1570, ``8,5`` -> 8.5, ``8.0`` -> 8.0, OCR ``1O0`` -> 100;
- ``answer_polarity`` / ``normalise_answer`` / ``truth_of``: yes / no / neither;
- ``frequency``: ``4 lần/tháng``, ``Hàng tuần``, ``3 tháng/lần`` as per_week / per_month.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

# ---------------------------------------------------------------- text

_LATEX_SUBS = [
    (re.compile(r"\\text(?:bf|it|rm)?\s*\{([^{}]*)\}"), r"\1"),
    (re.compile(r"\\(?:d|t)?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}"), r"(\1)/(\2)"),
    (re.compile(r"\\times|\\cdot"), " x "),
    (re.compile(r"\\geq?|\\geqslant"), " ≥ "),
    (re.compile(r"\\leq?|\\leqslant"), " ≤ "),
    (re.compile(r"\\neq?"), " ≠ "),
    (re.compile(r"\\%"), "%"),
    (re.compile(r"\\[,;:! ]"), " "),
    (re.compile(r"\\(?:left|right|mathrm|mathbf)\b"), ""),
]


def nfc(s: str | None) -> str:
    return unicodedata.normalize("NFC", s or "")


def clean(s: str | None) -> str:
    """NFC, LaTeX remnants of OCR'd tables to plain text, whitespace collapsed.

    ``"$100\\% \\times 10$"`` -> ``"100% x 10"``; ``"$\\geq 5\\%$"`` -> ``"≥ 5%"``.
    """
    t = nfc(s).replace("\u00a0", " ").replace("\u200b", "")
    if "\\" in t or "$" in t:
        for rx, rep in _LATEX_SUBS:
            t = rx.sub(rep, t)
        t = t.replace("$", " ").replace("{", "").replace("}", "")
    t = re.sub(r"\*\*|__|<\/?[ibu]>", "", t)   # markdown bold / html italics left by converters
    t = re.sub(r"(\d)\s+%", r"\1%", t)          # "100 %" and "100%" read the same
    t = re.sub(r"[ \t\r\f\v]+", " ", t)
    t = re.sub(r" *\n *", "\n", t)
    return t.strip()


def strip_accents(s: str) -> str:
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in s if unicodedata.category(c) != "Mn"))


def fold_keep(text: Any) -> str:
    """Lowercase, accents removed, punctuation kept ("4 lần/tháng" -> "4 lan/thang").

    OCR's "0" between letters ("Kh0ng") is read as "o": answers are words, and a
    damaged accent or letter must not change what they say."""
    t = strip_accents(clean(None if text is None else str(text))).lower()
    t = re.sub(r"(?<=[a-z])0(?=[a-z])", "o", t)
    return re.sub(r"\s+", " ", t).strip()


def norm_text(s: Any) -> str:
    """NFC, case-folded, single-spaced, accents kept: how option keys are compared."""
    return " ".join(unicodedata.normalize("NFC", str(s)).casefold().split())


# ---------------------------------------------------------------- numbers

# A number token: digits with ./,/space groups; OCR O/o and l/I are tolerated
# inside (fixed in parse_number), never at the start.
NUM = r"\d(?:[\dOoIl]|[.,](?=\d)|\s(?=\d{3}(?!\d)))*"
NUM_RX = re.compile(NUM)


def parse_number(s: str | None) -> float | None:
    """``"1.570"`` -> 1570, ``"8,5"`` -> 8.5, ``"8.0"`` -> 8.0, ``"1.570,5"`` -> 1570.5,
    ``"1 570"`` -> 1570, ``"1O0"`` -> 100.  None when the text is not one number.

    A dot is a thousands separator only when every group after it has three
    digits and the first group does not start with 0 ("17.38" and "0.850" are decimals)."""
    t = clean(s).strip().rstrip(".;:")
    if not t:
        return None
    t = re.sub(r"(?<=\d)[Oo](?=[\d.,]|$)|(?<=[\d.,])[Oo](?=\d)", "0", t)
    t = re.sub(r"(?<=\d)[lI|](?=[\d.,]|$)|(?<=[\d.,])[lI|](?=\d)", "1", t)
    t = t.lstrip("+")
    neg = t.startswith("-")
    t = t.lstrip("-").strip()
    if re.fullmatch(r"\d{1,3}(?: \d{3})+", t):
        t = t.replace(" ", "")
    if not re.fullmatch(r"\d[\d.,]*", t) or re.search(r"[.,]{2}", t) or t[-1] in ".,":
        return None
    if "." in t and "," in t:
        dec = "," if t.rfind(",") > t.rfind(".") else "."
        thou = "." if dec == "," else ","
        ip, _, fp = t.rpartition(dec)
        if not re.fullmatch(r"\d{1,3}(?:\%s\d{3})*" % thou, ip):
            return None
        v = float(ip.replace(thou, "") + "." + fp)
    elif "." in t:
        v = float(t.replace(".", "")) if re.fullmatch(r"[1-9]\d{0,2}(?:\.\d{3})+", t) else (
            float(t) if t.count(".") == 1 else None)
    elif "," in t:
        if t.count(",") == 1:
            v = float(t.replace(",", "."))
        elif re.fullmatch(r"\d{1,3}(?:,\d{3})+", t):
            v = float(t.replace(",", ""))
        else:
            v = None
    else:
        v = float(t)
    if v is None:
        return None
    return -v if neg else v


def numbers(text: str) -> list[tuple[float, int, int]]:
    """Every number in ``text`` as (value, start, end)."""
    out = []
    for m in NUM_RX.finditer(text):
        v = parse_number(m.group())
        if v is not None:
            out.append((v, m.start(), m.end()))
    return out


# ---------------------------------------------------------------- answers

# First words of a "no", on folded text.  OCR damages accents and single letters
# ("Chưa" -> "Chua"/"Chura", "Không" -> "Khong"/"Khòng"/"Kh6ng"), so the heads are
# matched on the folded word and also within one letter of "chua"/"khong" when
# what follows is an answer's complement (below).
_NO_HEADS = ("chua", "khong", "ko", "k co", "khg", "chu a", "thieu", "kh ong", "false")
# What a negative head is followed by in an answer ("Chưa ban hành", "Không có").
_NO_COMPLEMENT = ("co", "dat", "ban hanh", "trien khai", "thuc hien", "thanh lap", "xay dung",
                  "lap", "cap", "cai dat", "ket noi", "dau tu", "trang bi", "day du", "phat sinh",
                  "cung cap", "hoan thanh", "duoc", "to chuc", "bo tri", "su dung", "ap dung")
# First words of a "yes".
_YES_HEADS = ("co", "dat", "da", "hoan chinh", "day du", "dung han", "dap ung", "hoan thanh", "cung cap day du",
              "duoc", "thuc hien", "dam bao", "trien khai", "ban hanh", "yes", "true")
_TICKS = ("x", "v", "✓", "✔", "☑", "☒")
# Answers that start like "no" but say the question does not apply: neither yes nor no.
_NOT_APPLICABLE = ("khong ap dung", "khong phat sinh", "khong thuoc", "khong co doi tuong")


def answer_head(folded: str) -> str:
    """The answer's first clause, before any bracket, without bullets and punctuation."""
    t = folded.strip().lstrip("-–•+*:. ").strip()
    return re.split(r"[(\[]", t, 1)[0].strip(" .;:,")


def _near(word: str, target: str) -> bool:
    """One letter changed, dropped or added: OCR's damage to a short word."""
    if word == target:
        return True
    if abs(len(word) - len(target)) > 1 or len(word) < 3:
        return False
    if len(word) == len(target):
        return sum(a != b for a, b in zip(word, target)) == 1
    short, long_ = sorted((word, target), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _starts(h: str, heads: tuple[str, ...]) -> bool:
    # the head is a whole word: "co" starts "co:", "co, day du", not "cong"
    return any(h.startswith(x) and not h[len(x):len(x) + 1].isalnum() for x in heads)


def _damaged_no(h: str) -> bool:
    """"Chura ban hanh", "Khòng có" read by OCR: a word within one letter of "chưa"/
    "không" followed by an answer's complement, or standing alone."""
    words = h.split(" ", 1)
    if not any(_near(words[0], t) for t in ("chua", "khong")):
        return False
    rest = words[1] if len(words) > 1 else ""
    return not rest or _starts(rest, _NO_COMPLEMENT)


def answer_polarity(text: Any) -> str | None:
    """``"yes"``, ``"no"`` or None when the text is neither (a name, a figure, an option,
    "Không áp dụng").  Negatives are decided first: "Chưa có" contains "có"."""
    if text is None:
        return None
    f = fold_keep(text)
    if not f:
        return None
    if f in ("yes", "no"):
        return f
    h = answer_head(f)
    if any(h.startswith(x) for x in _NOT_APPLICABLE):
        return None
    # a negative head decides before anything after it ("Chưa cài đặt" ends in "dat")
    if h and (_starts(h, _NO_HEADS) or _damaged_no(h)):
        return "no"
    # a verdict at the end of a narrative sentence decides ("... Chưa đạt.", "... : đạt"),
    # but not "cài đặt"/"lắp đặt" (the same letters once accents are gone)
    m = re.search(r"(?:^|[\s.:;,)])(chua dat|khong dat|dat)\s*$", f.rstrip(" .;:!"))
    if m and not re.search(r"(?:cai|lap|bo tri|dat)\s+dat\s*$", f.rstrip(" .;:!")) \
            and not re.search(r"đặt\W*$", clean(str(text)).lower()):
        return "yes" if m.group(1) == "dat" else "no"
    if not h:
        return None
    if _starts(h, _YES_HEADS) or h in _TICKS:
        return "yes"
    return None


def normalise_answer(text: str | None) -> str | None:
    """``"Có"``, ``"Đạt"``, ``"Đã ban hành (Kế hoạch số 57/KH-UBND …)"``, ``"Hoàn thành"``,
    ``"x"`` -> ``"yes"``; ``"Không"``, ``"Chưa đạt"``, ``"Chưa ban hành"``, ``"Chua trien khai"``
    -> ``"no"``; anything else (``"Chủ tịch UBND xã là Trưởng ban"``, ``"4 lần/tháng"``,
    ``"Không áp dụng"``) is returned cleaned, as read; empty -> None."""
    t = clean(text)
    if not t:
        return None
    return answer_polarity(t) or t


def truth_of(v: Any) -> bool | None:
    """A yes/no fact or answer as a bool (a count > 0 is yes); None when it is neither."""
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return v > 0
    if not isinstance(v, str):
        return None
    p = answer_polarity(v)
    return True if p == "yes" else False if p == "no" else None


# ---------------------------------------------------------------- frequencies

_PERIOD_PER_YEAR = {"ngay": 364.0, "tuan": 52.0, "thang": 12.0, "quy": 4.0, "nam": 1.0}
_KEY = {"tuan": "per_week", "thang": "per_month", "ngay": "per_day", "nam": "per_year", "quy": "per_quarter"}
_NEG = r"(?:chua|khong|ko|khg)"


def frequency(text: str | None) -> dict[str, float]:
    """Broadcast/update frequency as ``per_month`` and ``per_week`` (and the printed unit).

    ``"4 lần/tháng"`` -> per_month 4; ``"2 lần/tuần"`` -> per_week 2; ``"3 tháng/lần"`` ->
    4 a year.  ``Hàng ngày/tuần/tháng/quý/năm`` (or ``hằng``) is once per that
    period.  ``"Chưa phát sóng"`` -> 0.  The unit not printed is derived through
    the yearly count (a year = 52 weeks = 12 months).
    """
    f = fold_keep(text)
    m = re.search(r"(\d+(?:[.,]\d+)?)\s*lan\s*(?:/|tren|moi|mot|trong)\s*(?:1\s*|mot\s*)?(ngay|tuan|thang|quy|nam)", f) \
        or re.search(r"(?:moi|1|mot)\s*(ngay|tuan|thang|quy|nam)\s*(?:/\s*)?(\d+(?:[.,]\d+)?)\s*lan", f)
    if m:
        if m.group(1)[0].isdigit():
            n, unit = parse_number(m.group(1)) or 0.0, m.group(2)
        else:
            unit, n = m.group(1), parse_number(m.group(2)) or 0.0
        per_year = n * _PERIOD_PER_YEAR[unit]
        out = {_KEY[unit]: n}
    elif m := re.search(r"(\d+)\s*(ngay|tuan|thang|quy|nam)\s*/\s*(?:1\s*)?lan", f):
        n = float(m.group(1))
        if not n:
            return {}
        per_year = _PERIOD_PER_YEAR[m.group(2)] / n
        out = {}
    elif m := re.search(r"(?:hang|moi)\s*(ngay|tuan|thang|quy|nam)", f):
        per_year = _PERIOD_PER_YEAR[m.group(1)]
        out = {_KEY[m.group(1)]: 1.0}
    elif re.search(_NEG + r"\s*(?:phat song|phat|thuc hien|cap nhat)", f) or answer_polarity(f) == "no":
        return {"per_week": 0.0, "per_month": 0.0}
    else:
        return {}
    out.setdefault("per_week", per_year / 52.0)
    out.setdefault("per_month", per_year / 12.0)
    return out
