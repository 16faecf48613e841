"""iamsim: AWS IAM and STS emulated in-process, with AWS's real decision logic.

The facade re-exports the public API; everything else lives in private modules.

Evaluate policies without any world::

    import iamsim

    result = iamsim.evaluate(
        "arn:aws:iam::111122223333:user/alice",
        "s3:GetObject",
        "arn:aws:s3:::company1-logs/app.log",
        identity=[{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::company1-logs/*"}]}],
    )
    assert result.allowed

Or build a world of accounts, roles and credentials with :class:`Simulator`,
and lint a policy the way IAM Access Analyzer does with :func:`validate_policy`.

Every name here is defined in a private module; each class and function is
re-labelled as ``iamsim.NAME`` (its ``__module__``), so ``repr``, the docs and
pickles show the public path, never the private one. Errors live in
:mod:`iamsim.errors`; the most common ones are re-exported here.
"""

from __future__ import annotations

from iamsim._bundle import PolicyBundle
from iamsim._clock import Clock, ManualClock, SystemClock
from iamsim._engine.policy_set import PolicySet, PolicySlot
from iamsim._engine.request import ContextValue, Principal, PrincipalType, Request
from iamsim._engine.result import (
    ConditionTrace,
    Decision,
    EvaluationResult,
    Explanation,
    KeyPolicy,
    PolicyTrace,
    StandingRule,
    StatementOutcome,
    StatementRef,
    StatementTrace,
)
from iamsim._evaluate import PolicyEvaluator, PolicyInput, authorize, build_policy_set, evaluate, is_allowed
from iamsim._matrix.result import AccessMatrix
from iamsim._policy.findings import Finding, Severity, ValidationReport
from iamsim._policy.model import (
    Condition,
    Effect,
    Policy,
    PolicyKind,
    PrincipalSpec,
    SetQualifier,
    Span,
    SpanSource,
    Statement,
)
from iamsim._policy.parse import parse_policy
from iamsim._policy.render import policy_to_dict, render_policy
from iamsim._policy.validate import validate_policy
from iamsim._prover import (
    Budget,
    CheckResult,
    Verdict,
    Witness,
    check_access_not_granted,
    check_no_new_access,
    check_no_public_access,
)
from iamsim._simulator import Simulator
from iamsim._simulator.auth import Who
from iamsim._simulator.ec2 import Instance
from iamsim._simulator.events import Event
from iamsim._simulator.iam_delegation import DelegatedAccessToken, DelegationRequestCreated, DelegationTokenNotice
from iamsim._simulator.resources import DeniedCall
from iamsim._simulator.simulation import MatchedStatement, ResourceSpecificResult, SimulationResult, StatementPosition
from iamsim._simulator.sts_scoped import ScopedCredentialsResult, ScopedSession
from iamsim._store.account import Document
from iamsim._store.credential_report import ReportGeneration
from iamsim._store.delegation_requests import (
    DelegationParameter,
    DelegationPermission,
    DelegationRequest,
    DelegationRequestDetail,
)
from iamsim._store.last_accessed import (
    EntityDetails,
    EntityInfo,
    LastAccessedJob,
    ServiceLastAccessed,
    ServiceLastAccessedEntities,
    TrackedActionLastAccessed,
)
from iamsim._store.org_features import OrganizationFeatures
from iamsim._store.organization import OrganizationalUnit, OrganizationPolicy
from iamsim._store.policy_usage import ManagedPolicyDetail, PolicyEntities, PolicyVersionDetail
from iamsim._store.records import (
    AccessKey,
    CredentialReport,
    DeletionTask,
    Group,
    InlinePolicy,
    InstanceProfile,
    LoginProfile,
    ManagedPolicy,
    MfaDevice,
    OidcContextKeyDefinition,
    OidcContextProvider,
    OidcProvider,
    PasswordPolicy,
    PolicyVersion,
    Role,
    SamlProvider,
    ServerCertificate,
    ServiceSpecificCredential,
    SigningCertificate,
    SshPublicKey,
    TrustBinding,
    User,
)
from iamsim._store.service_access import PolicyGrantingServiceAccess, ServiceAccessPolicies
from iamsim._store.validation import Tags, TagsInput
from iamsim._store.workload_identity_outbound import OutboundFederationInfo
from iamsim._sts.caller import Caller, CallerKind
from iamsim._sts.credentials import (
    AssumedRoleUser,
    AssumeRoleResult,
    CallerIdentity,
    Credentials,
    FederatedUser,
    FederationTokenResult,
    WebIdentityResult,
)
from iamsim._sts.oidc import TestIdentityProvider
from iamsim._sts.root_sessions import AssumeRootResult
from iamsim._sts.saml import SamlResult
from iamsim._sts.saml_idp import TestSamlIdentityProvider
from iamsim._sts.trust_bundles import TrustBundleEntry, TrustBundles
from iamsim._sts.workload_tokens import WebIdentityToken
from iamsim.errors import AccessDeniedError, IamSimError, MalformedPolicyDocumentError, ServiceError, UsageError

