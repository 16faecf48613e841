"""What a policy text may contain and how long it may be (§A.1, §H.3, §G.1).

Two different kinds of limit live here. The character set and the 131,072
character maximum are part of the policy-document grammar: breaking them makes
the document malformed. The per-kind size quotas are account quotas: breaking
them is ``LimitExceeded``.
"""

from __future__ import annotations

import re

from iamsim._policy.kinds import as_kind
from iamsim._policy.model import PolicyKind
from iamsim.errors import LimitExceededError, MalformedPolicyDocumentError

__all__ = [
    "MAX_DOCUMENT_LENGTH",
    "SIZE_QUOTAS",
    "check_characters",
    "check_policy_size",
    "counted_size",
]

#: The longest policy document the IAM API accepts (§A.1).
MAX_DOCUMENT_LENGTH = 131_072

_FORBIDDEN_CHARACTER = re.compile(r"[^\t\n\r\x20-\xff]")
_JSON_WHITESPACE = re.compile(r"[ \t\n\r]")

#: Per kind: (limit, whether whitespace counts, AWS's message). Resource policies have no quota here.
SIZE_QUOTAS: dict[PolicyKind, tuple[int, bool, str]] = {
    PolicyKind.IDENTITY: (6144, False, "Cannot exceed quota for PolicySize: 6144"),
    PolicyKind.BOUNDARY: (6144, False, "Cannot exceed quota for PolicySize: 6144"),
    # §K.7: whether whitespace counts for trust policies is undocumented; like IAM's other quotas, it does not.
    PolicyKind.TRUST: (2048, False, "Cannot exceed quota for ACLSizePerRole: 2048"),
    PolicyKind.SESSION: (2048, True, "Session policy exceeds the maximum size of 2048 characters."),
    PolicyKind.SCP: (5120, True, "Policy content exceeds the maximum size of 5120 characters."),
    PolicyKind.RCP: (5120, True, "Policy content exceeds the maximum size of 5120 characters."),
}


def check_characters(text: str, *, check_length: bool = True) -> None:
    """Check the §A.1 character set (U+0009, U+000A, U+000D, U+0020–U+00FF) and length (1–131,072).

    ``check_length=False`` skips the 131,072 maximum, which is the IAM API's
    parameter limit: AWS's own managed policies are not bound by it.

    Raises :class:`~iamsim.errors.MalformedPolicyDocumentError` with the line and
    column of the first offending character.
    """
    if not text:
        raise MalformedPolicyDocumentError("Syntax errors in policy.", line=1, column=1)
    if check_length and len(text) > MAX_DOCUMENT_LENGTH:
        raise MalformedPolicyDocumentError(
            f"Policy document must not exceed {MAX_DOCUMENT_LENGTH} characters.", line=1, column=1
        )
    bad = _FORBIDDEN_CHARACTER.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise MalformedPolicyDocumentError(
            f"Policy document contains the character U+{ord(bad.group()):04X}, outside "
            "U+0009, U+000A, U+000D and U+0020 to U+00FF.",
            line=line,
            column=column,
        )


def counted_size(text: str, kind: PolicyKind | str) -> int:
    """Return the size of ``text`` as the quota of ``kind`` counts it (with or without whitespace)."""
    quota = SIZE_QUOTAS.get(as_kind(kind))
    if quota is not None and not quota[1]:
        return len(text) - len(_JSON_WHITESPACE.findall(text))
    return len(text)


def check_policy_size(text: str, kind: PolicyKind | str) -> None:
    """Enforce the size quota of policy ``kind`` on ``text``.

    Identity and boundary (managed) policies: 6,144 characters without
    whitespace; trust policies: 2,048 without whitespace; session policies:
    2,048; SCPs and RCPs: 5,120, whitespace included (§H.3, §G.1).
    Resource-based policies have no quota here. Raises
    :class:`~iamsim.errors.LimitExceededError`.
    """
    quota = SIZE_QUOTAS.get(as_kind(kind))
    if quota is not None and counted_size(text, kind) > quota[0]:
        raise LimitExceededError(quota[2])
