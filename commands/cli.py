"""`dti`: the one command over the whole product.

Each room contributes its own sub-commands through a module with a
``register(subparsers)`` function, so the rooms stay independent and this file
stays a list.  A command's handler returns an exit code.
"""
from __future__ import annotations

import argparse
import importlib
import sys

# room modules that add sub-commands, in the order `dti --help` lists them
COMMAND_MODULES = (
    "commands.cli_pipeline",   # extract, run, serve, export, rank, bench pipeline
    "commands.cli_units",      # communes import/list, unit set
    "commands.cli_decision",   # decision
    "extractors.cli",          # read
    "deploy.bench_extract",    # bench extract, bench run
    "decision_import.cli",     # rulesets list/show
    "scoring.cli",             # score
    "review.cli",              # review, user add
    "commands.cli_settings",   # settings
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dti", description="Đọc, kiểm tra và chấm điểm báo cáo chuyển đổi số (DTI).")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    bench = None
    for name in COMMAND_MODULES:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name == name:      # that room has no commands yet
                continue
            raise
        if hasattr(mod, "register_bench"):
            if bench is None:
                bench_p = sub.add_parser("bench", help="đo tốc độ / measure speed and memory")
                bench = bench_p.add_subparsers(dest="bench_command", metavar="WHAT")
            mod.register_bench(bench)
        mod.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from settings.settings import SettingsError, reload
    try:
        reload()            # each command reads the environment once; a bad value stops it here
    except SettingsError as e:      # like a wrong command line: the operator's to fix, said in one line
        print(e, file=sys.stderr)
        return 2
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return int(handler(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as e:          # the surroundings (database, Prefect server) in one line
        from pipeline.failures import EXIT_ENVIRONMENT, explain
        line = explain(e)
        if line is None:
            raise
        print(line, file=sys.stderr)
        return EXIT_ENVIRONMENT


if __name__ == "__main__":
    sys.exit(main())
