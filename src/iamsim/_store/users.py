"""IAM users of one account: create, read, tag, boundaries, renames and console passwords (§H)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from iamsim._store.account_data import StoreFamily, find, under_path
from iamsim._store.ids import IdPrefix
from iamsim._store.passwords import check_not_reused, check_password, hash_password
from iamsim._store.records import LoginProfile, User
from iamsim._store.validation import Tags, check_name, check_path, normalise_tags
from iamsim.errors import EntityAlreadyExistsError, InvalidInputError, NoSuchEntityError

__all__ = ["Users"]


class Users(StoreFamily):
    """The users of one account."""

    def create_user(
        self, name: str, *, path: str = "/", permissions_boundary: str | None = None, tags: Tags | None = None
    ) -> User:
        """CreateUser."""
        check_name(name, "userName", 64)
        check_path(path)
        tag_list = normalise_tags(tags)
        boundary = self._store.policies._boundary_arn(permissions_boundary) if permissions_boundary else None
        self._data.check_new(self._data.users, "user", name)
        user = User(*self._data.new_entity("user", IdPrefix.USER, name, path), tag_list, boundary)
        return self._data.add(self._data.users, user)

    def get_user(self, name: str) -> User:
        """GetUser."""
        return find(self._data.users, "user", name)

    def list_users(self, path_prefix: str = "/") -> tuple[User, ...]:
        """ListUsers, sorted by name."""
        return under_path(self._data.users, path_prefix)

    def delete_user(self, name: str) -> None:
        """DeleteUser: refuses while the user has keys, MFA devices, policies or groups (§H.5)."""
        user = self.get_user(name)
        owner = user.name
        held = {
            "login-profile": user.login_profile is not None,
            "access-keys": any(k.user_name == owner for k in self._data.keys.values()),
            "mfa": bool(user.mfa_devices),
            "signing-certificates": any(c.user_name == owner for c in self._data.signing_certificates.values()),
            "ssh-public-keys": any(k.user_name == owner for k in self._data.ssh_public_keys.values()),
            "service-specific-credentials": any(c.user_name == owner for c in self._data.service_credentials.values()),
            "inline": bool(user.inline_policies),
            "attached": bool(user.attached_policies),
            "groups": bool(user.groups),
        }
        self._data.remove(self._data.users, user, held)

    def tag_user(self, name: str, tags: Tags | Mapping[str, str]) -> None:
        """TagUser (an existing key's value is overwritten)."""
        user = self.get_user(name)
        self._data.retag(self._data.users, user.name.lower(), user, tags, ())

    def untag_user(self, name: str, keys: Iterable[str]) -> None:
        """UntagUser."""
        user = self.get_user(name)
        self._data.retag(self._data.users, user.name.lower(), user, (), keys)

    def put_user_permissions_boundary(self, name: str, policy_arn: str) -> None:
        """PutUserPermissionsBoundary."""
        user = self.get_user(name)
        boundary = self._store.policies._boundary_arn(policy_arn)
        self._data.put(self._data.users, user.name.lower(), replace(user, permissions_boundary=boundary))

    def delete_user_permissions_boundary(self, name: str) -> None:
        """DeleteUserPermissionsBoundary."""
        user = self.get_user(name)
        if user.permissions_boundary is None:
            raise NoSuchEntityError(f"The user with name {user.name} does not have a permissions boundary.")
        self._data.put(self._data.users, user.name.lower(), replace(user, permissions_boundary=None))

    def update_user(self, name: str, *, new_name: str | None = None, new_path: str | None = None) -> User:
        """UpdateUser: rename and/or move a user; its id, keys, groups, MFA and policies follow it.

        Returns the updated user; call :meth:`retarget_trust_principal` on every
        store (the caller's job: trust policies may sit in other accounts) to
        keep trust policies naming the user pointing at it, as IAM does.
        """
        user = self.get_user(name)
        target, path = self._data.rename_target(self._data.users, user, "user", new_name, new_path, "newUserName", 64)
        renamed = replace(user, name=target, path=path, arn=self._data.arn("user", path, target))
        self._data.refile(self._data.users, user.name, renamed)
        for key in [k for k in self._data.keys.values() if k.user_name == user.name]:
            self._data.keys[key.access_key_id] = replace(key, user_name=target)
        for device in [d for d in self._data.mfa.values() if d.user_name == user.name]:
            self._data.mfa[device.serial_number] = replace(device, user_name=target)
        for certificate in [c for c in self._data.signing_certificates.values() if c.user_name == user.name]:
            self._data.signing_certificates[certificate.certificate_id] = replace(certificate, user_name=target)
        for ssh_key in [k for k in self._data.ssh_public_keys.values() if k.user_name == user.name]:
            self._data.ssh_public_keys[ssh_key.ssh_public_key_id] = replace(ssh_key, user_name=target)
        for credential in [c for c in self._data.service_credentials.values() if c.user_name == user.name]:
            self._data.service_credentials[credential.service_specific_credential_id] = replace(
                credential, user_name=target
            )
        self._data.bump()
        return renamed

    def create_login_profile(self, user_name: str, password: str, *, password_reset_required: bool = False) -> User:
        """CreateLoginProfile: the password must satisfy the account password policy."""
        user = self.get_user(user_name)
        if user.login_profile is not None:
            raise EntityAlreadyExistsError(f"Login Profile for user {user.name} already exists.")
        check_password(password, self._data.password_policy, user.name)
        profile = LoginProfile(self._data.now(), hash_password(user.user_id, password), bool(password_reset_required))
        user = replace(user, login_profile=profile)
        return self._data.add(self._data.users, user)

    def get_login_profile(self, user_name: str) -> tuple[User, LoginProfile]:
        """GetLoginProfile: the user and their login profile."""
        user = self.get_user(user_name)
        if user.login_profile is None:
            raise NoSuchEntityError(f"Login Profile for User {user.name} cannot be found.")
        return user, user.login_profile

    def update_login_profile(
        self, user_name: str, *, password: str | None = None, password_reset_required: bool | None = None
    ) -> None:
        """UpdateLoginProfile: a new password (checked by the policy) and/or the reset flag."""
        user, profile = self.get_login_profile(user_name)
        if password is not None:
            check_password(password, self._data.password_policy, user.name)
            profile = _with_password(profile, hash_password(user.user_id, password), self._data.now())
        if password_reset_required is not None:
            profile = replace(profile, password_reset_required=bool(password_reset_required))
        self._data.put(self._data.users, user.name.lower(), replace(user, login_profile=profile))

    def change_password(self, user_name: str, old_password: str, new_password: str) -> None:
        """ChangePassword: the user's own password, the old one checked, the new one by the policy (§H.8).

        The reset flag clears, as the change is what it asks for; PasswordReusePrevention
        refuses the current password and the remembered earlier ones.
        """
        user, profile = self.get_login_profile(user_name)
        if profile.password_hash != hash_password(user.user_id, old_password):
            raise InvalidInputError("The old password is incorrect.")
        policy = self._data.password_policy
        check_password(new_password, policy, user.name)
        new_hash = hash_password(user.user_id, new_password)
        check_not_reused(new_hash, (profile.password_hash, *profile.previous_hashes), policy)
        profile = replace(_with_password(profile, new_hash, self._data.now()), password_reset_required=False)
        self._data.put(self._data.users, user.name.lower(), replace(user, login_profile=profile))

    def delete_login_profile(self, user_name: str) -> None:
        """DeleteLoginProfile."""
        user, _ = self.get_login_profile(user_name)
        self._data.put(self._data.users, user.name.lower(), replace(user, login_profile=None))

    def password_matches(self, user_name: str, password: str) -> bool:
        """Whether ``password`` is the user's console password."""
        user, profile = self.get_login_profile(user_name)
        return profile.password_hash == hash_password(user.user_id, password)


#: How many earlier passwords a login profile remembers: the most PasswordReusePrevention can ask for.
_REMEMBERED_PASSWORDS = 24


def _with_password(profile: LoginProfile, password_hash: str, now: str) -> LoginProfile:
    """``profile`` with a new password set ``now``; the old one joins the remembered ones."""
    earlier = (profile.password_hash, *profile.previous_hashes)[: _REMEMBERED_PASSWORDS - 1]
    return replace(profile, password_hash=password_hash, password_last_changed=now, previous_hashes=earlier)
