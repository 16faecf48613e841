"""Load pytester for the plugin tests only.

``pytest_plugins`` is not allowed in a conftest below the rootdir, so the plugin is
registered when this conftest is configured.
"""

from __future__ import annotations

import pytest
from _pytest import pytester as pytester_plugin


def pytest_configure(config: pytest.Config) -> None:
    """Register pytester (and the default of its one option) unless already loaded with ``-p pytester``."""
    if not config.pluginmanager.has_plugin("pytester"):
        config.pluginmanager.register(pytester_plugin, "pytester")
    if not hasattr(config.option, "runpytest"):
        config.option.runpytest = "inprocess"
