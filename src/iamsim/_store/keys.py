"""Credentials of one account: access keys (the root user's too) and virtual MFA devices (§H, §G.9)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace

from iamsim._store.account_data import found
from iamsim._store.ids import IdPrefix
from iamsim._store.messages import delete_conflict, no_such_entity, quota
from iamsim._store.owned_credentials import OwnedCredentials
from iamsim._store.records import AccessKey, MfaDevice
from iamsim._store.validation import Tags, check_name, check_path
from iamsim.errors import EntityAlreadyExistsError, NoSuchEntityError, ValidationError

__all__ = ["Keys"]


class Keys(OwnedCredentials[AccessKey]):
    """The access keys and MFA devices of one account."""

    def create_access_key(self, user_name: str | None) -> AccessKey:
        """CreateAccessKey for a user (or the root user when ``user_name`` is ``None``); at most 2."""
        owner = self._store.users.get_user(user_name).name if user_name is not None else None
        if sum(1 for k in self._data.keys.values() if k.user_name == owner) >= 2:
            raise quota("AccessKeysPerUser", 2)
        key = AccessKey(
            self._data.ids.access_key_id(IdPrefix.ACCESS_KEY),
            self._data.ids.secret_access_key(),
            owner,
            "Active",
            self._data.now(),
        )
        return self._data.put(self._data.keys, key.access_key_id, key)

    def _table(self) -> dict[str, AccessKey]:
        return self._data.keys

    def _not_found(self, credential_id: str, owner: str | None) -> NoSuchEntityError:
        return no_such_entity("access-key", credential_id)

    def update_access_key(self, user_name: str | None, access_key_id: str, status: str) -> None:
        """UpdateAccessKey: ``Active`` or ``Inactive`` (an inactive key stops working at once)."""
        self._set_status(user_name, access_key_id, status)

    def delete_access_key(self, user_name: str | None, access_key_id: str) -> None:
        """DeleteAccessKey; the key id is remembered as retired (§H)."""
        self._data.retired_keys.add(self._delete(user_name, access_key_id).access_key_id)

    def list_access_keys(self, user_name: str | None) -> tuple[AccessKey, ...]:
        """ListAccessKeys."""
        owner = self._store.users.get_user(user_name).name if user_name is not None else None
        return tuple(k for k in self._data.keys.values() if k.user_name == owner)

    def find_access_key(self, access_key_id: str) -> AccessKey | None:
        """The access key with that id, or ``None``."""
        return self._data.keys.get(access_key_id)

    def is_retired_key(self, access_key_id: str) -> bool:
        """Whether this store once held a key with that id (deleted, or dropped by :meth:`load_state`)."""
        return access_key_id in self._data.retired_keys

    def create_virtual_mfa_device(
        self, name: str, seed_base32: str | Callable[[], str], *, path: str = "/"
    ) -> MfaDevice:
        """CreateVirtualMFADevice with the seed the caller supplies.

        ``seed_base32`` may be a function drawing the seed: it is called only
        once every check passed, so a failed call draws nothing from the
        simulator's random source (a failed call changes nothing).
        """
        check_name(name, "virtualMFADeviceName", 226)
        check_path(path)
        serial = self._data.arn("mfa", path, name)
        if serial in self._data.mfa:
            raise EntityAlreadyExistsError("MFADevice entity at the same path and name already exists.")
        seed = seed_base32 if isinstance(seed_base32, str) else seed_base32()
        device = MfaDevice(serial, seed, self._data.now())
        return self._data.put(self._data.mfa, serial, device)

    def get_mfa_device(self, serial_number: str) -> MfaDevice:
        """The virtual MFA device with that serial number."""
        return found(
            self._data.mfa, serial_number, f"VirtualMFADevice with serial number {serial_number} doesn't exist."
        )

    def enable_mfa_device(self, user_name: str, serial_number: str) -> None:
        """EnableMFADevice (the caller has checked the two codes)."""
        user = self._store.users.get_user(user_name)
        device = self.get_mfa_device(serial_number)
        if device.user_name is not None:
            raise EntityAlreadyExistsError("MFA Device is already in use.")
        if len(user.mfa_devices) >= 8:
            raise quota("MFADevicesPerUser", 8)
        self._data.mfa[serial_number] = replace(device, user_name=user.name, enable_date=self._data.now())
        self._data.put(
            self._data.users, user.name.lower(), replace(user, mfa_devices=(*user.mfa_devices, serial_number))
        )

    def deactivate_mfa_device(self, user_name: str, serial_number: str) -> None:
        """DeactivateMFADevice."""
        user = self._store.users.get_user(user_name)
        device = self.get_mfa_device(serial_number)
        if device.user_name != user.name:
            raise NoSuchEntityError(f"MFA Device with serial number {serial_number} does not exist.")
        self._data.mfa[serial_number] = replace(device, user_name=None, enable_date=None)
        self._data.users[user.name.lower()] = replace(
            user, mfa_devices=tuple(s for s in user.mfa_devices if s != serial_number)
        )
        self._data.bump()

    def delete_virtual_mfa_device(self, serial_number: str) -> None:
        """DeleteVirtualMFADevice: it must be deactivated first."""
        device = self.get_mfa_device(serial_number)
        if device.user_name is not None:
            raise delete_conflict("mfa-enabled")
        del self._data.mfa[serial_number]
        self._data.bump()

    def list_mfa_devices(self, user_name: str) -> tuple[MfaDevice, ...]:
        """ListMFADevices."""
        user = self._store.users.get_user(user_name)
        return tuple(self._data.mfa[s] for s in user.mfa_devices)

    def tag_mfa_device(self, serial_number: str, tags: Tags | Mapping[str, str], *, remove: Iterable[str] = ()) -> None:
        """TagMFADevice / UntagMFADevice."""
        device = self.get_mfa_device(serial_number)
        self._data.retag(self._data.mfa, serial_number, device, tags, remove)

    def list_virtual_mfa_devices(self, assignment_status: str = "Any") -> tuple[MfaDevice, ...]:
        """ListVirtualMFADevices: ``Assigned``, ``Unassigned`` or ``Any``, by serial number."""
        if assignment_status not in ("Assigned", "Unassigned", "Any"):
            raise ValidationError(
                f"1 validation error detected: Value '{assignment_status}' at 'assignmentStatus' failed to satisfy "
                "constraint: Member must satisfy enum value set: [Assigned, Unassigned, Any]"
            )
        devices = [self._data.mfa[s] for s in sorted(self._data.mfa)]
        if assignment_status == "Assigned":
            return tuple(d for d in devices if d.user_name is not None)
        if assignment_status == "Unassigned":
            return tuple(d for d in devices if d.user_name is None)
        return tuple(devices)

    def user_mfa_device(self, user_name: str, serial_number: str) -> MfaDevice:
        """The MFA device ``serial_number`` enabled for ``user_name`` (``NoSuchEntity`` otherwise)."""
        user = self._store.users.get_user(user_name)
        device = self._data.mfa.get(serial_number)
        if device is None or device.user_name != user.name:
            raise NoSuchEntityError(f"MFA Device with serial number {serial_number} does not exist.")
        return device
