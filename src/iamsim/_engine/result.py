"""What an evaluation returns: a decision with its diagnostics.

The contract both evaluators (the reference and the compiled fast path) meet,
so the differential tests can compare them field by field:

* ``decision``: ``allowed``, ``explicitDeny`` or ``implicitDeny`` (the IAM
  policy simulator's words).
* ``determining``: for ``explicitDeny``, every matching Deny statement of every
  policy; for ``allowed``, every matching Allow statement of every policy in the
  set (SCPs, RCPs, resource, identity, boundary and session alike); for
  ``implicitDeny``, nothing. Sorted in :meth:`StatementRef.sort_key` order.
* ``denied_by``: the policy type AWS's AccessDenied message names; ``None``
  when allowed.
* ``missing_context_keys``: condition keys of statements whose action,
  resource and principal matched, that the request context lacks (keys used
  only with ``Null`` are not missing: absence is their answer). Deduplicated
  case-insensitively, spelled as the smallest spelling seen, sorted by casefold.
* ``rule``: the standing rule (a rule AWS applies whatever the policies say,
  :mod:`~iamsim._engine.standing_rules`) that decided, else ``None``; when set,
  ``determining`` and ``missing_context_keys`` are empty and ``denied_by`` is
  ``None``.
* ``key_policy``: for a ``kms:`` action on a KMS key, which key policy the
  decision used: the one given as the resource policy, or AWS's default key
  policy when none was given (spec §F.1 step 3); ``None`` for other requests.
* ``explanation``: per policy and statement, what matched and what did not
  (only when asked for).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

from iamsim._policy.model import Effect, PolicyKind

if TYPE_CHECKING:
    from iamsim._engine.request import Request

__all__ = [
    "KIND_ORDER",
    "ConditionTrace",
    "Decision",
    "EvaluationResult",
    "Explanation",
    "KeyPolicy",
    "PolicyTrace",
    "StandingRule",
    "StatementOutcome",
    "StatementRef",
    "StatementTrace",
    "build_result",
    "build_statement_ref",
    "new_result",
]

#: Canonical order of policy kinds (spec §F.1 step 1); also the order in which
#: a denial message picks the one policy type it names.
KIND_ORDER: dict[PolicyKind, int] = {
    PolicyKind.SCP: 0,
    PolicyKind.RCP: 1,
    PolicyKind.RESOURCE: 2,
    PolicyKind.TRUST: 2,
    PolicyKind.IDENTITY: 3,
    PolicyKind.BOUNDARY: 4,
    PolicyKind.SESSION: 5,
}


#: How AccessDenied messages name each policy type (AWS drops "policy" after "permissions boundary").
_MESSAGE_PHRASES: dict[PolicyKind, str] = {
    PolicyKind.IDENTITY: "identity-based policy",
    PolicyKind.RESOURCE: "resource-based policy",
    PolicyKind.TRUST: "role trust policy",
    PolicyKind.BOUNDARY: "permissions boundary",
    PolicyKind.SESSION: "session policy",
    PolicyKind.SCP: "service control policy",
    PolicyKind.RCP: "resource control policy",
}


class Decision(StrEnum):
    """The outcome of an evaluation, in the IAM policy simulator's words."""

    ALLOWED = "allowed"
    EXPLICIT_DENY = "explicitDeny"
    IMPLICIT_DENY = "implicitDeny"


class KeyPolicy(StrEnum):
    """Which key policy decided a request on a KMS key (spec §F.1 step 3)."""

    #: The key policy given as the request's resource policy.
    GIVEN = "given"
    #: None was given: AWS's default key policy, which allows the key's account (``kms:*`` to the account
    #: root) and so lets IAM policies of that account grant access.
    DEFAULT = "default"

    def describe(self) -> str:
        """One line for explanations and reports."""
        if self is KeyPolicy.GIVEN:
            return "key policy: the given resource policy"
        return "key policy: AWS's default key policy (assumed; it allows the key's account, enabling IAM policies)"


@dataclass(frozen=True, slots=True)
class StandingRule:
    """A rule AWS applies whatever the policies say, which decided a request.

    ``name`` is a short stable identifier, ``decision`` what the rule answers,
    ``reason`` the sentence explanations and denial messages show, ``spec``
    the rule's section of the behaviour spec and the AWS page it comes from.
    """

    name: str
    decision: Decision
    reason: str
    spec: str


