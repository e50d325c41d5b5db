"""`dti score FILE.json… [--ruleset ID] [--json]`: re-score contract-shaped JSON documents."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from matchers.report import Report
from scoring.flags import fmt


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "score", help="chấm lại điểm từ JSON của báo cáo / re-score extraction JSON",
        description="Đọc JSON theo hợp đồng trích xuất (một báo cáo hoặc danh sách), tính lại điểm "
                    "theo bộ chỉ số và in bảng điểm kèm cảnh báo.")
    p.add_argument("files", nargs="+", metavar="FILE.json")
    p.add_argument("--ruleset", help="mã bộ chỉ số, dùng khi JSON không ghi 'ruleset' (vd hoabinh-2023-xa)")
    p.add_argument("--json", action="store_true", help="in các báo cáo đã chấm dạng JSON")
    p.set_defaults(handler=run)


def _documents(path: Path) -> list[dict]:
    data = json.loads(path.read_text(encoding="utf-8"))
    docs = data if isinstance(data, list) else [data]
    if not all(isinstance(d, dict) for d in docs):
        raise ValueError("JSON phải là một đối tượng báo cáo hoặc danh sách các đối tượng")
    return docs


def table(report: Report) -> str:
    """The scored report as a plain-text table a reviewer can read in a terminal."""
    by_ind: dict[str | None, list[str]] = {}
    for f in report.flags:
        by_ind.setdefault(f.indicator, []).append(f.code)
    lines = [f"{report.file} — {report.unit.name or '?'} — bộ chỉ số {report.ruleset}",
             f"{'Mã':<9}{'Tự chấm':>9}{'Tính lại':>10}{'Tối đa':>8}  Cảnh báo"]
    for r in report.rows:
        flags = ", ".join(by_ind.get(r.indicator, [])) if r.indicator else ""
        lines.append(f"{(r.indicator or '-'):<9}{fmt(r.claimed_points):>9}{fmt(r.computed_points):>10}"
                     f"{fmt(r.max_points):>8}  {flags}")
    t = report.totals
    lines.append(f"{'Tổng':<9}{fmt(t.claimed_points):>9}{fmt(t.computed_points):>10}{'':>8}  "
                 f"tổng ghi trong báo cáo: {fmt(t.stated_total)}")
    row_codes = {r.indicator for r in report.rows}
    for f in report.flags:
        if f.indicator is None or f.indicator not in row_codes or f.code == "subtotal-mismatch":
            lines.append(f"  [{f.severity}] {f.code}: {f.message}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    import rulesets
    from scoring.engine import score_report

    scored, status = [], 0
    for name in args.files:
        path = Path(name)
        try:
            docs = _documents(path)
        except (OSError, ValueError) as e:
            print(f"{path}: không đọc được JSON / cannot read JSON: {e}", file=sys.stderr)
            status = 1
            continue
        for n, d in enumerate(docs):
            rid = d.get("ruleset") or args.ruleset
            where = f"{path}" + (f"[{n}]" if len(docs) > 1 else "")
            if not rid:
                print(f"{where}: không rõ bộ chỉ số, hãy dùng --ruleset / no ruleset, use --ruleset", file=sys.stderr)
                status = 1
                continue
            try:
                report = Report.from_dict(d)
                ruleset = rulesets.load(rid)
            except (KeyError, TypeError, ValueError) as e:
                print(f"{where}: {e}", file=sys.stderr)
                status = 1
                continue
            scored.append(score_report(report, ruleset))
    if args.json:
        out = [r.to_dict() for r in scored]
        json.dump(out[0] if len(out) == 1 and len(args.files) == 1 else out, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print("\n\n".join(table(r) for r in scored))
    return status
