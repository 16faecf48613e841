"""iamsim's own model loading never reads the user's AWS configuration."""

from __future__ import annotations

import pytest

from iamsim._wire.dispatch import load_service_models


def test_service_models_load_without_a_usable_aws_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    """A named but absent AWS_PROFILE breaks botocore sessions; iamsim's models come from the data loader."""
    monkeypatch.setenv("AWS_PROFILE", "no-such-profile-for-iamsim")
    models = load_service_models()
    assert models["iam"].api_version == "2010-05-08"
    assert models["sts"].api_version == "2011-06-15"
    assert "AssumeRole" in models["sts"].operation_names
