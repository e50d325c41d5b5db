"""`dti rulesets import | check | diff | sheet`: a province's decision → a checked ruleset.

Every refusal is one line in Vietnamese and English naming the file, and a
non-zero exit; a file holding an indicator table always gives a draft (exit 0):
a row the schema refuses is set aside in the draft's ``unplaced`` list, not the
draft (``decision_import.import_report``), and the import ends with a summary.  What
is written loads with the project's own loader (written beside the target and
renamed).
"""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import re
import sys
import tempfile
from pathlib import Path

from decision_import.draft import decision_facts, drafts_from, dump, slug, to_ruleset, write_atomic
from decision_import.import_report import load_draft, summary
from rulesets.loader import DATA_DIR, RulesetError, load, load_file, user_dir


def register(sub: argparse._SubParsersAction) -> None:
    imp = sub.add_parser("import", help="nhập bộ chỉ số từ quyết định / draft a ruleset from a decision")
    imp.add_argument("decision", help="quyết định .docx/.doc/.pdf (cả bản scan)")
    imp.add_argument("--level", choices=("xa", "huyen", "so"), help="chỉ lấy phụ lục của cấp này")
    imp.add_argument("--id", help="mã bộ chỉ số, vd hoabinh-2025-xa (mặc định: tỉnh-năm-cấp)")
    imp.add_argument("--out", help="tệp .yaml (một phụ lục) hoặc thư mục (nhiều phụ lục)")
    imp.add_argument("--save", action="store_true", help=f"lưu vào thư mục bộ chỉ số của người dùng ({user_dir()})")
    imp.add_argument("--province", help="tên tỉnh, nếu quyết định không ghi rõ")
    imp.add_argument("--year", type=int, help="năm, nếu quyết định không ghi rõ")
    imp.set_defaults(handler=cmd_import)
    chk = sub.add_parser("check", help="những điểm cần người xem lại / what a person must settle")
    chk.add_argument("file", help="tệp .yaml hoặc mã bộ chỉ số")
    chk.set_defaults(handler=cmd_check)
    dif = sub.add_parser("diff", help="so sánh hai bộ chỉ số / what changed between two rulesets")
    dif.add_argument("old")
    dif.add_argument("new")
    dif.set_defaults(handler=cmd_diff)
    sh = sub.add_parser("sheet", help="bảng đối chiếu với quyết định / a sheet to check against the decision")
    sh.add_argument("id", help="mã bộ chỉ số hoặc tệp .yaml")
    sh.add_argument("--format", choices=("xlsx", "html"), default="xlsx")
    sh.add_argument("--out", help="tệp kết quả (mặc định: <id>.<format>)")
    sh.set_defaults(handler=cmd_sheet)


def fail(msg_vi: str, msg_en: str, code: int = 2) -> int:
    print(f"LỖI: {msg_vi} / ERROR: {msg_en}", file=sys.stderr)
    return code


def resolve(ref: str):
    """A ruleset by file path (a draft) or by id (built-in or user folder)."""
    p = Path(ref)
    if p.suffix.lower() in (".yaml", ".yml") or p.is_file():
        if not p.is_file():
            raise RulesetError(f"{ref}: không có tệp này / no such file")
        return load_file(p)
    return load(ref)


def _targets(args, n: int, ids: list[str]) -> list[Path] | str:
    if args.save:
        if args.out:
            return "--save và --out không dùng cùng nhau / --save and --out exclude each other"
        clash = [i for i in ids if (DATA_DIR / f"{i}.yaml").exists()]
        if clash:
            return (f"mã {clash[0]} trùng bộ chỉ số có sẵn, hãy đặt --id khác / "
                    f"id {clash[0]} is a built-in ruleset, choose another --id")
        return [user_dir() / f"{i}.yaml" for i in ids]
    if args.out and n == 1 and args.out.endswith((".yaml", ".yml")):
        return [Path(args.out)]
    if args.out and Path(args.out).suffix:
        return "có nhiều phụ lục: --out phải là thư mục / several annexes: --out must be a folder"
    folder = Path(args.out or ".")
    return [folder / f"{i}.yaml" for i in ids]


