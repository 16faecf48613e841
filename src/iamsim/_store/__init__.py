"""IAM entities: frozen records, one store per account, an organization, seeded ids."""

from iamsim._store.account import AccountStore, Document
from iamsim._store.ids import IdGenerator, IdPrefix
from iamsim._store.organization import Organization, OrganizationalUnit, OrganizationPolicy, PolicyType
from iamsim._store.records import (
    AccessKey,
    Group,
    InlinePolicy,
    InstanceProfile,
    ManagedPolicy,
    MfaDevice,
    OidcProvider,
    PolicyVersion,
    Role,
    TrustBinding,
    User,
)

__all__ = [
    "AccessKey",
    "AccountStore",
    "Document",
    "Group",
    "IdGenerator",
    "IdPrefix",
    "InlinePolicy",
    "InstanceProfile",
    "ManagedPolicy",
    "MfaDevice",
    "OidcProvider",
    "Organization",
    "OrganizationPolicy",
    "OrganizationalUnit",
    "PolicyType",
    "PolicyVersion",
    "Role",
    "TrustBinding",
    "User",
]
