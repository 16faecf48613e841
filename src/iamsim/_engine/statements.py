"""One statement compiled: its four checks (docs/evaluation.md "Which statements match").

The checks run in the contract's order (action, resource, principal,
conditions) and each is a pre-built object. A statement also knows where the
action index may file it (:class:`ActionKeys`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from iamsim._engine.conditions import ConditionTest, compile_condition
from iamsim._engine.principals import Naming, PrincipalMatcher, compile_principal
from iamsim._engine.request import ContextValue, Principal
from iamsim._engine.request_values import RequestValues
from iamsim._engine.resources import IDENTITY_SIDE_KINDS, ResourceMatcher, compile_resources
from iamsim._engine.variables import parse_template
from iamsim._engine.wildcards import GlobSet, Matcher, compile_glob_set, has_wildcards, is_match_all
from iamsim._policy.model import Condition, Effect, Policy, Statement

__all__ = ["ActionKeys", "CompiledStatement", "SharedParts", "action_keys", "compile_statement"]


@dataclass(frozen=True, slots=True)
class ActionKeys:
    """Where the action index files a statement.

    ``exact``: lowercase action names the statement lists literally (minus
    those of a service it also covers by a wildcard). ``services``: service
    prefix -> whether a candidate still needs the action test (``False`` when
    ``service:*`` covers the whole service). ``always``: the statement must be
    tested for every action (``*``, a wildcard in the service prefix, or
    ``NotAction``). ``heads``: for services in ``services`` that still need
    the action test and whose every pattern names a literal first character
    after the colon (``s3:Get*``, ``s3:PutObject``), the ``service:c`` heads
    an action must start with to possibly match; the index then offers the
    statement only to actions with one of those heads.
    """

    exact: frozenset[str]
    services: tuple[tuple[str, bool], ...]
    always: bool
    heads: tuple[tuple[str, tuple[str, ...]], ...] = ()


_ALWAYS = ActionKeys(frozenset(), (), True)
_KEYS_SLOTS = ActionKeys.__dict__
_set_exact = _KEYS_SLOTS["exact"].__set__
_set_services = _KEYS_SLOTS["services"].__set__
_set_always = _KEYS_SLOTS["always"].__set__
_set_heads = _KEYS_SLOTS["heads"].__set__


def _exact_keys(names: frozenset[str]) -> ActionKeys:
    """``ActionKeys(names, (), False)``, built without the frozen ``__init__``: most statements name their
    actions literally, and each distinct list of them gets its keys."""
    keys: ActionKeys = object.__new__(ActionKeys)
    _set_exact(keys, names)
    _set_services(keys, ())
    _set_always(keys, False)
    _set_heads(keys, ())
    return keys


#: Shared by every statement that reads no context key.
_NO_KEYS: frozenset[str] = frozenset()


def action_keys(statement: Statement, share: Callable[[frozenset[str]], frozenset[str]] | None = None) -> ActionKeys:
    """Compute the index keys of ``statement`` from its ``Action`` patterns.

    ``share`` returns the instance to keep of an equal set of action names (compilers share them).
    """
    if statement.action is None:
        return _ALWAYS
    if len(statement.action) == 1:
        # One pattern (the most common statement): what the general loop below computes, without its bookkeeping.
        only = statement.action[0].lower()
        if not has_wildcards(only):
            names = frozenset((only,))
            return _exact_keys(names if share is None else share(names))
        service, colon, name = only.partition(":")
        if not colon or has_wildcards(service):
            return _ALWAYS
        if is_match_all(name):
            return ActionKeys(_NO_KEYS, ((service, False),), False)
        heads: tuple[tuple[str, tuple[str, ...]], ...] = (
            () if has_wildcards(name[0]) else ((service, (f"{service}:{name[0]}",)),)
        )
        return ActionKeys(_NO_KEYS, ((service, True),), False, heads)
    exact: set[str] = set()
    services: dict[str, bool] = {}
    # Per service: the first characters of the names its patterns start with (None: a name starts with a wildcard).
    firsts: dict[str, set[str] | None] = {}
    for pattern in statement.action:
        lowered = pattern.lower()
        service, colon, name = lowered.partition(":")
        if not has_wildcards(lowered):
            exact.add(lowered)
        else:
            if not colon or has_wildcards(service):
                return _ALWAYS
            covers_service = is_match_all(name)
            services[service] = services.get(service, True) and not covers_service
        if colon:
            seen = firsts.setdefault(service, set())
            if seen is not None:
                if name and not has_wildcards(name[0]):
                    seen.add(name[0])
                else:
                    firsts[service] = None
    covered = {e for e in exact if ":" in e and e.partition(":")[0] in services}
    heads = tuple(
        (service, tuple(sorted(f"{service}:{first}" for first in chars)))
        for service, needs_test in sorted(services.items())
        if needs_test and (chars := firsts.get(service))
    )
    return ActionKeys(frozenset(exact - covered), tuple(sorted(services.items())), False, heads)


@dataclass(frozen=True, slots=True)
class _Unlisted:
    """``NotAction``'s test: the action is none of the listed ones."""

    listed: Matcher

    def __call__(self, text: str) -> bool:
        return not self.listed(text)


