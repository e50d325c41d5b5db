"""The ruleset loader, its schema checks, the Hòa Bình data files and `dti rulesets`."""
from __future__ import annotations

import copy
import json
from collections import Counter
from pathlib import Path

import pytest
import yaml

import rulesets
from rulesets.numbers import vn_number
from rulesets import RulesetError, load, load_file, ruleset_ids

HOABINH = "hoabinh-2023-"

# ---------------------------------------------------------------- every data file


@pytest.mark.parametrize("rid", ruleset_ids())
def test_every_data_file_loads_and_its_sums_check(rid):
    rs = load(rid)
    assert rs.id == rid and rs.indicators and rs.pillars
    codes = [i.code for i in rs.indicators]
    assert len(codes) == len(set(codes))
    excused = " ".join(rs.notes)
    for p in rs.pillars:
        if p.max_points is None:
            continue
        got = sum(i.max_points or 0 for i in rs.scorable() if i.pillar == p.code)
        # a mismatch is only accepted when the file says why (the note lands in Ruleset.notes)
        assert got == pytest.approx(p.max_points) or f"Trụ cột {p.code}" in excused or p.code in excused
    if rs.total is not None:
        assert sum(p.max_points or 0 for p in rs.pillars) == pytest.approx(rs.total) or excused
    for i in rs.indicators:
        assert i.kind in rulesets.RULE_KINDS
        assert i.max_points is not None or i.heading or i.note


def test_schema_knows_every_rule_kind_of_the_model():
    from rulesets.schema import RULE_PARAMS
    assert set(RULE_PARAMS) == set(rulesets.RULE_KINDS)


def test_load_is_cached():
    rid = ruleset_ids()[0]
    assert load(rid) is load(rid)


# ---------------------------------------------------------------- Hòa Bình (seed 001, Điều 1 and part IV)

# indicators per pillar as the decision's structure tables (part IV.1-3) print them
SEED_STRUCTURE = {
    "xa": [6, 5, 10, 4, 4, 9, 6, 4],
    "huyen": [7, 5, 10, 7, 8, 14, 6, 4],
    "so": [4, 4, 5, 3, 9, 14],
}
SEED_PILLAR_MAX = {
    "xa": [100, 100, 120, 100, 100, 280, 100, 100],
    "huyen": [100, 100, 100, 100, 100, 300, 100, 100],
    "so": [100, 100, 100, 100, 100, 500],
}


@pytest.mark.parametrize("level,count", [("xa", 48), ("huyen", 61), ("so", 39)])
def test_hoabinh_sets_match_the_decision(level, count):
    rs = load(HOABINH + level)
    assert (rs.province, rs.level, rs.year, rs.total) == ("Hòa Bình", level, 2023, 1000)
    assert len(rs.scorable()) == count
    per_pillar = Counter(i.pillar for i in rs.scorable())
    assert [per_pillar[p.code] for p in rs.pillars] == SEED_STRUCTURE[level]
    assert [p.max_points for p in rs.pillars] == SEED_PILLAR_MAX[level]
    assert "1153/QĐ-UBND" in rs.header_words
    # codes are printed "pillar.n", numbered from 1 without gaps
    for p in rs.pillars:
        nums = [int(i.code.split(".")[1]) for i in rs.scorable() if i.pillar == p.code]
        assert nums == list(range(1, len(nums) + 1))


def test_hoabinh_so_records_the_unprinted_maximum():
    rs = load(HOABINH + "so")
    i = rs.indicator("6.14")
    assert i.max_points is None and i.note
    assert any("6.14" in n for n in rs.notes)


def test_hoabinh_rules_follow_the_seed_wording():
    xa, huyen, so = (load(HOABINH + lv) for lv in ("xa", "huyen", "so"))
    assert xa.indicator("3.4").rule == {"kind": "rate_threshold", "threshold": 0.85}
    assert xa.indicator("3.5").rule == {"kind": "rate_threshold", "threshold": 0.75}
    assert xa.indicator("1.1").rule["fact"] == "leader"
    assert {o["key"]: o["fraction"] for o in xa.indicator("1.1").rule["options"]} == {
        "chair": 1, "deputy": 0.5, "none": 0}
    assert xa.indicator("3.8").rule["fact"] == "count"
    assert xa.indicator("1.5").rule["fact"] == "per_month"
    assert set(xa.indicator("3.9").needs) == {"one_stop_wifi", "other_points"}
    # the DVCTT substitution touches only pillar 6 ("thuộc chỉ số Hoạt động chính quyền số")
    for rs in (xa, huyen, so):
        dv = [i for i in rs.indicators if i.kind == "dvctt_substitution"]
        assert dv and all(i.pillar == "6" for i in dv)
    assert xa.indicator("6.3").kind == "dvctt_substitution"
    # Min-Max: huyện 5.8 on the money spent, sở 4.1 on the rate
    assert huyen.indicator("5.8").rule["value"] == "amount"
    assert so.indicator("4.1").kind == "minmax"
    assert not [i for i in xa.indicators if i.kind == "minmax"]
    assert huyen.indicator("3.1").kind == "weighted"


