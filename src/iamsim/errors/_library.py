"""Errors that are not AWS's: the library called wrongly, iamsim's own wire code misused, a failed policy test case."""

from __future__ import annotations

from typing import TYPE_CHECKING

from iamsim.errors._base import IamSimError

if TYPE_CHECKING:
    from iamsim.policytests.model import CaseOutcome


class UsageError(IamSimError, ValueError):
    """The library was called wrongly: an argument of the wrong type or out of range; not an AWS error.

    Raised for mistakes in the calling code (``Simulator(seed="x")``, a policy
    given as a number), never for input AWS itself would answer with an error
    code: those are :class:`ServiceError` subclasses. It is a ``ValueError`` too,
    so code that guards a call with ``except ValueError`` keeps working.
    """


class WireError(IamSimError):
    """A misuse of the wire layer by iamsim's own code (not an AWS error)."""


class OutputShapeError(WireError):
    """A handler's output does not fit the operation's output shape."""


class UnknownServiceError(WireError):
    """A service name the wire layer has no model for."""


class UndecodableRequestError(WireError):
    """A request ``iamsim serve`` would forward whose service or operation botocore's models cannot tell."""


class PolicyCaseFailed(IamSimError, AssertionError):
    """A policy test case whose request missed its expectation; ``outcome`` holds every request's result.

    An ``AssertionError`` too: like a failed ``assert``, it is a test verdict, not a fault.
    """

    def __init__(self, outcome: CaseOutcome) -> None:
        super().__init__(outcome.case.name)
        self.outcome = outcome

    def __reduce__(self) -> tuple[type[PolicyCaseFailed], tuple[CaseOutcome]]:
        return (type(self), (self.outcome,))
