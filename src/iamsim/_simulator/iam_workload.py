"""IAM operations on the account's workload identity features (§G.11, §H.10).

Outbound web identity federation, and the workload identity providers and
templates (the rules in ``_store/workload_identity_providers.py`` and
``_store/workload_identity_templates.py``).
"""

from __future__ import annotations

from iamsim._simulator.iam_calls import IamCalls, tag_pairs
from iamsim._store.account_data import Document
from iamsim._store.validation import TagsInput
from iamsim._store.workload_identity_outbound import OutboundFederationInfo
from iamsim._store.workload_identity_providers import (
    WorkloadIdentityDeletionTask,
    WorkloadIdentityProvider,
    WorkloadIdentityResourcePolicy,
    WorkloadIdentitySignerSummary,
)
from iamsim._store.workload_identity_templates import WorkloadIdentityTemplate, WorkloadIdentityTemplateDeletion

__all__ = ["IamWorkloadIdentityOperations"]


class IamWorkloadIdentityOperations(IamCalls):
    """Outbound web identity federation (the issuer of GetWebIdentityToken's JWTs), workload identity providers
    and templates."""

    def enable_outbound_web_identity_federation(self, *, account_id: str | None = None) -> OutboundFederationInfo:
        """EnableOutboundWebIdentityFederation: the account's issuer URL (``FeatureEnabled`` when already on)."""
        return self._core.iam(
            "EnableOutboundWebIdentityFederation",
            "",
            account_id,
            lambda s: s.outbound_federation.enable_outbound_web_identity_federation(),
        )

    def disable_outbound_web_identity_federation(self, *, account_id: str | None = None) -> None:
        """DisableOutboundWebIdentityFederation (``FeatureDisabled`` when already off); issued tokens stay valid."""
        self._core.iam(
            "DisableOutboundWebIdentityFederation",
            "",
            account_id,
            lambda s: s.outbound_federation.disable_outbound_web_identity_federation(),
        )

    def get_outbound_web_identity_federation_info(self, *, account_id: str | None = None) -> OutboundFederationInfo:
        """GetOutboundWebIdentityFederationInfo (``FeatureDisabled`` while off)."""
        return self._core.read(account_id, lambda s: s.outbound_federation.get_outbound_web_identity_federation_info())

    # workload identity providers
    def create_workload_identity_provider(
        self,
        provider_name: str,
        scheme: str,
        *,
        description: str | None = None,
        workload_identity_domain: str | None = None,
        resource_scope: str | None = None,
        tags: TagsInput = None,
        account_id: str | None = None,
    ) -> WorkloadIdentityProvider:
        """CreateWorkloadIdentityProvider: the provider and its JWT signer (``EntityAlreadyExists``: name taken)."""
        return self._core.iam(
            "CreateWorkloadIdentityProvider",
            provider_name,
            account_id,
            lambda s: s.workload_providers.create_workload_identity_provider(
                provider_name,
                scheme,
                description=description,
                workload_identity_domain=workload_identity_domain,
                resource_scope=resource_scope,
                tags=tag_pairs(tags),
            ),
        )

    def get_workload_identity_provider(
        self, workload_identity_provider_arn: str, *, account_id: str | None = None
    ) -> WorkloadIdentityProvider:
        """GetWorkloadIdentityProvider, with its tags and outbound signers."""
        arn = workload_identity_provider_arn
        return self._core.read(account_id, lambda s: s.workload_providers.get_workload_identity_provider(arn))

    def list_workload_identity_providers(
        self, *, resource_scope: str | None = None, account_id: str | None = None
    ) -> tuple[WorkloadIdentityProvider, ...]:
        """ListWorkloadIdentityProviders of one scope (``ACCOUNT`` by default)."""
        return self._core.read(
            account_id, lambda s: s.workload_providers.list_workload_identity_providers(resource_scope)
        )

    def list_workload_identity_provider_outbound_signers(
        self, workload_identity_provider_arn: str, *, account_id: str | None = None
    ) -> tuple[WorkloadIdentitySignerSummary, ...]:
        """ListWorkloadIdentityProviderOutboundSigners: every signer of the provider."""
        arn = workload_identity_provider_arn
        return self._core.read(
            account_id, lambda s: s.workload_providers.list_workload_identity_provider_outbound_signers(arn)
        )

    def delete_workload_identity_provider(
        self, workload_identity_provider_arn: str, *, account_id: str | None = None
    ) -> str:
        """DeleteWorkloadIdentityProvider: its deletion task id (``DeleteConflict`` while templates use it)."""
        arn = workload_identity_provider_arn
        return self._core.iam(
            "DeleteWorkloadIdentityProvider",
            arn,
            account_id,
            lambda s: s.workload_providers.delete_workload_identity_provider(arn),
        )

    def get_workload_identity_provider_deletion_status(
        self, deletion_task_id: str, *, account_id: str | None = None
    ) -> WorkloadIdentityDeletionTask:
        """GetWorkloadIdentityProviderDeletionStatus, for 24 hours after the delete."""
        return self._core.read(
            account_id, lambda s: s.workload_providers.get_workload_identity_provider_deletion_status(deletion_task_id)
        )

    def put_workload_identity_provider_resource_policy(
        self, workload_identity_provider_arn: str, policy_document: Document, *, account_id: str | None = None
    ) -> None:
        """PutWorkloadIdentityProviderResourcePolicy (``MalformedPolicyDocument`` for a bad resource policy)."""
        arn = workload_identity_provider_arn
        self._core.iam(
            "PutWorkloadIdentityProviderResourcePolicy",
            arn,
            account_id,
            lambda s: s.workload_providers.put_workload_identity_provider_resource_policy(arn, policy_document),
        )

    def get_workload_identity_provider_resource_policy(
        self, workload_identity_provider_arn: str, *, account_id: str | None = None
    ) -> WorkloadIdentityResourcePolicy:
        """GetWorkloadIdentityProviderResourcePolicy (``NoSuchEntity`` when the provider holds none)."""
        arn = workload_identity_provider_arn
        return self._core.read(
            account_id, lambda s: s.workload_providers.get_workload_identity_provider_resource_policy(arn)
        )

    def delete_workload_identity_provider_resource_policy(
        self, workload_identity_provider_arn: str, *, account_id: str | None = None
    ) -> None:
        """DeleteWorkloadIdentityProviderResourcePolicy."""
        arn = workload_identity_provider_arn
        self._core.iam(
            "DeleteWorkloadIdentityProviderResourcePolicy",
            arn,
            account_id,
            lambda s: s.workload_providers.delete_workload_identity_provider_resource_policy(arn),
        )

    # workload identity templates
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
        tags: TagsInput = None,
        template_definition: object = None,
        account_id: str | None = None,
    ) -> WorkloadIdentityTemplate:
        """CreateWorkloadIdentityTemplate in direct authoring mode (Name, provider ARN and PathPattern)."""
        return self._core.iam(
            "CreateWorkloadIdentityTemplate",
            name or "",
            account_id,
            lambda s: s.workload_templates.create_workload_identity_template(
                name=name,
                workload_identity_provider_arn=workload_identity_provider_arn,
                path_pattern=path_pattern,
                description=description,
                resource_scope=resource_scope,
                path_prefix=path_prefix,
                attestation_policy=attestation_policy,
                tags=tag_pairs(tags),
                template_definition=template_definition,
            ),
        )

    def get_workload_identity_template(
        self, workload_identity_template_arn: str, *, account_id: str | None = None
    ) -> WorkloadIdentityTemplate:
        """GetWorkloadIdentityTemplate (its attestation policy is read apart)."""
        arn = workload_identity_template_arn
        return self._core.read(account_id, lambda s: s.workload_templates.get_workload_identity_template(arn))

    def list_workload_identity_templates(
        self,
        workload_identity_provider_arn: str,
        *,
        resource_scope: str | None = None,
        filter: str | None = None,
        account_id: str | None = None,
    ) -> tuple[WorkloadIdentityTemplate, ...]:
        """ListWorkloadIdentityTemplates of a provider; ``filter`` is ``service_principal = "<principal>"``."""
        arn = workload_identity_provider_arn
        return self._core.read(
            account_id,
            lambda s: s.workload_templates.list_workload_identity_templates(
                arn, resource_scope=resource_scope, filter=filter
            ),
        )

    def delete_workload_identity_template(
        self, workload_identity_template_arn: str, *, account_id: str | None = None
    ) -> WorkloadIdentityTemplateDeletion:
        """DeleteWorkloadIdentityTemplate (``NoSuchEntity`` for a template that does not exist)."""
        arn = workload_identity_template_arn
        return self._core.iam(
            "DeleteWorkloadIdentityTemplate",
            arn,
            account_id,
            lambda s: s.workload_templates.delete_workload_identity_template(arn),
        )

    def put_workload_identity_template_attestation_policy(
        self, workload_identity_template_arn: str, attestation_policy: Document, *, account_id: str | None = None
    ) -> None:
        """PutWorkloadIdentityTemplateAttestationPolicy: replaces any policy the template holds."""
        arn = workload_identity_template_arn
        self._core.iam(
            "PutWorkloadIdentityTemplateAttestationPolicy",
            arn,
            account_id,
            lambda s: s.workload_templates.put_workload_identity_template_attestation_policy(arn, attestation_policy),
        )

    def get_workload_identity_template_attestation_policy(
        self, workload_identity_template_arn: str, *, account_id: str | None = None
    ) -> WorkloadIdentityTemplate:
        """GetWorkloadIdentityTemplateAttestationPolicy (``NoSuchEntity`` when the template holds none)."""
        arn = workload_identity_template_arn
        return self._core.read(
            account_id, lambda s: s.workload_templates.get_workload_identity_template_attestation_policy(arn)
        )

    def delete_workload_identity_template_attestation_policy(
        self, workload_identity_template_arn: str, *, account_id: str | None = None
    ) -> None:
        """DeleteWorkloadIdentityTemplateAttestationPolicy."""
        arn = workload_identity_template_arn
        self._core.iam(
            "DeleteWorkloadIdentityTemplateAttestationPolicy",
            arn,
            account_id,
            lambda s: s.workload_templates.delete_workload_identity_template_attestation_policy(arn),
        )
