"""Hypothesis strategies for valid policy documents, policy sets, requests and contexts.

Documents are drawn as JSON-able dicts that obey the grammar of their kind
(spec §A.4): no ``Principal`` in identity-side policies, no ``Resource`` in
trust policies, ``NotPrincipal`` only with ``Deny`` in resource-based
policies, RCPs with ``Principal: "*"`` whose only Allow is
``RCPFullAWSAccess``. They are parsed with
:func:`~iamsim._policy.parse.parse_policy`.

Collisions are the point: a scenario draws the request first and then biases
every pattern towards it (the exact action, case variants, prefix and ``?``
wildcards, the request's resource cut at a wildcard, a wildcard or variable
where its type word goes, its last name alone after an account ``*``, the caller's own ARN,
role, account and unique id), so a good share of cases are allowed, explicitly
denied and implicitly denied. ``hypothesis.event`` in the tests records the mix
(``pytest --hypothesis-show-statistics``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from iamsim._engine.policy_set import PolicySet
from iamsim._engine.request import Principal, Request
from iamsim._policy.model import Policy, PolicyKind
from iamsim._policy.operators import is_valid_value
from iamsim._policy.parse import parse_policy

from .documents import Doc, PolicySetDocs, Scenario, statements_of
from .value_texts import texts_for_family
from .vocabulary import (
    ACCOUNT_A,
    ACCOUNT_B,
    ACTION_PATTERNS,
    ACTIONS,
    BOUNDED_PRINCIPALS,
    CONDITION_KEYS,
    FAMILY_OPERATORS,
    FAMILY_POLICY_VALUES,
    IDENTITY_SIDE_PRINCIPALS,
    INCOMPLETE_RESOURCE_PATTERNS,
    PRINCIPAL_AWS_VALUES,
    PRINCIPAL_FEDERATED_VALUES,
    PRINCIPAL_SERVICE_VALUES,
    PRINCIPALS,
    REQUEST_RESOURCES,
    RESOURCE_PATTERNS,
    ROLE_RESOURCES,
    SCP_PRINCIPALS,
    SESSION_PRINCIPALS,
    TRUST_ACTION_PATTERNS,
    TRUST_ACTIONS,
)

__all__ = [
    "IDENTITY_SIDE_KINDS",
    "RCP_FULL_ACCESS",
    "SCP_FULL_ACCESS",
    "Focus",
    "condition_blocks",
    "condition_keys",
    "contexts",
    "matching_deny",
    "policies",
    "policy_documents",
    "policy_set_documents",
    "policy_sets",
    "request_parts",
    "requests",
    "resource_elements",
    "scenarios",
    "statement_documents",
]

#: Kinds whose statements need a resource element and never name a principal (§A.4).
IDENTITY_SIDE_KINDS = frozenset({PolicyKind.IDENTITY, PolicyKind.BOUNDARY, PolicyKind.SESSION, PolicyKind.SCP})

#: The statement of ``FullAWSAccess``, attached to every SCP level by default (§F.5).
SCP_FULL_ACCESS: dict[str, Any] = {"Effect": "Allow", "Action": "*", "Resource": "*"}
#: The statement of ``RCPFullAWSAccess``, the only Allow an RCP may hold (§A.4, §F.5).
RCP_FULL_ACCESS: dict[str, Any] = {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}


@dataclass(frozen=True)
class Focus:
    """The request the policies are biased towards (``None`` fields: no bias)."""

    action: str | None = None
    resource: str | None = None
    principal: Principal | None = None


_NO_FOCUS = Focus()


def _one_or_many(values: list[Any]) -> st.SearchStrategy[Any]:
    """A single value may be written bare or as a one-element list (§A.1)."""
    if len(values) == 1:
        return st.sampled_from([values[0], values])
    return st.just(values)


def _focused_actions(action: str) -> tuple[str, ...]:
    service, name = action.split(":", 1)
    return (
        action,
        action.upper(),
        action.lower(),
        f"{service}:{name[:3]}*",
        f"{service}:?{name[1:]}",
        f"{service}:{name[:-1]}?",
        f"{service}:*",
        f"{service.upper()}:{name.swapcase()}",
    )


@st.composite
def _action_pattern(draw: st.DrawFn, kind: PolicyKind, focus: Focus) -> str:
    pool = TRUST_ACTION_PATTERNS if kind is PolicyKind.TRUST else ACTION_PATTERNS
    if focus.action and draw(st.integers(0, 9)) < 6:
        if kind is PolicyKind.TRUST and not focus.action.startswith("sts:"):
            return draw(st.sampled_from(pool))
        return draw(st.sampled_from(_focused_actions(focus.action)))
    return draw(st.sampled_from(pool))


def _resource_cut_points(resource: str) -> range:
    """Where a wildcard may start in ``resource``: inside the resource part, after its type word."""
    parts = resource.split(":", 5)
    if len(parts) < 6:
        return range(0)
    head = len(resource) - len(parts[5])
    slash = parts[5].find("/")
    start = head + slash + 1 if slash >= 0 else head
    return range(start, len(resource) + 1)


@st.composite
def _focused_resource(draw: st.DrawFn, resource: str, kind: PolicyKind) -> str:
    cuts = _resource_cut_points(resource)
    if resource == "*" or not cuts:
        return "*"
    forms = ["exact", "exact", "prefix", "single", "case", "account", "word", "word", "bare", "bare"]
    if kind in IDENTITY_SIDE_KINDS:
        forms.append("short")
    form = draw(st.sampled_from(forms))
    if form == "exact":
        return resource
    if form == "short":
        # Fewer than six fields: completed with ":*" in identity-side policies (§B.2).
        return ":".join(resource.split(":")[: draw(st.integers(3, 5))])
    if form == "prefix":
        cut = draw(st.sampled_from(cuts))
        return resource[:cut] + "*"
    if form == "single" and len(cuts) > 1:
        at = draw(st.sampled_from(cuts[:-1]))
        return resource[:at] + "?" + resource[at + 1 :]
    if form == "word":
        # §B.2: a wildcard, or a variable, where the resource part's type word goes (u*, */alice, ${...}/alice).
        parts = resource.split(":", 5)
        word = min((i for i in map(parts[5].find, "/:") if i >= 0), default=len(parts[5]))
        cut = draw(st.integers(0, word))
        stand_in = draw(st.sampled_from(["*", "?", "${aws:RequestTag/kind}"]))
        return ":".join(parts[:5]) + ":" + parts[5][:cut] + stand_in + parts[5][word:]
    if form == "bare":
        # §B.2: the last name alone after a region or account "*" that may run past colons into the type word.
        parts = resource.split(":", 5)
        parts[4] = "*"
        parts[5] = parts[5].replace("/", ":").rsplit(":", 1)[-1]
        return ":".join(parts)
    if form == "account":
        parts = resource.split(":", 5)
        parts[4] = "*" if parts[4] else parts[4]
        parts[3] = "*" if parts[3] else parts[3]
        return ":".join(parts)
    # Resource matching is case-sensitive, so this should not match (§B.2).
    return resource[: cuts.start] + resource[cuts.start :].swapcase()


@st.composite
def _resource_pattern(draw: st.DrawFn, kind: PolicyKind, focus: Focus) -> str:
    if focus.resource and draw(st.integers(0, 9)) < 6:
        return draw(_focused_resource(focus.resource, kind))
    pool: tuple[str, ...] = RESOURCE_PATTERNS
    if kind in IDENTITY_SIDE_KINDS:
        pool = pool + INCOMPLETE_RESOURCE_PATTERNS
    return draw(st.sampled_from(pool))


@st.composite
def resource_elements(draw: st.DrawFn, kind: PolicyKind, resource: str) -> list[str]:
    """One to three ``Resource`` patterns biased towards ``resource`` (§B.2, §D), as statements draw them."""
    return draw(st.lists(_resource_pattern(kind, Focus(resource=resource)), min_size=1, max_size=3, unique=True))


def _focused_principal_values(principal: Principal | None) -> list[str]:
    if principal is None:
        return []
    values = [principal.arn] if principal.arn.startswith("arn:") else []
    for extra in (principal.role_arn, principal.source_user_arn, principal.unique_id, principal.account):
        if extra:
            values.append(extra)
    if principal.account:
        values.append(f"arn:aws:iam::{principal.account}:root")
    return values


@st.composite
def principal_elements(draw: st.DrawFn, kind: PolicyKind, focus: Focus = _NO_FOCUS) -> Any:
    """A ``Principal`` value (§A.3): ``*``, ``{"AWS": "*"}`` or a map of AWS/Service/Federated values."""
    if kind is PolicyKind.RCP:
        return draw(st.sampled_from(["*", {"AWS": "*"}]))
    form = draw(st.sampled_from(["*", "aws*", "map", "map", "map", "map", "map"]))
    if form == "*":
        return "*"
    if form == "aws*":
        return {"AWS": "*"}
    focused = _focused_principal_values(focus.principal)
    aws_pool = list(PRINCIPAL_AWS_VALUES) + focused * 4
    service_pool = list(PRINCIPAL_SERVICE_VALUES)
    federated_pool = list(PRINCIPAL_FEDERATED_VALUES)
    if focus.principal is not None and focus.principal.service:
        service_pool.append(focus.principal.service)
    if focus.principal is not None and focus.principal.federated_provider:
        federated_pool.append(focus.principal.federated_provider)
    keys = draw(
        st.lists(st.sampled_from(["AWS", "AWS", "AWS", "Service", "Federated"]), min_size=1, max_size=2, unique=True)
    )
    pools = {"AWS": aws_pool, "Service": service_pool, "Federated": federated_pool}
    element: dict[str, Any] = {}
    for key in keys:
        values = draw(st.lists(st.sampled_from(pools[key]), min_size=1, max_size=3, unique=True))
        element[key] = draw(_one_or_many(values))
    if kind is PolicyKind.RESOURCE and draw(st.integers(0, 19)) == 0:
        element["CanonicalUser"] = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
    return element


def _key_spelling(name: str) -> st.SearchStrategy[str]:
    """Condition key names are case-insensitive (§C.1)."""
    return st.sampled_from([name, name, name.lower(), name.upper()])


@st.composite
def _policy_value(draw: st.DrawFn, family: str, base: str, pool: tuple[object, ...]) -> object:
    """A policy value for ``base``: from the vocabulary, or generated from the family's whole grammar.

    Generated texts the parser refuses (§C.2) are replaced by a vocabulary value, so documents stay valid.
    """
    generated = texts_for_family(family)
    if generated is not None and draw(st.integers(0, 2)) == 0:
        text = draw(generated)
        if is_valid_value(base, text):
            return text
    return draw(st.sampled_from(pool))


@st.composite
def condition_blocks(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    """A ``Condition`` block (§C): operators of every family, qualifiers, ``IfExists``, ``Null``, variables."""
    block: dict[str, dict[str, Any]] = {}
    for _ in range(draw(st.integers(1, 3))):
        key = draw(st.sampled_from(CONDITION_KEYS))
        spelled = draw(_key_spelling(key.name))
        roll = draw(st.integers(0, 19))
        if roll < 3:
            operator = "Null"
            value: Any = draw(st.sampled_from(["true", "false", True, False]))
        else:
            family = key.family if roll < 14 else draw(st.sampled_from(sorted(FAMILY_OPERATORS)))
            base = draw(st.sampled_from(FAMILY_OPERATORS[family]))
            qualifier = draw(st.sampled_from(["", "", "", "", "ForAllValues:", "ForAnyValue:"]))
            if_exists = "IfExists" if draw(st.integers(0, 4)) == 0 else ""
            operator = f"{qualifier}{base}{if_exists}"
            pool = key.string_values if family == "String" else FAMILY_POLICY_VALUES[family]
            values = draw(st.lists(_policy_value(family, base, pool), min_size=1, max_size=3, unique_by=repr))
            value = draw(_one_or_many(values))
        tests = block.setdefault(operator, {})
        if not any(k.casefold() == spelled.casefold() for k in tests):
            tests[spelled] = value
    return block


@st.composite
def statement_documents(
    draw: st.DrawFn, kind: PolicyKind, focus: Focus = _NO_FOCUS, effect: str | None = None
) -> dict[str, Any]:
    """One statement valid in a policy of ``kind`` (§A.2, §A.4), without a ``Sid``."""
    if effect is None:
        effect = draw(st.sampled_from(["Allow", "Allow", "Allow", "Allow", "Deny"]))
    if kind is PolicyKind.RCP and effect == "Allow":
        return dict(RCP_FULL_ACCESS)
    statement: dict[str, Any] = {"Effect": effect}

    if kind in (PolicyKind.RESOURCE, PolicyKind.TRUST, PolicyKind.RCP):
        not_principal = kind is PolicyKind.RESOURCE and effect == "Deny" and draw(st.integers(0, 4)) == 0
        statement["NotPrincipal" if not_principal else "Principal"] = draw(principal_elements(kind, focus))

    not_action = kind not in (PolicyKind.TRUST, PolicyKind.RCP) and draw(st.integers(0, 6)) == 0
    actions = draw(st.lists(_action_pattern(kind, focus), min_size=1, max_size=3, unique=True))
    statement["NotAction" if not_action else "Action"] = draw(_one_or_many(actions))

    if kind is not PolicyKind.TRUST and (kind is not PolicyKind.RESOURCE or draw(st.integers(0, 2)) > 0):
        not_resource = draw(st.integers(0, 6)) == 0
        resources = draw(st.lists(_resource_pattern(kind, focus), min_size=1, max_size=3, unique=True))
        statement["NotResource" if not_resource else "Resource"] = draw(_one_or_many(resources))

    if draw(st.integers(0, 9)) < 3:
        statement["Condition"] = draw(condition_blocks())
    return statement


def matching_deny(kind: PolicyKind, action: str) -> dict[str, Any]:
    """A Deny statement of ``kind`` that matches every request for ``action`` (§B, §F.1 step 1)."""
    statement: dict[str, Any] = {"Effect": "Deny", "Action": action}
    if kind in (PolicyKind.RESOURCE, PolicyKind.TRUST, PolicyKind.RCP):
        statement["Principal"] = "*"
    if kind is not PolicyKind.TRUST:
        statement["Resource"] = "*"
    return statement


def _with_sids(draw: st.DrawFn, statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give some statements a ``Sid``: ASCII alphanumerics, unique in the policy (§A.2)."""
    out = []
    for index, statement in enumerate(statements):
        if draw(st.booleans()):
            statement = {"Sid": f"Stmt{index}", **statement}
        out.append(statement)
    return out


