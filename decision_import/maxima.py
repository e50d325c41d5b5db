"""An indicator's maximum where the decision writes it when it prints no ``Điểm tối đa`` column.

- at the end of the name: ``… (20 điểm)``, ``… (20đ)``, ``… - 20 điểm``, ``… (tối đa 20 điểm)``;
- in the method, as a line of its own: ``Tối đa 20 điểm.``, ``Điểm tối đa: 20 điểm``,
  ``(tối đa 20đ)`` — never inside a clause (``Mỗi … được 2 điểm, tối đa 5 điểm`` is a cap);
- only on the pillar row: the pillar's indicators, none printing a maximum of its own,
  share it equally — a reading, said in a note and in the summary.
Each reading records where it came from (``DraftIndicator.max_from``).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from matchers.figures import parse_points

if TYPE_CHECKING:
    from decision_import.annex_draft import Draft

_NUM = r"(\d{1,4}(?:[.,]\d+)?)"
_UNIT = r"\s*(?:điểm|điêm|diem|đ|ð|Ð|Đ)\.?"
_NAME_TAIL = re.compile(r"\s*(?:[(\[]\s*(?:tối đa|điểm tối đa)?\s*:?\s*" + _NUM + r"(?:" + _UNIT + r"|(?<=4))\s*[)\]]"
                        r"|[-–:]\s*(?:tối đa\s*)?" + _NUM + _UNIT + r")\s*[.:;_|'`,]*\s*$", re.I)
_TOIDA = r"(?:điểm\s+)?t[ốôoóồổ]i\s*(?:đa|[dđ]a|[éèec]a)\s*:?\s*"     # OCR: "tối éa", "tối ca"
# a line that is only the maximum may leave out the unit ("Điểm tối đa 20"); inside a clause never
_METHOD_LINE = re.compile(r"^[-+•*\s]*[(\[]?\s*" + _TOIDA + _NUM + r"(?:" + _UNIT + r")?\s*[)\]]?\s*[.;]?\s*$", re.I)
# OCR joins a cell's lines: "- Tối đa 20 điểm - Trưởng ban là …" (first clause) or "… (tối đa 20đ)" (last)
_METHOD_HEAD = re.compile(r"^[-+•*\s]*" + _TOIDA + _NUM + r"(?:" + _UNIT + r"|(?=\s+[-+•]))\s*(?:[.;]\s*|\s(?=[-+•]\s?))", re.I)
_METHOD_TAIL = re.compile(r"\s*[(\[]\s*" + _TOIDA + _NUM + _UNIT + r"\s*[)\]]\s*[.;]?\s*$", re.I)


def _num(s: str) -> float | None:
    return parse_points(s.replace(" ", ""))


def from_name(name: str) -> tuple[str, float | None]:
    """``Kế hoạch chuyển đổi số (20 điểm)`` → (``Kế hoạch chuyển đổi số``, 20)."""
    m = _NAME_TAIL.search(name)
    if not m or not re.search(r"[^\W\d_]{3}", name[:m.start()]):
        return name, None
    v = _num(m.group(1) or m.group(2))
    if v is not None and not re.search(_UNIT + r"\s*[)\]]?\s*[.:;_|'`,]*\s*$", m.group(0), re.I):
        # "(254)": no unit — only a maximum if its "4" is an OCR-read "đ" that closes the pillar's sum
        # (``repair_unit_digit``); any other number in brackets is part of the name
        return (name[:m.start()].rstrip(" -–:"), -v) if v >= 14 and int(v) % 10 == 4 else (name, None)
    return (name[:m.start()].rstrip(" -–:"), v) if v is not None else (name, None)


def from_method(lines: list[str]) -> tuple[list[str], float | None]:
    """A method line that is only ``Tối đa 20 điểm`` gives the maximum and leaves the method."""
    found = None
    kept = []
    for block in lines:
        out = []
        for line in block.split("\n"):
            m = _METHOD_LINE.match(line.strip())
            if m and found is None:
                found = _num(m.group(1))
                continue
            m = None if found is not None else (_METHOD_HEAD.match(line.strip()) or _METHOD_TAIL.search(line))
            if m and _num(m.group(1)) is not None:
                found = _num(m.group(1))
                line = (line.strip()[m.end():] if m.re is _METHOD_HEAD else line[:m.start()])
            out.append(line)
        if any(x.strip() for x in out):
            kept.append("\n".join(out))
    return kept, found


def share_pillars(d: "Draft") -> None:
    """A pillar printing its maximum whose indicators print none: they share it equally
    (the only reading the table allows), each one marked for a person to confirm.  One
    indicator alone without a maximum takes what its pillar's sum leaves (``pillar sum``)."""
    for p in d.pillars:
        mine = [i for i in d.indicators if i.pillar == p.code and not i.heading]
        if p.max_points is None or not mine or any(i.max_dash for i in mine):
            continue
        missing = [i for i in mine if i.max_points is None]
        rest = p.max_points - sum(i.max_points or 0 for i in mine)
        if len(missing) == 1 and len(mine) > 1 and rest > 0:
            missing[0].max_points, missing[0].max_from = rest, "pillar"
            d.problems.append((missing[0].page, f"chỉ số {missing[0].code}: điểm tối đa không đọc được, lấy phần còn "
                                                f"lại của trụ cột {p.code}: {rest:g} — cần đối chiếu"))
            continue
        if len(missing) != len(mine):
            continue
        each = round(p.max_points / len(mine), 4)
        for i in mine:
            i.max_points, i.max_from = each, "pillar"
        d.problems.append((p.page, f"trụ cột {p.code}: các chỉ số không in điểm tối đa, chia đều {p.max_points:g} "
                                   f"điểm của trụ cột: mỗi chỉ số {each:g} — cần đối chiếu"))


def repair_unit_digit(d: "Draft") -> None:
    """OCR reads the ``đ`` of ``(25đ)`` as a ``4`` (``(254)``): a maximum above its pillar's whose
    last digit dropped closes the pillar's sum exactly is read so, and said."""
    for p in d.pillars:
        mine = [i for i in d.indicators if i.pillar == p.code and not i.heading]
        # "(254)", marked by from_name; or "(104đ)": a maximum above its whole pillar's cannot be
        if p.max_points is not None:
            for i in mine:
                if (i.max_points or 0) > p.max_points and i.max_from == "name":
                    i.max_points = -i.max_points
        doubtful = [i for i in mine if (i.max_points or 0) < 0]
        total = sum(i.max_points or 0 for i in mine if i not in doubtful)
        for i in doubtful:
            v = -i.max_points
            i.max_points, i.max_from = None, None
            fixed = int(v) // 10
            if p.max_points is not None and abs(total + fixed - p.max_points) < 1e-6 and len(doubtful) == 1:
                d.problems.append((i.page, f"chỉ số {i.code}: điểm tối đa đọc «{v:g}» lớn hơn cả trụ cột; đọc là "
                                           f"{fixed} (chữ số cuối «{int(v) % 10}» là chữ đ đọc sai), tổng trụ cột khớp — cần xem lại"))
                i.max_points, i.max_from = fixed, "name"
            else:
                i.name = f"{i.name} ({v:g})"      # not a maximum after all: the name as printed
