"""Small helpers for the tests that start servers on this machine (the product's own, see
deploy/scaleout.py, so the scale test and `dti bench pipeline --workers` wait the same way)."""
from __future__ import annotations

from deploy.scaleout import free_port, wait_until

__all__ = ["free_port", "wait_until"]
