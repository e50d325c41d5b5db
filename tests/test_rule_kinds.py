"""rulesets.kinds: every rule kind is one module with its five parts, and the registry is the
only place a kind is defined; the kinds the importer used to leave manual (weighted parts,
numbered options plus tiers, categorical answers) are read from decisions' own wording."""
import importlib
import pkgutil
import re

import pytest

import rulesets.kinds as kinds
from rulesets import all_rulesets, load
from decision_import.diff import same_rule
from decision_import.methods import recognise
from rulesets.model import Indicator
from rulesets.schema import Ctx, RulesetError
from scoring import compute_points
from scoring.rules import figures_present

VI = re.compile(r"[Đđàáảãạăắằẳẵặâấầẩẫậèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]")


def _every_rule():
    """Every rule of the seven rulesets and their parts, as the files write them."""
    def walk(r):
        yield r
        for p in r.get("parts") or ():
            yield from walk(p["rule"])
        if isinstance(r.get("rule"), dict):
            yield from walk(r["rule"])
    for rs in all_rulesets():
        for i in rs.indicators:
            yield from walk(i.rule.to_dict())


def test_every_kind_module_in_the_package_is_registered_with_its_five_parts():
    modules = {name for _, name, _ in pkgutil.iter_modules(kinds.__path__)}
    kind_modules = {m for m in modules if hasattr(importlib.import_module(f"rulesets.kinds.{m}"), "KIND")}
    assert {importlib.import_module(f"rulesets.kinds.{m}").KIND for m in kind_modules} == set(kinds.KINDS)
    assert len(kinds.KINDS) == 13
    for kind, mod in kinds.KINDS.items():
        missing = [p for p in kinds.PARTS + ("REQUIRED", "OPTIONAL", "present", "summary") if not hasattr(mod, p)]
        assert not missing, (kind, missing)
        assert mod.Params.KIND == kind and callable(mod.validate) and callable(mod.score)
        assert all(stage in ("whole", "parts", "clauses") and callable(fn) for stage, _, fn in mod.READERS)


def test_every_kind_is_used_by_a_ruleset_or_read_from_a_decision():
    used = {kinds.kind_of(r) for r in _every_rule()}
    readable = {k for k, m in kinds.KINDS.items() if m.READERS}
    assert used | readable == set(kinds.KINDS)


def test_every_rule_round_trips_and_describes_itself_in_vietnamese():
    seen = set()
    for d in _every_rule():
        p = kinds.parse(d)
        assert p.to_dict() == d and kinds.parse(p.to_dict()).to_dict() == d
        assert p == d and dict(p)["kind"] == d["kind"]       # reads like the file's mapping
        lines = kinds.describe(p)
        assert lines and all(isinstance(x, str) and x.strip() for x in lines)
        assert VI.search(" ".join(lines)), (d, lines)
        assert kinds.summary(p)
        seen.add(p.kind)
    assert len(seen) >= 11


def test_loaded_indicators_carry_typed_rules():
    ind = load("hoabinh-2023-xa").indicator("1.3")
    assert isinstance(ind.rule, kinds.Params) and ind.kind == "sum"
    assert ind.rule.parts[1].rule.tiers[0].min == 12 and ind.rule["parts"][0]["share"] == 0.5


@pytest.mark.parametrize("rule, msg", [
    ({"kind": "weighted", "parts": [{"weight": 0.5, "rule": {"kind": "rate"}}]}, "tổng weight"),
    ({"kind": "options", "options": [{"key": "a", "fraction": 1.5}]}, "tỷ lệ 0..1"),
    ({"kind": "bogus"}, "loại quy tắc không biết"),
    ({"kind": "tiers", "fact": "count", "tiers": [{"min": 1, "fraction": 0.5}, {"min": 5, "fraction": 1}]},
     "từ cao xuống thấp"),
])
def test_validation_names_the_file_the_field_and_the_problem(rule, msg, tmp_path):
    with pytest.raises(RulesetError) as e:
        kinds.check(Ctx(tmp_path / "x.yaml", "chỉ số 1.1"), rule)
    assert str(e.value).startswith("x.yaml: chỉ số 1.1, trường rule") and msg in str(e.value)


# ---------------------------------------------------------------- weighted parts

# Hòa Bình 1153/QĐ-UBND, Phụ lục I, 3.1 (the "+" the seed's text copy lost, restored)
HB_31 = ("a = Số lượng máy tính cấp cho cán bộ, công chức (CBCC). b = Số lượng máy tính cấp cho viên chức (VC) "
         "c = Tổng số CBCC. d = Tổng số VC. Điểm 1 = (a/c)* 3/4* Điểm tối đa; Điểm 2 = (b/d)*1/4*Điểm tối đa. "
         "Tổng điểm = Điểm 1 + Điểm 2. Ghi chú: Với đơn vị không có Viên chức: Điểm = (a/c) * Điểm tối đa.")