@st.composite
def policy_documents(
    draw: st.DrawFn,
    kind: PolicyKind,
    focus: Focus = _NO_FOCUS,
    *,
    min_statements: int = 1,
    max_statements: int = 3,
    effect: str | None = None,
) -> Doc:
    """A whole valid policy document of ``kind`` (§A.1, §A.4) as a JSON-able dict."""
    statements = draw(
        st.lists(statement_documents(kind, focus, effect), min_size=min_statements, max_size=max_statements)
    )
    statements = _with_sids(draw, statements)
    doc: Doc = {}
    if kind is PolicyKind.RCP:
        doc["Version"] = "2012-10-17"
    else:
        version = draw(st.sampled_from(["2012-10-17", "2012-10-17", "2012-10-17", "2008-10-17", None]))
        if version is not None:
            doc["Version"] = version
    if kind is PolicyKind.RESOURCE and draw(st.integers(0, 4)) == 0:
        doc["Id"] = "Policy1"
    doc["Statement"] = statements[0] if len(statements) == 1 and draw(st.booleans()) else statements
    return doc


def policies(kind: PolicyKind) -> st.SearchStrategy[Policy]:
    """Parsed valid policies of ``kind``."""
    return policy_documents(kind).map(lambda doc: parse_policy(doc, kind))


