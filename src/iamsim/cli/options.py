"""Options shared by ``evaluate``, ``explain`` and ``diff``: policies, request context, format."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from iamsim._engine.request import Principal
from iamsim._policy.model import Policy, PolicyKind
from iamsim._sources import PolicyBundle, load_policy_file, load_target, read_data
from iamsim.cli.output import FORMATS
from iamsim.errors import InvalidInputError

__all__ = [
    "format_option",
    "load_bundle",
    "parse_context",
    "parse_principal",
    "policy_options",
    "request_context_options",
]

F = TypeVar("F", bound=Callable[..., Any])


def format_option(choices: Sequence[str] = FORMATS) -> Callable[[F], F]:
    """``--format`` with ``choices`` (``text`` first, the default)."""
    machine = " or ".join(choice for choice in choices if choice != "text")
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(list(choices)),
        default=choices[0],
        show_default=True,
        help=f"Output format; use {machine} for machines.",
    )


def policy_options(func: F) -> F:
    """The options that name the policies of a request (applied to ``func``)."""
    options = [
        click.option(
            "--identity",
            "identity",
            multiple=True,
            metavar="FILE|ARN",
            help="Identity-based policy of the principal (a JSON/YAML file, or an AWS managed policy ARN). Repeatable.",
        ),
        click.option("--resource-policy", metavar="FILE", help="Resource-based policy of the resource."),
        click.option(
            "--trust-policy",
            metavar="FILE",
            help="Role trust policy; stands in for the resource policy of sts:AssumeRole* requests.",
        ),
        click.option("--boundary", metavar="FILE|ARN", help="Permissions boundary of the principal."),
        click.option(
            "--session",
            "session",
            multiple=True,
            metavar="FILE",
            help="Session policy passed when the session was created. Repeatable.",
        ),
        click.option(
            "--scp",
            "scp",
            multiple=True,
            metavar="FILE[,FILE...]",
            help="One SCP level (organization root first, account last): the policies attached "
            "at that level, comma-separated. Repeat once per level.",
        ),
        click.option(
            "--rcp",
            "rcp",
            multiple=True,
            metavar="FILE[,FILE...]",
            help="One RCP level, like --scp. Repeat once per level.",
        ),
        click.option(
            "--source",
            "source",
            metavar="FILE",
            help="A CloudFormation template or Terraform plan JSON to read a role from (with --role).",
        ),
        click.option(
            "--role", "role", metavar="NAME", help="The role to read from --source: logical id / address, or its name."
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def request_context_options(func: F) -> F:
    """``--context``, ``--context-file`` and ``--resource-account`` (applied to ``func``)."""
    options = [
        click.option(
            "--context",
            "context",
            multiple=True,
            metavar="KEY=VALUE",
            help='A request context entry. KEY=a,b or KEY=["a","b"] gives a multivalued key. '
            "Repeatable; overrides --context-file.",
        ),
        click.option("--context-file", metavar="FILE", help="A JSON or YAML mapping of context keys to values."),
        click.option(
            "--resource-account",
            metavar="ACCOUNT_ID",
            help="The account that owns the resource, when its ARN does not say (S3 buckets).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _context_value(key: str, text: str) -> object:
    if text.startswith("["):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            raise InvalidInputError(f"--context {key}: invalid JSON list: {error.msg}") from None
        if not isinstance(value, list):
            raise InvalidInputError(f"--context {key}: expected a JSON list")
        return value
    if "," in text:
        return text.split(",")
    return text


def parse_context(entries: Sequence[str], context_file: str | None) -> dict[str, object]:
    """The request context from ``--context-file`` then each ``--context KEY=VALUE``."""
    context: dict[str, object] = {}
    if context_file:
        data = read_data(Path(context_file))
        if not isinstance(data, Mapping):
            raise InvalidInputError(f"{context_file}: the context file must be a mapping of keys to values")
        context.update({str(k): v for k, v in data.items()})
    for entry in entries:
        key, sep, value = entry.partition("=")
        if not sep or not key.strip():
            raise InvalidInputError(f"--context {entry!r}: expected KEY=VALUE")
        context[key.strip()] = _context_value(key.strip(), value)
    return context


def parse_principal(text: str) -> Principal:
    """The ``--principal`` value as a :class:`~iamsim.Principal`; a clear error for anything else."""
    try:
        return Principal.from_arn(text)
    except InvalidInputError as error:
        raise InvalidInputError(
            f"--principal {text!r}: {error.message} Give a user, role, assumed-role or federated-user ARN, "
            "an account root ARN or id, or a service principal such as ec2.amazonaws.com."
        ) from None


def _files(paths: Sequence[str], kind: PolicyKind) -> tuple[Policy, ...]:
    return tuple(load_policy_file(p if p.startswith("arn:") else Path(p), kind) for p in paths)


def _levels(specs: Sequence[str], kind: PolicyKind) -> tuple[tuple[Policy, ...], ...]:
    levels = []
    for spec in specs:
        files = [p for p in spec.split(",") if p]
        if not files:
            # An empty level would silently deny everything (no Allow at that level).
            raise InvalidInputError(f"--{kind.value} {spec!r} names no policy file")
        levels.append(_files(files, kind))
    return tuple(levels)


def load_bundle(
    *,
    identity: Sequence[str] = (),
    resource_policy: str | None = None,
    trust_policy: str | None = None,
    boundary: str | None = None,
    session: Sequence[str] = (),
    scp: Sequence[str] = (),
    rcp: Sequence[str] = (),
    source: str | None = None,
    role: str | None = None,
) -> PolicyBundle:
    """Read every policy the policy options name into one bundle."""
    if role is not None and source is None:
        raise InvalidInputError("--role needs --source FILE (a CloudFormation template or Terraform plan)")
    identity_policies = _files(identity, PolicyKind.IDENTITY)
    bundle = PolicyBundle(
        identity=identity_policies,
        # On the command line --identity is always the principal's own policy, assume-role requests included.
        caller_identity=identity_policies,
        resource=None if resource_policy is None else load_policy_file(Path(resource_policy), PolicyKind.RESOURCE),
        trust=None if trust_policy is None else load_policy_file(Path(trust_policy), PolicyKind.TRUST),
        boundary=None if boundary is None else _files([boundary], PolicyKind.BOUNDARY)[0],
        session=_files(session, PolicyKind.SESSION) if session else None,
        scp_levels=_levels(scp, PolicyKind.SCP),
        rcp_levels=_levels(rcp, PolicyKind.RCP),
    )
    if source is not None:
        bundle = load_target(source, role=role).merge(bundle)
    if bundle.is_empty:
        raise InvalidInputError("no policies given; use --identity, --resource-policy, --trust-policy or --source")
    return bundle
