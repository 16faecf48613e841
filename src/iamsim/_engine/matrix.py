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
3. matches each statement's actions once against every action
   (:class:`ActionMasks`, shared by every block of a matrix, since principals
   share compiled policies) and ORs its resource mask into the facts of each
   action it applies to (Deny statements into one mask, Allow statements into
   one mask per policy group, resource-policy Allows also per way they name
   the caller);
4. splits the resources into the classes those masks (plus cross-account and
   KMS-key facts) cannot tell apart, and asks :func:`~iamsim._engine.combining.decide`
   once per class.

Standing rules, the RCP/SCP scoping and the KMS key-policy rule are applied
exactly as in :meth:`CompiledPolicySet.evaluate`, so every cell equals the
one-by-one decision (``tests/differential/test_matrix_differential.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from iamsim._engine.combining import RESOURCE_BIT, SCP_SCOPE, decide, is_kms_key_request
from iamsim._engine.compiled import CompiledPolicySet
from iamsim._engine.principals import Naming
from iamsim._engine.request import ContextValue, Principal, build_request
from iamsim._engine.request_values import RequestValues
from iamsim._engine.result import Decision
from iamsim._engine.standing_rules import PROTECTIONS, standing_rule
from iamsim._engine.statements import CompiledStatement
from iamsim._policy.rcp_services import rcps_apply_to

__all__ = ["ActionMasks", "BlockRow", "decide_block"]

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


class ActionMasks:
    """Per compiled statement, the mask of the actions (bit ``i``: ``actions[i]``) its action check passes.

    It depends only on the statement and the actions, so blocks that share compiled statements (principals
    whose sets reuse compiled policies) share it: pass one instance to every :func:`decide_block` call.
    """

    __slots__ = ("_lowered", "_masks", "_tables", "actions")

    def __init__(self, actions: Sequence[str]) -> None:
        self.actions = tuple(actions)
        self._lowered = tuple(action.lower() for action in self.actions)
        self._masks: dict[int, tuple[CompiledStatement, int]] = {}
        self._tables: dict[tuple[str, ...], _ResourceTable] = {}

    def of(self, statement: CompiledStatement) -> int:
        """The actions ``statement`` applies to, as a mask."""
        found = self._masks.get(id(statement))
        if found is not None and found[0] is statement:
            return found[1]
        if statement.every_action:
            mask = (1 << len(self._lowered)) - 1
        else:
            mask = 0
            test = statement.action_test
            for index, action in enumerate(self._lowered):
                if test(action):
                    mask |= 1 << index
        self._masks[id(statement)] = (statement, mask)
        return mask

    def resource_table(self, resources: Sequence[str]) -> _ResourceTable:
        """The context-free resource masks over ``resources``, shared by the blocks that have these resources."""
        key = tuple(resources)
        found = self._tables.get(key)
        if found is None:
            found = self._tables[key] = _ResourceTable(key)
        return found


class _ResourceTable:
    """Masks over one list of resources that depend on nothing else: context-free resource elements, KMS keys."""

    __slots__ = ("key_mask", "masks", "resources")

    def __init__(self, resources: tuple[str, ...]) -> None:
        self.resources = resources
        #: id(resource matcher) -> (matcher, mask of its context-free test).
        self.masks: dict[int, tuple[object, int]] = {}
        # Which resources are KMS keys: a ``kms:`` action on them is a key request (§F.1 step 3).
        self.key_mask = 0
        for index, resource in enumerate(resources):
            if is_kms_key_request("kms:", resource):
                self.key_mask |= 1 << index


class _Block:
    """The per-block state: the principal, the context, the resources and what was matched already."""

    __slots__ = ("context", "cross", "full", "masks", "principal", "resources", "statements", "table", "values")

    def __init__(
        self,
        principal: Principal,
        context: Mapping[str, ContextValue],
        resources: Sequence[str],
        cross: int,
        table: _ResourceTable,
    ) -> None:
        self.principal = principal
        self.context = context
        #: The context's typed values, parsed once for the whole block (every cell shares the context).
        self.values = RequestValues()
        self.resources = resources
        self.full = (1 << len(resources)) - 1
        self.cross = cross
        #: id(statement) -> (statement, naming or NONE when principal/conditions fail, resource mask).
        self.statements: dict[int, tuple[CompiledStatement, Naming, int]] = {}
        #: id(resource matcher) -> (matcher, mask) for matchers that read the context.
        self.masks: dict[int, tuple[object, int]] = {}
        self.table = table

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
        values = self.values
        if named is not _NONE_NAMING and statement.conditions and not statement.conditions_hold(self.context, values):
            named = _NONE_NAMING
        if named is not _NONE_NAMING:
            mask = self._resource_mask(statement)
        self.statements[id(statement)] = (statement, named, mask)
        return named, mask

    def _resource_mask(self, statement: CompiledStatement) -> int:
        matcher = statement.resource
        if matcher is None:
            return self.full
        test = statement.resource_test
        # A context-free test is derived from the matcher alone: its mask is shared by every block with these
        # resources; one that reads the context (policy variables) only within this block.
        masks = self.table.masks if test is not None else self.masks
        found = masks.get(id(matcher))
        if found is not None and found[0] is matcher:
            return found[1]
        mask = 0
        if test is not None:
            for index, resource in enumerate(self.resources):
                if test(resource):
                    mask |= 1 << index
        else:
            context = self.context
            for index, resource in enumerate(self.resources):
                if matcher.matches(resource, context):
                    mask |= 1 << index
        masks[id(matcher)] = (matcher, mask)
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


@dataclass(slots=True)
class _Facts:
    """What matched for one action: Deny mask, Allow masks per policy group, resource-policy Allows per naming."""

    deny: int = 0
    allows: dict[int, int] = field(default_factory=dict)
    named: list[int] = field(default_factory=lambda: [0, 0, 0])


def _collect(block: _Block, policy_set: CompiledPolicySet, wanted: int, masks: ActionMasks) -> dict[int, _Facts]:
    """Each statement once: OR its resource mask into the facts of every wanted action it applies to."""
    has_boundary = policy_set._shape.has_boundary
    facts: dict[int, _Facts] = {}
    for placed in policy_set._placed:
        bit = placed.bit
        for statement in placed.compiled.statements:
            named, resources = block.statement(statement, has_boundary)
            if not resources:
                continue
            actions = masks.of(statement) & wanted
            while actions:
                low = actions & -actions
                actions ^= low
                index = low.bit_length() - 1
                found = facts.get(index)
                if found is None:
                    found = facts[index] = _Facts()
                if statement.deny:
                    found.deny |= resources
                    continue
                found.allows[bit] = found.allows.get(bit, 0) | resources
                if bit == RESOURCE_BIT:
                    found.named[named - 1] |= resources
    return facts


def _row(block: _Block, policy_set: CompiledPolicySet, action: str, facts: _Facts) -> BlockRow:
    """Decide ``action`` (as written) on every resource of ``block`` from what matched (``facts``)."""
    lowered = action.lower()
    shape = policy_set._shape
    deny = facts.deny
    allows = facts.allows
    named_masks = facts.named
    full = block.full
    allowed = 0
    key_mask = block.table.key_mask if lowered.startswith("kms:") else 0
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
    masks: ActionMasks | None = None,
) -> list[BlockRow]:
    """Decide every action of ``actions`` on every resource of ``resources`` for one caller.

    ``context`` is the full request context (lowercased keys, the principal's
    own keys included), as :meth:`~iamsim._engine.request.Request.create`
    builds it; every cell equals ``policy_set.evaluate(request).decision``
    for the request of that action and resource. Returns one :class:`BlockRow`
    per action, in order. ``masks`` (for these ``actions``) carries action matches over from earlier blocks.
    """
    # The request's own rule for who owns a resource and whether it is another account's.
    cross = 0
    for index, resource in enumerate(resources):
        if build_request(principal, "x:y", resource, context, resource_account).is_cross_account:
            cross |= 1 << index
    if masks is None or masks.actions != tuple(actions):
        masks = ActionMasks(actions)
    block = _Block(principal, context, resources, cross, masks.resource_table(resources))
    # Actions are decided by the set evaluate() would use for them (RCPs and SCPs do not cover every one).
    by_set: dict[int, tuple[CompiledPolicySet, int]] = {}
    scoped = []
    for index, action in enumerate(actions):
        chosen = _scoped(policy_set, action, principal)
        scoped.append(chosen)
        found = by_set.get(id(chosen))
        by_set[id(chosen)] = (chosen, (0 if found is None else found[1]) | 1 << index)
    facts = {id(chosen): _collect(block, chosen, wanted, masks) for chosen, wanted in by_set.values()}
    empty = _Facts()
    return [
        _row(block, chosen, action, facts[id(chosen)].get(index, empty))
        for index, (action, chosen) in enumerate(zip(actions, scoped, strict=True))
    ]
