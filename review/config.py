"""How the review page runs, as one dataclass: where the store is, the session secret,
the threshold below which a value is shown as unsure, and the crop resolution."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable
from pathlib import Path

from settings.config import default_database_url, var_dir
from store.private_files import tighten, write_private
from settings.settings import current

SECRET_FILE = "review-secret.key"


def load_secret(folder: Path | None = None) -> str:
    """DTI_SECRET_KEY, else a random key kept in var/ (made on first run, readable only by us),
    so sessions survive a restart without anyone having to pick a secret."""
    env = current().secret_key
    if env:
        return env
    folder = Path(folder or var_dir())
    path = folder / SECRET_FILE
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        write_private(path, secrets.token_urlsafe(48) + "\n")     # two first starts: one key wins
    tighten(path)
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:
        raise SystemExit(f"Khóa phiên trong {path} quá ngắn, hãy xóa tệp để tạo lại / "
                         f"the session key in {path} is too short: delete the file to make a new one")
    return key


@dataclass
class ReviewConfig:
    database_url: str = field(default_factory=default_database_url)
    secret_key: str | None = None            # None: load_secret()
    # the same threshold that raises `low-confidence` (matchers.trust.ReviewConfig)
    low_confidence: float = field(default_factory=lambda: current().review_confidence)
    crop_dpi: int = 110
    crop_margin_pt: float = 36.0              # half an inch of context around the row
    session_hours: int = 12
    # folders where archived originals may be found when the store has no usable path
    archive_dirs: list[Path] = field(default_factory=list)
    # Secure cookies on every response, not only on requests that came over HTTPS (for a
    # proxy that terminates TLS but sends no X-Forwarded-Proto)
    https_only: bool = False
    # addresses of reverse proxies whose X-Forwarded-Proto / X-Forwarded-For are believed
    trusted_proxies: list[str] = field(default_factory=list)
    # what time it is, for session expiry and the login throttle (tests pass a settable clock)
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(timezone.utc), repr=False)
