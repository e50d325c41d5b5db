"""Text normalisation for matching Vietnamese report text against a ruleset.

Four levels, each built on the one before:
- ``nfc``   : Unicode NFC only (Word gives NFC, some PDFs and OCR give NFD).
- ``clean`` : NFC, LaTeX remnants of OCR'd tables turned into plain text, whitespace collapsed.
- ``key``   : the matching key: lowercase, punctuation gone, OCR confusions fixed,
              abbreviations expanded, old/new tone placement unified.
- ``fold``  : ``key`` without accents (đ -> d): the accent-insensitive fallback.

Plus ``parse_code`` / ``parse_roman`` for the STT column.  All pure functions.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# nfc / clean / strip_accents: the one vocabulary (rulesets.vocab), re-exported here
from rulesets.vocab import clean, nfc, strip_accents  # noqa: E402,F401


# ---------------------------------------------------------------- fold

def fold(s: str | None) -> str:
    """Accent-insensitive form of ``key``: ``"Chuyển đổi số"`` -> ``"chuyen doi so"``."""
    return strip_accents(key(s))


# ---------------------------------------------------------------- key

# Lower-case abbreviation -> expansion.  Multi-word keys ("dvc tt") are
# matched as whole phrases too.  Expansions are themselves in key form.
ABBREVIATIONS: dict[str, str] = {
    "cbccvc": "cán bộ công chức viên chức",
    "cbcc": "cán bộ công chức",
    "ccvc": "công chức viên chức",
    "cbcnv": "cán bộ công nhân viên",
    "dvctt": "dịch vụ công trực tuyến",
    "dvc tt": "dịch vụ công trực tuyến",
    "dvc": "dịch vụ công",
    "tthcc": "thủ tục hành chính công",
    "tthc": "thủ tục hành chính",
    "cđs": "chuyển đổi số",
    "cds": "chuyển đổi số",
    "atttm": "an toàn thông tin mạng",
    "attt": "an toàn thông tin",
    "nsnn": "ngân sách nhà nước",
    "ubnd": "ủy ban nhân dân",
    "hđnd": "hội đồng nhân dân",
    "cntt": "công nghệ thông tin",
    "cntt tt": "công nghệ thông tin truyền thông",
    "ttđt": "thông tin điện tử",
    "tttđt": "trang thông tin điện tử",
    "httt": "hệ thống thông tin",
    "vbđt": "văn bản điện tử",
    "dn": "doanh nghiệp",
    "dnnvv": "doanh nghiệp nhỏ và vừa",
    "htx": "hợp tác xã",
    "csdl": "cơ sở dữ liệu",
    "đttm": "điện thoại thông minh",
    "tslcd": "truyền số liệu chuyên dùng",
    "tsl": "truyền số liệu",
    "cnscđ": "công nghệ số cộng đồng",
    "tmđt": "thương mại điện tử",
    "bcđ": "ban chỉ đạo",
    "cqnn": "cơ quan nhà nước",
    "cqđt": "chính quyền điện tử",
    "cqs": "chính quyền số",
    "nđ cp": "nghị định chính phủ",
    "nđ": "nghị định",
    "qđ": "quyết định",
    "vbqppl": "văn bản quy phạm pháp luật",
    "qppl": "quy phạm pháp luật",
    "bpmc": "bộ phận một cửa",
    "ktxh": "kinh tế xã hội",
    "tt tt": "thông tin và truyền thông",
    "vh tt": "văn hóa thông tin",
    "vhtt": "văn hóa thông tin",
}
# "Trang TTĐT" must not become "trang trang thông tin điện tử": TTĐT expands to
# "thông tin điện tử" and the preceding "trang"/"cổng" is kept as printed.

# OCR misreadings seen in scanned reports (phrase level, in key form).
OCR_FIXES: dict[str, str] = {
    "chuyên đổi số": "chuyển đổi số",
    "chuyến đổi số": "chuyển đổi số",
    "chuyển đối số": "chuyển đổi số",
    "chuyển dổi số": "chuyển đổi số",
    "tố công nghệ": "tổ công nghệ",
    "tiêu sử": "tiểu sử",
    "thông tín": "thông tin",
    "điện từ": "điện tử",
    "bằng rộng": "băng rộng",
    "ty lệ": "tỷ lệ",
    "tỳ lệ": "tỷ lệ",
    "tý lệ": "tỷ lệ",
}

# Whole-word spelling variants (i/y and the like) -> one spelling.
WORD_VARIANTS: dict[str, str] = {
    "tỉ": "tỷ", "kĩ": "kỹ", "lí": "lý", "mĩ": "mỹ", "qui": "quy", "quí": "quý",
    "hoà": "hòa", "thuỷ": "thủy", "uỷ": "ủy", "huỷ": "hủy", "tuỳ": "tùy",
}

# Old vs new tone placement on oa/oe/uy at the end of a syllable
# (hoà/hòa, thuỷ/thủy, khoẻ/khỏe): the tone goes on the first vowel.
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_TONE_RX = re.compile(r"(?<![qQ])([oOuU])([aAeEyY])([\u0300\u0301\u0303\u0309\u0323])(?![^\W\d_])")


def unify_tones(s: str) -> str:
    d = unicodedata.normalize("NFD", s)
    d = _TONE_RX.sub(lambda m: m.group(1) + m.group(3) + m.group(2), d)
    return unicodedata.normalize("NFC", d)


def _phrase_rx(table: dict[str, str]) -> re.Pattern:
    alts = sorted(table, key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(a) for a in alts) + r")(?!\w)")


_ABBR_RX = _phrase_rx(ABBREVIATIONS)
_OCR_RX = _phrase_rx(OCR_FIXES)
_WORD_RX = _phrase_rx(WORD_VARIANTS)


def _fix_ocr_chars(s: str) -> str:
    # "0" read for "o" between letters ("c0ng"), "l"/"I" read for "1" between digits ("1l0").
    s = re.sub(r"(?<=[^\W\d_])0(?=[^\W\d_])", "o", s)
    s = re.sub(r"(?<=\d)[lI|](?=\d)", "1", s)
    s = re.sub(r"(?<=\d)[oO](?=\d)", "0", s)
    return s


@lru_cache(maxsize=20000)
def key(s: str | None) -> str:
    """Matching key: ``"Tỷ lệ CBCC được trang bị máy tính"`` and
    ``"Tỉ lệ cán bộ, công chức được trang bị máy tính"`` give the same key."""
    t = _fix_ocr_chars(clean(s))
    t = unify_tones(t).lower()
    t = re.sub(r"[^\w]+|_", " ", t)       # punctuation (and %) to spaces
    t = re.sub(r"\s+", " ", t).strip()
    t = _WORD_RX.sub(lambda m: WORD_VARIANTS[m.group(1)], t)
    t = _OCR_RX.sub(lambda m: OCR_FIXES[m.group(1)], t)
    t = _ABBR_RX.sub(lambda m: ABBREVIATIONS[m.group(1)], t)
    return t


# ---------------------------------------------------------------- codes

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}
_CODE_RX = re.compile(r"^(\d{1,2})((?:\s*[.,]\s*\d{1,2})*)$")


def parse_roman(s: str | None) -> int | None:
    """``"III"`` -> 3, ``"IV."`` -> 4, ``"VIII"`` -> 8; anything else -> None (1..39)."""
    t = clean(s).strip().rstrip(".):").strip().upper()
    if not t or not re.fullmatch(r"X{0,3}(IX|IV|V?I{0,3})", t):
        return None
    vals = [_ROMAN[c] for c in t]
    n = sum(-v if i + 1 < len(vals) and v < vals[i + 1] else v for i, v in enumerate(vals))
    return n or None


def parse_code(s: str | None) -> str | None:
    """Canonical dotted code of an STT cell, or None.

    Returns a string of 1-4 dot-separated integers without leading zeros:
    ``"5.16. 5"`` -> ``"5.16.5"``, ``"1."`` -> ``"1"``, ``"- 1.1."`` -> ``"1.1"``,
    ``"1)"`` -> ``"1"``, ``"5.l6"`` -> ``"5.16"`` (OCR).  None for letters
    (``"a)"``), roman numerals (use ``parse_roman``), column numbers ``"(1)"``,
    years and other big numbers, and empty cells.
    """
    t = clean(s)
    if not t or t.startswith("("):
        return None
    t = t.lstrip("-–•+* ").rstrip(" .):;")
    t = re.sub(r"(?<=[\d.])[lI|](?=[\d.]|$)", "1", t)
    t = re.sub(r"(?<=[\d.])[oO](?=[\d.]|$)", "0", t)
    m = _CODE_RX.match(t)
    if not m:
        return None
    parts = [int(p) for p in re.findall(r"\d+", t)]
    if len(parts) > 4:
        return None
    return ".".join(str(p) for p in parts)
