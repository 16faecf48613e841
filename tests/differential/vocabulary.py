"""The small shared world the differential strategies draw from.

Everything here is deliberately tiny: two accounts, a handful of actions,
resources and principals, a dozen condition keys. Policies and requests are
drawn from the same vocabulary so that statements and requests collide often
enough for matching, conditions and the combining table all to be exercised.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from iamsim._engine.request import Principal, PrincipalType

__all__ = [
    "ACCOUNT_A",
    "ACCOUNT_B",
    "ACTIONS",
    "ACTION_PATTERNS",
    "ALICE_ID",
    "APP_ROLE_ID",
    "BOUNDED_PRINCIPALS",
    "CONDITION_KEYS",
    "DISJOINT_ACTIONS",
    "FAMILY_OPERATORS",
    "FAMILY_POLICY_VALUES",
    "IDENTITY_SIDE_PRINCIPALS",
    "INCOMPLETE_RESOURCE_PATTERNS",
    "NEGATED_OPERATORS",
    "PRINCIPALS",
    "PRINCIPAL_AWS_VALUES",
    "PRINCIPAL_FEDERATED_VALUES",
    "PRINCIPAL_SERVICE_VALUES",
    "REQUEST_RESOURCES",
    "RESOURCE_PATTERNS",
    "ROLE_RESOURCES",
    "SCP_PRINCIPALS",
    "SESSION_PRINCIPALS",
    "TRUST_ACTIONS",
    "TRUST_ACTION_PATTERNS",
    "TYPED_RESOURCES",
    "ConditionKey",
]

ACCOUNT_A = "111122223333"
ACCOUNT_B = "444455556666"

ALICE_ID = "AIDAALICEEXAMPLE00001"
BOB_ID = "AIDABOBEXAMPLE0000002"
APP_ROLE_ID = "AROAAPPEXAMPLE0000001"
OPS_ROLE_ID = "AROAOPSEXAMPLE0000002"
APP_B_ROLE_ID = "AROAAPPBEXAMPLE000003"

ALICE_ARN = f"arn:aws:iam::{ACCOUNT_A}:user/alice"
BOB_ARN = f"arn:aws:iam::{ACCOUNT_B}:user/bob"
APP_ROLE_ARN = f"arn:aws:iam::{ACCOUNT_A}:role/app"
OPS_ROLE_ARN = f"arn:aws:iam::{ACCOUNT_A}:role/team/ops"
APP_B_ROLE_ARN = f"arn:aws:iam::{ACCOUNT_B}:role/app"
APP_SESSION_ARN = f"arn:aws:sts::{ACCOUNT_A}:assumed-role/app/s1"
FED_ARN = f"arn:aws:sts::{ACCOUNT_A}:federated-user/fed"

_app_session = Principal.from_arn(APP_ROLE_ARN, session_name="s1", unique_id=APP_ROLE_ID)
_web_session = dataclasses.replace(
    Principal.from_arn(APP_ROLE_ARN, session_name="web", unique_id=APP_ROLE_ID),
    web_identity=True,
    federated_provider="accounts.google.com",
)

#: Every kind of caller, by a short name that reads well in a failing example.
PRINCIPALS: dict[str, Principal] = {
    "root-a": Principal.root(ACCOUNT_A),
    "root-b": Principal.root(ACCOUNT_B),
    "alice": Principal.from_arn(ALICE_ARN, unique_id=ALICE_ID),
    "bob-b": Principal.from_arn(BOB_ARN, unique_id=BOB_ID),
    "app-session": _app_session,
    "ops-session": Principal.from_arn(OPS_ROLE_ARN, session_name="alice", unique_id=OPS_ROLE_ID),
    "app-session-b": Principal.from_arn(APP_B_ROLE_ARN, session_name="s1", unique_id=APP_B_ROLE_ID),
    "web-session": _web_session,
    "fed": Principal(
        FED_ARN,
        PrincipalType.FEDERATED_USER,
        ACCOUNT_A,
        session_name="fed",
        source_user_arn=ALICE_ARN,
        userid=f"{ACCOUNT_A}:fed",
    ),
    "ec2-service": Principal.for_service("ec2.amazonaws.com"),
    "google-user": Principal.for_web_identity("accounts.google.com", "sub-123"),
    "anonymous": Principal.anonymous(),
}

#: Callers with identity-based policies (users and sessions; not root, services, IdPs).
IDENTITY_SIDE_PRINCIPALS = frozenset(
    name
    for name, p in PRINCIPALS.items()
    if p.type in (PrincipalType.USER, PrincipalType.ASSUMED_ROLE, PrincipalType.FEDERATED_USER)
)
#: Callers that can carry a permissions boundary (IAM users and roles; §F.1 step 5).
BOUNDED_PRINCIPALS = IDENTITY_SIDE_PRINCIPALS
#: Callers to which session policies apply (§F.1 step 6).
SESSION_PRINCIPALS = frozenset(name for name, p in PRINCIPALS.items() if p.is_session)
#: Callers that belong to an account and so can be subject to SCPs (§F.5).
SCP_PRINCIPALS = frozenset(name for name, p in PRINCIPALS.items() if p.account is not None)

ACTIONS = (
    "s3:GetObject",
    "s3:PutObject",
    "s3:ListBucket",
    "s3:DeleteObject",
    "s3:ListAllMyBuckets",
    "iam:GetUser",
    "iam:ListUsers",
    "iam:PassRole",
    "sqs:SendMessage",
    "ec2:DescribeInstances",
)
#: Actions authorized against a role's trust policy.
TRUST_ACTIONS = ("sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:TagSession", "sts:SetSourceIdentity")
#: Actions no request uses: a statement naming only these never matches.
DISJOINT_ACTIONS = ("dynamodb:GetItem", "kms:Decrypt", "lambda:InvokeFunction")

#: Action patterns of every form (§B.1): exact, mixed case, prefix, ``?``, service, ``*``.
ACTION_PATTERNS = (
    *ACTIONS,
    "S3:getobject",
    "s3:GETOBJECT",
    "s3:Get*",
    "s3:?etObject",
    "s3:List*",
    "s3:*Object",
    "s3:*",
    "iam:*",
    "IAM:List*",
    "iam:???User",
    "sqs:*",
    "*",
    "ec2:Describe*",
    "dynamodb:GetItem",
)
TRUST_ACTION_PATTERNS = (*TRUST_ACTIONS, "sts:AssumeRole*", "STS:assumerole", "sts:*", "sts:?agSession")

REQUEST_RESOURCES = (
    "arn:aws:s3:::bucket-a",
    "arn:aws:s3:::bucket-a/key.txt",
    "arn:aws:s3:::bucket-a/alice/notes.txt",
    "arn:aws:s3:::bucket-a/dev/notes.txt",
    "arn:aws:s3:::bucket-a/x/test/y",
    "arn:aws:s3:::bucket-a/*",
    "arn:aws:s3:::bucket-b/key.txt",
    "arn:aws:s3:::weird[1]/a",
    "arn:aws:s3:::bucket-a/what?.txt",
    "arn:aws:s3:::bucket-a/${aws:username}/x",
    f"arn:aws:iam::{ACCOUNT_A}:user/alice",
    f"arn:aws:sqs:us-east-1:{ACCOUNT_A}:queue1",
    f"arn:aws:sqs:us-east-1:{ACCOUNT_B}:queue1",
    # Typed resources (§B.2: a wildcard cannot stand for the type word): word and "/", word and ":", a qualifier.
    f"arn:aws:ec2:us-east-1:{ACCOUNT_A}:instance/i-0abc",
    f"arn:aws:logs:us-east-1:{ACCOUNT_A}:log-group:app:log-stream:mystream",
    f"arn:aws:lambda:us-east-1:{ACCOUNT_A}:function:f:prod",
    "*",
)
#: Request resources whose resource part begins with a resource-type word (§B.2).
TYPED_RESOURCES = (
    f"arn:aws:iam::{ACCOUNT_A}:user/alice",
    f"arn:aws:ec2:us-east-1:{ACCOUNT_A}:instance/i-0abc",
    f"arn:aws:logs:us-east-1:{ACCOUNT_A}:log-group:app:log-stream:mystream",
    f"arn:aws:lambda:us-east-1:{ACCOUNT_A}:function:f:prod",
)
#: Roles, the resources of ``sts:AssumeRole*`` requests.
ROLE_RESOURCES = (APP_ROLE_ARN, OPS_ROLE_ARN, APP_B_ROLE_ARN)

#: Resource patterns (§B.2): exact, ``*`` spanning ``/``, ``?``, case, literal ``[``, variables (§D).
RESOURCE_PATTERNS = (
    "*",
    "arn:aws:s3:::bucket-a",
    "arn:aws:s3:::bucket-a/*",
    "arn:aws:s3:::bucket-?/*",
    "arn:aws:s3:::*",
    "arn:aws:s3:::bucket-a*",
    "arn:aws:s3:::bucket-a/*/test/*",
    "arn:aws:s3:::weird[1]/*",
    "arn:aws:s3:::Bucket-A/*",
    "arn:aws:s3:::bucket-a/${aws:username}/*",
    "arn:aws:s3:::bucket-a/${aws:PrincipalTag/team, 'dev'}/*",
    "arn:aws:s3:::bucket-a/${*}",
    "arn:aws:s3:::bucket-a/what${?}.txt",
    "arn:aws:s3:::bucket-a/${aws:userid}/*",
    "arn:*:s3:::bucket-a/*",
    f"arn:aws:iam::{ACCOUNT_A}:role/*",
    "arn:aws:iam::*:role/app",
    f"arn:aws:iam::{ACCOUNT_A}:user/${{aws:username}}",
    f"arn:aws:sqs:*:{ACCOUNT_A}:queue?",
    "arn:aws:sqs:us-east-1:*:*",
    # §B.2, the resource-type word: wildcards and variables that could stand for it, and the common
    # spellings that must keep matching. A "*" ending the region or account field may run past colons.
    f"arn:aws:iam::{ACCOUNT_A}:u*",
    "arn:aws:iam::*:u*",
    f"arn:aws:iam::{ACCOUNT_A}:*/alice",
    "arn:aws:iam::*:alice",
    "arn:aws:iam::*:*",
    "arn:aws:iam::*:user/*",
    f"arn:aws:iam::{ACCOUNT_A}:${{aws:RequestTag/kind}}/alice",
    f"arn:aws:iam::{ACCOUNT_A}:us${{aws:RequestTag/kind}}er/alice",
    f"arn:aws:iam::{ACCOUNT_A}:user${{aws:RequestTag/kind}}/alice",
    "arn:aws:ec2:*:*:*",
    "arn:aws:ec2:*:*:*/i-0abc",
    "arn:aws:ec2:us-east-1:*:instance/*",
    "arn:aws:ec2:*:*:inst*",
    "arn:aws:logs:*:*:mystream",
    "arn:aws:logs:*:*:log-group:*",
    "arn:aws:logs:*:*:log-stream:mystream",
    "arn:aws:logs:*:*:*:mystream",
    "arn:aws:lambda:us-east-1:*:prod",
    "arn:aws:lambda:*:*:function:*",
    "arn:aws:lambda:*:*:${aws:RequestTag/kind}:f:prod",
    "arn:aws:*:*:*:",
    *ROLE_RESOURCES,
)
#: ARN patterns with fewer than six fields; completed with ``:*`` in identity-side policies only (§B.2).
INCOMPLETE_RESOURCE_PATTERNS = ("arn:aws:sqs", "arn:aws:s3", f"arn:aws:iam::{ACCOUNT_A}")

#: ``Principal``/``NotPrincipal`` ``AWS`` values (§A.3): accounts, roots, users, roles, sessions, unique ids.
PRINCIPAL_AWS_VALUES = (
    ACCOUNT_A,
    f"arn:aws:iam::{ACCOUNT_A}:root",
    ACCOUNT_B,
    f"arn:aws:iam::{ACCOUNT_B}:root",
    ALICE_ARN,
    BOB_ARN,
    f"arn:aws:iam::{ACCOUNT_A}:user/carol",
    APP_ROLE_ARN,
    OPS_ROLE_ARN,
    APP_B_ROLE_ARN,
    APP_SESSION_ARN,
    FED_ARN,
    ALICE_ID,
    APP_ROLE_ID,
)
PRINCIPAL_SERVICE_VALUES = ("ec2.amazonaws.com", "lambda.amazonaws.com", "EC2.amazonaws.com")
PRINCIPAL_FEDERATED_VALUES = ("accounts.google.com", f"arn:aws:iam::{ACCOUNT_A}:saml-provider/corp")

FAMILY_OPERATORS: dict[str, tuple[str, ...]] = {
    "String": (
        "StringEquals",
        "StringNotEquals",
        "StringEqualsIgnoreCase",
        "StringNotEqualsIgnoreCase",
        "StringLike",
        "StringNotLike",
    ),
    "Numeric": (
        "NumericEquals",
        "NumericNotEquals",
        "NumericLessThan",
        "NumericLessThanEquals",
        "NumericGreaterThan",
        "NumericGreaterThanEquals",
    ),
    "Date": (
        "DateEquals",
        "DateNotEquals",
        "DateLessThan",
        "DateLessThanEquals",
        "DateGreaterThan",
        "DateGreaterThanEquals",
    ),
    "Bool": ("Bool",),
    "Binary": ("BinaryEquals",),
    "Ip": ("IpAddress", "NotIpAddress"),
    "Arn": ("ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"),
}
NEGATED_OPERATORS = frozenset(
    {
        "StringNotEquals",
        "StringNotEqualsIgnoreCase",
        "StringNotLike",
        "NumericNotEquals",
        "DateNotEquals",
        "NotIpAddress",
        "ArnNotEquals",
        "ArnNotLike",
    }
)

#: JSON condition values valid for each family whatever the key (§C.2); numbers and
#: booleans appear as JSON scalars too, since quotation marks are optional (§A.1).
FAMILY_POLICY_VALUES: dict[str, tuple[object, ...]] = {
    "Numeric": ("10", "100", "2.5", 10, "-1", "0", 2.5, "1e2"),
    "Date": (
        "2024-01-01T00:00:00Z",
        "2030-01-01",
        "2020",
        "2024-06-01T12:30:00+02:00",
        "2024-06-01T10:30:00.5Z",
        1700000000,
        "1700000000",
    ),
    "Bool": ("true", "false", True, False),
    "Binary": ("QUJD", "AAEC"),
    "Ip": ("10.0.0.0/8", "192.0.2.1", "2001:db8::/32", "192.0.2.0/24"),
    "Arn": (
        "arn:aws:s3:::bucket-a",
        "arn:aws:s3:::bucket-*",
        "arn:aws:iam::*:role/app",
        f"arn:aws:iam::{ACCOUNT_A}:role/team/*",
        f"arn:aws:iam::{ACCOUNT_A}:user/${{aws:username}}",
        f"arn:aws:*:*:{ACCOUNT_A}:*",
    ),
}


@dataclass(frozen=True)
class ConditionKey:
    """A condition key with its natural family and values to test it with.

    ``string_values`` are the policy values used with ``String*`` operators
    (with wildcards and policy variables); ``request_values`` are context
    values of the right type and ``wrong_values`` ones that do not parse as
    the key's type. ``derived`` keys come from the principal (§E) and are not
    drawn into the request context.
    """

    name: str
    family: str
    string_values: tuple[str, ...]
    request_values: tuple[str, ...] = ()
    wrong_values: tuple[str, ...] = ()
    multivalued: bool = False
    derived: bool = False


CONDITION_KEYS: tuple[ConditionKey, ...] = (
    ConditionKey(
        "aws:PrincipalTag/team",
        "String",
        ("dev", "ops", "d*", "${aws:username}", "${aws:PrincipalTag/missing, 'dev'}", "d${?}v"),
        ("dev", "ops", "DEV", "alice"),
    ),
    ConditionKey(
        "s3:prefix",
        "String",
        ("home/", "home/*", "home/${aws:username}/*", "${*}", "home/${aws:PrincipalTag/team, 'x'}/*"),
        ("home/", "home/alice/a", "home/x/a", "home/dev/a", "*"),
    ),
    ConditionKey(
        "aws:TagKeys",
        "String",
        ("team", "env", "t*", "Team"),
        ("team", "env", "other"),
        multivalued=True,
    ),
    # Its values spell resource-type words (and "" joins "us" and "er"), for variables in Resource (§B.2, §D).
    ConditionKey(
        "aws:RequestTag/kind", "String", ("user", "u*", "function"), ("user", "function", "instance", "", "alice")
    ),
    ConditionKey("sts:ExternalId", "String", ("ext-1", "ext-*", "EXT-1"), ("ext-1", "ext-2")),
    ConditionKey("aws:username", "String", ("alice", "Alice", "a*", "${aws:PrincipalTag/team}"), derived=True),
    ConditionKey("aws:PrincipalType", "String", ("User", "AssumedRole", "Account", "FederatedUser"), derived=True),
    ConditionKey("aws:userid", "String", (ALICE_ID, f"{APP_ROLE_ID}:*", ACCOUNT_A), derived=True),
    ConditionKey("aws:PrincipalAccount", "String", (ACCOUNT_A, ACCOUNT_B), derived=True),
    ConditionKey("aws:PrincipalArn", "Arn", (APP_ROLE_ARN, "arn:aws:iam::*:role/*", ALICE_ARN), derived=True),
    ConditionKey(
        "s3:max-keys", "Numeric", ("10",), ("10", "50", "2.50", "-1", "100", "1e3", "+5"), ("abc", "1O", " 10")
    ),
    ConditionKey("aws:EpochTime", "Numeric", ("1700000000",), ("1700000000", "1800000000", "1600000000")),
    ConditionKey(
        "aws:CurrentTime",
        "Date",
        ("2024-*",),
        (
            "2025-06-01T12:00:00Z",
            "2019-12-31T23:59:59Z",
            "2024-01-01",
            "1700000000",
            "2024-06-01T10:30:00.5Z",
            "2024-06-01T12:30+02:00",
        ),
        ("yesterday",),
    ),
    ConditionKey("aws:SecureTransport", "Bool", ("true",), ("true", "false", "TRUE"), ("yes",)),
    ConditionKey("aws:MultiFactorAuthPresent", "Bool", ("false",), ("true", "false"), ("1",)),
    ConditionKey(
        "aws:SourceIp",
        "Ip",
        ("10.*",),
        ("10.1.2.3", "192.0.2.1", "2001:db8::5", "2001:DB8:0:0::5", "198.51.100.7", "::ffff:10.0.0.1"),
        ("not-an-ip", "300.1.1.1"),
    ),
    ConditionKey(
        "aws:SourceArn",
        "Arn",
        ("arn:aws:s3:::bucket-a",),
        ("arn:aws:s3:::bucket-a", "arn:aws:s3:::bucket-b", APP_ROLE_ARN, OPS_ROLE_ARN),
        ("notanarn",),
    ),
    ConditionKey("app:blob", "Binary", ("QUJD",), ("QUJD", "AAEC"), ("!!!",)),
)