@dataclass(frozen=True, slots=True)
class StatementRef:
    """Names one statement of one policy of a :class:`~iamsim.PolicySet`.

    ``kind``, ``level`` and ``position`` are the policy's slot (see
    :class:`~iamsim._engine.policy_set.PolicySlot`); ``policy_name`` is the
    policy's display name; ``statement_index`` is 0-based.
    """

    kind: PolicyKind
    level: int
    position: int
    statement_index: int
    policy_name: str
    sid: str | None
    effect: Effect

    def sort_key(self) -> tuple[int, int, int, int]:
        """Canonical order: policy kind (§F.1), level, position, statement index."""
        return (KIND_ORDER[self.kind], self.level, self.position, self.statement_index)

    def describe(self) -> str:
        """A short human label: ``statement 0 (Sid "DenyWrite") of identity policy "app"``."""
        sid = f' (Sid "{self.sid}")' if self.sid else ""
        name = f' "{self.policy_name}"' if self.policy_name else ""
        level = f" at level {self.level}" if self.kind in (PolicyKind.SCP, PolicyKind.RCP) else ""
        return f"{self.effect.value} statement {self.statement_index}{sid} of {self.kind.label} policy{name}{level}"


class StatementOutcome(StrEnum):
    """Why a statement did or did not apply; the first failing check wins."""

    MATCHED = "matched"
    ACTION_NOT_MATCHED = "action not matched"
    RESOURCE_NOT_MATCHED = "resource not matched"
    PRINCIPAL_NOT_MATCHED = "principal not matched"
    CONDITION_NOT_MET = "condition not met"


@dataclass(frozen=True, slots=True)
class ConditionTrace:
    """One condition test as evaluated: what the policy wanted, what the request had.

    ``request_values`` is ``None`` when the key was absent from the request.
    """

    operator: str
    key: str
    policy_values: tuple[str, ...]
    request_values: tuple[str, ...] | None
    passed: bool


@dataclass(frozen=True, slots=True)
class StatementTrace:
    """A statement's outcome; ``conditions`` is filled when its conditions were evaluated."""

    ref: StatementRef
    outcome: StatementOutcome
    conditions: tuple[ConditionTrace, ...] = ()


@dataclass(frozen=True, slots=True)
class PolicyTrace:
    """Every statement of one policy with its outcome."""

    kind: PolicyKind
    level: int
    position: int
    policy_name: str
    statements: tuple[StatementTrace, ...]


@dataclass(frozen=True, slots=True)
class Explanation:
    """The full account of an evaluation, policy by policy, in canonical order.

    ``steps`` narrates the decision order (explicit deny, RCPs, SCPs,
    resource-based, identity-based, boundary, session) in plain words.
    """

    policies: tuple[PolicyTrace, ...]
    steps: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, eq=False)
class EvaluationResult:
    """The decision for one request, with the statements that made it."""

    decision: Decision
    request: Request
    determining: tuple[StatementRef, ...] = ()
    denied_by: PolicyKind | None = None
    missing_context_keys: tuple[str, ...] = ()
    explanation: Explanation | None = None
    rule: StandingRule | None = None
    key_policy: KeyPolicy | None = None

    @property
    def allowed(self) -> bool:
        """Whether the request is allowed."""
        return self.decision is Decision.ALLOWED

    def message(self) -> str:
        """The AccessDenied message AWS would give, or a one-line "allowed" summary.

        AWS's forms (troubleshoot_access-denied): "User: ARN is not authorized
        to perform: ACTION on resource: ARN because no identity-based policy
        allows the ACTION action", "... with an explicit deny in an
        identity-based policy". Actions without a resource omit the "on
        resource" part; a service control policy is always reported as an
        explicit deny, even when the denial is implicit (spec §F.1 step 2).
        """
        principal = self.request.principal.arn
        action = self.request.action
        on_resource = "" if self.request.resource == "*" else f" on resource: {self.request.resource}"
        if self.decision is Decision.ALLOWED:
            return f"User: {principal} is allowed to perform: {action}{on_resource}"
        head = f"User: {principal} is not authorized to perform: {action}{on_resource}"
        if self.rule is not None:
            return f"{head} because {self.rule.reason}"
        kind = self.denied_by or PolicyKind.IDENTITY
        phrase = _MESSAGE_PHRASES[kind]
        if self.decision is Decision.EXPLICIT_DENY or kind in (PolicyKind.SCP, PolicyKind.RCP):
            article = "an" if phrase[0] in "aeiou" else "a"
            return f"{head} with an explicit deny in {article} {phrase}"
        return f"{head} because no {phrase} allows the {action} action"

    def __repr__(self) -> str:
        return (
            f"EvaluationResult(decision={self.decision.value!r}, action={self.request.action!r}, "
            f"resource={self.request.resource!r}, denied_by={self.denied_by!r}, "
            f"determining={len(self.determining)}"
            + (f", rule={self.rule.name!r}" if self.rule is not None else "")
            + (f", key_policy={self.key_policy.value!r}" if self.key_policy is not None else "")
            + ")"
        )