SEEDS = Path("/work/shared/seeds")
SEED_OF = {"hoabinh": "001", "hungyen": "002", "phutho": "000", "thuathienhue": "004", "dienbien": "003"}


@pytest.mark.skipif(not SEEDS.exists(), reason="seeds not available")
def test_aliases_are_the_decisions_wording():
    """An alias is a phrase of the province's decision (abbreviations expanded, accents and
    punctuation aside) or a part of the indicator's own name, never a report's paraphrase:
    matching generalises through normalisation, not through remembered labels."""
    import re

    from matchers.normalize import fold
    from rulesets.loader import all_rulesets
    for rs in all_rulesets():
        seed = next(SEEDS.glob(SEED_OF[rs.id.split("-")[0]] + "_*.txt"))
        text = " " + fold(re.sub(r"<[^>]+>", " ", seed.read_text(encoding="utf-8"))) + " "
        for ind in rs.indicators:
            for a in ind.aliases:
                k = fold(a)
                assert f" {k} " in text or f" {k} " in f" {fold(ind.name)} ", (rs.id, ind.code, a)
    # abbreviations still reach the decision's words: "Trang TTĐT", "CĐS", "DVCTT"
    assert fold("Tỷ lệ DVCTT") == fold("Tỷ lệ dịch vụ công trực tuyến")


# ---------------------------------------------------------------- bad files are rejected

GOOD = {
    "id": "bad",
    "title": "Bộ thử",
    "province": "Thử",
    "level": "xa",
    "year": 2024,
    "total": 30,
    "pillars": [{"code": "1", "name": "Nhận thức số", "max_points": 30}],
    "indicators": [
        {"code": "1.1", "pillar": "1", "name": "Tỷ lệ A", "max_points": 10,
         "rule": {"kind": "rate_threshold", "threshold": 0.85}, "needs": ["ratio"]},
        {"code": "1.2", "pillar": "1", "name": "Có B", "max_points": 20,
         "rule": {"kind": "yes_no"}, "needs": ["answer"]},
    ],
}


def write(tmp_path, data, name="bad"):
    data = copy.deepcopy(data)
    data["id"] = name
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def rejected(tmp_path, data) -> str:
    with pytest.raises(RulesetError) as e:
        load_file(write(tmp_path, data))
    return str(e.value)


def test_the_good_file_loads(tmp_path):
    rs = load_file(write(tmp_path, GOOD, "good"))
    assert [i.code for i in rs.indicators] == ["1.1", "1.2"] and rs.total == 30


def test_unknown_rule_kind(tmp_path):
    d = copy.deepcopy(GOOD)
    d["indicators"][1]["rule"] = {"kind": "percent"}
    msg = rejected(tmp_path, d)
    assert "bad.yaml" in msg and "1.2" in msg and "rule.kind" in msg and "percent" in msg


def test_duplicate_code(tmp_path):
    d = copy.deepcopy(GOOD)
    d["indicators"][1]["code"] = "1.1"
    msg = rejected(tmp_path, d)
    assert "bad.yaml" in msg and "1.1" in msg and "trùng" in msg


def test_pillar_sum_off(tmp_path):
    d = copy.deepcopy(GOOD)
    d["indicators"][1]["max_points"] = 25
    d["total"] = 30
    msg = rejected(tmp_path, d)
    assert "trụ cột 1" in msg and "max_points" in msg and "35" in msg
    d["pillars"][0]["sum_note"] = "nguồn in 25 cho 1.2 nhưng trụ cột 30"
    rs = load_file(write(tmp_path, d))
    assert any("nguồn in 25" in n for n in rs.notes)


