"""Load and validate the evaluation corpus (``tests/corpus/*.yaml``) into typed cases.

Each YAML file is a list of case mappings (format in ``tests/corpus/README.md``).
Loading checks the shape of every case and raises :class:`CorpusError` naming
the file and the case id on the first malformed one; it does not parse the
policies themselves (that is iamsim's job, exercised by the tests), so the
loader works before any evaluator exists.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "CORPUS_DIR",
    "DECISIONS",
    "POLICY_KINDS",
    "CorpusCase",
    "CorpusError",
    "Expectation",
    "ExpectedStatement",
    "PolicyInput",
    "PolicyInputs",
    "PrincipalInput",
    "RequestInput",
    "load_corpus",
    "load_file",
]

#: Where the case files live.
CORPUS_DIR = Path(__file__).resolve().parent

#: The policy kinds ``parse_policy`` accepts (``PolicyKind`` values).
POLICY_KINDS = ("identity", "resource", "trust", "boundary", "session", "scp", "rcp")

#: The three decisions, in the IAM policy simulator's words.
DECISIONS = ("allowed", "explicitDeny", "implicitDeny")

_ID_RE = re.compile(r"^[a-z][a-z0-9-]*$")
_SPEC_RE = re.compile(r"^§[A-K](\.[0-9]+)?$")
_CASE_KEYS = {"id", "spec", "note", "policies", "request", "want"}
_POLICY_KEYS = {"identity", "resource", "resource_kind", "boundary", "session", "scp", "rcp"}
_REQUEST_KEYS = {"principal", "action", "resource", "resource_account", "context"}
_PRINCIPAL_KEYS = {"arn", "type", "unique_id", "session_name", "source_user_arn", "federated_provider", "subject"}
_PRINCIPAL_TYPES = {"WebIdentityUser", "Service", "Anonymous"}
_WANT_KEYS = {
    "decision",
    "denied_by",
    "determining",
    "missing_context_keys",
    "error",
    "message_contains",
    "rule",
    "key_policy",
}
_STATEMENT_KEYS = {"kind", "level", "position", "statement"}
_DENIERS = ("identity", "resource", "trust", "boundary", "session", "scp", "rcp")


class CorpusError(Exception):
    """A case file that does not follow the corpus format."""


@dataclass(frozen=True, slots=True)
class PolicyInput:
    """One policy of a case: a JSON-like mapping, or raw JSON text (for grammar cases)."""

    document: Mapping[str, Any] | str
    name: str


@dataclass(frozen=True, slots=True)
class PolicyInputs:
    """Every policy of a case, grouped as in a ``PolicySet``.

    ``session`` is ``None`` when no session policy was passed; ``scp``/``rcp``
    hold one tuple of policies per level, root first.
    """

    identity: tuple[PolicyInput, ...] = ()
    resource: PolicyInput | None = None
    resource_kind: str = "resource"
    boundary: PolicyInput | None = None
    session: tuple[PolicyInput, ...] | None = None
    scp: tuple[tuple[PolicyInput, ...], ...] = ()
    rcp: tuple[tuple[PolicyInput, ...], ...] = ()

    def in_parse_order(self) -> list[tuple[str, PolicyInput]]:
        """Every policy with the kind to parse it as, in canonical order (§F.1 step 1)."""
        out: list[tuple[str, PolicyInput]] = []
        out.extend(("scp", p) for level in self.scp for p in level)
        out.extend(("rcp", p) for level in self.rcp for p in level)
        if self.resource is not None:
            out.append((self.resource_kind, self.resource))
        out.extend(("identity", p) for p in self.identity)
        if self.boundary is not None:
            out.append(("boundary", self.boundary))
        out.extend(("session", p) for p in self.session or ())
        return out


@dataclass(frozen=True, slots=True)
class PrincipalInput:
    """The caller: an ARN string ``Principal.from_arn`` accepts, or the mapping form's fields."""

    arn: str | None
    type: str | None = None
    unique_id: str | None = None
    session_name: str | None = None
    source_user_arn: str | None = None
    federated_provider: str | None = None
    subject: str | None = None


@dataclass(frozen=True, slots=True)
class RequestInput:
    """What the case asks: principal, action, resource, owning account and extra context."""

    principal: PrincipalInput
    action: str
    resource: str = "*"
    resource_account: str | None = None
    context: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class ExpectedStatement:
    """One expected determining statement (a ``StatementRef`` without names)."""

    kind: str
    level: int
    position: int
    statement: int


@dataclass(frozen=True, slots=True)
class Expectation:
    """What the case wants: a decision (with optional details) or a parse error."""

    decision: str | None = None
    denied_by: str | None = None
    determining: tuple[ExpectedStatement, ...] | None = None
    missing_context_keys: tuple[str, ...] | None = None
    error: str | None = None
    message_contains: str | None = None
    #: The standing rule that decided (its name; "none": no rule did), and the key policy used (default/given/none).
    rule: str | None = None
    key_policy: str | None = None


@dataclass(frozen=True, slots=True)
class CorpusCase:
    """One validated corpus case."""

    id: str
    spec: str
    note: str
    policies: PolicyInputs
    request: RequestInput | None
    want: Expectation
    source: str

    @property
    def section(self) -> str:
        """The spec section letter and number the case cites (``§C.3``)."""
        return self.spec


