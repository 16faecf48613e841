"""The combining laws of §F, checked on both evaluators (each example runs through both).

Each law edits the JSON documents of a generated scenario (so statement
indexes stay honest), evaluates before and after, and compares. No law uses
``assume``: edits are constructed to fit the scenario.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import assume, event, given, note
from hypothesis import strategies as st

from iamsim._engine.request import PrincipalType, Request
from iamsim._engine.result import KIND_ORDER, Decision, EvaluationResult
from iamsim._policy.model import PolicyKind
from iamsim._policy.rcp_services import rcps_apply_to

from .documents import Doc, Location, PolicySetDocs, Scenario, statements_of
from .evaluators import EVALUATORS, Evaluate
from .strategies import (
    Focus,
    condition_keys,
    contexts,
    matching_deny,
    policy_documents,
    policy_set_documents,
    request_parts,
    scenarios,
    statement_documents,
)
from .vocabulary import (
    ACCOUNT_A,
    ACCOUNT_B,
    ALICE_ID,
    DISJOINT_ACTIONS,
    PRINCIPAL_AWS_VALUES,
    PRINCIPALS,
    SCP_PRINCIPALS,
    SESSION_PRINCIPALS,
)

#: A statement as the laws track it across edits: slot kind, level, position, statement index.
StatementKey = tuple[PolicyKind, int, int, int]


def _slot(where: Location, docs: PolicySetDocs) -> tuple[PolicyKind, int, int]:
    """The (kind, level, position) of the policy at ``where``, as a StatementRef names it."""
    slot = where[0]
    if slot == "resource":
        return docs.resource_kind, 0, 0
    if slot == "boundary":
        return PolicyKind.BOUNDARY, 0, 0
    if slot in ("identity", "session"):
        return PolicyKind(slot), 0, where[1]
    return PolicyKind(slot), where[1], where[2]


def _keys(result: EvaluationResult) -> list[StatementKey]:
    return [(r.kind, r.level, r.position, r.statement_index) for r in result.determining]


def _evaluate(evaluate: Evaluate, docs: PolicySetDocs, request: Request) -> EvaluationResult:
    return evaluate(docs.build(), request, False)


def _with_new_statement(
    draw: st.DrawFn, scenario: Scenario, statement_for: Any
) -> tuple[PolicySetDocs, StatementKey, PolicyKind]:
    """Insert ``statement_for(kind)`` somewhere: any existing policy, or a new resource policy."""
    docs = scenario.docs
    options: list[tuple[Location, PolicyKind]] = list(docs.locations())
    if docs.resource is None:
        options.append((("resource",), docs.resource_kind))
    where, kind = draw(st.sampled_from(options))
    statement = draw(statement_for(kind))
    if where == ("resource",) and docs.resource is None:
        new_docs = dataclasses.replace(docs, resource={"Version": "2012-10-17", "Statement": [statement]})
        at = 0
    else:
        at = draw(st.integers(0, len(statements_of(docs.get(where)))))
        new_docs = docs.with_statement(where, statement, at)
    kind_, level, position = _slot(where, new_docs)
    return new_docs, (kind_, level, position, at), kind


@st.composite
def _deny_added(draw: st.DrawFn, matching: bool) -> tuple[Scenario, PolicySetDocs, StatementKey]:
    scenario = draw(scenarios())
    action = scenario.request.action
    focus = Focus(action, scenario.request.resource, scenario.request.principal)

    def deny(kind: PolicyKind) -> st.SearchStrategy[dict[str, Any]]:
        if matching:
            return st.just(matching_deny(kind, action))
        return statement_documents(kind, focus, effect="Deny")

    new_docs, key, _ = _with_new_statement(draw, scenario, deny)
    return scenario, new_docs, key


@st.composite
def _allow_added(draw: st.DrawFn) -> tuple[Scenario, PolicySetDocs]:
    scenario = draw(scenarios())
    focus = Focus(scenario.request.action, scenario.request.resource, scenario.request.principal)
    new_docs, _, _ = _with_new_statement(draw, scenario, lambda kind: statement_documents(kind, focus, effect="Allow"))
    return scenario, new_docs


@given(case=_deny_added(matching=True))
def test_matching_deny_anywhere_is_explicit_deny_f1_step1(case: tuple[Scenario, PolicySetDocs, StatementKey]) -> None:
    """§F.1 step 1: a matching Deny in any SCP, RCP, resource, trust, identity, boundary or session
    policy makes the decision explicitDeny, lists that statement among the determining ones, and
    the denial names the first kind in the §F.1 order (docs/evaluation.md Combining 1). RCPs
    count only for actions of services that support them (§F.5)."""
    scenario, docs, added = case
    assume(added[0] is not PolicyKind.RCP or rcps_apply_to(scenario.request.action))
    note(scenario.describe())
    note(f"after adding a matching Deny at {added}:\n{docs.to_json()}")
    for name, evaluate in EVALUATORS.items():
        result = _evaluate(evaluate, docs, scenario.request)
        assert result.decision is Decision.EXPLICIT_DENY, name
        assert added in _keys(result), name
        assert all(ref.effect.value == "Deny" for ref in result.determining), name
        first = min(result.determining, key=lambda ref: KIND_ORDER[ref.kind])
        assert result.denied_by is first.kind, name


@given(case=_deny_added(matching=False))
def test_adding_a_deny_never_allows_f1(case: tuple[Scenario, PolicySetDocs, StatementKey]) -> None:
    """§F.1: a Deny statement grants nothing, so adding one never turns a decision into allowed;
    and an explicit deny stays one (step 1 is monotone in Deny statements)."""
    scenario, docs, added = case
    note(scenario.describe())
    note(f"after adding a Deny at {added}:\n{docs.to_json()}")
    for name, evaluate in EVALUATORS.items():
        before = _evaluate(evaluate, scenario.docs, scenario.request)
        after = _evaluate(evaluate, docs, scenario.request)
        event(f"{before.decision.value} -> {after.decision.value}")
        if after.allowed:
            assert before.allowed, name
        if before.decision is Decision.EXPLICIT_DENY:
            assert after.decision is Decision.EXPLICIT_DENY, name


@given(case=_allow_added())
def test_adding_an_allow_never_denies_f1_f4(case: tuple[Scenario, PolicySetDocs]) -> None:
    """§F.1–§F.4: every combining step is monotone in Allow statements (statements are ORed,
    §A.1; a stronger resource-policy grant needs no more than a weaker one, §F.2/§F.4), so adding an
    Allow never turns allowed into a deny, and never creates or removes an explicit deny."""
    scenario, docs = case
    note(scenario.describe())
    note(f"after adding an Allow:\n{docs.to_json()}")
    for name, evaluate in EVALUATORS.items():
        before = _evaluate(evaluate, scenario.docs, scenario.request)
        after = _evaluate(evaluate, docs, scenario.request)
        event(f"{before.decision.value} -> {after.decision.value}")
        if before.allowed:
            assert after.allowed, name
        assert (after.decision is Decision.EXPLICIT_DENY) == (before.decision is Decision.EXPLICIT_DENY), name


@st.composite
def _statements_permuted(draw: st.DrawFn) -> tuple[Scenario, PolicySetDocs, Location | None, list[int]]:
    scenario = draw(scenarios())
    locations = [where for where, _ in scenario.docs.locations()]
    if not locations:
        return scenario, scenario.docs, None, []
    where = draw(st.sampled_from(locations))
    doc = scenario.docs.get(where)
    body = statements_of(doc)
    order = draw(st.permutations(range(len(body))))
    event(f"permuting {len(body)} statements")
    new_doc: Doc = {**doc, "Statement": [body[i] for i in order]}
    return scenario, scenario.docs.replace(where, new_doc), where, list(order)


@given(case=_statements_permuted())
def test_statement_order_within_a_policy_never_matters_a1(
    case: tuple[Scenario, PolicySetDocs, Location | None, list[int]],
) -> None:
    """§A.1: statements of a policy are combined with logical OR, so their order changes neither
    the decision, the denying type, the missing keys, nor (up to renumbering) the determining set."""
    scenario, docs, where, order = case
    note(scenario.describe())
    note(f"statements of {where} reordered as {order}")
    slot = _slot(where, docs) if where is not None else None

    def original(key: StatementKey) -> StatementKey:
        if slot is not None and key[:3] == slot:
            return (*slot, order[key[3]])
        return key

    for name, evaluate in EVALUATORS.items():
        before = _evaluate(evaluate, scenario.docs, scenario.request)
        after = _evaluate(evaluate, docs, scenario.request)
        assert after.decision is before.decision, name
        assert after.denied_by == before.denied_by, name
        assert after.missing_context_keys == before.missing_context_keys, name
        assert sorted(map(original, _keys(after)), key=_sort_key) == sorted(_keys(before), key=_sort_key), name


def _sort_key(key: StatementKey) -> tuple[int, int, int, int]:
    return (KIND_ORDER[key[0]], key[1], key[2], key[3])


@st.composite
def _identity_permuted(draw: st.DrawFn) -> tuple[Scenario, PolicySetDocs, list[int]]:
    scenario = draw(scenarios())
    docs = scenario.docs
    order = draw(st.permutations(range(len(docs.identity))))
    event(f"permuting {len(docs.identity)} identity policies")
    names = tuple(f"identity-{i}" for i in range(len(docs.identity)))
    new_docs = dataclasses.replace(
        docs,
        identity=tuple(docs.identity[i] for i in order),
        identity_names=tuple(names[i] for i in order),
    )
    return scenario, new_docs, list(order)


@given(case=_identity_permuted())
def test_identity_policy_order_never_matters_a1_f1_step4(case: tuple[Scenario, PolicySetDocs, list[int]]) -> None:
    """§A.1 (multiple policies are ORed) and §F.1 step 4: the order of a caller's identity
    policies changes neither the decision, the denying type, the missing keys, nor the determining
    statements (named by policy and statement index)."""
    scenario, docs, order = case
    note(scenario.describe())
    note(f"identity policies reordered as {order}")

    def named(result: EvaluationResult) -> list[tuple[str, int, int, str, int]]:
        return sorted(
            (
                r.kind.value,
                r.level,
                r.position if r.kind is not PolicyKind.IDENTITY else -1,
                r.policy_name,
                r.statement_index,
            )
            for r in result.determining
        )

    for name, evaluate in EVALUATORS.items():
        before = _evaluate(evaluate, scenario.docs, scenario.request)
        after = _evaluate(evaluate, docs, scenario.request)
        assert after.decision is before.decision, name
        assert after.denied_by == before.denied_by, name
        assert after.missing_context_keys == before.missing_context_keys, name
        assert named(after) == named(before), name


def _rcp_level_allows(level: tuple[Doc, ...]) -> bool:
    """Whether an RCP level holds ``RCPFullAWSAccess``, the only Allow an RCP can have (§F.5)."""
    return any(statement["Effect"] == "Allow" for doc in level for statement in statements_of(doc))


@st.composite
def _empty_org_level(draw: st.DrawFn) -> tuple[Scenario, PolicySetDocs, PolicyKind]:
    scenario = draw(scenarios())
    kinds = [PolicyKind.RCP]
    if scenario.principal_name in SCP_PRINCIPALS:
        kinds.append(PolicyKind.SCP)
    kind = draw(st.sampled_from(kinds))
    focus = Focus(scenario.request.action, scenario.request.resource, scenario.request.principal)
    # "Allows nothing": no policy at all, or only Deny statements.
    level = tuple(draw(st.lists(policy_documents(kind, focus, effect="Deny"), max_size=2)))
    event(f"{kind.value} level with {len(level)} deny-only policies")
    field = f"{kind.value}_levels"
    levels = list(getattr(scenario.docs, field))
    levels.insert(draw(st.integers(0, len(levels))), level)
    changes: dict[str, Any] = {field: tuple(levels)}
    return scenario, dataclasses.replace(scenario.docs, **changes), kind


@given(case=_empty_org_level())
def test_an_org_level_that_allows_nothing_denies_everything_f1_step2_f5(
    case: tuple[Scenario, PolicySetDocs, PolicyKind],
) -> None:
    """§F.1 step 2 and §F.5: an Allow must exist at every SCP/RCP level, so a level without one
    denies every request; unless a Deny matched first, the denial names the RCP gate (checked
    before SCPs, docs/evaluation.md Combining 2-3) or, when every RCP level allows, the SCP gate.
    RCP levels count only for actions of services that support RCPs (§F.5)."""
    scenario, docs, kind = case
    rcps_apply = rcps_apply_to(scenario.request.action)
    assume(kind is not PolicyKind.RCP or rcps_apply)
    note(scenario.describe())
    note(f"after adding a {kind.value} level that allows nothing:\n{docs.to_json()}")
    rcp_gate_fails = rcps_apply and not all(_rcp_level_allows(level) for level in docs.rcp_levels)
    for name, evaluate in EVALUATORS.items():
        result = _evaluate(evaluate, docs, scenario.request)
        event(f"decision: {result.decision.value}")
        assert not result.allowed, name
        if result.decision is Decision.IMPLICIT_DENY:
            assert result.denied_by is (PolicyKind.RCP if rcp_gate_fails else PolicyKind.SCP), name


def _non_granting_session_policy(focus: Focus) -> st.SearchStrategy[Doc]:
    """A session policy whose Allows name only actions no request uses, plus any Denies."""
    allow = st.fixed_dictionaries(
        {
            "Effect": st.just("Allow"),
            "Action": st.lists(st.sampled_from(DISJOINT_ACTIONS), min_size=1, max_size=2, unique=True),
            "Resource": st.just("*"),
        }
    )
    statement = allow | statement_documents(PolicyKind.SESSION, focus, effect="Deny")
    return st.lists(statement, min_size=1, max_size=3).map(lambda body: {"Version": "2012-10-17", "Statement": body})


@st.composite
def _session_without_allow(draw: st.DrawFn) -> Scenario:
    name = draw(st.sampled_from(sorted(SESSION_PRINCIPALS)))
    principal = PRINCIPALS[name]
    trust = draw(st.integers(0, 3)) == 0
    action, resource, owner = draw(request_parts(trust))
    focus = Focus(action, resource, principal)
    docs = draw(policy_set_documents(name, focus, trust=trust))
    request = Request.create(principal, action, resource, draw(contexts(condition_keys(docs))), resource_account=owner)
    session: tuple[Doc, ...] | None
    if principal.type is PrincipalType.FEDERATED_USER and draw(st.booleans()):
        session = None  # a federated user without session policies has no identity-side permissions
    else:
        session = tuple(draw(st.lists(_non_granting_session_policy(focus), min_size=1, max_size=2)))
    # Resource-side Allows may only delegate (account, role, federating user): those grants stay
    # limited by session policies (§F.2); a direct grant (session ARN, "*") would bypass them.
    delegating = [v for v in (*PRINCIPAL_AWS_VALUES, ACCOUNT_A, ACCOUNT_B) if v not in (principal.arn, ALICE_ID)]
    resource_doc = docs.resource
    if resource_doc is not None:
        kind = docs.resource_kind
        body: list[dict[str, Any]] = []
        for _ in range(draw(st.integers(1, 3))):
            if draw(st.booleans()):
                statement = draw(statement_documents(kind, focus, effect="Allow"))
                values = draw(st.lists(st.sampled_from(delegating), min_size=1, max_size=3, unique=True))
                statement["Principal"] = {"AWS": values}
            else:
                statement = draw(statement_documents(kind, focus, effect="Deny"))
            body.append(statement)
        resource_doc = {"Version": "2012-10-17", "Statement": body}
    docs = dataclasses.replace(docs, session=session, resource=resource_doc)
    return Scenario(name, request, docs)


@given(scenario=_session_without_allow())
def test_session_without_matching_session_allow_is_never_allowed_f1_step6(scenario: Scenario) -> None:
    """§F.1 step 6 and §F.2: a session whose session policies have no matching Allow (or a
    federated user with no session policy) is never allowed through identity policies, nor through
    resource-policy grants that name its account, role or federating user; only a grant naming the
    session itself could allow it, and none is generated here."""
    note(scenario.describe())
    for name, evaluate in EVALUATORS.items():
        result = _evaluate(evaluate, scenario.docs, scenario.request)
        event(f"decision: {result.decision.value}")
        assert not result.allowed, name
