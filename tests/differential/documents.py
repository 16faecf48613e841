"""Policy sets kept as JSON documents, so laws can edit them and re-parse.

The strategies produce :class:`Scenario` values: a request plus a
:class:`PolicySetDocs` whose documents are plain JSON-able dicts. Editing the
documents (adding a statement, reordering) and parsing again keeps statement
indexes honest, which editing parsed :class:`~iamsim._policy.model.Policy`
objects would not.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from iamsim._engine.policy_set import PolicySet
from iamsim._engine.request import Request
from iamsim._policy.model import Policy, PolicyKind
from iamsim._policy.parse import parse_policy

__all__ = ["Doc", "Location", "PolicySetDocs", "Scenario", "statements_of"]

#: A policy document as JSON-able data.
Doc = dict[str, Any]
#: Where a document sits in a :class:`PolicySetDocs`:
#: ``("identity", i)``, ``("resource",)``, ``("boundary",)``, ``("session", i)``,
#: ``("scp", level, i)`` or ``("rcp", level, i)``.
Location = tuple[Any, ...]


def statements_of(doc: Doc) -> list[dict[str, Any]]:
    """The statements of ``doc`` as a list (``Statement`` may be one object)."""
    body = doc["Statement"]
    return list(body) if isinstance(body, list) else [body]


@dataclass(frozen=True)
class PolicySetDocs:
    """The documents of a :class:`~iamsim._engine.policy_set.PolicySet`, slot by slot."""

    identity: tuple[Doc, ...] = ()
    resource: Doc | None = None
    resource_kind: PolicyKind = PolicyKind.RESOURCE
    boundary: Doc | None = None
    session: tuple[Doc, ...] | None = None
    scp_levels: tuple[tuple[Doc, ...], ...] = ()
    rcp_levels: tuple[tuple[Doc, ...], ...] = ()
    #: Display names of the identity policies (they travel with their documents).
    identity_names: tuple[str, ...] = ()

    def build(self) -> PolicySet:
        """Parse every document and assemble the policy set."""
        names = self.identity_names or tuple(f"identity-{i}" for i in range(len(self.identity)))
        return PolicySet(
            identity=tuple(_parse(d, PolicyKind.IDENTITY, n) for d, n in zip(self.identity, names, strict=True)),
            resource=None if self.resource is None else _parse(self.resource, self.resource_kind, "resource"),
            boundary=None if self.boundary is None else _parse(self.boundary, PolicyKind.BOUNDARY, "boundary"),
            session=None
            if self.session is None
            else tuple(_parse(d, PolicyKind.SESSION, f"session-{i}") for i, d in enumerate(self.session)),
            scp_levels=tuple(
                tuple(_parse(d, PolicyKind.SCP, f"scp-{lv}-{i}") for i, d in enumerate(level))
                for lv, level in enumerate(self.scp_levels)
            ),
            rcp_levels=tuple(
                tuple(_parse(d, PolicyKind.RCP, f"rcp-{lv}-{i}") for i, d in enumerate(level))
                for lv, level in enumerate(self.rcp_levels)
            ),
        )

    def locations(self) -> Iterator[tuple[Location, PolicyKind]]:
        """Every document's location with the kind it is parsed as."""
        for lv, level in enumerate(self.scp_levels):
            for i in range(len(level)):
                yield ("scp", lv, i), PolicyKind.SCP
        for lv, level in enumerate(self.rcp_levels):
            for i in range(len(level)):
                yield ("rcp", lv, i), PolicyKind.RCP
        if self.resource is not None:
            yield ("resource",), self.resource_kind
        for i in range(len(self.identity)):
            yield ("identity", i), PolicyKind.IDENTITY
        if self.boundary is not None:
            yield ("boundary",), PolicyKind.BOUNDARY
        for i in range(len(self.session or ())):
            yield ("session", i), PolicyKind.SESSION

    def get(self, where: Location) -> Doc:
        """The document at ``where``."""
        slot = where[0]
        if slot in ("resource", "boundary"):
            doc: Doc | None = getattr(self, slot)
            if doc is None:
                raise LookupError(f"no {slot} policy")
            return doc
        if slot in ("identity", "session"):
            docs: tuple[Doc, ...] = getattr(self, slot) or ()
            return docs[where[1]]
        levels: tuple[tuple[Doc, ...], ...] = getattr(self, f"{slot}_levels")
        return levels[where[1]][where[2]]

    def replace(self, where: Location, doc: Doc) -> PolicySetDocs:
        """A copy with the document at ``where`` replaced by ``doc``."""
        slot = where[0]
        changes: dict[str, Any]
        if slot in ("resource", "boundary"):
            changes = {slot: doc}
        elif slot in ("identity", "session"):
            docs = list(getattr(self, slot) or ())
            docs[where[1]] = doc
            changes = {slot: tuple(docs)}
        else:
            levels = [list(level) for level in getattr(self, f"{slot}_levels")]
            levels[where[1]][where[2]] = doc
            changes = {f"{slot}_levels": tuple(tuple(level) for level in levels)}
        return dataclasses.replace(self, **changes)

    def with_statement(self, where: Location, statement: dict[str, Any], at: int) -> PolicySetDocs:
        """A copy with ``statement`` inserted at position ``at`` of the document at ``where``."""
        doc = copy.deepcopy(self.get(where))
        body = statements_of(doc)
        body.insert(min(at, len(body)), statement)
        doc["Statement"] = body
        return self.replace(where, doc)

    def to_json(self) -> str:
        """The documents as indented JSON, for failure notes."""
        data = {
            "identity": list(self.identity),
            f"{self.resource_kind.value}": self.resource,
            "boundary": self.boundary,
            "session": None if self.session is None else list(self.session),
            "scp_levels": [list(level) for level in self.scp_levels],
            "rcp_levels": [list(level) for level in self.rcp_levels],
        }
        return json.dumps(data, indent=1)


@dataclass(frozen=True)
class Scenario:
    """A request with the policy documents that apply to it."""

    principal_name: str
    request: Request
    docs: PolicySetDocs

    @property
    def policy_set(self) -> PolicySet:
        """The parsed policy set."""
        return self.docs.build()

    def describe(self) -> str:
        """The scenario as text: the request, then the policies as JSON."""
        req = self.request
        return (
            f"principal {self.principal_name} ({req.principal.arn})\n"
            f"action {req.action!r} resource {req.resource!r} resource_account {req.resource_account!r}\n"
            f"context {dict(req.context)!r}\n{self.docs.to_json()}"
        )


def _parse(doc: Doc, kind: PolicyKind, name: str) -> Policy:
    return parse_policy(doc, kind, name=name)
