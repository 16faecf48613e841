"""The catalog questions the validator asks, answered once per distinct question.

A :class:`CatalogLookups` wraps one :class:`~iamsim._policy.catalog.ServiceCatalog`
and memoises what linting asks again and again across statements and
policies: which actions a wildcard names, which condition keys an action
supports, whether a resource pattern can name a resource of an ARN format.
It belongs to one validator; nothing is shared between validators.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from iamsim._policy.catalog import Action, ConditionKey, ServiceCatalog
from iamsim._policy.glob_algebra import ANY, Token, intersects, tokens_of

__all__ = ["CatalogLookups", "key_shape", "resource_service"]

_PLACEHOLDER = re.compile(r"\$\{[^}]*\}")
# Placeholders that never hold "/" or ":", wherever they stand.
_SEGMENT_PLACEHOLDERS = frozenset({"${BucketName}"})
_SEGMENT = Token(star=True, excluded=frozenset({"/", ":"}))
_KEY_PLACEHOLDER = re.compile(r"\$\{[^}]*\}|<[^>]*>")
# Service principals end in one of AWS's partition domains.
_PRINCIPAL_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn", ".amazon.com", ".c2s.ic.gov", ".sc2s.sgov.gov")
# Service principals whose labels name no action prefix, seen in AWS documentation and managed policies.
_PRINCIPALS_WITHOUT_PREFIX = frozenset(
    {
        "edgelambda",
        "spotfleet",
        "spot",
        "ec2fleet",
        "ec2scheduled",
        "vmie",
        "transitgateway",
        "monitoring",
        "replication",
        "delivery",
        "credentials",
        "export",
        "vpc-flow-logs",
        "alexa-appkit",
        "alexa-connectedhome",
    }
)


# Global keys offered as spelling suggestions (§E); the catalog decides whether each exists.
_DOCUMENTED_GLOBAL_KEYS = (
    "aws:CalledVia",
    "aws:CalledViaFirst",
    "aws:CalledViaLast",
    "aws:CurrentTime",
    "aws:EpochTime",
    "aws:FederatedProvider",
    "aws:MultiFactorAuthAge",
    "aws:MultiFactorAuthPresent",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalIsAWSService",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalServiceName",
    "aws:PrincipalServiceNamesList",
    "aws:PrincipalType",
    "aws:RequestedRegion",
    "aws:ResourceAccount",
    "aws:ResourceOrgID",
    "aws:ResourceOrgPaths",
    "aws:SecureTransport",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceIdentity",
    "aws:SourceIp",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:TokenIssueTime",
    "aws:UserAgent",
    "aws:ViaAWSService",
    "aws:VpcSourceIp",
    "aws:referer",
    "aws:userid",
    "aws:username",
)


def key_shape(name: str) -> str:
    """A condition key name with its variable part generalised, for comparing keys with templates.

    The reference spells one template several ways (``secretsmanager:ResourceTag/${TagKey}``
    and ``secretsmanager:ResourceTag/tag-key``), so everything after a ``/`` and every
    placeholder becomes ``*``: both spellings, and ``secretsmanager:ResourceTag/team``, agree.
    """
    lowered = _KEY_PLACEHOLDER.sub("*", name.lower())
    head, slash, _ = lowered.partition("/")
    return f"{head}/*" if slash else lowered


def resource_service(resource: str) -> str | None:
    """The service segment of an ARN pattern, or ``None`` when it is missing or holds a wildcard."""
    parts = resource.split(":", 3)
    if len(parts) < 3 or "*" in parts[2] or "?" in parts[2]:
        return None
    return parts[2].lower()


class CatalogLookups:
    """Memoised lookups over one service catalog."""

    def __init__(self, catalog: ServiceCatalog) -> None:
        self.catalog = catalog
        self._expanded: dict[str, tuple[Action, ...]] = {}
        self._keys: dict[str, ConditionKey | None] = {}
        self._applicable: dict[str, frozenset[str]] = {}
        self._format_tokens: dict[str, tuple[Token, ...]] = {}
        self._resource_tokens: dict[tuple[str, bool], tuple[Token, ...]] = {}
        self._fits: dict[tuple[str, bool, str], bool] = {}
        self._global_keys: tuple[str, ...] | None = None

    # --- services and actions ----------------------------------------------------------------

    def has_service(self, prefix: str) -> bool:
        """Whether ``prefix`` (any case) is a service's action prefix."""
        return self.catalog.service(prefix) is not None

    def expand(self, pattern: str) -> tuple[Action, ...]:
        """Every catalog action ``pattern`` names (an exact name or an IAM wildcard), case-insensitively."""
        key = pattern.lower()
        found = self._expanded.get(key)
        if found is None:
            if "*" in key or "?" in key:
                found = self.catalog.actions_matching(key)
            else:
                action = self.catalog.action(key)
                found = (action,) if action is not None else ()
            self._expanded[key] = found
        return found

    def similar_actions(self, prefix: str, name: str) -> list[str]:
        """Up to three action names of service ``prefix`` spelled like ``name``."""
        service = self.catalog.service(prefix)
        if service is None:
            return []
        by_lower = {a.name.lower(): a.full_name for a in service.actions.values()}
        return [by_lower[m] for m in difflib.get_close_matches(name.lower(), by_lower, n=3, cutoff=0.75)]

    def similar_services(self, prefix: str) -> list[str]:
        """Up to three service prefixes spelled like ``prefix``."""
        return difflib.get_close_matches(prefix.lower(), self.catalog.service_prefixes, n=3, cutoff=0.7)

    # --- condition keys ----------------------------------------------------------------------

    def condition_key(self, name: str) -> ConditionKey | None:
        """The catalog entry of condition key ``name`` (a concrete key finds its template)."""
        key = name.lower()
        if key not in self._keys:
            self._keys[key] = self.catalog.condition_key(name)
        return self._keys[key]

    def similar_keys(self, name: str) -> list[str]:
        """Up to three known condition keys of the same prefix spelled like ``name``."""
        prefix = name.partition(":")[0].lower()
        if prefix == "aws":
            if self._global_keys is None:
                self._global_keys = self._names_of_global_keys()
            candidates: Iterable[str] = self._global_keys
        else:
            service = self.catalog.service(prefix)
            candidates = [k.name for k in service.condition_keys.values()] if service else []
        by_lower = {c.lower(): c for c in candidates}
        return [by_lower[m] for m in difflib.get_close_matches(name.lower(), by_lower, n=3, cutoff=0.75)]

    def _names_of_global_keys(self) -> tuple[str, ...]:
        names = {
            key.name
            for service in self.catalog.services()
            for key in service.condition_keys.values()
            if key.name.lower().startswith("aws:")
        }
        for name in _DOCUMENTED_GLOBAL_KEYS:
            found = self.catalog.condition_key(name)
            if found is not None:
                names.add(found.name)
        return tuple(sorted(names))

    def applicable_keys(self, action: Action) -> frozenset[str]:
        """Shapes (:func:`key_shape`) of the condition keys ``action`` supports, its resource types' included."""
        full = action.full_name.lower()
        found = self._applicable.get(full)
        if found is None:
            names = {key_shape(k) for k in action.condition_keys}
            service = self.catalog.service(action.service)
            for resource in action.resource_types:
                names.update(key_shape(k) for k in resource.condition_keys)
                rtype = service.resource_types.get(resource.name.lower()) if service else None
                if rtype is not None:
                    names.update(key_shape(k) for k in rtype.condition_keys)
            found = frozenset(names)
            self._applicable[full] = found
        return found

    # --- resources ---------------------------------------------------------------------------

    def resource_fits(self, resource: str, complete: bool, arn_format: str) -> bool:
        """Whether resource pattern ``resource`` can name some resource of ``arn_format``.

        Policy variables in ``resource`` may stand for anything. With
        ``complete``, an ARN of fewer than six fields is completed with ``*``
        fields, as identity policies read it (§B.2). Case is ignored: the
        linter must not call a resource wrong for a case difference AWS itself
        might forgive.
        """
        key = (resource, complete, arn_format)
        found = self._fits.get(key)
        if found is None:
            service = resource_service(resource)
            format_service = resource_service(arn_format)
            if service is not None and format_service is not None and service != format_service:
                found = False
            else:
                found = intersects(self._tokens_of_resource(resource, complete), self._tokens_of_format(arn_format))
            self._fits[key] = found
        return found

    def _tokens_of_resource(self, resource: str, complete: bool) -> tuple[Token, ...]:
        key = (resource, complete)
        found = self._resource_tokens.get(key)
        if found is None:
            text = _PLACEHOLDER.sub("*", resource)
            missing = 5 - text.count(":")
            if complete and missing > 0:
                text += ":*" * missing
            found = tokens_of(text, fold_case=True)
            self._resource_tokens[key] = found
        return found

    def _tokens_of_format(self, arn_format: str) -> tuple[Token, ...]:
        found = self._format_tokens.get(arn_format)
        if found is None:
            found = _format_tokens(arn_format)
            self._format_tokens[arn_format] = found
        return found

    # --- service principals ------------------------------------------------------------------

    def is_known_service_principal(self, principal: str) -> bool:
        """Whether ``principal`` looks like the principal of a known AWS service.

        The host must end in an AWS partition domain, and one of its labels (or
        a hyphen-separated part of one) must be a service prefix or a known
        principal name that is not a prefix (``edgelambda``, ``spotfleet``...).
        """
        host = principal.lower()
        suffix = next((s for s in _PRINCIPAL_SUFFIXES if host.endswith(s)), None)
        if suffix is None:
            return False
        labels = host[: -len(suffix)].split(".")
        for label in labels:
            if label in _PRINCIPALS_WITHOUT_PREFIX or self.has_service(label):
                return True
            if any(self.has_service(part) for part in label.split("-") if part):
                return True
            if self.has_service(label.rstrip("0123456789")):
                return True
        return False


def _format_tokens(arn_format: str) -> tuple[Token, ...]:
    """The tokens of an ARN format: its ``${...}`` placeholders become narrowed run wildcards.

    A placeholder cannot span a ``:``, nor the character that follows it in
    the format; the last placeholder can hold anything, since resource paths
    and qualified names go there, except a bucket name, which never holds a
    ``/`` (so ``arn:aws:s3:::b/*`` names objects, not buckets).
    """
    tokens: list[Token] = []
    position = 0
    placeholders = list(_PLACEHOLDER.finditer(arn_format))
    for number, match in enumerate(placeholders):
        tokens.extend(tokens_of(arn_format[position : match.start()], fold_case=True))
        following = arn_format[match.end() : match.end() + 1].lower()
        last = number == len(placeholders) - 1 and match.end() == len(arn_format)
        if match.group() in _SEGMENT_PLACEHOLDERS:
            tokens.append(_SEGMENT)
        elif last:
            tokens.append(ANY)
        else:
            excluded = frozenset({":", following} - {""})
            tokens.append(Token(star=True, excluded=excluded))
        position = match.end()
    tokens.extend(tokens_of(arn_format[position:], fold_case=True))
    return tuple(tokens)
