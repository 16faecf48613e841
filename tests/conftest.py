"""Shared test configuration: Hypothesis profiles.

``ci`` (the default) keeps the whole suite within minutes on two cores;
``deep`` is for a thorough run on demand: ``HYPOTHESIS_PROFILE=deep make unit``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=False,
    print_blob=True,
)
settings.register_profile("deep", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
