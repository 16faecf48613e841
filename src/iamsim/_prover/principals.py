"""The callers a check ranges over, as solver variables, with the context keys each one supplies (spec §E).

Two universes:

* :class:`MemberCaller` (identity-side checks): any IAM user or role session
  of the account the policies are attached in.
* :class:`OutsideCaller` (public access): an anonymous caller, or the root,
  any user or any role session of any *other* account.

Names range over IAM's name characters and may carry a path. The keys a
caller supplies are bound to its variables, exactly as
``Principal.context_entries`` fills them, so a witness holds as written.
"""

from __future__ import annotations

from collections.abc import Callable

import z3

from iamsim._arn import Arn, is_account_id
from iamsim._policy.model import PrincipalSpec
from iamsim._prover.context import Element, KeyModel
from iamsim._prover.families import Family
from iamsim._prover.regex import sequence
from iamsim._prover.unsupported import Unsupported

__all__ = ["CALLER_KEYS", "SESSION_NAME", "MemberCaller", "OutsideCaller"]

#: The session name ``Principal.from_arn`` gives a role session.
SESSION_NAME = "iamsim-session"
#: The context keys a caller supplies (:meth:`_Caller.keys`): their values are IAM names, ARNs and fixed words.
CALLER_KEYS = frozenset(
    {
        "aws:principaltype",
        "aws:principalisawsservice",
        "aws:principalarn",
        "aws:principalaccount",
        "aws:userid",
        "aws:username",
    }
)
_NAME_CHAR = z3.Union(z3.Range("a", "z"), z3.Range("A", "Z"), z3.Range("0", "9"), *[z3.Re(c) for c in "+=,.@_-"])
_NAME = z3.Plus(_NAME_CHAR)
_PATH = z3.Star(z3.Concat(_NAME, z3.Re("/")))
_DIGIT = z3.Range("0", "9")
_ACCOUNT = sequence([_DIGIT] * 12)
_USER, _ROLE, _ROOT, _ANONYMOUS = 0, 1, 2, 3


def _bound(name: str, present: z3.BoolRef, value: z3.SeqRef) -> KeyModel:
    kind = z3.If(present, z3.IntVal(1), z3.IntVal(0))
    return KeyModel(name, Family.STRING, kind, z3.IntVal(1), [Element(text=value)])


def _s(text: str) -> z3.SeqRef:
    return z3.StringVal(text)


class _Caller:
    """The variables every caller has: kind, account, path and name."""

    def __init__(self, kinds: tuple[int, ...], account: z3.SeqRef) -> None:
        self.kind = z3.Int("caller.kind")
        self.account = account
        self.path = z3.String("caller.path")
        self.name = z3.String("caller.name")
        self.constraints: list[z3.BoolRef] = [
            z3.Or(*[self.kind == k for k in kinds]),
            z3.InRe(self.path, _PATH),
            # IAM names are 1 to 64 characters; a bounded loop keeps this a regular membership.
            z3.InRe(self.name, z3.Loop(_NAME_CHAR, 1, 64)),
        ]

    def user_arn(self) -> z3.SeqRef:
        return z3.Concat(_s("arn:aws:iam::"), self.account, _s(":user/"), self.path, self.name)

    def role_arn(self) -> z3.SeqRef:
        return z3.Concat(_s("arn:aws:iam::"), self.account, _s(":role/"), self.path, self.name)

    def session_arn(self) -> z3.SeqRef:
        return z3.Concat(_s("arn:aws:sts::"), self.account, _s(":assumed-role/"), self.name, _s(f"/{SESSION_NAME}"))

    def root_arn(self) -> z3.SeqRef:
        return z3.Concat(_s("arn:aws:iam::"), self.account, _s(":root"))

    def is_user(self) -> z3.BoolRef:
        return self.kind == _USER

    def is_session(self) -> z3.BoolRef:
        """Whether session policies apply (a role session)."""
        return self.kind == _ROLE

    def arn_text(self, model: z3.ModelRef) -> str:
        """The caller as the ARN a suite's ``principal:`` takes (``anonymous`` for an anonymous caller)."""
        kind = model.eval(self.kind, model_completion=True).as_long()
        if kind == _ANONYMOUS:
            return "anonymous"
        expression = {_USER: self.user_arn(), _ROLE: self.role_arn(), _ROOT: self.root_arn()}[kind]
        return str(model.eval(expression, model_completion=True).as_string())

    def keys(self) -> dict[str, KeyModel]:
        """The context keys the caller supplies, bound to its variables."""
        kind = self.kind
        anonymous = kind == _ANONYMOUS
        principal_arn = z3.If(kind == _USER, self.user_arn(), z3.If(kind == _ROLE, self.role_arn(), self.root_arn()))
        principal_type = z3.If(
            kind == _USER,
            _s("User"),
            z3.If(kind == _ROLE, _s("AssumedRole"), z3.If(kind == _ROOT, _s("Account"), _s("Anonymous"))),
        )
        true = z3.BoolVal(True)
        return {
            "aws:principaltype": _bound("aws:principaltype", true, principal_type),
            "aws:principalisawsservice": _bound("aws:principalisawsservice", true, _s("false")),
            "aws:principalarn": _bound("aws:principalarn", z3.Not(anonymous), principal_arn),
            "aws:principalaccount": _bound(
                "aws:principalaccount", true, z3.If(anonymous, _s("anonymous"), self.account)
            ),
            "aws:userid": _bound(
                "aws:userid", z3.Or(anonymous, kind == _ROOT), z3.If(anonymous, _s("anonymous"), self.account)
            ),
            "aws:username": _bound("aws:username", kind == _USER, self.name),
        }


