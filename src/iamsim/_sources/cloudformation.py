"""Policies from CloudFormation templates (JSON or YAML, short-form tags allowed).

Reads ``AWS::IAM::Role`` (trust policy, inline ``Policies``,
``ManagedPolicyArns``, ``PermissionsBoundary``), ``AWS::IAM::Policy`` and
``AWS::IAM::ManagedPolicy`` (attached to roles through their ``Roles``
property). Intrinsic functions inside policies are resolved where a template
alone decides them: ``Ref`` (parameters with defaults or given values, pseudo
parameters, resource names), ``Fn::GetAtt`` ``Arn`` of roles, managed
policies, buckets, queues, topics, tables and functions, ``Fn::Sub``,
``Fn::Join``, ``Fn::Select`` and ``Fn::Split``. Anything else is an error that
names the function and where it stands, never a silent guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from iamsim._arn import dns_suffix
from iamsim._bundle import PolicyBundle
from iamsim._policy.aws_managed import is_aws_managed_policy_arn
from iamsim._policy.model import Policy, PolicyKind
from iamsim._sources.documents import read_data
from iamsim._sources.intrinsics import Resolver
from iamsim._sources.policy_files import load_managed_policy, parse_policy_in
from iamsim.errors import InvalidInputError

__all__ = [
    "DEFAULT_ACCOUNT",
    "CloudFormationTemplate",
    "TemplateDocument",
    "load_cloudformation",
    "template_documents",
]

#: The account id ``AWS::AccountId`` stands for unless another is given.
DEFAULT_ACCOUNT = "123456789012"

_ROLE = "AWS::IAM::Role"
_POLICY = "AWS::IAM::Policy"
_MANAGED_POLICY = "AWS::IAM::ManagedPolicy"


@dataclass(frozen=True, slots=True)
class CloudFormationTemplate:
    """A read template and what its intrinsic functions resolve to."""

    path: Path
    resources: Mapping[str, Mapping[str, Any]]
    resolver: Resolver

    def _properties(self, logical_id: str) -> Mapping[str, Any]:
        properties = self.resources[logical_id].get("Properties") or {}
        if not isinstance(properties, Mapping):
            raise InvalidInputError(f"{self.path}: {logical_id}: Properties must be a mapping")
        return properties

    def logical_ids(self, resource_type: str) -> tuple[str, ...]:
        """Logical ids of every resource of ``resource_type``, in template order."""
        return tuple(lid for lid, res in self.resources.items() if res.get("Type") == resource_type)

    def find(self, name: str, resource_types: tuple[str, ...]) -> str:
        """The logical id of the resource called ``name`` (logical id, or its RoleName/PolicyName)."""
        candidates = [lid for t in resource_types for lid in self.logical_ids(t)]
        if name in candidates:
            return name
        for lid in candidates:
            if self.resolver.resource_name(lid) == name:
                return lid
        kinds = " or ".join(resource_types)
        known = ", ".join(candidates) or "none"
        raise InvalidInputError(f"{self.path}: no {kinds} named {name!r} (found: {known})")

    def _document(self, logical_id: str, value: Any, where: str, kind: PolicyKind, name: str) -> Policy:
        resolved = self.resolver.resolve(value, f"{logical_id}.{where}")
        if not isinstance(resolved, Mapping):
            raise InvalidInputError(f"{self.path}: {logical_id}.{where} is not a policy document")
        return parse_policy_in(f"{self.path}: {logical_id}.{where}", resolved, kind, name)

    def policy(self, name: str, kind: PolicyKind = PolicyKind.IDENTITY) -> Policy:
        """The ``AWS::IAM::Policy`` or ``AWS::IAM::ManagedPolicy`` called ``name`` as a ``kind`` policy."""
        logical_id = self.find(name, (_POLICY, _MANAGED_POLICY))
        properties = self._properties(logical_id)
        return self._document(logical_id, properties.get("PolicyDocument"), "PolicyDocument", kind, logical_id)

    def _managed_by_arn(self, arn: str, kind: PolicyKind, where: str) -> Policy:
        for lid in self.logical_ids(_MANAGED_POLICY):
            if self.resolver.managed_policy_arn(lid) == arn:
                return self.policy(lid, kind)
        if is_aws_managed_policy_arn(arn):
            return load_managed_policy(arn, kind)
        raise InvalidInputError(
            f"{self.path}: {where}: managed policy {arn} is neither in the template nor AWS managed"
        )

    def role(self, name: str) -> PolicyBundle:
        """Everything that applies to a session of the role called ``name``.

        Identity policies: its inline ``Policies``, its ``ManagedPolicyArns``
        and every ``AWS::IAM::Policy``/``ManagedPolicy`` whose ``Roles`` names
        it; trust: its ``AssumeRolePolicyDocument``; boundary: its
        ``PermissionsBoundary``.
        """
        logical_id = self.find(name, (_ROLE,))
        properties = self._properties(logical_id)
        role_name = self.resolver.resource_name(logical_id)
        identity: list[Policy] = []
        for index, inline in enumerate(properties.get("Policies") or ()):
            where = f"Policies[{index}]"
            if not isinstance(inline, Mapping):
                raise InvalidInputError(f"{self.path}: {logical_id}.{where} must be a mapping")
            policy_name = self.resolver.resolve(inline.get("PolicyName", f"inline{index}"), f"{logical_id}.{where}")
            identity.append(
                self._document(
                    logical_id,
                    inline.get("PolicyDocument"),
                    f"{where}.PolicyDocument",
                    PolicyKind.IDENTITY,
                    str(policy_name),
                )
            )
        for index, raw_arn in enumerate(properties.get("ManagedPolicyArns") or ()):
            where = f"ManagedPolicyArns[{index}]"
            arn = self.resolver.resolve(raw_arn, f"{logical_id}.{where}")
            identity.append(self._managed_by_arn(str(arn), PolicyKind.IDENTITY, f"{logical_id}.{where}"))
        for lid in (*self.logical_ids(_POLICY), *self.logical_ids(_MANAGED_POLICY)):
            roles = self.resolver.resolve(self._properties(lid).get("Roles") or [], f"{lid}.Roles")
            if isinstance(roles, list) and role_name in roles:
                identity.append(self.policy(lid))
        trust = None
        if properties.get("AssumeRolePolicyDocument") is not None:
            trust = self._document(
                logical_id,
                properties["AssumeRolePolicyDocument"],
                "AssumeRolePolicyDocument",
                PolicyKind.TRUST,
                f"{logical_id} trust policy",
            )
        boundary = None
        if properties.get("PermissionsBoundary") is not None:
            arn = self.resolver.resolve(properties["PermissionsBoundary"], f"{logical_id}.PermissionsBoundary")
            boundary = self._managed_by_arn(str(arn), PolicyKind.BOUNDARY, f"{logical_id}.PermissionsBoundary")
        return PolicyBundle(
            identity=tuple(identity), trust=trust, boundary=boundary, sources=(f"{self.path}#{logical_id}",)
        )


def load_cloudformation(
    path: Path | str,
    *,
    account: str = DEFAULT_ACCOUNT,
    region: str = "us-east-1",
    partition: str = "aws",
    parameters: Mapping[str, str] | None = None,
) -> CloudFormationTemplate:
    """Read a CloudFormation template; ``account``/``region``/``partition`` stand for the pseudo parameters."""
    file = Path(path)
    data = read_data(file)
    if not isinstance(data, Mapping) or not isinstance(data.get("Resources"), Mapping):
        raise InvalidInputError(f"{file}: not a CloudFormation template (no Resources section)")
    resources: dict[str, Mapping[str, Any]] = {}
    for logical_id, resource in data["Resources"].items():
        if not isinstance(resource, Mapping):
            raise InvalidInputError(f"{file}: resource {logical_id} must be a mapping")
        resources[str(logical_id)] = resource
    declared = data.get("Parameters") or {}
    values: dict[str, Any] = {
        str(k): v["Default"] for k, v in declared.items() if isinstance(v, Mapping) and "Default" in v
    }
    values.update(parameters or {})
    resolver = Resolver(
        origin=str(file),
        resources=resources,
        parameters=values,
        pseudo={
            "AWS::AccountId": account,
            "AWS::Region": region,
            "AWS::Partition": partition,
            "AWS::URLSuffix": dns_suffix(partition),
            "AWS::StackName": file.stem,
            "AWS::NoValue": None,
        },
    )
    return CloudFormationTemplate(file, resources, resolver)


#: Resource policies in templates: resource type -> the property holding the policy document.
_RESOURCE_POLICIES = {
    "AWS::S3::BucketPolicy": "PolicyDocument",
    "AWS::SQS::QueuePolicy": "PolicyDocument",
    "AWS::SNS::TopicPolicy": "PolicyDocument",
    "AWS::KMS::Key": "KeyPolicy",
    "AWS::SecretsManager::ResourcePolicy": "ResourcePolicy",
    "AWS::ECR::Repository": "RepositoryPolicyText",
}
#: Identities other than roles whose inline ``Policies`` are identity policies.
_INLINE_HOLDERS = ("AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group")


@dataclass(frozen=True, slots=True)
class TemplateDocument:
    """One policy document of a template, for the linter."""

    #: Where it is, for people: ``Bucket.PolicyDocument``, ``App.Policies[0].PolicyDocument``.
    place: str
    #: Its JSON pointer in the template file (``/Resources/Bucket/Properties/PolicyDocument``).
    pointer: str
    kind: PolicyKind
    #: The document with intrinsics resolved; ``None`` when one of them cannot be resolved offline.
    document: Any
    #: For an unresolved document: the pointer of the intrinsic in the file and why it cannot be resolved.
    unresolved: tuple[str, str] | None = None


def _member(pointer: str, token: str | int) -> str:
    return f"{pointer}/{str(token).replace('~', '~0').replace('/', '~1')}"


def template_documents(template: CloudFormationTemplate) -> list[TemplateDocument]:
    """Every policy document in ``template``, intrinsics resolved, in template order.

    Role trust policies; inline policies of roles, users and groups;
    ``AWS::IAM::Policy`` and ``ManagedPolicy``; and the resource policies of
    buckets, queues, topics, KMS keys, secrets and ECR repositories. For
    linting: documents are returned unparsed, so a malformed one is a finding
    of the linter rather than an error here; a document with an intrinsic that
    cannot be resolved offline is returned with the place and reason instead,
    so the rest of the template is still linted.
    """
    found: list[TemplateDocument] = []

    def add(lid: str, where: str, tokens: tuple[str | int, ...], kind: PolicyKind, raw: Any) -> None:
        pointer = _member(_member("/Resources", lid), "Properties")
        for token in tokens:
            pointer = _member(pointer, token)
        place = f"{lid}.{where}"
        try:
            document = template.resolver.resolve(raw, place)
        except InvalidInputError as error:
            unresolved = template.resolver.first_unresolved(raw, pointer)
            reason = error.message.removeprefix(f"{template.path}: {place}: ")
            found.append(TemplateDocument(place, pointer, kind, None, unresolved or (pointer, reason)))
            return
        found.append(TemplateDocument(place, pointer, kind, document))

    for lid, resource in template.resources.items():
        resource_type = resource.get("Type")
        properties = template._properties(lid)
        if resource_type == _ROLE and properties.get("AssumeRolePolicyDocument") is not None:
            raw = properties["AssumeRolePolicyDocument"]
            add(lid, "AssumeRolePolicyDocument", ("AssumeRolePolicyDocument",), PolicyKind.TRUST, raw)
        if resource_type in _INLINE_HOLDERS:
            for index, inline in enumerate(properties.get("Policies") or ()):
                if isinstance(inline, Mapping):
                    where = f"Policies[{index}].PolicyDocument"
                    add(
                        lid,
                        where,
                        ("Policies", index, "PolicyDocument"),
                        PolicyKind.IDENTITY,
                        inline.get("PolicyDocument"),
                    )
        if resource_type in (_POLICY, _MANAGED_POLICY):
            add(lid, "PolicyDocument", ("PolicyDocument",), PolicyKind.IDENTITY, properties.get("PolicyDocument"))
        held_in = _RESOURCE_POLICIES.get(str(resource_type))
        if held_in is not None and properties.get(held_in) is not None:
            add(lid, held_in, (held_in,), PolicyKind.RESOURCE, properties[held_in])
    return found
