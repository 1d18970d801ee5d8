# make run: the whole portal on the embedded default (or DATABASE_URL / REDIS_URL), with demo data.
# make test: the whole test suite (the billsync agent's own tests first, then the portal's).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

ORACLES := ../shared/oracles
ORACLE_STAMP := .venv-oracle/.installed

.PHONY: run test test-agent lint typecheck messages install clean-state oracle billsync-dist billsync-binary

# The agent (billsync/) is a package of its own; the portal's environment installs it for the end-to-end tests.
$(STAMP): pyproject.toml billsync/pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[embedded,test]' -e './billsync[build]'
	touch $(STAMP)

install: $(STAMP) messages

messages: $(STAMP)
	$(PY) -m devstack.compile_messages

run: install
	$(PY) -m devstack run

test: install lint typecheck oracle billsync-dist billsync-binary test-agent
	$(PY) -m devstack test $(ARGS)

# The agent's downloads (the portal serves dist/ at /downloads/billsync/): the wheel and the single-file zipapp;
# billsync-binary adds the one-file program PyInstaller makes from billsync/packaging/billsync.spec (Linux here; the
# Windows installer is built on Windows, see billsync/README.md). Rebuilt only when the agent's sources change.
BILLSYNC_VERSION := $(shell sed -n 's/^__version__ = "\(.*\)"/\1/p' billsync/billsync/__init__.py)
BILLSYNC_SOURCES := $(wildcard billsync/billsync/*.py) billsync/pyproject.toml billsync/packaging/build_dist.py
BILLSYNC_PYZ := dist/billsync-$(BILLSYNC_VERSION).pyz
BILLSYNC_BINARY := dist/billsync-$(BILLSYNC_VERSION)-linux-x86_64

billsync-dist: $(BILLSYNC_PYZ)

$(BILLSYNC_PYZ): $(STAMP) $(BILLSYNC_SOURCES)
	$(PY) billsync/packaging/build_dist.py dist

billsync-binary: $(BILLSYNC_BINARY)

$(BILLSYNC_BINARY): $(STAMP) $(BILLSYNC_SOURCES) billsync/packaging/billsync.spec billsync/packaging/entry.py
	$(PY) billsync/packaging/build_dist.py --binary dist

# The agent's own tests (no portal, no database): paths, writing files, settings.
test-agent: install
	cd billsync && ../$(PY) -m pytest -q

# The independent checkers of ../shared/oracles get their own environment (they are a judge, not a library).
oracle:
	@if [ -f $(ORACLES)/requirements.txt ]; then $(MAKE) --no-print-directory $(ORACLE_STAMP); \
	else echo "[portal] ../shared is absent: tests that need the oracles are skipped"; fi

$(ORACLE_STAMP): $(ORACLES)/requirements.txt
	test -x .venv-oracle/bin/python || $(PYTHON) -m venv .venv-oracle
	.venv-oracle/bin/python -m pip install --quiet -r $(ORACLES)/requirements.txt
	touch $(ORACLE_STAMP)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy --strict billsync/billsync

# mypy on the files listed in pyproject.toml ([tool.mypy] files); the pure format modules, listed in its
# overrides, get every --strict flag (`mypy --strict` on them passes too).
typecheck: $(STAMP)
	$(VENV)/bin/mypy

clean-state:
	rm -rf .state
