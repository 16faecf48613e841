"""Trust policies as IAM saves them: validated, with named principals bound to unique ids (§A.3).

IAM rejects a trust policy that names a user or role that does not exist
(``MalformedPolicyDocument: Invalid principal in policy: "AWS":"<arn>"``) and
stores the unique id of each one it names, so a deleted and recreated entity
of the same name is no longer trusted. iamsim keeps the text as given plus a
:class:`TrustBinding` per named user or role; :func:`rebind` turns the parsed
policy into what AWS would evaluate today.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from iamsim._arn import Arn
from iamsim._policy.model import Policy, PrincipalSpec
from iamsim._store.records import TrustBinding
from iamsim.errors import MalformedPolicyDocumentError

__all__ = ["PrincipalResolver", "bind_trust_principals", "rebind"]

#: Returns the unique id of the user or role an ARN names, ``None`` when it
#: does not exist, or ``""`` when the ARN's account is unknown to the simulator
#: (nothing can be checked there, so it is accepted as written).
PrincipalResolver = Callable[[str], str | None]


def _names_entity(value: str) -> bool:
    parsed = Arn.try_parse(value)
    return (
        parsed is not None
        and parsed.service == "iam"
        and (parsed.resource.startswith("user/") or parsed.resource.startswith("role/"))
    )


def bind_trust_principals(policy: Policy, resolve: PrincipalResolver) -> tuple[TrustBinding, ...]:
    """Check every user/role ARN the policy names exists; return their bindings in order."""
    bindings: dict[str, TrustBinding] = {}
    for statement in policy.statements:
        spec = statement.principal
        if spec is None:
            continue
        for value in spec.aws:
            if not _names_entity(value) or value in bindings:
                continue
            unique_id = resolve(value)
            if unique_id is None:
                raise MalformedPolicyDocumentError(
                    f'Invalid principal in policy: "AWS":"{value}"',
                    pointer=statement.pointer + "/Principal/AWS",
                    statement_index=statement.index,
                )
            if unique_id:
                bindings[value] = TrustBinding(value, unique_id)
    return tuple(bindings.values())


def rebind(policy: Policy, bindings: tuple[TrustBinding, ...], resolve: PrincipalResolver) -> Policy:
    """Replace each bound ARN whose entity was deleted or recreated by the old unique id.

    The old id matches nobody, which is what AWS shows and does (§A.3).
    """
    stale = {b.arn: b.unique_id for b in bindings if resolve(b.arn) != b.unique_id}
    if not stale:
        return policy
    statements = []
    for statement in policy.statements:
        spec = statement.principal
        if spec is not None and any(v in stale for v in spec.aws):
            aws = tuple(stale.get(v, v) for v in spec.aws)
            statement = replace(statement, principal=_with_aws(spec, aws))
        statements.append(statement)
    return replace(policy, statements=tuple(statements))


def _with_aws(spec: PrincipalSpec, aws: tuple[str, ...]) -> PrincipalSpec:
    return replace(spec, aws=aws)