def cmd_import(args: argparse.Namespace) -> int:
    import extractors
    src = Path(args.decision)
    if not src.is_file():
        return fail(f"{src}: không có tệp này", f"{src}: no such file")
    try:
        doc = extractors.read(src)
    except extractors.ExtractError as e:
        print(str(e).splitlines()[0], file=sys.stderr)
        return 2
    province, year, number = decision_facts(doc)
    province, year = args.province or province, args.year or year
    drafts = drafts_from(doc, level=args.level, source=src.name)
    if not drafts:
        what = f" của cấp {args.level}" if args.level else ""
        return fail(f"{src.name}: không thấy bảng chỉ số{what} (STT | Chỉ số | Điểm …) trong quyết định",
                    f"{src.name}: no indicator table{' for ' + args.level if args.level else ''} found")
    unsure = []     # a table was found: a draft is written all the same, these said in it
    if not province:
        province = "Chưa rõ tỉnh"
        unsure.append("không đọc được tên tỉnh trong quyết định: hãy ghi --province / province not found, give "
                      "--province")
    if not year:
        year = dt.date.today().year
        unsure.append(f"không đọc được năm trong quyết định: tạm để {year}, hãy ghi --year / year not found, give "
                      "--year")
    if args.id and len(drafts) > 1:
        return fail("quyết định có nhiều phụ lục: dùng --level để chọn một khi đặt --id",
                    "several annexes: use --level with --id")
    ids = [args.id or (Path(args.out).stem if args.out and args.out.endswith((".yaml", ".yml")) and len(drafts) == 1
                       else f"{slug(province)}-{year}-{d.level or 'xa'}") for d in drafts]
    for n, rid in enumerate(ids):     # two annexes of one level (a table the title did not tell): -2, -3 …
        k = ids[:n].count(rid)
        ids[n] = f"{rid}-{k + 1}" if k else rid
    targets = _targets(args, len(drafts), ids)
    if isinstance(targets, str):
        return fail(*targets.split(" / ", 1))
    if args.out and len(drafts) == 1 and targets[0].stem != ids[0]:
        return fail(f"tên tệp {targets[0].name} phải trùng mã {ids[0]}", f"file name must be {ids[0]}.yaml")
    texts = []
    with tempfile.TemporaryDirectory() as tmp:
        for d, rid in zip(drafts, ids):
            source = f"{src.name}, Phụ lục {d.annex}" + (f" ({number})" if number else "")
            raw = to_ruleset(d, rid, province, year, source, number)
            if unsure:
                raw["notes"] = (raw.get("notes") or []) + [f"Trang 1: {u.split(' / ')[0]}" for u in unsure]
            try:
                # the draft must load like any ruleset: a row the schema refuses is set aside, not the draft
                rs = load_draft(raw, Path(tmp) / f"{rid}.yaml", {i.code: i.page for i in d.indicators})
            except RulesetError as e:
                return fail(f"{src.name}: bản nháp không hợp lệ ({e})", "the draft does not pass the schema")
            texts.append((d, rs, dump(raw), len(raw.get("unplaced") or [])))
    for (d, rs, text, unplaced), target in zip(texts, targets):
        write_atomic(target, text)
        manual = sum(1 for i in rs.scorable() if i.is_manual)
        print(f"{target}: {rs.id} ({rs.level}), {len(rs.pillars)} trụ cột, {len(rs.scorable())} chỉ số, "
              f"{manual} quy tắc thủ công cần xem / manual rules to settle")
        vi, en = summary(d, rs, unplaced)
        print(f"  {vi}\n  {en}")
    for u in unsure:
        print(f"  CHÚ Ý: {u}")
    return 0


_PAGE = re.compile(r"^Trang (\d+):\s*")


def _text(note: str | None) -> str:
    return _PAGE.sub("", note or "")


def _page(note: str | None) -> str:
    m = _PAGE.match(note or "")
    return f"trang {m.group(1)}" if m else "trang ?"


def _on_rulesets(*refs: str):
    """A command over the rulesets its arguments ``refs`` name (files or ids), resolved first: one
    that does not resolve is a one-line error and exit 2, before the command does anything."""
    def wrap(cmd):
        @functools.wraps(cmd)
        def run(args: argparse.Namespace) -> int:
            try:
                rulesets = [resolve(getattr(args, r)) for r in refs]
            except RulesetError as e:
                print(f"LỖI / ERROR: {e}", file=sys.stderr)
                return 2
            return cmd(args, *rulesets)
        return run
    return wrap


@_on_rulesets("file")
def cmd_check(args: argparse.Namespace, rs) -> int:
    items = []
    for n in rs.notes:
        if _PAGE.match(n):
            items.append(f"[{_page(n)}] Vấn đề: {_text(n)}")
    for i in rs.scorable():
        if i.is_manual:
            note = i.rule.get("note", "")
            items.append(f"[{_page(note)}] Chỉ số {i.code} ({i.name[:60]}): quy tắc thủ công, cần nhập — "
                         f"{_text(note)}")
        if i.max_points is None and rs.total is not None:
            items.append(f"[{_page(i.note)}] Chỉ số {i.code}: không có điểm tối đa")
    print(f"{rs.id}: {len(rs.scorable())} chỉ số, {len(items)} điểm cần xem lại")
    for line in items:
        print(f"- {line}")
    return 1 if items else 0


@_on_rulesets("old", "new")
def cmd_diff(args: argparse.Namespace, old, new) -> int:
    from decision_import.diff import report
    text, d = report(old, new)
    print(text)
    return 0 if not d.lines else 1


@_on_rulesets("id")
def cmd_sheet(args: argparse.Namespace, rs) -> int:
    from decision_import.sheet import write_html, write_xlsx
    out = Path(args.out or f"{rs.id}.{args.format}")
    (write_xlsx if args.format == "xlsx" else write_html)(rs, out)
    print(out)
    return 0
