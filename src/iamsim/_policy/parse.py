"""Policy text (or an already-decoded mapping) to the immutable model, with IAM's checks.

Every problem raises :class:`~iamsim.errors.MalformedPolicyDocumentError`
carrying a JSON pointer, the statement index and, for text input, the line and
column; messages use AWS's words where they are known. Size quotas raise
:class:`~iamsim.errors.LimitExceededError`.

Checks run in document order (top level, then each statement element by
element) and the first problem is reported, as IAM reports one error.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from iamsim._policy import operators
from iamsim._policy.jsontext import SYNTAX_ERROR, JsonDocument, child_pointer, read_json
from iamsim._policy.kinds import (
    IAM_KINDS,
    ID_FORBIDDEN,
    ORGANIZATIONS_KINDS,
    PRINCIPAL_FORBIDDEN,
    RESOURCE_REQUIRED,
    as_kind,
)
from iamsim._policy.limits import MAX_DOCUMENT_LENGTH, check_characters, check_policy_size
from iamsim._policy.model import Condition, Effect, Policy, PolicyKind, PrincipalSpec, Statement, plain_statement
from iamsim._policy.plain_statements import QUICK_KINDS, is_resource, plain_parts
from iamsim._policy.principals import parse_principal
from iamsim._policy.render import render_policy
from iamsim.errors import MalformedPolicyDocumentError

__all__ = ["STATEMENT_KEYS", "TOP_LEVEL_KEYS", "VERSIONS", "check_policy_size", "parse_policy"]

#: The two policy language versions (§A.1).
VERSIONS = frozenset({"2012-10-17", "2008-10-17"})

LEGACY_PARSING = "The policy failed legacy parsing"
ORGANIZATIONS_MISMATCH = "The provided policy document does not meet the requirements of the specified policy type."
NO_PRINCIPAL = "Policy document should not specify a principal."
NEED_ACTIONS = "Policy statement must contain actions."
NEED_RESOURCES = "Policy statement must contain resources."
UNIQUE_SIDS = "Statement IDs (SID) in a single policy must be unique."
ALNUM_SID = (
    "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"
)
NEED_VENDOR = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
ONE_COLON = "Actions/Condition can contain only one colon."
TRUST_ACTIONS = "AssumeRole policy may only specify STS AssumeRole actions."

#: The keys a policy document and a statement may hold (§A.1, §A.2).
TOP_LEVEL_KEYS = frozenset({"Version", "Id", "Statement"})
STATEMENT_KEYS = frozenset(
    {"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"}
)
# Longest condition value quoted whole in an error message; longer ones are cut.
_SHOWN_VALUE_LENGTH = 64
# The STS actions a role trust policy may name (§A.4), lower-cased.
_TRUST_ACTIONS = (
    "sts:assumerole",
    "sts:assumerolewithsaml",
    "sts:assumerolewithwebidentity",
    "sts:tagsession",
    "sts:setsourceidentity",
    "sts:setcontext",
)


def parse_policy(
    document: str | bytes | Mapping[str, Any],
    kind: PolicyKind | str = PolicyKind.IDENTITY,
    *,
    name: str = "",
    check_size: bool = True,
) -> Policy:
    """Parse and validate a policy document of ``kind``.

    ``document`` is JSON text (``str``, or UTF-8 ``bytes``) or a mapping as
    ``json.loads`` would give it. Text gets statement spans and errors with
    line and column; a mapping is checked by the same rules. With
    ``check_size``, the kind's size quota and the API's 131,072-character
    maximum are enforced on the text (on the compact rendering for a mapping).
    Raises
    :class:`~iamsim.errors.MalformedPolicyDocumentError` or
    :class:`~iamsim.errors.LimitExceededError`.
    """
    policy_kind = as_kind(kind)
    text: str | None = None
    parsed: JsonDocument | None = None
    root: object
    if isinstance(document, bytes):
        try:
            text = document.decode("utf-8")
        except UnicodeDecodeError:
            raise MalformedPolicyDocumentError(SYNTAX_ERROR) from None
    elif isinstance(document, str):
        text = document
    if text is not None:
        parsed = _read(text, check_size)
        root = parsed.value
    elif isinstance(document, Mapping):
        root = document
    else:
        raise MalformedPolicyDocumentError(SYNTAX_ERROR)
    try:
        policy = _Parser(policy_kind, parsed, name).policy(root)
    except Exception as error:
        if parsed is not None:
            # A policy the grammar accepts nests six levels at most, so the reader's nesting check waits
            # until the grammar refuses one; a text nested too deep is then refused for that, as before.
            parsed.check_depth()
        if not isinstance(error, MalformedPolicyDocumentError):
            raise
        if parsed is not None and error.line is None:
            position = parsed.locate(error.pointer)
            if position is not None:
                error.line, error.column = position
        raise
    if check_size:
        check_policy_size(text if text is not None else render_policy(policy), policy_kind)
    return policy


def _read(text: str, check_size: bool) -> JsonDocument:
    """Check the characters of ``text`` and read it (nesting is checked by :func:`parse_policy` on refusal).

    An ASCII text within the length limit needs no character check unless the reader refuses it: the
    only ASCII characters §A.1 forbids are control characters, which JSON allows neither in a string
    nor between values. On refusal the characters are checked first, so their error comes first, as before.
    """
    if not text or not text.isascii() or (check_size and len(text) > MAX_DOCUMENT_LENGTH):
        check_characters(text, check_length=check_size)
        return read_json(text, check_depth=False)
    try:
        return read_json(text, check_depth=False)
    except MalformedPolicyDocumentError:
        check_characters(text, check_length=check_size)
        raise


class _Parser:
    """Validates one document of one kind and builds its model."""

    def __init__(self, kind: PolicyKind, parsed: JsonDocument | None, name: str) -> None:
        self.kind = kind
        self.parsed = parsed
        self.name = name
        self.statement_index: int | None = None

    # --- errors ------------------------------------------------------------------------------

    def error(self, message: str, pointer: str) -> MalformedPolicyDocumentError:
        return MalformedPolicyDocumentError(message, pointer=pointer, statement_index=self.statement_index)

    def kind_error(self, message: str, pointer: str) -> MalformedPolicyDocumentError:
        """An error of a per-kind rule; Organizations words all of those the same way."""
        if self.kind in ORGANIZATIONS_KINDS:
            message = ORGANIZATIONS_MISMATCH
        return self.error(message, pointer)

    # --- the document ------------------------------------------------------------------------

    def policy(self, root: object) -> Policy:
        if not isinstance(root, Mapping):
            raise self.error(SYNTAX_ERROR, "")
        self.known_keys(root, TOP_LEVEL_KEYS, "")
        version = self.version(root)
        policy_id = self.policy_id(root)
        statements = self.statements(root)
        return Policy(self.kind, statements, version, policy_id, self.name)

    def known_keys(self, mapping: Mapping[Any, Any], allowed: frozenset[str], pointer: str) -> None:
        for key in mapping:
            if key not in allowed:
                raise self.error(SYNTAX_ERROR, child_pointer(pointer, str(key)))

    def version(self, root: Mapping[Any, Any]) -> str | None:
        if "Version" not in root:
            if self.kind is PolicyKind.RCP:
                raise self.kind_error(LEGACY_PARSING, "")
            return None
        version = root["Version"]
        if not isinstance(version, str) or version not in VERSIONS:
            raise self.kind_error(LEGACY_PARSING, "/Version")
        if self.kind is PolicyKind.RCP and version != "2012-10-17":
            raise self.kind_error(LEGACY_PARSING, "/Version")
        return version

    def policy_id(self, root: Mapping[Any, Any]) -> str | None:
        if "Id" not in root:
            return None
        if self.kind in ID_FORBIDDEN:
            raise self.kind_error("Has prohibited field Id", "/Id")
        policy_id = root["Id"]
        if not isinstance(policy_id, str):
            raise self.error(SYNTAX_ERROR, "/Id")
        return policy_id

    def statements(self, root: Mapping[Any, Any]) -> tuple[Statement, ...]:
        raw = root.get("Statement")
        items: Sequence[object]
        if isinstance(raw, Mapping):
            items = (raw,)
        elif isinstance(raw, list | tuple):
            items = raw
        elif raw is None and "Statement" in root:
            raise self.error(SYNTAX_ERROR, "/Statement")
        elif raw is None:
            raise self.kind_error("Missing required field Statement", "")
        else:
            raise self.error(SYNTAX_ERROR, "/Statement")
        if not items:
            # An empty list grants and denies nothing; IAM wants at least one statement.
            raise self.kind_error("Missing required field Statement", "/Statement")
        statements: list[Statement] = []
        sids: set[str] = set()
        single = items is not raw
        quick = self.quick_statement if self.kind in QUICK_KINDS else None
        for index, item in enumerate(items):
            self.statement_index = index
            pointer = "/Statement" if single else f"/Statement/{index}"
            statement = None if quick is None else quick(item, index, pointer)
            if statement is None:
                statement = self.statement(item, index, pointer)
            sid = statement.sid
            if sid is not None:
                if sid in sids:
                    raise self.error(UNIQUE_SIDS, f"{pointer}/Sid")
                sids.add(sid)
            statements.append(statement)
        self.statement_index = None
        return tuple(statements)

    # --- one statement, the common case ------------------------------------------------------

    def quick_statement(self, raw: object, index: int, pointer: str) -> Statement | None:
        """The statement at ``pointer`` when it is plainly well formed, else ``None``: :meth:`statement` decides.

        :func:`~iamsim._policy.plain_statements.plain_parts` reads all but ``Condition``, which comes last
        in :meth:`statement`'s order and is read by the same careful code.
        """
        parts = plain_parts(raw, self.kind in IAM_KINDS)
        if parts is None or type(raw) is not dict:
            return None
        sid, effect, action, not_action, resource, not_resource = parts
        conditions = self.conditions(raw, pointer) if "Condition" in raw else ()
        located = None if self.parsed is None else (self.parsed, pointer)
        return plain_statement(index, effect, sid, action, not_action, resource, not_resource, conditions, located)

    # --- one statement, every check ------------------------------------------------------------

    def statement(self, raw: object, index: int, pointer: str) -> Statement:
        if type(raw) is not dict and not isinstance(raw, Mapping):  # the exact type first: an ABC check costs
            raise self.error(SYNTAX_ERROR, pointer)
        if not STATEMENT_KEYS.issuperset(raw):
            self.known_keys(raw, STATEMENT_KEYS, pointer)
        sid = self.sid(raw, pointer)
        effect = self.effect(raw, pointer)
        principal, not_principal = self.principals(raw, effect, pointer)
        action, not_action = self.actions(raw, pointer)
        resource, not_resource = self.resources(raw, pointer)
        conditions = self.conditions(raw, pointer)
        if self.kind is PolicyKind.RCP and effect is Effect.ALLOW:
            self.check_rcp_allow(principal, action, resource, not_resource, conditions, pointer)
        located = (self.parsed, pointer) if self.parsed is not None else None
        return Statement(
            index=index,
            effect=effect,
            sid=sid,
            action=action,
            not_action=not_action,
            resource=resource,
            not_resource=not_resource,
            principal=principal,
            not_principal=not_principal,
            conditions=conditions,
            located=located,
        )

    def sid(self, raw: Mapping[Any, Any], pointer: str) -> str | None:
        if "Sid" not in raw:
            return None
        sid = raw["Sid"]
        if not isinstance(sid, str):
            raise self.error(SYNTAX_ERROR, f"{pointer}/Sid")
        # ``[0-9A-Za-z]*``: for ASCII text, ``isalnum`` is exactly those characters.
        if sid and self.kind in IAM_KINDS and not (sid.isascii() and sid.isalnum()):
            raise self.error(ALNUM_SID, f"{pointer}/Sid")
        return sid

    def effect(self, raw: Mapping[Any, Any], pointer: str) -> Effect:
        if "Effect" not in raw:
            raise self.kind_error("Missing required field Effect", pointer)
        effect = raw["Effect"]
        # Case sensitive (§A.2): "allow" is rejected, as IAM rejects it.
        if effect == "Allow":
            return Effect.ALLOW
        if effect == "Deny":
            return Effect.DENY
        raise self.kind_error(LEGACY_PARSING, f"{pointer}/Effect")

    def principals(
        self, raw: Mapping[Any, Any], effect: Effect, pointer: str
    ) -> tuple[PrincipalSpec | None, PrincipalSpec | None]:
        has_principal = "Principal" in raw
        has_not_principal = "NotPrincipal" in raw
        if self.kind in PRINCIPAL_FORBIDDEN:
            if has_principal or has_not_principal:
                field = "Principal" if has_principal else "NotPrincipal"
                raise self.kind_error(NO_PRINCIPAL, f"{pointer}/{field}")
            return None, None
        if has_not_principal and self.kind is not PolicyKind.RESOURCE:
            raise self.kind_error("Has prohibited field NotPrincipal", f"{pointer}/NotPrincipal")
        if has_principal and has_not_principal:
            raise self.error("Policy statement must not contain both Principal and NotPrincipal.", pointer)
        if has_not_principal:
            if effect is not Effect.DENY:
                raise self.error("NotPrincipal is supported only with Effect Deny.", f"{pointer}/NotPrincipal")
            return None, parse_principal(raw["NotPrincipal"], f"{pointer}/NotPrincipal", self.statement_index)
        if not has_principal:
            raise self.kind_error("Missing required field Principal", pointer)
        principal = parse_principal(raw["Principal"], f"{pointer}/Principal", self.statement_index)
        if self.kind is PolicyKind.RCP and principal != PrincipalSpec(wildcard=True):
            # RCPs apply to every principal; "*" is their only Principal (§A.4).
            raise self.kind_error(ORGANIZATIONS_MISMATCH, f"{pointer}/Principal")
        return principal, None

    def actions(self, raw: Mapping[Any, Any], pointer: str) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
        if "Action" in raw and "NotAction" in raw:
            raise self.error("Policy statement must not contain both Action and NotAction.", pointer)
        if "NotAction" in raw and self.kind is PolicyKind.RCP:
            raise self.kind_error(ORGANIZATIONS_MISMATCH, f"{pointer}/NotAction")
        if "NotAction" in raw and self.kind is PolicyKind.TRUST:
            raise self.error(TRUST_ACTIONS, f"{pointer}/NotAction")
        field = "Action" if "Action" in raw else "NotAction" if "NotAction" in raw else None
        if field is None:
            raise self.kind_error(NEED_ACTIONS, pointer)
        raw_values = raw[field]
        values = self.strings(raw_values, pointer, field, NEED_ACTIONS)
        for offset, action in enumerate(values):
            problem = self.action_problem(action)
            if problem is not None:
                raise self.error(problem, _element_pointer(pointer, field, raw_values, offset))
        return (values, None) if field == "Action" else (None, values)

    def action_problem(self, action: str) -> str | None:
        """What is wrong with ``action`` (the message), or ``None``."""
        if action != "*":
            vendor, colon, rest = action.partition(":")
            if not colon or not vendor:
                return NEED_VENDOR
            if ":" in rest:
                return ONE_COLON
        if self.kind is PolicyKind.TRUST and not _is_trust_action(action):
            return TRUST_ACTIONS
        return None

    def resources(self, raw: Mapping[Any, Any], pointer: str) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
        if self.kind is PolicyKind.TRUST:
            for prohibited in ("Resource", "NotResource"):
                if prohibited in raw:
                    raise self.error(f"Has prohibited field {prohibited}", f"{pointer}/{prohibited}")
            return None, None
        if "Resource" in raw and "NotResource" in raw:
            raise self.error("Policy statement must not contain both Resource and NotResource.", pointer)
        field = "Resource" if "Resource" in raw else "NotResource" if "NotResource" in raw else None
        if field is None:
            if self.kind in RESOURCE_REQUIRED:
                raise self.kind_error(NEED_RESOURCES, pointer)
            return None, None
        raw_values = raw[field]
        values = self.strings(raw_values, pointer, field, NEED_RESOURCES)
        for offset, resource in enumerate(values):
            if not is_resource(resource):
                where = _element_pointer(pointer, field, raw_values, offset)
                raise self.error(f'Resource {resource} must be in ARN format or "*".', where)
        return (values, None) if field == "Resource" else (None, values)

    def strings(self, value: object, pointer: str, field: str, empty_message: str) -> tuple[str, ...]:
        """The string or non-empty list of strings at ``field`` of the statement at ``pointer``, as a tuple."""
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list | tuple):
            raise self.error(SYNTAX_ERROR, f"{pointer}/{field}")
        if not value:
            raise self.error(empty_message, f"{pointer}/{field}")
        for offset, item in enumerate(value):
            if not isinstance(item, str):
                raise self.error(SYNTAX_ERROR, child_pointer(f"{pointer}/{field}", offset))
        return tuple(value)

    # --- conditions --------------------------------------------------------------------------

    def conditions(self, raw: Mapping[Any, Any], pointer: str) -> tuple[Condition, ...]:
        if "Condition" not in raw:
            return ()
        block_pointer = f"{pointer}/Condition"
        block = raw["Condition"]
        if type(block) is not dict and not isinstance(block, Mapping):
            raise self.error(SYNTAX_ERROR, block_pointer)
        conditions: list[Condition] = []
        # Pointers below the block are built only for an error: a valid condition needs none.
        for operator, tests in block.items():
            if not isinstance(operator, str):
                raise self.error(SYNTAX_ERROR, child_pointer(block_pointer, str(operator)))
            is_mapping = type(tests) is dict or isinstance(tests, Mapping)
            if is_mapping and not tests:
                # IAM stores an operator with no keys, known or not; it tests nothing (§A.6).
                continue
            try:
                qualifier, base, if_exists = operators.split_operator(operator)
            except MalformedPolicyDocumentError as error:
                raise self.error(error.message, child_pointer(block_pointer, operator)) from None
            if not is_mapping:
                raise self.error(SYNTAX_ERROR, child_pointer(block_pointer, operator))
            for key, raw_values in tests.items():
                if not isinstance(key, str):
                    raise self.error(SYNTAX_ERROR, _key_pointer(block_pointer, operator, str(key)))
                vendor, colon, _ = key.partition(":")
                if not colon or not vendor:
                    raise self.error(NEED_VENDOR, _key_pointer(block_pointer, operator, key))
                if type(raw_values) is str:
                    values: tuple[str, ...] = (raw_values,)
                else:
                    values = self.condition_values(raw_values, _key_pointer(block_pointer, operator, key))
                for offset, value in enumerate(values):
                    if not operators.is_valid_value(base, value):
                        where = _key_pointer(block_pointer, operator, key)
                        if isinstance(raw_values, list | tuple):
                            where = child_pointer(where, offset)
                        raise self.error(self.invalid_value_message(value, operator, key), where)
                conditions.append(Condition(operator, base, qualifier, if_exists, key, values))
        return tuple(conditions)

    def invalid_value_message(self, value: str, operator: str, key: str) -> str:
        """AWS's ``Invalid Condition value`` message, naming the key and statement too.

        A value of absurd length (a 4,000-digit "date") is shown by its start and its length.
        """
        shown = value if len(value) <= _SHOWN_VALUE_LENGTH else f"{value[:_SHOWN_VALUE_LENGTH]}..."
        length = "" if shown == value else f" ({len(value)} characters)"
        where = "" if self.statement_index is None else f" in statement {self.statement_index + 1}"
        return f'Invalid Condition value "{shown}"{length} for operator {operator} and key {key}{where}.'

    def condition_values(self, raw: object, pointer: str) -> tuple[str, ...]:
        """One value or a non-empty list of values, each a string, number or boolean (§A.5)."""
        if isinstance(raw, list | tuple):
            if not raw:
                raise self.error(SYNTAX_ERROR, pointer)
            return tuple(self.scalar(item, child_pointer(pointer, offset)) for offset, item in enumerate(raw))
        return (self.scalar(raw, pointer),)

    def scalar(self, value: object, pointer: str) -> str:
        """The string IAM compares for a JSON scalar: ``true`` -> ``"true"``, ``10`` -> ``"10"``."""
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            try:
                return str(value)
            except ValueError:
                # Beyond Python's integer-to-text digit limit: no condition can use such a number.
                raise self.error(SYNTAX_ERROR, pointer) from None
        if isinstance(value, Decimal) and value.is_finite():
            return str(value)
        if isinstance(value, float) and math.isfinite(value):
            return repr(value)
        raise self.error(SYNTAX_ERROR, pointer)

    # --- RCPs --------------------------------------------------------------------------------

    def check_rcp_allow(
        self,
        principal: PrincipalSpec | None,
        action: tuple[str, ...] | None,
        resource: tuple[str, ...] | None,
        not_resource: tuple[str, ...] | None,
        conditions: tuple[Condition, ...],
        pointer: str,
    ) -> None:
        """RCPs accept Allow only in the exact ``RCPFullAWSAccess`` form (§A.4, §F.5)."""
        full_access = (
            principal == PrincipalSpec(wildcard=True)
            and action == ("*",)
            and resource == ("*",)
            and not_resource is None
            and not conditions
        )
        if not full_access:
            raise self.kind_error(ORGANIZATIONS_MISMATCH, pointer)


def _key_pointer(block_pointer: str, operator: str, key: str) -> str:
    """The pointer of condition key ``key`` under ``operator`` in the ``Condition`` block at ``block_pointer``."""
    return child_pointer(child_pointer(block_pointer, operator), key)


def _element_pointer(pointer: str, field: str, raw: object, offset: int) -> str:
    """The pointer of value ``offset`` of element ``field`` (the element itself when it is one string).

    Built only for an error: a valid statement needs no pointer below its own.
    """
    element = f"{pointer}/{field}"
    return element if isinstance(raw, str) else child_pointer(element, offset)


def _glob_match(pattern: str, text: str) -> bool:
    """IAM's wildcards, case-insensitively: ``*`` any run, ``?`` one character, all else literal.

    Greedy with one backtrack point, so hostile patterns cost O(len(pattern) * len(text)).
    """
    pattern, text = pattern.lower(), text.lower()
    p = t = 0
    star_p, star_t = -1, 0
    while t < len(text):
        if p < len(pattern) and pattern[p] in ("?", text[t]):
            p += 1
            t += 1
        elif p < len(pattern) and pattern[p] == "*":
            star_p, star_t = p, t
            p += 1
        elif star_p >= 0:
            star_t += 1
            p, t = star_p + 1, star_t
        else:
            return False
    return all(c == "*" for c in pattern[p:])


def _is_trust_action(action: str) -> bool:
    """Whether ``action`` names (or its wildcard covers) one of the STS actions a trust policy may name."""
    return any(_glob_match(action, name) for name in _TRUST_ACTIONS)
