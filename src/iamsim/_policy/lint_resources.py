"""Checks of the ``Resource`` and ``NotResource`` elements against the actions' resource types (§B.2).

A resource ARN should fit the ARN format of a resource type some listed
action acts on, and each named action should have a resource that fits it;
an action without resource types acts only on ``"*"``. Wildcards in ARNs and
policy variables are honoured: ``arn:aws:s3:::b/*`` fits objects, not the
bucket ``b``. ``iam:PassRole`` on every role, ``Allow`` with ``NotResource``,
and ``"*"`` where specific ARNs would do are reported too.
"""

from __future__ import annotations

from iamsim._engine.resource_types import wildcard_type_words
from iamsim._engine.resources import IDENTITY_SIDE_KINDS, complete_arn
from iamsim._policy import lint_rules as rules
from iamsim._policy.catalog import Action
from iamsim._policy.glob_algebra import covers
from iamsim._policy.kinds import RESOURCE_REQUIRED
from iamsim._policy.lint_context import LintContext, StatementActions
from iamsim._policy.model import Effect, PolicyKind, Statement

__all__ = ["check_resources"]

_PASS_ROLE = "iam:passrole"
_EVERY_ROLE = "arn:aws:iam::*:role/*"
# Kinds whose Resource "*" grants: the others only bound what other policies grant.
# Kinds whose short ARNs IAM completes with ``*`` fields, as the evaluators do (§B.2).
_COMPLETED_KINDS = IDENTITY_SIDE_KINDS
_NARROWING_KINDS = frozenset({PolicyKind.IDENTITY, PolicyKind.SESSION})


def check_resources(context: LintContext) -> None:
    """Report resource/action mismatches, repeated resources, PassRole on all roles, and broad ``*``."""
    for statement in context.policy.statements:
        element = "Resource" if statement.resource is not None else "NotResource"
        values = statement.resource if statement.resource is not None else statement.not_resource
        if values is None:
            continue
        context.report_repeats(rules.DUPLICATE_RESOURCE, statement, element, values, fold_case=False)
        _check_type_wildcards(context, statement, element, values)
        if context.policy.kind in RESOURCE_REQUIRED:
            _check_complete(context, statement, element, values)
        if statement.effect is Effect.ALLOW and statement.not_resource is not None:
            context.report(
                rules.ALLOW_WITH_NOT_RESOURCE,
                "Allow with NotResource allows the actions on every resource except those listed, "
                "including resources created later; list the allowed resources instead",
                context.element_pointer(statement, "NotResource"),
                statement,
            )
        if statement.resource is None:
            continue
        if statement.effect is Effect.ALLOW:
            _check_pass_role(context, statement, statement.resource)
        listed = context.listed_actions(statement)
        if listed is None or listed.everything or not listed.actions:
            continue
        complete = context.policy.kind in RESOURCE_REQUIRED
        if listed.complete:
            _check_each_resource_fits(context, statement, statement.resource, listed, complete)
        if "*" in statement.resource:
            _suggest_narrower(context, statement, statement.resource, listed)
        else:
            _check_each_action_has_resource(context, statement, statement.resource, complete)


def _check_complete(context: LintContext, statement: Statement, element: str, values: tuple[str, ...]) -> None:
    """A short ARN is legal (IAM pads it with ``*`` fields, §B.2) but is usually a missing colon.

    The documented shorthand (``arn:aws:sqs``, or one ending in ``*``) is left
    alone; a short ARN that names something specific in its last field is not.
    """
    for offset, value in enumerate(values):
        fields = value.split(":")
        if not value.startswith("arn:") or not 4 <= len(fields) <= 5 or fields[-1] in ("", "*"):
            continue
        completed = ":".join(fields + ["*"] * (6 - len(fields)))
        hint = ""
        if len(fields) == 5 and fields[2] == "s3" and fields[3] == "":
            hint = f"; S3 ARNs have three colons before the bucket: did you mean 'arn:{fields[1]}:s3:::{fields[4]}'?"
        context.report(
            rules.INCOMPLETE_RESOURCE_ARN,
            f"{element} {value!r} has {len(fields)} of the 6 ARN fields; IAM reads it as {completed!r}{hint}",
            context.item_pointer(statement, element, offset),
            statement,
        )


