"""What each command prints with ``--format json``, as pydantic models: the contract scripts rely on.

The commands build plain dicts (the same ones the library's
``result_to_dict``/``suite_to_dict`` return); these models describe them,
field for field and in the printed order, so that:

* ``scripts/gen_schemas.py`` publishes their JSON Schemas
  (``docs/schemas/cli-*.schema.json``), which say what a consumer may rely on;
* tests check every command's output against its model (``extra`` keys are
  refused, so a field added to the output without its schema fails a test).

Validation is not run when a command prints: the output is checked by the
tests, and a user's run never pays for it. ``validate --format sarif`` prints
SARIF 2.1.0, whose schema is OASIS's, not ours.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from iamsim._engine.result import Decision, KeyPolicy, StatementOutcome
from iamsim._policy.findings import Severity
from iamsim._policy.model import Effect, PolicyKind
from iamsim._walkthrough.json_output import WalkthroughJson

__all__ = [
    "COMMAND_PAYLOADS",
    "WALKTHROUGH_OUTPUT",
    "CheckOutput",
    "DiffOutput",
    "EvaluateOutput",
    "TestOutput",
    "ValidateOutput",
]


class _Payload(BaseModel):
    """Part of a command's JSON output; a key the model does not name is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class StatementRefOut(_Payload):
    """One statement of one policy, as the result names it."""

    policy: str = Field(description="the policy's name (its file name without .json, or its ARN's name)")
    kind: PolicyKind = Field(description="the part the policy plays")
    level: int = Field(description="SCP/RCP level (0 = organization root); 0 for other kinds")
    position: int = Field(description="the policy's position among those of its kind and level")
    statement_index: int = Field(description="0-based index of the statement in its policy")
    sid: str | None = Field(description="the statement's Sid, if it has one")
    effect: Effect


class ConditionOut(_Payload):
    """One condition of a statement the explanation looked at."""

    operator: str
    key: str
    policy_values: list[str]
    request_values: list[str] | None = Field(description="null when the request lacks the key")
    passed: bool


class StatementTraceOut(StatementRefOut):
    """A statement the evaluation looked at, and why it matched or not."""

    outcome: StatementOutcome
    conditions: list[ConditionOut]


class ExplanationOut(_Payload):
    """How the decision was reached (present when the command explains)."""

    steps: list[str] = Field(description="the decision steps, in order")
    statements: list[StatementTraceOut] = Field(description="the statements worth showing")


class ResultOut(_Payload):
    """One request and its decision."""

    principal: str
    action: str
    resource: str
    decision: Decision
    allowed: bool
    denied_by: PolicyKind | None = Field(description="the kind of policy that denied, for a denial")
    message: str = Field(description="AWS's authorization message")
    determining: list[StatementRefOut] = Field(description="the statements that decided")
    missing_context_keys: list[str] = Field(description="condition keys the policies test and the request lacks")
    rule: str | None = Field(description="a standing rule that decided (e.g. the root user's), if one did")
    key_policy: KeyPolicy | None = Field(description="how a KMS key policy took part, if it did")
    explanation: ExplanationOut | None = Field(None, description="only with explain (or a failing test case)")


class Summary(_Payload):
    """Counts of requests."""

    allowed: int
    denied: int


class EvaluateOutput(_Payload):
    """``iamsim evaluate --format json`` and ``iamsim explain --format json``."""

    principal: str | None = Field(description="the principal as evaluated (a role ARN becomes a session of it)")
    assumed_context: dict[str, str] = Field(
        default_factory=dict,
        description="context keys set by default, as the Simulator sets them, because --context did not give them",
    )
    results: list[ResultOut] = Field(description="one per action x resource")
    summary: Summary


class PassedRequestOut(_Payload):
    """A request of a passing case: only its decision."""

    action: str
    resource: str
    decision: Decision
    passed: Literal[True]


class FailedRequestOut(ResultOut):
    """A request that did not meet the case's expectation, with the full result."""

    passed: Literal[False]


class WitnessOut(_Payload):
    """A request that refutes a check's property, re-checked by both evaluators."""

    principal: str = Field(description="an ARN, or anonymous")
    action: str
    resource: str
    context: dict[str, str | list[str]]
    resource_account: str | None = None
    decisions: dict[str, Decision] = Field(description="label (old, new, policy) -> the evaluators' decision")


