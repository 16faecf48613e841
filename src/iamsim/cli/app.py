"""The ``iamsim`` click group: options shared by every command, version, and error mapping."""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import click

from iamsim._policy.aws_managed import aws_managed_source
from iamsim._policy.catalog import ServiceCatalog
from iamsim.cli.exit_codes import InvalidUsage, as_click_error
from iamsim.errors import IamSimError

__all__ = ["IamsimGroup", "iamsim_version", "version_text"]


def iamsim_version() -> str:
    """The installed iamsim version (``unknown`` when run from a bare source tree)."""
    try:
        return version("iamsim")
    except PackageNotFoundError:
        return "unknown"


def version_text() -> str:
    """What ``iamsim --version`` prints: the version and the bundled data with their dates."""
    catalog = ServiceCatalog.load().source
    managed = aws_managed_source()
    return "\n".join(
        [
            f"iamsim {iamsim_version()}",
            f"service reference: {catalog.package} {catalog.version} ({catalog.registry}), "
            f"AWS data updated {catalog.updated[:10]}, retrieved {catalog.retrieved}",
            f"AWS managed policies: {managed.policy_count} from {managed.package} {managed.version} "
            f"({managed.registry}), newest policy update {managed.latest_policy_update[:10]}, "
            f"retrieved {managed.retrieved}",
        ]
    )


class IamsimGroup(click.Group):
    """A click group that maps errors to iamsim's exit codes in one place.

    Usage errors exit 3 (invalid input) instead of click's 2, which iamsim
    keeps for "denied"; iamsim errors become one line and their exit code.
    """

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        """Parse the group's own options; usage errors exit 3."""
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as error:
            if isinstance(error, InvalidUsage):
                raise
            raise InvalidUsage(error.format_message(), error.ctx) from None

    def invoke(self, ctx: click.Context) -> Any:
        """Run the subcommand; usage errors exit 3, iamsim errors become one line."""
        if os.environ.get("NO_COLOR"):
            ctx.color = False
        try:
            return super().invoke(ctx)
        except click.UsageError as error:
            if isinstance(error, InvalidUsage):
                raise
            raise InvalidUsage(error.format_message(), error.ctx) from None
        except IamSimError as error:
            raise as_click_error(error) from None