@pytest.mark.parametrize("text", [
    HB_31,
    "a = Số CBCC có máy tính; b = Số VC có máy tính; c = Tổng số CBCC; d = Tổng số VC; "
    "Điểm 1 = 3/4 × (a/c) × Điểm tối đa; Điểm 2 = 1/4 × (b/d) × Điểm tối đa; Điểm = Điểm 1 + Điểm 2",
])
def test_weighted_parts_are_read_with_each_parts_formula(text):
    rule = recognise(text, 20)
    assert rule["kind"] == "weighted" and [p["weight"] for p in rule["parts"]] == [0.75, 0.25]
    assert [p["rule"]["rate"] for p in rule["parts"]] == ["a / c", "b / d"]
    ind = Indicator("3.1", "3", "Máy tính", 20, kinds.parse(kinds.check(Ctx(__import__("pathlib").Path("d.yaml"), "3.1"), rule)))
    # 3/4 × 30/40 × 20 + 1/4 × 5/10 × 20; the row's own printed rate is the whole's, not a part's
    assert compute_points(ind, {"a": 30, "b": 5, "c": 40, "d": 10, "ratio": 0.9}) == 13.75
    # no viên chức: the decision's note, Điểm = (a/c) × Điểm tối đa
    assert compute_points(ind, {"a": 30, "b": 0, "c": 40, "d": 0}) == 15.0
    assert compute_points(ind, {"ratio": 0.9}) is None and not figures_present(ind.rule, {"ratio": 0.9})


def test_weighted_parts_with_the_sign_lost_stay_manual():
    assert recognise(HB_31.replace("Điểm 1 + Điểm 2", "Điểm 1 Điểm 2"), 20)["kind"] == "manual"


# ---------------------------------------------------------------- options plus tiers

# Hòa Bình 1153/QĐ-UBND, Phụ lục III, 1.3, as printed
HB_13 = ("(1) Điểm Chuyên mục: Có chuyên mục riêng: 1/2*Điểm tối đa Liên kết về Trang chuyển đổi số của tỉnh "
         "(chuyendoiso.hoabinh.gov.vn): 1/4*Điểm tối đa Chưa có chuyên mục riêng: 0 điểm (2) Số lượng tin bài: "
         "Từ 12 tin, bài trở lên: 1/2*Điểm tối đa Từ 6 đến 11 tin, bài: 1/4*Điểm tối đa Dưới 6 tin, bài: không có "
         "điểm - Điểm=(1) (2)")


def test_numbered_options_plus_tiers_read_as_the_hand_written_rule():
    rule = recognise(HB_13, 20)
    assert rule["kind"] == "sum" and [kinds.kind_of(p["rule"]) for p in rule["parts"]] == ["options", "tiers"]
    assert same_rule(rule, load("hoabinh-2023-xa").indicator("1.3").rule)
    ind = Indicator("1.3", "1", "Chuyên mục", 20, kinds.parse(rule))
    assert compute_points(ind, {"section": "own", "articles": 14}) == 20.0
    assert compute_points(ind, {"section": "link", "articles": 8}) == 10.0      # 1/4 + 1/4
    assert compute_points(ind, {"section": "none", "articles": 3}) == 0.0
    assert compute_points(ind, {"section": "own"}) is None                       # the count unread: not 0


def test_numbered_parts_whose_shares_do_not_close_stay_manual():
    text = HB_13.replace("Từ 12 tin, bài trở lên: 1/2*Điểm tối đa", "Từ 12 tin, bài trở lên: 1/3*Điểm tối đa")
    assert recognise(text, 20)["kind"] == "manual"


# ---------------------------------------------------------------- categorical answers

# Thừa Thiên Huế, 5.23 "Phần mềm quản lý hồ sơ cán bộ công chức": the answers the decision lists
TTH_523 = ("Cập nhật đầy đủ thông tin: Điểm tối đa; Cập nhật chưa đầy đủ thông tin: 1/2*Điểm tối đa; "
           "Chưa cập nhật: 0 điểm")


def test_categorical_answers_each_with_its_share():
    rule = recognise(TTH_523, 20)
    assert rule["kind"] == "options" and sorted(o["fraction"] for o in rule["options"]) == [0.0, 0.5, 1.0]
    ind = Indicator("5.23", "5", "Phần mềm hồ sơ CBCC", 20, kinds.parse(rule))
    assert compute_points(ind, {"answer": "Đã cập nhật đầy đủ thông tin"}) == 20.0
    # the longer answer wins: "chưa đầy đủ" is not read as "đầy đủ"
    assert compute_points(ind, {"answer": "Cập nhật chưa đầy đủ thông tin"}) == 10.0
    assert compute_points(ind, {"answer": "Chưa cập nhật"}) == 0.0
    assert compute_points(ind, {"answer": "Đang triển khai"}) is None            # not one of the answers


@pytest.mark.parametrize("text", [
    "- Điểm = Số kênh* 10 điểm - Tổng điểm không quá điểm tối đa",      # a computation, not answers
    "Đã triển khai: Điểm tối đa; Đã triển khai: 1/2*Điểm tối đa; Chưa: 0 điểm",   # one answer, two shares
])
def test_what_is_not_a_choice_between_answers_stays_manual(text):
    assert recognise(text, 20)["kind"] == "manual", recognise(text, 20)


def test_the_kinds_import_only_the_ruleset_model():
    """The kinds are part of the ruleset model, below matchers and scoring."""
    import ast
    from pathlib import Path
    below = ("rulesets.kinds", "rulesets.schema", "rulesets.formula", "rulesets.vocab", "rulesets.model")
    for path in Path(kinds.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
            for n in names:
                assert not n.startswith(("extractors", "matchers", "scoring", "pipeline", "review")), (path.name, n)
                assert not n.startswith("rulesets") or n.startswith(below) or n == "rulesets", (path.name, n)
