"""Request values are parsed once per text and kind, across requests (issue 16), with the one value grammar (spec §C.2).

AWS's "Condition operators" page (docs.aws.amazon.com/IAM/latest/UserGuide/
reference_policies_elements_condition_operators.html) defines how Date, Numeric
and IP operators compare; parsing once changes no decision, only the cost.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from compiled_builders import allow, deny, evaluate, identity, request

from iamsim._engine import request_values
from iamsim._engine.compiled import compile_policy_set
from iamsim._engine.policy_set import PolicySet
from iamsim._engine.request_values import RequestValues
from iamsim._policy.values import parse_address, parse_date, parse_number

CONTEXT = {"aws:CurrentTime": "2026-01-01T00:00:00Z", "aws:SourceIp": "10.0.0.7", "aws:MultiFactorAuthAge": "30"}


def _policies() -> PolicySet:
    """Several statements per kind, all reading the same three request values."""
    statements = []
    for index in range(3):
        statements.append(allow("s3:Get*", Condition={"DateLessThan": {"aws:CurrentTime": f"203{index}"}}))
        statements.append(allow("s3:GetObject", Condition={"IpAddress": {"aws:SourceIp": f"10.{index}.0.0/8"}}))
        statements.append(deny("s3:GetObject", Condition={"NumericGreaterThan": {"aws:MultiFactorAuthAge": "99"}}))
    return PolicySet(identity=(identity(*statements),))


@pytest.mark.parametrize(
    ("reader", "grammar", "text"),
    [
        (RequestValues.date, parse_date, "2026-01-01T00:00:00+01:00"),
        (RequestValues.date, parse_date, "not a date"),
        (RequestValues.number, parse_number, "1e3"),
        (RequestValues.number, parse_number, "١"),
        (RequestValues.address, parse_address, "2001:db8::1"),
        (RequestValues.address, parse_address, "fe80::1%eth0"),
    ],
)
def test_reads_with_the_one_grammar_c2(
    reader: Callable[[RequestValues, str], object], grammar: Callable[[str], object], text: str
) -> None:
    """§C.2: each reader answers what ``iamsim._policy.values`` answers, on the first and the remembered read."""
    values = RequestValues()
    assert reader(values, text) == grammar(text)
    assert reader(values, text) == grammar(text)


def test_a_number_and_a_date_of_the_same_text_are_kept_apart_c2() -> None:
    """§C.2: ``2026`` is the number 2026 and the instant 2026-01-01T00:00:00Z; one memo per kind."""
    values = RequestValues()
    assert values.number("2026") == Decimal(2026)
    assert values.date("2026") == parse_date("2026") != Decimal(2026)


def test_each_value_is_parsed_once_per_evaluator_c2(monkeypatch: pytest.MonkeyPatch) -> None:
    """§C.2: nine conditions over three keys parse each text once; a later request parses only new texts."""
    calls: list[str] = []

    def counted(parse: Callable[[str], object]) -> Callable[[str], object]:
        def wrapper(text: str) -> object:
            calls.append(text)
            return parse(text)

        return wrapper

    for name in ("parse_date", "parse_number", "parse_address"):
        monkeypatch.setattr(request_values, name, counted(getattr(request_values, name)))
    compiled = compile_policy_set(_policies(), memo_size=0)
    compiled.evaluate(request(context=CONTEXT))
    assert sorted(calls) == sorted(CONTEXT.values())
    calls.clear()
    compiled.evaluate(request(context=CONTEXT))
    assert calls == []  # the same texts again: remembered across requests
    calls.clear()
    compiled.evaluate(request(context={**CONTEXT, "aws:SourceIp": "10.0.0.8"}))
    assert calls == ["10.0.0.8"]


def test_remembered_texts_are_bounded_c2(monkeypatch: pytest.MonkeyPatch) -> None:
    """§C.2: past the bound a kind starts over, and a text read again still gets the grammar's answer."""
    monkeypatch.setattr(request_values, "_LIMIT", 3)
    values = RequestValues()
    texts = [f"10.0.0.{n}" for n in range(7)]
    for text in texts:
        assert values.address(text) == parse_address(text)
    assert len(values._addresses) <= 3
    assert values.address(texts[0]) == parse_address(texts[0])


def test_parsing_once_changes_no_decision_c2() -> None:
    """§C.2: the indexed, unindexed and explained paths agree on every mix of the three values."""
    policies = _policies()
    for when in ("2026-01-01T00:00:00Z", "2035-01-01T00:00:00Z", "junk"):
        for address in ("10.0.0.7", "192.0.2.1", "junk"):
            for age in ("30", "100", "junk"):
                context = {"aws:CurrentTime": when, "aws:SourceIp": address, "aws:MultiFactorAuthAge": age}
                evaluate(policies, request(context=context))
