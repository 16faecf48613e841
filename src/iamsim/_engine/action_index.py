"""The action index of a compiled policy set: which statements can apply to a request's action.

:class:`ActionIndex` files every statement of a set (as a :data:`Candidate`)
once, at construction:

* exact lowercase action names in a dict;
* wildcard actions under their service prefix (``s3:Get*`` under ``s3``),
  and again under their head (``s3:g``) when every pattern the statement has
  in that service starts its name with a literal, so the cold path tests only
  the statements whose patterns start like the action's name;
* ``*``, wildcards in the service prefix and ``NotAction`` statements in an
  always-candidate list, itself split by the ARN service its ``Resource``
  patterns fix (``arn:aws:s3:::b/*`` only matches ``s3`` resources) so that
  ``Action: *`` statements do not all become candidates of every request.

With ``use_index=False`` every statement is an always-candidate: the
differential tests compare both modes. :meth:`ActionIndex.candidates` answers
per ``(action, resource service)`` with the candidates whose action test
passed, split into Deny and Allow, with the context keys they can read, from a
bounded cache (exact; cleared wholesale when full).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from iamsim._engine.resources import resource_service
from iamsim._engine.result import StatementRef
from iamsim._engine.statements import CompiledStatement

__all__ = ["ACTION_CACHE_SIZE", "ActionIndex", "Candidate", "Candidates"]

#: ``(statement, allow bit, canonical ordinal, ref)``: a statement placed in its set.
Candidate = tuple[CompiledStatement, int, int, StatementRef]
#: Deny candidates whose action test already passed, Deny candidates that need it, then the same two
#: for Allow. Candidate tuples are built once, at compile time; splitting by the test spares a pair per entry.
_Bucket = tuple[tuple[Candidate, ...], tuple[Candidate, ...], tuple[Candidate, ...], tuple[Candidate, ...]]
_Lists = tuple[list[Candidate], list[Candidate], list[Candidate], list[Candidate]]
_Sides = tuple[tuple[Candidate, ...], tuple[Candidate, ...]]
_HeadTables = tuple[tuple[int, dict[str, _Sides]], ...]

_EMPTY_BUCKET: _Bucket = ((), (), (), ())
#: Bound of the per-action candidate cache (entries).
ACTION_CACHE_SIZE = 8_192
#: Candidate lists at least this long are filed by resource head (shorter ones are cheaper to scan).
_HEAD_INDEX_MIN = 6
#: Heads shorter than this select too little to be worth a lookup (``arn:aws:`` is 8): kept loose.
_HEAD_MIN = 10


@dataclass(frozen=True, slots=True)
class Candidates:
    """The statements that can apply to one action (on resources of one ARN service)."""

    denies: tuple[Candidate, ...]
    allows: tuple[Candidate, ...]
    #: The lowercased context keys any of them may read, in a fixed order.
    context_keys: tuple[str, ...]
    #: For long lists, the same statements filed by the literal head of their ``Resource`` patterns:
    #: ``(length, {head: (denies, allows)})`` per head length, longest first, plus those no head files.
    by_head: _HeadTables | None = None
    loose: _Sides = ((), ())
    #: Statements whose patterns fix no useful head of the whole ARN (a wildcard region or account, as in
    #: ``arn:aws:sqs:*:111122223333:team7-*``) filed by the literal head of their resource part instead,
    #: like ``by_head``; ``by_part_all`` holds them all, for resources that do not have exactly five colons.
    by_part: _HeadTables = ()
    by_part_all: _Sides = ((), ())
    #: Long enough to be filed by head, not filed yet: the index files it when it is asked for again.
    unfiled: bool = False

    def for_resource(self, resource: str) -> _Sides:
        """The Deny and Allow candidates whose resource check can pass for ``resource``.

        A statement filed under head ``h`` can only match resources that start with ``h`` (resource
        matching is anchored and case-sensitive; ``*``, ``?`` and variables come after the head), so one
        dict lookup per distinct head length replaces a resource test per statement. A statement filed by
        its resource part's head ``p`` can only match a resource with exactly five colons whose resource
        part starts with ``p`` (:func:`~iamsim._engine.resources._part_head`), and is offered to every
        resource with another number of colons.
        """
        by_head = self.by_head
        if by_head is None:
            return self.denies, self.allows
        denies, allows = self.loose
        for length, table in by_head:
            found = table.get(resource[:length])
            if found is not None:
                denies = denies + found[0]
                allows = allows + found[1]
        by_part = self.by_part
        if by_part:
            if resource.count(":") != 5:
                return denies + self.by_part_all[0], allows + self.by_part_all[1]
            part = resource[resource.rindex(":") + 1 :]
            for length, table in by_part:
                found = table.get(part[:length])
                if found is not None:
                    denies = denies + found[0]
                    allows = allows + found[1]
        return denies, allows


_Tables = dict[int, dict[str, tuple[list[Candidate], list[Candidate]]]]


def _by_head(denies: list[Candidate], allows: list[Candidate]) -> Candidates:
    """The candidates filed by the literal head of their resource patterns (see :meth:`Candidates.for_resource`).

    A head that reaches into the resource part files by the whole ARN; a shorter one (a wildcard region
    or account) by the head of the resource part when that is known and not empty.
    """
    tables: _Tables = {}
    parts: _Tables = {}
    part_all: tuple[list[Candidate], list[Candidate]] = ([], [])
    loose: tuple[list[Candidate], list[Candidate]] = ([], [])
    for side, candidates in ((0, denies), (1, allows)):
        for candidate in candidates:
            resource = candidate[0].resource
            if resource is None:
                loose[side].append(candidate)
                continue
            head = resource.prefix
            part = resource.part_prefix
            if part and head.count(":") < 5:
                parts.setdefault(len(part), {}).setdefault(part, ([], []))[side].append(candidate)
                part_all[side].append(candidate)
            elif len(head) >= _HEAD_MIN:
                tables.setdefault(len(head), {}).setdefault(head, ([], []))[side].append(candidate)
            else:
                loose[side].append(candidate)
    return Candidates(
        tuple(denies),
        tuple(allows),
        (),
        _frozen_tables(tables),
        (tuple(loose[0]), tuple(loose[1])),
        _frozen_tables(parts),
        (tuple(part_all[0]), tuple(part_all[1])),
    )


def _frozen_tables(tables: _Tables) -> _HeadTables:
    return tuple(
        (length, {head: (tuple(lists[0]), tuple(lists[1])) for head, lists in table.items()})
        for length, table in sorted(tables.items(), reverse=True)
    )


def _frozen(lists: _Lists) -> _Bucket:
    """The bucket of ``lists`` (the shared empty tuple for each empty list)."""
    return (tuple(lists[0]), tuple(lists[1]), tuple(lists[2]), tuple(lists[3]))


def _freeze_all(table: dict[str, _Lists]) -> dict[str, _Bucket]:
    return {key: _frozen(lists) for key, lists in table.items()}


def _new_lists() -> _Lists:
    return ([], [], [], [])


class ActionIndex:
    """Every statement of a set filed by the actions it names; fixed at construction but for its cache."""

    __slots__ = (
        "_always",
        "_always_by_resource",
        "_cache",
        "_exact",
        "_service_heads",
        "_service_rest",
        "_use_index",
    )

    _cache: dict[tuple[str, str | None], Candidates]
    _exact: Mapping[str, _Bucket]
    #: A service's wildcard statements: by ``service:c`` head, and those no head decides.
    _service_heads: Mapping[str, _Bucket]
    _service_rest: Mapping[str, _Bucket]
    _always: _Bucket
    _always_by_resource: Mapping[str, _Bucket]

    def __init__(self, candidates: Iterable[Candidate], *, use_index: bool = True) -> None:
        """File ``candidates``; with ``use_index=False`` each is an always-candidate that needs its action test."""
        self._use_index = use_index
        self._cache = {}
        exact: dict[str, _Lists] = {}
        heads: dict[str, _Lists] = {}
        rest: dict[str, _Lists] = {}
        always = _new_lists()
        by_resource: dict[str, _Lists] = {}
        for candidate in candidates:
            statement = candidate[0]
            # The list index: 0/1 Deny without/with the action test, 2/3 the same for Allow.
            side = 0 if statement.deny else 2
            keys = statement.keys
            if not use_index:
                always[side + 1].append(candidate)
                continue
            if keys.always:
                lane = side if statement.every_action else side + 1
                services_of_resource = None if statement.resource is None else statement.resource.services
                if services_of_resource is None:
                    always[lane].append(candidate)
                for service in services_of_resource or ():
                    by_resource.setdefault(service, _new_lists())[lane].append(candidate)
                continue
            for action in keys.exact:
                lists = exact.get(action)
                if lists is None:
                    lists = exact[action] = ([], [], [], [])
                lists[side].append(candidate)
            if not keys.services:
                continue
            head_keys = dict(keys.heads)
            for service, needs_test in keys.services:
                lane = side + 1 if needs_test else side
                for head in head_keys.get(service, ()):
                    heads.setdefault(head, _new_lists())[lane].append(candidate)
                if service not in head_keys:
                    rest.setdefault(service, _new_lists())[lane].append(candidate)
        self._exact = _freeze_all(exact)
        self._service_heads = _freeze_all(heads)
        self._service_rest = _freeze_all(rest)
        self._always = _frozen(always)
        self._always_by_resource = _freeze_all(by_resource)

    def clear_cache(self) -> None:
        """Forget every cached candidate list."""
        self._cache = {}

    def resource_key(self, resource: str) -> str | None:
        """The key :meth:`candidates` wants for ``resource``: its ARN service when the index splits by it."""
        if not self._always_by_resource:
            return None
        return resource_service(resource)

    def for_call(self, action: str, resource: str) -> Candidates:
        """:meth:`candidates` for lowercased ``action`` on ``resource`` itself, a cached answer in one call.

        The public API's direct path asks this on every new call: :meth:`resource_key` is inlined.
        """
        service = None
        if self._always_by_resource:
            fields = resource.split(":", 3)
            if len(fields) == 4 and fields[0] == "arn":
                service = fields[2]
        found = self._cache.get((action, service))
        if found is not None and not found.unfiled:
            return found
        return self.candidates(action, service)

    def candidates(self, action: str, resource_key: str | None) -> Candidates:
        """The candidates for lowercased ``action`` on a resource of ARN service ``resource_key``."""
        key = (action, resource_key)
        found = self._cache.get(key)
        if found is not None:
            if found.unfiled:
                # Asked again: now filing by head pays (a first, cold request only scans the list).
                found = self._cache[key] = replace(
                    _by_head(list(found.denies), list(found.allows)), context_keys=found.context_keys
                )
            return found
        service, colon, name = action.partition(":")
        # A service's wildcard statements are split by the action's first name character when every pattern
        # fixes it: the statements filed under other heads would fail the action test anyway.
        buckets = (
            self._exact.get(action, _EMPTY_BUCKET),
            self._service_rest.get(service, _EMPTY_BUCKET) if colon else _EMPTY_BUCKET,
            self._service_heads.get(action[: len(service) + 2], _EMPTY_BUCKET) if name else _EMPTY_BUCKET,
            self._always,
            self._always_by_resource.get(resource_key, _EMPTY_BUCKET) if resource_key is not None else _EMPTY_BUCKET,
        )
        denies: list[Candidate] = []
        allows: list[Candidate] = []
        keys: set[str] = set()
        # Candidate order does not matter: results sort their statements and keys.
        for bucket in buckets:
            if bucket is _EMPTY_BUCKET:
                continue
            for side, untested, tested in ((denies, bucket[0], bucket[1]), (allows, bucket[2], bucket[3])):
                for candidate in untested:
                    side.append(candidate)
                    if candidate[0].context_keys:
                        keys.update(candidate[0].context_keys)
                for candidate in tested:
                    statement = candidate[0]
                    if not statement.action_test(action):
                        continue
                    side.append(candidate)
                    if statement.context_keys:
                        keys.update(statement.context_keys)
        context_keys = tuple(sorted(keys)) if keys else ()
        long = self._use_index and len(denies) + len(allows) >= _HEAD_INDEX_MIN
        found = Candidates(tuple(denies), tuple(allows), context_keys, unfiled=long)
        if len(self._cache) >= ACTION_CACHE_SIZE:
            self._cache = {}
        self._cache[key] = found
        return found

    def offered(self, action: str, resource: str) -> list[Candidate]:
        """Every candidate filed for lowercased ``action``'s service, whatever its head (tooling view)."""
        service, colon, _ = action.partition(":")
        buckets = [self._exact.get(action, _EMPTY_BUCKET), self._always]
        if self._always_by_resource:
            resource_key = resource_service(resource)
            if resource_key is not None:
                buckets.append(self._always_by_resource.get(resource_key, _EMPTY_BUCKET))
        if colon:
            buckets.append(self._service_rest.get(service, _EMPTY_BUCKET))
            prefix = service + ":"
            buckets.extend(bucket for head, bucket in self._service_heads.items() if head.startswith(prefix))
        return [candidate for bucket in buckets for candidates in bucket for candidate in candidates]
