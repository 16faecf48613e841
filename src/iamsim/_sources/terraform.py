"""Policies from a Terraform plan in JSON (``terraform show -json PLANFILE``).

Reads ``aws_iam_role`` (``assume_role_policy``, ``inline_policy``,
``managed_policy_arns``, ``permissions_boundary``), ``aws_iam_policy``,
``aws_iam_role_policy``, ``aws_iam_role_policy_attachment`` and
``aws_iam_policy_document`` data sources. Values come from ``planned_values``
(every module); a value that is unknown until apply (a policy's ARN, a
document built from a data source) is followed through the root module's
``configuration`` references to the resource or data source it names, whose
value is then read from ``planned_values`` or ``prior_state``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from iamsim._bundle import PolicyBundle
from iamsim._policy.aws_managed import is_aws_managed_policy_arn
from iamsim._policy.model import Policy, PolicyKind
from iamsim._sources.documents import parse_json_text, read_data
from iamsim._sources.policy_files import load_managed_policy, parse_policy_in
from iamsim.errors import InvalidInputError

__all__ = ["PlanDocument", "TerraformPlan", "load_terraform_plan", "plan_documents"]


@dataclass(frozen=True, slots=True)
class _Resource:
    address: str
    type: str
    name: str
    mode: str
    values: Mapping[str, Any]
    #: JSON pointer of ``values`` in the plan file.
    pointer: str


def _module_resources(module: Mapping[str, Any] | None, pointer: str) -> Iterator[_Resource]:
    if not isinstance(module, Mapping):
        return
    for index, raw in enumerate(module.get("resources") or ()):
        if isinstance(raw, Mapping) and isinstance(raw.get("values"), Mapping):
            yield _Resource(
                str(raw.get("address", "")),
                str(raw.get("type", "")),
                str(raw.get("name", "")),
                str(raw.get("mode", "managed")),
                raw["values"],
                f"{pointer}/resources/{index}/values",
            )
    for index, child in enumerate(module.get("child_modules") or ()):
        yield from _module_resources(child, f"{pointer}/child_modules/{index}")


@dataclass(frozen=True, slots=True)
class TerraformPlan:
    """A read plan: resources by address and the root module's configuration references."""

    path: Path
    resources: Mapping[str, _Resource]
    references: Mapping[str, Mapping[str, tuple[str, ...]]]

    def _of_type(self, resource_type: str) -> list[_Resource]:
        return [r for r in self.resources.values() if r.type == resource_type and r.mode == "managed"]

    def _find(self, name: str, resource_type: str) -> _Resource:
        candidates = self._of_type(resource_type)
        for resource in candidates:
            if name in (resource.address, resource.name, resource.values.get("name")):
                return resource
        known = ", ".join(r.address for r in candidates) or "none"
        raise InvalidInputError(f"{self.path}: no {resource_type} named {name!r} (found: {known})")

    def _referenced(self, resource: _Resource, attribute: str) -> _Resource | None:
        """The resource or data source that ``attribute`` of ``resource`` refers to in the configuration."""
        for target in self.references.get(resource.address, {}).get(attribute, ()):
            parts = target.split(".")
            # "aws_iam_policy.logs.arn" -> "aws_iam_policy.logs"; "data.x.y.json" -> "data.x.y"
            address = ".".join(parts[:3] if parts[0] == "data" else parts[:2])
            if address in self.resources:
                return self.resources[address]
        return None

    def _attribute(self, resource: _Resource, attribute: str) -> Any:
        return self.attribute_source(resource, attribute)[0]

    def attribute_source(self, resource: _Resource, attribute: str) -> tuple[Any, str]:
        """The value of ``attribute`` of ``resource`` (references followed) and its pointer in the plan."""
        value = resource.values.get(attribute)
        if value is not None and value != "":
            return value, f"{resource.pointer}/{attribute}"
        referenced = self._referenced(resource, attribute)
        if referenced is None:
            return None, f"{resource.pointer}/{attribute}"
        if referenced.type == "aws_iam_policy_document":
            return referenced.values.get("json"), f"{referenced.pointer}/json"
        if referenced.type == "aws_iam_policy" and attribute in ("policy_arn", "permissions_boundary"):
            return referenced, referenced.pointer
        if referenced.type == "aws_iam_role" and attribute == "role":
            return referenced.values.get("name") or referenced.name, f"{referenced.pointer}/name"
        return referenced.values.get(attribute), f"{referenced.pointer}/{attribute}"

    def _document(self, resource: _Resource, attribute: str, kind: PolicyKind, name: str) -> Policy:
        text = self._attribute(resource, attribute)
        origin = f"{self.path}: {resource.address}.{attribute}"
        if not isinstance(text, str) or not text:
            raise InvalidInputError(f"{origin}: the policy is unknown until apply (not in the plan)")
        parse_json_text(text, origin)
        return parse_policy_in(origin, text, kind, name)

    def policy(self, name: str, kind: PolicyKind = PolicyKind.IDENTITY) -> Policy:
        """The ``aws_iam_policy`` called ``name`` (address, resource name or ``name`` value)."""
        resource = self._find(name, "aws_iam_policy")
        return self._document(resource, "policy", kind, str(resource.values.get("name") or resource.name))

    def _managed(self, value: Any, kind: PolicyKind, where: str) -> Policy:
        if isinstance(value, _Resource):
            return self._document(value, "policy", kind, str(value.values.get("name") or value.name))
        if isinstance(value, str):
            for resource in self._of_type("aws_iam_policy"):
                if value in (resource.values.get("arn"), resource.values.get("id")):
                    return self._managed(resource, kind, where)
            if is_aws_managed_policy_arn(value):
                return load_managed_policy(value, kind)
        raise InvalidInputError(f"{self.path}: {where}: policy {value!r} is neither in the plan nor AWS managed")

    def _role_name_of(self, resource: _Resource) -> Any:
        return self._attribute(resource, "role")

    def role(self, name: str) -> PolicyBundle:
        """Everything that applies to a session of the ``aws_iam_role`` called ``name``."""
        role = self._find(name, "aws_iam_role")
        role_name = role.values.get("name") or role.name
        identity: list[Policy] = []
        for index, inline in enumerate(role.values.get("inline_policy") or ()):
            if isinstance(inline, Mapping) and inline.get("policy"):
                origin = f"{self.path}: {role.address}.inline_policy[{index}]"
                parse_json_text(str(inline["policy"]), origin)
                identity.append(
                    parse_policy_in(
                        origin, str(inline["policy"]), PolicyKind.IDENTITY, str(inline.get("name") or f"inline{index}")
                    )
                )
        for arn in role.values.get("managed_policy_arns") or ():
            identity.append(self._managed(arn, PolicyKind.IDENTITY, f"{role.address}.managed_policy_arns"))
        for resource in self._of_type("aws_iam_role_policy"):
            if self._role_name_of(resource) in (role_name, role.name) or self._referenced(resource, "role") is role:
                identity.append(
                    self._document(
                        resource, "policy", PolicyKind.IDENTITY, str(resource.values.get("name") or resource.name)
                    )
                )
        for resource in self._of_type("aws_iam_role_policy_attachment"):
            if self._role_name_of(resource) in (role_name, role.name) or self._referenced(resource, "role") is role:
                target = self._attribute(resource, "policy_arn")
                identity.append(self._managed(target, PolicyKind.IDENTITY, f"{resource.address}.policy_arn"))
        trust = None
        if role.values.get("assume_role_policy") or self._referenced(role, "assume_role_policy"):
            trust = self._document(role, "assume_role_policy", PolicyKind.TRUST, f"{role_name} trust policy")
        boundary = None
        boundary_ref = self._attribute(role, "permissions_boundary")
        if boundary_ref:
            boundary = self._managed(boundary_ref, PolicyKind.BOUNDARY, f"{role.address}.permissions_boundary")
        return PolicyBundle(
            identity=tuple(identity), trust=trust, boundary=boundary, sources=(f"{self.path}#{role.address}",)
        )