_R = TypeVar("_R", bound=EvaluationResult)

# The slot descriptors of the frozen result: setting through them skips the dataclass ``__init__`` and its
# ``object.__setattr__`` per field, which is most of the cost of answering a request from the memo.
_new_object = object.__new__
_RESULT_SLOTS = EvaluationResult.__dict__
_set_decision = _RESULT_SLOTS["decision"].__set__
_set_request = _RESULT_SLOTS["request"].__set__
_set_determining = _RESULT_SLOTS["determining"].__set__
_set_denied_by = _RESULT_SLOTS["denied_by"].__set__
_set_missing = _RESULT_SLOTS["missing_context_keys"].__set__
_set_explanation = _RESULT_SLOTS["explanation"].__set__
_set_rule = _RESULT_SLOTS["rule"].__set__
_set_key_policy = _RESULT_SLOTS["key_policy"].__set__


def build_result(
    decision: Decision,
    request: Request,
    determining: tuple[StatementRef, ...],
    denied_by: PolicyKind | None,
    missing_context_keys: tuple[str, ...],
    rule: StandingRule | None = None,
    key_policy: KeyPolicy | None = None,
) -> EvaluationResult:
    """An :class:`EvaluationResult` without explanation, equal field for field to calling the class.

    The fast path's constructor: about half the cost of the dataclass ``__init__``.
    """
    result = new_result(EvaluationResult, decision, determining, denied_by, missing_context_keys, rule, key_policy)
    _set_request(result, request)
    return result


def new_result(
    cls: type[_R],
    decision: Decision,
    determining: tuple[StatementRef, ...],
    denied_by: PolicyKind | None,
    missing_context_keys: tuple[str, ...],
    rule: StandingRule | None,
    key_policy: KeyPolicy | None,
) -> _R:
    """A ``cls`` (:class:`EvaluationResult` or a subclass) with every field but ``request`` set, no explanation.

    The caller sets ``request`` (or, for a subclass that builds it lazily, what it is built from).
    """
    result: _R = _new_object(cls)
    _set_decision(result, decision)
    _set_determining(result, determining)
    _set_denied_by(result, denied_by)
    _set_missing(result, missing_context_keys)
    _set_explanation(result, None)
    _set_rule(result, rule)
    _set_key_policy(result, key_policy)
    return result


_REF_SLOTS = StatementRef.__dict__
_set_kind = _REF_SLOTS["kind"].__set__
_set_level = _REF_SLOTS["level"].__set__
_set_position = _REF_SLOTS["position"].__set__
_set_statement_index = _REF_SLOTS["statement_index"].__set__
_set_policy_name = _REF_SLOTS["policy_name"].__set__
_set_sid = _REF_SLOTS["sid"].__set__
_set_effect = _REF_SLOTS["effect"].__set__


def build_statement_ref(
    kind: PolicyKind, level: int, position: int, statement_index: int, policy_name: str, sid: str | None, effect: Effect
) -> StatementRef:
    """A :class:`StatementRef` equal to calling the class, built without the frozen ``__init__`` (one per
    statement of every compiled set)."""
    ref: StatementRef = _new_object(StatementRef)
    _set_kind(ref, kind)
    _set_level(ref, level)
    _set_position(ref, position)
    _set_statement_index(ref, statement_index)
    _set_policy_name(ref, policy_name)
    _set_sid(ref, sid)
    _set_effect(ref, effect)
    return ref
