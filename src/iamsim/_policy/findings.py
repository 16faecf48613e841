"""What policy validation reports: severities, findings, and the report of one policy.

A finding names one problem at one place: a stable ``code`` (documented in
``docs/findings.md``), a message in plain words that names the offending
value, the JSON pointer of that value and, for text input, its line and
column. A :class:`ValidationReport` holds the findings of one policy, in
document order.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from iamsim._policy.model import PolicyKind

__all__ = ["Finding", "Severity", "ValidationReport"]


class Severity(StrEnum):
    """How much a finding matters, as IAM Access Analyzer grades its policy checks."""

    #: AWS would reject the policy, or a name in it means nothing to AWS.
    ERROR = "ERROR"
    #: The policy grants more than its author likely meant.
    SECURITY_WARNING = "SECURITY_WARNING"
    #: The policy probably does not work as its author meant.
    WARNING = "WARNING"
    #: The policy works, but a clearer or tighter form exists.
    SUGGESTION = "SUGGESTION"

    @property
    def rank(self) -> int:
        """0 for the most severe (``ERROR``) to 3 for the least (``SUGGESTION``)."""
        return _RANKS[self]


_RANKS = {Severity.ERROR: 0, Severity.SECURITY_WARNING: 1, Severity.WARNING: 2, Severity.SUGGESTION: 3}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in a policy, and exactly where it is."""

    severity: Severity
    #: A stable identifier of the check, such as ``UNKNOWN_ACTION``.
    code: str
    #: What is wrong, naming the offending value.
    message: str
    #: RFC 6901 pointer to the offending value (``""`` for the whole document).
    pointer: str
    #: 1-based line of the offending value in the policy text; ``None`` for mapping input.
    line: int | None
    #: 1-based column (in characters) of the offending value; ``None`` for mapping input.
    column: int | None
    #: 0-based index of the statement the finding is in; ``None`` for document-level findings.
    statement_index: int | None
    #: An AWS documentation page that explains the rule behind the finding.
    learn_more: str

    def to_dict(self) -> dict[str, Any]:
        """Return the finding as JSON-ready data."""
        return {
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "pointer": self.pointer,
            "line": self.line,
            "column": self.column,
            "statement_index": self.statement_index,
            "learn_more": self.learn_more,
        }


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """The findings of one policy document, in document order."""

    kind: PolicyKind
    findings: tuple[Finding, ...]

    def of_severity(self, severity: Severity) -> tuple[Finding, ...]:
        """Return the findings of exactly ``severity``."""
        return tuple(f for f in self.findings if f.severity is severity)

    @property
    def errors(self) -> tuple[Finding, ...]:
        """Findings of severity ``ERROR``."""
        return self.of_severity(Severity.ERROR)

    @property
    def security_warnings(self) -> tuple[Finding, ...]:
        """Findings of severity ``SECURITY_WARNING``."""
        return self.of_severity(Severity.SECURITY_WARNING)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """Findings of severity ``WARNING``."""
        return self.of_severity(Severity.WARNING)

    @property
    def suggestions(self) -> tuple[Finding, ...]:
        """Findings of severity ``SUGGESTION``."""
        return self.of_severity(Severity.SUGGESTION)

    @property
    def ok(self) -> bool:
        """Whether the policy has no ``ERROR`` finding (AWS would accept it and every name resolves)."""
        return not self.errors

    @property
    def worst(self) -> Severity | None:
        """The most severe severity among the findings, or ``None`` when there are none."""
        return min((f.severity for f in self.findings), key=lambda s: s.rank, default=None)

    def fails_at(self, threshold: Severity) -> bool:
        """Whether any finding is at least as severe as ``threshold`` (for a CI exit code)."""
        worst = self.worst
        return worst is not None and worst.rank <= threshold.rank

    @property
    def codes(self) -> tuple[str, ...]:
        """The code of each finding, in order."""
        return tuple(f.code for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready data."""
        return {
            "kind": self.kind.value,
            "ok": self.ok,
            "counts": {s.value: len(self.of_severity(s)) for s in Severity},
            "findings": [f.to_dict() for f in self.findings],
        }
