"""The public facade: its names are pinned, its one-shot helpers agree with the compiled evaluator."""

from __future__ import annotations

import doctest
import inspect

import pytest

import iamsim

READ_LOGS = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::company1-logs/*"}],
}
ALICE = "arn:aws:iam::111122223333:user/alice"


def test_all_is_sorted_and_complete() -> None:
    """The facade re-exports only what __all__ names, in sorted order."""
    assert list(iamsim.__all__) == sorted(iamsim.__all__)
    for name in iamsim.__all__:
        assert hasattr(iamsim, name), name


def test_every_public_name_has_a_docstring() -> None:
    """Docstrings on every public name (house rule)."""
    for name in iamsim.__all__:
        obj = getattr(iamsim, name)
        if callable(obj) and not isinstance(obj, type(iamsim.Decision.ALLOWED)):
            assert (obj.__doc__ or "").strip(), name


def test_module_doc_examples_run() -> None:
    """The examples in the facade's docstrings are executed, so they cannot rot."""
    # Public classes say ``iamsim`` as their module, so the examples are found under the facade.
    failures, tried = doctest.testmod(iamsim, raise_on_error=False)
    assert tried > 0
    assert failures == 0


def test_evaluate_one_shot_reference_and_compiled_agree() -> None:
    """§F.1 step 4: an identity Allow grants; both evaluators behind the facade say so."""
    for reference in (False, True):
        result = iamsim.evaluate(
            ALICE, "s3:GetObject", "arn:aws:s3:::company1-logs/a.log", identity=[READ_LOGS], reference=reference
        )
        assert result.decision is iamsim.Decision.ALLOWED


def test_authorize_raises_access_denied_with_aws_message() -> None:
    """§G.9: an implicit deny is reported in AWS's words, and the result rides on the error."""
    with pytest.raises(iamsim.AccessDeniedError) as caught:
        iamsim.authorize(ALICE, "s3:PutObject", "arn:aws:s3:::company1-logs/a.log", identity=[READ_LOGS])
    assert caught.value.message == (
        f"User: {ALICE} is not authorized to perform: s3:PutObject on resource: "
        "arn:aws:s3:::company1-logs/a.log because no identity-based policy allows the s3:PutObject action"
    )
    assert caught.value.result is not None
    assert caught.value.result.decision is iamsim.Decision.IMPLICIT_DENY


def test_policy_evaluator_reuses_one_compiled_set() -> None:
    """A compiled set answers many requests; is_allowed agrees with evaluate."""
    evaluator = iamsim.PolicyEvaluator.from_policies(identity=[READ_LOGS])
    for action, expected in (("s3:GetObject", True), ("s3:DeleteObject", False)):
        resource = "arn:aws:s3:::company1-logs/x"
        assert evaluator.is_allowed(ALICE, action, resource) is expected
        assert evaluator.evaluate(ALICE, action, resource).allowed is expected


def test_trust_and_resource_policy_are_exclusive() -> None:
    """A request has one resource policy: a trust policy or a resource-based policy."""
    with pytest.raises(iamsim.UsageError, match="not both"):
        iamsim.build_policy_set(resource_policy=READ_LOGS, trust_policy=READ_LOGS)


def test_access_denied_from_a_result_reads_like_any_other() -> None:
    """The lazily worded AccessDenied (for_result) has the same message, str, repr and args once read."""
    with pytest.raises(iamsim.AccessDeniedError) as caught:
        iamsim.authorize(ALICE, "s3:PutObject", "arn:aws:s3:::company1-logs/a.log", identity=[READ_LOGS])
    error = caught.value
    assert error.result is not None
    expected = error.result.message()
    assert str(error) == f"AccessDenied: {expected}"
    assert repr(error) == f"AccessDeniedError({expected!r})"
    assert error.message == expected
    assert error.args == (expected,)


def test_is_allowed_and_authorize_take_evaluates_parameters_by_name() -> None:
    """Explicit keyword signatures: no ``**kwargs``; a typo is a TypeError, not silently ignored."""
    evaluate = inspect.signature(iamsim.evaluate).parameters
    for function, dropped in ((iamsim.is_allowed, {"explain"}), (iamsim.authorize, set())):
        parameters = inspect.signature(function).parameters
        assert all(p.kind is not inspect.Parameter.VAR_KEYWORD for p in parameters.values())
        assert list(parameters) == [name for name in evaluate if name not in dropped]
    with pytest.raises(TypeError):
        iamsim.is_allowed(ALICE, "s3:GetObject", identty=[READ_LOGS])  # type: ignore[call-arg]


def test_explain_is_one_flag_everywhere() -> None:
    """§F.1: ``explain=True`` adds the trace to any result, also the one a denial carries."""
    denied = "arn:aws:s3:::company1-logs/a.log"
    with pytest.raises(iamsim.AccessDeniedError) as caught:
        iamsim.authorize(ALICE, "s3:PutObject", denied, identity=[READ_LOGS], explain=True)
    assert caught.value.result is not None
    assert caught.value.result.explanation is not None
    evaluator = iamsim.PolicyEvaluator.from_policies(identity=[READ_LOGS])
    with pytest.raises(iamsim.AccessDeniedError) as caught:
        evaluator.authorize(ALICE, "s3:PutObject", denied, explain=True)
    assert caught.value.result is not None
    assert caught.value.result.explanation is not None
    assert evaluator.authorize(ALICE, "s3:GetObject", denied).explanation is None
    assert evaluator.evaluate(ALICE, "s3:GetObject", denied, explain=True).explanation is not None
