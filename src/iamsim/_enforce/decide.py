"""The decision: may this caller make this call to another service? (§F, with the service's table).

:class:`Authorizer` turns one API call (service, operation, parameters, region) of an
authenticated caller into the IAM requests its table names and evaluates each with the
simulator (``Simulator.evaluate``: identity, boundary, session, organization policies),
together with the target's resource-based policy, owner and tags from ``sim.resources``
(:func:`~iamsim._enforce.governing.governing_inputs`, which ``iamsim.testing`` reads too). Every
request must be allowed; the first denied one is the call's denial, explained and kept in
``sim.resources.denials``. The request context carries the global keys AWS sets
(``aws:SecureTransport``, ``aws:RequestedRegion``, ``aws:SourceIp``, ``aws:RequestTag/*``,
``aws:TagKeys``, ``aws:ResourceTag/*``, and ``ec2:ResourceTag/*``-style service tag keys where
the service reference lists them for the action) and the service keys the table reads from the
parameters. An operation no table maps is refused unless ``allow_unmapped=True``, which
logs every call it lets through. Transports (the boto3 hook, an HTTP server) decode a
request to (service, operation, params) and call :meth:`Authorizer.decide`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from iamsim._enforce.governing import governing_inputs
from iamsim._enforce.remembered import AllowedCalls, frozen_params
from iamsim._enforce.services import TABLES
from iamsim._enforce.table import Need, ServiceTable, Where
from iamsim._engine.result import EvaluationResult
from iamsim._simulator import Simulator
from iamsim._simulator.core import core_of
from iamsim._simulator.resources import DeniedCall
from iamsim._sts.caller import Caller
from iamsim.errors import NoSuchEntityError, UsageError

__all__ = ["DEFAULT_SOURCE_IP", "Authorizer", "Verdict"]

#: ``aws:SourceIp`` of in-process calls unless configured otherwise.
DEFAULT_SOURCE_IP = "127.0.0.1"

_log = logging.getLogger("iamsim.enforce")


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of one call: allowed, or the denial (with the explained result when a policy decided)."""

    allowed: bool
    denial: DeniedCall | None = None
    #: Whether the call was let through only because ``allow_unmapped`` was set.
    unmapped: bool = False


_ALLOWED = Verdict(True)


def unmapped_message(service: str, operation: str) -> str:
    """The refusal of an operation no table maps, naming how to supply a mapping."""
    return (
        f"iamsim has no authorization mapping for {service}:{operation}, so the call is refused."
        f" Map it with iamsim.boto3.attach(sim, mappings={{{service!r}: {{{operation!r}:"
        " (need('ACTION', 'ARN-TEMPLATE'),)}}) (need is iamsim.boto3.need), or opt in to letting unmapped calls"
        " through with allow_unmapped=True (logged)."
    )