class _Where:
    """Builds error messages that name the file and the case."""

    def __init__(self, source: str, case_id: str) -> None:
        self.source = source
        self.case_id = case_id

    def fail(self, problem: str) -> CorpusError:
        return CorpusError(f"{self.source}: case {self.case_id!r}: {problem}")


def load_corpus(directory: Path = CORPUS_DIR) -> list[CorpusCase]:
    """Load every ``*.yaml`` case file of ``directory``, sorted by file name."""
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise CorpusError(f"{directory}: no corpus files (*.yaml)")
    cases: list[CorpusCase] = []
    for path in files:
        cases.extend(load_file(path))
    return cases


def load_file(path: Path) -> list[CorpusCase]:
    """Load and validate one case file; raise :class:`CorpusError` on the first bad case."""
    source = path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CorpusError(f"{source}: not valid YAML: {exc}") from exc
    if not isinstance(raw, list):
        raise CorpusError(f"{source}: a corpus file is a YAML list of cases")
    return [_case(source, index, item) for index, item in enumerate(raw)]


def _case(source: str, index: int, item: object) -> CorpusCase:
    if not isinstance(item, Mapping):
        raise CorpusError(f"{source}: case #{index} is not a mapping")
    case_id = item.get("id")
    where = _Where(source, str(case_id) if case_id is not None else f"#{index}")
    if not isinstance(case_id, str) or not _ID_RE.match(case_id):
        raise where.fail("id must be a lowercase-dashed string")
    _no_unknown(where, "case", item, _CASE_KEYS)
    spec = item.get("spec")
    if not isinstance(spec, str) or not _SPEC_RE.match(spec):
        raise where.fail(f"spec must look like '§C.3', got {spec!r}")
    note = item.get("note")
    if not isinstance(note, str) or not note.strip():
        raise where.fail("note is required")
    policies = _policies(where, item.get("policies", {}))
    want = _want(where, item.get("want"))
    request_raw = item.get("request")
    if want.error is None and request_raw is None:
        raise where.fail("request is required unless want.error is given")
    request = _request(where, request_raw) if request_raw is not None else None
    if want.error is not None and not policies.in_parse_order():
        raise where.fail("an error case needs at least one policy")
    return CorpusCase(case_id, spec, note, policies, request, want, source)


def _no_unknown(where: _Where, what: str, mapping: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(mapping) - allowed)
    if unknown:
        raise where.fail(f"unknown {what} key(s) {unknown}; allowed: {sorted(allowed)}")


def _policies(where: _Where, raw: object) -> PolicyInputs:
    if not isinstance(raw, Mapping):
        raise where.fail("policies must be a mapping")
    _no_unknown(where, "policies", raw, _POLICY_KEYS)
    resource_kind = raw.get("resource_kind", "resource")
    if resource_kind not in ("resource", "trust"):
        raise where.fail(f"resource_kind must be 'resource' or 'trust', got {resource_kind!r}")
    session_raw = raw.get("session")
    return PolicyInputs(
        identity=_policy_list(where, "identity", raw.get("identity", [])),
        resource=_policy(where, str(resource_kind), 0, raw["resource"]) if "resource" in raw else None,
        resource_kind=str(resource_kind),
        boundary=_policy(where, "boundary", 0, raw["boundary"]) if "boundary" in raw else None,
        session=_policy_list(where, "session", session_raw) if session_raw is not None else None,
        scp=_levels(where, "scp", raw.get("scp", [])),
        rcp=_levels(where, "rcp", raw.get("rcp", [])),
    )


def _levels(where: _Where, kind: str, raw: object) -> tuple[tuple[PolicyInput, ...], ...]:
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise where.fail(f"{kind} must be a list of levels (each a list of policies)")
    levels = []
    for level, policies in enumerate(raw):
        if not isinstance(policies, Sequence) or isinstance(policies, str) or not policies:
            raise where.fail(f"{kind} level {level} must be a non-empty list of policies")
        levels.append(tuple(_policy(where, f"{kind}-L{level}", i, p) for i, p in enumerate(policies)))
    return tuple(levels)


def _policy_list(where: _Where, kind: str, raw: object) -> tuple[PolicyInput, ...]:
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise where.fail(f"{kind} must be a list of policies")
    return tuple(_policy(where, kind, i, p) for i, p in enumerate(raw))


def _policy(where: _Where, kind: str, position: int, raw: object) -> PolicyInput:
    default_name = f"{kind}-{position}"
    if isinstance(raw, str):
        return PolicyInput(raw, default_name)
    if not isinstance(raw, Mapping):
        raise where.fail(f"{kind} policy {position} must be a mapping or JSON text")
    if "document" in raw:
        _no_unknown(where, f"{kind} policy wrapper", raw, {"name", "document"})
        document = raw["document"]
        name = raw.get("name", default_name)
        if not isinstance(name, str):
            raise where.fail(f"{kind} policy {position}: name must be a string")
        if not isinstance(document, (Mapping, str)):
            raise where.fail(f"{kind} policy {position}: document must be a mapping or JSON text")
        return PolicyInput(document, name)
    return PolicyInput(raw, default_name)


