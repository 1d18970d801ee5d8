# make run: the whole portal on the embedded default (or DATABASE_URL / REDIS_URL), with demo data.
# make test: the whole test suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint messages install clean-state

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[embedded,test]'
	touch $(STAMP)

install: $(STAMP) messages

messages: $(STAMP)
	$(PY) -m portal.compile_messages

run: install
	$(PY) -m portal.devstack run

test: install lint
	$(PY) -m portal.devstack test $(ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean-state:
	rm -rf .state