@dataclass(frozen=True, slots=True)
class CompiledStatement:
    """A statement ready to match requests.

    ``resource`` is ``None`` when the statement applies to every resource
    (no resource element, or a ``Resource`` listing ``*``). ``principal`` is
    ``None`` when the statement has no ``Principal``/``NotPrincipal``
    (identity-side policies); ``not_principal`` tells which of the two it is.
    ``missing_keys`` pairs each condition key an absent value would report
    (lowercased, as written); ``Null``-only keys are left out.

    ``action_test`` decides check 1 in one call (``every_action``: it always
    passes); ``resource_test`` decides check 2 in one call when the resource
    element needs no request context (``None`` otherwise: use ``resource``).

    :func:`compile_statement` sets only what the action index files the
    statement by (``source``, ``deny``, ``not_action``, ``keys``); the
    matchers are built the first time any of them is read (see
    :meth:`__getattr__`), so a statement no request reaches costs no matcher.
    """

    source: Statement
    deny: bool
    not_action: bool
    actions: GlobSet
    resource: ResourceMatcher | None
    principal: PrincipalMatcher | None
    not_principal: bool
    conditions: tuple[ConditionTest, ...]
    missing_keys: tuple[tuple[str, str], ...]
    keys: ActionKeys
    action_test: Matcher = field(compare=False, repr=False)
    every_action: bool
    resource_test: Matcher | None = field(compare=False, repr=False)
    #: Every (lowercased) context key a decision on this statement may read:
    #: condition keys and policy variables in resources and condition values.
    context_keys: frozenset[str] = frozenset()
    #: What the matchers are still to be built from (the statement's policy and the compilation's shared
    #: parts); ``None`` once they are built.
    pending: tuple[Policy, SharedParts] | None = field(default=None, compare=False, repr=False)

    def __getattr__(self, name: str) -> object:
        """Build the matchers on first use, then answer ``name`` (only called for a slot not set yet).

        Lock-free and safe across threads: building is deterministic and its parts immutable, so two
        threads that both build set equal values, and a reader sees either one. ``pending`` is cleared
        last, after every field is set.
        """
        if name not in _LAZY_FIELDS:
            raise AttributeError(name)
        pending = _get_pending(self)
        if pending is not None:
            _build_matchers(self, pending[0], pending[1])
        return _LAZY_GETTERS[name](self)

    def action_matches(self, action: str) -> bool:
        """Check 1: ``action`` (lowercased) is listed by ``Action``, or not by ``NotAction``."""
        return bool(self.action_test(action))

    def resource_matches(self, resource: str, context: Mapping[str, ContextValue]) -> bool:
        """Check 2: the resource element lets the statement apply to ``resource``."""
        if self.resource_test is not None:
            return bool(self.resource_test(resource))
        return self.resource is None or self.resource.matches(resource, context)

    def naming(self, principal: Principal, *, has_boundary: bool) -> Naming:
        """Check 3: how the statement names the caller (``NONE``: the statement does not apply)."""
        matcher = self.principal
        if matcher is None:
            return Naming.ACCOUNT
        if self.not_principal:
            return Naming.NONE if matcher.exempts(principal, has_boundary=has_boundary) else Naming.ACCOUNT
        return matcher.naming(principal)

    def conditions_hold(self, context: Mapping[str, ContextValue], values: RequestValues | None = None) -> bool:
        """Check 4: every condition holds (``values``: the request's parse memo, shared across statements)."""
        if values is None:
            values = RequestValues()
        for condition in self.conditions:  # noqa: SIM110 - a plain loop spares a generator per request
            if not condition.holds(context, values):
                return False
        return True


