#!/bin/sh
# CI gate: fail the build when the proposed policy grants access the deployed one does not.
# Exit 0: PASS (no new access, proved for every request); 2: FAIL, the witnesses are written as a
# suite that becomes a regression test; 4: UNKNOWN (treat as a failure: nothing was proved).
# Runs from any directory: the paths below are relative to examples/policy-tests/.
# The budget is above the 10 s default: on a busy shared CI runner this check, under a
# second on a quiet machine, took up to 10 s, and running out of budget is UNKNOWN.
set -eu
cd "$(dirname "$0")/.."
iamsim check no-new-access policies/company1-logs-read.json check/company1-logs-read.proposed.json \
    --budget 60 --witnesses check/new-access-witnesses.yaml
