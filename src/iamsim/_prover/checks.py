"""The three questions IAM Access Analyzer asks, answered offline for every request (issue 15).

* :func:`check_no_new_access`: does NEW allow some request OLD does not?
* :func:`check_access_not_granted`: can the policies allow any of these actions (on these resources)?
* :func:`check_no_public_access`: can anyone outside the account reach the resource?

Each builds one formula over a symbolic request (``encode``), asks z3 for a
model, turns the model into a concrete request and re-decides it with both
evaluators (reference and compiled) before calling it a witness. A model
that does not verify is excluded and the solver asked again; after that a
"no model" is UNKNOWN, not PASS. So a PASS is only ever the solver's proof.
"""

from __future__ import annotations

from collections.abc import Sequence

import z3

from iamsim._arn import is_account_id
from iamsim._bundle import PolicyBundle
from iamsim._engine.policy_set import PolicySet
from iamsim._engine.reference import evaluate_reference
from iamsim._engine.reference.wildcards import match, wildcard_pattern
from iamsim._engine.request import Principal, Request
from iamsim._engine.result import Decision
from iamsim._evaluate import PolicyEvaluator
from iamsim._policy.model import Policy, PolicyKind
from iamsim._policy.parse import parse_policy
from iamsim._prover.action_classes import ActionClass, action_classes
from iamsim._prover.context import ContextModel
from iamsim._prover.cutoff import within_budget
from iamsim._prover.encode import ActionPatterns, Encoder, SymbolicRequest, scan_keys
from iamsim._prover.evident import allows_everything, grants_nothing
from iamsim._prover.guess import guesses
from iamsim._prover.principals import MemberCaller, OutsideCaller
from iamsim._prover.regex import PRINTABLE, glob_regex
from iamsim._prover.result import CheckResult, Verdict
from iamsim._prover.solve import Budget, Candidate, Verifier, guessed_fail, solve
from iamsim._prover.unsupported import Unsupported
from iamsim._shown import shown
from iamsim.errors import InvalidInputError, UsageError

__all__ = [
    "DEFAULT_ACCOUNT",
    "DEFAULT_BUDGET",
    "RESOURCE_TYPES",
    "Budget",
    "check_access_not_granted",
    "check_no_new_access",
    "check_no_new_access_here",
    "check_no_public_access",
    "own_policies",
]

#: The account a check's policies belong to when the caller names none.
DEFAULT_ACCOUNT = "111122223333"
#: ``--resource-type`` values: the service whose actions reach the resource, and whether its policy is a trust policy.
RESOURCE_TYPES: dict[str, tuple[str, bool]] = {
    "AWS::S3::Bucket": ("s3", False),
    "AWS::KMS::Key": ("kms", False),
    "AWS::SQS::Queue": ("sqs", False),
    "AWS::SNS::Topic": ("sns", False),
    "AWS::SecretsManager::Secret": ("secretsmanager", False),
    "AWS::Lambda::Function": ("lambda", False),
    "AWS::ECR::Repository": ("ecr", False),
    "AWS::IAM::AssumeRolePolicyDocument": ("sts", True),
}
#: The caller's own account allows everything: a public-access check asks what the resource policy lets in.
_ADMIN = parse_policy(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
    PolicyKind.IDENTITY,
    name="caller-account-allows-everything",
)


DEFAULT_BUDGET = Budget()


def _budget(budget: Budget) -> Budget:
    if not isinstance(budget, Budget):
        raise UsageError(f"budget must be an iamsim.Budget, not {shown(budget)}")
    return budget


def _classes(policies: Sequence[Policy], extra: Sequence[str] = ()) -> list[ActionClass]:
    """The action classes a check over ``policies`` is cut into (see ``action_classes``)."""
    patterns = [
        pattern.casefold()
        for policy in policies
        for statement in policy.statements
        for pattern in statement.action or statement.not_action or ()
    ]
    return action_classes([*patterns, *extra])


def _decide(policies: PolicySet, request: Request) -> Decision | None:
    """The decision both evaluators agree on (``None`` if they disagree: never shown as a witness)."""
    reference = evaluate_reference(policies, request).decision
    compiled = PolicyEvaluator(policies).evaluate_request(request).decision
    return reference if reference is compiled else None


def _principal(arn: str) -> Principal:
    return Principal.anonymous() if arn == "anonymous" else Principal.from_arn(arn)


def _as_bundle(policies: PolicyBundle | Policy | Sequence[Policy]) -> PolicyBundle:
    if isinstance(policies, PolicyBundle):
        return policies
    if isinstance(policies, Policy):
        return PolicyBundle(identity=(policies,)) if policies.kind is PolicyKind.IDENTITY else _one(policies)
    if isinstance(policies, (str, bytes)) or not isinstance(policies, Sequence):
        raise UsageError(f"policies must be a PolicyBundle, a Policy or a list of Policy, not {shown(policies)}")
    for policy in policies:
        if not isinstance(policy, Policy):
            raise UsageError(f"{shown(policy)} is not a Policy (parse it with iamsim.parse_policy)")
    return PolicyBundle(identity=tuple(policies))


