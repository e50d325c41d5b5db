"""Bad inputs are refused with their one-line message, and leave no temp files."""
from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

import pytest
from docx import Document as DocxDocument

from extractors import ReadOptions, read
from extractors import libreoffice
from extractors.errors import (CorruptFile, EmptyFile, EncryptedFile, ExtractError, TooLarge,
                               UnsafeFile, UnsupportedType)

@pytest.fixture
def clean_tmp(tmp_path, monkeypatch):
    """Every temp file the reader (or its children) makes lands in here."""
    box = tmp_path / "tmpbox"
    box.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(box))
    monkeypatch.setenv("TMPDIR", str(box))
    yield box
    assert sorted(p.name for p in box.iterdir()) == [], "temp files left behind"


def _docx(path: Path) -> Path:
    d = DocxDocument()
    d.add_paragraph("Báo cáo chuyển đổi số xã Lạc Đạo")
    d.save(str(path))
    return path


def _rewrite_member(src: Path, dst: Path, name: str, data: bytes, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, data if item.filename == name else zin.read(item.filename))
        for k, v in (extra or {}).items():
            zout.writestr(k, v)
    return dst


def _refused(path: Path, kind: type[ExtractError], options: ReadOptions | None = None) -> ExtractError:
    with pytest.raises(kind) as info:
        read(path, options)
    e = info.value
    assert e.path == str(path)
    assert str(e) == f"{path}: {e.message_vi} / {e.message_en}"
    assert "\n" not in str(e) and e.message_vi and e.message_en
    return e


def test_empty_file(tmp_path, clean_tmp):
    for content in (b"", b"  \n\t\r\n"):
        p = tmp_path / "rong.docx"
        p.write_bytes(content)
        assert "rỗng" in _refused(p, EmptyFile).message_vi


def test_corrupt_pdf(tmp_path, clean_tmp):
    p = tmp_path / "hong.pdf"
    p.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\n" + bytes(range(256)) * 20)
    e = _refused(p, CorruptFile)
    assert "PDF" in e.message_vi and "hỏng" in e.message_vi


def test_truncated_docx_is_corrupt(tmp_path, clean_tmp):
    good = _docx(tmp_path / "a.docx").read_bytes()
    p = tmp_path / "cut.docx"
    p.write_bytes(good[: len(good) // 2])
    _refused(p, CorruptFile)


def test_exe_renamed_pdf(tmp_path, clean_tmp):
    p = tmp_path / "baocao.pdf"
    p.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200 + b"This program cannot be run in DOS mode")
    assert "chương trình" in _refused(p, UnsafeFile).message_vi


def test_zip_bomb_docx(tmp_path, clean_tmp):
    base = _docx(tmp_path / "a.docx")
    bomb = _rewrite_member(base, tmp_path / "bomb.docx", "", b"",
                           extra={"word/media/padding.bin": b"\x00" * (20 * 1024 * 1024)})
    info = zipfile.ZipFile(bomb).getinfo("word/media/padding.bin")
    assert info.file_size / info.compress_size > 200          # the test file really is a bomb
    assert "bom nén" in _refused(bomb, UnsafeFile).message_vi
    # and the total-size guard on its own
    _refused(bomb, UnsafeFile, ReadOptions(zip_max_ratio=10**9, zip_max_total_mb=5))


def test_docx_with_xml_entity_declaration(tmp_path, clean_tmp):
    base = _docx(tmp_path / "a.docx")
    xml = zipfile.ZipFile(base).read("word/document.xml").decode()
    decl = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY a "aaaaaaaaaa">]>'
    evil = xml.replace("?>", "?>" + decl, 1).replace("Lạc Đạo", "&xxe;&a;")
    p = _rewrite_member(base, tmp_path / "xxe.docx", "word/document.xml", evil.encode())
    assert "DOCTYPE" in _refused(p, UnsafeFile).message_vi