def _references(configuration: Any) -> dict[str, dict[str, tuple[str, ...]]]:
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    root = configuration.get("root_module") if isinstance(configuration, Mapping) else None
    for raw in (root or {}).get("resources") or ():
        if not isinstance(raw, Mapping):
            continue
        expressions = raw.get("expressions") or {}
        refs = {
            str(attr): tuple(str(r) for r in expr.get("references", ()))
            for attr, expr in expressions.items()
            if isinstance(expr, Mapping) and expr.get("references")
        }
        out[str(raw.get("address", ""))] = refs
    return out


def load_terraform_plan(path: Path | str) -> TerraformPlan:
    """Read a ``terraform show -json`` plan."""
    file = Path(path)
    data = read_data(file)
    if not isinstance(data, Mapping) or "planned_values" not in data:
        raise InvalidInputError(f"{file}: not a Terraform plan in JSON (no planned_values; use terraform show -json)")
    resources: dict[str, _Resource] = {}
    prior = data.get("prior_state") or {}
    for resource in _module_resources(
        (prior.get("values") or {}).get("root_module"), "/prior_state/values/root_module"
    ):
        resources[resource.address] = resource
    for resource in _module_resources(
        (data.get("planned_values") or {}).get("root_module"), "/planned_values/root_module"
    ):
        resources[resource.address] = resource
    return TerraformPlan(file, resources, _references(data.get("configuration")))


