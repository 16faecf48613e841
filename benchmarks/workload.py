"""The seeded benchmark workload of issue 7: one role with S statements and a stream of requests.

Statements: about 5% ``Deny``, about 20% with a condition block; actions are
exact names, prefix wildcards (``s3:Get*``), service wildcards (``s3:*``) or
``*``; resources are wildcard ARN patterns (a few ``*``). Requests are
aimed: most target one statement (an ``Allow`` for "allowed", a ``Deny`` for
"explicit deny") and are built to match it; the rest miss on purpose (an
action no statement lists, a resource of another team, a failed condition).
The measured mix is printed by the harness; the intent weights below were
tuned until it came out close to 50% allowed / 20% explicit deny / 30%
implicit deny.

Everything is derived from one :class:`random.Random` seeded by the caller,
so a seed gives the same documents and requests on every machine.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "ACCOUNT",
    "ROLE_ARN",
    "STATEMENTS_PER_DOCUMENT",
    "BenchRequest",
    "Workload",
    "make_workload",
]

ACCOUNT = "123456789012"
ROLE_NAME = "bench-role"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/{ROLE_NAME}"

_SERVICES = (
    "s3", "ec2", "dynamodb", "sqs", "sns", "lambda", "kms", "logs", "cloudwatch", "ecr",
    "ecs", "rds", "secretsmanager", "ssm", "glue", "athena", "kinesis", "firehose", "elasticache", "states",
)  # fmt: skip
_VERBS = ("Get", "List", "Describe", "Put", "Create", "Delete", "Update", "Tag", "Untag", "Start", "Stop", "Batch")
_NOUNS = (
    "Bucket", "Object", "Queue", "Topic", "Function", "Key", "Table", "Item", "Stream", "Image",
    "Cluster", "Task", "Instance", "Volume", "Snapshot", "Secret", "Parameter", "Policy", "Alias", "Group",
    "Rule", "Target", "Alarm", "Metric", "Dashboard", "Repository", "Layer", "Version", "Event", "Record",
    "Index", "Backup", "Export", "Import", "Job", "Endpoint", "Grant", "Subscription", "Permission", "Attribute",
)  # fmt: skip
#: A verb no statement uses: requests with it are denied implicitly unless a broad wildcard covers them.
_UNUSED_VERB = "Purge"
#: Statements per policy document.
STATEMENTS_PER_DOCUMENT = 500
#: Teams (resource name prefixes) at least; a larger policy names more teams (see :func:`_team_count`).
_MIN_TEAMS = 60
_REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "ap-south-1")

#: Share of statements per action shape (exact, prefix wildcard, service wildcard, ``*``).
_ACTION_SHAPES = (("exact", 0.70), ("prefix", 0.20), ("service", 0.085), ("star", 0.015))
_DENY_SHARE = 0.05
_CONDITION_SHARE = 0.20
#: Request intents: aimed at an Allow, aimed at a Deny, aimed to miss.
_INTENTS = (("allow", 0.50), ("deny", 0.20), ("miss", 0.30))


@dataclass(frozen=True, slots=True)
class BenchRequest:
    """One request, engine-neutral: the caller's ARN, action, resource and context (keys as policies spell them)."""

    principal_arn: str
    action: str
    resource: str
    context: dict[str, str]
    intent: str


@dataclass(frozen=True, slots=True)
class Workload:
    """The role's policy documents (dicts) and the requests to decide against them.

    The statements are split over documents of at most :data:`STATEMENTS_PER_DOCUMENT`
    (one role with several attached policies): IAM's parser refuses documents
    over 131,072 characters whatever the quota.
    """

    name: str
    seed: int
    statements: int
    documents: tuple[dict[str, Any], ...]
    requests: tuple[BenchRequest, ...]
    principals: tuple[str, ...] = (ROLE_ARN,)
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def texts(self) -> tuple[str, ...]:
        """The policy documents as compact JSON text."""
        return tuple(json.dumps(document, separators=(",", ":")) for document in self.documents)


