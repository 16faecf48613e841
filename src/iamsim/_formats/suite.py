"""The policy test suite format (``docs/dry-run.md``, "The suite format") as pydantic models.

The models check the shape of a suite and of its ``policies:`` section; what
needs the engine (a principal ARN's grammar, a context value's type) is
checked by :mod:`iamsim.policytests.loader`, which names the place the same
way (:func:`iamsim._formats.locate.place`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Discriminator,
    Field,
    Tag,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from iamsim._formats.fields import (
    FileModel,
    Names,
    OneOrList,
    OptionalText,
    Text,
    keys_as_text,
    kind_of,
    one_or_many,
    refuse_empty,
)
from iamsim._formats.world import WorldFile

__all__ = ["CHECKS", "EXPECTATIONS", "CaseSpec", "CheckCaseSpec", "PoliciesSection", "PolicySource", "SuiteFile"]

#: What a case may expect (the values of :class:`iamsim.policytests.Expectation`).
EXPECTATIONS = ("allowed", "denied", "explicitDeny", "implicitDeny")
#: The questions a ``check:`` case may ask (``iamsim check``'s subcommands).
CHECKS = ("no-new-access", "access-not-granted", "no-public-access")


class PolicySource(FileModel):
    """A policy read from a CloudFormation template or a Terraform plan."""

    cloudformation: Text | None = Field(None, description="a CloudFormation template, relative to the suite")
    terraform: Text | None = Field(None, description="a Terraform plan (terraform show -json), relative to the suite")
    policy: Text = Field(description="the policy's logical id or name in the template or plan")
    account: Text | None = Field(None, description="what AWS::AccountId stands for (CloudFormation)")
    parameters: dict[str, Any] | None = Field(None, description="template parameter values")


def _ref_branch(value: Any) -> str:
    return "source" if isinstance(value, dict) else "file name"


#: One policy: a file relative to the suite, an AWS managed policy ARN, or a template/plan reference.
PolicyRef = Annotated[
    Annotated[Text, Tag("file name")] | Annotated[PolicySource, Tag("source")],
    Discriminator(_ref_branch),
]


#: One policy or a list of them.
PolicyRefs = Annotated[tuple[PolicyRef, ...], BeforeValidator(one_or_many), OneOrList()]
#: SCP or RCP levels, organization root first: each a policy or a list of policies.
Levels = Annotated[tuple[PolicyRefs, ...], BeforeValidator(one_or_many), OneOrList()]


class PoliciesSection(FileModel):
    """The policies a suite's cases are evaluated against, each naming the part it plays."""

    empty_is_mapping = True

    identity: PolicyRefs = Field((), description="identity-based policies of the principal")
    caller: PolicyRefs = Field(
        (), description="identity-based policies of whoever calls sts:AssumeRole (the role's are not theirs)"
    )
    resource: PolicyRef | None = Field(None, description="the resource-based policy of the resource")
    trust: PolicyRef | None = Field(None, description="the role trust policy: the resource policy of sts:AssumeRole*")
    boundary: PolicyRef | None = Field(None, description="the permissions boundary")
    session: PolicyRefs | None = Field(None, description="session policies")
    scp: Levels = Field((), description="SCPs, one entry per level, organization root first")
    rcp: Levels = Field((), description="RCPs, one entry per level, organization root first")
    cloudformation: Text | None = Field(None, description="a template to read a whole role from (with role:)")
    terraform: Text | None = Field(None, description="a Terraform plan to read a whole role from (with role:)")
    role: Text | None = Field(None, description="the role's logical id, address or name in the template or plan")
    account: Text | None = Field(None, description="what AWS::AccountId stands for (default 123456789012)")
    parameters: dict[str, Any] | None = Field(None, description="template parameter values")


def _expectation(value: Any) -> Any:
    if value not in EXPECTATIONS:
        shown = repr(value) if isinstance(value, str) and len(value) <= 40 else kind_of(value)
        raise ValueError(f"must be one of {', '.join(EXPECTATIONS)}, not {shown}")
    return value


_SCALAR: dict[str, Any] = {"type": ["string", "number", "boolean"]}


def _service_actions(value: tuple[str, ...]) -> tuple[str, ...]:
    for action in value:
        if ":" not in action:
            raise ValueError(f"action {action!r} is not of the form service:ActionName")
    return value


#: ``action:``/``actions:`` of a case: each name of the form ``service:ActionName``.
ServiceActions = Annotated[Names, AfterValidator(_service_actions)]


def _one_spelling_each(given: set[str]) -> None:
    """A case spells each of action and resource once: singular or plural, not both."""
    for singular, plural in (("action", "actions"), ("resource", "resources")):
        if singular in given and plural in given:
            raise ValueError(f"give {singular}: or {plural}:, not both")


class _ActionsAndResources(FileModel):
    """A case that names actions and resources, each spelled singular or plural (``action:``/``actions:``)."""

    #: The resources a case means when it names none.
    no_resource: ClassVar[tuple[str, ...]] = ()

    if TYPE_CHECKING:
        # Declared by each case model, with the description its question gives them.
        action: tuple[str, ...] | None
        actions: tuple[str, ...] | None
        resource: tuple[str, ...] | None
        resources: tuple[str, ...] | None

    @property
    def action_names(self) -> tuple[str, ...]:
        """The case's actions, however spelled."""
        return self.action or self.actions or ()

    @property
    def resource_names(self) -> tuple[str, ...]:
        """The case's resources, however spelled; :attr:`no_resource` when none is given."""
        return self.resource or self.resources or self.no_resource


