"""Every ``DTI_*`` environment variable, read in one place into one typed, frozen object.

Before, the variables were read in a dozen files, each with its own answer to
a bad value (the default without a word in one place, a traceback in another).
Here each is parsed once: a bad value stops ``dti`` with one line naming the
variable and the value, and ``dti settings`` shows what is in force and where
it came from.  The table in README.md ("Settings") is
``markdown_table()``; a test keeps the two equal.

A process reads its environment when it first asks (``current()``); the
processes the product starts (``dti serve``, Prefect workers, the reading
children) read their own at their start.  Tests that change a variable call
``reload()``.

Only the standard library: extractors/ and matchers/ import this.
"""
from __future__ import annotations

import math
import os
import re
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Callable, Mapping


class SettingsError(ValueError):
    """One environment variable with a value the product cannot use, said in one line."""

    def __init__(self, variable: str, value: str, expected_vi: str, expected_en: str) -> None:
        shown = _shown(variable, value)
        self.variable, self.value = variable, value
        self.message_vi = f"Lỗi cấu hình: {variable}={shown} không dùng được, cần {expected_vi}"
        self.message_en = f"Settings error: {variable}={shown} is not usable, expected {expected_en}"
        super().__init__(f"{self.message_vi} / {self.message_en}")


def _shown(variable: str, value: str) -> str:
    # one line, and never a password: in a URL, all between the user's name and the last @
    # (a URL bad enough to be refused here may be too bad for failures.hide_password)
    text = re.sub(r"^(.*?//)?([^:@/]*):.*@", r"\1\2:***@", value) if "URL" in variable else value
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:77] + "..."


class _Expected(ValueError):
    def __init__(self, vi: str, en: str) -> None:
        super().__init__(en)
        self.vi, self.en = vi, en


@dataclass(frozen=True)
class Kind:
    """How one variable's text becomes a value, and what the README calls that type."""
    name: str
    parse: Callable[[str], Any]


def _number(lo: float | None = None, hi: float | None = None, whole: bool = False,
            above: bool = False) -> Kind:
    if whole:
        vi, en, name = f"số nguyên từ {lo:g} trở lên", f"a whole number, {lo:g} or more", "whole number"
    elif hi is not None:
        vi, en, name = f"số từ {lo:g} đến {hi:g}", f"a number from {lo:g} to {hi:g}", f"number {lo:g}–{hi:g}"
    elif above:
        vi, en, name = f"số lớn hơn {lo:g}", f"a number above {lo:g}", "seconds"
    else:
        vi, en, name = f"số từ {lo:g} trở lên", f"a number, {lo:g} or more", "seconds"

    def parse(text: str):
        try:
            x = float(text)
        except ValueError:
            raise _Expected(vi, en) from None
        if (not math.isfinite(x) or (whole and x != int(x)) or (lo is not None and x < lo)
                or (above and x <= lo) or (hi is not None and x > hi)):
            raise _Expected(vi, en)
        return int(x) if whole else x
    return Kind(name, parse)


def _choice(*options: str) -> Kind:
    def parse(text: str) -> str:
        if text.lower() not in options:
            said = " hoặc ".join(options), " or ".join(options)
            raise _Expected(said[0], said[1])
        return text.lower()
    return Kind(" \\| ".join(f"`{o}`" for o in options), parse)


# the engines the store is built and tested on, and the driver each is opened with: psycopg 3 is
# the one installed, so the bare `postgresql://` most guides print means it (SQLAlchemy alone
# would look for psycopg2 and end in a traceback)
DATABASE_SCHEMES = {"sqlite": "sqlite", "sqlite+pysqlite": "sqlite+pysqlite", "postgresql": "postgresql+psycopg",
                    "postgres": "postgresql+psycopg", "postgresql+psycopg": "postgresql+psycopg"}


