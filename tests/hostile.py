"""Bad inputs for the readers: each ``write_*`` function writes one file into a
folder and returns its path.  Pure Python (no LibreOffice, no pypdf), fast,
deterministic; usable from any test:

    from hostile import write_all, EXPECTED
    paths = write_all(tmp_path)            # name -> Path

``EXPECTED`` says which ``extractors.errors`` classes are acceptable answers
for each file (a reader must refuse it with one of them, quickly, without
exhausting memory).
"""
from __future__ import annotations

import hashlib
import random
import struct
import zipfile
import zlib
from pathlib import Path

PASSWORD = "dti-2024"            # user (open) password of encrypted.pdf
OWNER_PASSWORD = "dti-owner-2024"
BOMB_SIZE = 1_100_000_000        # uncompressed bytes of zip-bomb.docx's document.xml
HUGE_SIDE = 20_000               # huge.png is HUGE_SIDE x HUGE_SIDE pixels
TEXT = ["BAO CAO DANH GIA MUC DO CHUYEN DOI SO NAM 2024", "Xa Tan Dan - huyen Van Lam",
        "1.1 Truong ban Ban chi dao chuyen doi so: Co 20 20", "3.2 Ty le ho gia dinh co cap quang 78,5% x 35"]

EXPECTED = {
    "empty.pdf": ("EmptyFile",),
    "truncated.pdf": ("CorruptFile",),
    "corrupt.pdf": ("CorruptFile",),
    "encrypted.pdf": ("EncryptedFile",),
    "fake-exe.pdf": ("UnsupportedType", "CorruptFile", "UnsafeFile"),
    "zip-bomb.docx": ("TooLarge", "UnsafeFile"),
    "entities.docx": ("UnsafeFile", "CorruptFile"),
    "huge.png": ("TooLarge", "UnsafeFile"),
    "random.docx": ("CorruptFile", "UnsupportedType"),
}


# --- PDF ---------------------------------------------------------------------------

_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _padded(pw: str) -> bytes:
    return (pw.encode("latin-1") + _PAD)[:32]