def _one(policy: Policy) -> PolicyBundle:
    raise InvalidInputError(f"policy {policy.name or '(unnamed)'} is a {policy.kind.value} policy; give a bundle")


def own_policies(bundle: PolicyBundle) -> tuple[PolicyBundle, list[str]]:
    """The policies an identity-side question judges, and what it sets aside.

    ``no-new-access`` and ``access-not-granted`` ask what the principal may do
    with its own policies: identity, boundary, session and SCP levels. A role's
    trust policy and a resource or resource control policy say who *else* gets
    in, which is ``no-public-access``'s question (a template's role always has
    a trust policy, which would otherwise make every such check UNKNOWN).
    """
    set_aside = [
        label
        for label, present in (
            ("trust policy", bundle.trust is not None),
            ("resource policy", bundle.resource is not None),
            ("resource control policies", bool(bundle.rcp_levels)),
        )
        if present
    ]
    own = PolicyBundle(
        identity=bundle.identity,
        boundary=bundle.boundary,
        session=bundle.session,
        scp_levels=bundle.scp_levels,
        sources=bundle.sources,
    )
    return own, set_aside


def _bundle_policies(bundle: PolicyBundle) -> list[Policy]:
    found = list(bundle.identity) + list(bundle.caller_identity)
    found += [p for p in (bundle.resource, bundle.trust, bundle.boundary) if p is not None]
    found += list(bundle.session or ())
    found += [p for level in bundle.scp_levels + bundle.rcp_levels for p in level]
    return found


def _caller_set(bundle: PolicyBundle, action: str) -> PolicySet:
    """The policies deciding a member caller's request for ``action`` in an identity-side check.

    A bundle that names the caller's own policies apart (``caller_identity``, a role-centric
    bundle) decides trust actions with those, as ``policy_set_for`` does. Otherwise the given
    policies are the caller's own for every action, ``sts:AssumeRole`` included: reading the
    empty ``caller_identity`` there would deny every trust action and make a check PASS that a
    policy granting ``sts:AssumeRole`` refutes.
    """
    return bundle.policy_set_for(action if bundle.caller_identity else "s3:getobject")


def _member_set(encoder: Encoder, bundle: PolicyBundle) -> z3.BoolRef:
    """The bundle's decision for a member caller (see :func:`_caller_set`)."""
    if bundle.trust is not None or bundle.resource is not None or bundle.rcp_levels:
        raise Unsupported("resource, trust or resource control policies in an identity-side check")
    main = encoder.member_allowed(_caller_set(bundle, "s3:getobject"))
    if not bundle.caller_identity:
        return main
    trust_path = encoder.member_allowed(_caller_set(bundle, "sts:assumerole"))
    return z3.If(encoder.is_trust_action(), trust_path, main)


def _member_request(
    policies: list[Policy], account: str, action_class: ActionClass, shared: ActionPatterns
) -> tuple[SymbolicRequest, Encoder]:
    _check_account(account)
    families, counts = scan_keys(policies)
    caller = MemberCaller(account)
    context = ContextModel(families, counts, caller.keys())
    request = SymbolicRequest(z3.String("action"), z3.String("resource"), z3.Bool("resource_is_star"), context, caller)
    encoder = Encoder(request, action_class, shared)
    request.constraints += caller.constraints + context.constraints + encoder.domain()
    return request, encoder


def _check_account(account: str) -> None:
    if not is_account_id(account):
        raise UsageError(f"account {shown(account)} is not a 12-digit account ID")


def _member_request_of(candidate: Candidate, account: str) -> Request:
    """The concrete request of a member caller: the resource belongs to the caller's account."""
    return Request.create(
        _principal(candidate.principal),
        candidate.action,
        candidate.resource,
        candidate.context,
        resource_account=account,
    )


def check_no_new_access(
    old: PolicyBundle | Policy | Sequence[Policy],
    new: PolicyBundle | Policy | Sequence[Policy],
    *,
    account: str = DEFAULT_ACCOUNT,
    budget: Budget = DEFAULT_BUDGET,
) -> CheckResult:
    """Whether ``new`` allows any request that ``old`` does not (PASS: it allows none).

    Ranges over every IAM user and role session of ``account``, every action,
    every resource of that account and every context value.
    """
    budget = _budget(budget)
    _check_account(account)
    old_bundle, new_bundle = _as_bundle(old), _as_bundle(new)
    if grants_nothing(new_bundle) or allows_everything(old_bundle):
        return CheckResult("no-new-access", Verdict.PASS)
    verify = _new_access_verifier(old_bundle, new_bundle, account)
    early = guessed_fail("no-new-access", guesses(_granting(new_bundle), account), verify, budget, account)
    if early is not None:
        return early
    return within_budget("no-new-access", check_no_new_access_here, (old_bundle, new_bundle, account), budget)


