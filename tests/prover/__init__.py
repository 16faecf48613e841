"""Tests of the prover\x27s machinery around the solver (issue 15)."""
