"""Provinces' DTI indicator sets as data files (``rulesets/data/*.yaml``) and their loader."""
from rulesets.loader import RulesetError, all_rulesets, load, load_file, ruleset_ids
from rulesets.model import RULE_KINDS, Indicator, Pillar, Ruleset

__all__ = ["RulesetError", "all_rulesets", "load", "load_file", "ruleset_ids",
           "RULE_KINDS", "Indicator", "Pillar", "Ruleset"]
