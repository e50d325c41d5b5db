"""What a pass plans and what it tells: the work items, each file's outcome, the pass's summary.

Apart from ``pipeline.batch`` (which re-exports them) so the pass's logic stays one module of
its own size; the flow, the CLI and the tests read these.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from store import filenames


@dataclass
class WorkItem:
    sha256: str
    rel: str                      # as on disk (a name that is not UTF-8 keeps its bytes, surrogate-escaped)
    path: str                     # in the inbox, or in processing/ when resumed
    resumed: bool = False
    dups: list[str] = field(default_factory=list)   # other inbox paths with the same bytes

    @property
    def name(self) -> str:
        """``rel`` as text: for logs and Prefect's task-run names."""
        return filenames.text(self.rel)


@dataclass
class Outcome:
    rel: str                      # as text (``store.filenames.text``): printable, storable
    sha256: str
    status: str                   # processed | skipped | quarantined | failed
    report_id: int | None = None
    flags: int = 0
    reason: str | None = None
    dest: str | None = None
    pages: int = 0
    times: dict = field(default_factory=dict)
    unexpected: bool = False      # quarantined (or failed) by an error of the program, not of the file


@dataclass
class Plan:
    items: list[WorkItem]
    pending: list[str]            # still being written: next pass (names as text)
    refused: list[str]            # symlinks
    unreadable: list[Outcome] = field(default_factory=list)   # could not be hashed: left in the inbox


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    wall: float = 0.0
    run_id: int | None = None

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def flagged(self) -> int:
        return sum(1 for o in self.outcomes if o.status == "processed" and o.flags)

    @property
    def unexpected(self) -> list[Outcome]:
        """Files the program itself failed on (quarantined, or left in place when even that failed)."""
        return [o for o in self.outcomes if o.unexpected]

    def counts(self) -> dict[str, int]:
        return {"processed": self.count("processed"), "skipped": self.count("skipped"),
                "quarantined": self.count("quarantined"), "flagged": self.flagged}
