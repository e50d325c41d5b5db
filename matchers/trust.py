"""How sure the machine is of each figure it read, and why not, in words a reviewer reads.

A flag goes to the commune in a letter, so it may rest only on figures the
machine is sure of; a figure it is not sure of sends its row to review with
the reason.  This module holds the one settings object for those decisions
and the per-field bookkeeping both the matcher (which reads) and scoring
(which flags) use.  It imports nothing heavy: scoring loads it too.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from settings.settings import current

# the row fields a flag may rest on, with the words a reviewer reads for each
FIELD_WORDS = {
    "claimed_points": "điểm tự chấm",
    "max_points": "điểm tối đa",
    "ratio": "tỷ lệ",
    "numerator": "tử số",
    "denominator": "mẫu số",
    "answer": "câu trả lời",
    "count": "số lượng",
    "figures": "ô số liệu",
    "match": "chỉ số của dòng (khớp theo tên)",
}
# formats whose characters came from OCR: there a blank may be a cell the reader missed
OCR_FORMATS = ("pdf-scanned", "image")


@dataclass(frozen=True)
class ReviewConfig:
    """Every threshold of the review decision, its defaults from ``settings.settings``.

    ``low_confidence``/``low_match``: rows below go to the review queue
    (``low-confidence``); a district that wants more or fewer rows checked by
    hand sets DTI_REVIEW_CONFIDENCE / DTI_REVIEW_MATCH.
    ``sure``: a score flag is raised only when every figure it rests on is at
    least this sure; between the two thresholds a row is not queued for its
    own sake, but a flag resting on it is turned into a review item instead.
    ``partial_share``: below this share of the ruleset's indicators found,
    the report counts as read only in part (``partially-read``).
    ``bad_page``: an OCR page whose mean word confidence is below this was
    read badly, which also makes the report ``partially-read``.
    """
    low_confidence: float = field(default_factory=lambda: current().review_confidence)
    low_match: float = field(default_factory=lambda: current().review_match)
    sure: float = field(default_factory=lambda: current().flag_sure)
    partial_share: float = field(default_factory=lambda: current().partial_share)
    bad_page: float = field(default_factory=lambda: current().bad_page)


class Trust:
    """Per-field confidence of one row, and the reasons any of it is below 1.

    Confidences only go down (``doubt``) except where independent figures
    confirm each other (``confirm``): a rate, its counts and the points they
    give, read separately, rarely agree by accident.
    """

    def __init__(self) -> None:
        self.conf: dict[str, float] = {}
        self.reasons: list[str] = []

    def doubt(self, fields: tuple[str, ...] | list[str], value: float, reason: str | None) -> None:
        for f in fields:
            self.conf[f] = min(self.conf.get(f, 1.0), value)
        if reason and reason not in self.reasons and value < 1.0:
            self.reasons.append(reason)

    def confirm(self, fields: tuple[str, ...] | list[str], floor: float) -> None:
        for f in fields:
            if f in self.conf:
                self.conf[f] = max(self.conf[f], floor)

    def of(self, f: str) -> float:
        return self.conf.get(f, 1.0)


def field_confidence(row, name: str) -> float:
    """How sure a row's field is; rows stored before per-field confidences fall back to the row's."""
    fc = getattr(row, "field_confidence", None) or {}
    if name in fc:
        return fc[name]
    return 1.0 if fc else row.confidence


def unsure_fields(row, names, config: ReviewConfig) -> list[str]:
    """The fields among ``names`` a flag may not rest on."""
    return [n for n in names if field_confidence(row, n) < config.sure]


def words(names) -> str:
    return ", ".join(FIELD_WORDS.get(n, n) for n in names)


def add_reason(row, reason: str) -> None:
    if reason not in row.reasons:
        row.reasons.append(reason)
