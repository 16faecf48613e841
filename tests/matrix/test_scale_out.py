"""Scale-out of the access matrix (issue 16): split by principal over local processes or a Dask cluster.

Whatever runs the work, the matrix is the same as the one decided in this
process, which the differential test holds equal to one-by-one evaluation
(§F.1, UG:reference_policies_evaluation-logic.html).
"""

from __future__ import annotations

import json

import pytest

from iamsim import Simulator
from iamsim._clock import ManualClock
from iamsim.errors import UsageError

ACCOUNT = "111122223333"
ACTIONS = ("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "ec2:RunInstances")
RESOURCES = (*tuple(f"arn:aws:s3:::bucket{b}/key{k}" for b in range(3) for k in range(4)), "*")


def _world() -> tuple[Simulator, list[str]]:
    sim = Simulator(clock=ManualClock(), account_id=ACCOUNT)
    principals = []
    for index in range(6):
        name = f"user{index}"
        sim.create_user(name)
        statements = [
            {"Effect": "Allow", "Action": "s3:*", "Resource": f"arn:aws:s3:::bucket{index % 3}/*"},
            {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"},
        ]
        if index % 2:
            statements.append({"Effect": "Allow", "Action": "ec2:*", "Resource": "*"})
        sim.put_user_policy(name, "p", json.dumps({"Version": "2012-10-17", "Statement": statements}))
        principals.append(f"arn:aws:iam::{ACCOUNT}:user/{name}")
    return sim, principals


def test_two_local_processes_give_the_in_process_matrix_f1() -> None:
    """§F.1: the matrix split by principal over 2 processes equals the one decided in this process."""
    sim, principals = _world()
    local = sim.access_matrix(principals, ACTIONS, RESOURCES, workers=1)
    spread = sim.access_matrix(principals, ACTIONS, RESOURCES, workers=2)
    assert spread == local
    assert local.allowed_count() > 0
    assert local.explicit_deny_count() > 0


def test_workers_must_be_a_positive_whole_number() -> None:
    """A bad ``workers`` is a usage error naming it, not a traceback from the process pool."""
    sim, principals = _world()
    with pytest.raises(UsageError, match="workers must be a positive whole number"):
        sim.access_matrix(principals, ACTIONS, RESOURCES, workers=0)


def test_a_local_dask_cluster_gives_the_in_process_matrix_f1() -> None:
    """§F.1: the matrix computed on a local Dask cluster (the ``cluster`` extra) equals the in-process one."""
    distributed = pytest.importorskip(
        "distributed", reason="the 'cluster' extra (dask[distributed]) is not installed: pip install 'iamsim[cluster]'"
    )
    sim, principals = _world()
    local = sim.access_matrix(principals, ACTIONS, RESOURCES, workers=1)
    with (
        distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        assert sim.access_matrix(principals, ACTIONS, RESOURCES, cluster=client) == local
        # A scheduler address works too: the matrix opens and closes its own client.
        assert sim.access_matrix(principals, ACTIONS, RESOURCES, cluster=cluster.scheduler_address) == local


def test_kept_worker_processes_and_resource_policies_give_the_in_process_matrix_f1() -> None:
    """§F.1: matrices asked again of one simulator (its worker processes kept), with a resource policy, are equal.

    The parent sends uncompiled policy sets when other processes share the work; a resource policy splits a
    principal's resources into two jobs, which the merge puts back in place.
    """
    sim, principals = _world()
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket1/key2"}
        ],
    }
    policies = {"arn:aws:s3:::bucket1/key2": policy}
    local = sim.access_matrix(principals, ACTIONS, RESOURCES, resource_policies=policies, workers=1)
    for workers in (2, 2, 3):
        spread = sim.access_matrix(principals, ACTIONS, RESOURCES, resource_policies=policies, workers=workers)
        assert spread == local
    assert local.decision(1, "s3:GetObject", "arn:aws:s3:::bucket1/key2").value == "explicitDeny"
