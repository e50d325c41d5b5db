"""A decision's annexes (Word, text PDF or scan, read by ``extractors.read``) → draft rulesets.

Each ``PHỤ LỤC`` with a level in its title (xã / huyện / sở) starts a new draft, so a
decision with three annexes gives three rulesets; each table under it is read row by row
(``decision_import.annex_table``), then the draft's codes repaired (``repairs``) and its
maxima settled once every table is read.
"""
from __future__ import annotations

import re

from decision_import.annex_draft import Draft, fold
from decision_import.annex_rows import _settle_maxima
from decision_import.annex_table import read_table
from decision_import.repairs import repair_sequence
from extractors.document import Document, Line, Table
from matchers.normalize import clean

LEVELS = [("xa", r"\bxa\b|phuong|thi tran"), ("huyen", r"huyen|thanh pho|thi xa"), ("so", r"\bso\b|ban nganh")]


def _level(title: str) -> str | None:
    f = fold(title)
    for level, rx in LEVELS:
        if re.search(r"(?:cua|ca+p)\s+(?:ubnd\s+|uy ban nhan dan\s+)?(?:cac\s+)?(?:" + rx + ")", f):
            return level
    return None


def read_annexes(doc: Document) -> list[Draft]:
    drafts: list[Draft] = []
    pending: Draft | None = None
    dvctt: tuple[int, str] | None = None   # a body clause for units without online public services
    for page in doc.pages:
        for block in page.blocks:
            if isinstance(block, Line):
                f = fold(block.text)
                if dvctt is None and re.search(r"khong co (?:dich vu cong truc tuyen|dvctt)", f):
                    dvctt = (page.number, clean(block.text))
                if re.match(r"phu luc\b", f):
                    pending = Draft(None, "", re.sub(r"(?i)^phụ lục\s*", "", clean(block.text)), page.number)
                    drafts.append(pending)
                elif pending is not None and not pending.pillars and len(pending.title) < 400:
                    pending.title = (pending.title + " " + clean(block.text)).strip()
                    pending.level = pending.level or _level(pending.title)
                continue
            if isinstance(block, Table):
                if not drafts:
                    drafts.append(Draft(None, "", "", page.number))
                read_table(drafts[-1], block, page.number)
    for d in drafts:
        d.dvctt = dvctt         # attached to the indicators it names by decision_import.draft.attach_dvctt
        repair_sequence(d)
        _settle_maxima(d)
        for n, p in enumerate(d.pillars):
            if p.code == "":    # unreadable STT and no indicator to take it from: its place in the table
                p.code = next(str(k) for k in range(n + 1, 100) if str(k) not in {q.code for q in d.pillars})
                for i in d.indicators:
                    i.pillar = p.code if i.pillar == "" else i.pillar
    return [d for d in drafts if d.pillars]
