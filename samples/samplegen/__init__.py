"""Builders for the sample corpus; run samples/make_samples.py."""
