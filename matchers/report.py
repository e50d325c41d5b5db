"""The Report model: the extraction contract (../shared/contract/extraction.md) as data classes.

``Report.to_dict()`` is the JSON every report becomes; field names, units and
flag codes are fixed by the contract.  ``from_dict`` trusts what it reads (the
store's own JSON); what comes from elsewhere goes through ``matchers.report_codec``.  Extras (``facts``, ``count``,
``amount``, ``printed_code``, ``skip``, ``report_date``) are allowed by it and help reviewers.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

FLAG_CODES = (
    "claimed-exceeds-max", "claimed-formula-mismatch", "subtotal-mismatch",
    "total-mismatch", "numerator-exceeds-denominator", "max-differs-from-ruleset",
    "missing-figures", "missing-indicator", "duplicate-indicator", "unmatched-row",
    "low-confidence", "partially-read",
)
# raised by comparing stored reports after a pass (store.crosschecks), never by reading one
# file: a reader that returns one is refused (matchers.report_codec)
CROSS_FLAG_CODES = ("copied-between-units", "evidence-after-report", "implausible-change")
FLAG_CODES = FLAG_CODES + CROSS_FLAG_CODES
SEVERITIES = ("error", "warning", "info")
FORMATS = ("docx", "doc", "odt", "pdf-text", "pdf-scanned", "image", "txt")
LAYOUTS = ("score-table", "criteria-table", "narrative", "ranking-table", "unknown")


@dataclass
class Source:
    page: int | None = None
    bbox: list[float] | None = None


@dataclass
class Row:
    label: str
    indicator: str | None = None
    match_score: float = 0.0
    claimed_points: float | None = None
    max_points: float | None = None
    computed_points: float | None = None
    ratio: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    answer: str | None = None
    confidence: float = 1.0
    source: Source = field(default_factory=Source)
    # extras
    printed_code: str | None = None
    count: float | None = None
    amount: float | None = None
    option: str | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    evidence: str | None = None     # the raw cell/sentence text the figures came from
    # how sure each figure is (field name -> 0..1, see matchers.trust) and why
    # any is below 1, in Vietnamese for the review page
    field_confidence: dict[str, float] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        """What a scoring rule may read from this row."""
        return {"ratio": self.ratio, "numerator": self.numerator, "denominator": self.denominator,
                "answer": self.answer, "option": self.option, "count": self.count,
                "amount": self.amount, **self.facts}


@dataclass
class Flag:
    code: str
    severity: str
    message: str
    indicator: str | None = None

    def __post_init__(self) -> None:
        if self.code not in FLAG_CODES:
            raise ValueError(f"unknown flag code {self.code!r}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")


@dataclass
class Unit:
    name: str | None = None
    level: str | None = None   # xa | huyen | so | None
    year: int | None = None
    # extra (allowed by the contract): the body the report is addressed to, as written after
    # "Kính gửi:" / "Đơn vị nhận báo cáo:" (e.g. "UBND huyện Văn Lâm"); what `dti rank --district` filters by
    receiver: str | None = None
    # extra: the district the administrative header puts above the commune ("UBND HUYỆN LÂM THAO"
    # over "UBND XÃ CAO XÁ"), when it does; `dti rank --district` matches it too
    district: str | None = None


@dataclass
class RankedUnit:
    """One unit row of a district ranking table (layout ``ranking-table``)."""
    name: str
    pillars: dict[str, float | None] = field(default_factory=dict)
    total: float | None = None
    rank: int | None = None


@dataclass
class Totals:
    claimed_points: float | None = None
    computed_points: float | None = None
    stated_total: float | None = None


@dataclass
class Report:
    file: str
    sha256: str
    format: str
    layout: str = "unknown"
    ruleset: str | None = None
    unit: Unit = field(default_factory=Unit)
    rows: list[Row] = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)
    flags: list[Flag] = field(default_factory=list)
    units: list[RankedUnit] | None = None          # only for ranking-table
    stated_subtotals: dict[str, float] = field(default_factory=dict)  # pillar code -> printed subtotal
    # how sure the reading of each printed sum is: pillar code or "total" -> 0..1
    stated_confidence: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # extra: the report's own date (ISO, from its "…, ngày … tháng … năm …" line), or None
    report_date: str | None = None

    def to_dict(self) -> dict:
        d = asdict(self)
        if self.units is None:
            d.pop("units")
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Report":
        rows = []
        for r in d.get("rows", []):
            r = dict(r)
            src = r.pop("source", None) or {}
            known = {k: r[k] for k in Row.__dataclass_fields__ if k in r and k != "source"}
            rows.append(Row(**known, source=Source(page=src.get("page"), bbox=src.get("bbox"))))
        units = d.get("units")
        return cls(
            file=d["file"], sha256=d["sha256"], format=d["format"], layout=d.get("layout", "unknown"),
            ruleset=d.get("ruleset"), unit=Unit(**(d.get("unit") or {})), rows=rows,
            totals=Totals(**(d.get("totals") or {})),
            flags=[Flag(**{k: f.get(k) for k in ("code", "severity", "message", "indicator")})
                   for f in d.get("flags", [])],
            units=[RankedUnit(**u) for u in units] if units is not None else None,
            stated_subtotals=dict(d.get("stated_subtotals") or {}),
            stated_confidence=dict(d.get("stated_confidence") or {}),
            warnings=list(d.get("warnings") or []),
            report_date=d.get("report_date"),
        )
