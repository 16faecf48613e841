"""Snapshots of a whole simulated world as versioned JSON (written atomically).

The JSON is canonical (sorted keys, fixed separators) and every collection is
written in a stable order, so snapshot -> restore -> snapshot is byte-identical.
The clock is not part of a world (it is injected) and neither are caches or
the EC2 metadata service's cached credentials. The event log's limit is, so a
restored simulator keeps as many events as the one snapshotted.

Restoring builds a fresh simulator and returns it only when every part was
read; a damaged snapshot raises :class:`SnapshotFormatError` naming the place.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iamsim._simulator.ec2 import Instance
from iamsim._simulator.events import Event
from iamsim._simulator.resources import ResourceRecords
from iamsim._sources.documents import parse_json_text, read_text
from iamsim._store.codec import decode_list, encode
from iamsim._store.delegation_requests import DelegationPolicyTemplate, DelegationRequest
from iamsim._store.last_accessed import LastAccessedJob
from iamsim._store.org_access_reports import OrganizationsAccessReport
from iamsim._store.organization import Organization, OrganizationalUnit, OrganizationPolicy
from iamsim._store.records import SNAPSHOT_RECORDS
from iamsim._store.workload_identity_outbound import OutboundFederationState
from iamsim._store.workload_identity_providers import WorkloadIdentityDeletionTask, WorkloadIdentityProvider
from iamsim._store.workload_identity_templates import WorkloadIdentityTemplate
from iamsim.errors import InvalidInputError, SnapshotFormatError, UsageError

if TYPE_CHECKING:
    from iamsim._simulator.core import Core

__all__ = [
    "FORMAT",
    "MAX_SNAPSHOT_BYTES",
    "VERSION",
    "dump_world",
    "load_world",
    "read_snapshot",
    "snapshot_identity",
    "write_atomically",
]

FORMAT = "iamsim-world"
VERSION = 1

#: The store's snapshot lists and their record types; last-accessed jobs, outbound federation, workload identity
#: and delegation requests live in their own modules (they import the store's base, so records.py cannot name them).
_RECORDS: dict[str, type] = {
    **SNAPSHOT_RECORDS,
    "last_accessed_jobs": LastAccessedJob,
    "org_access_reports": OrganizationsAccessReport,
    "outbound_federation": OutboundFederationState,
    "workload_identity_providers": WorkloadIdentityProvider,
    "workload_identity_templates": WorkloadIdentityTemplate,
    "workload_identity_deletions": WorkloadIdentityDeletionTask,
    "delegation_requests": DelegationRequest,
    "delegation_templates": DelegationPolicyTemplate,
}


def dump_world(core: Core) -> str:
    """The world of a simulator's parts as canonical JSON text."""
    world, events = core.state, core.events
    version, internal, gauss = world.rng.getstate()
    org = world.org
    state: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "seed": world.seed,
        "partition": world.partition,
        "default_account": world.default_account,
        "rng": [version, list(internal), gauss],
        "accounts": [encode_store(world.stores[a].state()) for a in sorted(world.stores)],
        "organization": None if org is None else {k: encode(v) for k, v in org.state().items()},
        "sts": core.sts.state(),
        "token_key": base64.b64encode(core.token_material).decode("ascii"),
        "jwks": {k: world.jwks[k] for k in sorted(world.jwks)},
        "instances": [encode(world.instances[i]) for i in sorted(world.instances)],
        "resources": world.resources.state(),
        "events": {"limit": events.limit, "next": events.next_seq, "items": [encode(e) for e in events]},
    }
    return json.dumps(state, sort_keys=True, separators=(",", ":"), ensure_ascii=True) + "\n"


def encode_store(state: dict[str, Any]) -> dict[str, Any]:
    """An account store's state as JSON values."""
    return {k: encode(v) for k, v in state.items()}


#: The largest snapshot file :func:`read_snapshot` reads (a world of thousands of entities is a few MiB).
MAX_SNAPSHOT_BYTES = 256 * 1024 * 1024