def _check_type_wildcards(context: LintContext, statement: Statement, element: str, values: tuple[str, ...]) -> None:
    """§B.2 (UG: reference_identifiers.html): a wildcard may not replace the resource-type portion of an ARN."""
    complete = context.policy.kind in _COMPLETED_KINDS
    for offset, value in enumerate(values):
        found = wildcard_type_words(complete_arn(value) if complete else value)
        if found is None:
            continue
        words = found.words
        service = value.split(":", 3)[2]
        # The words come most used first: a few of them say what is meant; all 100-odd EC2 words would not.
        shown = ", ".join(repr(word) for word in words[:4]) + (f" and {len(words) - 4} more" if len(words) > 4 else "")
        where = (
            f"the {found.field} field's trailing '*' (which may run past colons) stands for"
            if found.field is not None
            else "a wildcard stands for"
        )
        if found.field is not None:
            fix = f"begin the resource part with the type, such as {found.example!r}"
        else:
            fix = f"spell the type before any wildcard, such as {found.example!r}"
        context.report(
            rules.RESOURCE_TYPE_WILDCARD,
            f"{element} {value!r}: {where} the {service} resource type ({shown}); IAM does not let a wildcard "
            f"replace the resource type, so it matches no resource of those types: {fix}",
            context.item_pointer(statement, element, offset),
            statement,
        )


def _check_pass_role(context: LintContext, statement: Statement, resources: tuple[str, ...]) -> None:
    actions = statement.action or ()
    # Only actions of the iam service itself: "*" is reported as a whole by FULL_WILDCARD_ACTION.
    if not any(a.lower().startswith("iam:") and covers(a, _PASS_ROLE, fold_case=True) for a in actions):
        return
    for offset, resource in enumerate(resources):
        if covers(resource, _EVERY_ROLE):
            context.report(
                rules.PASS_ROLE_WITH_WILDCARD_RESOURCE,
                f"iam:PassRole on {resource!r} lets the caller give any role, with all its permissions, to "
                "a service; name the roles it may pass",
                context.item_pointer(statement, "Resource", offset),
                statement,
            )


def _fits(context: LintContext, action: Action, resource: str, complete: bool) -> bool:
    for resource_type in action.resource_types:
        if resource_type.arn_format is None:
            return True  # a type the reference does not describe: give the benefit of the doubt
        if context.lookups.resource_fits(resource, complete, resource_type.arn_format):
            return True
    return False


def _shown(actions: tuple[Action, ...]) -> str:
    names = ", ".join(a.full_name for a in actions[:3])
    return names + (f" and {len(actions) - 3} more" if len(actions) > 3 else "")


def _check_each_resource_fits(
    context: LintContext,
    statement: Statement,
    resources: tuple[str, ...],
    listed: StatementActions,
    complete: bool,
) -> None:
    for offset, resource in enumerate(resources):
        if resource == "*":
            continue
        if any(_fits(context, action, resource, complete) for action in listed.actions):
            continue
        context.report(
            rules.RESOURCE_MATCHES_NO_ACTION,
            f"Resource {resource!r} matches no resource type of the statement's actions ({_shown(listed.actions)})",
            context.item_pointer(statement, "Resource", offset),
            statement,
        )


def _check_each_action_has_resource(
    context: LintContext, statement: Statement, resources: tuple[str, ...], complete: bool
) -> None:
    for offset, pattern in enumerate(statement.action or ()):
        if "*" in pattern or "?" in pattern:
            continue
        matched = context.lookups.expand(pattern)
        if len(matched) != 1:
            continue
        action = matched[0]
        pointer = context.item_pointer(statement, "Action", offset)
        if not action.resource_types:
            context.report(
                rules.ACTION_MATCHES_NO_RESOURCE,
                f'{action.full_name} acts on no specific resource and needs Resource "*"; '
                "this statement never allows or denies it",
                pointer,
                statement,
            )
        elif not any(_fits(context, action, resource, complete) for resource in resources):
            kinds = ", ".join(r.name for r in action.resource_types)
            context.report(
                rules.ACTION_MATCHES_NO_RESOURCE,
                f"None of the statement's resources is a {kinds} that {action.full_name} acts on; "
                "this statement never allows or denies it",
                pointer,
                statement,
            )


def _suggest_narrower(
    context: LintContext, statement: Statement, resources: tuple[str, ...], listed: StatementActions
) -> None:
    if statement.effect is not Effect.ALLOW or context.policy.kind not in _NARROWING_KINDS or not listed.complete:
        return
    if not all(a.resource_types and all(r.arn_format for r in a.resource_types) for a in listed.actions):
        return
    kinds = sorted({r.name for a in listed.actions for r in a.resource_types})
    shown = ", ".join(kinds[:4]) + (", ..." if len(kinds) > 4 else "")
    context.report(
        rules.NARROWABLE_WILDCARD_RESOURCE,
        f'Resource "*" allows {_shown(listed.actions)} on every resource, but each of them acts on specific '
        f"resources ({shown}); name the ARNs the policy needs",
        context.item_pointer(statement, "Resource", resources.index("*")),
        statement,
    )
