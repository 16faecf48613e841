#!/bin/sh
# CI gate: fail the build when the proposed policy grants access the deployed one does not.
# Exit 0: PASS (no new access, proved for every request); 2: FAIL, the witnesses are written as a
# suite that becomes a regression test; 4: UNKNOWN (treat as a failure: nothing was proved).
# Runs from any directory: the paths below are relative to examples/policy-tests/.
set -eu
cd "$(dirname "$0")/.."
iamsim check no-new-access policies/company1-logs-read.json check/company1-logs-read.proposed.json \
    --witnesses check/new-access-witnesses.yaml