class Authorizer:
    """Authorize calls to other services for one simulator (see the module documentation)."""

    def __init__(
        self,
        simulator: Simulator,
        *,
        source_ip: str = DEFAULT_SOURCE_IP,
        allow_unmapped: bool = False,
        mappings: Mapping[str, Mapping[str, tuple[Need, ...]]] | None = None,
    ) -> None:
        if not isinstance(source_ip, str) or not source_ip:
            raise UsageError(f"source_ip {source_ip!r} is not an IP address")
        self.simulator = simulator
        self.source_ip = source_ip
        self.allow_unmapped = allow_unmapped
        self._tables: dict[str, ServiceTable] = dict(TABLES)
        #: Moves on every change to the tables, so no remembered decision outlives the mapping it used.
        self._version = 0
        self._allowed = AllowedCalls(simulator)
        for service, operations in (mappings or {}).items():
            self.register(service, operations)

    def register(self, service: str, operations: Mapping[str, tuple[Need, ...]]) -> None:
        """Add or replace the mapping of ``operations`` of ``service`` (a botocore service name)."""
        if not isinstance(service, str) or not service:
            raise UsageError(f"service {service!r} is not a botocore service name")
        table = self._tables.get(service) or ServiceTable(service, {})
        self._tables[service] = table.with_operations(operations)
        self._version += 1

    def table(self, service: str) -> ServiceTable | None:
        """The table used for ``service``, or ``None``."""
        return self._tables.get(service)

    def decide(
        self,
        caller: Caller,
        service: str,
        operation: str,
        params: Mapping[str, Any],
        region: str,
        *,
        secure_transport: bool = True,
        source_ip: str | None = None,
        now: datetime | None = None,
    ) -> Verdict:
        """Authorize one call of ``caller``; never raises for a denial (see :class:`Verdict`).

        A call allowed before under an unchanged world, records, mapping and second is
        allowed again without evaluating it (:mod:`iamsim._enforce.remembered`). ``now``:
        the simulator's clock as the transport read it for this request (read here if not given).
        """
        ip = source_ip or self.source_ip
        frozen = frozen_params(params)
        if frozen is None:
            verdict, _ = self._decide(caller, service, operation, params, region, secure_transport, ip)
            return verdict
        key = (id(caller), service, operation, region, secure_transport, ip, frozen)
        allowed = self._allowed
        hit, before = allowed.repeat(key, caller, self._version, now)
        if hit:
            return _ALLOWED
        verdict, requests = self._decide(caller, service, operation, params, region, secure_transport, ip)
        if verdict.allowed and not verdict.unmapped:
            allowed.remember(key, caller, before, requests, self._version)
        return verdict

    def _decide(
        self,
        caller: Caller,
        service: str,
        operation: str,
        params: Mapping[str, Any],
        region: str,
        secure_transport: bool,
        source_ip: str,
    ) -> tuple[Verdict, list[tuple[str, str]]]:
        """The verdict, evaluated, and the (action, resource) requests it allowed."""
        table = self._tables.get(service)
        needs = None if table is None else table.needs(operation)
        arn = caller.principal.arn
        if table is None or needs is None:
            if self.allow_unmapped:
                _log.warning("iamsim let an unmapped call through (allow_unmapped=True): %s:%s", service, operation)
                return Verdict(True, unmapped=True), []
            return self._deny(
                service, operation, arn, f"{service}:{operation}", "*", unmapped_message(service, operation)
            ), []
        sim = self.simulator
        resources = sim.resources
        account = caller.account or sim.default_account
        where = Where(sim.partition, region, account, resources.fact, _profile_roles(sim, account))
        try:
            facts = {"partition": where.partition, "region": region, "account": where.account}
            values = {**facts, **params, **table.derive(operation, params, where)}
            requests = [(n, r) for n in needs if _applies(n, values) for r in n.resources(values)]
        except UsageError as error:
            return self._deny(service, operation, arn, f"{service}:{operation}", "*", str(error)), []
        base = {
            "aws:SecureTransport": secure_transport,
            "aws:RequestedRegion": region,
            "aws:SourceIp": source_ip,
        }
        tags = values.get("request_tags")
        if isinstance(tags, Mapping) and tags:
            base.update({f"aws:RequestTag/{k}": v for k, v in tags.items()})
            base["aws:TagKeys"] = list(tags)
        extra = values.get("context")
        if isinstance(extra, Mapping):
            base.update(extra)
        allowed: list[tuple[str, str]] = []
        for item, resource in requests:
            context = dict(base)
            for key, name in item.keys.items():
                value = values.get(name)
                if value is not None:
                    context[key] = value if isinstance(value, (str, bool, list)) else str(value)
            policy, owner, tag_context = governing_inputs(sim, item.action, resource)
            if tag_context:
                context.update(tag_context)
            result = sim.evaluate(
                caller, item.action, resource, context=context, resource_policy=policy, resource_account=owner
            )
            if not result.allowed:
                explained = _explain(sim, caller, item.action, resource, context, policy, owner)
                denied = self._deny(service, operation, arn, item.action, resource, explained.message(), explained)
                return denied, allowed
            allowed.append((item.action, resource))
        return _ALLOWED, allowed

    def _deny(
        self,
        service: str,
        operation: str,
        caller: str,
        action: str,
        resource: str,
        message: str,
        result: EvaluationResult | None = None,
    ) -> Verdict:
        denial = DeniedCall(service, operation, caller, action, resource, "AccessDenied", message, result)
        self.simulator.resources.record_denial(denial)
        return Verdict(False, denial)


def _explain(
    sim: Simulator,
    caller: Caller,
    action: str,
    resource: str,
    context: Mapping[str, object],
    policy: str | None,
    owner: str | None,
) -> EvaluationResult:
    """The denied request again, explained, without logging it a second time."""
    core = core_of(sim)
    with core.lock:
        parsed = core.decisions.resource_policy(policy)
        return core.decisions.evaluate_checked(caller, action, resource, context, parsed, owner, True, core.now())


def _profile_roles(sim: Simulator, account: str) -> Callable[[str], tuple[str, ...]]:
    """The lookup of an instance profile's roles in iamsim's IAM (an ARN names the profile's own account)."""

    def roles(profile: str) -> tuple[str, ...]:
        fields = profile.split(":")
        owner = fields[4] if profile.startswith("arn:") and len(fields) > 5 else account
        name = profile.rsplit("/", 1)[-1]
        try:
            found = sim.get_instance_profile(name, account_id=owner)
            return tuple(sim.get_role(role, account_id=owner).arn for role in found.roles)
        except NoSuchEntityError:
            # No such profile: there is no role to pass, and EC2 refuses the launch itself.
            return ()

    return roles


def _applies(item: Need, values: Mapping[str, Any]) -> bool:
    if item.when is None:
        return True
    value = values.get(item.when)
    return value is not None and value != [] and value != ""
