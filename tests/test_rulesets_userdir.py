"""The user's rulesets folder (DTI_RULESETS_DIR): a saved ruleset is used like a built-in one."""
from __future__ import annotations

import shutil

import pytest

from settings import settings
from rulesets import loader


@pytest.fixture
def user_dir(tmp_path, monkeypatch):
    monkeypatch.setenv(loader.USER_DIR_ENV, str(tmp_path))
    settings.reload()
    loader.load.cache_clear()
    yield tmp_path
    loader.load.cache_clear()


def _copy_as(src_id: str, new_id: str, folder) -> None:
    text = (loader.DATA_DIR / f"{src_id}.yaml").read_text(encoding="utf-8")
    (folder / f"{new_id}.yaml").write_text(text.replace(f"id: {src_id}", f"id: {new_id}"), encoding="utf-8")


def test_a_saved_ruleset_is_listed_loaded_and_matched(user_dir):
    _copy_as("hungyen-2024-xa", "hungyen-2026-xa", user_dir)
    assert "hungyen-2026-xa" in loader.ruleset_ids()
    rs = loader.load("hungyen-2026-xa")
    assert rs.total == 1000 and len(rs.scorable()) == 40
    assert "hungyen-2026-xa" in [r.id for r in loader.all_rulesets()]


def test_built_in_wins_over_a_user_file_with_the_same_id(user_dir):
    shutil.copy(loader.DATA_DIR / "phutho-2022-xa.yaml", user_dir / "hungyen-2024-xa.yaml")
    assert loader.ruleset_path("hungyen-2024-xa") == loader.DATA_DIR / "hungyen-2024-xa.yaml"
    assert loader.load("hungyen-2024-xa").province == "Hưng Yên"


def test_without_the_setting_the_folder_is_var_rulesets(monkeypatch, tmp_path):
    monkeypatch.delenv(loader.USER_DIR_ENV, raising=False)
    monkeypatch.setenv("DTI_VAR_DIR", str(tmp_path))
    settings.reload()
    assert loader.user_dir() == (tmp_path / "rulesets").resolve()
