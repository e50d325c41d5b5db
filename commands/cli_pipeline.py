"""The pipeline's sub-commands: extract, run, serve, export, rank, bench pipeline.

Handlers import their heavy modules (Prefect, pandas, the rooms) when called,
so ``dti --help`` stays instant.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

from store import filenames
from settings.config import PipelineConfig, default_inbox, var_dir
from pipeline.inbox import REPORT_SUFFIXES
from settings.settings import current


def register(subparsers) -> None:
    p = subparsers.add_parser("extract", help="đọc, đối chiếu, chấm một báo cáo / read, match, score one report")
    p.add_argument("file", help="tệp báo cáo / the report file")
    p.add_argument("--json", action="store_true", help="in JSON theo hợp đồng / print the contract JSON")
    p.add_argument("--ruleset", help="mã bộ chỉ số / ruleset id (default: detected)")
    p.set_defaults(handler=cmd_extract)

    p = subparsers.add_parser("run", help="xử lý hộp thư đến một lượt / process the inbox once")
    p.add_argument("--inbox", type=Path, default=None, help="thư mục hộp thư đến / inbox folder (default var/inbox)")
    p.add_argument("--from", dest="source", type=Path, help="chép các tệp báo cáo từ thư mục này vào trước / "
                   "copy this folder's report files into the inbox first (the folder is left untouched)")
    p.add_argument("--once", action="store_true", help="một lượt rồi dừng (mặc định) / one pass, then stop (default)")
    p.add_argument("--ruleset", help="mã bộ chỉ số / ruleset id (default: detected per report)")
    p.add_argument("--prefect", action="store_true", help="chạy qua Prefect / run as a Prefect flow run "
                   "(default when PREFECT_API_URL is set)")
    p.add_argument("--stable-seconds", type=float, default=None,
                   help="chờ tệp đứng yên bấy nhiêu giây / seconds a file must stay unchanged (default 2)")
    p.add_argument("--timeout", type=float, default=None, help="giây tối đa mỗi báo cáo / seconds per report")
    p.add_argument("--processor", help=argparse.SUPPRESS)
    p.set_defaults(handler=cmd_run)

    p = subparsers.add_parser("serve", help="chạy lịch xử lý hộp thư với Prefect / serve the scheduled flow")
    p.add_argument("--inbox", type=Path, default=None, help="thư mục hộp thư đến / inbox folder")
    p.add_argument("--interval", type=float, default=None, help="giây giữa hai lượt / seconds between runs "
                   "(default from prefect.yaml: 300)")
    p.add_argument("--port", type=int, default=4200, help="cổng máy chủ Prefect cục bộ / local Prefect server port")
    p.set_defaults(handler=cmd_serve)

    p = subparsers.add_parser("export", help="xuất các báo cáo đã lưu / export stored reports")
    p.add_argument("--format", choices=("json", "csv", "xlsx"), default="json")
    p.add_argument("--out", type=Path, help="tệp kết quả / output file (json/csv: stdout by default)")
    p.add_argument("--year", type=int)
    p.add_argument("--ruleset")
    p.set_defaults(handler=cmd_export)

    p = subparsers.add_parser("rank", help="bảng xếp hạng của huyện / the district ranking (.xlsx + chart)")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--ruleset")
    p.add_argument("--district", "--receiver", dest="district", help="huyện / cơ quan nhận báo cáo (khớp với "
                   "'Kính gửi' hoặc thư mục con) / the district or receiving body (matched to the reports' "
                   "'Kính gửi' or the inbox sub-folder)")
    p.add_argument("--out", type=Path, help="tệp .xlsx / output .xlsx (chart: same name .png)")
    p.add_argument("--communes", type=Path, help="danh sách xã của huyện, mỗi dòng một tên / the district's "
                   "communes, one name a line: those without a report are named")
    p.add_argument("--compare", type=int, metavar="ID", help="so với bảng xếp hạng đã lưu (số báo cáo) / compare "
                   "with a stored ranking table (its report id), e.g. the district's published one")
    p.set_defaults(handler=cmd_rank)


    p = subparsers.add_parser("reprocess", help="đọc lại các báo cáo đã lưu bằng mã hiện tại / read stored "
                              "reports again with the current code")
    p.add_argument("--year", type=int, help="chỉ năm này / only this assessment year")
    p.add_argument("--all", action="store_true", help="mọi báo cáo, kể cả đã đọc bằng mã hiện tại / every report, "
                   "also those already read by the current code")
    p.add_argument("--archive", type=Path, action="append", default=[], help="thư mục lưu trữ khác / another "
                   "folder to look for the originals in (repeatable)")
    p.set_defaults(handler=cmd_reprocess)


def cmd_reprocess(args) -> int:
    from pipeline.reprocess import describe, reprocess
    from store.store import Store
    from store.version import reader_version

    outcomes = reprocess(Store(), year=args.year, every=args.all, archive_dirs=args.archive)
    for o in outcomes:
        print("\n".join(describe(o)))
    done = sum(1 for o in outcomes if o.status == "reprocessed")
    print(f"Đã đọc lại / reprocessed: {done} / {len(outcomes)} báo cáo / reports (bộ đọc / reader {reader_version()})")
    return 1 if done < len(outcomes) else 0


def register_bench(bench_sub) -> None:
    p = bench_sub.add_parser("pipeline", help="đo tốc độ cả dây chuyền / measure the whole pipeline")
    p.add_argument("--n", type=int, default=20, help="số báo cáo sinh ra / reports in the generated batch")
    p.add_argument("--from", dest="source", type=Path, default=Path("samples"), help="báo cáo mẫu / sample reports")
    p.add_argument("--prefect", action="store_true", help="đo cả lượt chạy Prefect / also time a Prefect flow run")
    from deploy.bench_served import int_list
    p.add_argument("--workers", type=int_list, metavar="N[,M]", help="qua máy chủ Prefect, prefect deploy và N "
                   "worker / through a Prefect server, prefect deploy and N workers (e.g. 1,2)")
    p.add_argument("--readers", type=int_list, metavar="R[,S]", help="số tiến trình đọc (DTI_WORKERS) của lượt "
                   "trực tiếp; lượt qua Prefect dùng số cuối / reading processes of the direct pass (the served "
                   "one uses the last); default 1 and DTI_WORKERS or the CPU count")
    p.add_argument("--database-url", help="CSDL của máy chủ Prefect / the Prefect server's database "
                   "(postgresql+psycopg://…; default SQLite in a temporary home)")
    p.add_argument("--store-url", help="kho báo cáo / the report store (default a temporary SQLite file)")
    p.add_argument("--repeat", type=int, default=1, help="số lần đo mỗi cấu hình / batches per setting (median)")
    p.add_argument("--mix", choices=["province"], help="province: Word, PDF có chữ, bản quét và ảnh chụp theo tỉ lệ "
                   "của một tỉnh / a province's share of Word, text PDF, scans and photos (2:2:4:2)")
    p.add_argument("--dask", type=int_list, metavar="N[,M]", help="qua dask scheduler và N dask worker (dti run "
                   "--prefect, DTI_TASK_RUNNER=dask) / through a Dask scheduler and N workers (e.g. 1,2)")
    p.set_defaults(handler=cmd_bench)


# ---- extract ---------------------------------------------------------------------------------
def _fmt(v, nd: int = 2) -> str:
    from rulesets.numbers import vn_number
    if v is None:
        return "—"
    if isinstance(v, float):
        return vn_number(v, nd)
    return str(v)


def print_report(d: dict, out=None) -> None:
    from rich.console import Console
    from rich.table import Table

    con = Console(file=out or sys.stdout, soft_wrap=False)
    if not con.is_terminal:
        con.width = 160
    unit = d.get("unit") or {}
    from outputs.exporting import FLAG_VI, LAYOUT_VI, SEVERITY_VI
    con.print(f"Tệp: {d.get('file')}   định dạng: {d.get('format')}   "
              f"bố cục: {LAYOUT_VI.get(d.get('layout'), d.get('layout'))}", markup=False)
    con.print(f"Đơn vị: {unit.get('name') or '?'}   cấp: {unit.get('level') or '?'}   năm: {unit.get('year') or '?'}"
              f"   bộ chỉ số: {d.get('ruleset') or '?'}", markup=False)
    t = Table(show_lines=False)
    for col in ("Mã", "Chỉ tiêu", "Tự chấm", "Tối đa", "Tính lại", "Tỷ lệ", "Tử/Mẫu", "Trả lời", "Tin cậy"):
        if col == "Chỉ tiêu":
            t.add_column(col, overflow="ellipsis", no_wrap=True, ratio=1, min_width=20, max_width=60)
        else:
            t.add_column(col, no_wrap=True, min_width=max(len(col), 7 if col == "Tỷ lệ" else 0), justify="left" if col in ("Mã", "Trả lời") else "right")
    for r in d.get("rows") or []:
        nd = f"{_fmt(r.get('numerator'))}/{_fmt(r.get('denominator'))}" if r.get("denominator") is not None else "—"
        ratio = _fmt(float(r["ratio"]) * 100) + "%" if isinstance(r.get("ratio"), (int, float)) else "—"
        t.add_row(r.get("indicator") or "?", (r.get("label") or "")[:80], _fmt(r.get("claimed_points")),
                  _fmt(r.get("max_points")), _fmt(r.get("computed_points")), ratio, nd,
                  _fmt(r.get("answer")), _fmt(r.get("confidence")))
    con.print(t)
    tot = d.get("totals") or {}
    con.print(f"Tổng tự chấm: {_fmt(tot.get('claimed_points'))}   tổng tính lại: {_fmt(tot.get('computed_points'))}"
              f"   tổng ghi trong báo cáo: {_fmt(tot.get('stated_total'))}", markup=False)
    for f in d.get("flags") or []:
        con.print(f"  ! {SEVERITY_VI.get(f.get('severity'), f.get('severity'))} — "
                  f"{FLAG_VI.get(f.get('code'), f.get('code'))} {f.get('indicator') or ''}: {f.get('message')}",
                  markup=False)


def cmd_extract(args) -> int:
    from pipeline.stages import process_file
    try:
        report = process_file(args.file, ruleset_id=args.ruleset)
    except Exception as e:
        if type(e).__name__ != "ExtractError" and not hasattr(e, "message_vi") and current().debug:
            raise
        print(f"dti extract: {e}".replace("\n", " "), file=sys.stderr)
        return 1
    from matchers import kinds
    other = kinds.not_a_report(report)
    d = (kinds.as_other(report) if other else report).to_dict()
    if other:       # still printed as read (a ranking keeps its units), but said, and not exit 0
        d["not_a_report"] = {"status": kinds.STATUS, "reason": other[0], "reason_en": other[1]}
    if args.json:
        print(json.dumps(d, ensure_ascii=False, indent=1))
    else:
        print_report(d)
    if other:
        print(f"dti extract: {kinds.message(args.file, other)}", file=sys.stderr)
        return 3
    return 0


# ---- run -------------------------------------------------------------------------------------
def copy_reports(source: Path, inbox: Path, store=None) -> tuple[int, int]:
    """Copy the report files under ``source`` into ``inbox`` (same relative paths), each through a
    hidden temporary name and a rename, so the pipeline never sees half a file.  Files the store
    already holds are not copied again.  Returns (copied, already stored)."""
    from pipeline.inbox import sha256_of

    copied = known = 0
    for src in sorted(source.rglob("*")):
        if (not src.is_file() or src.is_symlink() or src.suffix.lower() not in REPORT_SUFFIXES
                or src.name.startswith((".", "~$")) or src.stem.upper() in ("README", "MANIFEST", "LICENSE")
                or "decisions" in src.relative_to(source).parts[:-1]):   # samples/decisions: not reports
            continue
        rel = src.relative_to(source)
        if store is not None and store.has(sha256_of(src)):
            known += 1
            continue
        dest = inbox / rel
        if dest.exists() and dest.stat().st_size == src.stat().st_size:
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(filenames.fits(f".{dest.name}", ".part"))     # a 255-byte name too
        shutil.copy2(src, tmp)
        os.replace(tmp, dest)
        copied += 1
    return copied, known


def _clean(text: str) -> str:
    # the summary shares stdout with `dti export` in pipelines: keep JSON-looking characters out of it
    return text.replace("[", "(").replace("]", ")").replace("{", "(").replace("}", ")").replace("\n", " ")


def make_config(args) -> PipelineConfig:
    inbox = args.inbox or default_inbox()
    cfg = PipelineConfig(inbox=inbox)
    changes = {k: v for k, v in (("ruleset_id", getattr(args, "ruleset", None)),
                                 ("stable_seconds", getattr(args, "stable_seconds", None)),
                                 ("timeout", getattr(args, "timeout", None)),
                                 ("processor", getattr(args, "processor", None))) if v is not None}
    return cfg.with_(**changes) if changes else cfg


def cmd_run(args) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from store.store import Store

    cfg = make_config(args)
    if args.source and not args.source.is_dir():
        print(f"dti run: không có thư mục {args.source} / no such folder", file=sys.stderr)
        return 2
    if not args.source and not cfg.inbox.is_dir():
        from pipeline.failures import missing_inbox
        print(missing_inbox(cfg.inbox), file=sys.stderr)
        return 2
    store = Store(cfg.database_url)
    known = 0
    if args.source:
        cfg.inbox.mkdir(parents=True, exist_ok=True)
        _copied, known = copy_reports(args.source, cfg.inbox, store)

    err = Console(stderr=True)
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        console=err, transient=False, disable=not err.is_terminal)
    task = progress.add_task("Đang xử lý / processing", total=None)

    def on_plan(plan) -> None:
        progress.update(task, total=sum(1 + len(it.dups) for it in plan.items))

    def on_outcome(o) -> None:
        progress.advance(task)

    use_prefect = args.prefect or bool(os.environ.get("PREFECT_API_URL"))
    with progress:
        if use_prefect:
            from pipeline.flow import run_with_prefect
            summary = run_with_prefect(cfg)
            progress.update(task, total=len(summary.outcomes), completed=len(summary.outcomes))
        else:
            from pipeline.batch import run_pass
            summary = run_pass(cfg, store=store, on_plan=on_plan, on_outcome=on_outcome)

    export = var_dir() / "export" / "reports.json"
    export.parent.mkdir(parents=True, exist_ok=True)
    from outputs.exporting import to_json
    export.write_text(to_json([r.export_dict() for r in store.export_documents()]), encoding="utf-8")

    c = summary.counts()
    lines = [
        f"Đã xử lý / processed:       {c['processed']}",
        f"Bỏ qua, đã có / skipped:    {c['skipped'] + known}",
        f"Cách ly / quarantined:      {c['quarantined']}",
        f"Có cảnh báo / flagged:      {c['flagged']}",
    ]
    if summary.pending:
        lines.append(f"Đang chép dở, để lượt sau / still arriving: {len(summary.pending)}")
    if summary.refused:
        lines.append(f"Liên kết tượng trưng bị từ chối / symlinks refused: {len(summary.refused)}")
    others = [o for o in summary.outcomes if o.status == "processed" and o.reason]
    if others:
        lines.append(f"Không phải báo cáo tự đánh giá / not a report: {len(others)} (lưu riêng / kept apart)")
    failed = [o for o in summary.outcomes if o.status == "failed"]
    if failed:
        lines.append(f"Lỗi, sẽ thử lại lượt sau / failed, retried next run: {len(failed)}")
    unexpected = summary.unexpected
    if unexpected:
        lines.append(f"Lỗi chương trình trên từng tệp / the program failed on: {len(unexpected)} tệp / file(s) "
                     f"(xem lý do bên dưới / see the reasons below)")
    lines += [f"Thời gian / wall time:      {_fmt(round(summary.wall, 1), 1)} giây / s"
              + ("  (Prefect)" if use_prefect else ""),
              f"Cơ sở dữ liệu / database:   {store.location}",
              f"Lưu trữ / archive:          {cfg.archive}",
              f"Cách ly / quarantine:       {cfg.quarantine}",
              f"Xuất / export:              {export}"]
    said = {"quarantined": "Cách ly / quarantined", "failed": "Lỗi / failed"}
    for o in summary.outcomes:
        if o.status in said:
            lines.append(f"  {said[o.status]}: {filenames.shown(o.rel)}: {o.reason}")
        elif o.reason:
            lines.append(f"  {o.reason}")
    print("\n".join(filenames.clean(_clean(x)) for x in lines))
    return 1 if failed or unexpected else 0


# ---- serve / export / rank / bench ---------------------------------------------------------------
def cmd_serve(args) -> int:
    from deploy.serve import serve
    inbox = args.inbox or default_inbox()
    if not inbox.is_dir():
        from pipeline.failures import missing_inbox
        print(missing_inbox(inbox.resolve()), file=sys.stderr)
        return 2
    try:
        code = serve(inbox, interval=args.interval, port=args.port)
    except RuntimeError as e:          # the local Prefect server did not start
        print(f"Lỗi / error: {e}", file=sys.stderr)
        code = 1
    # Prefect's exit handlers keep flushing events to a server that is already stopped (a minute
    # or more); nothing of ours is left to write, so leave at once.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def cmd_export(args) -> int:
    from outputs import exporting
    from store.store import Store

    docs = [r.export_dict() for r in Store().export_documents(year=args.year, ruleset=args.ruleset)]
    if args.format == "xlsx":
        out = args.out or var_dir() / "export" / "reports.xlsx"
        exporting.write_xlsx(docs, out)
        print(f"Đã ghi / written: {out} ({len(docs)} báo cáo / reports)", file=sys.stderr)
        return 0
    text = exporting.to_json(docs) if args.format == "json" else exporting.to_csv(docs)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        print(f"Đã ghi / written: {args.out} ({len(docs)} báo cáo / reports)", file=sys.stderr)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def cmd_rank(args) -> int:
    from outputs.ranking import RankError, rank_store
    from store.store import Store

    from store.communes import load
    from outputs.ranking import held_lines, read_communes, warnings_for
    try:
        store = Store()
        communes = read_communes(args.communes) if args.communes else [c.name for c in load(store)] or None
        r = rank_store(store, args.year, args.ruleset, args.district, args.out)
    except RankError as e:
        print(f"dti rank: {e}", file=sys.stderr)
        return 1
    import pandas as pd
    from outputs.ranking import num
    with pd.option_context("display.max_columns", None, "display.width", 200):
        points = [c for c in r.table.columns if c not in ("TT", "Tên đơn vị", "Xếp hạng")]
        print(r.table.to_string(index=False, formatters={c: num for c in points}))     # 1.234,56 as people read
    print(f"\n{r.n_reports} báo cáo / reports, bộ chỉ số / ruleset {r.ruleset}"
          + (f", gửi / addressed to {r.receiver}" if r.receiver else ""))
    print("Bản được tính / version counted:")
    for sub in r.submissions:
        v = sub.counted
        print(f"  {sub.name}: #{v.id} {filenames.shown(v.summary.file_name)} ({v.summary.format}), "
              f"{len(sub.versions)} bản / version(s); {sub.reason_vi} / {sub.reason_en}"
              + (f"; {sub.unit_note}" if sub.unit_note else ""))
    if r.held:
        print(f"Chưa xếp hạng / held out of the ranking: {len(r.held)} báo cáo / report(s)")
        for line in held_lines(r.held):
            print(f"  {line}")
    for w in warnings_for(r, communes):
        print(f"Cảnh báo / warning: {w}")
    if args.compare is not None:
        from outputs.ranking import compare
        printed = Store().get_report(args.compare)
        if printed is None or not printed.document.get("units"):
            print(f"dti rank: #{args.compare} không phải bảng xếp hạng đã lưu / is not a stored ranking table",
                  file=sys.stderr)
            return 1
        print(f"So sánh với bảng xếp hạng / compared with #{args.compare} {filenames.shown(printed.file_name)}:")
        for line in compare(r, printed.document):
            print(f"  {line}")
    print(f"Bảng xếp hạng / ranking: {r.xlsx}")
    print(f"Biểu đồ / chart:         {r.png}")
    return 0


def cmd_bench(args) -> int:
    if args.workers:
        from deploy.bench_served import bench_served
        return bench_served(args.workers, args.n, args.source, args.readers, args.database_url, args.store_url,
                            max(1, args.repeat))
    if args.dask:
        from deploy.bench_dask import bench_dask
        return bench_dask(args.n, args.source, args.dask, args.mix)
    from deploy.bench import bench_pipeline
    return bench_pipeline(args.n, args.source, with_prefect=args.prefect, mix=args.mix)