@dataclass(frozen=True, slots=True)
class SharedParts:
    """Compiled parts shared by the statements of one compilation (policies repeat themselves).

    Sharing is safe because every part is immutable; it saves compile time and memory.
    """

    actions: dict[tuple[str, ...], GlobSet] = field(default_factory=dict)
    conditions: dict[tuple[Condition, bool], ConditionTest] = field(default_factory=dict)
    #: Keyed by the element's patterns and what of the policy shapes them (completion, variables).
    resources: dict[tuple[object, ...], ResourceMatcher | None] = field(default_factory=dict)
    #: Keyed by the ``Action`` patterns (``None``: ``NotAction``).
    keys: dict[tuple[str, ...] | None, ActionKeys] = field(default_factory=dict)
    #: One instance of each equal frozen set of strings (resource services, context keys).
    frozensets: dict[frozenset[str], frozenset[str]] = field(default_factory=dict)

    def action_keys(self, statement: Statement) -> ActionKeys:
        """The index keys of ``statement`` (they depend only on its ``Action`` patterns)."""
        found = self.keys.get(statement.action)
        if found is None:
            found = self.keys[statement.action] = action_keys(statement, self.share_names)
        return found

    def share_names(self, items: frozenset[str]) -> frozenset[str]:
        """The shared instance equal to ``items`` (every frozen set is an object the garbage collector tracks)."""
        return self.frozensets.setdefault(items, items)

    def glob_set(self, patterns: tuple[str, ...]) -> GlobSet:
        """The case-insensitive glob set of action ``patterns``."""
        found = self.actions.get(patterns)
        if found is None:
            found = self.actions[patterns] = compile_glob_set(patterns, ignore_case=True)
            if found.exact:
                # Offered to :meth:`action_keys`, which names the same actions as a statement's index keys.
                self.share_names(found.exact)
        return found

    def resource(self, statement: Statement, policy: Policy) -> ResourceMatcher | None:
        """The compiled resource element of ``statement`` in ``policy``."""
        key = (statement.resource, statement.not_resource, policy.kind in IDENTITY_SIDE_KINDS, policy.variables_enabled)
        if key in self.resources:
            return self.resources[key]
        found = self.resources[key] = compile_resources(statement, policy, self.share_names)
        return found

    def condition(self, condition: Condition, variables: bool) -> ConditionTest:
        """The compiled ``condition``."""
        key = (condition, variables)
        found = self.conditions.get(key)
        if found is None:
            found = self.conditions[key] = compile_condition(condition, variables=variables)
        return found


def compile_statement(statement: Statement, policy: Policy, shared: SharedParts | None = None) -> CompiledStatement:
    """Compile ``statement`` of ``policy`` (its kind and Version shape the resource and variables).

    What the index needs is set now; the matchers are built when first read (:class:`CompiledStatement`).
    Nothing in them can fail: the parser has checked every value they are built from.
    """
    if shared is None:
        shared = SharedParts()
    # Equal to ``CompiledStatement(...)`` with these fields; setting the slots directly halves the cost of
    # the frozen dataclass's ``__init__`` (one ``object.__setattr__`` per field), paid once per statement.
    compiled: CompiledStatement = _new_object(CompiledStatement)
    _set_source(compiled, statement)
    _set_deny(compiled, statement.effect is Effect.DENY)
    _set_not_action(compiled, statement.action is None)
    _set_keys(compiled, shared.action_keys(statement))
    _set_pending(compiled, (policy, shared))
    return compiled