@st.composite
def _scp_level(draw: st.DrawFn, focus: Focus) -> tuple[Doc, ...]:
    level: list[Doc] = []
    if draw(st.integers(0, 9)) < 9:
        level.append({"Version": "2012-10-17", "Statement": [dict(SCP_FULL_ACCESS)]})
    if draw(st.integers(0, 2)) == 0:
        level.append(draw(policy_documents(PolicyKind.SCP, focus)))
    return tuple(level)


@st.composite
def _rcp_level(draw: st.DrawFn, focus: Focus) -> tuple[Doc, ...]:
    level: list[Doc] = []
    if draw(st.integers(0, 9)) < 9:
        level.append({"Version": "2012-10-17", "Statement": [dict(RCP_FULL_ACCESS)]})
    if draw(st.integers(0, 3)) == 0:
        level.append(draw(policy_documents(PolicyKind.RCP, focus, effect="Deny")))
    return tuple(level)


@st.composite
def policy_set_documents(
    draw: st.DrawFn, principal_name: str, focus: Focus = _NO_FOCUS, *, trust: bool = False
) -> PolicySetDocs:
    """The documents of a policy set that fits the caller ``principal_name`` (§F.1).

    Identity policies only for users and sessions, a boundary only for users
    and roles, session policies only for sessions, SCPs only for callers in an
    account; the resource slot holds a trust policy when ``trust``.
    """
    identity: tuple[Doc, ...] = ()
    if principal_name in IDENTITY_SIDE_PRINCIPALS:
        identity = tuple(draw(st.lists(policy_documents(PolicyKind.IDENTITY, focus), max_size=3)))
    boundary = None
    if principal_name in BOUNDED_PRINCIPALS and draw(st.integers(0, 9)) < 3:
        boundary = draw(policy_documents(PolicyKind.BOUNDARY, focus))
    session = None
    if principal_name in SESSION_PRINCIPALS and draw(st.integers(0, 9)) < 6:
        session = tuple(draw(st.lists(policy_documents(PolicyKind.SESSION, focus), min_size=1, max_size=2)))
    resource_kind = PolicyKind.TRUST if trust else PolicyKind.RESOURCE
    # A role always has a trust policy; a resource may have no policy at all.
    resource = draw(policy_documents(resource_kind, focus)) if trust or draw(st.integers(0, 9)) < 6 else None
    scp_levels: tuple[tuple[Doc, ...], ...] = ()
    if principal_name in SCP_PRINCIPALS and draw(st.integers(0, 9)) < 4:
        scp_levels = tuple(draw(st.lists(_scp_level(focus), min_size=1, max_size=3)))
    rcp_levels: tuple[tuple[Doc, ...], ...] = ()
    if draw(st.integers(0, 9)) < 2:
        rcp_levels = tuple(draw(st.lists(_rcp_level(focus), min_size=1, max_size=2)))
    return PolicySetDocs(
        identity=identity,
        resource=resource,
        resource_kind=resource_kind,
        boundary=boundary,
        session=session,
        scp_levels=scp_levels,
        rcp_levels=rcp_levels,
    )


