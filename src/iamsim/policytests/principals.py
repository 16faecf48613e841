"""Who a suite case's request comes from: an ARN, an account id, a service principal, or ``anonymous``.

``anonymous`` is an unauthenticated caller (S3, SQS and SNS accept them):
only a resource policy naming ``"Principal": "*"`` can let it in (§A.3), and
its ``aws:PrincipalAccount`` and ``aws:userid`` are ``anonymous`` (§E). It is
how ``iamsim check no-public-access --witnesses`` writes an anonymous witness.
"""

from __future__ import annotations

from iamsim._engine.request import Principal

__all__ = ["ANONYMOUS", "suite_principal"]

#: The suite spelling of an unauthenticated caller.
ANONYMOUS = "anonymous"


def suite_principal(text: str) -> Principal:
    """The principal a case's ``principal:`` names; raises ``InvalidArnError`` for anything unrecognised."""
    if text == ANONYMOUS:
        return Principal.anonymous()
    return Principal.from_arn(text)
