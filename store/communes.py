"""The receiving body's list of communes, and which commune a report's unit is.

A commune is known by its name as the province lists it (``dti communes import``).  A
report's unit, as read from its header, is matched to the list whatever its accents, case,
spacing and prefix (``UBND xã X`` / ``Xã X`` / ``X`` / ``Thị trấn X`` / ``Phường X``) and
through aliases: the names of communes merged into it in 2025.  A report whose unit was
not read, or (with a list) matches no commune or several, is **held out** of the ranking
with the reason, until a reviewer sets its unit (``dti unit set`` / the report page).
Without a list the unit as read is used.  A file name is never a unit.

The list files (``read_list``), one commune a line or row:

- text: ``Xã Tân Dân`` or ``Xã A (sáp nhập: Xã B, Xã C)``; also ``Xã A | Xã B, Xã C`` or a tab
  before the aliases; blank lines and ``# …`` comments skipped, ``1.`` / ``-`` numbering too;
- Excel / CSV: the column headed ``Tên đơn vị`` (or ``Tên xã``, ``Đơn vị``; else the first),
  aliases in a column headed ``Sáp nhập`` / ``Tên cũ`` / ``Bí danh`` (else the second), names
  separated by ``,`` or ``;``;
- Word / PDF: the ``Tên đơn vị`` column of its tables (a decision, a ranking table).
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from store.submissions import fold

_BODY = re.compile(r"^(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+")
_KIND = re.compile(r"^(xã|phường|thị trấn)\s+")
_KIND_PLAIN = re.compile(r"^(xa|phuong|thi tran)\s+")         # typed without accents at all
_ALIASES_IN = re.compile(r"\(\s*(?:sáp\s+nhập(?:\s+từ)?|hợp\s+nhất(?:\s+từ)?|gồm|tên\s+cũ|cũ)\s*[:：]?\s*(?P<a>[^)]*)\)",
                         re.I)
_NUMBERING = re.compile(r"^\s*(?:\d{1,3}\s*[.)]|[-–•*+])\s*")
_NAME_HEADS = ("ten don vi", "ten xa", "ten dia phuong", "don vi", "ten")
_ALIAS_HEADS = ("sap nhap", "hop nhat", "ten cu", "bi danh", "alias")


class CommunesError(Exception):
    """A list that cannot be read or makes no sense; the message names the file and says why."""


@dataclass(frozen=True)
class Commune:
    name: str
    aliases: tuple[str, ...] = ()


@dataclass
class Identity:
    """Which commune a report is: ``name`` (the list's, or as read), or held out (``held_vi``)."""
    name: str | None
    held_vi: str | None = None
    held_en: str | None = None
    note: str | None = None            # e.g. matched through a merged commune's name
    candidates: list[str] = field(default_factory=list)


@functools.lru_cache(maxsize=8192)     # a year's reports x the list's names, on every queue view
def split_kind(name: str) -> tuple[str, str]:
    """`UBND xã Tân  Dân` -> ("xa", "tan dan"): the kind (xa / phuong / thi tran / "") and the
    bare name, folded.  The kind is recognised with its accents (`Xá Nhè` is a name, not a kind),
    or without when the name has no accent at all."""
    text = " ".join(unicodedata.normalize("NFC", name or "").casefold().replace("-", " ").split())
    text = _BODY.sub("", text)
    m = _KIND.match(text) or (_KIND_PLAIN.match(text) if text.isascii() else None)
    kind = fold(m.group(1)) if m else ""
    return kind, fold(text[m.end():] if m else text)


def display(name: str) -> str:
    """A name as lists print it: `UBND xã TÂN DÂN` -> `Xã Tân Dân`."""
    from matchers.unit import tidy_name
    return tidy_name(" ".join(unicodedata.normalize("NFC", name).split()))


def identify(name: str | None, communes: list[Commune]) -> Identity:
    """The commune a unit name read from a report is (see the module's doc)."""
    if not name or not name.strip():
        return Identity(None, "không đọc được tên đơn vị trong báo cáo (tiêu đề bị cắt, trang xoay...)",
                        "the unit's name could not be read from the report")
    if not communes:
        return Identity(name)
    kind, bare = split_kind(name)
    found: list[tuple[Commune, str, bool]] = []        # (commune, the name that matched, same kind)
    for c in communes:
        for n in (c.name, *c.aliases):
            k, b = split_kind(n)
            if b == bare:
                found.append((c, n, not kind or not k or k == kind))
                break
    if len({c.name for c, _n, _k in found}) > 1:
        same = [f for f in found if f[2]]
        found = same if len(same) == 1 else found
    if not found:
        return Identity(name, f"'{name}' không có trong danh sách xã đã nhập", f"'{name}' is not in the list of communes")
    if len(found) > 1:
        names = [c.name for c, _n, _k in found]
        return Identity(name, f"'{name}' có thể là {' hoặc '.join(names)}", f"'{name}' may be {' or '.join(names)}",
                        candidates=names)
    c, via, _ = found[0]
    note = f"tên cũ '{via}', nay thuộc {c.name}" if via != c.name else None
    return Identity(c.name, note=note)


# ---- reading a list ----------------------------------------------------------------------------
def _aliases(text: str) -> list[str]:
    return [a.strip(" .") for a in re.split(r"[,;]", text or "") if a.strip(" .")]


def parse_entry(text: str) -> Commune | None:
    """One line or cell: `Xã A (sáp nhập: Xã B, Xã C)` / `Xã A | Xã B, Xã C` / `Xã A`."""
    text = unicodedata.normalize("NFC", text.split("#", 1)[0]).strip()
    text = _NUMBERING.sub("", text).strip()
    if not text:
        return None
    aliases: list[str] = []
    m = _ALIASES_IN.search(text)
    if m:
        aliases, text = _aliases(m.group("a")), (text[:m.start()] + text[m.end():]).strip()
    parts = re.split(r"\s*\|\s*|\t+", text, maxsplit=1)
    if len(parts) == 2:
        text, aliases = parts[0], aliases + _aliases(parts[1])
    name = display(text)
    if not split_kind(name)[1]:
        return None
    return Commune(name, tuple(display(a) for a in aliases if split_kind(a)[1]))


def _from_rows(rows: list[list[str]]) -> list[Commune]:
    """A table's rows: the name column (and the aliases column) by its header, else the first
    (and second) text column; totals and number-only rows skipped."""
    rows = [[str(c or "").strip() for c in r] for r in rows if any(str(c or "").strip() for c in r)]
    if not rows:
        return []
    head = [fold(c) for c in rows[0]]
    name_col = next((i for h in _NAME_HEADS for i, c in enumerate(head) if c.startswith(h)), None)
    alias_col = next((i for i, c in enumerate(head) if any(h in c for h in _ALIAS_HEADS)), None)
    if name_col is None:
        name_col, alias_col = 0, (1 if alias_col is None and max(len(r) for r in rows) > 1 else alias_col)
        body = rows
    else:
        body = rows[1:]
    out = []
    for r in body:
        cell = r[name_col] if name_col < len(r) else ""
        if not cell or re.fullmatch(r"[\d\s.,%]*", cell) or fold(cell).startswith(("tong", "cong", "ghi chu")):
            continue
        c = parse_entry(cell)
        if c is None:
            continue
        if alias_col is not None and alias_col < len(r) and alias_col != name_col:
            c = Commune(c.name, c.aliases + tuple(display(a) for a in _aliases(r[alias_col])))
        out.append(c)
    return out


def read_list(path: Path) -> list[Commune]:
    """The communes of a list file (text, .csv, .xlsx, or a Word/PDF decision or ranking table)."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            from openpyxl import load_workbook
            wb = load_workbook(path, read_only=True, data_only=True)
            communes = _from_rows([list(r) for r in wb.worksheets[0].iter_rows(values_only=True)])
        elif suffix == ".csv":
            import csv
            with open(path, encoding="utf-8-sig", newline="") as f:
                communes = _from_rows(list(csv.reader(f)))
        elif suffix in (".docx", ".doc", ".odt", ".pdf"):
            communes = _from_document(path)
        else:
            communes = [c for c in map(parse_entry, path.read_text(encoding="utf-8-sig").splitlines()) if c]
    except CommunesError:
        raise
    except (OSError, UnicodeDecodeError, ValueError, KeyError) as e:
        raise CommunesError(f"{path}: không đọc được danh sách xã / cannot read the list of communes ({e})") from None
    except Exception as e:          # a damaged workbook or document: one line, not a traceback
        msg = getattr(e, "message_vi", None) or str(e)
        raise CommunesError(f"{path}: không đọc được danh sách xã / cannot read the list of communes ({msg})") from None
    if not communes:
        raise CommunesError(f"{path}: không tìm thấy tên xã nào / no commune names found "
                            "(một tên mỗi dòng, hoặc cột 'Tên đơn vị' / one a line, or a 'Tên đơn vị' column)")
    check(communes, path)
    return communes


def _from_document(path: Path) -> list[Commune]:
    from extractors import read
    doc = read(path)
    out: list[Commune] = []
    for t in doc.tables():
        rows = t.texts()
        if rows and any(fold(c).startswith(("ten don vi", "ten xa")) for c in rows[0]):
            out += _from_rows(rows)
    return out


def check(communes: list[Commune], path: Path | str = "") -> None:
    """Refuse a list where one name (or alias) stands for two communes: reports could not be told apart."""
    seen: dict[tuple[str, str], int] = {}
    for i, c in enumerate(communes):
        for n in {split_kind(n): n for n in (c.name, *c.aliases)}.values():
            key = split_kind(n)
            if key in seen:
                raise CommunesError(f"{path}: '{n}' có hai lần trong danh sách ({communes[seen[key]].name}, {c.name}) / "
                                    f"'{n}' appears twice in the list")
            seen[key] = i


# ---- in the store --------------------------------------------------------------------------------
def save(store, communes: list[Commune], source: str, by: str | None = None) -> int:
    """Replace the stored list by ``communes`` in one transaction; how many were stored."""
    from sqlalchemy import delete

    from store.schema import Commune as CommuneRec, utcnow
    check(communes, source)
    now = utcnow()
    with store._session.begin() as s:
        s.execute(delete(CommuneRec))
        for i, c in enumerate(communes):
            s.add(CommuneRec(position=i, name=c.name, aliases=list(c.aliases), source=source,
                             imported_by=by, imported_at=now))
    return len(communes)


def load(store) -> list[Commune]:
    """The stored list, in its order (empty when none was imported)."""
    from sqlalchemy import select

    from store.schema import Commune as CommuneRec
    with store._session() as s:
        return [Commune(r.name, tuple(r.aliases or ())) for r in
                s.scalars(select(CommuneRec).order_by(CommuneRec.position)).all()]


def imported(store) -> tuple[str | None, str | None, str | None]:
    """Where the stored list came from: (file, who, when ISO), or Nones."""
    from sqlalchemy import select

    from store.schema import Commune as CommuneRec
    with store._session() as s:
        r = s.scalars(select(CommuneRec).limit(1)).first()
    return (r.source, r.imported_by, r.imported_at.isoformat(timespec="minutes")) if r else (None, None, None)


# ---- a reviewer sets a report's unit -------------------------------------------------------------
def set_unit(store, report_id: int, name: str, reviewer: str, why: str = "",
             year: int | str | None = None) -> tuple[str | None, str]:
    """Set a report's unit, audited as a correction of ``unit.name`` (and ``unit.level``): who,
    when, old, new, why.  With a list the name must be one of its communes (or their old names)
    and the list's spelling is stored; without one a bare ``Tân Dân`` takes the spelling of a
    unit already stored for that year.  ``year``: the assessment year too, when it was not read.
    Returns (old name, new name); CommunesError says why not."""
    from matchers.unit import level_of
    from matchers import kinds
    from scoring.corrections import CorrectionError
    report = store.get_report(report_id)
    if report is None:
        raise CommunesError(f"không có báo cáo số {report_id} / no report #{report_id}")
    if report.status == kinds.STATUS:
        raise CommunesError(f"#{report_id} {report.file_name}: không phải báo cáo tự đánh giá / not a self-assessment")
    name = " ".join((name or "").split())
    if not name:
        raise CommunesError("cần tên đơn vị, ví dụ \"Xã Tân Dân\" / a unit name is needed")
    listed = load(store)
    if listed:
        who = identify(name, listed)
        if who.held_vi:
            near = nearest(name, listed)
            raise CommunesError(f"{who.held_vi} / {who.held_en}" + (f"; gần nhất / nearest: {', '.join(near)}" if near else ""))
        new = who.name
    else:
        new = display(name)
        if level_of(new) is None:
            from store.submissions import build
            same = {s.name for s in build(store, year=report.unit.year)
                    if s.name and not s.held_vi and split_kind(s.name)[1] == split_kind(new)[1]}
            if len(same) != 1:
                raise CommunesError(f"'{name}': ghi cả loại đơn vị, ví dụ \"Xã {new}\" / write the kind too, "
                                    f"e.g. \"Xã {new}\"")
            new = same.pop()
    changes = {"unit.name": new} if new != report.unit.name else {}
    if level_of(new) and level_of(new) != report.unit.level:
        changes["unit.level"] = level_of(new)
    if year not in (None, "") and str(year).strip() != str(report.unit.year):
        changes["unit.year"] = str(year).strip()
    if not changes:
        raise CommunesError(f"#{report_id} đã là {new}, không có gì thay đổi / is already {new}, nothing changed")
    try:
        store.add_corrections(report_id, changes, reviewer, why=why)
    except CorrectionError as e:
        raise CommunesError(str(e)) from None
    return report.unit.name, new


def nearest(name: str, communes: list[Commune], n: int = 3) -> list[str]:
    import difflib
    by_bare = {split_kind(x)[1]: c.name for c in communes for x in (c.name, *c.aliases)}
    return list(dict.fromkeys(by_bare[b] for b in difflib.get_close_matches(split_kind(name)[1], by_bare, n, 0.6)))