class CheckOut(_Payload):
    """A check case's answer from the prover."""

    question: Literal["no-new-access", "access-not-granted", "no-public-access"]
    result: Literal["PASS", "FAIL", "UNKNOWN"]
    reason: str | None = Field(description="why UNKNOWN: the construct not encoded, or the time budget")
    elapsed_seconds: float
    witnesses: list[WitnessOut]


class CheckOutput(CheckOut):
    """``iamsim check QUESTION ... --format json``: the prover's answer (docs/dry-run.md, "check")."""

    set_aside: list[Literal["trust policy", "resource policy", "resource control policies"]] | None = Field(
        None,
        description="policies an identity-side question left to no-public-access (they say who else gets in); "
        "absent when none was",
    )


class CaseOut(_Payload):
    """One case of a suite."""

    name: str
    passed: bool
    principal: str = Field(description="who asks; for a check case, the principals it ranges over")
    expect: Literal["allowed", "denied", "explicitDeny", "implicitDeny"] | None
    requests: list[Annotated[PassedRequestOut | FailedRequestOut, Field(discriminator="passed")]]
    check: CheckOut | None = Field(None, description="only for a check: case, which has no requests")


class SuiteOut(_Payload):
    """One suite's outcome."""

    suite: str = Field(description="the suite's name")
    path: str
    passed: bool
    total: int = Field(description="number of cases")
    failed: int = Field(description="number of failed cases")
    cases: list[CaseOut]


class TestOutput(_Payload):
    """``iamsim test --format json``."""

    __test__ = False  # not a pytest test class, whatever its name

    passed: bool = Field(description="whether every case of every suite passed")
    suites: list[SuiteOut]


class DiffSummary(_Payload):
    """Counts of requests by change."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)

    newly_allowed: int = Field(alias="newly allowed")
    newly_denied: int = Field(alias="newly denied")
    denial_changed: int = Field(alias="denial changed", description="explicit <-> implicit deny")
    unchanged: int


class ChangeOut(_Payload):
    """One request decided under OLD and NEW."""

    case: str
    principal: str
    action: str
    resource: str
    old: Decision
    new: Decision
    change: Literal["newly allowed", "newly denied", "denial changed", "unchanged"]
    new_determining: list[StatementRefOut] = Field(description="the statements that decided under NEW")


class DiffOutput(_Payload):
    """``iamsim diff --format json``."""

    grants_new_access: bool = Field(description="whether any request became allowed (the exit code is then 2)")
    summary: DiffSummary
    changes: list[ChangeOut] = Field(description="the changed requests (every request with --all)")


class FindingOut(_Payload):
    """One finding of the policy linter."""

    severity: Severity
    code: str
    message: str
    pointer: str = Field(description="JSON pointer into the policy")
    line: int | None
    column: int | None
    statement_index: int | None
    learn_more: str = Field(description="a link to AWS's documentation")


class PolicyReportOut(_Payload):
    """The findings of one policy document."""

    path: str = Field(description="the file, and the policy's place in a template or plan (FILE#PLACE)")
    file: str = Field(description="the file the policy is in; findings' lines and columns are in this file")
    place: str | None = Field(
        description="the policy's place in a template (LogicalId.Property) or plan (address.attribute)"
    )
    kind: PolicyKind
    ok: bool
    counts: dict[str, int] = Field(description="findings per severity")
    findings: list[FindingOut]


class ValidateOutput(_Payload):
    """``iamsim validate --format json``."""

    passed: bool = Field(description="no finding at --fail-on or worse")
    fail_on: Severity
    policies: list[PolicyReportOut]


#: ``iamsim walkthrough --format json``: its structure is the TypedDicts of the walkthrough (docs/walkthrough.md).
WALKTHROUGH_OUTPUT: TypeAdapter[Any] = TypeAdapter(WalkthroughJson)

#: Each command's ``--format json`` payload, by the name of its published schema (``cli-NAME.schema.json``).
COMMAND_PAYLOADS: dict[str, type[BaseModel] | TypeAdapter[Any]] = {
    "evaluate": EvaluateOutput,
    "test": TestOutput,
    "diff": DiffOutput,
    "validate": ValidateOutput,
    "walkthrough": WALKTHROUGH_OUTPUT,
    "check": CheckOutput,
}