def _request(where: _Where, raw: object) -> RequestInput:
    if not isinstance(raw, Mapping):
        raise where.fail("request must be a mapping")
    _no_unknown(where, "request", raw, _REQUEST_KEYS)
    action = raw.get("action")
    if not isinstance(action, str) or ":" not in action:
        raise where.fail(f"request.action must be 'service:Action', got {action!r}")
    resource = raw.get("resource", "*")
    if not isinstance(resource, str):
        raise where.fail("request.resource must be a string")
    account = raw.get("resource_account")
    if account is not None and not (isinstance(account, str) and len(account) == 12 and account.isdigit()):
        raise where.fail(f"request.resource_account must be a quoted 12-digit string, got {account!r}")
    context = raw.get("context")
    if context is not None and not isinstance(context, Mapping):
        raise where.fail("request.context must be a mapping")
    return RequestInput(_principal(where, raw.get("principal")), action, resource, account, context)


def _principal(where: _Where, raw: object) -> PrincipalInput:
    if isinstance(raw, str):
        return PrincipalInput(arn=raw)
    if not isinstance(raw, Mapping):
        raise where.fail("request.principal must be an ARN string or a mapping")
    _no_unknown(where, "principal", raw, _PRINCIPAL_KEYS)
    values = {key: raw.get(key) for key in _PRINCIPAL_KEYS}
    for key, value in values.items():
        if value is not None and not isinstance(value, str):
            raise where.fail(f"request.principal.{key} must be a string")
    kind = values["type"]
    if kind is not None and kind not in _PRINCIPAL_TYPES:
        raise where.fail(f"request.principal.type must be one of {sorted(_PRINCIPAL_TYPES)}, got {kind!r}")
    if kind is None and values["arn"] is None:
        raise where.fail("request.principal needs an arn")
    if kind == "WebIdentityUser" and values["federated_provider"] is None and values["arn"] is None:
        raise where.fail("a WebIdentityUser principal needs federated_provider")
    return PrincipalInput(**values)


def _want(where: _Where, raw: object) -> Expectation:
    if not isinstance(raw, Mapping):
        raise where.fail("want must be a mapping")
    _no_unknown(where, "want", raw, _WANT_KEYS)
    error = raw.get("error")
    decision = raw.get("decision")
    if (error is None) == (decision is None):
        raise where.fail("want needs exactly one of decision and error")
    if error is not None:
        extra = set(raw) - {"error", "message_contains"}
        if extra:
            raise where.fail(f"an error case cannot also want {sorted(extra)}")
        message = raw.get("message_contains")
        if not isinstance(error, str) or (message is not None and not isinstance(message, str)):
            raise where.fail("want.error and want.message_contains must be strings")
        return Expectation(error=error, message_contains=message)
    if decision not in DECISIONS:
        raise where.fail(f"want.decision must be one of {DECISIONS}, got {decision!r}")
    denied_by = raw.get("denied_by")
    if denied_by is not None and denied_by not in _DENIERS:
        raise where.fail(f"want.denied_by must be one of {_DENIERS}, got {denied_by!r}")
    if denied_by is not None and decision == "allowed":
        raise where.fail("an allowed case cannot name denied_by")
    determining = None
    if "determining" in raw:
        determining = tuple(_statement(where, s) for s in _list(where, "want.determining", raw["determining"]))
    missing = None
    if "missing_context_keys" in raw:
        keys = _list(where, "want.missing_context_keys", raw["missing_context_keys"])
        if not all(isinstance(k, str) for k in keys):
            raise where.fail("want.missing_context_keys must be strings")
        missing = tuple(str(k) for k in keys)
    rule = raw.get("rule")
    key_policy = raw.get("key_policy")
    if rule is not None and not isinstance(rule, str):
        raise where.fail("want.rule must be a standing rule's name or none")
    if key_policy not in (None, "given", "default", "none"):
        raise where.fail(f"want.key_policy must be given, default or none, got {key_policy!r}")
    return Expectation(
        decision=str(decision),
        denied_by=denied_by,
        determining=determining,
        missing_context_keys=missing,
        rule=rule,
        key_policy=key_policy,
    )


def _list(where: _Where, what: str, raw: object) -> Sequence[Any]:
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise where.fail(f"{what} must be a list")
    return raw


def _statement(where: _Where, raw: object) -> ExpectedStatement:
    if not isinstance(raw, Mapping):
        raise where.fail("each want.determining entry must be a mapping")
    _no_unknown(where, "determining entry", raw, _STATEMENT_KEYS)
    kind = raw.get("kind")
    if kind not in POLICY_KINDS:
        raise where.fail(f"determining kind must be one of {POLICY_KINDS}, got {kind!r}")
    numbers = [raw.get("level", 0), raw.get("position", 0), raw.get("statement")]
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in numbers):
        raise where.fail(f"determining entry {dict(raw)} needs non-negative integer level/position/statement")
    return ExpectedStatement(str(kind), numbers[0], numbers[1], numbers[2])