# What a damaged snapshot can raise while its values are rebuilt; each becomes SnapshotFormatError naming the place.
_DAMAGE = (KeyError, IndexError, TypeError, ValueError, AttributeError, OverflowError, SnapshotFormatError)


def _read(text: str) -> dict[str, Any]:
    if not isinstance(text, str):
        raise UsageError(f"a snapshot is JSON text, not {type(text).__name__}")
    try:
        state = parse_json_text(text, "snapshot")
    except InvalidInputError as error:
        raise SnapshotFormatError(f"snapshot is not JSON: {error.message}") from None
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise SnapshotFormatError("not an iamsim world snapshot")
    if state.get("version") != VERSION:
        raise SnapshotFormatError(f"unsupported snapshot version {state.get('version')!r}")
    return state


def read_snapshot(path: str | os.PathLike[str]) -> str:
    """The text of the snapshot file at ``path``, read within bounds; the library's error for any failure."""
    try:
        return read_text(Path(path), limit=MAX_SNAPSHOT_BYTES)
    except InvalidInputError as error:
        raise UsageError(f"cannot read snapshot {error.message}") from None
    except TypeError:
        raise UsageError(f"a snapshot path must be a str or os.PathLike, not {type(path).__name__}") from None


def snapshot_identity(text: str) -> tuple[int, str, int]:
    """The seed, partition and event limit a snapshot was taken with (what its simulator is built with)."""
    state = _read(text)
    seed, partition, events = state.get("seed"), state.get("partition"), state.get("events")
    limit = events.get("limit") if isinstance(events, dict) else None
    if not isinstance(seed, int) or not isinstance(partition, str):
        raise SnapshotFormatError("malformed snapshot: no seed or partition")
    if not isinstance(limit, int) or isinstance(limit, bool):
        raise SnapshotFormatError("malformed snapshot at events.limit: expected a whole number")
    return seed, partition, limit


@contextmanager
def _at(place: str) -> Iterator[None]:
    """Turn what a damaged value raises into :class:`SnapshotFormatError` naming ``place``."""
    try:
        yield
    except _DAMAGE as error:
        detail = str(error) if isinstance(error, SnapshotFormatError) else f"{type(error).__name__}: {error}"
        raise SnapshotFormatError(f"malformed snapshot at {place}: {detail}") from None


def _field(mapping: Any, key: str, place: str) -> Any:
    if not isinstance(mapping, dict):
        raise SnapshotFormatError(f"malformed snapshot at {place}: expected an object")
    if key not in mapping:
        raise SnapshotFormatError(f"malformed snapshot at {place}: no {key!r}")
    return mapping[key]


