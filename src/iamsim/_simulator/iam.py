"""IAM operations of the simulator, ``sim.iam``: locked, logged calls into the account stores (the rules, §H).

One namespace, as boto3's IAM client is one client; its methods are written in
eleven families over the same :class:`~.iam_calls.IamCalls` (the simulator's parts,
no state of their own): :mod:`.iam_entities`, :mod:`.iam_account`, :mod:`.iam_service_linked`,
:mod:`.iam_certificates`, :mod:`.iam_user_credentials`, :mod:`.iam_reports`, :mod:`.iam_preferences`,
:mod:`.iam_workload`, :mod:`.iam_org`, :mod:`.iam_delegation` and the policy simulator's :mod:`.iam_simulate`.
"""

from __future__ import annotations

from iamsim._simulator.iam_account import TAGGABLE, IamAccountOperations
from iamsim._simulator.iam_certificates import IamCertificateOperations
from iamsim._simulator.iam_delegation import IamDelegationOperations
from iamsim._simulator.iam_entities import IamEntityOperations
from iamsim._simulator.iam_org import IamOrganizationOperations
from iamsim._simulator.iam_preferences import IamPreferenceOperations
from iamsim._simulator.iam_reports import IamReportOperations
from iamsim._simulator.iam_service_linked import IamServiceLinkedOperations
from iamsim._simulator.iam_simulate import IamSimulationOperations
from iamsim._simulator.iam_user_credentials import IamUserCredentialOperations
from iamsim._simulator.iam_workload import IamWorkloadIdentityOperations
from iamsim._store.validation import TagsInput

__all__ = ["TAGGABLE", "IamOperations", "TagsInput"]


class IamOperations(
    IamEntityOperations,
    IamAccountOperations,
    IamServiceLinkedOperations,
    IamCertificateOperations,
    IamUserCredentialOperations,
    IamReportOperations,
    IamPreferenceOperations,
    IamSimulationOperations,
    IamWorkloadIdentityOperations,
    IamOrganizationOperations,
    IamDelegationOperations,
):
    """Every IAM operation, in snake_case (``sim.iam.create_role(...)``, also ``sim.create_role(...)``).

    ``account_id`` defaults to the simulator's account.
    """
