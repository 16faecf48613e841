"""IAM groups of one account and their members (§H)."""

from __future__ import annotations

from dataclasses import replace

from iamsim._store.account_data import StoreFamily, find, under_path
from iamsim._store.ids import IdPrefix
from iamsim._store.messages import quota
from iamsim._store.records import Group, User
from iamsim._store.validation import check_name, check_path
from iamsim.errors import NoSuchEntityError

__all__ = ["Groups"]


class Groups(StoreFamily):
    """The groups of one account."""

    def create_group(self, name: str, *, path: str = "/") -> Group:
        """CreateGroup."""
        check_name(name, "groupName", 128)
        check_path(path)
        self._data.check_new(self._data.groups, "group", name)
        group = Group(*self._data.new_entity("group", IdPrefix.GROUP, name, path))
        return self._data.add(self._data.groups, group)

    def get_group(self, name: str) -> Group:
        """GetGroup (the group record; see :meth:`group_members`)."""
        return find(self._data.groups, "group", name)

    def group_members(self, name: str) -> tuple[User, ...]:
        """The users in group ``name``, sorted by name."""
        group = self.get_group(name)
        return tuple(u for u in self._store.users.list_users() if group.name in u.groups)

    def list_groups(self, path_prefix: str = "/") -> tuple[Group, ...]:
        """ListGroups, sorted by name."""
        return under_path(self._data.groups, path_prefix)

    def list_groups_for_user(self, user_name: str) -> tuple[Group, ...]:
        """ListGroupsForUser."""
        user = self._store.users.get_user(user_name)
        return tuple(self._data.groups[g.lower()] for g in user.groups)

    def add_user_to_group(self, group_name: str, user_name: str) -> None:
        """AddUserToGroup (idempotent; at most 10 groups per user)."""
        group = self.get_group(group_name)
        user = self._store.users.get_user(user_name)
        if group.name in user.groups:
            return
        if len(user.groups) >= 10:
            raise quota("GroupsPerUser", 10)
        self._data.put(self._data.users, user.name.lower(), replace(user, groups=(*user.groups, group.name)))

    def remove_user_from_group(self, group_name: str, user_name: str) -> None:
        """RemoveUserFromGroup."""
        group = self.get_group(group_name)
        user = self._store.users.get_user(user_name)
        if group.name not in user.groups:
            raise NoSuchEntityError(f"The user with name {user.name} cannot be found in group {group.name}.")
        self._data.put(
            self._data.users, user.name.lower(), replace(user, groups=tuple(g for g in user.groups if g != group.name))
        )

    def delete_group(self, name: str) -> None:
        """DeleteGroup: the group must have no members and no policies (§H.5)."""
        group = self.get_group(name)
        held = {
            "members": any(group.name in u.groups for u in self._data.users.values()),
            "inline": bool(group.inline_policies),
            "attached": bool(group.attached_policies),
        }
        self._data.remove(self._data.groups, group, held)

    def update_group(self, name: str, *, new_name: str | None = None, new_path: str | None = None) -> Group:
        """UpdateGroup: rename and/or move a group; its members and policies follow it."""
        group = self.get_group(name)
        table = self._data.groups
        target, path = self._data.rename_target(table, group, "group", new_name, new_path, "newGroupName", 128)
        renamed = replace(group, name=target, path=path, arn=self._data.arn("group", path, target))
        self._data.refile(table, group.name, renamed)
        for user in [u for u in self._data.users.values() if group.name in u.groups]:
            groups = tuple(target if g == group.name else g for g in user.groups)
            self._data.users[user.name.lower()] = replace(user, groups=groups)
        self._data.bump()
        return renamed