def minimal_pdf(lines: list[str] = TEXT, password: str | None = None) -> bytes:
    """A one-page PDF with a text layer; with ``password``, encrypted with the
    standard security handler (RC4 40-bit, revision 2: every reader supports it)."""
    file_id = hashlib.md5("|".join(lines).encode()).digest()
    content = "BT /F1 12 Tf 60 780 Td 16 TL " + " ".join(f"({t}) '" for t in lines) + " ET"
    stream = content.encode("latin-1")
    objs = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
           b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        4: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    }
    trailer_extra = b""
    if password is not None:
        perms = -44
        o_key = hashlib.md5(_padded(OWNER_PASSWORD)).digest()[:5]
        o_entry = _rc4(o_key, _padded(password))
        key = hashlib.md5(_padded(password) + o_entry + struct.pack("<i", perms) + file_id).digest()[:5]
        u_entry = _rc4(key, _PAD)
        obj_key = hashlib.md5(key + struct.pack("<i", 5)[:3] + b"\0\0").digest()[:10]
        stream = _rc4(obj_key, stream)
        objs[6] = (b"<< /Filter /Standard /V 1 /R 2 /Length 40 /O <" + o_entry.hex().encode()
                   + b"> /U <" + u_entry.hex().encode() + b"> /P " + str(perms).encode() + b" >>")
        trailer_extra = b" /Encrypt 6 0 R"
    objs[5] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(objs):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objs[num] + b"\nendobj\n"
    xref = len(out)
    size = max(objs) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        out += b"%010d 00000 n \n" % offsets[num]
    out += (b"trailer\n<< /Size %d /Root 1 0 R /ID [<%s> <%s>]" % (size, file_id.hex().encode(), file_id.hex().encode())
            + trailer_extra + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return bytes(out)


def write_empty(folder: Path, name: str = "empty.pdf") -> Path:
    return _write(folder, name, b"")


def write_truncated_pdf(folder: Path) -> Path:
    """A real PDF cut off mid-way: no xref, no trailer, no %%EOF."""
    data = minimal_pdf(TEXT * 6)
    return _write(folder, "truncated.pdf", data[: len(data) * 3 // 5])


def write_corrupt_pdf(folder: Path) -> Path:
    """Starts like a PDF, then garbage."""
    junk = random.Random(7).randbytes(6000)
    return _write(folder, "corrupt.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Cat" + junk)


def write_encrypted_pdf(folder: Path) -> Path:
    return _write(folder, "encrypted.pdf", minimal_pdf(password=PASSWORD))


def write_exe_as_pdf(folder: Path) -> Path:
    """A Windows executable's header (MZ, DOS stub, PE signature) renamed .pdf."""
    head = bytearray(b"MZ" + b"\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44)
    head[0x3C:0x40] = struct.pack("<I", 0x80)
    stub = b"\x0e\x1f\xba\x0e\x00\xb4\t\xcd!\xb8\x01L\xcd!This program cannot be run in DOS mode.\r\r\n$"
    head += stub + b"\x00" * (0x80 - len(head) - len(stub))
    head += b"PE\x00\x00" + random.Random(11).randbytes(4000)
    return _write(folder, "fake-exe.pdf", bytes(head))


def write_random_docx(folder: Path) -> Path:
    return _write(folder, "random.docx", random.Random(13).randbytes(8192))


# --- Word --------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>")
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>')


def _docx_skeleton(zf: zipfile.ZipFile) -> None:
    zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
    zf.writestr("_rels/.rels", _RELS)


def write_zip_bomb_docx(folder: Path, size: int = BOMB_SIZE) -> Path:
    """A structurally valid .docx whose document.xml inflates to ``size`` bytes
    (one text run of '0's; about 1 MB on disk for the default 1.1 GB).

    Deflating 1 GB takes seconds, so one 4 MiB block is compressed once, ending
    in a full flush (byte-aligned, no back-references), and repeated."""
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>'.encode()
    tail = b"</w:t></w:r></w:p></w:body></w:document>"
    chunk = b"0" * (1 << 22)
    n, rem = divmod(size - len(head) - len(tail), len(chunk))
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = comp.compress(head) + comp.flush(zlib.Z_FULL_FLUSH)
    block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    last = comp.compress(b"0" * rem + tail) + comp.flush()
    crc = zlib.crc32(head)
    for _ in range(n):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(b"0" * rem + tail, crc)
    entries = [_deflated("[Content_Types].xml", _CONTENT_TYPES.encode()),
               _deflated("_rels/.rels", _RELS.encode()),
               ("word/document.xml", crc, size, [first, *([block] * n), last])]
    return _write(folder, "zip-bomb.docx", _zip(entries))


def _deflated(name: str, data: bytes):
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    return name, zlib.crc32(data), len(data), [comp.compress(data) + comp.flush()]


def _zip(entries) -> bytes:
    """A plain (non-zip64) deflate zip from precompressed parts."""
    dos_time, dos_date = (8 << 11), ((2024 - 1980) << 9) | (11 << 5) | 12
    out, central = bytearray(), bytearray()
    for name, crc, usize, parts in entries:
        csize = sum(len(p) for p in parts)
        fields = struct.pack("<HHHHHIII", 20, 0, 8, dos_time, dos_date, crc, csize, usize)
        offset = len(out)
        out += b"PK\x03\x04" + fields + struct.pack("<HH", len(name), 0) + name.encode()
        for p in parts:
            out += p
        central += (b"PK\x01\x02" + struct.pack("<H", 20) + fields
                    + struct.pack("<HHHHHII", len(name), 0, 0, 0, 0, 0o644 << 16, offset) + name.encode())
    eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(out), 0)
    return bytes(out + central + eocd)


def write_entities_docx(folder: Path) -> Path:
    """'Billion laughs': nested entity declarations in word/document.xml that
    expand to 10^9 'lol's if a parser resolves them."""
    ents = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)]
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE w:document [\n' + "\n".join(ents) + "\n]>\n"
           f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')
    path = Path(folder) / "entities.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        _docx_skeleton(zf)
        zf.writestr("word/document.xml", xml)
    return path


# --- images ------------------------------------------------------------------------

def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def write_huge_png(folder: Path, side: int = HUGE_SIDE) -> Path:
    """A side x side 1-bit palette PNG of one colour: ~50 KB on disk, 400 M pixels
    (1.6 GB as RGBA) once decoded.  Written chunk by chunk, never held in memory."""
    row = b"\x00" + b"\x00" * ((side + 7) // 8)      # filter byte + packed 1-bit pixels
    comp = zlib.compressobj(9)
    idat = bytearray()
    for _ in range(side):
        idat += comp.compress(row)
    idat += comp.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 3, 0, 0, 0)   # bit depth 1, colour type 3 (palette)
    png = (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"PLTE", b"\xff\xff\xff\x00\x00\x00")
           + _png_chunk(b"IDAT", bytes(idat)) + _png_chunk(b"IEND", b""))
    return _write(folder, "huge.png", png)


# --- all ---------------------------------------------------------------------------

WRITERS = {
    "empty.pdf": write_empty,
    "truncated.pdf": write_truncated_pdf,
    "corrupt.pdf": write_corrupt_pdf,
    "encrypted.pdf": write_encrypted_pdf,
    "fake-exe.pdf": write_exe_as_pdf,
    "zip-bomb.docx": write_zip_bomb_docx,
    "entities.docx": write_entities_docx,
    "huge.png": write_huge_png,
    "random.docx": write_random_docx,
}


def write_all(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, Path]:
    """Every hostile file (minus ``skip``), name -> path."""
    Path(folder).mkdir(parents=True, exist_ok=True)
    return {name: fn(Path(folder)) for name, fn in WRITERS.items() if name not in skip}


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = Path(folder) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