def _build_matchers(compiled: CompiledStatement, policy: Policy, shared: SharedParts) -> None:
    """Set the fields :func:`compile_statement` left for first use, then clear ``pending``."""
    statement = compiled.source
    not_action = statement.action is None
    patterns = (statement.not_action if not_action else statement.action) or ()
    principal_spec = statement.principal if statement.principal is not None else statement.not_principal
    variables = policy.variables_enabled
    conditions = tuple([shared.condition(c, variables) for c in statement.conditions]) if statement.conditions else ()
    actions = shared.glob_set(patterns)
    resource = shared.resource(statement, policy)
    resource_test: Matcher | None = None
    listed_test = None if resource is None else resource.context_free_test
    if resource is not None and listed_test is not None:
        resource_test = _Unlisted(listed_test) if resource.negated else listed_test
    # Every spelling is kept: the result reports the smallest one seen.
    missing_keys: dict[tuple[str, str], None] = {}
    context_keys: set[str] = set()
    if conditions:
        missing_keys = dict.fromkeys((c.key, c.source.key) for c in conditions if c.counts_as_missing)
        context_keys = {c.key for c in conditions}
        if variables:
            # Over-approximates (operators that never substitute are included): it only widens a memo key.
            for condition in statement.conditions:
                for value in condition.values:
                    if "${" in value:
                        context_keys.update(parse_template(value).keys)
    if resource is not None:
        for templated in resource.templated:
            context_keys.update(templated.tail.keys)
    _set_actions(compiled, actions)
    _set_resource(compiled, resource)
    _set_principal(compiled, None if principal_spec is None else compile_principal(principal_spec))
    _set_not_principal(compiled, statement.principal is None and statement.not_principal is not None)
    _set_conditions(compiled, conditions)
    _set_missing_keys(compiled, tuple(missing_keys))
    _set_action_test(compiled, _Unlisted(actions.test) if not_action else actions.test)
    _set_every_action(compiled, not not_action and actions.match_all)
    _set_resource_test(compiled, resource_test)
    _set_context_keys(compiled, shared.share_names(frozenset(context_keys)) if context_keys else _NO_KEYS)
    _set_pending(compiled, None)


_new_object = object.__new__
_STATEMENT_SLOTS = CompiledStatement.__dict__
_set_source = _STATEMENT_SLOTS["source"].__set__
_set_deny = _STATEMENT_SLOTS["deny"].__set__
_set_not_action = _STATEMENT_SLOTS["not_action"].__set__
_set_actions = _STATEMENT_SLOTS["actions"].__set__
_set_resource = _STATEMENT_SLOTS["resource"].__set__
_set_principal = _STATEMENT_SLOTS["principal"].__set__
_set_not_principal = _STATEMENT_SLOTS["not_principal"].__set__
_set_conditions = _STATEMENT_SLOTS["conditions"].__set__
_set_missing_keys = _STATEMENT_SLOTS["missing_keys"].__set__
_set_keys = _STATEMENT_SLOTS["keys"].__set__
_set_action_test = _STATEMENT_SLOTS["action_test"].__set__
_set_every_action = _STATEMENT_SLOTS["every_action"].__set__
_set_resource_test = _STATEMENT_SLOTS["resource_test"].__set__
_set_context_keys = _STATEMENT_SLOTS["context_keys"].__set__
_set_pending = _STATEMENT_SLOTS["pending"].__set__
_get_pending = _STATEMENT_SLOTS["pending"].__get__
#: The fields built on first use, each with its slot's reader.
_LAZY_GETTERS = {
    name: _STATEMENT_SLOTS[name].__get__
    for name in (
        "actions",
        "resource",
        "principal",
        "not_principal",
        "conditions",
        "missing_keys",
        "action_test",
        "every_action",
        "resource_test",
        "context_keys",
    )
}
_LAZY_FIELDS = frozenset(_LAZY_GETTERS)
