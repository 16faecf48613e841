"""The bulk access matrix kernel: one principal's decisions on many actions × many resources at once.

One-by-one evaluation matches every candidate statement against every
request. For a block of requests that share the principal and the context
(every cell of one principal's row of an access matrix) most of that work is
repeated: a statement's principal and condition checks read only the
principal and the context, and its resource check reads only the resource.
:func:`decide_block` therefore

1. checks each statement's principal and conditions once (they hold for the
   whole block or for none of it);
2. matches each distinct resource element once against every resource,
   giving a bit mask over the block's resources;
3. per action, ORs the masks of the candidates the action index offers
   (Deny statements into one mask, Allow statements into one mask per policy
   group, resource-policy Allows also per way they name the caller);
4. splits the resources into the classes those masks (plus cross-account and
   KMS-key facts) cannot tell apart, and asks :func:`~iamsim._engine.combining.decide`
   once per class.

Standing rules, the RCP/SCP scoping and the KMS key-policy rule are applied
exactly as in :meth:`CompiledPolicySet.evaluate`, so every cell equals the
one-by-one decision (``tests/differential/test_matrix_differential.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from iamsim._engine.combining import RESOURCE_BIT, SCP_SCOPE, decide, is_kms_key_request
from iamsim._engine.compiled import CompiledPolicySet
from iamsim._engine.principals import Naming
from iamsim._engine.request import ContextValue, Principal, build_request
from iamsim._engine.result import Decision
from iamsim._engine.standing_rules import PROTECTIONS, standing_rule
from iamsim._engine.statements import CompiledStatement
from iamsim._policy.rcp_services import rcps_apply_to

__all__ = ["BlockRow", "decide_block"]

_ALLOWED = Decision.ALLOWED
_EXPLICIT_DENY = Decision.EXPLICIT_DENY
_NONE_NAMING = Naming.NONE
_ACCOUNT_NAMING = Naming.ACCOUNT
#: Namings a resource-policy Allow can give, strongest last (the strongest matching one counts).
_NAMINGS = (Naming.ACCOUNT, Naming.ROLE_OR_SOURCE_USER, Naming.DIRECT)
#: Lowercased actions some standing rule may decide (the others skip the per-cell check).
_STANDING_ACTIONS = frozenset({"sts:getcalleridentity"}.union(*(row.actions for row in PROTECTIONS)))


@dataclass(frozen=True, slots=True)
class BlockRow:
    """One action's decisions over the block's resources, as bit masks (bit ``i``: resource ``i``).

    A resource in neither mask is an implicit deny.
    """

    allowed: int
    explicit_deny: int


class _Block:
    """The per-block state: the principal, the context, the resources and what was matched already."""

    __slots__ = ("context", "cross", "full", "groups", "masks", "owners", "principal", "resources", "statements")

    def __init__(
        self, principal: Principal, context: Mapping[str, ContextValue], resources: Sequence[str], owners: list[bool]
    ) -> None:
        self.principal = principal
        self.context = context
        self.resources = resources
        self.full = (1 << len(resources)) - 1
        cross = 0
        for index, is_cross in enumerate(owners):
            if is_cross:
                cross |= 1 << index
        self.cross = cross
        self.owners = owners
        #: id(statement) -> (statement, naming or NONE when principal/conditions fail, resource mask).
        self.statements: dict[int, tuple[CompiledStatement, Naming, int]] = {}
        #: id(resource matcher) -> (matcher, mask): statements share compiled resource elements.
        self.masks: dict[int, tuple[object, int]] = {}
        #: per compiled set (by id): its resource-service groups (key -> mask of resources).
        self.groups: dict[int, tuple[CompiledPolicySet, list[tuple[str | None, int]]]] = {}

    def resource_groups(self, policy_set: CompiledPolicySet) -> list[tuple[str | None, int]]:
        """The block's resources grouped by the ARN service the set's index files ``*`` statements under."""
        found = self.groups.get(id(policy_set))
        if found is not None and found[0] is policy_set:
            return found[1]
        by_key: dict[str | None, int] = {}
        for index, resource in enumerate(self.resources):
            key = policy_set._resource_key(resource)
            by_key[key] = by_key.get(key, 0) | (1 << index)
        groups = list(by_key.items())
        self.groups[id(policy_set)] = (policy_set, groups)
        return groups

    def statement(self, statement: CompiledStatement, has_boundary: bool) -> tuple[Naming, int]:
        """How ``statement`` names the caller (``NONE``: it never applies here) and its resource mask."""
        found = self.statements.get(id(statement))
        if found is not None and found[0] is statement:
            return found[1], found[2]
        if statement.principal is None:
            named = _ACCOUNT_NAMING
        else:
            named = statement.naming(self.principal, has_boundary=has_boundary)
        mask = 0
        if named is not _NONE_NAMING and statement.conditions and not statement.conditions_hold(self.context):
            named = _NONE_NAMING
        if named is not _NONE_NAMING:
            mask = self._resource_mask(statement)
        self.statements[id(statement)] = (statement, named, mask)
        return named, mask

    def _resource_mask(self, statement: CompiledStatement) -> int:
        matcher = statement.resource
        if matcher is None:
            return self.full
        found = self.masks.get(id(matcher))
        # The context-free test is derived from the matcher alone, so statements sharing it share the mask.
        if found is not None and found[0] is matcher:
            return found[1]
        mask = 0
        test = statement.resource_test
        if test is not None:
            for index, resource in enumerate(self.resources):
                if test(resource):
                    mask |= 1 << index
        else:
            context = self.context
            for index, resource in enumerate(self.resources):
                if matcher.matches(resource, context):
                    mask |= 1 << index
        self.masks[id(matcher)] = (matcher, mask)
        return mask


def _scoped(policy_set: CompiledPolicySet, action: str, principal: Principal) -> CompiledPolicySet:
    """The set :meth:`CompiledPolicySet.evaluate` decides ``action`` of ``principal`` with (RCP/SCP scoping)."""
    while True:
        if policy_set._rcp_free is not None and not rcps_apply_to(action):
            policy_set = policy_set._rcp_free()
            continue
        if policy_set._scp_free is not None and principal.type not in SCP_SCOPE:
            policy_set = policy_set._scp_free()
            continue
        return policy_set


def _split(parts: list[int], mask: int) -> list[int]:
    if not mask:
        return parts
    out = []
    for part in parts:
        inside = part & mask
        if inside:
            out.append(inside)
            if inside != part:
                out.append(part & ~mask)
        else:
            out.append(part)
    return out


def _row(block: _Block, policy_set: CompiledPolicySet, action: str) -> BlockRow:
    """Decide ``action`` (as written) on every resource of ``block`` with ``policy_set`` (already scoped)."""
    lowered = action.lower()
    shape = policy_set._shape
    has_boundary = shape.has_boundary
    deny = 0
    allows: dict[int, int] = {}
    named_masks = [0, 0, 0]
    for key, group in block.resource_groups(policy_set):
        candidates = policy_set._candidates(lowered, key)
        for candidate in candidates.denies:
            named, mask = block.statement(candidate[0], has_boundary)
            if named is not _NONE_NAMING:
                deny |= mask & group
        for candidate in candidates.allows:
            named, mask = block.statement(candidate[0], has_boundary)
            if named is _NONE_NAMING:
                continue
            mask &= group
            if not mask:
                continue
            bit = candidate[1]
            allows[bit] = allows.get(bit, 0) | mask
            if bit == RESOURCE_BIT:
                named_masks[named - 1] |= mask
    full = block.full
    allowed = 0
    key_mask = 0
    if lowered.startswith("kms:"):
        for index, resource in enumerate(block.resources):
            if is_kms_key_request(lowered, resource):
                key_mask |= 1 << index
    # Resources no mask tells apart get the same decision: ask the combining rule once per class.
    parts = [full & ~deny] if deny != full else []
    for mask in (block.cross, key_mask, *allows.values(), *named_masks):
        parts = _split(parts, mask)
    principal = block.principal
    for part in parts:
        index = (part & -part).bit_length() - 1
        allow_mask = 0
        for bit, mask in allows.items():
            if mask >> index & 1:
                allow_mask |= bit
        naming = _NONE_NAMING
        for level, mask in zip(_NAMINGS, named_masks, strict=True):
            if mask >> index & 1:
                naming = level
        decision, _ = decide(
            shape,
            principal,
            cross_account=bool(block.cross >> index & 1),
            deny_kind=None,
            allow_mask=allow_mask,
            naming=naming,
            key_request=bool(key_mask >> index & 1),
        )
        if decision is _ALLOWED:
            allowed |= part
    if lowered in _STANDING_ACTIONS:
        # Standing rules come before any policy (docs/evaluation.md): apply them cell by cell.
        for index, resource in enumerate(block.resources):
            rule = standing_rule(lowered, resource)
            if rule is None:
                continue
            bit = 1 << index
            if rule.decision is _ALLOWED:
                allowed |= bit
                deny &= ~bit
            else:
                allowed &= ~bit
                deny |= bit
    return BlockRow(allowed, deny)


def decide_block(
    policy_set: CompiledPolicySet,
    principal: Principal,
    context: Mapping[str, ContextValue],
    actions: Sequence[str],
    resources: Sequence[str],
    *,
    resource_account: str | None = None,
) -> list[BlockRow]:
    """Decide every action of ``actions`` on every resource of ``resources`` for one caller.

    ``context`` is the full request context (lowercased keys, the principal's
    own keys included), as :meth:`~iamsim._engine.request.Request.create`
    builds it; every cell equals ``policy_set.evaluate(request).decision``
    for the request of that action and resource. Returns one :class:`BlockRow`
    per action, in order.
    """
    # The request's own rule for who owns a resource and whether it is another account's.
    owners = [
        build_request(principal, "x:y", resource, context, resource_account).is_cross_account for resource in resources
    ]
    block = _Block(principal, context, resources, owners)
    return [_row(block, _scoped(policy_set, action, principal), action) for action in actions]
