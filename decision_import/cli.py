"""`dti rulesets list`, `dti rulesets show ID|FILE.yaml [--json]`; import/check/diff/sheet in ``cli_import``."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from rulesets.loader import RulesetError, load, ruleset_ids
from rulesets.model import Indicator


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("rulesets", help="bộ chỉ số của các tỉnh / the provinces' indicator sets")
    sub = p.add_subparsers(dest="rulesets_command", metavar="WHAT")
    p.set_defaults(handler=lambda args: (p.print_help(), 2)[1])
    lst = sub.add_parser("list", help="liệt kê các bộ chỉ số / list rulesets")
    lst.set_defaults(handler=cmd_list)
    show = sub.add_parser("show", help="xem một bộ chỉ số / show one ruleset")
    show.add_argument("id", help="mã bộ chỉ số, vd hoabinh-2023-xa, hoặc tệp .yaml (bản nháp)")
    show.add_argument("--json", action="store_true", help="in JSON: [{code, pillar, name, max_points, rule}]")
    show.set_defaults(handler=cmd_show)
    from decision_import import cli_import
    cli_import.register(sub)


def _num(v: float | None) -> str:
    from rulesets.numbers import vn_number
    return vn_number(v, 4, empty="-")


def _table(rows: list[list[str]], header: list[str]) -> str:
    # the last column (names) is left unpadded so long names don't widen the table
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header) - 1)]
    fmt = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[-1]  # noqa: E731
    return "\n".join([fmt(header), fmt(["-" * w for w in widths] + ["-" * len(header[-1])])] + [fmt(r) for r in rows])


def cmd_list(args: argparse.Namespace) -> int:
    rows, failed = [], []
    for rid in ruleset_ids():
        try:
            rs = load(rid)
        except RulesetError as e:
            failed.append(str(e))
            continue
        rows.append([rs.id, rs.province, rs.level, str(rs.year), str(len(rs.scorable())), _num(rs.total), rs.title])
    print(_table(rows, ["id", "province", "level", "year", "indicators", "total", "title"]))
    for msg in failed:
        print(f"LỖI / ERROR: {msg}", file=sys.stderr)
    return 1 if failed else 0


def rule_summary(rule: dict[str, Any]) -> str:
    """One short line per rule, for people reading the table: its kind's ``summary``."""
    from rulesets import kinds
    return kinds.summary(rule)


def _as_json(i: Indicator) -> dict[str, Any]:
    return {"code": i.code, "pillar": i.pillar, "name": i.name, "max_points": i.max_points, "rule": i.rule.to_dict()}


def cmd_show(args: argparse.Namespace) -> int:
    from decision_import.cli_import import resolve
    try:
        rs = resolve(args.id)   # a draft file is shown exactly like a stored ruleset
    except RulesetError as e:
        print(str(e), file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([_as_json(i) for i in rs.indicators], ensure_ascii=False, indent=1))
        return 0
    print(f"{rs.id}: {rs.title} ({rs.province}, {rs.level}, {rs.year}; tổng {_num(rs.total)})")
    rows = [[i.code, i.pillar, _num(i.max_points), rule_summary(i.rule)[:70], i.name] for i in rs.indicators]
    print(_table(rows, ["code", "pillar", "max", "rule", "name"]))
    for n in rs.notes:
        print(f"* {n}")
    return 0
