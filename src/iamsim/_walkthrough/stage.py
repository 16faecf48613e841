"""The stage a walkthrough plays on: a fresh simulator, its clock, and what earlier steps produced."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from iamsim._arn import iam_entity_arn, s3_arn
from iamsim._clock import ManualClock
from iamsim._engine.request import Principal
from iamsim._engine.result import EvaluationResult, StatementRef
from iamsim._policy.aws_managed import aws_managed_policy
from iamsim._simulator import Simulator
from iamsim._simulator.auth import Who
from iamsim._simulator.context import iso8601
from iamsim._simulator.core import core_of
from iamsim._simulator.events import Event
from iamsim._sts.credentials import Credentials
from iamsim._walkthrough.model import CheckedStatement, DeterminingStatement, Outcome, OutcomeKind
from iamsim.errors import IamSimError

__all__ = ["EC2_SERVICE", "RoleSetup", "Stage"]

#: The service principal EC2 acts as when it assumes an instance's role.
EC2_SERVICE = "ec2.amazonaws.com"


@dataclass(frozen=True, slots=True)
class RoleSetup:
    """The role a scenario builds: its name, trust policy and one permissions policy.

    ``policy_arn`` names an AWS managed policy; without it the scenario creates
    the customer managed policy ``policy_name`` from ``policy_document``.
    """

    role_name: str
    trust_document: dict[str, Any]
    policy_name: str
    policy_document: dict[str, Any] | None = None
    policy_arn: str | None = None
    description: str = ""

    def document(self) -> dict[str, Any]:
        """The permissions policy's document (an AWS managed policy's from the bundled snapshot)."""
        if self.policy_document is not None:
            return self.policy_document
        if self.policy_arn is None:
            raise IamSimError(f"role setup {self.role_name}: give a policy document or an AWS managed policy ARN")
        return aws_managed_policy(self.policy_arn).document_json()


@dataclass
class Stage:
    """A fresh :class:`~iamsim._simulator.Simulator` on a :class:`~iamsim.ManualClock`, and the run's state."""

    setup: RoleSetup
    bucket: str
    seed: int = 0
    clock: ManualClock = field(default_factory=ManualClock)
    sim: Simulator = field(init=False)
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    policy_arns: dict[str, str] = field(default_factory=dict)
    instance_id: str | None = None
    role_name: str | None = None
    current: Credentials | None = None
    user_credentials: Credentials | None = None

    def __post_init__(self) -> None:
        self.sim = Simulator(seed=self.seed, clock=self.clock)

    # ------------------------------------------------------------- state

    @property
    def account(self) -> str:
        """The account everything is created in."""
        return self.sim.default_account

    @property
    def partition(self) -> str:
        """The partition of the stage's simulator: every ARN a step shows is built in it."""
        return self.sim.partition

    def role_arn(self, role_name: str) -> str:
        """The ARN of ``role_name`` in the stage's account."""
        return iam_entity_arn(self.partition, self.account, "role", "/", role_name)

    def s3_arn(self, bucket: str, key: str | None = None) -> str:
        """The ARN of ``bucket`` (or of its object ``key``) in the stage's partition."""
        return s3_arn(self.partition, bucket, key)

    def instance(self) -> str:
        """The instance launched by an earlier step."""
        if self.instance_id is None:
            raise IamSimError("walkthrough steps ran out of order: no instance yet")
        return self.instance_id

    def credentials(self) -> Credentials:
        """The credentials the instance holds now."""
        if self.current is None:
            raise IamSimError("walkthrough steps ran out of order: the instance has no credentials yet")
        return self.current

    def now(self) -> datetime:
        """The simulated time."""
        return self.clock.now()

    def now_text(self) -> str:
        """The simulated time as AWS writes it."""
        return iso8601(self.clock.now())

    def last_event(self) -> int:
        """The number of the newest logged event (0 for none)."""
        events = self.sim.events()
        return events[-1].seq if events else 0

    def events_since(self, seq: int) -> tuple[Event, ...]:
        """The events logged after event ``seq``."""
        return tuple(e for e in self.sim.events() if e.seq > seq)

    def remember(self, name: str, document: dict[str, Any]) -> None:
        """Keep a policy's document under its display name, to quote its statements later."""
        self.documents[name] = document

    # ------------------------------------------------------------ decisions

    def decide(self, who: Who, action: str, resource: str) -> tuple[EvaluationResult, Outcome]:
        """Ask the simulator, with a full explanation, whether ``who`` may do ``action`` on ``resource``."""
        result = self.sim.explain(who, action, resource)
        return result, self.outcome(result)

    def trust_decision(self, principal: Principal, role_name: str, session_name: str) -> Outcome:
        """The simulator's decision on the role's trust policy for ``principal`` (as STS makes it)."""
        trust = core_of(self.sim).trust_policy(self.account, role_name)
        result = self.sim.explain(
            principal,
            "sts:AssumeRole",
            self.role_arn(role_name),
            context={"sts:RoleSessionName": session_name},
            resource_policy=trust,
        )
        return self.outcome(result)

    def outcome(self, result: EvaluationResult, *, message: str | None = None) -> Outcome:
        """An :class:`Outcome` from an evaluation result, quoting the determining statements."""
        checked: tuple[CheckedStatement, ...] = ()
        if result.explanation is not None:
            checked = tuple(
                CheckedStatement(
                    trace.ref.policy_name,
                    trace.ref.kind.value,
                    trace.ref.statement_index,
                    trace.ref.effect.value,
                    trace.outcome.value,
                )
                for policy in result.explanation.policies
                for trace in policy.statements
            )
        return Outcome(
            decision=OutcomeKind(result.decision.value),
            message=message or result.message(),
            error_code=None if result.allowed else "AccessDenied",
            denied_by=None if result.denied_by is None else result.denied_by.label,
            determining=tuple(self.quote(ref) for ref in result.determining),
            checked=checked,
        )

    def quote(self, ref: StatementRef) -> DeterminingStatement:
        """A determining statement with its JSON, when the policy is one the walkthrough wrote or attached."""
        document = self.documents.get(ref.policy_name)
        statement = None
        if document is not None:
            statements = document.get("Statement")
            listed = statements if isinstance(statements, list) else [statements]
            if 0 <= ref.statement_index < len(listed) and isinstance(listed[ref.statement_index], dict):
                statement = listed[ref.statement_index]
        return DeterminingStatement(
            policy=ref.policy_name,
            policy_type=ref.kind.value,
            statement_index=ref.statement_index,
            sid=ref.sid,
            effect=ref.effect.value,
            description=ref.describe(),
            statement=statement,
        )
