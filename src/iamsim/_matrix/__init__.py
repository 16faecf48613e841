"""The bulk access matrix: its result, its scale-out across processes or a Dask cluster, and its pictures.

The per-principal kernel is :mod:`iamsim._engine.matrix`; the world-level
entry point (principals resolved in a simulator) is :mod:`iamsim._simulator.matrix`.
"""
