"""Amazon EC2: instances, volumes, snapshots, security groups, key pairs, images, VPCs, subnets, tags.

Operation names are action names. Every ``Describe*`` call (and the ``Get*`` calls that name
no resource type) acts on ``*``; the rest act on the resources their IDs name, one request
per ID of a list (``StartInstances``). A call creating a resource acts on ``TYPE/*`` (the ID
does not exist yet) and on each resource it uses: ``RunInstances`` on ``instance/*``,
``network-interface/*``, ``volume/*``, the image, the subnet, each security group and the
key pair, carrying ``ec2:InstanceType``, and with an ``IamInstanceProfile`` ``iam:PassRole`` on the
profile's role (``iam:PassedToService`` is ``ec2.amazonaws.com``, the profile read from iamsim's
IAM); ``CreateVolume`` carries ``ec2:VolumeType``,
``ec2:VolumeSize``, ``ec2:Encrypted`` and ``ec2:AvailabilityZone``. Images and snapshots
have no account in their ARN (``arn:aws:ec2:REGION::image/ami-...``). ``TagSpecifications``
are ``aws:RequestTag/*`` and also need ``ec2:CreateTags`` on the new resource with
``ec2:CreateAction``; ``CreateTags``/``DeleteTags`` act on each resource by the prefix of its
ID. A security group or key pair named by name where the ARN needs an ID is refused
(**judgment**: the ID is not in the request). From AWS's "Actions, resources, and condition
keys for Amazon EC2" and the EC2 User Guide's "Example policies for working with the AWS CLI
or an AWS SDK" (RunInstances). EC2 answers a denial with ``UnauthorizedOperation`` and an
encoded authorization message (:mod:`iamsim._enforce.render_ec2`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from iamsim._enforce.services.learn import Observer, tag_list
from iamsim._enforce.table import Need, ServiceTable, Where, need
from iamsim._simulator.resources import ResourceOperations
from iamsim.errors import UsageError

__all__ = ["OBSERVERS", "TABLE"]

_BASE = "arn:{partition}:ec2:{region}:{account}:"
_NO_ACCOUNT = "arn:{partition}:ec2:{region}::"
INSTANCE = _BASE + "instance/{InstanceId}"
INSTANCES = _BASE + "instance/{InstanceIds}"
VOLUME = _BASE + "volume/{VolumeId}"
SNAPSHOT = _NO_ACCOUNT + "snapshot/{SnapshotId}"
IMAGE = _NO_ACCOUNT + "image/{ImageId}"
GROUP = _BASE + "security-group/{GroupId}"
KEY_PAIR = _BASE + "key-pair/{KeyName}"
VPC = _BASE + "vpc/{VpcId}"
SUBNET = _BASE + "subnet/{SubnetId}"
#: An ID's prefix -> its resource type's ARN path (``CreateTags`` names resources by ID only).
_ID_TYPES = {
    "i": _BASE + "instance/",
    "vol": _BASE + "volume/",
    "snap": _NO_ACCOUNT + "snapshot/",
    "ami": _NO_ACCOUNT + "image/",
    "sg": _BASE + "security-group/",
    "key": _BASE + "key-pair/",
    "vpc": _BASE + "vpc/",
    "subnet": _BASE + "subnet/",
    "eni": _BASE + "network-interface/",
    "igw": _BASE + "internet-gateway/",
    "rtb": _BASE + "route-table/",
    "acl": _BASE + "network-acl/",
    "eipalloc": _BASE + "elastic-ip/",
    "lt": _BASE + "launch-template/",
    "nat": _BASE + "natgateway/",
    "dopt": _BASE + "dhcp-options/",
}

_DESCRIBE = [
    "DescribeAccountAttributes",
    "DescribeAddresses",
    "DescribeAddressesAttribute",
    "DescribeAvailabilityZones",
    "DescribeBundleTasks",
    "DescribeCarrierGateways",
    "DescribeCustomerGateways",
    "DescribeDhcpOptions",
    "DescribeEgressOnlyInternetGateways",
    "DescribeFleets",
    "DescribeFlowLogs",
    "DescribeHosts",
    "DescribeIamInstanceProfileAssociations",
    "DescribeImages",
    "DescribeInstanceCreditSpecifications",
    "DescribeInstanceStatus",
    "DescribeInstanceTypeOfferings",
    "DescribeInstanceTypes",
    "DescribeInstances",
    "DescribeInternetGateways",
    "DescribeKeyPairs",
    "DescribeLaunchTemplateVersions",
    "DescribeLaunchTemplates",
    "DescribeManagedPrefixLists",
    "DescribeNatGateways",
    "DescribeNetworkAcls",
    "DescribeNetworkInterfaceAttribute",
    "DescribeNetworkInterfaces",
    "DescribePrefixLists",
    "DescribeRegions",
    "DescribeReservedInstances",
    "DescribeReservedInstancesListings",
    "DescribeReservedInstancesOfferings",
    "DescribeRouteTables",
    "DescribeSecurityGroupRules",
    "DescribeSecurityGroups",
    "DescribeSnapshotTierStatus",
    "DescribeSnapshots",
    "DescribeSpotDatafeedSubscription",
    "DescribeSpotFleetRequests",
    "DescribeSpotInstanceRequests",
    "DescribeSpotPriceHistory",
    "DescribeSubnets",
    "DescribeTags",
    "DescribeTrafficMirrorFilters",
    "DescribeTrafficMirrorSessions",
    "DescribeTrafficMirrorTargets",
    "DescribeTransitGatewayAttachments",
    "DescribeTransitGatewayPeeringAttachments",
    "DescribeTransitGatewayRouteTables",
    "DescribeTransitGatewayVpcAttachments",
    "DescribeTransitGateways",
    "DescribeVolumeStatus",
    "DescribeVolumes",
    "DescribeVolumesModifications",
    "DescribeVpcClassicLink",
    "DescribeVpcClassicLinkDnsSupport",
    "DescribeVpcEndpointServiceConfigurations",
    "DescribeVpcEndpointServices",
    "DescribeVpcEndpoints",
    "DescribeVpcPeeringConnections",
    "DescribeVpcs",
    "DescribeVpnConnections",
    "DescribeVpnGateways",
    "GetEbsEncryptionByDefault",
    "GetSubnetCidrReservations",
    "GetTransitGatewayRouteTableAssociations",
    "GetTransitGatewayRouteTablePropagations",
]
#: Resource-level operations by the resource template they act on.
_ON: dict[str, tuple[str, ...]] = {
    INSTANCES: (
        "MonitorInstances",
        "RebootInstances",
        "StartInstances",
        "StopInstances",
        "TerminateInstances",
        "UnmonitorInstances",
    ),
    INSTANCE: (
        "DescribeInstanceAttribute",
        "GetConsoleOutput",
        "GetInstanceUefiData",
        "GetLaunchTemplateData",
        "GetPasswordData",
        "ModifyInstanceAttribute",
        "ModifyInstanceMetadataOptions",
    ),
    VOLUME: ("DeleteVolume", "DescribeVolumeAttribute", "EnableVolumeIO", "ModifyVolume", "ModifyVolumeAttribute"),
    SNAPSHOT: ("DeleteSnapshot", "DescribeSnapshotAttribute", "ModifySnapshotAttribute", "ResetSnapshotAttribute"),
    IMAGE: (
        "DeregisterImage",
        "DescribeImageAttribute",
        "DisableImage",
        "EnableImage",
        "ModifyImageAttribute",
        "ResetImageAttribute",
    ),
    GROUP: (
        "AuthorizeSecurityGroupEgress",
        "AuthorizeSecurityGroupIngress",
        "DeleteSecurityGroup",
        "ModifySecurityGroupRules",
        "RevokeSecurityGroupEgress",
        "RevokeSecurityGroupIngress",
        "UpdateSecurityGroupRuleDescriptionsEgress",
        "UpdateSecurityGroupRuleDescriptionsIngress",
    ),
    KEY_PAIR: ("DeleteKeyPair",),
    VPC: ("DeleteVpc", "DescribeVpcAttribute", "ModifyVpcAttribute"),
    SUBNET: ("DeleteSubnet", "ModifySubnetAttribute"),
}


#: An instance profile's role is passed to EC2 (RunInstances, AssociateIamInstanceProfile...).
_PASS_PROFILE_ROLE = need(
    "iam:PassRole", "{profile_roles}", when="profile_roles", iam_PassedToService="passed_to_service"
)


def _created(action: str, template: str, **keys: str) -> tuple[Need, ...]:
    """A creation: the action on the new resource (``TYPE/*``), and ``ec2:CreateTags`` when it is tagged."""
    return (
        need(action, template, **keys),
        need("ec2:CreateTags", template, when="request_tags", ec2_CreateAction="operation"),
    )


_OPERATIONS: dict[str, tuple[Need, ...]] = {
    **{op: (need(f"ec2:{op}"),) for op in _DESCRIBE},
    **{op: (need(f"ec2:{op}", template),) for template, ops in _ON.items() for op in ops},
    "RunInstances": (
        *_created("ec2:RunInstances", _BASE + "instance/*", ec2_InstanceType="InstanceType"),
        need("ec2:RunInstances", IMAGE),
        need("ec2:RunInstances", _BASE + "network-interface/*"),
        need("ec2:RunInstances", _BASE + "volume/*"),
        need("ec2:RunInstances", SUBNET, when="SubnetId"),
        need("ec2:RunInstances", _BASE + "security-group/{SecurityGroupIds}", when="SecurityGroupIds"),
        need("ec2:RunInstances", KEY_PAIR, when="KeyName"),
        _PASS_PROFILE_ROLE,
    ),
    "CreateVolume": (
        *_created(
            "ec2:CreateVolume",
            _BASE + "volume/*",
            ec2_VolumeType="VolumeType",
            ec2_VolumeSize="Size",
            ec2_Encrypted="Encrypted",
            ec2_AvailabilityZone="AvailabilityZone",
        ),
        need("ec2:CreateVolume", SNAPSHOT, when="SnapshotId"),
    ),
    "AttachVolume": (need("ec2:AttachVolume", INSTANCE), need("ec2:AttachVolume", VOLUME)),
    "DetachVolume": (need("ec2:DetachVolume", VOLUME), need("ec2:DetachVolume", INSTANCE, when="InstanceId")),
    "CreateSnapshot": (*_created("ec2:CreateSnapshot", _NO_ACCOUNT + "snapshot/*"), need("ec2:CreateSnapshot", VOLUME)),
    "CreateSnapshots": (
        *_created("ec2:CreateSnapshots", _NO_ACCOUNT + "snapshot/*"),
        need("ec2:CreateSnapshots", _BASE + "instance/{snapshot_instance}"),
        need("ec2:CreateSnapshots", _BASE + "volume/*"),
    ),
    "CopySnapshot": (
        *_created("ec2:CopySnapshot", _NO_ACCOUNT + "snapshot/*"),
        need("ec2:CopySnapshot", "arn:{partition}:ec2:{SourceRegion}::snapshot/{SourceSnapshotId}"),
    ),
    "CreateImage": (*_created("ec2:CreateImage", _NO_ACCOUNT + "image/*"), need("ec2:CreateImage", INSTANCE)),
    "CopyImage": (
        *_created("ec2:CopyImage", _NO_ACCOUNT + "image/*"),
        need("ec2:CopyImage", "arn:{partition}:ec2:{SourceRegion}::image/{SourceImageId}"),
    ),
    "RegisterImage": _created("ec2:RegisterImage", _NO_ACCOUNT + "image/*"),
    "CreateSecurityGroup": (
        *_created("ec2:CreateSecurityGroup", _BASE + "security-group/*"),
        need("ec2:CreateSecurityGroup", VPC, when="VpcId"),
    ),
    "CreateKeyPair": _created("ec2:CreateKeyPair", KEY_PAIR),
    "ImportKeyPair": _created("ec2:ImportKeyPair", KEY_PAIR),
    "CreateVpc": _created("ec2:CreateVpc", _BASE + "vpc/*"),
    "CreateSubnet": (*_created("ec2:CreateSubnet", _BASE + "subnet/*"), need("ec2:CreateSubnet", VPC)),
    "AssociateIamInstanceProfile": (need("ec2:AssociateIamInstanceProfile", INSTANCE), _PASS_PROFILE_ROLE),
    # These name the association, not the instance: any instance of the account.
    "DisassociateIamInstanceProfile": (need("ec2:DisassociateIamInstanceProfile", _BASE + "instance/*"),),
    "ReplaceIamInstanceProfileAssociation": (
        need("ec2:ReplaceIamInstanceProfileAssociation", _BASE + "instance/*"),
        _PASS_PROFILE_ROLE,
    ),
    "DescribeFleetInstances": (need("ec2:DescribeFleetInstances", _BASE + "fleet/{FleetId}"),),
    "DescribeSpotFleetInstances": (
        need("ec2:DescribeSpotFleetInstances", _BASE + "spot-fleet-request/{SpotFleetRequestId}"),
    ),
    "DescribeVpcEndpointServicePermissions": (
        need("ec2:DescribeVpcEndpointServicePermissions", _BASE + "vpc-endpoint-service/{ServiceId}"),
    ),
    "CreateTags": (need("ec2:CreateTags", "{tagged}"),),
    "DeleteTags": (need("ec2:DeleteTags", "{tagged}"),),
}


def resource_arn(resource_id: str, where: Where) -> str:
    """The ARN of the EC2 resource ``resource_id`` (``i-...``, ``vol-...``), by the prefix of its ID."""
    template = _ID_TYPES.get(resource_id.split("-", 1)[0])
    if template is None:
        # Naming no resource would let a Deny on the real ARN miss: refuse instead.
        raise UsageError(f"iamsim has no ARN form for the EC2 resource {resource_id!r}")
    return (
        template.replace("{partition}", where.partition)
        .replace("{region}", where.region)
        .replace("{account}", where.account)
        + resource_id
    )


def _request_tags(params: Mapping[str, Any]) -> dict[str, str]:
    tags: dict[str, str] = {}
    for spec in params.get("TagSpecifications") or []:
        if isinstance(spec, Mapping):
            tags.update(tag_list(spec.get("Tags")))
    return tags


def derive(operation: str, params: Mapping[str, Any], where: Where) -> Mapping[str, Any]:
    """The operation (``ec2:CreateAction``), request tags, tagged resources and IDs named by name."""
    found: dict[str, Any] = {"operation": operation}
    tags = tag_list(params.get("Tags")) if operation in ("CreateTags", "DeleteTags") else _request_tags(params)
    if tags:
        found["request_tags"] = tags
    if isinstance(params.get("Resources"), list):
        found["tagged"] = [resource_arn(str(r), where) for r in params["Resources"]]
    profile = params.get("IamInstanceProfile")
    if isinstance(profile, Mapping):
        named = profile.get("Arn") or profile.get("Name")
        if isinstance(named, str) and named:
            found["profile_roles"] = list(where.profile_roles(named))
            found["passed_to_service"] = "ec2.amazonaws.com"
    specification = params.get("InstanceSpecification")
    if isinstance(specification, Mapping):
        found["snapshot_instance"] = specification.get("InstanceId")
    if params.get("GroupName") and not params.get("GroupId") and operation != "CreateSecurityGroup":
        raise UsageError("iamsim needs the security group's GroupId (the ARN names the ID, not the GroupName)")
    return found


def _tag_created(r: ResourceOperations, arns: list[str], params: Mapping[str, Any]) -> None:
    tags = _request_tags(params)
    if tags:
        for arn in arns:
            r.tag(arn, tags)


def _instances_run(r: ResourceOperations, p: Mapping[str, Any], o: Mapping[str, Any], w: Where) -> None:
    ids = [i.get("InstanceId") for i in o.get("Instances", []) if isinstance(i, Mapping)]
    _tag_created(r, [resource_arn(i, w) for i in ids if isinstance(i, str)], p)


def _one_created(member: str) -> Observer:
    def observer(r: ResourceOperations, p: Mapping[str, Any], o: Mapping[str, Any], w: Where) -> None:
        found = o.get(member)
        if isinstance(found, str):
            _tag_created(r, [resource_arn(found, w)], p)

    return observer


def _tags_created(r: ResourceOperations, p: Mapping[str, Any], o: Mapping[str, Any], w: Where) -> None:
    for resource in p.get("Resources", []):
        r.tag(resource_arn(resource, w), tag_list(p.get("Tags")))


def _tags_deleted(r: ResourceOperations, p: Mapping[str, Any], o: Mapping[str, Any], w: Where) -> None:
    keys = [t["Key"] for t in p.get("Tags") or [] if isinstance(t, Mapping) and "Key" in t]
    for resource in p.get("Resources", []):
        arn = resource_arn(resource, w)
        r.untag(arn, keys or list(r.tags(arn)))


TABLE = ServiceTable("ec2", _OPERATIONS, derive)

#: Resource tags, from CreateTags/DeleteTags and the TagSpecifications of successful creations.
OBSERVERS: dict[tuple[str, str], Observer] = {
    ("ec2", "RunInstances"): _instances_run,
    ("ec2", "CreateVolume"): _one_created("VolumeId"),
    ("ec2", "CreateSnapshot"): _one_created("SnapshotId"),
    ("ec2", "CreateSecurityGroup"): _one_created("GroupId"),
    ("ec2", "CreateTags"): _tags_created,
    ("ec2", "DeleteTags"): _tags_deleted,
}
