"""`dti settings`: every setting in force, its value and whether the environment or the default gave it.

What an operator asks first when a machine behaves unlike the others.  Values are
shown as the product uses them (folders resolved, the database worked out from the
working folder), never a password: the database URL's is ``***``, the session
secret only "set" or "not set".
"""
from __future__ import annotations

import json
import shutil
import sys

from settings.settings import Settings, current, variables

SOURCES = {True: ("môi trường", "environment"), False: ("mặc định", "default")}


def register(subparsers) -> None:
    p = subparsers.add_parser("settings", help="cấu hình đang dùng / the settings in force (DTI_* variables)")
    p.add_argument("--json", action="store_true", help="in JSON / print JSON")
    p.set_defaults(handler=cmd_settings)


def effective(s: Settings) -> dict[str, object]:
    """Variable -> the value the product uses, with nothing secret in it."""
    from settings.config import default_database_url, default_inbox, var_dir
    from pipeline.failures import hide_password
    from review.config import SECRET_FILE
    from rulesets.loader import user_dir

    none = "—"
    shown: dict[str, object] = {}
    for f in variables():
        value = getattr(s, f.name)
        shown[f.metadata["env"]] = str(value) if value is not None and value != "" else none
    shown.update({
        "DTI_VAR_DIR": str(var_dir()),
        "DTI_DATABASE_URL": hide_password(default_database_url()),
        "DTI_INBOX": str(default_inbox()),
        "DTI_RULESETS_DIR": str(user_dir()),
        "DTI_TESSERACT": s.tesseract or shutil.which("tesseract") or f"{none} (not installed)",
        "DTI_SECRET_KEY": "set" if s.secret_key else f"not set (kept in {var_dir() / SECRET_FILE})",
        "DTI_DEBUG": "1" if s.debug else "0",
    })
    for f in variables():
        if isinstance(getattr(s, f.name), float):
            shown[f.metadata["env"]] = f"{getattr(s, f.name):g}"
    return shown


def cmd_settings(args) -> int:
    s = current()
    shown = effective(s)
    if args.json:
        print(json.dumps([{"variable": env, "value": value, "source": SOURCES[env in s.from_environment][1]}
                          for env, value in shown.items()], ensure_ascii=False, indent=1))
        return 0
    width = max(map(len, shown))
    out = ["Cấu hình đang dùng (biến, giá trị, nguồn) / settings in force (variable, value, from):"]
    for env, value in shown.items():
        vi, en = SOURCES[env in s.from_environment]
        out.append(f"  {env:<{width}}  {value}  [{vi} / {en}]")
    out.append("Giải thích từng biến: README.md, mục Settings / what each one does: README.md, Settings")
    sys.stdout.write("\n".join(out) + "\n")
    return 0
