"""The surroundings fail in one line (Vietnamese and English), never a traceback, nothing written."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from localhost import free_port

DTI = str(Path(sys.executable).parent / "dti")


def _dti(tmp_path, *args, **env):
    e = {**os.environ, "DTI_VAR_DIR": str(tmp_path / "var"), **env}
    e.pop("PREFECT_API_URL", None)
    return subprocess.run([DTI, *args], env=e, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("command", ["run", "serve"])
def test_a_missing_inbox_is_named_not_created(tmp_path, command):
    inbox = tmp_path / "hop-thu"
    r = _dti(tmp_path, command, "--inbox", str(inbox))
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and str(inbox) in lines[0]
    assert "không có thư mục hộp thư đến" in lines[0] and "no inbox folder" in lines[0]
    assert not inbox.exists()


@pytest.mark.parametrize("args", [["run"], ["export", "--format", "json"], ["rank", "--year", "2024"]])
def test_an_unreachable_database_is_one_line_with_the_password_hidden(tmp_path, args):
    (tmp_path / "inbox").mkdir()
    url = f"postgresql+psycopg://dti:bi-mat@127.0.0.1:{free_port()}/dti"
    extra = ["--inbox", str(tmp_path / "inbox")] if args == ["run"] else []
    r = _dti(tmp_path, *args, *extra, DTI_DATABASE_URL=url)
    assert r.returncode == 3, r.stderr[-2000:]
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr[-2000:]
    assert "không kết nối được cơ sở dữ liệu" in lines[0] and "cannot reach the database" in lines[0]
    assert "bi-mat" not in lines[0] and "dti:***@" in lines[0]
    assert "Traceback" not in r.stderr
