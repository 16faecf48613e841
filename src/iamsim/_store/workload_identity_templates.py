"""IAM workload identity templates of one account: create, read, delete, attestation policy, tags (§H.10).

A template names the workload identifiers minted under a provider (its
``PathPattern`` under an optional ``PathPrefix``) and holds the attestation
policy STS checks before it issues one (AWS: "an IAM resource-based policy in
the standard IAM policy language"), read and written apart from the template.
Only direct authoring mode is served: template definition mode renders a
service-owned definition, and iamsim holds no service's catalog of definitions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from iamsim._policy.model import Policy, PolicyKind
from iamsim._store.account_data import Document, StoreFamily, document_text, found
from iamsim._store.validation import Tags, check_length, check_pattern
from iamsim._store.workload_identity_providers import check_choice, check_tags
from iamsim.errors import EntityAlreadyExistsError, InvalidInputError, NoSuchEntityError

__all__ = ["WorkloadIdentityTemplate", "WorkloadIdentityTemplateDeletion", "WorkloadIdentityTemplates"]

_NAME_RE = re.compile(r"[A-Za-z0-9_-]+")
_DESCRIPTION_RE = re.compile(r"[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*")
_LITERAL_RE = re.compile(r"[A-Za-z0-9._-]+")
_VARIABLE_RE = re.compile(r"\{[A-Za-z0-9:/._-]+\}")
#: ListWorkloadIdentityTemplates' one filter: ``service_principal = "<principal>"``, spaces around ``=`` optional.
_FILTER_RE = re.compile(r'service_principal *= *"([^"]+)"')


@dataclass(frozen=True, slots=True)
class WorkloadIdentityTemplate:
    """A workload identity template as the store keeps it."""

    arn: str
    name: str
    template_id: str
    resource_scope: str
    workload_identity_provider_arn: str
    path_pattern: str
    create_date: str
    description: str | None = None
    path_prefix: str | None = None
    attestation_policy: str | None = None
    tags: Tags = ()


@dataclass(frozen=True, slots=True)
class WorkloadIdentityTemplateDeletion:
    """DeleteWorkloadIdentityTemplate's answer."""

    workload_identity_template_arn: str
    status: str


def _segments(value: str, member: str, allow_variables: bool) -> None:
    """Each ``/``-separated segment a literal (never ``.`` or ``..``) or, in a pattern, a ``{variable}``."""
    for segment in value.split("/"):
        literal = _LITERAL_RE.fullmatch(segment) is not None and segment not in (".", "..")
        variable = allow_variables and _VARIABLE_RE.fullmatch(segment) is not None
        if not (literal or variable):
            raise InvalidInputError(f"Invalid {member}: segment '{segment}' is not allowed.")


