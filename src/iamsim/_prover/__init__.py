"""Proofs over every request: ``iamsim check``'s three questions on the z3 solver (issue 15).

See :mod:`iamsim._prover.checks` for the questions and ``docs/architecture.md``
("The prover") for why z3 and what is encoded.
"""

from __future__ import annotations

from iamsim._prover.checks import (
    DEFAULT_ACCOUNT,
    DEFAULT_BUDGET,
    RESOURCE_TYPES,
    Budget,
    check_access_not_granted,
    check_no_new_access,
    check_no_public_access,
    own_policies,
)
from iamsim._prover.result import CheckResult, Verdict, Witness

__all__ = [
    "DEFAULT_ACCOUNT",
    "DEFAULT_BUDGET",
    "RESOURCE_TYPES",
    "Budget",
    "CheckResult",
    "Verdict",
    "Witness",
    "check_access_not_granted",
    "check_no_new_access",
    "check_no_public_access",
    "own_policies",
]
