"""Responses derived by convention: a record rendered into botocore's output shape, member by member.

Each member of the shape takes the record's attribute of the member's snake_case
name (``UserId`` ↔ ``user_id``, ``CreateDate`` ↔ ``create_date``), and a member
``<Kind>Name`` falls back to the record's ``name`` (``UserName`` ↔ ``User.name``).
The value is then shaped by the member's type: a store date becomes a datetime, a
base32 seed the blob AWS sends, tag pairs ``Tag`` structures, a boundary ARN an
``AttachedPermissionsBoundary``, a nested record the nested structure. Optional
members without a value (``None``, ``""``, an empty list) are left out, as AWS
leaves them out. What really differs from the records is the small explicit data
below: attributes named otherwise (:data:`ATTRIBUTES`), the members a user or role
nested in another answer does not carry (:data:`NESTED_OMITS`), and constants
iamsim does not track (:data:`CONSTANTS`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from iamsim._wire.convention import Output, Params, service_models, snake_case
from iamsim._wire.paging import page

__all__ = [
    "ABSENT",
    "ATTRIBUTES",
    "CONSTANTS",
    "KEPT_EMPTY",
    "KEPT_EMPTY_IN",
    "NESTED_OMITS",
    "OMITTED",
    "answer",
    "output_shape",
    "parse_date",
    "render",
    "shape",
]

#: A record another names (an instance profile's role): the record of structure ``name`` called ``key``.
Resolve = Callable[[str, str], object]
#: How an operation's result becomes its output, given the request (and how to find the records it names).
Respond = Callable[..., Output]

_DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

#: Output members whose record attribute is not the member's snake_case name.
ATTRIBUTES: dict[str, str] = {
    "AssumeRolePolicyDocument": "trust_policy",
    "SAMLMetadataDocument": "metadata_document",
    "ClientIDList": "client_ids",
    "ThumbprintList": "thumbprints",
    "Base32StringSeed": "seed_base32",
    "PolicyDocument": "document",
    "SAMLProviderArn": "arn",
    "OpenIDConnectProviderArn": "arn",
    "PolicyVersionList": "versions",
    "PolicyName": "name",
    "UserPolicyList": "inline_policies",
    "GroupPolicyList": "inline_policies",
    "RolePolicyList": "inline_policies",
    "GroupList": "groups",
    "AttachedManagedPolicies": "attached_policies",
}

#: Members a user or role leaves out when it is nested in another answer (ListUsers, GetGroup, an
#: instance profile's roles, a virtual MFA device's user), as AWS leaves them out.
NESTED_OMITS: dict[str, frozenset[str]] = {
    "User": frozenset({"PermissionsBoundary", "Tags"}),
    "Role": frozenset({"PermissionsBoundary", "Tags", "RoleLastUsed"}),
}

#: Optional lists AWS sends even when empty (the simulator's statements and missing keys, a new OIDC provider's
#: tags), unlike an entity's tags.
KEPT_EMPTY: dict[str, frozenset[str]] = {
    "EvaluationResult": frozenset({"MatchedStatements", "MissingContextValues"}),
    "ResourceSpecificResult": frozenset({"MatchedStatements", "MissingContextValues"}),
    "CreateOpenIDConnectProviderResponse": frozenset({"Tags"}),
    # GetAccountAuthorizationDetails lists an entity's policies and groups even when it has none.
    "UserDetail": frozenset({"UserPolicyList", "GroupList", "AttachedManagedPolicies"}),
    "GroupDetail": frozenset({"GroupPolicyList", "AttachedManagedPolicies"}),
    "RoleDetail": frozenset({"InstanceProfileList", "RolePolicyList", "AttachedManagedPolicies"}),
    # IAM's organization features answer the enabled list even when none is (§H.9).
    **{
        f"{operation}Response": frozenset({"EnabledFeatures"})
        for operation in (
            "ListOrganizationsFeatures",
            *(
                f"{verb}{feature}"
                for verb in ("Enable", "Disable")
                for feature in (
                    "OrganizationsRootCredentialsManagement",
                    "OrganizationsRootSessions",
                    "OrganizationLevelResources",
                )
            ),
        )
    },
}

#: Members of the one record an operation's answer describes that it sends even empty, by output shape:
#: GetPolicy's ``Tags`` (CreatePolicy leaves them out when none were given, §H.5).
KEPT_EMPTY_IN: dict[str, frozenset[str]] = {
    "GetPolicyResponse": frozenset({"Tags"}),
}

#: Members an operation's answer leaves out of the record it renders, by output shape: CreatePolicy describes a
#: policy without its description (its tags it gives, §H.5), ListPolicies without description and tags, the version
#: answers but GetPolicyVersion without the document.
OMITTED: dict[str, frozenset[str]] = {
    "CreatePolicyResponse": frozenset({"Description"}),
    "ListPoliciesResponse": frozenset({"Description", "Tags"}),
    "CreatePolicyVersionResponse": frozenset({"Document"}),
    "ListPolicyVersionsResponse": frozenset({"Document"}),
}

#: Members iamsim does not track, with the value AWS gives a never-used entity.
CONSTANTS: dict[str, dict[str, Any]] = {
    "Role": {"RoleLastUsed": {}},
    "RoleDetail": {"RoleLastUsed": {}},
    "GetAccessKeyLastUsedResponse": {"AccessKeyLastUsed": {"ServiceName": "N/A", "Region": "N/A"}},
}

#: Values a member takes when the record holds none: the root user's own access keys name ``root``.
ABSENT: dict[str, dict[str, str]] = {
    "AccessKey": {"UserName": "root"},
    "GetAccessKeyLastUsedResponse": {"UserName": "root"},
    "AccessKeyMetadata": {"UserName": "root"},
}

_MISSING = object()


def parse_date(text: str) -> datetime:
    """A store date (``2026-01-01T00:00:00Z``) as an aware UTC datetime."""
    return datetime.strptime(text, _DATE_FORMAT).replace(tzinfo=UTC)


def shape(service: str, name: str) -> Any:
    """The botocore shape ``name`` of ``service`` (``shape("iam", "User")``)."""
    return service_models()[service].shape_for(name)


def output_shape(service: str, operation: str) -> Any:
    """The output shape of ``operation`` (``None`` when AWS answers with nothing)."""
    return service_models()[service].operation_model(operation).output_shape


def _boundary(arn: str) -> Output:
    return {"PermissionsBoundaryType": "PermissionsBoundaryPolicy", "PermissionsBoundaryArn": arn}


def _tag(pair: tuple[str, str]) -> Output:
    return {"Key": pair[0], "Value": pair[1]}


def _attached(arn: str) -> Output:
    return {"PolicyName": arn.rsplit("/", 1)[-1], "PolicyArn": arn}


#: Structures built from one plain value rather than a record: the value's shape in the store.
_FROM_VALUE: dict[str, Callable[[Any], Output]] = {
    "AttachedPermissionsBoundary": _boundary,
    "AttachedPolicy": _attached,
    "Tag": _tag,
}


def render(
    structure: Any,
    record: object,
    values: Mapping[str, Any] | None = None,
    *,
    omit: Iterable[str] = (),
    nested: bool = False,
    resolve: Resolve | None = None,
) -> Output:
    """``record`` as the botocore ``structure``; ``values`` give members the record does not hold.

    ``omit`` names members left out of this answer; ``nested`` renders the form a
    record takes inside another answer (see :data:`NESTED_OMITS`); ``resolve`` finds
    the records a record holds by name (an instance profile's ``roles``).
    """
    constants, nested_omits, required, absent, members = _layout(structure)
    given = {**constants, **values} if values else constants
    if nested:
        left_out = nested_omits.union(omit) if omit else nested_omits
    else:
        left_out = omit if isinstance(omit, frozenset) else frozenset(omit)
    output: Output = {}
    for member, member_shape, attribute in members:
        if member in left_out:
            continue
        value = given[member] if member in given else _attribute_as(record, member, attribute)
        if value is _MISSING or value is None:
            value = absent.get(member)
        if value is None:
            continue
        value = _shaped(member_shape, value, (), resolve)
        # A value the caller gives is meant as given (an empty list included); a record's empty one is absent.
        if member not in given and member not in required and (value == "" or (isinstance(value, list) and not value)):
            continue
        output[member] = value
    return output


@functools.lru_cache(maxsize=512)
def _layout(
    structure: Any,
) -> tuple[dict[str, Any], frozenset[str], frozenset[str], dict[str, str], tuple[tuple[str, Any, str], ...]]:
    """What :func:`render` reads of a structure and the tables above, once per (cached, never changed) shape."""
    name = structure.name
    return (
        CONSTANTS.get(name, {}),
        NESTED_OMITS.get(name, frozenset()),
        frozenset(structure.required_members) | KEPT_EMPTY.get(name, frozenset()),
        ABSENT.get(name, {}),
        tuple((member, shape, _attribute_name(member)) for member, shape in structure.members.items()),
    )


def _attribute(record: object, member: str) -> Any:
    return _attribute_as(record, member, _attribute_name(member))


def _attribute_as(record: object, member: str, attribute: str) -> Any:
    """The record's value for ``member``, read from ``attribute`` (its :func:`_attribute_name`)."""
    value = getattr(record, attribute, _MISSING)
    # ``UserName`` is a User's name, ``PolicyName`` an InlinePolicy's, never another record's.
    if value is _MISSING and member.endswith("Name") and type(record).__name__.endswith(member[:-4]):
        return getattr(record, "name", _MISSING)
    return value


@functools.lru_cache(maxsize=1024)
def _attribute_name(member: str) -> str:
    """The record attribute a member reads (the regular expression of ``snake_case`` runs once per member)."""
    return ATTRIBUTES.get(member) or snake_case(member)


def _shaped(member_shape: Any, value: Any, omit: Iterable[str] = (), resolve: Resolve | None = None) -> Any:
    kind = member_shape.type_name
    if kind == "timestamp" and isinstance(value, str):
        return parse_date(value)
    if kind == "blob" and isinstance(value, str):
        return value.encode("ascii")
    if kind == "list" and isinstance(value, tuple | list):
        return [_shaped(member_shape.member, item, omit, resolve) for item in value]
    if kind == "structure" and not isinstance(value, Mapping):
        convert = _FROM_VALUE.get(member_shape.name)
        if convert is not None:
            return convert(value)
        if isinstance(value, str) and resolve is not None:
            # A record held by name (an instance profile's role): the record itself, nested.
            value = resolve(member_shape.name, value)
        return render(member_shape, value, omit=omit, nested=True, resolve=resolve)
    return value


#: ListDelegationRequests' model spells its flag ``isTruncated``; every other paged output ``IsTruncated``.
_PAGING = ("IsTruncated", "isTruncated", "Marker")


def answer(structure: Any) -> Respond:
    """How a Simulator method's result becomes ``structure``, the operation's output, by convention.

    A sequence fills the output's one list member, paged by the request's
    ``Marker``/``MaxItems`` when the output pages; a record whose attributes are the
    lists of a paged output with several (ListEntitiesForPolicy's groups, users and
    roles) fills them all, one page over their items in the shape's order; a record holding a paged output's
    one list pages it (GetServiceLastAccessedDetails' services); a record that holds none of the
    output's members fills its one structure member (``CreateUser`` -> ``User``,
    GetSessionToken's ``Credentials``); a plain value fills the one member; else the
    record is the output itself, whose members it lacks echo the request
    (GetUserPolicy's ``UserName``).
    """
    if structure is None or not structure.members:
        return lambda result, params, resolve=None: {}
    members = {name: s for name, s in structure.members.items() if name not in _PAGING}
    lists = [name for name, s in members.items() if s.type_name == "list"]
    flag = next((m for m in _PAGING[:2] if m in structure.members), None)
    paged = flag is not None
    single = next(iter(members)) if len(members) == 1 else None
    structures = [name for name, s in members.items() if s.type_name == "structure"]
    omit = OMITTED.get(structure.name, frozenset())
    kept = KEPT_EMPTY_IN.get(structure.name, frozenset())

    def respond(result: Any, params: Params, resolve: Resolve | None = None) -> Output:
        if isinstance(result, tuple | list):
            if len(lists) != 1:
                # A bug in the operation table, never the caller's: the body must be written by hand.
                raise TypeError(f"{structure.name}: a sequence fills one list member, the shape has {lists}")
            member = lists[0]
            selected, paging = page(result, params) if paged else (result, {})
            if flag == "isTruncated":
                paging = {("isTruncated" if k == "IsTruncated" else k): v for k, v in paging.items()}
            return {member: _shaped(members[member], list(selected), omit, resolve), **paging}
        if single is not None and isinstance(result, str | int | Mapping):
            # A plain value is the output's one member (GetAccessKeyInfo's ``Account``, a ``SummaryMap``).
            return {single: result}
        if paged and len(lists) > 1 and all(_attribute(result, m) is not _MISSING for m in lists):
            return _paged_lists({m: members[m] for m in lists}, result, params)
        if paged and len(lists) == 1 and _attribute(result, lists[0]) is not _MISSING:
            # A report's one list is paged, its other members whole (GetOrganizationsAccessReport's AccessDetails).
            selected, paging = page(_attribute(result, lists[0]), params)
            values = {**_echoed(structure, result, params), lists[0]: list(selected)}
            return {**render(structure, result, values), **paging}
        if len(structures) == 1 and all(_attribute(result, m) is _MISSING for m in members):
            inner = members[structures[0]]
            values = _echoed(inner, result, params)
            values.update({m: () for m in kept if m not in values and not _attribute(result, m)})
            return {structures[0]: render(inner, result, values, omit=omit, resolve=resolve)}
        return render(structure, result, _echoed(structure, result, params), resolve=resolve)

    return respond


def _echoed(structure: Any, record: object, params: Params) -> Output:
    """The request's members ``structure`` holds and ``record`` does not (CreateLoginProfile's ``UserName``)."""
    return {m: params[m] for m in structure.members if params.get(m) is not None and _attribute(record, m) is _MISSING}


def _paged_lists(lists: Mapping[str, Any], record: object, params: Params) -> Output:
    """Several lists of ``record`` paged as one (each present even when empty, as AWS sends them)."""
    entries = [(member, item) for member in lists for item in _attribute(record, member)]
    selected, paging = page(entries, params)
    output: Output = {member: [] for member in lists}
    for member, item in selected:
        output[member].append(_shaped(lists[member].member, item))
    return {**output, **paging}
