"""Word reports made by the tests: a header block and an indicator table, as a commune would type them."""
from __future__ import annotations

from pathlib import Path

import docx


def write_report(path: Path, header: list[str], columns: list[str], rows: list[list[str]],
                 footer: list[str] = ()) -> Path:
    d = docx.Document()
    for line in header:
        d.add_paragraph(line)
    t = d.add_table(rows=1, cols=len(columns))
    t.style = "Table Grid"
    for cell, text in zip(t.rows[0].cells, columns):
        cell.text = text
    for r in rows:
        cells = t.add_row().cells
        for cell, text in zip(cells, r):
            cell.text = text
    for line in footer:
        d.add_paragraph(line)
    d.save(path)
    return path


def write_paragraphs(path: Path, lines: list[str]) -> Path:
    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    d.save(path)
    return path
