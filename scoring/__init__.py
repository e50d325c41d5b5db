"""Scoring: rules -> computed points, score flags, totals; a batch -> Min-Max and the district ranking."""
from scoring.batch import rank, write_ranking_xlsx
from scoring.engine import score_report
from scoring.rules import compute_points

__all__ = ["compute_points", "score_report", "rank", "write_ranking_xlsx"]
