"""`dti communes import/list` (the receiving body's list of communes) and `dti unit set` (a
reviewer sets the unit of a report whose name could not be read or matched)."""
from __future__ import annotations

import sys
from pathlib import Path

from store import filenames


def register(subparsers) -> None:
    p = subparsers.add_parser("communes", help="danh sách xã của cơ quan nhận báo cáo / the receiving body's "
                              "list of communes")
    sub = p.add_subparsers(dest="communes_command", metavar="import|list")
    i = sub.add_parser("import", help="nhập danh sách (thay danh sách cũ) / import the list (replaces the old one)")
    i.add_argument("file", type=Path, help="tệp .txt (mỗi dòng một tên; 'Xã A (sáp nhập: Xã B, Xã C)'), .xlsx/.csv "
                   "(cột 'Tên đơn vị', 'Sáp nhập') hoặc quyết định / bảng xếp hạng .docx/.pdf / a text, Excel/CSV "
                   "list or a decision / ranking table")
    i.add_argument("--by", default=None, help="người nhập / who imports it")
    i.set_defaults(handler=cmd_import)
    ls = sub.add_parser("list", help="xem danh sách / show the list")
    ls.set_defaults(handler=cmd_list)
    p.set_defaults(handler=lambda args, p=p: (p.print_help(), 2)[1])

    p = subparsers.add_parser("unit", help="đặt đơn vị của một báo cáo / set a report's unit")
    sub = p.add_subparsers(dest="unit_command", metavar="set")
    s = sub.add_parser("set", help="đặt tên đơn vị (ghi vết: ai, khi nào, cũ, mới, lý do) / set the unit (audited)")
    s.add_argument("report_id", type=int, help="số báo cáo / the report's id (as `dti rank` lists it)")
    s.add_argument("name", help="tên đơn vị, ví dụ \"Xã Tân Dân\" / the unit's name")
    s.add_argument("--by", required=True, help="người sửa / the reviewer")
    s.add_argument("--why", default="", help="lý do / why")
    s.add_argument("--year", help="năm đánh giá, khi không đọc được / the assessment year, when it was not read")
    s.set_defaults(handler=cmd_unit_set)
    p.set_defaults(handler=lambda args, p=p: (p.print_help(), 2)[1])


def cmd_import(args) -> int:
    from store.communes import CommunesError, read_list, save
    from store.store import Store
    try:
        communes = read_list(args.file)
    except CommunesError as e:
        print(f"dti communes import: {e}", file=sys.stderr)
        return 1
    store = Store()
    n = save(store, communes, str(args.file), args.by)
    merged = sum(1 for c in communes if c.aliases)
    print(f"Đã nhập / imported: {n} xã / communes ({merged} có tên sáp nhập / with merged names) từ / from {args.file}")
    print(f"Cơ sở dữ liệu / database: {store.location}")
    return 0


def cmd_list(args) -> int:
    from store.communes import imported, load
    from store.store import Store
    store = Store()
    communes = load(store)
    if not communes:
        print("Chưa nhập danh sách xã; đơn vị lấy theo tên đọc được trong báo cáo / no list of communes imported; "
              "units are taken as read (dti communes import FILE)")
        return 0
    source, by, at = imported(store)
    print(f"{len(communes)} xã / communes — {source}" + (f", {by}" if by else "") + (f", {at}" if at else ""))
    for i, c in enumerate(communes, start=1):
        print(f"{i:>4}. {c.name}" + (f" (sáp nhập / merged: {', '.join(c.aliases)})" if c.aliases else ""))
    return 0


def cmd_unit_set(args) -> int:
    from store import submissions
    from store.communes import CommunesError, set_unit
    from store.store import Store
    store = Store()
    try:
        old, new = set_unit(store, args.report_id, args.name, args.by, args.why, args.year)
    except CommunesError as e:
        print(f"dti unit set: {e}", file=sys.stderr)
        return 1
    print(f"#{args.report_id}: đơn vị / unit {old or '(không đọc được / unread)'} -> {new} "
          f"({args.by}{': ' + args.why if args.why else ''})")
    placed = submissions.of_report(store, args.report_id)
    if placed:
        sub, _v = placed
        print(f"{sub.name} năm / year {sub.year}: {len(sub.versions)} bản / version(s); bản được tính / counted "
              f"#{sub.counted.id} {filenames.shown(sub.counted.summary.file_name)} ({sub.reason_vi} / {sub.reason_en})")
    return 0