class WorkloadIdentityTemplates(StoreFamily):
    """The workload identity templates of one account."""

    def create_workload_identity_template(
        self,
        *,
        name: str | None = None,
        workload_identity_provider_arn: str | None = None,
        path_pattern: str | None = None,
        description: str | None = None,
        resource_scope: str | None = None,
        path_prefix: str | None = None,
        attestation_policy: Document | None = None,
        tags: Tags | Mapping[str, str] | None = None,
        template_definition: object = None,
    ) -> WorkloadIdentityTemplate:
        """CreateWorkloadIdentityTemplate in direct authoring mode: Name, provider and PathPattern required."""
        if template_definition is not None:
            raise InvalidInputError(
                "TemplateDefinition is not supported: iamsim holds no service-owned template definitions; "
                "use direct authoring mode (Name, WorkloadIdentityProviderArn and PathPattern)."
            )
        if name is None or workload_identity_provider_arn is None or path_pattern is None:
            raise InvalidInputError(
                "Name, WorkloadIdentityProviderArn and PathPattern are required in direct authoring mode."
            )
        check_length(name, "name", 1, 128)
        check_pattern(name, "name", "^[A-Za-z0-9_-]+$", _NAME_RE)
        scope = check_choice(resource_scope or "ACCOUNT", "resourceScope", ("ACCOUNT", "ORGANIZATION"))
        if scope == "ORGANIZATION":
            raise InvalidInputError("An ORGANIZATION-scoped template must reference an organization-scoped provider.")
        if description is not None:
            check_length(description, "description", 0, 1000)
            check_pattern(description, "description", _DESCRIPTION_RE.pattern, _DESCRIPTION_RE)
        if path_prefix is not None:
            check_length(path_prefix, "pathPrefix", 1, 64)
            _segments(path_prefix, "PathPrefix", allow_variables=False)
        check_length(path_pattern, "pathPattern", 3, 16384)
        _segments(path_pattern, "PathPattern", allow_variables=True)
        if "{" not in path_pattern:
            raise InvalidInputError("Invalid PathPattern: it must hold at least one {variable} segment.")
        provider = self._store.workload_providers.get_workload_identity_provider(workload_identity_provider_arn)
        policy = None if attestation_policy is None else self._checked_policy(attestation_policy, name)
        tag_list = check_tags(tags)
        arn = self._data.arn("workload-identity-template", "/", name)
        if arn in self._data.workload_templates:
            raise EntityAlreadyExistsError(f"Workload identity template with name {name} already exists.")
        template = WorkloadIdentityTemplate(
            arn=arn,
            name=name,
            template_id=self._data.ids.unique_id("AWTA"),
            resource_scope=scope,
            workload_identity_provider_arn=provider.arn,
            path_pattern=path_pattern,
            create_date=self._data.now(),
            description=description,
            path_prefix=path_prefix,
            attestation_policy=policy,
            tags=tag_list,
        )
        return self._data.put(self._data.workload_templates, arn, template)

    def _checked_policy(self, document: Document, name: str) -> str:
        text = document_text(document)
        self._data.parsed(text, PolicyKind.RESOURCE, f"{name} attestation policy")
        return text

    def get_workload_identity_template(self, workload_identity_template_arn: str) -> WorkloadIdentityTemplate:
        """GetWorkloadIdentityTemplate, by the template's own ARN."""
        return found(
            self._data.workload_templates,
            workload_identity_template_arn,
            f"The workload identity template with ARN {workload_identity_template_arn} cannot be found.",
        )

    def list_workload_identity_templates(
        self, workload_identity_provider_arn: str, *, resource_scope: str | None = None, filter: str | None = None
    ) -> tuple[WorkloadIdentityTemplate, ...]:
        """ListWorkloadIdentityTemplates of one provider, optionally those admitting one service principal."""
        provider = self._store.workload_providers.get_workload_identity_provider(workload_identity_provider_arn)
        scope = check_choice(resource_scope or "ACCOUNT", "resourceScope", ("ACCOUNT", "ORGANIZATION"))
        service = None
        if filter is not None:
            check_length(filter, "filter", 1, 256)
            match = _FILTER_RE.fullmatch(filter.strip())
            if match is None:
                raise InvalidInputError(
                    f'Invalid Filter: {filter}. The only supported filter is service_principal = "<principal>".'
                )
            service = match.group(1)
        matching = [
            t
            for t in self._data.workload_templates.values()
            if t.workload_identity_provider_arn == provider.arn
            and t.resource_scope == scope
            and (service is None or self._admits(t, service))
        ]
        return tuple(sorted(matching, key=lambda t: t.name.lower()))

    def _admits(self, template: WorkloadIdentityTemplate, service: str) -> bool:
        """Whether an Allow statement of the template's attestation policy names ``service`` as its principal."""
        if template.attestation_policy is None:
            return False
        policy: Policy = self._data.parsed(
            template.attestation_policy, PolicyKind.RESOURCE, f"{template.name} attestation policy", check_size=False
        )
        return any(
            s.effect == "Allow" and s.principal is not None and service in s.principal.service
            for s in policy.statements
        )

    def delete_workload_identity_template(
        self, workload_identity_template_arn: str
    ) -> WorkloadIdentityTemplateDeletion:
        """DeleteWorkloadIdentityTemplate: ``NoSuchEntity`` for a template that does not exist."""
        template = self.get_workload_identity_template(workload_identity_template_arn)
        del self._data.workload_templates[template.arn]
        self._data.bump()
        return WorkloadIdentityTemplateDeletion(template.arn, "SUCCEEDED")

    def put_workload_identity_template_attestation_policy(
        self, workload_identity_template_arn: str, attestation_policy: Document
    ) -> None:
        """PutWorkloadIdentityTemplateAttestationPolicy: an upsert of a resource-based policy."""
        template = self.get_workload_identity_template(workload_identity_template_arn)
        text = self._checked_policy(attestation_policy, template.name)
        self._data.put(self._data.workload_templates, template.arn, replace(template, attestation_policy=text))

    def get_workload_identity_template_attestation_policy(
        self, workload_identity_template_arn: str
    ) -> WorkloadIdentityTemplate:
        """GetWorkloadIdentityTemplateAttestationPolicy: ``NoSuchEntity`` also when the template holds none."""
        template = self.get_workload_identity_template(workload_identity_template_arn)
        if template.attestation_policy is None:
            raise NoSuchEntityError(
                f"The workload identity template with ARN {template.arn} has no attestation policy."
            )
        return template

    def delete_workload_identity_template_attestation_policy(self, workload_identity_template_arn: str) -> None:
        """DeleteWorkloadIdentityTemplateAttestationPolicy: ``NoSuchEntity`` when there is none to remove."""
        template = self.get_workload_identity_template_attestation_policy(workload_identity_template_arn)
        self._data.put(self._data.workload_templates, template.arn, replace(template, attestation_policy=None))

    def tag_workload_identity_template(
        self, arn: str, tags: Tags | Mapping[str, str], *, remove: Iterable[str] = ()
    ) -> None:
        """TagWorkloadIdentityTemplate / UntagWorkloadIdentityTemplate."""
        template = self.get_workload_identity_template(arn)
        # Merged and checked for reserved keys first; merging them again over the same tags changes nothing.
        self._data.retag(self._data.workload_templates, arn, template, check_tags(tags, template.tags), remove)