def database_url(text: str) -> str:
    """``text`` with its scheme as the store opens it (``postgres://`` -> ``postgresql+psycopg://``);
    raises ValueError (with ``.vi`` / ``.en``) for a scheme the store does not support."""
    m = re.match(r"^([A-Za-z][\w+.-]*)://", text)
    scheme = DATABASE_SCHEMES.get(m.group(1).lower()) if m else None
    if scheme is None:
        if m:
            raise _Expected(f"cơ sở dữ liệu sqlite:/// hoặc postgresql:// (không hỗ trợ {m.group(1)})",
                            f"a sqlite:/// or postgresql:// database ({m.group(1)} is not supported)")
        raise _Expected("một URL cơ sở dữ liệu sqlite:///đường/dẫn hoặc postgresql://người:…@máy/csdl",
                        "a database URL, sqlite:///path or postgresql://user:…@host/db")
    return scheme + text[m.end(1):]


def _url(text: str) -> str:
    return database_url(text)


def _processor(text: str) -> str:
    if ":" not in text.strip(":"):
        raise _Expected("mô_đun:hàm hoặc /đường/dẫn/tệp.py:hàm",
                        "module:function or /path/file.py:function")
    return text


def _yes_no(text: str) -> bool:
    low = text.lower()
    if low in ("1", "true", "yes", "y", "on", "có"):
        return True
    if low in ("0", "false", "no", "n", "off", "không"):
        return False
    raise _Expected("1 hoặc 0", "1 or 0")


PATH = Kind("path", Path)
TEXT = Kind("text", str)
SHARE = _number(0, 1)


def _var(env: str, kind: Kind, why: str, default: str) -> dict:
    # what every field carries besides its type: the variable, the parser, the README's words
    return {"env": env, "kind": kind, "why": why, "default": default}