class MemberCaller(_Caller):
    """Any IAM user or role session of ``account``."""

    def __init__(self, account: str) -> None:
        super().__init__((_USER, _ROLE), _s(account))


class OutsideCaller(_Caller):
    """Anyone outside ``owner``: anonymous, or the root, a user or a role session of another account."""

    def __init__(self, owner: str) -> None:
        account = z3.String("caller.account")
        super().__init__((_USER, _ROLE, _ROOT, _ANONYMOUS), account)
        self.constraints += [z3.InRe(account, z3.Intersect(_ACCOUNT, z3.Complement(z3.Re(owner))))]

    def named_by(self, spec: PrincipalSpec) -> z3.BoolRef:
        """Whether a ``Principal`` element names the caller (mirrors ``principal_grant``; strength is moot
        for an outside caller: any grant lets a cross-account caller in, and only ``*`` names an anonymous one)."""
        if spec.wildcard or "*" in spec.aws:
            return z3.BoolVal(True)
        if spec.federated or spec.canonical_user:
            # Web-identity and SAML users (a GitHub or Cognito identity, say) and S3 canonical users are
            # outside callers this model does not enumerate: a PASS here could be refuted by one of them.
            raise Unsupported("Federated or CanonicalUser principals in a public-access check")
        tests = [self._aws_entry(entry) for entry in spec.aws]
        # Service entries name none of these callers: a service acts for AWS, not for the public.
        return z3.Or(*tests) if tests else z3.BoolVal(False)

    def _aws_entry(self, entry: str) -> z3.BoolRef:
        member = self.kind != _ANONYMOUS
        if is_account_id(entry):
            return z3.And(member, z3.InRe(self.account, z3.Re(entry)))
        arn = Arn.try_parse(entry)
        if arn is None:
            return z3.BoolVal(False)  # a unique id: the modelled callers have none
        if arn.partition != "aws":
            return z3.BoolVal(False)
        same = z3.And(member, z3.InRe(self.account, z3.Re(arn.account)))
        tests: dict[str, Callable[[], z3.BoolRef]] = {
            "root": lambda: same,
            "user/": lambda: z3.And(same, self.kind == _USER, z3.InRe(self.user_arn(), z3.Re(entry))),
            "role/": lambda: z3.And(same, self.kind == _ROLE, z3.InRe(self.role_arn(), z3.Re(entry))),
        }
        if arn.service == "iam":
            if arn.resource == "root":
                return tests["root"]()
            for prefix in ("user/", "role/"):
                if arn.resource.startswith(prefix):
                    return tests[prefix]()
            return z3.BoolVal(False)
        if arn.service == "sts":
            return z3.And(same, self.kind == _ROLE, z3.InRe(self.session_arn(), z3.Re(entry)))
        return z3.BoolVal(False)
