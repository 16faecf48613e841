"""The reference evaluator and the compiled fast path agree on every generated case.

DESIGN.md convention 3: a slow spec-literal reference and a fast path, tested
against each other; the contract is docs/evaluation.md and the result fields
are those of ``iamsim._engine.result``. Run with
``--hypothesis-show-statistics`` to see the mix of decisions.
"""

from __future__ import annotations

from hypothesis import event, given, note
from hypothesis import strategies as st

from iamsim._engine.compiled import compile_policy_set
from iamsim._engine.conditions import compile_condition
from iamsim._engine.reference.conditions import condition_holds
from iamsim._engine.reference.statements import resource_matches
from iamsim._engine.reference.variables import VariableScope
from iamsim._engine.request import ContextValue
from iamsim._engine.resources import compile_resources
from iamsim._engine.result import EvaluationResult
from iamsim._policy.model import Condition, PolicyKind, SetQualifier
from iamsim._policy.parse import parse_policy

from .documents import Scenario
from .evaluators import EVALUATORS, evaluate_compiled, evaluate_reference, summary
from .strategies import resource_elements, scenarios
from .value_texts import texts_for_family
from .vocabulary import FAMILY_OPERATORS, REQUEST_RESOURCES, TYPED_RESOURCES


def _record(scenario: Scenario, result: EvaluationResult) -> None:
    note(scenario.describe())
    event(f"decision: {result.decision.value}")
    if result.denied_by is not None:
        event(f"denied by: {result.denied_by.value}")
    event(f"cross-account: {scenario.request.is_cross_account}")
    if result.missing_context_keys:
        event("some context keys missing")


@given(scenarios())
def test_decision_determining_denied_by_and_missing_keys_agree_f1_f4(scenario: Scenario) -> None:
    """§F.1–§F.4 as docs/evaluation.md states them: both evaluators give the same decision,
    determining statements, denying policy type and missing context keys."""
    policy_set = scenario.policy_set
    reference = evaluate_reference(policy_set, scenario.request)
    compiled = evaluate_compiled(policy_set, scenario.request)
    _record(scenario, reference)
    assert summary(compiled) == summary(reference)


@given(scenarios())
def test_explanations_agree_statement_by_statement(scenario: Scenario) -> None:
    """docs/evaluation.md "Which statements match": with explain=True both evaluators report the
    same outcome for every statement (first failing check of action §B.1, resource §B.2, principal
    §A.3, condition §C) and the same condition traces."""
    policy_set = scenario.policy_set
    reference = evaluate_reference(policy_set, scenario.request, explain=True)
    compiled = evaluate_compiled(policy_set, scenario.request, explain=True)
    _record(scenario, reference)
    assert summary(compiled) == summary(reference)
    assert reference.explanation is not None
    assert compiled.explanation is not None
    for ref_policy, fast_policy in zip(reference.explanation.policies, compiled.explanation.policies, strict=True):
        assert fast_policy == ref_policy
    assert len(compiled.explanation.policies) == len(reference.explanation.policies)


@given(scenarios())
def test_action_index_changes_nothing(scenario: Scenario) -> None:
    """DESIGN.md convention 4: statements indexed by service, with an all-statements path kept for
    testing the index; both paths give identical results, plain and explained (§B.1)."""
    policy_set = scenario.policy_set
    note(scenario.describe())
    for explain in (False, True):
        indexed = evaluate_compiled(policy_set, scenario.request, explain, use_index=True)
        scanned = evaluate_compiled(policy_set, scenario.request, explain, use_index=False)
        assert summary(indexed) == summary(scanned)
        assert indexed.explanation == scanned.explanation


@given(scenarios())
def test_is_allowed_is_evaluate_allowed(scenario: Scenario) -> None:
    """DESIGN.md convention 7: ``is_allowed()`` is the boolean of the full evaluation (§F.1)."""
    note(scenario.describe())
    for use_index in (True, False):
        compiled = compile_policy_set(scenario.policy_set, use_index=use_index)
        assert compiled.is_allowed(scenario.request) is compiled.evaluate(scenario.request).allowed


@given(scenarios())
def test_explain_mode_gives_the_plain_decision_and_diagnostics(scenario: Scenario) -> None:
    """DESIGN.md convention 5: tracing is opt-in and both modes return the same decision (and the
    same denying policy type, §G.9 message). Per the result.py contract (and §I, MatchedStatements
    lists every determining statement) the determining set and missing context keys are defined
    over all statements, so a plain evaluation that stops early must still report exactly what the
    explained one does."""
    policy_set = scenario.policy_set
    note(scenario.describe())
    for name, evaluate in EVALUATORS.items():
        plain = evaluate(policy_set, scenario.request, False)
        explained = evaluate(policy_set, scenario.request, True)
        assert plain.explanation is None, name
        assert explained.explanation is not None, name
        assert (explained.decision, explained.denied_by) == (plain.decision, plain.denied_by), name
        assert summary(plain) == summary(explained), name


