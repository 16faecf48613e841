"""Console passwords: the account password policy's checks and how a password is kept.

Without a custom policy IAM applies its default one: at least 8 characters and
at least three of upper-case letters, lower-case letters, digits and symbols.
A custom policy replaces it, every member that was not given taking IAM's
default. Only a salted SHA-256 of a password is kept, so snapshots never hold one.
"""

from __future__ import annotations

import hashlib

from iamsim._store.records import PasswordPolicy
from iamsim._store.validation import check_length, validation_error
from iamsim.errors import PasswordPolicyViolationError

__all__ = [
    "PASSWORD_SYMBOLS",
    "check_not_reused",
    "check_password",
    "hash_password",
    "password_policy",
]

#: The characters IAM counts as symbols in a password.
PASSWORD_SYMBOLS = frozenset("!@#$%^&*()_+-=[]{}|'")

_DEFAULT_MINIMUM = 8
_VIOLATION = "Password does not conform to the account password policy."


def hash_password(salt: str, password: str) -> str:
    """The stored form of ``password`` (salted with the user's unique id)."""
    return hashlib.sha256(f"{salt}:{password}".encode()).hexdigest()


def _classes(password: str) -> int:
    return sum(
        (
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(c in PASSWORD_SYMBOLS for c in password),
        )
    )


def check_password(password: object, policy: PasswordPolicy | None, user_name: str) -> str:
    """Return ``password`` if ``policy`` (``None``: IAM's default policy) accepts it.

    Raises ``ValidationError`` outside the model's 1..128 characters and
    ``PasswordPolicyViolation`` when the policy rejects it.
    """
    if not isinstance(password, str):
        raise validation_error("*****", "password", "Member must be a string")
    check_length(password, "password", 1, 128)
    if policy is None:
        if len(password) < _DEFAULT_MINIMUM or _classes(password) < 3 or password == user_name:
            raise PasswordPolicyViolationError(_VIOLATION)
        return password
    rules = (
        len(password) >= policy.minimum_password_length,
        not policy.require_symbols or any(c in PASSWORD_SYMBOLS for c in password),
        not policy.require_numbers or any(c.isdigit() for c in password),
        not policy.require_uppercase_characters or any(c.isupper() for c in password),
        not policy.require_lowercase_characters or any(c.islower() for c in password),
    )
    if not all(rules):
        raise PasswordPolicyViolationError(_VIOLATION)
    return password


def check_not_reused(password_hash: str, earlier: tuple[str, ...], policy: PasswordPolicy | None) -> None:
    """``PasswordPolicyViolation`` when ``password_hash`` is among the last PasswordReusePrevention
    passwords (``earlier``: the current password's hash first, then older ones)."""
    remembered = 0 if policy is None or policy.password_reuse_prevention is None else policy.password_reuse_prevention
    if password_hash in earlier[:remembered]:
        raise PasswordPolicyViolationError(_VIOLATION)


def _bounded(value: int | None, member: str, low: int, high: int) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise validation_error(value, member, "Member must be a number")
    if value < low:
        raise validation_error(value, member, f"Member must have value greater than or equal to {low}")
    if value > high:
        raise validation_error(value, member, f"Member must have value less than or equal to {high}")
    return value


def password_policy(
    *,
    minimum_password_length: int | None = None,
    require_symbols: bool = False,
    require_numbers: bool = False,
    require_uppercase_characters: bool = False,
    require_lowercase_characters: bool = False,
    allow_users_to_change_password: bool = False,
    max_password_age: int | None = None,
    password_reuse_prevention: int | None = None,
    hard_expiry: bool | None = None,
) -> PasswordPolicy:
    """The policy UpdateAccountPasswordPolicy sets; omitted members revert to IAM's defaults."""
    minimum = _bounded(minimum_password_length, "minimumPasswordLength", 6, 128)
    return PasswordPolicy(
        6 if minimum is None else minimum,
        bool(require_symbols),
        bool(require_numbers),
        bool(require_uppercase_characters),
        bool(require_lowercase_characters),
        bool(allow_users_to_change_password),
        _bounded(max_password_age, "maxPasswordAge", 1, 1095),
        _bounded(password_reuse_prevention, "passwordReusePrevention", 1, 24),
        hard_expiry,
    )