@st.composite
def contexts(draw: st.DrawFn, used: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Request context entries: right and wrong types, empty, multivalued; absent keys by omission (§C, §E).

    Keys in ``used`` (casefolded names the policies test) are each present with probability 3/4, so
    conditions meet values more often than chance would have them.
    """
    keys = [key for key in CONDITION_KEYS if not key.derived]
    chosen = [key for key in keys if key.name.casefold() in used and draw(st.integers(0, 3)) > 0]
    others = [key for key in keys if key not in chosen]
    chosen += draw(st.lists(st.sampled_from(others), max_size=2, unique_by=lambda k: k.name))
    context: dict[str, Any] = {}
    for key in chosen:
        form = draw(st.sampled_from(["right", "right", "right", "wrong", "empty", "many", "grammar"]))
        generated = texts_for_family(key.family)
        value: Any
        if form == "grammar" and generated is not None:
            # Any text around the key's value grammar, valid or not (§C.2).
            value = draw(st.one_of(generated, st.lists(generated, min_size=1, max_size=3)))
        elif form == "wrong" and key.wrong_values:
            value = draw(st.sampled_from(key.wrong_values))
        elif form == "empty":
            value = draw(st.sampled_from(["", []]))
        elif form == "many" or key.multivalued:
            value = draw(st.lists(st.sampled_from(key.request_values), min_size=1, max_size=3, unique=True))
        else:
            value = draw(st.sampled_from(key.request_values))
        context[draw(_key_spelling(key.name))] = value
    return context


@st.composite
def request_parts(draw: st.DrawFn, trust: bool) -> tuple[str, str, str | None]:
    """An action, its resource and the resource's owning account (``None``: from the ARN)."""
    if trust:
        return draw(st.sampled_from(TRUST_ACTIONS)), draw(st.sampled_from(ROLE_RESOURCES)), None
    # Request actions compare case-insensitively too (§B.1).
    action = draw(st.sampled_from((*ACTIONS, "S3:getobject")))
    resource = draw(st.sampled_from(REQUEST_RESOURCES))
    owner = None
    if resource.startswith("arn:aws:s3:"):
        # S3 ARNs carry no account: the owner comes from resource metadata (§B.2).
        owner = draw(st.sampled_from([None, None, ACCOUNT_A, ACCOUNT_B]))
    return action, resource, owner


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """A request and a policy set biased towards it; a quarter are ``sts:AssumeRole*`` with a trust policy."""
    name = draw(st.sampled_from(sorted(PRINCIPALS)))
    principal = PRINCIPALS[name]
    trust = draw(st.integers(0, 3)) == 0
    action, resource, owner = draw(request_parts(trust))
    focus = Focus(action, resource, principal)
    docs = draw(policy_set_documents(name, focus, trust=trust))
    request = Request.create(principal, action, resource, draw(contexts(condition_keys(docs))), resource_account=owner)
    return Scenario(name, request, docs)


def condition_keys(docs: PolicySetDocs) -> frozenset[str]:
    """The casefolded condition keys the documents of ``docs`` test."""
    found: set[str] = set()
    for where, _ in docs.locations():
        for statement in statements_of(docs.get(where)):
            for tests in statement.get("Condition", {}).values():
                found.update(key.casefold() for key in tests)
    return frozenset(found)


def requests() -> st.SearchStrategy[Request]:
    """Requests by every kind of caller, with contexts."""
    return scenarios().map(lambda s: s.request)


def policy_sets() -> st.SearchStrategy[PolicySet]:
    """Whole parsed policy sets (their requests discarded)."""
    return scenarios().map(lambda s: s.policy_set)
