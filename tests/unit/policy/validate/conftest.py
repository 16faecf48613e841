"""The validator fixture shared by the validator tests."""

from __future__ import annotations

import pytest

from iamsim._policy.validate import PolicyValidator


@pytest.fixture(scope="session")
def validator() -> PolicyValidator:
    """One validator for the session: it only memoises catalog lookups."""
    return PolicyValidator()
