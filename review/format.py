"""How values read in Vietnamese on the page and in the letter: `8,5`, `85%`, `Có`."""
from __future__ import annotations

import math

from rulesets.numbers import vn_number

ANSWERS_VI = {"yes": "Có", "no": "Không"}


def num(x, digits: int = 2, fixed: bool = False) -> str:
    """8.5 -> '8,5'; 30.0 -> '30'; 1570 -> '1.570'; None -> '' (``rulesets.numbers``: the one format)."""
    return vn_number(x, digits, fixed)


def percent(ratio) -> str:
    text = num(float(ratio) * 100, 1) if isinstance(ratio, (int, float)) and not isinstance(ratio, bool) else ""
    return text + "%" if text else ""


def answer_vi(answer) -> str:
    if answer is None:
        return ""
    return ANSWERS_VI.get(str(answer), str(answer))


def figures_text(row: dict, with_answer: bool = True) -> str:
    """The figures a row states, as a reviewer reads them: `85% (48/56)`, `Có`."""
    parts = []
    if row.get("ratio") is not None:
        parts.append(percent(row["ratio"]))
    if row.get("numerator") is not None or row.get("denominator") is not None:
        parts.append(f"{num(row.get('numerator')) or '?'}/{num(row.get('denominator')) or '?'}")
    if row.get("count") is not None and not row.get("answer"):
        parts.append(f"số lượng {num(row['count'])}")
    if with_answer and row.get("answer"):
        parts.append(answer_vi(row["answer"]))
    if len(parts) > 1 and row.get("ratio") is not None:
        return f"{parts[0]} ({', '.join(parts[1:])})"
    return ", ".join(parts)


def value_for_input(field: str, value) -> str:
    """A stored value as the reviewer types it back (and `corrections.coerce` reads it):
    a ratio as `85%`, decimals with a comma, never a thousands dot (`1.570` would read as 1,57)."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        v = float(value) * (100 if field == "ratio" else 1)
        if not math.isfinite(v):
            return ""
        text = str(int(v)) if v == int(v) else f"{v:.6f}".rstrip("0").rstrip(".").replace(".", ",")
        return text + ("%" if field == "ratio" else "")
    return str(value)
