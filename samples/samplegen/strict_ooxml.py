"""A Word file in "Strict Open XML" (ISO/IEC 29500 Strict, a Save-As choice in Word) made from a
normal (Transitional) .docx.

Neither python-docx nor LibreOffice writes Strict, so it is made by hand the way Word does it:
the same parts, with the Strict namespaces (``http://purl.oclc.org/ooxml/...``) in every XML part
and relationship type, and ``w:conformance="strict"`` on the document.  The package's own
namespaces (content types, relationships, core properties) are the same in both.

    python -m samples.samplegen.strict_ooxml IN.docx OUT.docx
"""
from __future__ import annotations

import sys
import zipfile
from pathlib import Path

# Transitional -> Strict, longest first so a prefix never shadows a longer one
NAMESPACES = [
    ("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
     "http://purl.oclc.org/ooxml/officeDocument/relationships"),
    ("http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
     "http://purl.oclc.org/ooxml/officeDocument/extendedProperties"),
    ("http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
     "http://purl.oclc.org/ooxml/officeDocument/customProperties"),
    ("http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
     "http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes"),
    ("http://schemas.openxmlformats.org/officeDocument/2006/math", "http://purl.oclc.org/ooxml/officeDocument/math"),
    ("http://schemas.openxmlformats.org/wordprocessingml/2006/main", "http://purl.oclc.org/ooxml/wordprocessingml/main"),
    ("http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
     "http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing"),
    ("http://schemas.openxmlformats.org/drawingml/2006/picture", "http://purl.oclc.org/ooxml/drawingml/picture"),
    ("http://schemas.openxmlformats.org/drawingml/2006/main", "http://purl.oclc.org/ooxml/drawingml/main"),
]
STRICT_MAIN = "http://purl.oclc.org/ooxml/wordprocessingml/main"


def strict_xml(text: str) -> str:
    for old, new in NAMESPACES:
        text = text.replace(old, new)
    return text


def to_strict(src: Path, dst: Path) -> Path:
    """Write ``dst``: ``src`` (a Transitional .docx) as Strict OOXML."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.endswith((".xml", ".rels")):
                text = strict_xml(data.decode("utf-8"))
                if info.filename == "word/document.xml":
                    # the root element says which conformance class the document claims
                    text = text.replace("<w:document ", '<w:document w:conformance="strict" ', 1)
                data = text.encode("utf-8")
            out = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            out.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(out, data)
    return dst


if __name__ == "__main__":
    to_strict(Path(sys.argv[1]), Path(sys.argv[2]))