__version__ = "0.1.0"

__all__ = [
    "AccessDeniedError",
    "AccessKey",
    "AccessMatrix",
    "AssumeRoleResult",
    "AssumeRootResult",
    "AssumedRoleUser",
    "Budget",
    "Caller",
    "CallerIdentity",
    "CallerKind",
    "CheckResult",
    "Clock",
    "Condition",
    "ConditionTrace",
    "ContextValue",
    "CredentialReport",
    "Credentials",
    "Decision",
    "DelegatedAccessToken",
    "DelegationParameter",
    "DelegationPermission",
    "DelegationRequest",
    "DelegationRequestCreated",
    "DelegationRequestDetail",
    "DelegationTokenNotice",
    "DeletionTask",
    "DeniedCall",
    "Document",
    "Effect",
    "EntityDetails",
    "EntityInfo",
    "EvaluationResult",
    "Event",
    "Explanation",
    "FederatedUser",
    "FederationTokenResult",
    "Finding",
    "Group",
    "IamSimError",
    "InlinePolicy",
    "Instance",
    "InstanceProfile",
    "KeyPolicy",
    "LastAccessedJob",
    "LoginProfile",
    "MalformedPolicyDocumentError",
    "ManagedPolicy",
    "ManagedPolicyDetail",
    "ManualClock",
    "MatchedStatement",
    "MfaDevice",
    "OidcContextKeyDefinition",
    "OidcContextProvider",
    "OidcProvider",
    "OrganizationFeatures",
    "OrganizationPolicy",
    "OrganizationalUnit",
    "OutboundFederationInfo",
    "PasswordPolicy",
    "Policy",
    "PolicyBundle",
    "PolicyEntities",
    "PolicyEvaluator",
    "PolicyGrantingServiceAccess",
    "PolicyInput",
    "PolicyKind",
    "PolicySet",
    "PolicySlot",
    "PolicyTrace",
    "PolicyVersion",
    "PolicyVersionDetail",
    "Principal",
    "PrincipalSpec",
    "PrincipalType",
    "ReportGeneration",
    "Request",
    "ResourceSpecificResult",
    "Role",
    "SamlProvider",
    "SamlResult",
    "ScopedCredentialsResult",
    "ScopedSession",
    "ServerCertificate",
    "ServiceAccessPolicies",
    "ServiceError",
    "ServiceLastAccessed",
    "ServiceLastAccessedEntities",
    "ServiceSpecificCredential",
    "SetQualifier",
    "Severity",
    "SigningCertificate",
    "SimulationResult",
    "Simulator",
    "Span",
    "SpanSource",
    "SshPublicKey",
    "StandingRule",
    "Statement",
    "StatementOutcome",
    "StatementPosition",
    "StatementRef",
    "StatementTrace",
    "SystemClock",
    "Tags",
    "TagsInput",
    "TestIdentityProvider",
    "TestSamlIdentityProvider",
    "TrackedActionLastAccessed",
    "TrustBinding",
    "TrustBundleEntry",
    "TrustBundles",
    "UsageError",
    "User",
    "ValidationReport",
    "Verdict",
    "WebIdentityResult",
    "WebIdentityToken",
    "Who",
    "Witness",
    "__version__",
    "authorize",
    "build_policy_set",
    "check_access_not_granted",
    "check_no_new_access",
    "check_no_public_access",
    "evaluate",
    "is_allowed",
    "parse_policy",
    "policy_to_dict",
    "render_policy",
    "validate_policy",
]


def _relabel_public_names() -> None:
    """Give each class and function defined in a private module the public path ``iamsim.NAME``.

    Pickle finds an object by ``__module__`` and ``__qualname__``; both resolve
    here, so pickles made now name the path that stays stable. Objects whose
    home is a public module (``iamsim.errors``) keep it.
    """
    namespace = globals()
    for name in __all__:
        obj = namespace[name]
        if isinstance(obj, type) or callable(obj):
            module = getattr(obj, "__module__", "")
            if module.startswith("iamsim._"):
                obj.__module__ = __name__


_relabel_public_names()
del _relabel_public_names