#: Policy documents by resource type: (attribute, kind) pairs. Resource policies are those of buckets,
#: queues, topics, KMS keys, secrets and ECR repositories, whether set on the resource or on its policy resource.
_DOCUMENT_ATTRIBUTES: dict[str, tuple[tuple[str, PolicyKind], ...]] = {
    "aws_iam_role": (("assume_role_policy", PolicyKind.TRUST),),
    "aws_iam_policy": (("policy", PolicyKind.IDENTITY),),
    "aws_iam_role_policy": (("policy", PolicyKind.IDENTITY),),
    "aws_iam_user_policy": (("policy", PolicyKind.IDENTITY),),
    "aws_iam_group_policy": (("policy", PolicyKind.IDENTITY),),
    **dict.fromkeys(
        (
            "aws_s3_bucket",
            "aws_s3_bucket_policy",
            "aws_sqs_queue",
            "aws_sqs_queue_policy",
            "aws_sns_topic",
            "aws_sns_topic_policy",
            "aws_kms_key",
            "aws_secretsmanager_secret",
            "aws_secretsmanager_secret_policy",
            "aws_ecr_repository_policy",
        ),
        (("policy", PolicyKind.RESOURCE),),
    ),
}


@dataclass(frozen=True, slots=True)
class PlanDocument:
    """One policy document of a plan, for the linter."""

    #: Where it is, for people: ``aws_s3_bucket_policy.public.policy``.
    place: str
    #: The JSON pointer, in the plan file, of the string that holds the document.
    pointer: str
    kind: PolicyKind
    #: The document's JSON text.
    text: str


def plan_documents(plan: TerraformPlan) -> list[PlanDocument]:
    """Every policy document known in ``plan`` (identity, trust and resource policies), for linting."""
    found: list[PlanDocument] = []
    for resource in plan.resources.values():
        if resource.mode != "managed":
            continue
        for attribute, kind in _DOCUMENT_ATTRIBUTES.get(resource.type, ()):
            text, pointer = plan.attribute_source(resource, attribute)
            if isinstance(text, str) and text:
                found.append(PlanDocument(f"{resource.address}.{attribute}", pointer, kind, text))
        if resource.type == "aws_iam_role":
            for index, inline in enumerate(resource.values.get("inline_policy") or ()):
                if isinstance(inline, Mapping) and inline.get("policy"):
                    found.append(
                        PlanDocument(
                            f"{resource.address}.inline_policy[{index}]",
                            f"{resource.pointer}/inline_policy/{index}/policy",
                            PolicyKind.IDENTITY,
                            str(inline["policy"]),
                        )
                    )
    return found
