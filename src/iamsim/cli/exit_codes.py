"""The exit codes of every ``iamsim`` command, and the one place errors become them.

======  =====================================================================
code    meaning
======  =====================================================================
0       success: every request allowed, every case passed, no finding at the
        ``--fail-on`` level, nothing newly allowed
1       tool failure: iamsim itself failed (a bug, unreadable bundled data,
        an output file that cannot be written)
2       a negative answer: a request denied, a test case failed, a finding
        at the ``--fail-on`` level, or a change that grants new access
3       invalid input: a missing or unreadable file, bad JSON or YAML, a
        malformed policy, a bad ARN or principal, a bad option
4       undecided: ``iamsim check`` answered UNKNOWN (a construct it does
        not encode, or its time budget ran out)
======  =====================================================================
"""

from __future__ import annotations

from typing import IO, Final

import click

from iamsim.errors import IamSimError, ServiceError, UsageError

__all__ = [
    "EXIT_DENIED",
    "EXIT_FAILURE",
    "EXIT_INVALID_INPUT",
    "EXIT_OK",
    "EXIT_UNKNOWN",
    "InvalidInput",
    "InvalidUsage",
    "ToolFailure",
    "as_click_error",
]

EXIT_OK: Final = 0
EXIT_FAILURE: Final = 1
EXIT_DENIED: Final = 2
EXIT_INVALID_INPUT: Final = 3
EXIT_UNKNOWN: Final = 4


class _OneLineError(click.ClickException):
    """A click error shown as one ``error: ...`` line on stderr."""

    def show(self, file: IO[str] | None = None) -> None:
        """Print the one line (in red on a terminal)."""
        click.echo(click.style("error: ", fg="red", bold=True) + self.format_message(), err=True)


class InvalidInput(_OneLineError):
    """The input was wrong (exit code 3)."""

    exit_code = EXIT_INVALID_INPUT


class InvalidUsage(click.UsageError):
    """A command line click cannot parse: shown with the usage, exit code 3 (click's own is 2)."""

    exit_code = EXIT_INVALID_INPUT


class ToolFailure(_OneLineError):
    """iamsim failed (exit code 1)."""

    exit_code = EXIT_FAILURE


def as_click_error(error: IamSimError) -> click.ClickException:
    """Map an iamsim error to a one-line click error with its exit code.

    Errors that AWS would return for the input (every :class:`~iamsim.errors.ServiceError`:
    malformed policy, invalid input or ARN, unknown managed policy...) and
    :class:`~iamsim.errors.UsageError` (a value the library cannot take, such
    as an unknown policy kind) are invalid input; any other iamsim error is a
    tool failure.
    """
    if isinstance(error, ServiceError):
        return InvalidInput(error.message)
    if isinstance(error, UsageError):
        return InvalidInput(str(error))
    return ToolFailure(str(error))
