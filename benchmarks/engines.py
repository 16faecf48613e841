"""The engines under test, each behind the same small interface and through its real public code path.

* ``iamsim``: :func:`iamsim._engine.compiled.compile_policy_set` then
  ``CompiledPolicySet.evaluate`` (the full :class:`EvaluationResult`), with
  the decision memo warm; ``iamsim cold`` clears every per-set cache before
  each request (every action/resource pair seen for the first time);
  ``iamsim is_allowed`` is the lean boolean path.
* ``reference``: :func:`iamsim._engine.reference.evaluate_reference`, only
  for agreement (it is the readable evaluator, not a contender).
* ``moto``: ``moto.iam.access_control.IAMPolicy(text).is_action_permitted``,
  the evaluator moto's own request authorisation calls per policy.
* ``pmapper``: ``principalmapper.querying.query_interface.local_check_authorization``
  on a role :class:`~principalmapper.common.nodes.Node` holding the policy.

An engine's ``prepare`` compiles the workload's policy (timed separately)
and converts the requests to the engine's own request objects (untimed);
``decide`` answers one native request; ``verdict`` turns its answer into
``allowed``/``denied`` for the agreement count (the peers know no
explicit/implicit distinction worth comparing: PMapper returns a bool, moto
treats a failed condition as a Deny).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from benchmarks.workload import BenchRequest, Workload

__all__ = ["Engine", "Prepared", "available_engines"]


@dataclass(slots=True)
class Prepared:
    """A compiled workload: native requests, the decision function and how to read its answers."""

    requests: list[Any]
    decide: Callable[[Any], Any]
    decision: Callable[[Any], str]
    reset: Callable[[], None] | None = None
    compiled: Any = None
    #: For streams of new requests: the native requests of pass ``n`` (none of them seen by any earlier
    #: pass); ``requests`` is pass 0. ``None``: every pass replays ``requests``.
    stream: Callable[[int], list[Any]] | None = None


@dataclass(frozen=True, slots=True)
class Engine:
    """A named engine: ``compile`` builds the policy object (timed), ``prepare`` the rest."""

    name: str
    compile: Callable[[Workload], Any]
    prepare: Callable[[Workload, Any], Prepared]
    peer: bool
    #: Clear per-set caches before every request (the cold path).
    cold: bool = False
    #: Time it on a sample sized to the budget, like a peer (the one-shot API compiles per call).
    slow: bool = False


def _verdict(decision: str) -> str:
    return "allowed" if decision == "allowed" else "denied"


# --------------------------------------------------------------------- iamsim


def _iamsim_requests(requests: Sequence[BenchRequest]) -> list[Any]:
    from iamsim._engine.request import Principal, Request

    principals: dict[str, Principal] = {}
    out = []
    for request in requests:
        principal = principals.get(request.principal_arn)
        if principal is None:
            principal = principals[request.principal_arn] = Principal.from_arn(request.principal_arn)
        out.append(Request.create(principal, request.action, request.resource, request.context))
    return out


def parse_workload(workload: Workload) -> tuple[Any, ...]:
    """The workload's policies parsed by iamsim (size quota off: S statements exceed AWS's)."""
    from iamsim._policy.model import PolicyKind
    from iamsim._policy.parse import parse_policy

    return tuple(
        parse_policy(text, PolicyKind.IDENTITY, name=f"bench-{index}", check_size=False)
        for index, text in enumerate(workload.texts)
    )


def policy_set_of(policies: tuple[Any, ...]) -> Any:
    """A policy set holding ``policies`` as the identity policies."""
    from iamsim._engine.policy_set import PolicySet

    return PolicySet(identity=policies)


def _iamsim_compile(workload: Workload) -> Any:
    from iamsim._engine.compiled import compile_policy_set

    return compile_policy_set(policy_set_of(workload.notes["parsed"]))


def _iamsim_prepare(workload: Workload, compiled: Any) -> Prepared:
    reset = getattr(compiled, "clear_caches", None)
    return Prepared(
        _iamsim_requests(workload.requests), compiled.evaluate, lambda result: result.decision.value, reset, compiled
    )


def _iamsim_lean_prepare(workload: Workload, compiled: Any) -> Prepared:
    reset = getattr(compiled, "clear_caches", None)
    return Prepared(
        _iamsim_requests(workload.requests),
        compiled.is_allowed,
        lambda allowed: "allowed" if allowed else "denied",
        reset,
        compiled,
    )


def _reference_compile(workload: Workload) -> Any:
    return policy_set_of(workload.notes["parsed"])


def _reference_prepare(workload: Workload, policy_set: Any) -> Prepared:
    from iamsim._engine.reference import evaluate_reference

    def decide(request: Any) -> Any:
        return evaluate_reference(policy_set, request)

    return Prepared(_iamsim_requests(workload.requests), decide, lambda result: result.decision.value)


# ------------------------------------------------------- iamsim's public API
#
# What a user calls: ``PolicyEvaluator.evaluate``/``is_allowed`` with the principal as an ARN string (as the
# README shows) or as a ``Principal`` built once, the action, the resource and the caller's context as the
# user holds it (keys as policies spell them): the ``Request`` is built inside every call.


def _api_requests(workload: Workload, *, as_arn: bool, suffix: str = "") -> list[Any]:
    from iamsim._engine.request import Principal

    principals: dict[str, Any] = {}
    out = []
    for request in workload.requests:
        principal: Any = request.principal_arn
        if not as_arn:
            principal = principals.get(request.principal_arn)
            if principal is None:
                principal = principals[request.principal_arn] = Principal.from_arn(request.principal_arn)
        out.append((principal, request.action, request.resource + suffix, request.context))
    return out


def _new_stream(workload: Workload, *, as_arn: bool) -> Callable[[int], list[Any]]:
    """Pass ``n``'s requests: the workload's with ``-nN`` after each resource name, so no pass repeats a request.

    Resource patterns end in ``*`` (``team7-bucket/secret-*``), so the suffix never changes a decision; the
    harness checks that (:func:`benchmarks.agreement.check_stream`).
    """

    def stream(index: int) -> list[Any]:
        return _api_requests(workload, as_arn=as_arn, suffix=f"-n{index}")

    return stream


def _api_compile(workload: Workload) -> Any:
    from iamsim import PolicyEvaluator

    return PolicyEvaluator(policy_set_of(workload.notes["parsed"]))


def _api_prepare(*, method: str, as_arn: bool, new: bool) -> Callable[[Workload, Any], Prepared]:
    def prepare(workload: Workload, evaluator: Any) -> Prepared:
        if method == "evaluate":
            evaluate = evaluator.evaluate

            def decide(request: tuple[Any, str, str, dict[str, str]]) -> Any:
                return evaluate(request[0], request[1], request[2], context=request[3])

            decision: Callable[[Any], str] = lambda result: result.decision.value  # noqa: E731
        else:
            allowed = evaluator.is_allowed

            def decide(request: tuple[Any, str, str, dict[str, str]]) -> Any:
                return allowed(request[0], request[1], request[2], context=request[3])

            decision = lambda answer: "allowed" if answer else "denied"  # noqa: E731
        stream = _new_stream(workload, as_arn=as_arn) if new else None
        requests = stream(0) if stream is not None else _api_requests(workload, as_arn=as_arn)
        return Prepared(requests, decide, decision, compiled=evaluator, stream=stream)

    return prepare


def _one_shot_compile(workload: Workload) -> Any:
    return workload.notes["parsed"]


def _one_shot_prepare(workload: Workload, policies: Any) -> Prepared:
    import iamsim

    def decide(request: tuple[Any, str, str, dict[str, str]]) -> Any:
        return iamsim.evaluate(request[0], request[1], request[2], context=request[3], identity=policies)

    return Prepared(_api_requests(workload, as_arn=True), decide, lambda result: result.decision.value)


# ---------------------------------------------------------------------- floor


def _floor_compile(workload: Workload) -> Any:
    return {request.resource: request.intent for request in workload.requests}


def _floor_prepare(workload: Workload, table: Any) -> Prepared:
    """The floor: one dict lookup behind one call, on the same request tuples the public API rows use."""
    lookup = table.get

    def decide(request: tuple[Any, str, str, dict[str, str]]) -> Any:
        return lookup(request[2])

    return Prepared(_api_requests(workload, as_arn=True), decide, lambda _: "allowed")


# ----------------------------------------------------------------------- moto


def _moto_compile(workload: Workload) -> Any:
    from moto.iam.access_control import IAMPolicy

    return [IAMPolicy(text) for text in workload.texts]


def _moto_prepare(workload: Workload, policies: Any) -> Prepared:
    """moto's evaluator alone: every policy parsed once before timing (cheaper than moto's own request path)."""
    return _moto_prepared(workload, lambda: policies)


def _moto_request_path_prepare(workload: Workload, _: Any) -> Prepared:
    """moto as its request path runs: ``IAMRequestBase.check_action_permitted`` builds ``IAMPolicy(document)``
    (``json.loads``) for every policy on every request. Only the backend lookup of the caller's policies is left
    out, so this is still a floor under moto's real per-request cost."""
    from moto.iam.access_control import IAMPolicy

    texts = workload.texts
    return _moto_prepared(workload, lambda: [IAMPolicy(text) for text in texts])


