"""EC2 instance profiles of one account, each with at most one role (§H.5)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from iamsim._store.account_data import StoreFamily, find
from iamsim._store.ids import IdPrefix
from iamsim._store.messages import no_such_entity, quota
from iamsim._store.records import InstanceProfile
from iamsim._store.validation import Tags, check_name, check_path, normalise_tags

__all__ = ["InstanceProfiles"]


class InstanceProfiles(StoreFamily):
    """The instance profiles of one account."""

    def create_instance_profile(
        self, name: str, *, path: str = "/", tags: Tags | Mapping[str, str] | None = None
    ) -> InstanceProfile:
        """CreateInstanceProfile."""
        check_name(name, "instanceProfileName", 128)
        check_path(path)
        tag_list = normalise_tags(tags)
        self._data.check_new(self._data.profiles, "instance-profile", name)
        profile = InstanceProfile(
            *self._data.new_entity("instance-profile", IdPrefix.INSTANCE_PROFILE, name, path), (), tag_list
        )
        return self._data.add(self._data.profiles, profile)

    def get_instance_profile(self, name: str) -> InstanceProfile:
        """GetInstanceProfile."""
        return find(self._data.profiles, "instance-profile", name)

    def list_instance_profiles(self) -> tuple[InstanceProfile, ...]:
        """ListInstanceProfiles, sorted by name."""
        return tuple(sorted(self._data.profiles.values(), key=lambda p: p.name.lower()))

    def list_instance_profiles_for_role(self, role_name: str) -> tuple[InstanceProfile, ...]:
        """ListInstanceProfilesForRole."""
        role = self._store.roles.get_role(role_name)
        return tuple(p for p in self.list_instance_profiles() if role.name in p.roles)

    def add_role_to_instance_profile(self, profile_name: str, role_name: str) -> None:
        """AddRoleToInstanceProfile: one role per profile, fixed (§H.5)."""
        profile = self.get_instance_profile(profile_name)
        role = self._store.roles.get_role(role_name)
        self._data.guard("iam:AddRoleToInstanceProfile", role.arn, role.name)
        if profile.roles:
            raise quota("InstanceSessionsPerInstanceProfile", 1)
        self._data.put(self._data.profiles, profile.name.lower(), replace(profile, roles=(role.name,)))

    def remove_role_from_instance_profile(self, profile_name: str, role_name: str) -> None:
        """RemoveRoleFromInstanceProfile."""
        profile = self.get_instance_profile(profile_name)
        role = self._store.roles.get_role(role_name)
        if role.name not in profile.roles:
            raise no_such_entity("role", role_name)
        self._data.put(self._data.profiles, profile.name.lower(), replace(profile, roles=()))

    def delete_instance_profile(self, name: str) -> None:
        """DeleteInstanceProfile: the profile must hold no role (§H.5)."""
        profile = self.get_instance_profile(name)
        self._data.remove(self._data.profiles, profile, {"instance-profiles": bool(profile.roles)})

    def tag_instance_profile(self, name: str, tags: Tags | Mapping[str, str], *, remove: Iterable[str] = ()) -> None:
        """TagInstanceProfile / UntagInstanceProfile."""
        profile = self.get_instance_profile(name)
        self._data.retag(self._data.profiles, profile.name.lower(), profile, tags, remove)
