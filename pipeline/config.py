"""Where the pipeline keeps things and how hard it tries, as one dataclass.

Everything has a default that works from the project folder (``var/``), and
an environment variable for the few knobs an operator turns without editing
code (a share mounted elsewhere, PostgreSQL, Dask).  The config is plain data
so it pickles into Prefect/Dask workers unchanged.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

# folder names the pipeline owns inside an inbox; never read as reports
STATE_DIRS = ("processing", "archive", "quarantine")


def var_dir() -> Path:
    """The working folder for the database, Prefect's home, exports and logs."""
    return Path(os.environ.get("DTI_VAR_DIR") or Path.cwd() / "var").resolve()


def default_database_url() -> str:
    url = os.environ.get("DTI_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{var_dir() / 'dti.sqlite'}"


def _env_float(name: str, default: float) -> float:
    try:
        return float(os.environ[name])
    except (KeyError, ValueError):
        return default


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
    processor: str = field(default_factory=lambda: os.environ.get("DTI_PROCESSOR", "pipeline.stages:process_file"))
    ruleset_id: str | None = None
    stable_seconds: float = field(default_factory=lambda: _env_float("DTI_STABLE_SECONDS", 2.0))
    timeout: float = field(default_factory=lambda: _env_float("DTI_REPORT_TIMEOUT", 600.0))
    retries: int = 2                 # extra attempts after a transient failure
    retry_delay: float = 1.0
    workers: int = field(default_factory=lambda: int(_env_float("DTI_WORKERS", os.cpu_count() or 2)))
    task_runner: str = field(default_factory=lambda: os.environ.get("DTI_TASK_RUNNER", "thread"))
    memory_mb: int = field(default_factory=lambda: int(_env_float("DTI_WORKER_MEMORY_MB", 4096)))  # 0 = no cap
    log_dir: Path = field(default_factory=lambda: var_dir() / "logs")

    def __post_init__(self) -> None:
        self.inbox = Path(self.inbox).resolve()
        self.processing = Path(self.processing or self.inbox / "processing").resolve()
        self.archive = Path(self.archive or self.inbox / "archive").resolve()
        self.quarantine = Path(self.quarantine or self.inbox / "quarantine").resolve()
        self.log_dir = Path(self.log_dir)

    def with_(self, **changes) -> "PipelineConfig":
        return replace(self, **changes)
