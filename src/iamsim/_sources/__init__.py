"""Reading policies from where people keep them: JSON/YAML files, CloudFormation templates, Terraform plans.

Everything here raises :class:`~iamsim.errors.InvalidInputError` (with the file
and the place) for input it cannot read, never a raw parser exception.
"""

from __future__ import annotations

from iamsim._bundle import PolicyBundle, is_trust_action
from iamsim._sources.cloudformation import (
    DEFAULT_ACCOUNT,
    CloudFormationTemplate,
    load_cloudformation,
    template_documents,
)
from iamsim._sources.documents import read_data, read_text
from iamsim._sources.policy_files import load_managed_policy, load_policy_file
from iamsim._sources.selectors import (
    load_directory,
    load_policies_section,
    load_policy_files,
    load_policy_ref,
    load_target,
)
from iamsim._sources.terraform import TerraformPlan, load_terraform_plan, plan_documents

__all__ = [
    "DEFAULT_ACCOUNT",
    "CloudFormationTemplate",
    "PolicyBundle",
    "TerraformPlan",
    "is_trust_action",
    "load_cloudformation",
    "load_directory",
    "load_managed_policy",
    "load_policies_section",
    "load_policy_file",
    "load_policy_files",
    "load_policy_ref",
    "load_target",
    "load_terraform_plan",
    "plan_documents",
    "read_data",
    "read_text",
    "template_documents",
]