@dataclass(frozen=True)
class Settings:
    """What an operator may change without editing code; each field is one ``DTI_*`` variable.

    ``None`` for a folder or the database means "derived from ``var_dir``" at the
    moment it is used (``settings.config``), as before.
    """

    # -- where things are kept ---------------------------------------------------------------
    # one folder for everything written, so a second office copy or a test is one variable away
    var_dir: Path | None = field(default=None, metadata=_var(
        "DTI_VAR_DIR", PATH, "working folder: `dti.sqlite`, `prefect/`, `export/`, `rank/`, `logs/`, "
        "`rulesets/`, the review secret; move it to keep data off the code's disk", "`./var`"))
    # SQLite needs no server; PostgreSQL when several workers or machines share one store
    database_url: str | None = field(default=None, metadata=_var(
        "DTI_DATABASE_URL", Kind("URL", _url), "the store: `sqlite:///path` or "
        "`postgresql://dti:…@db/dti` (read with psycopg 3) for a store shared by several workers",
        "`sqlite:///` + `DTI_VAR_DIR/dti.sqlite`"))
    # communes' files usually arrive on a share mounted somewhere else
    inbox: Path | None = field(default=None, metadata=_var(
        "DTI_INBOX", PATH, "inbox of `dti run`, `dti serve` and the deployed flow when no `--inbox` "
        "is given, e.g. a mounted share", "`DTI_VAR_DIR/inbox`"))
    # saved imports are the office's data, not code: kept apart from rulesets/data
    rulesets_dir: Path | None = field(default=None, metadata=_var(
        "DTI_RULESETS_DIR", PATH, "saved rulesets (`dti rulesets import --save`), used like the "
        "built-in ones", "`DTI_VAR_DIR/rulesets`"))
    # OCR is the slow part; a replayed scan reads the same on every machine (tests, goldens)
    ocr_cache: Path | None = field(default=None, metadata=_var(
        "DTI_OCR_CACHE", PATH, "folder of tesseract's output by page image: a scan read before is "
        "replayed instead of read again (tests; reading the same scans repeatedly)", "none (no cache)"))
    # a tesseract outside PATH, or the fakes the tests use
    tesseract: str | None = field(default=None, metadata=_var(
        "DTI_TESSERACT", PATH, "the tesseract program, when it is not the one on PATH",
        "`tesseract` on PATH"))

    # -- how the pipeline reads ----------------------------------------------------------------
    # named, not passed, so a worker process can import it; tests swap in a stand-in
    processor: str = field(default="pipeline.stages:process_file", metadata=_var(
        "DTI_PROCESSOR", Kind("module:function", _processor), "what reads one report "
        "(`module:function` or `/path/file.py:function`); for tests and experiments",
        "`pipeline.stages:process_file`"))
    # a file still being copied must not be read half-way
    stable_seconds: float = field(default=2.0, metadata=_var(
        "DTI_STABLE_SECONDS", _number(0), "a file is taken once unchanged this long; raise it for "
        "slow copies onto a share", "2"))
    # a hanging reader must not hold the batch
    report_timeout: float = field(default=600.0, metadata=_var(
        "DTI_REPORT_TIMEOUT", _number(0, above=True), "seconds per report; the reading process is "
        "killed after it and the file quarantined", "600"))
    # one reading process per core reads fastest; fewer leaves cores to others
    workers: int = field(default_factory=lambda: os.cpu_count() or 2, metadata=_var(
        "DTI_WORKERS", _number(1, whole=True), "reports read at once, each in its own reading "
        "process; lower it to leave cores free", "CPU count"))
    # threads suffice on one machine; Dask spreads one pass over several
    task_runner: str = field(default="thread", metadata=_var(
        "DTI_TASK_RUNNER", _choice("thread", "dask"), "`dask`: the flow's reports run on "
        "prefect-dask's DaskTaskRunner (a local cluster, or `DTI_DASK_ADDRESS`)", "`thread`"))
    # a scheduler already running on the office's machines
    dask_address: str | None = field(default=None, metadata=_var(
        "DTI_DASK_ADDRESS", TEXT, "a Dask scheduler (`tcp://scheduler:8786`) for `DTI_TASK_RUNNER=dask`",
        "none (a local cluster)"))
    # zip bombs and huge images must kill one reader, not the machine
    worker_memory_mb: int = field(default=4096, metadata=_var(
        "DTI_WORKER_MEMORY_MB", _number(0, whole=True), "address-space cap of a reading process "
        "in MB; 0 = no cap", "4096"))
    # what a reading process allocated for one scan (page images, OpenCV buffers) is not all
    # given back to the system: a fresh process now and then keeps a long batch's memory flat
    reader_max_reports: int = field(default=40, metadata=_var(
        "DTI_READER_MAX_REPORTS", _number(0, whole=True), "a reading process is replaced by a fresh one "
        "after this many reports, so a long batch's memory stays flat; 0 = never", "40"))
    # a reader holds ~75-90 MiB after any report, ~150 once a narrative report made it load
    # spaCy (70 MiB, kept for good).  130 would replace that one, but a fresh reader imports
    # spaCy and rebuilds the matcher's label cache again: Word-heavy batches ran 2x slower
    reader_memory_mb: int = field(default=300, metadata=_var(
        "DTI_READER_MEMORY_MB", _number(0, whole=True), "a reading process still holding more than this "
        "many MiB (resident) after a report is replaced by a fresh one; 0 = never. 130 also replaces a "
        "reader that loaded spaCy for a narrative report (~70 MiB less beside the next scan) at the cost "
        "of speed on Word-heavy batches (pipeline/README.md \"Memory\")", "300"))
    # two readers each reading two pages at once on two cores only doubles the memory
    reader_cores: int = field(default=0, metadata=_var(
        "DTI_READER_CORES", _number(0, whole=True), "pages one reading process reads at once; 0 = the "
        "CPU count shared among the reading processes (`DTI_WORKERS`)", "0 (CPU count ÷ readers)"))

    # -- when a row goes to review instead of a letter (matchers.trust.ReviewConfig) --------
    # a district that wants more or fewer rows checked by hand
    review_confidence: float = field(default=0.6, metadata=_var(
        "DTI_REVIEW_CONFIDENCE", SHARE, "rows read less surely than this go to the review queue "
        "(`low-confidence`); raise it to check more rows by hand", "0.6"))
    review_match: float = field(default=0.6, metadata=_var(
        "DTI_REVIEW_MATCH", SHARE, "rows matched to their indicator less surely than this go to "
        "review", "0.6"))
    # a flag goes to the commune in a letter: it may rest only on figures the machine is sure of
    flag_sure: float = field(default=0.85, metadata=_var(
        "DTI_FLAG_SURE", SHARE, "a score flag is raised only when every figure it rests on is at "
        "least this sure; otherwise it becomes a review item", "0.85"))
    partial_share: float = field(default=0.8, metadata=_var(
        "DTI_PARTIAL_SHARE", SHARE, "below this share of the ruleset's indicators found, the report "
        "is `partially-read` (no score flags, review instead)", "0.8"))
    bad_page: float = field(default=0.7, metadata=_var(
        "DTI_BAD_PAGE", SHARE, "an OCR page whose mean word confidence is below this was read badly, "
        "which makes the report `partially-read`", "0.7"))

    # -- the office ----------------------------------------------------------------------------
    # one office runs one server, so the district is a setting rather than an argument
    district: str = field(default="", metadata=_var(
        "DTI_DISTRICT", TEXT, "the district named in letters and in the ranking's title when "
        "`--district` is not given", "none"))
    # several review servers behind one name must share it; otherwise a kept random key is safer
    secret_key: str | None = field(default=None, repr=False, metadata=_var(
        "DTI_SECRET_KEY", Kind("text", lambda t: t), "the review page's session secret; unset: a random "
        "key kept in `DTI_VAR_DIR/review-secret.key` (0600)", "none (kept key)"))
    # a developer wants the traceback the district official must not see
    debug: bool = field(default=False, metadata=_var(
        "DTI_DEBUG", Kind("1 \\| 0", _yes_no), "`1`: `dti extract` shows the traceback of an "
        "unexpected error instead of one line", "0"))

    # which variables came from the environment (the rest are defaults), for `dti settings`
    from_environment: frozenset[str] = field(default=frozenset(), compare=False, repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "Settings":
        """The settings ``environ`` gives; an empty variable counts as unset.  A bad value
        raises SettingsError naming the first bad variable."""
        values: dict[str, Any] = {}
        for f in variables():
            raw = environ.get(f.metadata["env"])
            if raw is None or not raw.strip():
                continue
            kind: Kind = f.metadata["kind"]
            text = raw if f.name == "secret_key" else raw.strip()    # a secret is used exactly as given
            try:
                values[f.name] = kind.parse(text)
            except _Expected as e:
                raise SettingsError(f.metadata["env"], raw, e.vi, e.en) from None
        return cls(**values, from_environment=frozenset(variables_named(values)))


def variables() -> list:
    """The dataclass fields that are environment variables, in the order of the README table."""
    return [f for f in fields(Settings) if "env" in f.metadata]


def variables_named(names) -> list[str]:
    by_name = {f.name: f.metadata["env"] for f in variables()}
    return [by_name[n] for n in names]


_current: Settings | None = None


def current(refresh: bool = False) -> Settings:
    """The process's settings, read from the environment on first use (or again with refresh)."""
    global _current
    if _current is None or refresh:
        _current = Settings.from_env(os.environ)
    return _current


def reload() -> Settings:
    """Read the environment again (tests that set a variable; `dti` at each start)."""
    return current(refresh=True)


def markdown_table() -> str:
    """The README's table of settings, made from the fields so the two cannot drift."""
    lines = ["| variable | type | default | what it does, and why one would change it |",
             "|---|---|---|---|"]
    for f in variables():
        m = f.metadata
        lines.append(f"| `{m['env']}` | {m['kind'].name} | {m['default']} | {m['why']} |")
    return "\n".join(lines)


if __name__ == "__main__":      # python -m settings.settings: the table to paste into README.md
    sys.stdout.write(markdown_table() + "\n")
