"""Rules as data: declared rate formulas (rulesets.formula), their schema checks, and
scoring from the lettered values a report prints."""
from pathlib import Path

import pytest

from matchers.answers import extract_facts, lettered_values
from rulesets.formula import FormulaError, evaluate, names, parse, rate_counts
from rulesets.loader import all_rulesets, load
from rulesets.schema import Ctx, RulesetError, check_note_formula, check_rule
from scoring.rules import compute_points, figures_present

CTX = Ctx(Path("x.yaml"), "chỉ số 9.9")


def test_parse_and_evaluate():
    assert evaluate(parse("(c + d) / (a + b)"), {"a": 15, "b": 20, "c": 12, "d": 20}) == pytest.approx(32 / 35)
    assert evaluate(parse("(a + b / 2) / c"), {"a": 4, "b": 2, "c": 10}) == pytest.approx(0.5)
    assert evaluate(parse("-a * 2 - 1"), {"a": 3}) == -7
    assert names(parse("(a+b+c+d)/(e+f)")) == set("abcdef")
    assert evaluate(parse("a / b"), {"a": 1, "b": 0}) is None          # no division by zero
    assert evaluate(parse("a / b"), {"a": 1}) is None                  # a missing input
    assert rate_counts("(b + c) / a", {"a": 1250, "b": 310, "c": 650}) == (960, 1250)


@pytest.mark.parametrize("bad", ["__import__('os')", "a.b", "a ** 2", "(a + b", "a b", "", "f(a)", "a; b"])
def test_only_arithmetic_parses(bad):
    with pytest.raises(FormulaError):
        parse(bad)


def test_schema_checks_the_declared_formula():
    ok = {"kind": "rate", "rate": "(c + d) / (a + b)", "inputs": {k: "x" for k in "abcd"}}
    assert check_rule(CTX, ok) is ok
    for bad, why in [({**ok, "inputs": {k: "x" for k in "abc"}}, "inputs"),      # d undeclared
                     ({**ok, "rate": "c + d"}, "rate"),                           # not a division
                     ({**ok, "rate": "(c + d) / (a + "}, "rate"),
                     ({"kind": "rate", "rate": "a / b"}, "inputs"),
                     ({"kind": "yes_no", "rate": "a / b", "inputs": {"a": "x", "b": "y"}}, "rate")]:
        with pytest.raises(RulesetError, match=why):
            check_rule(CTX, bad)


def test_no_rule_lives_only_in_a_note():
    with pytest.raises(RulesetError, match="công thức"):
        check_note_formula(CTX, {"kind": "rate"}, ["Tỷ lệ = (c+d)/(a+b)", None])
    check_note_formula(CTX, {"kind": "rate", "rate": "(c + d) / (a + b)"}, ["Tỷ lệ = (c+d)/(a+b)", None])
    check_note_formula(CTX, {"kind": "rate"}, ["Điểm 1 = (a/c) × 3/4 tối đa", None])  # no sum of letters


def test_every_shipped_ruleset_declares_its_formulas():
    declared = [(rs.id, i.code) for rs in all_rulesets() for i in rs.indicators if "rate" in i.rule]
    assert ("hungyen-2024-xa", "6.2") in declared and ("hungyen-2024-xa", "6.3") in declared
    assert ("hoabinh-2023-huyen", "4.4") in declared and ("hoabinh-2023-so", "1.3") in declared


@pytest.mark.parametrize("text,want", [
    ("a = 15; b = 20; c = 12; d = 20", {"a": 15, "b": 20, "c": 12, "d": 20}),
    ("a= 2.229;.b = 7.096", {"a": 2229, "b": 7096}),
    ("a = 0,05 tỷ đồng; b = 28,5 tỷ đồng", {"a": 0.05, "b": 28.5}),
    ("a=l3;b=19:c= 2;d=9", {"a": 13, "b": 19, "c": 2, "d": 9}),     # as OCR reads a scan
    ("a = 2.150: b => 7.450", {"a": 2150, "b": 7450}),
    ("a = 5", {}), ("Kế hoạch số 35/KH-UBND", {}), ("a = 1; a = 2", {}),
])
def test_lettered_values_are_named_facts(text, want):
    assert lettered_values(text) == want
    for k, v in want.items():
        assert extract_facts(text)[k] == v


def test_scoring_evaluates_the_declared_formula():
    rs = load("hungyen-2024-xa")
    i62, i63 = rs.indicator("6.2"), rs.indicator("6.3")
    # (c+d)/(a+b) = 32/35 of 40; the first two letters alone (15/20) would give 30
    assert compute_points(i62, {"a": 15, "b": 20, "c": 12, "d": 20, "numerator": 15, "denominator": 20}) == 36.571
    # (b+c)/a = 0.768 under the 80 % threshold
    assert compute_points(i63, {"a": 1250, "b": 310, "c": 650}) == 38.4
    # a report printing only a/b (the rate's counts) is scored as printed
    assert compute_points(i62, {"a": 43, "b": 62, "numerator": 43, "denominator": 62}) == pytest.approx(27.742, abs=1e-3)
    assert figures_present(i63.rule, {"a": 1250, "b": 310, "c": 650})
    assert not figures_present(i63.rule, {"a": 1250})