_KEY = "app:value"


@st.composite
def _typed_conditions(draw: st.DrawFn) -> tuple[Condition, dict[str, ContextValue]]:
    """One Numeric/Date/IP/Bool condition and a context, both drawn from the whole value grammar.

    Policy values are not filtered through the parser, so this also covers values a policy could
    only hold by bypassing it; a request value is sometimes one of the policy values itself, so
    that equal spellings meet.
    """
    family = draw(st.sampled_from(["Numeric", "Date", "Ip", "Bool"]))
    base = draw(st.sampled_from(FAMILY_OPERATORS[family]))
    qualifier = draw(st.sampled_from([None, None, SetQualifier.FOR_ALL_VALUES, SetQualifier.FOR_ANY_VALUE]))
    prefix = "" if qualifier is None else f"{qualifier.value}:"
    texts = texts_for_family(family)
    assert texts is not None
    policy_values = tuple(draw(st.lists(texts, min_size=1, max_size=3)))
    one = st.one_of(texts, st.sampled_from(policy_values))
    request: ContextValue = draw(st.one_of(one, st.lists(one, min_size=0, max_size=3).map(tuple)))
    condition = Condition(prefix + base, base, qualifier, False, _KEY, policy_values)
    return condition, {_KEY: request}


@given(_typed_conditions())
def test_typed_condition_values_agree_c2(case: tuple[Condition, dict[str, ContextValue]]) -> None:
    """§C.2 (docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html):
    for numbers, dates, IP addresses and booleans spelled any way, within the grammar or outside it,
    at any length, both evaluators give the same answer and neither raises."""
    condition, context = case
    note(f"{condition.operator} {condition.values!r} vs {context[_KEY]!r}")
    reference = condition_holds(condition, context, VariableScope(context, True))
    compiled = compile_condition(condition, variables=True).holds(context)
    event(f"{condition.base}: {reference}")
    assert compiled is reference


_ResourceCase = tuple[str, list[str], PolicyKind, str, bool, dict[str, ContextValue]]


@st.composite
def _resource_cases(draw: st.DrawFn) -> _ResourceCase:
    """A request resource, Resource patterns biased towards it, the policy kind, Version, negation and context."""
    typed = draw(st.integers(0, 3)) > 0  # most cases meet the rule's subject: a typed resource
    resource = draw(st.sampled_from(TYPED_RESOURCES if typed else [r for r in REQUEST_RESOURCES if r != "*"]))
    kind = draw(st.sampled_from([PolicyKind.IDENTITY, PolicyKind.RESOURCE]))
    patterns = draw(resource_elements(kind, resource))
    version = draw(st.sampled_from(["2012-10-17", "2012-10-17", "2008-10-17"]))
    kind_value = draw(st.sampled_from(["user", "instance", "function", "", "alice"]))
    context: dict[str, ContextValue] = {"aws:requesttag/kind": kind_value} if draw(st.booleans()) else {}
    return resource, patterns, kind, version, draw(st.integers(0, 3)) == 0, context


@given(_resource_cases())
def test_resource_elements_agree_b2(case: _ResourceCase) -> None:
    """§B.2 (UG: reference_identifiers.html) and §D: the reference and the compiled Resource test agree
    pattern by pattern, in particular where a wildcard, a region or account "*" running past colons, or
    a policy variable could stand for the resource-type word. A statement-level test, so the rule is
    reached far more often than through whole scenarios."""
    resource, patterns, kind, version, negated, context = case
    element = "NotResource" if negated else "Resource"
    statement: dict[str, object] = {"Effect": "Allow", "Action": "*", element: patterns}
    if kind is PolicyKind.RESOURCE:
        statement["Principal"] = "*"
    policy = parse_policy({"Version": version, "Statement": [statement]}, kind)
    parsed = policy.statements[0]
    note(f"{kind.value} {version} {statement} vs {resource} with {context}")
    reference = resource_matches(parsed, resource, kind, VariableScope(context, policy.variables_enabled))
    matcher = compile_resources(parsed, policy)
    compiled = True if matcher is None else matcher.matches(resource, context)
    event(f"resource matched: {reference}")
    assert compiled is reference
