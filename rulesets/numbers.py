"""The one Vietnamese number format for everything a person reads: ``1.234,56``.

Pages, letters, the decision, workbook text, flag messages and the CLI's lines all format
numbers here (a thousands dot, a decimal comma), so one letter never mixes ``31.43`` with
``31,43``.  It lives this low so that matchers, scoring, review and pipeline can all import it.
Values a person types back into a form are another matter (``review.format.value_for_input``).
"""
from __future__ import annotations

import math


def vn_number(x, digits: int = 2, fixed: bool = False, empty: str = "") -> str:
    """8.5 -> '8,5'; 30.0 -> '30'; 1570 -> '1.570'; -0.5 -> '-0,5'; None -> ``empty``.

    ``fixed`` keeps ``digits`` decimals (812.5 -> '812,50'), as a table of points prints them.
    Text is returned as it is; NaN and infinity read as ``empty`` (never shown as a number)."""
    if x is None or isinstance(x, bool):
        return empty
    try:
        v = round(float(x), digits)
    except (TypeError, ValueError):
        return str(x)
    if not math.isfinite(v):
        return empty
    sign = "-" if v < 0 else ""
    text = f"{abs(v):.{digits}f}"
    whole, _, frac = text.partition(".")
    if not fixed:
        frac = frac.rstrip("0")
    if int(whole) == 0 and not frac.strip("0"):
        sign = ""           # -0,00 reads as 0
    out = sign + f"{int(whole):,}".replace(",", ".")
    return out + ("," + frac if frac else "")


def vn_percent(ratio, digits: int = 2, empty: str = "") -> str:
    """A fraction as a percentage: 0.7285 -> '72,85%'; None -> ``empty``."""
    if ratio is None or isinstance(ratio, bool) or not isinstance(ratio, (int, float)):
        return empty
    text = vn_number(float(ratio) * 100, digits)
    return text + "%" if text else empty
