# Two commands do all set-up on a fresh Debian machine: `make run` and `make test`.
# Both install only what is missing and are quiet when everything is there.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
APT_PACKAGES := tesseract-ocr tesseract-ocr-vie poppler-utils libreoffice-writer-nogui libreoffice-calc-nogui chromium fonts-dejavu-core postgresql
export PREFECT_HOME := $(CURDIR)/var/prefect
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export OMP_THREAD_LIMIT := 1

.PHONY: run test test-scale deps apt venv bench eval gate clean

run: deps
	@$(VENV)/bin/dti run --inbox var/inbox-samples --from samples

test: deps
	@$(VENV)/bin/python -m pytest

# the province-scale run alone: Prefect server on PostgreSQL, two workers, a lost worker (also in `make test`)
test-scale: deps
	@$(VENV)/bin/python -m pytest -m scale -s

deps: apt venv

# dpkg-query is cheap; apt-get runs only when a package is missing.
apt:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	@echo "Creating $(VENV) from requirements.lock"
	@test -x $(VENV)/bin/python || $(PY) -m venv $(VENV)
	@$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements.lock
	@$(VENV)/bin/pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e . >/dev/null 2>&1 \
	  || $(VENV)/bin/pip install --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

bench: deps
	@$(VENV)/bin/dti bench extract --profile
	@$(VENV)/bin/dti bench pipeline --n 20 --mix province
	@$(VENV)/bin/dti bench pipeline --n 60 --mix province
	@$(VENV)/bin/dti bench pipeline --n 150 --mix province
	@$(VENV)/bin/dti bench pipeline --n 200 --mix province
	@$(VENV)/bin/dti bench pipeline --workers 1,2 --n 20

# the whole public development set (OCR included: tens of minutes)
eval: deps
	@$(PY) ../shared/eval-public/score.py --cmd '$(VENV)/bin/dti extract {file} --json' --project .

# the fast gate `make test` also runs: the set's Word and text-PDF reports against the trust targets
gate: deps
	@$(VENV)/bin/python -m pytest -q tests/test_eval_gate.py

clean:
	rm -rf var .pytest_cache
