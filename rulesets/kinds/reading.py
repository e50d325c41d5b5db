"""What a kind's recognition reads: a decision's method text and the importer's readers.

The importer (above the matchers) builds one ``Reading`` per method cell and hands it
to ``kinds.recognise``; the kinds read it through these callables, so the ruleset
model never imports the matchers (numbers, rates and answer words stay read by one
vocabulary, the matchers').
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from rulesets.vocab import strip_accents


@dataclass(frozen=True)
class Reading:
    text: str                                   # the method on one line, a declared formula taken out
    max_points: float | None                    # the indicator's maximum, to read "20 điểm" as a share
    cut: Callable[..., tuple[list, str]]        # text (, max) → clauses ``cond: points`` and what is left
    rates: Callable[[str], list]                # rates printed in a text (.value, .op, .start, .end)
    facts: Callable[[str], dict]                # facts the answer reader finds in words (leader, ipv6, …)
    again: Callable[..., dict]                  # the whole recogniser, for a part's own text (text, max)
    original: str = ""                          # the text before the formula was taken out
    extra: dict[str, Any] = field(default_factory=dict)

    def numbered(self) -> bool:
        """``(1) … (2) …`` or ``Mỗi … được tính 2 điểm``: points made of parts."""
        return bool(re.search(r"\(\s*[12]\s*\)", self.text)
                    or "moi " in fold(self.text) and re.search(r"duoc (?:tinh )?\d", fold(self.text)))

    @staticmethod
    def only_marks(rest: str) -> bool:
        return re.fullmatch(r"[\W\d]*", rest) is not None


def fold(s: str) -> str:
    return strip_accents(s).lower()


def negated(cond: str) -> bool:
    return re.search(r"(?:^|\s)(?:chua|khong|ko)(?:\s|$)", fold(cond)) is not None


def one_line(text: str) -> str:
    # a PDF or OCR wraps a cell's lines anywhere ("Min-\nMax", "Điểm tối\nđa")
    return re.sub(r"(?<=\w)-\s+(?=\w)", "-", re.sub(r"\s+", " ", text)).strip()
