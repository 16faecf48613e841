"""Policy validation: lint a policy document the way IAM Access Analyzer's ValidatePolicy does.

:func:`validate_policy` never raises for bad policy input: text that is not
JSON, a document IAM would reject, a policy over its size quota, all become
``ERROR`` findings with their location. A document that parses is then
checked against the bundled service reference and for patterns that grant
more, or less, than meant. Each check and its code is listed in
:mod:`iamsim._policy.lint_rules` and documented in ``docs/findings.md``.

To lint many policies, build one :class:`PolicyValidator` and reuse it: it
remembers the catalog lookups it has made.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from iamsim._policy import lint_rules as rules
from iamsim._policy.catalog import ServiceCatalog
from iamsim._policy.catalog_lookups import CatalogLookups
from iamsim._policy.findings import Finding, Severity, ValidationReport
from iamsim._policy.jsontext import SYNTAX_ERROR, JsonDocument, read_json
from iamsim._policy.kinds import as_kind
from iamsim._policy.limits import check_characters, check_policy_size
from iamsim._policy.lint_actions import check_actions
from iamsim._policy.lint_conditions import check_conditions
from iamsim._policy.lint_context import LintContext
from iamsim._policy.lint_document import check_document
from iamsim._policy.lint_principals import check_principals
from iamsim._policy.lint_resources import check_resources
from iamsim._policy.lint_statements import check_statements
from iamsim._policy.model import PolicyKind
from iamsim._policy.parse import parse_policy
from iamsim._policy.render import render_policy
from iamsim.errors import LimitExceededError, MalformedPolicyDocumentError

__all__ = ["Finding", "PolicyValidator", "Severity", "ValidationReport", "validate_policy"]

#: The checks run on a document that parses, in this order.
_CHECKS: tuple[Callable[[LintContext], None], ...] = (
    check_document,
    check_actions,
    check_resources,
    check_conditions,
    check_principals,
    check_statements,
)


class PolicyValidator:
    """Validates policy documents against one service catalog, remembering lookups between documents."""

    def __init__(self, catalog: ServiceCatalog | None = None) -> None:
        self._lookups = CatalogLookups(catalog if catalog is not None else ServiceCatalog.load())

    @property
    def catalog(self) -> ServiceCatalog:
        """The service catalog names are checked against."""
        return self._lookups.catalog

    def validate(
        self, document: str | bytes | Mapping[str, Any], kind: PolicyKind | str = PolicyKind.IDENTITY
    ) -> ValidationReport:
        """Return the findings for ``document`` read as a policy of ``kind``.

        ``document`` is JSON text (``str`` or UTF-8 ``bytes``; findings then
        carry line and column) or a mapping as ``json.loads`` returns it.
        Problems with the document never raise; an unknown ``kind`` raises
        :class:`~iamsim.errors.UsageError`, since it is the caller's
        mistake, not the policy's.
        """
        policy_kind = as_kind(kind)
        findings: list[Finding] = []
        decoded = _read(document, findings)
        if decoded is None:
            return ValidationReport(policy_kind, tuple(findings))
        root, parsed, text = decoded
        try:
            if not isinstance(root, Mapping):
                # Valid JSON but not an object; never hand a JSON string back to the parser as text.
                raise MalformedPolicyDocumentError(SYNTAX_ERROR, pointer="")
            policy = parse_policy(root, policy_kind, check_size=False)
        except MalformedPolicyDocumentError as error:
            findings.append(_malformed(error, parsed))
            return ValidationReport(policy_kind, tuple(findings))
        try:
            check_policy_size(text if text is not None else render_policy(policy), policy_kind)
        except LimitExceededError as error:
            findings.append(
                rules.POLICY_TOO_LARGE.finding(error.message, "", line=1 if text else None, column=1 if text else None)
            )
        context = LintContext(policy, root, parsed, self._lookups)
        for check in _CHECKS:
            check(context)
        findings.extend(context.findings)
        return ValidationReport(policy_kind, tuple(sorted(findings, key=_document_order)))


def validate_policy(
    document: str | bytes | Mapping[str, Any], kind: PolicyKind | str = PolicyKind.IDENTITY
) -> ValidationReport:
    """Lint one policy document of ``kind`` the way IAM Access Analyzer does; never raises for a bad policy.

    ``document`` is JSON text (``str`` or UTF-8 ``bytes``; findings then carry
    line and column) or a mapping as ``json.loads`` returns it. Names are
    checked against the bundled service reference. Every problem with the
    document is a :class:`~iamsim.Finding` in the report; only an unknown
    ``kind`` raises, since that is the caller's mistake.
    """
    return PolicyValidator().validate(document, kind)


def _read(document: object, findings: list[Finding]) -> tuple[object, JsonDocument | None, str | None] | None:
    """Decode ``document`` into (root value, positions, text); on failure record the finding, return ``None``."""
    if isinstance(document, bytes):
        try:
            document = document.decode("utf-8")
        except UnicodeDecodeError as error:
            findings.append(
                rules.INVALID_JSON.finding(f"The policy is not UTF-8 text (byte {error.start} cannot be decoded)", "")
            )
            return None
    if isinstance(document, str):
        try:
            check_characters(document)
            parsed = read_json(document)
        except MalformedPolicyDocumentError as error:
            rule = rules.INVALID_JSON if error.message.startswith(SYNTAX_ERROR) else rules.MALFORMED_POLICY
            findings.append(rule.finding(error.message, error.pointer, line=error.line, column=error.column))
            return None
        return parsed.value, parsed, document
    if isinstance(document, Mapping):
        return document, None, None
    findings.append(
        rules.INVALID_JSON.finding(f"A policy is JSON text or a mapping, not {type(document).__name__}", "")
    )
    return None


def _malformed(error: MalformedPolicyDocumentError, parsed: JsonDocument | None) -> Finding:
    line, column = error.line, error.column
    if line is None and parsed is not None:
        position = parsed.locate(error.pointer)
        if position is not None:
            line, column = position
    return rules.MALFORMED_POLICY.finding(
        error.message, error.pointer, line=line, column=column, statement_index=error.statement_index
    )


def _document_order(finding: Finding) -> tuple[int, int, int, int]:
    index = -1 if finding.statement_index is None else finding.statement_index
    return (index, finding.line or 0, finding.column or 0, finding.severity.rank)
