"""``manual``: no rule a machine can apply; ``note`` keeps why (and the decision's words).
Its points are a person's: computed is null, never 0."""
from __future__ import annotations

import re
from dataclasses import dataclass

from rulesets.kinds.base import Params as _Base
from rulesets.vocab import clean

KIND = "manual"
REQUIRED = ("note",)
OPTIONAL: tuple[str, ...] = ()
NEEDS: list[str] = []


@dataclass(frozen=True, eq=False)
class Params(_Base):
    KIND = "manual"


def from_text(text: str, why: str) -> dict:
    """A rule for a person: why the machine did not read it, and the decision's own words."""
    words = re.sub(r"\s+", " ", clean(text))
    return {"kind": KIND, "note": f"{why}. Nguyên văn quyết định: {words}"}


def validate(ctx, rule, p: str) -> None:
    """The note is required (checked with the keys) and must be text (checked for every kind)."""


def score(rule: Params, figures: dict, mx: float, part: bool) -> float | None:
    return None


def present(rule: Params, figures: dict) -> bool:
    return True             # nothing to miss


def describe(rule) -> list[str]:
    # the decision's own words, as kept in the note
    return [rule.get("note") or "Theo hướng dẫn của Sở"]


def summary(rule: Params) -> str:
    return "thủ công"


READERS: list = []          # what no kind reads stays manual (``kinds.recognise``)


def from_text_note(note: str) -> dict:
    return {"kind": KIND, "note": note}