def test_total_off_needs_allow_and_note(tmp_path):
    d = copy.deepcopy(GOOD)
    d["total"] = 100
    assert "total" in rejected(tmp_path, d)
    d["allow_sum_mismatch"] = ["total"]
    assert "sum_note" in rejected(tmp_path, d)
    d["sum_note"] = "bảng cấu trúc in 100"
    assert load_file(write(tmp_path, d)).total == 100


def test_missing_max_without_note(tmp_path):
    d = copy.deepcopy(GOOD)
    d["indicators"][0]["max_points"] = None
    d["pillars"][0]["sum_note"] = "1.1 không in điểm"
    msg = rejected(tmp_path, d)
    assert "1.1" in msg and "max_points" in msg and "note" in msg
    d["indicators"][0]["note"] = "nguồn không in điểm tối đa"
    assert load_file(write(tmp_path, d)).indicator("1.1").max_points is None


@pytest.mark.parametrize("where,value", [
    ("threshold", 85),
    ("band", 1.5),
    ("option", 2),
])
def test_fraction_above_one(tmp_path, where, value):
    d = copy.deepcopy(GOOD)
    rule = {
        "threshold": {"kind": "rate_threshold", "threshold": value},
        "band": {"kind": "bands", "bands": [{"min": value, "points": "max"}]},
        "option": {"kind": "options", "options": [{"key": "a", "match": ["A"], "fraction": value}]},
    }[where]
    d["indicators"][0]["rule"] = rule
    msg = rejected(tmp_path, d)
    assert "1.1" in msg and "0..1" in msg and str(value) in msg


@pytest.mark.parametrize("mutate,expect", [
    (lambda d: d["indicators"][0].update(maxpoints=10), "maxpoints"),
    (lambda d: d["indicators"][0].pop("name"), "name"),
    (lambda d: d["indicators"][0].update(pillar="9"), "pillar"),
    (lambda d: d["indicators"][0].update(code=1.1), "code"),
    (lambda d: d["indicators"][0].update(rule={"kind": "tiers", "tiers": [{"min": 1, "fraction": 1}]}), "rule.fact"),
    (lambda d: d["indicators"][0].update(rule={"kind": "sum", "parts": [
        {"share": 0.5, "rule": {"kind": "yes_no"}}, {"share": 0.3, "rule": {"kind": "yes_no"}}]}), "rule.parts"),
    (lambda d: d["indicators"][0].update(rule={"kind": "dvctt_substitution", "rule": {"kind": "rat"}}), "rule.rule.kind"),
    (lambda d: d.update(level="tinh"), "level"),
])
def test_schema_mistakes_name_the_field(tmp_path, mutate, expect):
    d = copy.deepcopy(GOOD)
    mutate(d)
    msg = rejected(tmp_path, d)
    assert msg.startswith("bad.yaml:") and expect in msg


def test_yaml_syntax_error_names_the_file(tmp_path):
    p = tmp_path / "broken.yaml"
    p.write_text("id: broken\npillars: [\n", encoding="utf-8")
    with pytest.raises(RulesetError, match="broken.yaml"):
        load_file(p)


def test_unknown_id_lists_the_known_ones():
    with pytest.raises(RulesetError) as e:
        load("atlantis-1999-xa")
    assert HOABINH + "xa" in str(e.value)


# ---------------------------------------------------------------- dti rulesets


def test_cli_list_prints_each_id_with_its_total(capsys):
    from commands.cli import main
    assert main(["rulesets", "list"]) == 0
    out = capsys.readouterr().out
    lines = {ln.split()[0]: ln for ln in out.splitlines() if ln.strip()}
    for rid in ruleset_ids():
        rs = load(rid)
        assert rid in lines
        total = "-" if rs.total is None else vn_number(rs.total)     # 1.000: the one Vietnamese format
        assert total in lines[rid].split() and str(len(rs.scorable())) in lines[rid].split()


def test_cli_show_json_and_unknown_id(capsys):
    from commands.cli import main
    assert main(["rulesets", "show", HOABINH + "xa", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 48 and set(rows[0]) == {"code", "pillar", "name", "max_points", "rule"}
    assert sum(r["max_points"] for r in rows) == 1000
    assert main(["rulesets", "show", HOABINH + "xa"]) == 0
    assert "rate_threshold" not in capsys.readouterr().out  # the table shows readable summaries
    assert main(["rulesets", "show", "nowhere"]) == 2
    err = capsys.readouterr().err
    assert "nowhere" in err and HOABINH + "huyen" in err