def _granting(bundle: PolicyBundle) -> list[Policy]:
    """The policies whose Allow statements may grant a member caller's request (where guesses come from)."""
    return list(bundle.identity) + list(bundle.caller_identity)


def _new_access_verifier(old_bundle: PolicyBundle, new_bundle: PolicyBundle, account: str) -> Verifier:
    """Confirms a candidate NEW allows and OLD does not, both evaluators agreeing."""

    def verify(candidate: Candidate) -> dict[str, str] | None:
        request = _member_request_of(candidate, account)
        new_decision = _decide(_caller_set(new_bundle, candidate.action), request)
        old_decision = _decide(_caller_set(old_bundle, candidate.action), request)
        if new_decision is Decision.ALLOWED and old_decision is not None and old_decision is not Decision.ALLOWED:
            return {"old": old_decision.value, "new": new_decision.value}
        return None

    return verify


def check_no_new_access_here(
    old: PolicyBundle | Policy | Sequence[Policy],
    new: PolicyBundle | Policy | Sequence[Policy],
    account: str,
    budget: Budget,
) -> CheckResult:
    """:func:`check_no_new_access` in this thread, trusting z3's timeout (the worker process's body)."""
    old_bundle, new_bundle = _as_bundle(old), _as_bundle(new)
    everything = _bundle_policies(old_bundle) + _bundle_policies(new_bundle)

    shared = ActionPatterns()

    def build(action_class: ActionClass) -> tuple[SymbolicRequest, z3.BoolRef]:
        request, encoder = _member_request(everything, account, action_class, shared)
        formula = z3.And(_member_set(encoder, new_bundle), z3.Not(_member_set(encoder, old_bundle)))
        encoder.fresh_character_exists()
        return request, formula

    verify = _new_access_verifier(old_bundle, new_bundle, account)
    return solve("no-new-access", build, verify, budget, account, _classes(everything))


def check_access_not_granted(
    policies: PolicyBundle | Policy | Sequence[Policy],
    actions: Sequence[str],
    resources: Sequence[str] = (),
    *,
    account: str = DEFAULT_ACCOUNT,
    budget: Budget = DEFAULT_BUDGET,
) -> CheckResult:
    """Whether the policies can allow any of ``actions`` (on any of ``resources``, when given).

    ``actions`` and ``resources`` may use IAM wildcards (``s3:Put*``); PASS
    means no request for them is allowed.
    """
    budget = _budget(budget)
    _check_account(account)
    _check_question(actions, resources)
    bundle = _as_bundle(policies)
    if grants_nothing(bundle):
        return CheckResult("access-not-granted", Verdict.PASS)
    verify = _not_granted_verifier(bundle, actions, resources, account)
    early = guessed_fail("access-not-granted", guesses(_granting(bundle), account), verify, budget, account)
    if early is not None:
        return early
    return within_budget("access-not-granted", _access_not_granted, (bundle, actions, resources, account), budget)


def _access_not_granted(
    policies: PolicyBundle | Policy | Sequence[Policy],
    actions: Sequence[str],
    resources: Sequence[str],
    account: str,
    budget: Budget,
) -> CheckResult:
    _check_question(actions, resources)
    bundle = _as_bundle(policies)

    shared = ActionPatterns()

    def build(action_class: ActionClass) -> tuple[SymbolicRequest, z3.BoolRef]:
        request, encoder = _member_request(_bundle_policies(bundle), account, action_class, shared)
        wanted = [z3.InRe(request.action, glob_regex(action.casefold())) for action in actions]
        parts = [_member_set(encoder, bundle), z3.Or(*wanted)]
        if resources:
            parts.append(z3.Or(*[z3.InRe(request.resource, glob_regex(resource)) for resource in resources]))
        encoder.fresh_character_exists()
        return request, z3.And(*parts)

    verify = _not_granted_verifier(bundle, actions, resources, account)
    classes = _classes(_bundle_policies(bundle), [action.casefold() for action in actions])
    return solve("access-not-granted", build, verify, budget, account, classes)


