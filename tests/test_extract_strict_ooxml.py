"""Word's "Strict Open XML" (ISO/IEC 29500 Strict): python-docx cannot open it, LibreOffice can,
so it is read through LibreOffice like a .doc and gives the rows its Transitional twin gives.
The Strict file is made by samples/samplegen/strict_ooxml.py from a sample report."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from extractors import detect, read
from extractors.options import ReadOptions
from samples.samplegen.strict_ooxml import STRICT_MAIN, to_strict

ROOT = Path(__file__).resolve().parents[1]
DTI = str(Path(sys.executable).parent / "dti")
SAMPLE = ROOT / "samples" / "hungson-2022.docx"


@pytest.fixture(scope="module")
def strict(tmp_path_factory) -> Path:
    # an ordinary Vietnamese file name, as a commune would send it
    return to_strict(SAMPLE, tmp_path_factory.mktemp("strict") / "báo cáo chuyển đổi số (Strict).docx")


def test_the_generator_writes_what_word_writes(strict):
    with zipfile.ZipFile(strict) as z:
        document = z.read("word/document.xml").decode()
        rels = z.read("_rels/.rels").decode()
    assert STRICT_MAIN in document and 'w:conformance="strict"' in document
    assert "schemas.openxmlformats.org/wordprocessingml" not in document
    assert "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument" in rels
    # python-docx does not know it: this is why it must go through LibreOffice
    import docx
    with pytest.raises(KeyError, match="officeDocument"):
        docx.Document(str(strict))


def test_strict_is_told_apart_from_transitional(strict):
    assert detect.sniff(strict, ReadOptions()) == "docx-strict"
    assert detect.sniff(SAMPLE, ReadOptions()) == "docx"


def test_dti_extract_reads_a_strict_file_like_its_transitional_twin(strict, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DTI_")}
    env["DTI_VAR_DIR"] = str(tmp_path / "var")
    got = [json.loads(subprocess.run([DTI, "extract", str(f), "--json"], env=env, capture_output=True,
                                     text=True, timeout=300, check=True).stdout) for f in (strict, SAMPLE)]
    s, t = got
    assert s["format"] == "docx" and s["ruleset"] == t["ruleset"] and s["unit"] == t["unit"]
    assert len(s["rows"]) == len(t["rows"]) > 40
    keys = ("indicator", "claimed_points", "ratio", "numerator", "denominator", "answer")
    assert [[r.get(k) for k in keys] for r in s["rows"]] == [[r.get(k) for k in keys] for r in t["rows"]]
    assert s["totals"] == t["totals"]


def test_the_document_says_it_was_strict_and_converted(strict):
    doc = read(strict)
    assert doc.format == "docx" and doc.meta["ooxml"] == "strict" and doc.meta["converted_with"] == "libreoffice"
    assert len(list(doc.tables())) == 2 and "Hùng Sơn" in doc.text()
