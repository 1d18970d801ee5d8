"""Fixtures for export tests."""

from datetime import datetime

import pytest

from tests.factories import DocumentFactory, DossierFactory  # noqa: F401 - used by the tests through here


@pytest.fixture
def dossier(firm_a):
    return DossierFactory()


def at(text: str) -> datetime:
    """An aware datetime from ISO text with its offset."""
    return datetime.fromisoformat(text)
