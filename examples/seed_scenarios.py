"""The seed tutorial's two scenarios in plain Python, against iamsim's simulated AWS account.

Run it: ``python examples/seed_scenarios.py``. Every outcome is checked; the
script prints what happened and exits non-zero if anything differs from AWS.
"""

from __future__ import annotations

from datetime import timedelta

from iamsim import Decision, ManualClock, Simulator
from iamsim.errors import ExpiredTokenError

# The trust policy both roles share: only the EC2 service may assume them.
EC2_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


def ec2_role(sim: Simulator, name: str, policy_arn: str) -> str:
    """Create a role EC2 can assume, attach one policy, put it in an instance profile; launch an instance."""
    sim.create_role(name, EC2_TRUST)
    sim.attach_role_policy(name, policy_arn)
    sim.create_instance_profile(name)
    sim.add_role_to_instance_profile(name, name)
    return sim.run_instance(instance_profile=name)


def scenario_1_s3_read_only() -> None:
    """S3AccessRole with AmazonS3ReadOnlyAccess: list and read are allowed, writing is not, keys expire."""
    clock = ManualClock()  # time moves only when we say so
    sim = Simulator(clock=clock)
    instance = ec2_role(sim, "S3AccessRole", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")

    # What the instance metadata service hands out: temporary keys (ASIA...) from STS.
    credentials = sim.instance_credentials(instance)
    assert credentials.access_key_id.startswith("ASIA")
    arn = sim.get_caller_identity(credentials).arn
    assert arn == f"arn:aws:sts::123456789012:assumed-role/S3AccessRole/{instance}"

    # aws s3 ls s3://company1-logs  ->  s3:ListBucket on the bucket.
    listed = sim.authorize(credentials, "s3:ListBucket", "arn:aws:s3:::company1-logs")
    assert listed.determining[0].policy_name == "AmazonS3ReadOnlyAccess"
    assert sim.is_allowed(credentials, "s3:GetObject", "arn:aws:s3:::company1-logs/app.log")

    # aws s3 cp report.txt s3://company1-logs/  ->  s3:PutObject: no statement allows it.
    # (sim.authorize would raise AccessDeniedError with this same message.)
    write = sim.explain(credentials, "s3:PutObject", "arn:aws:s3:::company1-logs/report.txt")
    assert write.decision is Decision.IMPLICIT_DENY
    assert write.message().endswith("because no identity-based policy allows the s3:PutObject action")
    print("denied as expected:", write.message())

    # Past Expiration the same keys are refused; the instance simply gets new ones.
    assert credentials.expiration is not None
    clock.set(credentials.expiration + timedelta(seconds=1))
    try:
        sim.get_caller_identity(credentials)
        raise SystemExit("expired credentials should have been refused")
    except ExpiredTokenError as expired:
        print("expired as expected:", expired.message)
    fresh = sim.instance_credentials(instance)
    assert fresh.access_key_id != credentials.access_key_id
    assert sim.get_caller_identity(fresh).arn == arn


def scenario_2_company1_logs() -> None:
    """Company1-Logs-Role: a customer policy allows s3:GetObject in company1-logs, and nothing else."""
    sim = Simulator(clock=ManualClock())
    policy = sim.create_policy(
        "Company1-Logs-Policy",
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::company1-logs/*"}],
        },
    )
    instance = ec2_role(sim, "Company1-Logs-Role", policy.arn)
    credentials = sim.instance_credentials(instance)

    assert sim.is_allowed(credentials, "s3:GetObject", "arn:aws:s3:::company1-logs/app.log")
    # Another bucket: the Resource names company1-logs only.
    assert not sim.is_allowed(credentials, "s3:GetObject", "arn:aws:s3:::company2-logs/app.log")
    # Listing is s3:ListBucket, a different action from s3:GetObject.
    listing = sim.explain(credentials, "s3:ListBucket", "arn:aws:s3:::company1-logs")
    assert listing.decision is Decision.IMPLICIT_DENY
    print("listing denied as expected:", listing.message())


if __name__ == "__main__":
    scenario_1_s3_read_only()
    scenario_2_company1_logs()
    print("both scenarios behave as in AWS")
