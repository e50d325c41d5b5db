"""Candidate rows: what a table row or a narrative bullet says, before matching.

A Candidate is the layout-free middle step between the Document and the
Report: the row's printed code and label, the texts it holds per role
(answer, ratio, claimed, max), where it was found and how well it was read.
Table readers (``table_rows``) and the narrative reader (``narrative``) both
produce them; ``assemble`` turns them into contract rows.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from extractors.document import BBox


@dataclass
class Candidate:
    label: str
    printed_code: str | None = None        # as printed ("5.16. 5")
    code: str | None = None                # normalised ("5.16.5")
    kind: str = "row"                      # row | pillar | group | total
    cells: dict[str, str] = field(default_factory=dict)   # role -> text
    page: int | None = None
    bbox: BBox | None = None
    ocr_confidence: float = 1.0
    disputed: bool = False                 # a numeric cell's second OCR read disagreed
    pillar_hint: str | None = None         # canonical pillar code of the section it sits in
    options: list[str] = field(default_factory=list)      # option rows listed under it
    source_text: str = ""                  # the whole row/sentence as read, for reviewers
    parse_certainty: float = 1.0           # lowered where the figures were ambiguous
    role_confidence: dict[str, float] = field(default_factory=dict)   # role -> OCR confidence of its cell(s)
    disputed_roles: set[str] = field(default_factory=set)              # roles whose second read disagreed

    def text(self, role: str) -> str:
        return self.cells.get(role, "").strip()

    def add(self, role: str, text: str) -> None:
        text = text.strip()
        if not text:
            return
        old = self.cells.get(role, "").strip()
        self.cells[role] = f"{old} {text}".strip() if old else text


def union_bbox(a: BBox | None, b: BBox | None) -> BBox | None:
    if a is None:
        return b
    if b is None:
        return a
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