def _team_count(statements: int) -> int:
    # Keeps the overlap between statements, hence the decision mix, about the same at every S.
    return max(_MIN_TEAMS, statements // 8)


def _resource_arn(service: str, team: int, name: str) -> str:
    if service == "s3":
        return f"arn:aws:s3:::team{team}-bucket/{name}"
    return f"arn:aws:{service}:us-east-1:{ACCOUNT}:res/team{team}-{name}"


def _resource_pattern(service: str, team: int, *, deny: bool) -> str:
    middle = "secret-" if deny else ""
    if service == "s3":
        return f"arn:aws:s3:::team{team}-bucket/{middle}*"
    return f"arn:aws:{service}:*:{ACCOUNT}:res/team{team}-{middle}*"


@dataclass(frozen=True, slots=True)
class _Condition:
    """One generated condition: the block, and how to satisfy or break it in a request context."""

    block: dict[str, dict[str, str]]
    satisfy: dict[str, str]
    violate: dict[str, str]


def _condition(rng: random.Random, teams: int) -> _Condition:
    choice = rng.randrange(6)
    if choice == 0:
        region = rng.choice(_REGIONS)
        other = next(r for r in _REGIONS if r != region)
        key = "aws:RequestedRegion"
        return _Condition({"StringEquals": {key: region}}, {key: region}, {key: other})
    if choice == 1:
        team = rng.randrange(teams)
        key = "aws:PrincipalTag/team"
        return _Condition({"StringLike": {key: f"team{team}*"}}, {key: f"team{team}"}, {key: "nobody"})
    if choice == 2:
        block = rng.randrange(256)
        key = "aws:SourceIp"
        return _Condition({"IpAddress": {key: f"10.{block}.0.0/16"}}, {key: f"10.{block}.1.2"}, {key: "192.0.2.1"})
    if choice == 3:
        key = "aws:SecureTransport"
        return _Condition({"Bool": {key: "true"}}, {key: "true"}, {key: "false"})
    if choice == 4:
        key = "aws:CurrentTime"
        return _Condition(
            {"DateLessThan": {key: "2030-01-01T00:00:00Z"}},
            {key: "2025-06-01T12:00:00Z"},
            {key: "2031-01-01T00:00:00Z"},
        )
    env = rng.choice(("prod", "dev"))
    key = "aws:ResourceTag/env"
    return _Condition({"StringEquals": {key: env}}, {key: env}, {key: "dev" if env == "prod" else "prod"})


@dataclass(frozen=True, slots=True)
class _Plan:
    """A generated statement and what a request needs to match it."""

    sid: str
    deny: bool
    shape: str
    service: str
    verb: str
    noun: str
    team: int | None
    conditions: tuple[_Condition, ...]

    def statement(self) -> dict[str, Any]:
        if self.shape == "exact":
            action: str = f"{self.service}:{self.verb}{self.noun}"
        elif self.shape == "prefix":
            action = f"{self.service}:{self.verb}*"
        elif self.shape == "service":
            action = f"{self.service}:*"
        else:
            action = "*"
        resource = "*" if self.team is None else _resource_pattern(self.service, self.team, deny=self.deny)
        out: dict[str, Any] = {
            "Sid": self.sid,
            "Effect": "Deny" if self.deny else "Allow",
            "Action": action,
            "Resource": resource,
        }
        if self.conditions:
            merged: dict[str, dict[str, str]] = {}
            for condition in self.conditions:
                for operator, body in condition.block.items():
                    merged.setdefault(operator, {}).update(body)
            out["Condition"] = merged
        return out


def _pick_shape(rng: random.Random) -> str:
    roll = rng.random()
    for shape, share in _ACTION_SHAPES:
        if roll < share:
            return shape
        roll -= share
    return _ACTION_SHAPES[-1][0]


def _plan(rng: random.Random, index: int, teams: int, conditions_per_statement: tuple[int, int] | None) -> _Plan:
    deny = rng.random() < _DENY_SHARE
    shape = _pick_shape(rng)
    service = rng.choice(_SERVICES)
    # ``*`` actions and Denies always name resources: an ``Allow *`` on ``*`` would allow everything.
    team: int | None = rng.randrange(teams)
    if not deny and shape == "exact" and rng.random() < 0.10:
        team = None
    if conditions_per_statement is not None:
        low, high = conditions_per_statement
        count = rng.randint(low, high)
    else:
        count = 1 if rng.random() < _CONDITION_SHARE else 0
    conditions: list[_Condition] = []
    keys: set[str] = set()
    while len(conditions) < count:
        condition = _condition(rng, teams)
        key = next(iter(condition.satisfy))
        if key not in keys:
            keys.add(key)
            conditions.append(condition)
    return _Plan(f"S{index}", deny, shape, service, rng.choice(_VERBS), rng.choice(_NOUNS), team, tuple(conditions))


def _base_context(rng: random.Random, teams: int) -> dict[str, str]:
    return {
        "aws:RequestedRegion": "us-east-1",
        "aws:SecureTransport": "true",
        "aws:SourceIp": f"10.{rng.randrange(256)}.7.9",
        "aws:CurrentTime": "2025-06-01T12:00:00Z",
        "aws:PrincipalTag/team": f"team{rng.randrange(teams)}",
        "aws:ResourceTag/env": rng.choice(("prod", "dev")),
    }


def _aimed(rng: random.Random, plan: _Plan, principal: str, intent: str, teams: int, *, break_it: bool) -> BenchRequest:
    """A request that matches ``plan`` (or, with ``break_it``, fails one of its conditions)."""
    service = plan.service
    if plan.shape == "star":
        action = f"{rng.choice(_SERVICES)}:{rng.choice(_VERBS)}{rng.choice(_NOUNS)}"
    elif plan.shape == "service":
        action = f"{service}:{rng.choice(_VERBS)}{rng.choice(_NOUNS)}"
    elif plan.shape == "prefix":
        action = f"{service}:{plan.verb}{rng.choice(_NOUNS)}"
    else:
        action = f"{service}:{plan.verb}{plan.noun}"
    team = plan.team if plan.team is not None else rng.randrange(teams)
    name = f"{'secret-' if plan.deny else 'item-'}{rng.randrange(100_000)}"
    context = _base_context(rng, teams)
    for condition in plan.conditions:
        context.update(condition.satisfy)
    if break_it and plan.conditions:
        context.update(rng.choice(plan.conditions).violate)
    return BenchRequest(principal, action, _resource_arn(service, team, name), context, intent)


def _miss(rng: random.Random, principal: str, teams: int) -> BenchRequest:
    service = rng.choice(_SERVICES)
    action = f"{service}:{_UNUSED_VERB}{rng.choice(_NOUNS)}"
    resource = _resource_arn(service, rng.randrange(teams), f"item-{rng.randrange(100_000)}")
    return BenchRequest(principal, action, resource, _base_context(rng, teams), "miss")


def _pick_intent(rng: random.Random) -> str:
    roll = rng.random()
    for intent, share in _INTENTS:
        if roll < share:
            return intent
        roll -= share
    return _INTENTS[-1][0]


def make_workload(
    statements: int,
    requests: int,
    *,
    seed: int,
    name: str = "mix",
    principals: int = 1,
    conditions_per_statement: tuple[int, int] | None = None,
) -> Workload:
    """Generate the workload: ``statements`` statements in one identity policy, ``requests`` requests.

    ``principals`` > 1 spreads the requests over that many roles sharing the
    policy; ``conditions_per_statement`` (low, high) replaces the 20% rule
    with that many conditions on every statement (the heavy-condition case).
    """
    rng = random.Random(f"{seed}/{name}/{statements}")
    teams = _team_count(statements)
    plans = [_plan(rng, index, teams, conditions_per_statement) for index in range(statements)]
    allows = [plan for plan in plans if not plan.deny] or plans
    denies = [plan for plan in plans if plan.deny] or plans
    conditional = [plan for plan in allows if plan.conditions]
    arns = tuple(
        ROLE_ARN if index == 0 else f"arn:aws:iam::{ACCOUNT}:role/bench-role-{index}" for index in range(principals)
    )
    out: list[BenchRequest] = []
    for _ in range(requests):
        principal = rng.choice(arns)
        intent = _pick_intent(rng)
        if intent == "allow":
            out.append(_aimed(rng, rng.choice(allows), principal, intent, teams, break_it=False))
        elif intent == "deny":
            out.append(_aimed(rng, rng.choice(denies), principal, intent, teams, break_it=False))
        elif conditional and rng.random() < 0.5:
            # A miss by a failed condition.
            out.append(_aimed(rng, rng.choice(conditional), principal, intent, teams, break_it=True))
        else:
            out.append(_miss(rng, principal, teams))
    bodies = [plan.statement() for plan in plans]
    documents = tuple(
        {"Version": "2012-10-17", "Statement": bodies[start : start + STATEMENTS_PER_DOCUMENT]}
        for start in range(0, len(bodies), STATEMENTS_PER_DOCUMENT)
    )
    return Workload(name, seed, statements, documents, tuple(out), arns)
