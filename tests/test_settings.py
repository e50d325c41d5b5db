"""One settings object: typed values from the environment, a bad value in one line, `dti settings`
without secrets, the matchers' threshold following its variable, the README table kept equal."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import rulesets
from matchers import match
from settings import settings
from settings.settings import Settings, SettingsError
from test_matchers_flags import _ocr_doc     # the same planted OCR table

ROOT = Path(__file__).resolve().parents[1]
DTI = str(Path(sys.executable).parent / "dti")


def _dti(tmp_path, *args, **env):
    e = {k: v for k, v in os.environ.items() if not k.startswith("DTI_")}
    e.update({"DTI_VAR_DIR": str(tmp_path / "var"), **env})
    return subprocess.run([DTI, *args], env=e, capture_output=True, text=True, timeout=120)


def test_from_env_gives_typed_values_and_says_which_came_from_it():
    s = Settings.from_env({"DTI_WORKERS": "3", "DTI_REVIEW_CONFIDENCE": " 0.9 ", "DTI_VAR_DIR": "/srv/dti",
                           "DTI_TASK_RUNNER": "Dask", "DTI_WORKER_MEMORY_MB": "0", "DTI_DEBUG": "1",
                           "DTI_DISTRICT": " Lâm Thao ", "DTI_STABLE_SECONDS": "0", "HOME": "/root"})
    assert s.workers == 3 and isinstance(s.workers, int)
    assert s.review_confidence == 0.9 and s.stable_seconds == 0.0
    assert s.var_dir == Path("/srv/dti") and s.task_runner == "dask" and s.worker_memory_mb == 0
    assert s.debug is True and s.district == "Lâm Thao"
    assert s.from_environment == {"DTI_WORKERS", "DTI_REVIEW_CONFIDENCE", "DTI_VAR_DIR", "DTI_TASK_RUNNER",
                                  "DTI_WORKER_MEMORY_MB", "DTI_DEBUG", "DTI_DISTRICT", "DTI_STABLE_SECONDS"}
    with pytest.raises(AttributeError):         # frozen: nobody changes a setting behind the others' back
        s.workers = 4


def test_unset_and_empty_variables_are_the_defaults():
    s = Settings.from_env({"DTI_WORKERS": "", "DTI_DATABASE_URL": "  "})
    assert s == Settings() and not s.from_environment
    assert (s.report_timeout, s.worker_memory_mb, s.review_confidence, s.flag_sure) == (600.0, 4096, 0.6, 0.85)
    assert s.database_url is None and s.var_dir is None and s.workers == (os.cpu_count() or 2)


@pytest.mark.parametrize("name, value", [
    ("DTI_WORKERS", "abc"), ("DTI_WORKERS", "0"), ("DTI_WORKERS", "2.5"), ("DTI_WORKER_MEMORY_MB", "-1"),
    ("DTI_REPORT_TIMEOUT", "0"), ("DTI_STABLE_SECONDS", "nan"), ("DTI_REVIEW_CONFIDENCE", "1.5"),
    ("DTI_FLAG_SURE", "cao"), ("DTI_TASK_RUNNER", "celery"), ("DTI_DEBUG", "maybe"),
    ("DTI_PROCESSOR", "pipeline.stages"), ("DTI_DATABASE_URL", "dti.sqlite"),
])
def test_a_bad_value_is_one_bilingual_line_naming_it(name, value):
    with pytest.raises(SettingsError) as e:
        Settings.from_env({name: value})
    line = str(e.value)
    assert "\n" not in line and f"{name}={value}" in line
    assert "Lỗi cấu hình" in line and "Settings error" in line and " / " in line
    assert e.value.variable == name


def test_a_bad_database_url_is_named_without_its_password():
    with pytest.raises(SettingsError) as e:
        Settings.from_env({"DTI_DATABASE_URL": "postgresql+psycopg//u:secretpw@host/db"})
    assert "DTI_DATABASE_URL" in str(e.value) and "secretpw" not in str(e.value)


def test_current_is_cached_until_reload(monkeypatch):
    first = settings.current()
    monkeypatch.setenv("DTI_WORKERS", "7")
    assert settings.current() is first             # read once, not at every use
    assert settings.reload().workers == 7 and settings.current().workers == 7
    assert settings.current(refresh=True) is not first


def test_dti_settings_hides_the_password_and_the_secret(tmp_path):
    r = _dti(tmp_path, "settings", DTI_DATABASE_URL="postgresql+psycopg://u:secretpw@host/db",
             DTI_SECRET_KEY="k" * 48, DTI_WORKERS="3")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "secretpw" not in out and "k" * 48 not in out
    assert "postgresql+psycopg://u:***@host/db" in out
    lines = {line.split()[0]: line for line in out.splitlines()[1:] if line.startswith("  DTI_")}
    assert set(lines) == {f.metadata["env"] for f in settings.variables()}
    assert "3" in lines["DTI_WORKERS"].split() and "environment" in lines["DTI_WORKERS"]
    assert "default" in lines["DTI_REPORT_TIMEOUT"] and "600" in lines["DTI_REPORT_TIMEOUT"].split()
    assert " set " in lines["DTI_SECRET_KEY"] + " "
    assert str((tmp_path / "var").resolve()) in lines["DTI_VAR_DIR"]
    assert "Cấu hình" in out.splitlines()[0] and "settings" in out.splitlines()[0]


def test_dti_settings_json_names_the_kept_secret_file(tmp_path):
    r = _dti(tmp_path, "settings", "--json")
    assert r.returncode == 0, r.stderr
    rows = {d["variable"]: d for d in json.loads(r.stdout)}
    assert rows["DTI_SECRET_KEY"]["value"].startswith("not set (kept in ")
    assert rows["DTI_SECRET_KEY"]["value"].endswith("review-secret.key)")
    assert rows["DTI_VAR_DIR"]["source"] == "environment" and rows["DTI_WORKERS"]["source"] == "default"
    assert rows["DTI_DATABASE_URL"]["value"].startswith("sqlite:///") and rows["DTI_DATABASE_URL"]["value"].endswith(
        "dti.sqlite")


@pytest.mark.parametrize("command", [["settings"], ["run", "--inbox", "nowhere"], ["rulesets", "list"]])
def test_a_bad_value_stops_dti_with_exit_2_and_one_line(tmp_path, command):
    r = _dti(tmp_path, *command, DTI_WORKERS="abc")
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "DTI_WORKERS=abc" in lines[0], r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""


def test_the_review_threshold_the_matchers_use_follows_its_variable(monkeypatch):
    from review.config import ReviewConfig as PageConfig
    ruleset = rulesets.load("hungyen-2024-xa")

    def queued() -> int:
        report = match(_ocr_doc(ruleset, weak_row=3), ruleset_id="hungyen-2024-xa")
        return sum(1 for f in report.flags if f.code == "low-confidence")

    assert queued() == 1                            # the 0.35 row only, under the default 0.6
    monkeypatch.setenv("DTI_REVIEW_CONFIDENCE", "0.97")
    settings.reload()
    assert queued() == 8                            # the 0.95 rows are below 0.97 too
    assert PageConfig().low_confidence == 0.97      # and the review page shows them as unsure


def test_the_readme_table_is_the_settings_dataclass():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert settings.markdown_table() in readme, \
        "README.md's Settings table differs from the dataclass: paste `python -m settings.settings`"
    listed = re.findall(r"^\| `(DTI_[A-Z_]+)` \|", readme, re.M)
    assert listed == [f.metadata["env"] for f in settings.variables()]


def test_no_module_but_settings_reads_a_dti_variable():
    reads = re.compile(r"""(environ\.get\(|environ\[|getenv\()\s*["']DTI_""")
    found = [f"{p.relative_to(ROOT)}:{n}" for pkg in ("extractors", "matchers", "rulesets", "scoring", "pipeline",
                                                       "review")
             for p in sorted((ROOT / pkg).rglob("*.py")) if p.name != "settings.py"
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if reads.search(line)]
    assert found == []


@pytest.mark.parametrize("url", ["mysql://u:secretpw@host/db", "oracle://host/db", "postgresql+psycopg2://h/db",
                                 "garbage", "mssql+pyodbc://h/db"])
def test_an_unsupported_database_is_one_bilingual_line_and_exit_2(tmp_path, url):
    r = _dti(tmp_path, "export", "--format", "json", DTI_DATABASE_URL=url)
    assert r.returncode == 2 and r.stdout == ""
    line = r.stderr.strip()
    assert "\n" not in line and "Traceback" not in r.stderr and "secretpw" not in line
    assert "Lỗi cấu hình: DTI_DATABASE_URL=" in line and "Settings error" in line
    assert "sqlite" in line and "postgresql://" in line      # the supported ones, named


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_a_bare_postgresql_url_is_read_with_psycopg_3(tmp_path, pg_server, scheme):
    url = pg_server.create_database(f"dti_bare_{scheme}")
    bare = url.replace("postgresql+psycopg://", f"{scheme}://")
    assert Settings.from_env({"DTI_DATABASE_URL": bare}).database_url == url
    r = _dti(tmp_path, "export", "--format", "json", DTI_DATABASE_URL=bare)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == [] and "psycopg2" not in r.stderr
    from store.store import Store
    store = Store(bare)         # an option given to the code, not the variable, reads it the same way
    try:
        assert store.engine.dialect.driver == "psycopg" and store.reports() == []
    finally:
        store.close()


def test_the_db_option_is_read_like_the_variable(tmp_path, pg_server):
    r = subprocess.run([DTI, "user", "add", "kiemtra", "--password-stdin", "--db", "mysql://u:secretpw@h/db"],
                       input="mat-khau-thu-nghiem\n", capture_output=True, text=True, timeout=120,
                       env={**os.environ, "DTI_VAR_DIR": str(tmp_path / "var")})
    assert r.returncode == 2 and "Traceback" not in r.stderr and "secretpw" not in r.stderr
    assert "không hỗ trợ mysql" in r.stderr and "postgresql://" in r.stderr
    bare = pg_server.create_database("dti_bare_option").replace("postgresql+psycopg://", "postgresql://")
    r = subprocess.run([DTI, "user", "add", "kiemtra", "--password-stdin", "--db", bare],
                       input="mat-khau-thu-nghiem\n", capture_output=True, text=True, timeout=120,
                       env={**os.environ, "DTI_VAR_DIR": str(tmp_path / "var")})
    assert r.returncode == 0 and "psycopg2" not in r.stderr, r.stderr
