"""The Python API checks the secret of every ``Credentials`` it is given (§G.9).

Without a request there is no signature to verify, so the secret itself is compared with the
one issued with the key or sealed in the session token, in constant time, on every call:
a session used once is no exception (it used to accept any secret afterwards).
"""

from __future__ import annotations

from typing import Any

import pytest

from iamsim import ManualClock, Simulator
from iamsim._sts.credentials import Credentials, same_secret
from iamsim.errors import SignatureDoesNotMatchError

WRONG_SECRETS: list[Any] = ["wrong", "", None, b"bytes", "é" * 40]
ALLOW_ALL = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'


@pytest.fixture
def sim() -> Simulator:
    """A simulator with user carol allowed everything."""
    sim = Simulator(clock=ManualClock())
    sim.create_user("carol")
    sim.put_user_policy("carol", "all", ALLOW_ALL)
    return sim


@pytest.mark.parametrize("secret", WRONG_SECRETS)
def test_wrong_secret_with_a_used_session_token_is_signature_does_not_match_G9(sim: Simulator, secret: Any) -> None:
    """§G.9: after a session token's first use, a wrong, empty, None or non-text secret still fails."""
    key = sim.create_access_key("carol")
    session = sim.get_session_token(Credentials(key.access_key_id, key.secret_access_key))
    assert sim.authenticate(session).principal.username == "carol"  # used once: opened and remembered
    forged = Credentials(session.access_key_id, secret, session.session_token)
    with pytest.raises(SignatureDoesNotMatchError):
        sim.authenticate(forged)
    with pytest.raises(SignatureDoesNotMatchError):
        sim.authorize(forged, "s3:GetObject", "arn:aws:s3:::b/k")
    with pytest.raises(SignatureDoesNotMatchError):
        sim.get_caller_identity(forged)


@pytest.mark.parametrize("secret", WRONG_SECRETS)
def test_wrong_secret_with_a_long_term_key_is_signature_does_not_match_G9(sim: Simulator, secret: Any) -> None:
    """§G.9: a long-term key with a wrong, empty, None or non-text secret fails the same way."""
    key = sim.create_access_key("carol")
    assert sim.authenticate(Credentials(key.access_key_id, key.secret_access_key)).principal.username == "carol"
    with pytest.raises(SignatureDoesNotMatchError):
        sim.authorize(Credentials(key.access_key_id, secret), "s3:GetObject", "arn:aws:s3:::b/k")


def test_same_secret_is_exact() -> None:
    """The comparison takes only the very same text."""
    assert same_secret("abc", "abc")
    assert not same_secret("abc", "abd")
    assert not same_secret("abc", "abc ")
    assert not same_secret("abc", None)
    assert not same_secret("é", "e")
