"""The immutable policy model: what a policy document says, once parsed.

Values are normalised at parse time so nothing downstream re-reads JSON:
single values become 1-tuples, JSON numbers and booleans in conditions become
the strings IAM compares (``true`` -> ``"true"``, ``10`` -> ``"10"``).
Source positions (``span``, located lazily from the kept text) do not take part in equality.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

__all__ = [
    "Condition",
    "Effect",
    "Policy",
    "PolicyKind",
    "PrincipalSpec",
    "SetQualifier",
    "Span",
    "SpanSource",
    "Statement",
    "plain_statement",
]


class PolicyKind(StrEnum):
    """Which kind of policy a document is; each kind has its own grammar rules."""

    IDENTITY = "identity"
    RESOURCE = "resource"
    TRUST = "trust"
    BOUNDARY = "boundary"
    SESSION = "session"
    SCP = "scp"
    RCP = "rcp"

    @property
    def label(self) -> str:
        """The policy type as AWS names it in AccessDenied messages."""
        return _LABELS[self]


_LABELS = {
    PolicyKind.IDENTITY: "identity-based",
    PolicyKind.RESOURCE: "resource-based",
    PolicyKind.TRUST: "role trust",
    PolicyKind.BOUNDARY: "permissions boundary",
    PolicyKind.SESSION: "session",
    PolicyKind.SCP: "service control",
    PolicyKind.RCP: "resource control",
}


class Effect(StrEnum):
    """A statement's effect; the JSON value is case sensitive."""

    ALLOW = "Allow"
    DENY = "Deny"


class SetQualifier(StrEnum):
    """The set operator prefix of a condition operator."""

    FOR_ALL_VALUES = "ForAllValues"
    FOR_ANY_VALUE = "ForAnyValue"


@dataclass(frozen=True, slots=True)
class Span:
    """Where a statement object stands in the policy text (1-based lines and columns).

    ``start_*`` is the position of the opening ``{``, ``end_*`` that of the
    closing ``}``.
    """

    start_line: int
    start_column: int
    end_line: int
    end_column: int

    def span_at(self, pointer: str) -> Span:
        """This span, whatever the pointer: a span given outright is its own source."""
        return self


class SpanSource(Protocol):
    """Something that can tell where the value at a JSON pointer stands (a parsed policy text)."""

    def span_at(self, pointer: str) -> Span | None:
        """The span of the value at ``pointer``, or ``None``."""
        ...


@dataclass(frozen=True, slots=True)
class Condition:
    """One key test inside a ``Condition`` block.

    ``operator`` is the operator as written (``ForAnyValue:StringLikeIfExists``);
    ``base`` is the canonical base operator name (``StringLike``); ``key`` is the
    condition key as written (key names compare case-insensitively).
    ``values`` are ORed (NOR for negated operators).
    """

    operator: str
    base: str
    qualifier: SetQualifier | None
    if_exists: bool
    key: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PrincipalSpec:
    """A ``Principal`` or ``NotPrincipal`` element.

    ``wildcard`` is true for ``"*"`` and for ``{"AWS": "*"}``, which mean the
    same; the tuples hold the values of each principal map key as written.
    """

    wildcard: bool = False
    aws: tuple[str, ...] = ()
    service: tuple[str, ...] = ()
    federated: tuple[str, ...] = ()
    canonical_user: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, init=False)
