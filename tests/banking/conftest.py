"""Fixtures for banking tests: the oracle's environment and the third-party CODA samples."""

import pytest


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
