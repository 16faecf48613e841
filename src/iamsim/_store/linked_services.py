"""The AWS services iamsim knows to create service-linked roles, with the names AWS gives them (§H.6).

AWS does not derive a service-linked role's name from the service principal by one
rule (``es.amazonaws.com`` gets ``AWSServiceRoleForAmazonElasticsearchService``,
``spot.amazonaws.com`` gets ``AWSServiceRoleForEC2Spot``), so each service is a row:
the role name the service's own service-linked role page gives, the AWS managed
policy the service attaches (its name under ``aws-service-role/``, present in the
bundled managed policies), and whether the service takes a ``CustomSuffix``. The
AWS documentation pages are cited in ``docs/spec/h-iam.md`` §H.6.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["LINKED_SERVICES", "LinkedService"]


@dataclass(frozen=True, slots=True)
class LinkedService:
    """How one AWS service names and equips its service-linked role."""

    #: The role's name (a ``CustomSuffix`` is appended after ``_``).
    role_name: str
    #: The AWS managed policy (under ``aws-service-role/``) the service attaches.
    policy: str
    #: Whether CreateServiceLinkedRole accepts a ``CustomSuffix`` for this service.
    custom_suffix: bool = False


def _row(role: str, policy: str, *, suffix: bool = False) -> LinkedService:
    return LinkedService(role, policy, suffix)


#: Service principal -> its service-linked role.
LINKED_SERVICES: Mapping[str, LinkedService] = MappingProxyType(
    {
        "apigateway.amazonaws.com": _row("AWSServiceRoleForAPIGateway", "APIGatewayServiceRolePolicy"),
        # Auto Scaling documents AWSServiceRoleForAutoScaling_<suffix> roles for custom suffixes.
        "autoscaling.amazonaws.com": _row("AWSServiceRoleForAutoScaling", "AutoScalingServiceRolePolicy", suffix=True),
        "backup.amazonaws.com": _row("AWSServiceRoleForBackup", "AWSBackupServiceLinkedRolePolicyForBackup"),
        "config.amazonaws.com": _row("AWSServiceRoleForConfig", "AWSConfigServiceRolePolicy"),
        "dynamodb.application-autoscaling.amazonaws.com": _row(
            "AWSServiceRoleForApplicationAutoScaling_DynamoDBTable", "AWSApplicationAutoscalingDynamoDBTablePolicy"
        ),
        "ecs.amazonaws.com": _row("AWSServiceRoleForECS", "AmazonECSServiceRolePolicy"),
        "eks.amazonaws.com": _row("AWSServiceRoleForAmazonEKS", "AmazonEKSServiceRolePolicy"),
        "eks-nodegroup.amazonaws.com": _row(
            "AWSServiceRoleForAmazonEKSNodegroup", "AWSServiceRoleForAmazonEKSNodegroup"
        ),
        "elasticache.amazonaws.com": _row("AWSServiceRoleForElastiCache", "ElastiCacheServiceRolePolicy"),
        "elasticbeanstalk.amazonaws.com": _row(
            "AWSServiceRoleForElasticBeanstalk", "AWSElasticBeanstalkServiceRolePolicy"
        ),
        "elasticfilesystem.amazonaws.com": _row(
            "AWSServiceRoleForAmazonElasticFileSystem", "AmazonElasticFileSystemServiceRolePolicy"
        ),
        "elasticloadbalancing.amazonaws.com": _row(
            "AWSServiceRoleForElasticLoadBalancing", "AWSElasticLoadBalancingServiceRolePolicy"
        ),
        "emr-containers.amazonaws.com": _row(
            "AWSServiceRoleForAmazonEMRContainers", "AmazonEMRContainersServiceRolePolicy"
        ),
        "es.amazonaws.com": _row("AWSServiceRoleForAmazonElasticsearchService", "AmazonElasticsearchServiceRolePolicy"),
        "guardduty.amazonaws.com": _row("AWSServiceRoleForAmazonGuardDuty", "AmazonGuardDutyServiceRolePolicy"),
        "lakeformation.amazonaws.com": _row(
            "AWSServiceRoleForLakeFormationDataAccess", "LakeFormationDataAccessServiceRolePolicy"
        ),
        "opensearchservice.amazonaws.com": _row(
            "AWSServiceRoleForAmazonOpenSearchService", "AmazonOpenSearchServiceRolePolicy"
        ),
        "organizations.amazonaws.com": _row("AWSServiceRoleForOrganizations", "AWSOrganizationsServiceTrustPolicy"),
        "rds.amazonaws.com": _row("AWSServiceRoleForRDS", "AmazonRDSServiceRolePolicy"),
        "redshift.amazonaws.com": _row("AWSServiceRoleForRedshift", "AmazonRedshiftServiceLinkedRolePolicy"),
        "spot.amazonaws.com": _row("AWSServiceRoleForEC2Spot", "AWSEC2SpotServiceRolePolicy"),
        "spotfleet.amazonaws.com": _row("AWSServiceRoleForEC2SpotFleet", "AWSEC2SpotFleetServiceRolePolicy"),
        "ssm.amazonaws.com": _row("AWSServiceRoleForAmazonSSM", "AmazonSSMServiceRolePolicy"),
        "sso.amazonaws.com": _row("AWSServiceRoleForSSO", "AWSSSOServiceRolePolicy"),
        "support.amazonaws.com": _row("AWSServiceRoleForSupport", "AWSSupportServiceRolePolicy"),
        "trustedadvisor.amazonaws.com": _row("AWSServiceRoleForTrustedAdvisor", "AWSTrustedAdvisorServiceRolePolicy"),
    }
)
