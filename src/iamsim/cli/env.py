"""``iamsim env`` and ``iamsim credential-process``: credentials of a running server for shells and profiles."""

from __future__ import annotations

import json
import shlex

import click

from iamsim.cli.output import echo_json
from iamsim.cli.remote import ADMIN_TOKEN_VAR, URL_VAR, AdminClient, server_options

__all__ = ["credential_process_command", "env_command"]

_KEY_VARS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")


@click.command("env")
@server_options
@click.option("--instance", "instance_id", help="Act as code on this instance: credentials from its metadata service.")
@click.option("--region", default="us-east-1", show_default=True, help="AWS_DEFAULT_REGION to export.")
@click.option(
    "--format", "output_format", type=click.Choice(["sh", "json"]), default="sh", show_default=True,
    help="Shell exports, or json for machines.",
)  # fmt: skip
def env_command(url: str, token: str, instance_id: str | None, region: str, output_format: str) -> None:
    """Print the exports a shell needs to use the server: eval "$(iamsim env)".

    Without --instance: the account's root user's keys (an administrator's shell, for
    'aws iam create-role ...'). With --instance: no keys at all, only
    AWS_EC2_METADATA_SERVICE_ENDPOINT, so the SDKs and the AWS CLI take the instance
    role's credentials from IMDSv2, as on the instance.
    """
    client = AdminClient(url, token)
    exports: dict[str, str | None] = {
        URL_VAR: url,
        ADMIN_TOKEN_VAR: token,
        "AWS_ENDPOINT_URL": url,
        "AWS_DEFAULT_REGION": region,
        "AWS_REGION": region,
    }
    if instance_id is None:
        root = client.post("credentials", {})
        exports |= {
            "AWS_ACCESS_KEY_ID": root["AccessKeyId"],
            "AWS_SECRET_ACCESS_KEY": root["SecretAccessKey"],
            "AWS_SESSION_TOKEN": None,
            "AWS_EC2_METADATA_SERVICE_ENDPOINT": None,
        }
    else:
        exports |= dict.fromkeys(_KEY_VARS)
        exports["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = f"{url.rstrip('/')}/_iamsim/imds/{instance_id}/"
    # A profile or credentials file would win over the instance's credentials; keep them out.
    exports["AWS_PROFILE"] = None
    if output_format == "json":
        echo_json(exports)
        return
    for name, value in exports.items():
        click.echo(f"unset {name}" if value is None else f"export {name}={shlex.quote(value)}")


@click.command("credential-process")
@server_options
@click.option("--role-arn", help="Assume this role as --user (the role's trust policy decides).")
@click.option(
    "--user",
    "user_name",
    help="An IAM user: its long-term key (its first active one, else a new one), or who assumes --role-arn.",
)
@click.option("--session-name", help="Role session name (default: iamsim-credential-process).")
@click.option("--account-id", help="The account of --user, or whose root user assumes --role-arn.")
def credential_process_command(
    url: str, token: str, role_arn: str | None, user_name: str | None, session_name: str | None, account_id: str | None
) -> None:
    """Print credentials in the AWS CLI's credential_process format (Version 1).

    \b
    In ~/.aws/config:
      [profile s3role]
      credential_process = iamsim credential-process --user alice --role-arn arn:aws:iam::123456789012:role/Admin
    Without --role-arn or --user: the account's root user's keys (AWS lets no root user assume a role).
    """
    body = {"role_arn": role_arn, "user_name": user_name, "session_name": session_name, "account_id": account_id}
    answer = AdminClient(url, token).post("credentials", {k: v for k, v in body.items() if v is not None})
    click.echo(json.dumps(answer))