def _moto_prepared(workload: Workload, policies_of: Callable[[], Any]) -> Prepared:
    from moto.iam.access_control import PermissionResult

    names = {
        PermissionResult.PERMITTED: "allowed",
        PermissionResult.DENIED: "explicitDeny",
        PermissionResult.NEUTRAL: "implicitDeny",
    }
    permitted_result = PermissionResult.PERMITTED
    denied_result = PermissionResult.DENIED

    def decide(request: tuple[str, str, dict[str, str]]) -> Any:
        # The loop of moto's IAMRequestBase.check_action_permitted, minus its exceptions.
        action, resource, context = request
        permitted = False
        for policy in policies_of():
            result = policy.is_action_permitted(action, resource, None, context)
            if result is denied_result:
                return result
            if result is permitted_result:
                permitted = True
        return permitted_result if permitted else PermissionResult.NEUTRAL

    native = [(r.action, r.resource, r.context) for r in workload.requests]
    return Prepared(native, decide, names.__getitem__)


# -------------------------------------------------------------------- PMapper


def import_pmapper() -> None:
    """Make PMapper 1.1.5 importable on Python 3.10+, without touching its files.

    Its ``util/case_insensitive_dict.py`` does ``from collections import
    Mapping, MutableMapping``, names Python 3.10 removed (they live in
    :mod:`collections.abc`). Re-exposing the two aliases on :mod:`collections`
    in this process is the smallest change that lets its real code run
    unmodified; nothing else of PMapper is patched.
    """
    import collections
    import collections.abc

    for name in ("Mapping", "MutableMapping"):
        if not hasattr(collections, name):
            setattr(collections, name, getattr(collections.abc, name))
    import principalmapper.querying.query_interface  # noqa: F401 - the import is the check


