"""``dti decision``: the approval decision of a year's ranking, drafted as .docx (``outputs.decision``)."""
from __future__ import annotations

import sys
from pathlib import Path


def register(subparsers) -> None:
    p = subparsers.add_parser("decision", help="dự thảo quyết định phê duyệt kết quả xếp hạng / draft the "
                              "approval decision (.docx, with Phụ lục 1 and 2)")
    p.add_argument("--year", type=int, required=True, help="năm đánh giá / assessment year")
    p.add_argument("--ruleset", help="bộ chỉ số / ruleset id (needed when the year has several)")
    p.add_argument("--district", "--receiver", dest="district",
                   help="tên huyện / cơ quan nhận báo cáo; district or receiving body (as for dti rank)")
    p.add_argument("--out", type=Path, help="tệp .docx / output .docx")
    p.set_defaults(handler=cmd_decision)


def cmd_decision(args) -> int:
    from outputs.decision import write_decision
    from outputs.ranking import RankError
    from store.store import Store
    if args.out is not None and args.out.suffix.lower() != ".docx":
        print(f"dti decision: {args.out}: tệp kết quả phải là .docx / the output must be a .docx file",
              file=sys.stderr)
        return 2
    try:
        path, ranking = write_decision(Store(), args.year, args.ruleset, args.district, args.out)
    except RankError as e:
        print(f"dti decision: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"dti decision: {args.out}: không ghi được tệp / cannot write the file ({e.strerror or e})",
              file=sys.stderr)
        return 1
    prov = ranking.table.attrs.get("provisional") or {}
    print(f"Dự thảo quyết định / draft decision: {path}")
    print(f"{len(ranking.table)} đơn vị / units, bộ chỉ số / ruleset {ranking.ruleset}, năm / year {ranking.year}")
    if prov:
        print(f"Cảnh báo / warning: {len(prov)} đơn vị còn điểm tạm tính (*), chưa ký ban hành được / "
              f"unit(s) with provisional points: {', '.join(prov)}")
    return 0
