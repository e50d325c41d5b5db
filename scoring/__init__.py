"""Scoring: rules -> computed points, score flags, totals; a batch -> Min-Max and the district ranking."""
from scoring.engine import score_report
from scoring.rules import compute_points

__all__ = ["compute_points", "score_report", "rank", "write_ranking_xlsx"]


def __getattr__(name: str):
    # the ranking needs pandas (a second to import): load it only when a batch is ranked
    if name in ("rank", "write_ranking_xlsx"):
        from scoring import batch
        return getattr(batch, name)
    raise AttributeError(name)
