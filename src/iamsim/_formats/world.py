"""The world file format (``docs/dry-run.md``, "A whole world") as a pydantic model.

The model checks the file's shape: which keys exist, what type each value
is, which are required, that account ids have twelve digits. What only IAM
can judge (a name IAM refuses, a malformed policy, a quota) is left to the
simulator's operations when the world is built (§H), so a world file gets
AWS's own words for those.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import BeforeValidator, Field, WithJsonSchema, field_validator, model_validator

from iamsim._formats.fields import Document, FileModel, Names, OptionalText, Seconds, Tags, Text, kind_of, refuse_empty

__all__ = ["Account", "Group", "ManagedPolicy", "OrgPolicy", "Organization", "Role", "Unit", "User", "WorldFile"]


def _account_id(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError(f"an account id must be a string of 12 digits, not {kind_of(value)}")
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        raise ValueError(f"Account ID {value} is not a 12-digit account ID.")
    return value


def _profile(value: Any) -> Any:
    if isinstance(value, bool) or (isinstance(value, str) and value):
        return value
    raise ValueError(f"must be true, false or a name, not {kind_of(value)}")


#: A 12-digit AWS account id (an unquoted YAML number is taken as its digits).
AccountId = Annotated[str, BeforeValidator(_account_id), WithJsonSchema({"type": "string", "pattern": "^[0-9]{12}$"})]


def _names_as_text(value: Any) -> Any:
    # YAML may read a policy name as a number; IAM names are text.
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else value


_BOUNDARY = "permissions boundary: a policy of this account by name, or an ARN"
_NAME = "the name IAM knows it by"
_POLICIES = "managed policies to attach: a customer policy of this account by name, or any policy ARN"
_INLINE = "inline policies: policy name -> document (a mapping, JSON text or a file)"


class ManagedPolicy(FileModel):
    """A customer managed policy of the account."""

    name: Text = Field(description=_NAME)
    document: Document = Field(
        description="the policy document: a mapping, JSON text or a file relative to the world file"
    )
    path: OptionalText = Field("/", description="the IAM path, e.g. /team/")
    description: OptionalText = Field("", description="shown by GetPolicy")
    tags: Tags | None = Field(None, description="tags: key -> value")


class Group(FileModel):
    """An IAM group of the account."""

    name: Text = Field(description=_NAME)
    path: OptionalText = Field("/", description="the IAM path")
    policies: Names = Field((), description=_POLICIES)
    inline: dict[str, Document] | None = Field(None, description=_INLINE)

    _inline_names = field_validator("inline", mode="before")(_names_as_text)


class User(FileModel):
    """An IAM user of the account."""

    name: Text = Field(description=_NAME)
    path: OptionalText = Field("/", description="the IAM path")
    groups: Names = Field((), description="groups of this account the user is a member of")
    policies: Names = Field((), description=_POLICIES)
    inline: dict[str, Document] | None = Field(None, description=_INLINE)
    boundary: Text | None = Field(None, description=_BOUNDARY)
    tags: Tags | None = Field(None, description="tags: key -> value")

    _inline_names = field_validator("inline", mode="before")(_names_as_text)


class Role(FileModel):
    """An IAM role of the account."""

    name: Text = Field(description=_NAME)
    path: OptionalText = Field("/", description="the IAM path")
    trust: Document = Field(
        description="the role's trust policy: a mapping, JSON text or a file relative to the world file"
    )
    policies: Names = Field((), description=_POLICIES)
    inline: dict[str, Document] | None = Field(None, description=_INLINE)
    boundary: Text | None = Field(None, description=_BOUNDARY)
    tags: Tags | None = Field(None, description="tags: key -> value")
    description: OptionalText = Field("", description="shown by GetRole")
    max_session_duration: Seconds = Field(3600, description="the longest session, in seconds (3600 to 43200)")
    instance_profile: Annotated[bool | str, BeforeValidator(_profile)] = Field(
        False, description="true for an instance profile named after the role, or the profile's name"
    )

    _inline_names = field_validator("inline", mode="before")(_names_as_text)


class Account(FileModel):
    """What one account holds."""

    empty_is_mapping: ClassVar[bool] = True

    alias: Text | None = Field(None, description="the account alias")
    policies: tuple[ManagedPolicy, ...] | None = Field(None, description="customer managed policies")
    groups: tuple[Group, ...] | None = Field(None, description="IAM groups")
    users: tuple[User, ...] | None = Field(None, description="IAM users")
    roles: tuple[Role, ...] | None = Field(None, description="IAM roles")


class Unit(FileModel):
    """An organizational unit."""

    name: Text = Field(description="the OU's name, unique in the file")
    parent: Text = Field("root", description="root, or the name of another OU of the file")
    accounts: Names = Field((), description="accounts of the file placed in this OU")


class OrgPolicy(FileModel):
    """A service or resource control policy of the organization."""

    name: Text = Field(description="the policy's name")
    document: Document = Field(description="the policy document: a mapping, JSON text or a file")
    description: OptionalText = Field("", description="its description")
    targets: Names = Field((), description="where it is attached: root, an OU name or an account id")


class Organization(FileModel):
    """The AWS Organization the accounts belong to."""

    empty_is_mapping: ClassVar[bool] = True

    management_account: AccountId | None = Field(
        None, description="the management account, exempt from SCPs and RCPs as in AWS"
    )
    units: tuple[Unit, ...] | None = Field(None, description="organizational units")
    scps: tuple[OrgPolicy, ...] | None = Field(None, description="service control policies")
    rcps: tuple[OrgPolicy, ...] | None = Field(None, description="resource control policies")
    detach_full_access: Names = Field((), description="targets to take FullAWSAccess off")


class WorldFile(FileModel):
    """A world file: accounts, the IAM entities each holds, and an optional organization."""

    accounts: dict[AccountId, Account] = Field(
        description="account id -> what the account holds",
        # The key pattern alone would let an editor accept any other key beside the account ids.
        json_schema_extra={"additionalProperties": False, "minProperties": 1},
    )
    default_account: AccountId | None = Field(
        None, description="the account of requests that name none; the first by default"
    )
    organization: Organization | None = Field(None, description="the organization of the accounts")

    _at_least_one_account = field_validator("accounts", mode="before")(refuse_empty("must name at least one account"))

    @model_validator(mode="after")
    def _default_is_listed(self) -> WorldFile:
        if self.default_account is not None and self.default_account not in self.accounts:
            raise ValueError(f"default_account: {self.default_account} is not under accounts:")
        return self

    @property
    def default(self) -> str:
        """The default account: ``default_account``, or the first account of the file."""
        return self.default_account or next(iter(self.accounts))
