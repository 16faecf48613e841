"""Snapshots of a whole simulated world as versioned JSON (written atomically).

The JSON is canonical (sorted keys, fixed separators) and every collection is
written in a stable order, so snapshot -> restore -> snapshot is byte-identical.
The clock is not part of a world (it is injected) and neither are caches or
the EC2 metadata service's cached credentials.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iamsim._simulator.ec2 import Instance
from iamsim._simulator.events import Event
from iamsim._store.codec import SnapshotFormatError, decode_list, encode
from iamsim._store.organization import Organization, OrganizationalUnit, OrganizationPolicy
from iamsim._store.records import (
    AccessKey,
    Group,
    InstanceProfile,
    ManagedPolicy,
    MfaDevice,
    OidcProvider,
    PasswordPolicy,
    Role,
    SamlProvider,
    User,
)
from iamsim.errors import InvalidInputError

if TYPE_CHECKING:
    from iamsim._simulator import Simulator

__all__ = ["FORMAT", "VERSION", "dump_world", "load_world", "snapshot_identity", "write_atomically"]

FORMAT = "iamsim-world"
VERSION = 1

_RECORDS: dict[str, type] = {
    "users": User,
    "groups": Group,
    "roles": Role,
    "policies": ManagedPolicy,
    "instance_profiles": InstanceProfile,
    "access_keys": AccessKey,
    "mfa_devices": MfaDevice,
    "oidc_providers": OidcProvider,
    "saml_providers": SamlProvider,
    "password_policy": PasswordPolicy,
}


def dump_world(sim: Simulator) -> str:
    """The world as canonical JSON text."""
    version, internal, gauss = sim._rng.getstate()
    org = sim._org
    state: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "seed": sim._seed,
        "partition": sim._partition,
        "default_account": sim.default_account,
        "rng": [version, list(internal), gauss],
        "accounts": [encode_store(sim._stores[a].state()) for a in sorted(sim._stores)],
        "organization": None if org is None else {k: encode(v) for k, v in org.state().items()},
        "sts": sim._sts.state(),
        "jwks": {k: sim._jwks[k] for k in sorted(sim._jwks)},
        "instances": [encode(sim._instances[i]) for i in sorted(sim._instances)],
        "events": {"limit": sim._events.limit, "next": sim._events.next_seq, "items": [encode(e) for e in sim._events]},
    }
    return json.dumps(state, sort_keys=True, separators=(",", ":"), ensure_ascii=True) + "\n"


def encode_store(state: dict[str, Any]) -> dict[str, Any]:
    """An account store's state as JSON values."""
    return {k: encode(v) for k, v in state.items()}


def _read(text: str) -> dict[str, Any]:
    try:
        state = json.loads(text)
    except ValueError as error:
        raise SnapshotFormatError(f"snapshot is not JSON: {error}") from None
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise SnapshotFormatError("not an iamsim world snapshot")
    if state.get("version") != VERSION:
        raise SnapshotFormatError(f"unsupported snapshot version {state.get('version')!r}")
    return state


def snapshot_identity(text: str) -> tuple[int, str]:
    """The seed and partition a snapshot was taken with."""
    state = _read(text)
    seed, partition = state.get("seed"), state.get("partition")
    if not isinstance(seed, int) or not isinstance(partition, str):
        raise SnapshotFormatError("malformed snapshot: no seed or partition")
    return seed, partition


def load_world(sim: Simulator, text: str) -> None:
    """Replace ``sim``'s world with the one in ``text``."""
    state = _read(text)
    try:
        version, internal, gauss = state["rng"]
        sim._rng.setstate((version, tuple(internal), gauss))
        sim.default_account = state["default_account"]
        sim._stores.clear()
        for account in state["accounts"]:
            store = sim._new_store(account["account_id"])
            # Kinds of record added after a snapshot was written are simply absent from it.
            decoded: dict[str, Any] = {k: decode_list(cls, account.get(k, [])) for k, cls in _RECORDS.items()}
            decoded["generation"] = account["generation"]
            decoded["aliases"] = account["aliases"]
            store.load_state(decoded)
        org = state["organization"]
        if org is None:
            sim._org = None
            sim._changes.bump()
        else:
            org_state = dict(org)
            org_state["ous"] = decode_list(OrganizationalUnit, org["ous"])
            org_state["policies"] = decode_list(OrganizationPolicy, org["policies"])
            sim._org = Organization.from_state(org_state, ids=sim._ids, changes=sim._changes)
        sim._sts.load_state(state["sts"])
        sim._jwks = dict(state["jwks"])
        sim._instances = {i.instance_id: i for i in decode_list(Instance, state["instances"])}
        sim._instance_credentials = {}
        events = state["events"]
        sim._events.load(decode_list(Event, events["items"]), int(events["next"]))
    except (KeyError, TypeError, ValueError) as error:
        raise SnapshotFormatError(f"malformed snapshot: {error!r}") from None
    sim._sets.clear()
    sim._trust.clear()
    sim._compiled.clear()


def write_atomically(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same directory and ``os.replace``."""
    target = Path(path)
    if not target.parent.is_dir():
        raise InvalidInputError(f"cannot write snapshot {target}: directory {target.parent} does not exist")
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or Path("."))
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