def load_world(core: Core, text: str) -> None:
    """Replace the world of a fresh simulator's parts (thrown away on failure) with the one in ``text``.

    Raises :class:`~iamsim._store.codec.SnapshotFormatError` naming the place
    (``accounts[1].roles``, ``events.items``...) of the first damaged value.
    """
    state = _read(text)
    world = core.state
    with _at("rng"):
        version, internal, gauss = _field(state, "rng", "snapshot")
        world.rng.setstate((version, tuple(internal), gauss))
    with _at("default_account"):
        default = _field(state, "default_account", "snapshot")
        if not isinstance(default, str):
            raise SnapshotFormatError("expected a string")
        world.default_account = default
    world.stores.clear()
    accounts = _field(state, "accounts", "snapshot")
    if not isinstance(accounts, list):
        raise SnapshotFormatError("malformed snapshot at accounts: expected a list")
    for n, account in enumerate(accounts):
        place = f"accounts[{n}]"
        with _at(f"{place}.account_id"):
            account_id = _field(account, "account_id", place)
            if not isinstance(account_id, str):
                raise SnapshotFormatError("expected a string")
        decoded: dict[str, Any] = {}
        for key, cls in _RECORDS.items():
            with _at(f"{place}.{key}"):
                # Kinds of record added after a snapshot was written are simply absent from it.
                decoded[key] = decode_list(cls, account.get(key, []))
        for key, kind in (("generation", int), ("aliases", list)):
            with _at(f"{place}.{key}"):
                value = _field(account, key, place)
                if not isinstance(value, kind) or isinstance(value, bool):
                    raise SnapshotFormatError(f"expected {'a whole number' if kind is int else 'a list'}")
                decoded[key] = value
        with _at(f"{place}.retired_access_keys"):
            # Absent from snapshots written before deleted keys were remembered.
            retired = account.get("retired_access_keys", [])
            if not isinstance(retired, list) or not all(isinstance(key, str) for key in retired):
                raise SnapshotFormatError("expected a list of access key ids")
            decoded["retired_access_keys"] = retired
        with _at(f"{place}.created"):
            # Absent from snapshots written before the account's creation time was kept.
            created = account.get("created")
            if created is not None and not isinstance(created, str):
                raise SnapshotFormatError("expected a string")
            if created is not None:
                decoded["created"] = created
        with _at(place):
            world.new_store(account_id).load_state(decoded)
    with _at("organization"):
        org = _field(state, "organization", "snapshot")
        if org is None:
            world.org = None
            world.changes.bump()
        else:
            org_state = dict(org)
            org_state["ous"] = decode_list(OrganizationalUnit, org["ous"])
            org_state["policies"] = decode_list(OrganizationPolicy, org["policies"])
            world.org = Organization.from_state(org_state, ids=world.ids, changes=world.changes)
    with _at("sts"):
        core.sts.load_state(_field(state, "sts", "snapshot"))
    with _at("token_key"):
        # Snapshots written before token keys were random lack it: their key derives from the seed.
        token_key = state.get("token_key")
        if token_key is not None:
            if not isinstance(token_key, str):
                raise SnapshotFormatError("expected base64 text")
            try:
                material = base64.b64decode(token_key, validate=True)
            except (binascii.Error, ValueError):
                raise SnapshotFormatError("expected base64 text") from None
            core.use_token_material(material)
    with _at("jwks"):
        world.jwks = dict(_field(state, "jwks", "snapshot"))
    with _at("instances"):
        world.instances = {i.instance_id: i for i in decode_list(Instance, _field(state, "instances", "snapshot"))}
    world.instance_credentials = {}
    with _at("resources"):
        # Absent from snapshots written before other services' resources were recorded.
        try:
            world.resources = ResourceRecords.from_state(state.get("resources") or {})
        except UsageError as error:
            raise SnapshotFormatError(str(error)) from None
    with _at("events"):
        events = _field(state, "events", "snapshot")
        next_seq = _field(events, "next", "events")
        if not isinstance(next_seq, int) or isinstance(next_seq, bool):
            raise SnapshotFormatError("events.next is not a whole number")
        core.events.load(decode_list(Event, _field(events, "items", "events")), next_seq)
    core.decisions.clear()
    with _at("a part kept untyped (written back as a check)"):
        # Parts restored as plain values (the organization's attachments, say) are only typed when written:
        # writing the world once here turns a damaged one into an error now, not at the caller's next snapshot.
        dump_world(core)


def write_atomically(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same directory and ``os.replace``.

    A path that cannot be written (no such directory, a directory, no
    permission, a full disk) raises :class:`~iamsim.errors.UsageError`
    naming it; the temporary file is removed, and an existing file at ``path``
    is left as it was.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise UsageError(f"a snapshot path must be a str or os.PathLike, not {type(path).__name__}")
    try:
        target = Path(path)
    except TypeError:
        raise UsageError(f"a snapshot path must be a str or os.PathLike, not {type(path).__name__}") from None
    if not target.parent.is_dir():
        raise UsageError(f"cannot write snapshot {target}: directory {target.parent} does not exist")
    if target.is_dir():
        raise UsageError(f"cannot write snapshot {target}: it is a directory")
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise UsageError(f"cannot write snapshot {target}: {error.strerror or error}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise UsageError(f"cannot write snapshot {target}: {error.strerror or error}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
