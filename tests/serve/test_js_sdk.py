"""The JavaScript SDK v3 (``@aws-sdk/client-sts`` from the npm registry) against iamsim serve (§G.1, §G.6).

node is not a Python dependency: the test installs the pinned client into pytest's cache
directory (once) when node, npm and the npm registry are all reachable, and skips, saying
which one is missing, otherwise.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from serve.conftest import Served

CLIENT_STS = "@aws-sdk/client-sts@3.1178.0"
REGISTRY = "https://registry.npmjs.org/@aws-sdk%2fclient-sts"
ACCOUNT = "123456789012"

SCRIPT = """
const { STSClient, AssumeRoleCommand, GetCallerIdentityCommand } = require("@aws-sdk/client-sts");
(async () => {
  const [endpoint, keyId, secret, roleArn] = process.argv.slice(2);
  const keys = { accessKeyId: keyId, secretAccessKey: secret };
  const user = new STSClient({ endpoint, region: "us-east-1", credentials: keys });
  const assumed = await user.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "js-sdk" }));
  const c = assumed.Credentials;
  const role = new STSClient({ endpoint, region: "us-east-1", credentials: {
    accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken } });
  const identity = await role.send(new GetCallerIdentityCommand({}));
  console.log(JSON.stringify({ assumedRoleArn: assumed.AssumedRoleUser.Arn, identity: identity.Arn,
                               account: identity.Account }));
})().catch((error) => { console.error(error.name + ": " + error.message); process.exit(1); });
"""


def _registry_reachable() -> str | None:
    """``None`` when the npm registry answers, else why not."""
    try:
        with urllib.request.urlopen(REGISTRY, timeout=10) as answer:
            return None if answer.status == 200 else f"it answered HTTP {answer.status}"
    except (urllib.error.URLError, OSError) as error:
        return str(error)


@pytest.fixture(scope="module")
def js_sdk(request: pytest.FixtureRequest) -> Path:
    """A directory with the pinned ``@aws-sdk/client-sts`` installed (kept in pytest's cache)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node and npm are not installed: the JavaScript SDK v3 test needs them")
    directory = Path(request.config.cache.mkdir("js-sdk-client-sts-3.1178.0"))
    if not (directory / "node_modules" / "@aws-sdk" / "client-sts").is_dir():
        unreachable = _registry_reachable()
        if unreachable is not None:
            reason = f"the npm registry ({REGISTRY}) is not reachable, so {CLIENT_STS} cannot be installed"
            pytest.skip(f"{reason}: {unreachable}")
        done = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(directory), CLIENT_STS],
            capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            pytest.skip(f"npm could not install {CLIENT_STS}: {done.stderr.strip()[-400:]}")
    return directory


def test_js_sdk_v3_assume_role_and_get_caller_identity_g1_g6(served: Served, js_sdk: Path) -> None:
    """§G.1, §G.6: the JS SDK's AssumeRole gets a session; GetCallerIdentity on it shows the assumed-role ARN."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"}],
    }
    iam = served.client("iam")
    iam.create_role(RoleName="JsRole", AssumeRolePolicyDocument=json.dumps(trust))
    iam.create_user(UserName="js")
    allow = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}
    iam.put_user_policy(UserName="js", PolicyName="assume", PolicyDocument=json.dumps(allow))
    key = iam.create_access_key(UserName="js")["AccessKey"]
    (js_sdk / "sts.js").write_text(SCRIPT)
    done = subprocess.run(
        ["node", str(js_sdk / "sts.js"), served.url, key["AccessKeyId"], key["SecretAccessKey"],
         f"arn:aws:iam::{ACCOUNT}:role/JsRole"],
        capture_output=True, text=True, timeout=120, check=False, cwd=js_sdk,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["assumedRoleArn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/JsRole/js-sdk"
    assert answer["identity"] == answer["assumedRoleArn"]
    assert answer["account"] == ACCOUNT
