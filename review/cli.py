"""`dti review` (serve the reviewers' page) and `dti user add` (create a reviewer account)."""
from __future__ import annotations

import getpass
import sys
from pathlib import Path


def _db_url(text: str) -> str:
    """--db read like DTI_DATABASE_URL: `postgresql://` is psycopg 3, an unsupported database is
    argparse's one-line error (exit 2), not a driver's traceback."""
    import argparse

    from settings.settings import database_url
    try:
        return database_url(text.strip())
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"cần {getattr(e, 'vi', e)} / expected {getattr(e, 'en', e)}") from None


def register(sub) -> None:
    p = sub.add_parser("review", help="mở trang rà soát cho người kiểm tra / serve the review web page")
    p.add_argument("--host", default="127.0.0.1",
                   help="địa chỉ lắng nghe (mặc định 127.0.0.1; 0.0.0.0 để mở cho mạng nội bộ)")
    p.add_argument("--port", type=int, default=8800)
    p.add_argument("--db", type=_db_url, help="URL cơ sở dữ liệu (mặc định DTI_DATABASE_URL hoặc var/dti.sqlite)")
    p.add_argument("--archive", action="append", default=[], type=Path,
                   help="thư mục archive/ chứa tệp gốc, nếu không nằm trong hộp thư của lượt chạy (lặp lại được)")
    p.add_argument("--ssl-certfile", type=Path,
                   help="chứng chỉ TLS (PEM): phục vụ qua HTTPS, cookie phiên có cờ Secure / serve over HTTPS")
    p.add_argument("--ssl-keyfile", type=Path, help="khóa riêng của chứng chỉ (PEM) / the certificate's key")
    p.add_argument("--proxy", action="append", default=[], metavar="IP",
                   help="địa chỉ proxy ngược (nginx, Caddy) được tin X-Forwarded-Proto/-For (lặp lại được) "
                        "/ a reverse proxy whose forwarded headers are trusted")
    p.add_argument("--https", action="store_true",
                   help="luôn đặt cờ Secure cho cookie (proxy HTTPS không gửi X-Forwarded-Proto) "
                        "/ always mark the cookie Secure")
    p.set_defaults(handler=_serve)

    u = sub.add_parser("user", help="tài khoản người rà soát / reviewer accounts")
    us = u.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    a = us.add_parser("add", help="tạo tài khoản / add a reviewer")
    a.add_argument("name", help='tên đăng nhập, có thể có dấu cách và dấu tiếng Việt: "Nguyễn Thị Hoa"')
    a.add_argument("--password-stdin", action="store_true", help="đọc mật khẩu từ stdin (cho script)")
    a.add_argument("--db", type=_db_url)
    a.set_defaults(handler=_user_add)
    pw = us.add_parser("passwd", help="đổi mật khẩu / change a password")
    pw.add_argument("name")
    pw.add_argument("--password-stdin", action="store_true")
    pw.add_argument("--db", type=_db_url)
    pw.set_defaults(handler=_user_passwd)


def _password(args) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Mật khẩu / password: ")
    if getpass.getpass("Nhập lại / again: ") != first:
        raise SystemExit("Hai lần nhập không khớp / passwords differ")
    return first


def _with_users(args, fn, done) -> int:
    """``fn(session)`` on the users' table in one transaction; ``done()`` printed when it is through."""
    from sqlalchemy.orm import sessionmaker

    from store.store import Store
    from review.users import UserError
    store = Store(args.db)
    try:
        with sessionmaker(store.engine).begin() as s:
            fn(s)
    except UserError as e:
        print(f"Lỗi / error: {e}", file=sys.stderr)
        return 1
    finally:
        store.close()
    print(done())
    return 0


def _user_add(args) -> int:
    from review.users import add_user, normalise_name
    password = _password(args)
    return _with_users(args, lambda s: add_user(s, args.name, password),
                       lambda: f"Đã tạo người dùng '{normalise_name(args.name)}' / user added")


def _user_passwd(args) -> int:
    from review.users import set_password
    password = _password(args)
    return _with_users(args, lambda s: set_password(s, args.name, password),
                       lambda: f"Đã đổi mật khẩu của '{args.name}' / password changed")


def _serve(args) -> int:
    import uvicorn

    from review.app import create_app
    from review.config import ReviewConfig
    if bool(args.ssl_certfile) != bool(args.ssl_keyfile):
        print("Lỗi: cần cả --ssl-certfile và --ssl-keyfile / error: give both --ssl-certfile and --ssl-keyfile",
              file=sys.stderr)
        return 2
    for f in (args.ssl_certfile, args.ssl_keyfile):
        if f and not f.is_file():
            print(f"Lỗi: không thấy tệp {f} / error: no file {f}", file=sys.stderr)
            return 2
    cfg = ReviewConfig(archive_dirs=list(args.archive), https_only=args.https, trusted_proxies=list(args.proxy))
    if args.db:
        cfg.database_url = args.db
    ssl = {"ssl_certfile": str(args.ssl_certfile), "ssl_keyfile": str(args.ssl_keyfile)} if args.ssl_certfile else {}
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"Chú ý: trang rà soát mở cho mạng tại {args.host}:{args.port} / listening beyond localhost",
              file=sys.stderr)
    # proxy headers are handled by the app (review/proxy.py), only from the --proxy addresses
    uvicorn.run(create_app(cfg), host=args.host, port=args.port, log_level="info", proxy_headers=False, **ssl)
    return 0
