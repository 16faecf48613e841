"""Run every corpus case on every evaluator (spec §A-§F; contract in docs/evaluation.md).

Decision cases run three times: on the reference evaluator, on the compiled
evaluator, and on the compiled evaluator with its action index switched off.
Grammar cases (``want.error``) test the parser once. A missing evaluator module
is an ImportError in its tests: a loud failure, never a skip.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from corpus.build import build_policy_set, build_request, parse_all
from corpus.loader import CorpusCase, ExpectedStatement, load_corpus
from corpus.spec import spec_sections

CASES = load_corpus()
EVALUATORS = ("reference", "compiled", "compiled-unindexed")
MIN_CASES = 150
MIN_PER_AREA = 10

_DECISION_PARAMS = [
    pytest.param(case, evaluator, id=f"{case.id}[{evaluator}]")
    for case in CASES
    if case.want.error is None
    for evaluator in EVALUATORS
]
_ERROR_PARAMS = [pytest.param(case, id=case.id) for case in CASES if case.want.error is not None]


def _evaluate(evaluator: str, case: CorpusCase) -> Any:
    policy_set = build_policy_set(case)
    request = build_request(case)
    if evaluator == "reference":
        from iamsim._engine.reference import evaluate_reference

        return evaluate_reference(policy_set, request)
    from iamsim._engine.compiled import compile_policy_set

    if evaluator == "compiled":
        return compile_policy_set(policy_set).evaluate(request)
    return compile_policy_set(policy_set, use_index=False).evaluate(request)


def _got_statements(result: Any) -> list[ExpectedStatement]:
    return [
        ExpectedStatement(str(ref.kind.value), ref.level, ref.position, ref.statement_index)
        for ref in result.determining
    ]


def _describe(case: CorpusCase, evaluator: str, result: Any) -> str:
    denied = result.denied_by.value if result.denied_by is not None else None
    return (
        f"\ncase {case.id} ({case.spec}, {case.source}) on {evaluator}: {case.note}"
        f"\n  got:  decision={result.decision.value} denied_by={denied}"
        f" determining={_got_statements(result)} missing={list(result.missing_context_keys)}"
        f"\n  want: {case.want}"
    )


@pytest.mark.parametrize(("case", "evaluator"), _DECISION_PARAMS)
def test_case_decision(case: CorpusCase, evaluator: str) -> None:
    """The evaluator gives the decision, denial, determining statements and missing keys the case wants."""
    result = _evaluate(evaluator, case)
    want = case.want
    where = _describe(case, evaluator, result)
    assert result.decision.value == want.decision, where
    if want.decision == "allowed":
        assert result.denied_by is None, where
    if want.denied_by is not None:
        assert result.denied_by is not None, where
        assert result.denied_by.value == want.denied_by, where
    if want.determining is not None:
        assert _got_statements(result) == list(want.determining), where
    if want.missing_context_keys is not None:
        assert list(result.missing_context_keys) == list(want.missing_context_keys), where
    if want.rule is not None:
        assert (result.rule.name if result.rule is not None else "none") == want.rule, where
    if want.key_policy is not None:
        assert (result.key_policy.value if result.key_policy is not None else "none") == want.key_policy, where


@pytest.mark.parametrize("case", _ERROR_PARAMS)
def test_case_parse_error(case: CorpusCase) -> None:
    """The parser rejects the case's policy with the AWS error code (and message) the case wants (§A)."""
    from iamsim.errors import ServiceError

    with pytest.raises(ServiceError) as caught:
        parse_all(case)
    error = caught.value
    assert error.code == case.want.error, f"{case.id}: got {error.code}: {error.message}"
    if case.want.message_contains is not None:
        assert case.want.message_contains in error.message, f"{case.id}: got {error.message!r}"


def test_case_ids_are_unique() -> None:
    """Every case id appears once across the corpus."""
    counts = Counter(case.id for case in CASES)
    assert [case_id for case_id, n in counts.items() if n > 1] == []


def test_every_case_cites_an_existing_spec_section() -> None:
    """Every case's ``spec`` names a section heading of the behaviour spec (``docs/spec/``)."""
    sections = spec_sections()
    # The heading parser works: top-level sections and subsections of several pages are found.
    assert {"§A", "§A.1", "§C.3", "§F", "§F.5", "§F.6", "§H.6", "§K.4"} <= sections
    assert {"§" + "J", "§" + "A.9"}.isdisjoint(sections)  # and invents none (built so no citation scan sees them)
    unknown = sorted({(case.id, case.spec) for case in CASES if case.spec not in sections})
    assert unknown == []


def test_case_count_per_section() -> None:
    """The corpus holds at least 150 cases, and every area §A-§F is covered."""
    per_section = Counter(case.spec for case in CASES)
    per_area = Counter(case.spec[1] for case in CASES)
    for section in sorted(per_section):
        print(f"{section}: {per_section[section]}")
    print(f"total: {len(CASES)}")
    assert len(CASES) >= MIN_CASES
    assert {area: per_area[area] for area in "ABCDEF" if per_area[area] < MIN_PER_AREA} == {}


@pytest.mark.parametrize(
    ("case_yaml", "problem"),
    [
        (
            "- {id: x-1, spec: '§Z.9', note: n, request: {principal: '111111111111', action: 's3:GetObject'}, "
            "want: {decision: allowed}}",
            "spec must look like",
        ),
        (
            "- {id: x-1, spec: '§A.1', note: n, request: {principal: '111111111111', action: 's3:GetObject'}, "
            "want: {decision: maybe}}",
            "want.decision must be one of",
        ),
        (
            "- {id: x-1, spec: '§A.1', note: n, polices: {}, request: {principal: '111111111111', "
            "action: 's3:GetObject'}, want: {decision: allowed}}",
            "unknown case key(s) ['polices']",
        ),
        (
            "- {id: x-1, spec: '§A.1', note: n, request: {principal: '111111111111', action: 's3:GetObject', "
            "resource_account: 111111111111}, want: {decision: allowed}}",
            "quoted 12-digit string",
        ),
    ],
)
def test_loader_names_file_and_case_on_malformed_case(tmp_path: Path, case_yaml: str, problem: str) -> None:
    """A malformed case is a CorpusError naming the file, the case id and the problem."""
    from corpus.loader import CorpusError, load_file

    path = tmp_path / "z_bad.yaml"
    path.write_text(case_yaml, encoding="utf-8")
    with pytest.raises(CorpusError) as caught:
        load_file(path)
    message = str(caught.value)
    assert message.startswith("z_bad.yaml: case 'x-1': ")
    assert problem in message