def test_unsupported_types(tmp_path, clean_tmp):
    gif = tmp_path / "anh.pdf"
    gif.write_bytes(b"GIF89a" + bytes(range(256)) * 4)
    _refused(gif, UnsupportedType)
    from openpyxl import Workbook
    xlsx = tmp_path / "bang.docx"
    Workbook().save(xlsx)
    assert "Excel" in _refused(xlsx, UnsupportedType).message_vi
    latin = tmp_path / "cu.txt"
    latin.write_bytes("Báo cáo".encode("cp1258") + b"\x00\x01")
    _refused(latin, UnsupportedType)


def test_too_large(tmp_path, clean_tmp):
    p = _docx(tmp_path / "a.docx")
    _refused(p, TooLarge, ReadOptions(max_file_mb=0.001))


def test_plain_text_is_read_nfc(tmp_path):
    import unicodedata
    p = tmp_path / "bao_cao.txt"
    p.write_text(unicodedata.normalize("NFD", "Tiêu chí 15: Tỷ lệ máy tính/CBCC: 171% (48/28)\n\nĐạt\fTrang hai\n"))
    d = read(p)
    assert d.format == "txt"
    assert [[ln.text for ln in pg.blocks] for pg in d.pages] == [
        ["Tiêu chí 15: Tỷ lệ máy tính/CBCC: 171% (48/28)", "Đạt"], ["Trang hai"]]


needs_soffice = pytest.mark.skipif(not libreoffice.is_available()[0], reason="LibreOffice (soffice) not installed")


@pytest.fixture(scope="module")
def encrypted_pdf(tmp_path_factory) -> Path:
    src = _docx(tmp_path_factory.mktemp("enc") / "matkhau.docx")
    opts = ('{"EncryptFile":{"type":"boolean","value":"true"},'
            '"DocumentOpenPassword":{"type":"string","value":"matkhau123"}}')
    return libreoffice.convert_many([src], "pdf", src.parent / "out", filter_options=f"writer_pdf_Export:{opts}")[0]


@pytest.mark.slow
@needs_soffice
def test_encrypted_pdf(encrypted_pdf, clean_tmp):
    assert b"/Encrypt" in encrypted_pdf.read_bytes()
    e = _refused(encrypted_pdf, EncryptedFile)
    assert e.message_vi == "Tệp PDF có mật khẩu, không mở được" and e.message_en == "PDF is password-protected"


@pytest.mark.slow
@needs_soffice
def test_broken_doc_through_libreoffice_leaves_nothing(tmp_path, clean_tmp):
    p = tmp_path / "hong.doc"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "WordDocument".encode("utf-16-le") + b"\xff" * 3000)
    _refused(p, CorruptFile)


def test_encrypted_office_container(tmp_path, clean_tmp):
    p = tmp_path / "baomat.docx"  # what Word writes for a password-protected .docx
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 500)
    _refused(p, EncryptedFile)


def _read_parser():
    import argparse
    from extractors.cli import register
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    return parser


def test_cli_prints_one_line_and_exits_1(tmp_path, capsys):
    p = tmp_path / "rong.pdf"
    p.write_bytes(b"")
    args = _read_parser().parse_args(["read", str(p)])
    assert args.handler(args) == 1
    out, err = capsys.readouterr()
    assert out == "" and err == f"{p}: Tệp rỗng, không có nội dung / The file is empty\n"


def test_cli_text_and_json(tmp_path, capsys):
    import json
    from test_extract_word import build_report_docx
    src = build_report_docx(tmp_path / "r.docx")
    parser = _read_parser()
    args = parser.parse_args(["read", str(src)])
    assert args.handler(args) == 0
    out = capsys.readouterr().out
    grid_line = next(ln for ln in out.splitlines() if ln.startswith("| STT"))
    assert grid_line.count("Điểm") == 1 and grid_line.count("|") == 4   # merged cell shown once
    assert "=== Trang 2 ===" in out
    args = parser.parse_args(["read", str(src), "--json"])
    assert args.handler(args) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["format"] == "docx" and d["pages"][0]["blocks"][0]["text"] == "UBND XÃ HOÀNG XÁ"
