"""The benchmark commands print their figures (they are measured, not asserted)."""
from __future__ import annotations

from pathlib import Path

from commands.cli import main

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def test_bench_extract_prints_pages_per_second(capsys):
    assert main(["bench", "extract", str(SAMPLES / "hungson-2022.docx"), str(SAMPLES / "hungson-2022.pdf")]) == 0
    out = capsys.readouterr().out
    assert "docx" in out and "pdf-text" in out and "pages/s" in out and "peak memory" in out
    assert "OCR time vs plain" not in out        # the OCR ratio is for scans only
