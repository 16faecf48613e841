"""What a new session is issued with, read from the request: its session policies and its MFA proof.

Several STS operations read both (AssumeRole, GetSessionToken, the federation
calls), so they live apart from :class:`~iamsim._sts.service.StsService`.
"""

from __future__ import annotations

from iamsim._arn import Arn
from iamsim._clock import epoch_second
from iamsim._policy.model import PolicyKind
from iamsim._policy.parse import parse_policy
from iamsim._store.account import AWS_MANAGED_PREFIX, document_text
from iamsim._sts.caller import Caller, CallerKind
from iamsim._sts.params import SessionOptions, check_policy_arns, packed_policy_size
from iamsim._sts.totp import seed_bytes, verify_totp
from iamsim._sts.world import World
from iamsim.errors import AccessDeniedError, NoSuchEntityError, ValidationError

__all__ = ["session_policies", "verify_mfa"]

_MFA_FAILED = "MultiFactorAuthentication failed with invalid MFA one time pass code."


def session_policies(
    world: World, options: SessionOptions, session_tags: tuple[tuple[str, str], ...], account: str
) -> tuple[tuple[tuple[str, str], ...] | None, int]:
    """The session policies as (name, text) pairs, and the packed size they take with ``session_tags``.

    The size is checked first (``PackedPolicyTooLarge``), then the inline
    policy is parsed and each ARN resolved in ``account`` (§G.1).
    """
    if options.policy is None and options.policy_arns is None:
        # The common call passes no session policy: only the tags take packed space (none: 0%).
        return None, packed_policy_size(None, (), session_tags) if session_tags else 0
    arns = check_policy_arns(options.policy_arns)
    text = None if options.policy is None else document_text(options.policy)
    packed = packed_policy_size(text, arns, session_tags)
    pairs: list[tuple[str, str]] = []
    if text is not None:
        parse_policy(text, PolicyKind.SESSION, name="session policy", check_size=False)
        pairs.append(("session policy", text))
    store = world.store(account)
    for arn in arns:
        parsed = Arn.try_parse(arn)
        if parsed is None or (parsed.account != account and AWS_MANAGED_PREFIX not in arn):
            raise ValidationError(f"Policy {arn} does not exist or is not attachable.")
        try:
            pairs.append(store.policies.managed_policy_document(arn))
        except NoSuchEntityError:
            raise ValidationError(f"Policy {arn} does not exist or is not attachable.") from None
    return (tuple(pairs) if pairs else None), packed


def verify_mfa(world: World, caller: Caller, serial_number: str, token_code: str) -> int:
    """The epoch second at which ``caller`` proved ``serial_number`` with ``token_code`` (§G.1, §G.5).

    Any failure is the same AccessDenied AWS gives, naming neither the device nor the code.
    """
    now = world.now()
    parsed = Arn.try_parse(serial_number)
    owner = caller.entity_name if caller.kind in (CallerKind.USER, CallerKind.SESSION_TOKEN) else None
    if parsed is None or owner is None or parsed.account != caller.account:
        raise AccessDeniedError(_MFA_FAILED)
    try:
        device = world.store(parsed.account).keys.get_mfa_device(serial_number)
    except NoSuchEntityError:
        raise AccessDeniedError(_MFA_FAILED) from None
    if device.user_name != owner or not verify_totp(seed_bytes(device.seed_base32), token_code, now):
        raise AccessDeniedError(_MFA_FAILED)
    return epoch_second(now)