def _check_question(actions: Sequence[str], resources: Sequence[str]) -> None:
    """Refuses an access-not-granted question that names no action or a malformed one (a typo must not PASS)."""
    for name, values in (("actions", actions), ("resources", resources)):
        # A bare string is a sequence of one-letter "actions": say what to pass instead of rejecting 's'.
        if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
            raise UsageError(f"{name} must be a list of strings (wrap a single one in a list), not {shown(values)}")
    if not actions:
        raise InvalidInputError("access-not-granted needs at least one action")
    for action in actions:
        # A typo must not answer PASS: "" or "nocolon" names no action, so nothing could grant it.
        prefix, colon, name = action.partition(":") if isinstance(action, str) else ("", "", "")
        if not colon or not prefix or not name:
            raise InvalidInputError(f"action {shown(action)} is not of the form service:ActionName (wildcards allowed)")
    for resource in resources:
        if not isinstance(resource, str) or not (resource == "*" or resource.startswith("arn:")):
            raise InvalidInputError(f"resource {shown(resource)} is not an ARN pattern or '*'")


def _not_granted_verifier(
    bundle: PolicyBundle, actions: Sequence[str], resources: Sequence[str], account: str
) -> Verifier:
    """Confirms a candidate is one the question asks about and the policies allow, both evaluators agreeing."""
    asked_actions = [wildcard_pattern(action.casefold()) for action in actions]
    asked_resources = [wildcard_pattern(resource) for resource in resources]

    def asked(candidate: Candidate) -> bool:
        """Whether the request is one the question asks about (as the formula reads the patterns).

        A witness tidied to a real action or an example ARN must stay inside the question.
        """
        if not any(match(pattern, candidate.action.casefold()) for pattern in asked_actions):
            return False
        return (
            not asked_resources
            or candidate.resource == "*"
            or any(match(pattern, candidate.resource) for pattern in asked_resources)
        )

    def verify(candidate: Candidate) -> dict[str, str] | None:
        if not asked(candidate):
            return None
        request = _member_request_of(candidate, account)
        decision = _decide(_caller_set(bundle, candidate.action), request)
        return {"policy": decision.value} if decision is Decision.ALLOWED else None

    return verify


def check_no_public_access(
    policy: Policy,
    *,
    resource_type: str | None = None,
    account: str = DEFAULT_ACCOUNT,
    budget: Budget = DEFAULT_BUDGET,
) -> CheckResult:
    """Whether a resource-based (or trust) policy lets anyone outside ``account`` in (PASS: nobody).

    "Outside" is an anonymous caller, or the root, any user or any role
    session of any other account (whose own policies are assumed to allow
    everything). ``resource_type`` (a key of :data:`RESOURCE_TYPES`) limits
    the actions to the resource's service.
    """
    arguments = (policy, resource_type, account)
    return within_budget("no-public-access", _no_public_access, arguments, _budget(budget))


def _no_public_access(policy: Policy, resource_type: str | None, account: str, budget: Budget) -> CheckResult:
    if not isinstance(policy, Policy):
        raise UsageError(f"{shown(policy)} is not a Policy (parse it with iamsim.parse_policy)")
    if policy.kind not in (PolicyKind.RESOURCE, PolicyKind.TRUST):
        # An identity policy names no principal; in a resource's place its statements would let everyone in.
        raise UsageError(
            f"policy {policy.name or '(unnamed)'} is a {policy.kind.value} policy; no-public-access checks a "
            "resource-based or trust policy (parse it with kind='resource' or kind='trust')"
        )
    if not is_account_id(account):
        raise UsageError(f"account {shown(account)} is not a 12-digit account ID")
    service = None
    if resource_type is not None:
        if resource_type not in RESOURCE_TYPES:
            known = ", ".join(sorted(RESOURCE_TYPES))
            raise InvalidInputError(f"resource type {resource_type!r} is not one of: {known}")
        service = RESOURCE_TYPES[resource_type][0]
    caller_set = PolicySet(identity=(_ADMIN,), resource=policy)
    anonymous_set = PolicySet(resource=policy)

    shared = ActionPatterns()

    def build(action_class: ActionClass) -> tuple[SymbolicRequest, z3.BoolRef]:
        families, counts = scan_keys([policy])
        caller = OutsideCaller(account)
        context = ContextModel(families, counts, caller.keys())
        request = SymbolicRequest(
            z3.String("action"), z3.String("resource"), z3.Bool("resource_is_star"), context, caller
        )
        encoder = Encoder(request, action_class, shared)
        request.constraints += caller.constraints + context.constraints + encoder.domain()
        parts = [encoder.outside_allowed(policy)]
        if service is not None:
            parts.append(z3.InRe(request.action, z3.Concat(z3.Re(service + ":"), z3.Star(PRINTABLE))))
        encoder.fresh_character_exists()
        return request, z3.And(*parts)

    def verify(candidate: Candidate) -> dict[str, str] | None:
        principal = _principal(candidate.principal)
        request = Request.create(
            principal, candidate.action, candidate.resource, candidate.context, resource_account=account
        )
        decision = _decide(anonymous_set if principal.account is None else caller_set, request)
        return {"policy": decision.value} if decision is Decision.ALLOWED else None

    return solve("no-public-access", build, verify, budget, account, _classes([policy]))