class CaseSpec(_ActionsAndResources):
    """One case: every action on every resource must meet ``expect``."""

    no_resource: ClassVar[tuple[str, ...]] = ("*",)

    name: Text | None = Field(None, description="the case's name, unique in the suite (default: case N)")
    principal: Text = Field(
        description="who asks: a user, role, session or root ARN, an account id, a service like ec2.amazonaws.com,"
        " or anonymous (an unauthenticated caller)"
    )
    action: ServiceActions | None = Field(None, description="the action (service:ActionName) or a list of actions")
    actions: ServiceActions | None = Field(None, description="the same as action:")
    resource: Names | None = Field(None, description="the resource ARN or a list of them (default *)")
    resources: Names | None = Field(None, description="the same as resource:")
    context: Annotated[
        dict[str, Any],
        BeforeValidator(keys_as_text("a mapping of condition keys to values")),
        WithJsonSchema(
            {"type": "object", "additionalProperties": {"anyOf": [_SCALAR, {"type": "array", "items": _SCALAR}]}}
        ),
    ] = Field(default_factory=dict, description="condition keys -> a value, or a list for a multivalued key")
    resource_account: Text | None = Field(None, description="the account owning the resource (S3 ARNs name none)")
    expect: (
        Annotated[Literal["allowed", "denied", "explicitDeny", "implicitDeny"], BeforeValidator(_expectation)] | None
    ) = Field(None, description="allowed, denied (either kind), explicitDeny or implicitDeny")

    @model_validator(mode="after")
    def _one_spelling_each(self) -> CaseSpec:
        _one_spelling_each(self.model_fields_set)
        if self.action is None and self.actions is None:
            raise ValueError("action: is required (service:ActionName, or a list)")
        return self


def _check(value: Any) -> Any:
    if value not in CHECKS:
        shown = repr(value) if isinstance(value, str) and len(value) <= 40 else kind_of(value)
        raise ValueError(f"must be one of {', '.join(CHECKS)}, not {shown}")
    return value


#: Which keys each question takes beyond ``name``, ``check``, ``account`` and ``seconds``.
_CHECK_KEYS: dict[str, frozenset[str]] = {
    "no-new-access": frozenset({"baseline"}),
    "access-not-granted": frozenset({"action", "actions", "resource", "resources"}),
    "no-public-access": frozenset({"resource_type"}),
}


class CheckCaseSpec(_ActionsAndResources):
    """A case answered for every request by the prover (``iamsim check``): PASS, or FAIL with witnesses."""

    name: Text | None = Field(None, description="the case's name, unique in the suite (default: case N)")
    check: Annotated[Literal["no-new-access", "access-not-granted", "no-public-access"], BeforeValidator(_check)] = (
        Field(description="the question: no-new-access, access-not-granted or no-public-access")
    )
    baseline: PolicyRefs | None = Field(
        None, description="no-new-access: the identity policies that bound what the suite's policies may allow"
    )
    action: ServiceActions | None = Field(None, description="access-not-granted: the actions (wildcards allowed)")
    actions: ServiceActions | None = Field(None, description="the same as action:")
    resource: Names | None = Field(None, description="access-not-granted: only on these resources (default any)")
    resources: Names | None = Field(None, description="the same as resource:")
    resource_type: Text | None = Field(
        None, description="no-public-access: the resource's type (AWS::S3::Bucket...), limiting the actions"
    )
    account: Text | None = Field(None, description="the account the policies belong to (default 111122223333)")
    seconds: float | None = Field(None, gt=0, description="the prover's time budget (default 10); UNKNOWN fails")

    @model_validator(mode="after")
    def _keys_of_the_question(self) -> CheckCaseSpec:
        allowed = _CHECK_KEYS[self.check]
        for other in sorted(set().union(*_CHECK_KEYS.values()) - allowed):
            if other in self.model_fields_set:
                raise ValueError(f"{other}: does not apply to check: {self.check}")
        _one_spelling_each(self.model_fields_set)
        if self.check == "no-new-access" and not self.baseline:
            raise ValueError("baseline: is required for no-new-access (a policy file or a list)")
        if self.check == "access-not-granted" and not (self.action or self.actions):
            raise ValueError("action: is required for access-not-granted (service:ActionName, or a list)")
        return self


def _case_branch(value: Any) -> str:
    return "check case" if isinstance(value, Mapping) and "check" in value else "request case"


#: A case: requests with an expected decision, or a question the prover answers for every request.
AnyCase = Annotated[
    Annotated[CaseSpec, Tag("request case")] | Annotated[CheckCaseSpec, Tag("check case")],
    Discriminator(_case_branch),
]


def _world_branch(value: Any) -> str:
    return "inline" if isinstance(value, dict) else "file name"


class SuiteFile(FileModel):
    """A policy test suite: policies (or a whole world) and the cases that must hold for them."""

    name: OptionalText | None = Field(None, description="shown in reports (default: the file name)")
    description: OptionalText | None = Field(None, description="what the suite is about")
    policies: PoliciesSection | None = Field(None, description="the policies, by the part each plays")
    world: (
        Annotated[
            Annotated[Text, Tag("file name")] | Annotated[WorldFile, Tag("inline")],
            Discriminator(_world_branch),
        ]
        | None
    ) = Field(None, description="instead of policies: a world file (relative to the suite) or a world inline")
    cases: tuple[AnyCase, ...] = Field(
        description="the cases, each requests and their expected decision, or a check: the prover answers"
    )

    _some_cases = field_validator("cases", mode="before")(refuse_empty("must be a non-empty list"))

    @classmethod
    def check_keys(cls, data: Mapping[Any, Any]) -> None:
        """Refuse both ``policies:`` and ``world:``, or neither, before the details of either are checked."""
        if "world" in data and "policies" in data:
            raise ValueError("give policies: or world:, not both (a world's policies come from its users and roles)")
        if "world" not in data and "policies" not in data:
            raise ValueError("policies: (or world:) is required")