class Statement:
    """One statement. Exactly one of ``action``/``not_action`` is set.

    ``resource`` and ``not_resource`` are both ``None`` when the statement has
    no resource element (allowed in resource-based and trust policies: the
    statement then applies to the resource the policy is attached to).
    ``index`` is the statement's 0-based position in the policy.
    """

    index: int
    effect: Effect
    sid: str | None
    action: tuple[str, ...] | None
    not_action: tuple[str, ...] | None
    resource: tuple[str, ...] | None
    not_resource: tuple[str, ...] | None
    principal: PrincipalSpec | None
    not_principal: PrincipalSpec | None
    conditions: tuple[Condition, ...]
    #: Where to find the statement's span when asked: the parsed text and the statement's pointer in it.
    located: tuple[SpanSource, str] | None = field(compare=False, repr=False)

    def __init__(
        self,
        index: int,
        effect: Effect,
        sid: str | None = None,
        action: tuple[str, ...] | None = None,
        not_action: tuple[str, ...] | None = None,
        resource: tuple[str, ...] | None = None,
        not_resource: tuple[str, ...] | None = None,
        principal: PrincipalSpec | None = None,
        not_principal: PrincipalSpec | None = None,
        conditions: tuple[Condition, ...] = (),
        span: Span | None = None,
        *,
        located: tuple[SpanSource, str] | None = None,
    ) -> None:
        """Build a statement; ``span`` gives its position outright, ``located`` where to find it when asked."""
        # The slots' own setters: a frozen dataclass sets fields with ``object.__setattr__``, which costs
        # twice as much per field, and a statement is built for every statement of every policy read.
        _set_index(self, index)
        _set_effect(self, effect)
        _set_sid(self, sid)
        _set_action(self, action)
        _set_not_action(self, not_action)
        _set_resource(self, resource)
        _set_not_resource(self, not_resource)
        _set_principal(self, principal)
        _set_not_principal(self, not_principal)
        _set_conditions(self, conditions)
        _set_located(self, (span, "") if located is None and span is not None else located)

    def __reduce__(self) -> tuple[type[Statement], tuple[object, ...]]:
        """Pickle and copy with the span located: the parsed text it comes from stays behind."""
        return (
            Statement,
            (
                self.index,
                self.effect,
                self.sid,
                self.action,
                self.not_action,
                self.resource,
                self.not_resource,
                self.principal,
                self.not_principal,
                self.conditions,
                self.span,
            ),
        )

    @property
    def span(self) -> Span | None:
        """Where the statement stands in its policy text (``None`` for a policy not parsed from text).

        A parsed statement locates it on first use: compiling never needs it, the linter and the
        simulate handler do.
        """
        located = self.located
        return None if located is None else located[0].span_at(located[1])

    @property
    def pointer(self) -> str:
        """The JSON pointer of this statement in its policy (``/Statement/0``)."""
        return f"/Statement/{self.index}"


_STATEMENT_SLOTS = Statement.__dict__
_set_index = _STATEMENT_SLOTS["index"].__set__
_set_effect = _STATEMENT_SLOTS["effect"].__set__
_set_sid = _STATEMENT_SLOTS["sid"].__set__
_set_action = _STATEMENT_SLOTS["action"].__set__
_set_not_action = _STATEMENT_SLOTS["not_action"].__set__
_set_resource = _STATEMENT_SLOTS["resource"].__set__
_set_not_resource = _STATEMENT_SLOTS["not_resource"].__set__
_set_principal = _STATEMENT_SLOTS["principal"].__set__
_set_not_principal = _STATEMENT_SLOTS["not_principal"].__set__
_set_conditions = _STATEMENT_SLOTS["conditions"].__set__
_set_located = _STATEMENT_SLOTS["located"].__set__


def plain_statement(
    index: int,
    effect: Effect,
    sid: str | None,
    action: tuple[str, ...] | None,
    not_action: tuple[str, ...] | None,
    resource: tuple[str, ...] | None,
    not_resource: tuple[str, ...] | None,
    conditions: tuple[Condition, ...],
    located: tuple[SpanSource, str] | None,
) -> Statement:
    """A :class:`Statement` without ``Principal``/``NotPrincipal``, equal to calling the class.

    For the parser's quick path, which builds one per statement of every identity-side policy read:
    the slots are set directly, without ``__init__``'s keyword handling.
    """
    statement: Statement = object.__new__(Statement)
    _set_index(statement, index)
    _set_effect(statement, effect)
    _set_sid(statement, sid)
    _set_action(statement, action)
    _set_not_action(statement, not_action)
    _set_resource(statement, resource)
    _set_not_resource(statement, not_resource)
    _set_principal(statement, None)
    _set_not_principal(statement, None)
    _set_conditions(statement, conditions)
    _set_located(statement, located)
    return statement


@dataclass(frozen=True, slots=True)
class Policy:
    """A parsed policy document of one kind.

    ``version`` is ``None`` when the document has no ``Version`` (policy
    variables are then literal text, as under ``2008-10-17``). ``name`` is how
    results and explanations refer to the policy; it is not part of the JSON.
    """

    kind: PolicyKind
    statements: tuple[Statement, ...]
    version: str | None = "2012-10-17"
    id: str | None = None
    name: str = field(default="", compare=False)

    @property
    def variables_enabled(self) -> bool:
        """Whether ``${...}`` policy variables are substituted (Version 2012-10-17 only)."""
        return self.version == "2012-10-17"

    def named(self, name: str) -> Policy:
        """Return the same policy under another ``name``."""
        return Policy(self.kind, self.statements, self.version, self.id, name)
