"""`dti bench pipeline --mix province`: the generated batch has a province's shares of Word, text
PDF, scans and photos (2:2:4:2), each file a real sample read as what it is, each its own SHA-256."""
from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import pytest

from deploy.bench import kind_of, make_batch

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def test_the_province_mix_has_the_shares_of_a_province(tmp_path):
    batch = make_batch(SAMPLES, tmp_path / "inbox", 20, mix="province")
    kinds = Counter(kind_of(p) for p in batch)
    assert kinds == {"word": 4, "text-pdf": 4, "scan": 8, "photo": 4}
    assert len({hashlib.sha256(p.read_bytes()).hexdigest() for p in batch}) == 20
    # every sample of a kind takes its turn, not only the first
    assert len({p.name.split("-", 1)[1] for p in batch if kind_of(p) == "scan"}) > 1


def test_kinds_are_told_by_the_file_not_by_its_name(tmp_path):
    scan, text = tmp_path / "report.pdf", tmp_path / "scan.pdf"
    scan.write_bytes((SAMPLES / "hungson-2022-scan.pdf").read_bytes())
    text.write_bytes((SAMPLES / "hungson-2022.pdf").read_bytes())
    assert kind_of(scan) == "scan" and kind_of(text) == "text-pdf"


def test_a_source_without_scans_says_what_is_missing(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.docx").write_bytes((SAMPLES / "hungson-2022.docx").read_bytes())
    with pytest.raises(SystemExit) as e:
        make_batch(src, tmp_path / "inbox", 4, mix="province")
    assert "scan" in str(e.value) and "photo" in str(e.value)
