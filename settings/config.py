"""Where the pipeline keeps things and how hard it tries, as one dataclass.

Everything has a default that works from the project folder (``var/``); the
defaults an operator turns without editing code (a share mounted elsewhere,
PostgreSQL, Dask) come from ``settings.settings``.  The config is plain data
so it pickles into Prefect/Dask workers unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from settings.settings import current

# folder names the pipeline owns inside an inbox; never read as reports
STATE_DIRS = ("processing", "archive", "quarantine")


def var_dir() -> Path:
    """The working folder for the database, Prefect's home, exports and logs."""
    # worked out when asked, not when the settings were read: the folder dti runs in
    return Path(current().var_dir or Path.cwd() / "var").resolve()


def default_database_url() -> str:
    return current().database_url or f"sqlite:///{var_dir() / 'dti.sqlite'}"


def default_inbox() -> Path:
    """The inbox when no --inbox is given: DTI_INBOX, else var/inbox."""
    return Path(current().inbox or var_dir() / "inbox")


@dataclass
class PipelineConfig:
    inbox: Path
    # state folders; None = inside the inbox, so a move is one atomic rename even on a share
    processing: Path | None = None
    archive: Path | None = None
    quarantine: Path | None = None
    database_url: str = field(default_factory=default_database_url)
    # "module:function" or "/path/file.py:function" with process_file's signature;
    # named, not passed, so a worker process can import it
    processor: str = field(default_factory=lambda: current().processor)
    ruleset_id: str | None = None
    stable_seconds: float = field(default_factory=lambda: current().stable_seconds)
    timeout: float = field(default_factory=lambda: current().report_timeout)
    retries: int = 2                 # extra attempts after a transient failure
    retry_delay: float = 1.0
    workers: int = field(default_factory=lambda: current().workers)
    task_runner: str = field(default_factory=lambda: current().task_runner)
    memory_mb: int = field(default_factory=lambda: current().worker_memory_mb)  # 0 = no cap
    log_dir: Path = field(default_factory=lambda: var_dir() / "logs")

    def __post_init__(self) -> None:
        self.inbox = Path(self.inbox).resolve()
        self.processing = Path(self.processing or self.inbox / "processing").resolve()
        self.archive = Path(self.archive or self.inbox / "archive").resolve()
        self.quarantine = Path(self.quarantine or self.inbox / "quarantine").resolve()
        self.log_dir = Path(self.log_dir)

    def with_(self, **changes) -> "PipelineConfig":
        return replace(self, **changes)
