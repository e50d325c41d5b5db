"""``dti rulesets import | check | diff | sheet | list | show``: a province's decision read into a draft ruleset (a tool above extractors and matchers)."""