def _pmapper_compile(workload: Workload) -> Any:
    import_pmapper()
    from principalmapper.common.nodes import Node
    from principalmapper.common.policies import Policy

    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": workload.principals[0]}, "Action": "sts:AssumeRole"}],
    }
    documents = [json.loads(text) for text in workload.texts]
    nodes = {}
    for index, arn in enumerate(workload.principals):
        policies = [Policy(arn, f"bench-{n}", document) for n, document in enumerate(documents)]
        nodes[arn] = Node(arn, f"AROABENCH{index:012d}", policies, [], trust, None, 0, False, False, None, False, {})
    return nodes


def _pmapper_prepare(workload: Workload, nodes: Any) -> Prepared:
    from principalmapper.querying.query_interface import local_check_authorization

    def decide(request: tuple[Any, str, str, dict[str, str]]) -> Any:
        node, action, resource, context = request
        return local_check_authorization(node, action, resource, context)

    native = [(nodes[r.principal_arn], r.action, r.resource, r.context) for r in workload.requests]
    return Prepared(native, decide, lambda allowed: "allowed" if allowed else "denied")


IAMSIM = Engine("iamsim", _iamsim_compile, _iamsim_prepare, peer=False)
IAMSIM_COLD = Engine("iamsim cold", _iamsim_compile, _iamsim_prepare, peer=False, cold=True)
IAMSIM_LEAN = Engine("iamsim is_allowed", _iamsim_compile, _iamsim_lean_prepare, peer=False)
REFERENCE = Engine("reference", _reference_compile, _reference_prepare, peer=False)
MOTO = Engine("moto", _moto_compile, _moto_prepare, peer=True)
MOTO_REQUEST_PATH = Engine("moto request path", _moto_compile, _moto_request_path_prepare, peer=True)
FLOOR = Engine("floor (dict lookup + call)", _floor_compile, _floor_prepare, peer=False)
API_NEW = Engine(
    "api evaluate, ARN, new", _api_compile, _api_prepare(method="evaluate", as_arn=True, new=True), peer=False
)
API_NEW_PRINCIPAL = Engine(
    "api evaluate, Principal, new", _api_compile, _api_prepare(method="evaluate", as_arn=False, new=True), peer=False
)
API_NEW_BOOL = Engine(
    "api is_allowed, ARN, new", _api_compile, _api_prepare(method="is_allowed", as_arn=True, new=True), peer=False
)
API_REPEATED = Engine(
    "api evaluate, ARN, repeated", _api_compile, _api_prepare(method="evaluate", as_arn=True, new=False), peer=False
)
API_REPEATED_PRINCIPAL = Engine(
    "api evaluate, Principal, repeated",
    _api_compile,
    _api_prepare(method="evaluate", as_arn=False, new=False),
    peer=False,
)
ONE_SHOT = Engine("iamsim.evaluate one-shot", _one_shot_compile, _one_shot_prepare, peer=False, slow=True)
#: The public-API rows, by ``--engines`` name.
API_ENGINES = {
    "floor": FLOOR,
    "api-new": API_NEW,
    "api-new-principal": API_NEW_PRINCIPAL,
    "api-new-bool": API_NEW_BOOL,
    "api-repeated": API_REPEATED,
    "api-repeated-principal": API_REPEATED_PRINCIPAL,
    "one-shot": ONE_SHOT,
}
PMAPPER = Engine("pmapper", _pmapper_compile, _pmapper_prepare, peer=True)


def available_engines(names: Sequence[str]) -> tuple[list[Engine], dict[str, str]]:
    """The engines named (``iamsim``, ``cold``, ``lean``, ``moto``, ``pmapper`` and the :data:`API_ENGINES`)
    that import; why others do not."""
    table = {
        "iamsim": IAMSIM,
        "cold": IAMSIM_COLD,
        "lean": IAMSIM_LEAN,
        "moto": MOTO,
        "moto-request": MOTO_REQUEST_PATH,
        "pmapper": PMAPPER,
    }
    table.update(API_ENGINES)
    engines: list[Engine] = []
    missing: dict[str, str] = {}
    for name in names:
        engine = table[name]
        if name in ("moto", "moto-request", "pmapper"):
            try:
                if name != "pmapper":
                    __import__("moto.iam.access_control")
                else:
                    import_pmapper()
            except ImportError as error:
                missing[engine.name] = f"not available ({error})"
                continue
        engines.append(engine)
    return engines, missing


def verdict(decision: str) -> str:
    """``allowed`` or ``denied``: the level at which peers are compared with iamsim."""
    return _verdict(decision)
