"""Fixtures for banking tests: the oracle's environment and the third-party CODA samples."""

import os
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def oracle_python(shared_dir):
    """The oracle's own virtual environment (make test creates it beside the project's)."""
    python = Path(os.environ.get("ORACLE_PYTHON", Path(__file__).resolve().parents[2] / ".venv-oracle/bin/python"))
    if not python.exists():
        pytest.fail(f"the oracle's environment is missing ({python}); `make test` creates it from "
                    f"{shared_dir}/oracles/requirements.txt")
    return python


@pytest.fixture(scope="session")
def coda_fixtures(shared_dir):
    return sorted((shared_dir / "fixtures" / "coda").iterdir())


@pytest.fixture(scope="session")
def invalid_coda_fixtures(shared_dir):
    return sorted((shared_dir / "fixtures" / "coda-invalid").iterdir())


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English; a test that checks a translation overrides it."""
    from django.utils import translation

    with translation.override("en"):
        yield
